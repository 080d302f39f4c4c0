"""Default data every workspace starts with: calendars, plans, departments, reasons.

Seeding is idempotent and only inserts what is missing, so an administrator's edits survive
upgrades and a second workstation opening the same team database changes nothing.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.domain.calendar_presets import PRESET_TITLES, PRESETS
from desktop.domain.sla_plans import SEED_PLANS
from desktop.domain.tickets import DEFAULT_REASONS
from desktop.store.db import Database
from desktop.store.models import Calendar, Department, Plan, ReasonRow

PRIORITY_PLANS = frozenset({"premium", "priority"})

DEPARTMENTS = (
    ("technical", "Technical", "Техническая поддержка"),
    ("consultations", "Consultations", "Консультации"),
    ("sales", "Sales", "Отдел продаж"),
)


def ensure_defaults(db: Database) -> None:
    with db.session() as s:
        seeded = s.scalar(select(Plan.id).limit(1)) is not None
        if seeded and s.get(ReasonRow, "duplicate") is not None:
            return
        _calendars(s)
        _plans(s)
        _departments(s)
        _reasons(s)


def _calendars(s: Session) -> None:
    have = set(s.scalars(select(Calendar.code)))
    for code, cal in PRESETS.items():
        if code not in have:
            s.add(Calendar(code=code, name=PRESET_TITLES[code][1], spec=cal.to_dict()))
    s.flush()


def _plans(s: Session) -> None:
    have = set(s.scalars(select(Plan.code)))
    cal_ids = {c.code: c.id for c in s.scalars(select(Calendar))}
    for pos, plan in enumerate(SEED_PLANS):
        if plan.code in have:
            continue
        s.add(
            Plan(
                code=plan.code,
                name=plan.name_en,
                name_ru=plan.name_ru,
                calendar_id=cal_ids[plan.calendar_key],
                targets=plan.to_dict()["targets"],
                # Premium and Priority are the "extended/priority support" of R-SLA-6.
                priority_support=plan.code in PRIORITY_PLANS,
                position=pos,
            )
        )
    s.flush()


def _departments(s: Session) -> None:
    have = set(s.scalars(select(Department.code)))
    for pos, (code, en, ru) in enumerate(DEPARTMENTS):
        if code not in have:
            s.add(Department(code=code, name_en=en, name_ru=ru, position=pos))


def _reasons(s: Session) -> None:
    # Imported here: the templates bring Jinja2, which a workspace already seeded (every start
    # but the first) never needs — ~50 ms of each command's start-up.
    from desktop.mail.templates import reason_templates

    have = set(s.scalars(select(ReasonRow.code)))
    ru, en = reason_templates("ru"), reason_templates("en")
    for pos, r in enumerate(DEFAULT_REASONS):
        if r.code in have:
            continue
        s.add(
            ReasonRow(
                code=r.code,
                title_en=r.title_en,
                title_ru=r.title_ru,
                use=r.use.value,
                offer=r.offer,
                template_en=en.get(r.code, ""),
                template_ru=ru.get(r.code, ""),
                position=pos,
            )
        )
