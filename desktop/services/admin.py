"""Administration of the regulation: plans, calendars, workspace settings (R-SLA-1..2, R-UI-6).

Every change that moves deadlines recomputes the stored deadlines of the open tickets it
affects in the same transaction, so the queue's SQL sort never shows a stale order.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import select

from desktop.domain.calendar import WorkingCalendar
from desktop.domain.sla import PRIORITIES, Target
from desktop.errors import ConfigError, NotFound, ValidationError
from desktop.services.deadlines import recompute_plan
from desktop.services.workspace import DEFAULT_SETTINGS, Workspace
from desktop.store.models import Calendar, Plan


def calendars(ws: Workspace) -> list[dict[str, Any]]:
    with ws.db.session() as s:
        return [{"code": c.code, "name": c.name, "spec": c.spec}
                for c in s.scalars(select(Calendar).order_by(Calendar.id))]


def save_calendar(ws: Workspace, code: str, name: str, spec: dict[str, Any]) -> int:
    """Create or replace a calendar; returns how many open tickets were recomputed."""
    cal = WorkingCalendar.from_dict(spec)  # validates, with a plain message on error
    with ws.db.session() as s:
        row = s.scalar(select(Calendar).where(Calendar.code == code))
        if row is None:
            s.add(Calendar(code=code, name=name or code, spec=cal.to_dict()))
            return 0
        row.spec, row.name = cal.to_dict(), name or row.name
        s.flush()
        return sum(recompute_plan(s, ws, p.id) for p in s.scalars(select(Plan).where(Plan.calendar_id == row.id)))


def add_calendar_day(ws: Workspace, code: str, day: date, working: bool) -> int:
    """A company's own day off (or extra working day) on one calendar."""
    with ws.db.session() as s:
        row = s.scalar(select(Calendar).where(Calendar.code == code))
        if row is None:
            raise NotFound(f"there is no calendar {code!r}")
        spec = dict(row.spec)
    add, other = ("working_days", "days_off") if working else ("days_off", "working_days")
    spec[add] = sorted({*spec.get(add, []), day.isoformat()})
    spec[other] = [d for d in spec.get(other, []) if d != day.isoformat()]
    return save_calendar(ws, code, "", spec)


def set_plan(
    ws: Workspace,
    code: str,
    *,
    calendar: str | None = None,
    reaction: dict[str, int] | None = None,
    resolution: dict[str, int | None] | None = None,
    warn_share: float | None = None,
    priority_support: bool | None = None,
) -> int:
    """Change a plan's calendar or targets (minutes per priority); recompute its open tickets."""
    with ws.db.session() as s:
        plan = s.scalar(select(Plan).where(Plan.code == code))
        if plan is None:
            raise NotFound(f"there is no plan {code!r}")
        if calendar is not None:
            cal = s.scalar(select(Calendar).where(Calendar.code == calendar))
            if cal is None:
                raise NotFound(f"there is no calendar {calendar!r}")
            plan.calendar_id = cal.id
        targets: dict[str, list[dict[str, Any]]] = {p: list(plan.targets.get(p, [])) for p in PRIORITIES}
        for kind, values in (("reaction", reaction or {}), ("resolution", resolution or {})):
            for prio, minutes in values.items():
                if prio not in PRIORITIES:
                    raise ValidationError(f"unknown priority {prio!r}; use {', '.join(PRIORITIES)}")
                rest = [t for t in targets[prio] if t["kind"] != kind]
                if minutes is not None:
                    share = warn_share if warn_share is not None else _share(targets[prio])
                    rest.append(Target(kind, timedelta(minutes=int(minutes)), share).to_dict())  # type: ignore[arg-type]
                targets[prio] = sorted(rest, key=lambda t: t["kind"] != "reaction")
        if warn_share is not None:
            for prio in PRIORITIES:
                targets[prio] = [Target.from_dict({**t, "warn_share": warn_share}).to_dict() for t in targets[prio]]
        for prio in PRIORITIES:
            if not any(t["kind"] == "reaction" for t in targets[prio]):
                raise ValidationError(f"the plan {code!r} needs a reaction target for {prio} priority")
        plan.targets = targets
        if priority_support is not None:
            plan.priority_support = priority_support
        s.flush()
        return recompute_plan(s, ws, plan.id)


def _share(existing: list[dict[str, Any]]) -> float:
    return float(existing[0].get("warn_share", 0.75)) if existing else 0.75


def get_setting(ws: Workspace, key: str) -> Any:
    if key not in DEFAULT_SETTINGS:
        raise NotFound(f"there is no setting {key!r}; known: {', '.join(sorted(DEFAULT_SETTINGS))}")
    return ws.setting(key)


def set_setting(ws: Workspace, key: str, value: Any) -> None:
    """Store a workspace setting after checking it, so a bad value is refused by name."""
    default = DEFAULT_SETTINGS.get(key, ...)
    if default is ...:
        raise NotFound(f"there is no setting {key!r}; known: {', '.join(sorted(DEFAULT_SETTINGS))}")
    try:
        if isinstance(default, bool):
            value = _bool(value)
        elif isinstance(default, int):
            value = int(value)
        elif isinstance(default, float):
            value = float(value)
    except (TypeError, ValueError):
        raise ConfigError(f"the setting {key} must be a {type(default).__name__}, not {value!r}") from None
    _validate(key, value)
    ws.set_setting(key, value)


def _bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if str(value).lower() in ("1", "true", "yes", "on"):
        return True
    if str(value).lower() in ("0", "false", "no", "off"):
        return False
    raise ValueError(value)


def _validate(key: str, value: Any) -> None:
    """Build the domain object the setting feeds, so its own rules decide what is valid."""
    from desktop.domain.tickets import TidFormat
    from desktop.domain.timers import AcceptanceSettings, AutoCloseSettings

    try:
        if key == "autoclose.unit":
            AutoCloseSettings(unit=value)
        elif key == "autoclose.after_days":
            AutoCloseSettings(close_after_days=value, reminder_before_days=None)
        elif key == "autoclose.reminder_before_days" and value not in (None, 0):
            AutoCloseSettings(reminder_before_days=value, close_after_days=value + 1)
        elif key.startswith("acceptance.") and key != "acceptance.window_days":
            AcceptanceSettings(**{key.split(".", 1)[1]: value})
        elif key == "acceptance.window_days":
            AcceptanceSettings(window_days=value)
        elif key == "tid.prefix":
            TidFormat(prefix=value)
        elif key == "tid.width":
            TidFormat(width=value)
        elif key == "mail.language" and value not in ("ru", "en"):
            raise ValueError("use ru or en")
    except Exception as exc:
        raise ConfigError(f"the setting {key} cannot be {value!r}: {exc}") from None
