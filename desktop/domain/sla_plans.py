"""The support plans as seeded from the regulations (R-SLA-1): calendar preset and targets per priority.

Data rather than rules: the store inserts these plans once and administrators edit them
afterwards. Apart from :mod:`desktop.domain.sla` so a new customer's plan touches only this file;
each plan cites the clause of its regulation.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from desktop.domain.calendar_presets import DEFAULT_CALENDAR_KEY
from desktop.domain.calendar_spec import CalendarError
from desktop.domain.sla import PRIORITIES, Priority, Target


@dataclass(frozen=True)
class PlanSeed:
    """A support plan as seeded: its calendar preset and targets per priority."""

    code: str
    name_ru: str
    name_en: str
    calendar_key: str
    reaction: Mapping[Priority, timedelta]
    resolution: Mapping[Priority, timedelta] = field(default_factory=dict)
    warn_share: float = 0.75
    source: str = ""

    def targets(self, priority: Priority) -> tuple[Target, ...]:
        """The targets a ticket of ``priority`` on this plan gets (reaction first)."""
        if priority not in PRIORITIES:
            raise CalendarError("Unknown priority {priority!r}; use one of {priorities}.", priority=priority, priorities=', '.join(PRIORITIES))
        out = [Target("reaction", self.reaction[priority], self.warn_share)]
        if priority in self.resolution:
            out.append(Target("resolution", self.resolution[priority], self.warn_share))
        return tuple(out)

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code, "name_ru": self.name_ru, "name_en": self.name_en,
            "calendar": self.calendar_key, "warn_share": self.warn_share,
            "targets": {p: [t.to_dict() for t in self.targets(p)] for p in PRIORITIES},
        }


_H = timedelta(hours=1)


SEED_PLANS: tuple[PlanSeed, ...] = (
    PlanSeed(
        # EmailMaker §2 "Бесплатная поддержка … максимальное время реакции — 48 рабочих часов",
        # hours per §1.4 (working days 9–18 Moscow, RU holidays). The regulation gives one
        # maximum for all questions, so every priority gets it; no resolution target (§5.1:
        # "from immediate to several days").
        code="free", name_ru="Бесплатный", name_en="Free", calendar_key=DEFAULT_CALENDAR_KEY,
        reaction={p: 48 * _H for p in PRIORITIES},
        source="EmailMaker §1.4, §2",
    ),
    PlanSeed(
        # EmailMaker §2 "Коммерческая поддержка … 24 рабочих часа"; Prem-site also promises 24 h.
        # 24 h is the maximum; we tighten high/urgent (our choice, editable) because a maximum
        # for all questions leaves no room to act on urgency. Resolution: WebbyMASTER §3.2's
        # "up to 72 hours for complex work" as the optional resolution target for urgent/high.
        code="commercial", name_ru="Коммерческий", name_en="Commercial",
        calendar_key=DEFAULT_CALENDAR_KEY,
        reaction={"low": 24 * _H, "normal": 24 * _H, "high": 8 * _H, "urgent": 4 * _H},
        resolution={"high": 72 * _H, "urgent": 24 * _H},
        source="EmailMaker §2, Prem-site (24 h), WebbyMASTER §3.2 (72 h)",
    ),
    PlanSeed(
        # Prem-site: "для пользователей тарифа «Premium» - 3 часа", support 11:00–20:00 Moscow.
        # Urgent/high tighter (our choice); resolution 24 working hours for urgent (our choice,
        # WebbyMASTER §3.2 range of up to 24 h for active paid services).
        code="premium", name_ru="Премиум", name_en="Premium", calendar_key="moscow_11_20",
        reaction={"low": 3 * _H, "normal": 3 * _H, "high": 2 * _H, "urgent": 1 * _H},
        resolution={"high": 48 * _H, "urgent": 24 * _H},
        source="Prem-site (Premium 3 h, 11:00–20:00 Moscow)",
    ),
    PlanSeed(
        # WebbyMASTER §1.4 "Приоритетная поддержка": outside working hours, and when urgent on
        # weekends and holidays too → a 24/7 calendar. §3.2: "от 10 минут до 24 часов …
        # может быть увеличено до 72 часов": urgent 10 min … low 24 h; resolution 24 h for
        # urgent and 72 h for high (the regulation's ceiling for complex work).
        code="priority", name_ru="Приоритетный", name_en="Priority", calendar_key="always_open",
        reaction={"low": 24 * _H, "normal": 1 * _H, "high": timedelta(minutes=30),
                  "urgent": timedelta(minutes=10)},
        resolution={"high": 72 * _H, "urgent": 24 * _H},
        source="WebbyMASTER §1.4, §3.2",
    ),
)
"""The four seeded plans; ``calendar_key`` names a preset in ``desktop.domain.calendar_presets.PRESETS``."""
