"""Administration of the regulation: plans, calendars, workspace settings (R-SLA-1..2, R-UI-6).

Every change that moves deadlines recomputes the stored deadlines of the open tickets it
affects in the same transaction, so the queue's SQL sort never shows a stale order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from desktop import settings
from desktop.domain.calendar import WorkingCalendar
from desktop.domain.sla import PRIORITIES, Target
from desktop.errors import ConfigError, ConflictError, NotFound, ReglamentError, ValidationError
from desktop.services.upkeep.deadlines import recompute_plan
from desktop.services.workspace import Workspace
from desktop.settings import SettingRefused
from desktop.store.models import Calendar, CalendarYear, Plan


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
            imported = {str(y.year): y.days for y in s.scalars(select(CalendarYear).order_by(CalendarYear.year)) if y.days}
            if imported and cal.ru_holidays and not cal.always_open and not cal.national:
                # a calendar made after a production calendar was imported counts on it too
                cal = WorkingCalendar.from_dict({**cal.to_dict(), "national": imported})
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
            raise NotFound("there is no calendar {code!r}", code=code)
        spec = dict(row.spec)
    return save_calendar(ws, code, "", spec_with_day(spec, day, working))


def spec_with_day(spec: dict[str, Any], day: date, working: bool) -> dict[str, Any]:
    """A calendar's spec with one company exception added (it replaces one of the other kind)."""
    spec = dict(spec)
    add, other = ("working_days", "days_off") if working else ("days_off", "working_days")
    spec[add] = sorted({*spec.get(add, []), day.isoformat()})
    spec[other] = [d for d in spec.get(other, []) if d != day.isoformat()]
    return spec


def spec_without_day(spec: dict[str, Any], code: str, day: date) -> dict[str, Any]:
    """A calendar's spec with a company exception taken off; not one of them is NotFound."""
    text = day.isoformat()
    if text not in spec.get("days_off", []) and text not in spec.get("working_days", []):
        raise NotFound("{day} is not an exception of the calendar {code!r}", day=day.strftime('%d.%m.%Y'), code=code)
    return {**spec, "days_off": [d for d in spec.get("days_off", []) if d != text],
            "working_days": [d for d in spec.get("working_days", []) if d != text]}


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
            raise NotFound("there is no plan {code!r}", code=code)
        if calendar is not None:
            cal = s.scalar(select(Calendar).where(Calendar.code == calendar))
            if cal is None:
                raise NotFound("there is no calendar {calendar!r}", calendar=calendar)
            plan.calendar_id = cal.id
        plan.targets = planned_targets(plan, reaction, resolution, warn_share)
        if priority_support is not None:
            plan.priority_support = priority_support
        s.flush()
        return recompute_plan(s, ws, plan.id)


def planned_targets(
    plan: Plan, reaction: dict[str, int] | None, resolution: dict[str, int | None] | None, warn_share: float | None,
) -> dict[str, list[dict[str, Any]]]:
    """The plan's targets after a change, as :func:`set_plan` stores them (and the preview
    counts them): minutes per priority; ``None`` takes a resolution target off."""
    code = plan.code
    targets: dict[str, list[dict[str, Any]]] = {p: list((plan.targets or {}).get(p, [])) for p in PRIORITIES}
    for kind, values in (("reaction", reaction or {}), ("resolution", resolution or {})):
        for prio, minutes in values.items():
            if prio not in PRIORITIES:
                raise ValidationError("unknown priority {prio!r}; use {priorities}", prio=prio, priorities=', '.join(PRIORITIES))
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
            raise ValidationError("the plan {code!r} needs a reaction target for {prio} priority", code=code, prio=prio)
    return targets


def _share(existing: list[dict[str, Any]]) -> float:
    return float(existing[0].get("warn_share", 0.75)) if existing else 0.75


def get_setting(ws: Workspace, key: str) -> Any:
    """A declared setting's value in its type; an unknown key is refused with the known ones."""
    return ws.setting(settings.declared(key))


def set_setting(ws: Workspace, key: str, value: Any) -> None:
    """Store a workspace setting after checking it against its declaration and the domain's
    rules, so a bad value is refused by name (SettingRefused) and never stored."""
    setting = settings.declared(key)
    typed = _checked(setting, value)
    if key in REGULATION_KEYS:
        others = _readable_others(ws, key)
        if others is not None:
            _check_together({**others, key: typed}, [key])
    ws.set_setting(setting, typed)


def _readable_others(ws: Workspace, key: str) -> dict[str, Any] | None:
    """The other regulation settings, to check a new value with; None while one of them is
    itself a bad stored value (named when the workspace opens): repairing one must not wait
    for the other, and the other's repair is checked with this one in full."""
    out: dict[str, Any] = {}
    with ws.db.session() as s:
        for other in REGULATION_KEYS:
            if other == key:
                continue
            try:
                out[other] = ws.setting(other, s)
            except ConfigError:
                return None
    return out


#: The regulation's own numbers, as the settings dialog's Regulation tab edits them, in its
#: order (the executor's details and the TID and act formats stay with ``reglament settings``).
REGULATION: tuple[settings.Setting[Any], ...] = (
    settings.AUTOCLOSE_DAYS, settings.AUTOCLOSE_UNIT, settings.AUTOCLOSE_REMINDER_DAYS,
    settings.ACCEPTANCE_DAYS, settings.ACCEPTANCE_UNIT, settings.ACCEPTANCE_POLICY,
    settings.REOPEN_DAYS,
    settings.AUTOREPLY_PER_HOUR, settings.ACK_HISTORY_HOURS, settings.MAIL_LANGUAGE,
    settings.ESCALATION_LEAD_PERCENT, settings.ESCALATION_AWAY_MINUTES,
)
REGULATION_KEYS = tuple(s.key for s in REGULATION)


def regulation_settings(ws: Workspace) -> dict[str, Any]:
    """The current values of :data:`REGULATION_KEYS`; also what a save is checked against."""
    with ws.db.session() as s:
        return {key: ws.setting(key, s) for key in REGULATION_KEYS}


def save_regulation_settings(ws: Workspace, values: dict[str, Any], expected: dict[str, Any]) -> list[str]:
    """Store the changed ones among ``values``, each checked like ``reglament settings set``;
    all or nothing. A value someone else changed since ``expected`` was read is refused, so
    two administrators never overwrite each other unknowingly. Returns the keys stored."""
    current = regulation_settings(ws)
    changed = [key for key in REGULATION_KEYS if key in values and values[key] != expected.get(key)]
    for key in changed:
        if current[key] != expected.get(key):
            raise ConflictError(
                "the setting {key} was changed meanwhile (it is now {value!r}); "
                "check it and save again", key=key, value=current[key])
    merged = {**current, **{key: _checked(settings.declared(key), values[key]) for key in changed}}
    _check_together(merged, changed)  # every value is checked, alone and with the others, first
    # Stored together in one transaction: one key at a time through set_setting would check
    # each against a half-changed set and refuse a change that is valid as a whole.
    with ws.db.session() as s:
        for key in changed:
            ws.set_setting(key, merged[key], s)
    return changed


def _check_together(values: dict[str, Any], changed: list[str]) -> None:
    """The timers' settings as the timers will build them: a reminder that would go out after
    the ticket closed is refused here, not found later by the timers."""
    from desktop.domain.timers import AcceptanceSettings, AutoCloseSettings

    checks = (
        (("autoclose.after_days", "autoclose.unit", "autoclose.reminder_before_days"),
         lambda: AutoCloseSettings(close_after_days=values["autoclose.after_days"],
                                   unit=values["autoclose.unit"],
                                   reminder_before_days=values["autoclose.reminder_before_days"] or None)),
        (("acceptance.window_days", "acceptance.unit", "acceptance.policy"),
         lambda: AcceptanceSettings(window_days=values["acceptance.window_days"],
                                    unit=values["acceptance.unit"], policy=values["acceptance.policy"])),
    )
    for keys, build in checks:
        try:
            build()
        except ReglamentError as exc:
            key = next((k for k in keys if k in changed), keys[0])
            raise SettingRefused("the setting {key} cannot be {value!r}: {exc}", key=key, value=values[key], exc=exc) from None


def checked_value(setting: settings.Setting[Any], value: Any) -> Any:
    """The value in its declared type, then through the rules of a floor the declarations
    cannot reach (an act number must come out of the pattern): what ``settings set`` and the
    Settings window both check."""
    return _checked(setting, value)


def _checked(setting: settings.Setting[Any], value: Any) -> Any:
    """The value in its declared type, then through the rules of a floor the declarations
    cannot reach (an act number must come out of the pattern)."""
    typed = setting.check(value)
    if setting is settings.ACT_NUMBER_PATTERN:
        from desktop.acts.model import format_act_number

        try:
            format_act_number(typed, 1, date(2026, 1, 1))
        except ReglamentError as exc:
            raise SettingRefused("the setting {key} cannot be {value!r}: {exc}", key=setting.key, value=value, exc=exc) from None
    return typed


# --- the settings dialog (R-UI-6): whole-record reads and edits checked against what was read ---


@dataclass(frozen=True)
class PlanRecord:
    """A plan as the settings dialog edits it; minutes per priority, None = no target.

    Also the snapshot a save is checked against: plans carry no version column, so "changed
    meanwhile" is "differs from what the dialog read"."""

    code: str
    name: str
    name_ru: str
    calendar: str
    priority_support: bool
    warn_share: float
    reaction: dict[str, int | None]
    resolution: dict[str, int | None]


def plan_records(ws: Workspace) -> list[PlanRecord]:
    with ws.db.session() as s:
        return [_plan_record(p) for p in s.scalars(select(Plan).options(selectinload(Plan.calendar))
                                                   .order_by(Plan.position, Plan.id))]


def _plan_record(p: Plan) -> PlanRecord:
    minutes: dict[str, dict[str, int | None]] = {"reaction": {}, "resolution": {}}
    share = 0.75
    for prio in PRIORITIES:
        found = {t["kind"]: t for t in (p.targets or {}).get(prio, [])}
        for kind in minutes:
            t = found.get(kind)
            minutes[kind][prio] = int(t["seconds"]) // 60 if t else None
            if t:
                share = float(t.get("warn_share", share))
    return PlanRecord(code=p.code, name=p.name, name_ru=p.name_ru or "", calendar=p.calendar.code,
                      priority_support=p.priority_support, warn_share=share,
                      reaction=minutes["reaction"], resolution=minutes["resolution"])


def save_plan(ws: Workspace, record: PlanRecord, expected: PlanRecord | None = None) -> int:
    """Store an edited plan through :func:`set_plan` (the CLI's ``plan-set``), so the open
    tickets' deadlines are recomputed the same way; returns how many were.

    Refused with a ConflictError when the stored plan differs from ``expected`` (someone saved
    it meanwhile); the caller keeps the edits and may save again over the new state."""
    name = record.name.strip()
    if not name:
        raise ValidationError("a plan needs a name")
    for prio in PRIORITIES:
        if record.reaction.get(prio) is None:
            raise ValidationError("the plan {name!r} needs a reaction time for {prio} priority", name=name, prio=prio)
        for kind, values in (("reaction", record.reaction), ("resolution", record.resolution)):
            minutes = values.get(prio)
            if minutes is not None and minutes <= 0:
                raise ValidationError("the {kind} time for {prio} priority must be longer than zero", kind=kind, prio=prio)
    if not 0 < record.warn_share <= 1:
        raise ValidationError("the warning share must be above 0% and at most 100% of the target")
    if expected is not None:
        with ws.db.session() as s:
            row = s.scalar(select(Plan).where(Plan.code == record.code))
            if row is None:
                raise NotFound("there is no plan {code!r}; someone removed it meanwhile", code=record.code)
            if _plan_record(row) != expected:
                raise ConflictError(
                    "the plan {name!r} was changed by someone else while you edited it; "
                    "your changes are still in the form — look at theirs and save again to replace them", name=expected.name
                )
    recomputed = set_plan(
        ws, record.code, calendar=record.calendar,
        reaction={p: int(m) for p, m in record.reaction.items() if m is not None},
        resolution=dict(record.resolution), warn_share=record.warn_share,
        priority_support=record.priority_support,
    )
    with ws.db.session() as s:
        row = s.scalar(select(Plan).where(Plan.code == record.code))
        if row is not None:
            row.name, row.name_ru = name, record.name_ru.strip()
    return recomputed


@dataclass(frozen=True)
class CalendarRecord:
    code: str
    name: str
    spec: dict[str, Any]
    plans: tuple[str, ...]  # codes of the plans counted on this calendar


def calendar_records(ws: Workspace) -> list[CalendarRecord]:
    with ws.db.session() as s:
        users: dict[int, list[str]] = {}
        for plan in s.scalars(select(Plan).order_by(Plan.position)):
            users.setdefault(plan.calendar_id, []).append(plan.code)
        return [CalendarRecord(c.code, c.name, _normal(c.spec), tuple(users.get(c.id, ())))
                for c in s.scalars(select(Calendar).order_by(Calendar.id))]


def _normal(spec: dict[str, Any]) -> dict[str, Any]:
    """A stored spec in its canonical form, so comparing two is comparing meanings."""
    try:
        return WorkingCalendar.from_dict(spec).to_dict()
    except ReglamentError:
        return dict(spec)  # a hand-broken row still compares as stored; saving it will say why


_CODE = re.compile(r"^[a-z0-9_][a-z0-9_.-]{0,49}$")


def save_calendar_record(
    ws: Workspace, code: str, name: str, spec: dict[str, Any], expected: CalendarRecord | None = None,
    *, new: bool = False,
) -> int:
    """Create (``new``) or edit a calendar through :func:`save_calendar`; returns how many open
    tickets were recomputed. An edit is refused when the stored calendar is no longer
    ``expected`` (changed elsewhere meanwhile)."""
    code, name = code.strip(), name.strip()
    if not _CODE.match(code):
        raise ValidationError(
            "{code!r} cannot be a calendar code: use lower-case latin letters, digits and _ (e.g. office_9_18)", code=code
        )
    if not name:
        raise ValidationError("a calendar needs a name")
    WorkingCalendar.from_dict(spec)  # the domain's plain words for a bad zone or interval
    with ws.db.session() as s:
        row = s.scalar(select(Calendar).where(Calendar.code == code))
        if new and row is not None:
            raise ValidationError("a calendar with the code {code!r} already exists", code=code)
        if not new and row is None:
            raise NotFound("there is no calendar {code!r}; someone removed it meanwhile", code=code)
        if row is not None and expected is not None and (row.name, _normal(row.spec)) != (expected.name, expected.spec):
            raise ConflictError(
                "the calendar {name!r} was changed by someone else while you edited it; "
                "your changes are still in the form — look at theirs and save again to replace them", name=expected.name
            )
    return save_calendar(ws, code, name, spec)


def remove_calendar_day(ws: Workspace, code: str, day: date) -> int:
    """Take a company exception (day off or extra working day) off a calendar."""
    with ws.db.session() as s:
        row = s.scalar(select(Calendar).where(Calendar.code == code))
        if row is None:
            raise NotFound("there is no calendar {code!r}", code=code)
        spec = dict(row.spec)
    return save_calendar(ws, code, "", spec_without_day(spec, code, day))


@dataclass(frozen=True)
class HolidayDay:
    day: date
    working: bool  # True: a Saturday/Sunday made working by the government's transfer
    name: str


def ru_holidays(year: int, lang: str = "ru", ws: Workspace | None = None) -> list[HolidayDay]:
    """The Russian public holidays and transfers of a year the calendars count on — the
    ``holidays`` package's, or the production calendar imported for that year (given ``ws``) —
    so an administrator sees what the calendars already know before adding exceptions."""
    cal = WorkingCalendar.weekly("09:00-18:00")
    if ws is not None:
        with ws.db.session() as s:
            row = s.get(CalendarYear, year)
            if row is not None and row.days:
                cal = WorkingCalendar.from_dict({**cal.to_dict(), "national": {str(year): row.days}})
    out: list[HolidayDay] = []
    d = date(year, 1, 1)
    while d.year == year:
        info = cal.day(d)
        if info.kind == "holiday":
            out.append(HolidayDay(d, False, (info.name_ru if lang == "ru" else info.name_en) or ""))
        elif info.kind == "transferred_working":
            out.append(HolidayDay(d, True, "рабочий день (перенос)" if lang == "ru" else "working day (transfer)"))
        d += timedelta(days=1)
    return out
