"""What a change to the regulation would do to the open tickets, before it is made.

Saving a plan, a calendar or an imported production calendar recomputes the deadlines of every
open ticket counted on it; an administrator used to learn "14 open tickets recomputed" after
the fact. Here the same change is computed without being stored: for each open ticket whose
deadline moves, from which deadline to which, and whether it becomes breached or stops being
breached now. The window shows the table with Apply and Cancel; the command line's
``--dry-run`` prints it (``--json`` too). Read-only: nothing here writes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.domain.calendar import WorkingCalendar
from desktop.domain.calendar_days import NationalYear
from desktop.domain.sla import Target, TicketClockFacts, deadline
from desktop.domain.tickets import OPEN_STATUSES
from desktop.errors import ConfigError, NotFound
from desktop.services import regulation
from desktop.services.upkeep.deadlines import calendar_of, ticket_targets
from desktop.services.workspace import Workspace
from desktop.store.models import Calendar, Plan, SlaPause, Ticket


@dataclass(frozen=True)
class Move:
    """One deadline of one open ticket that the change moves."""

    tid: str
    subject: str
    plan: str
    kind: str  # reaction | resolution
    before: datetime | None
    after: datetime | None
    breached_before: bool
    breached_after: bool

    @property
    def change(self) -> str:
        """``breached`` (becomes breached), ``unbreached`` (stops being breached) or ``""``."""
        if self.breached_after and not self.breached_before:
            return "breached"
        if self.breached_before and not self.breached_after:
            return "unbreached"
        return ""

    def to_dict(self) -> dict[str, Any]:
        return {"tid": self.tid, "subject": self.subject, "plan": self.plan, "kind": self.kind,
                "before": None if self.before is None else self.before.isoformat(),
                "after": None if self.after is None else self.after.isoformat(),
                "breached_before": self.breached_before, "breached_after": self.breached_after,
                "change": self.change or None}


@dataclass(frozen=True)
class Moves:
    """The preview of one change: how many open tickets it recomputes and what moves."""

    checked: int
    moves: tuple[Move, ...]
    now: datetime

    @property
    def tickets_moved(self) -> int:
        return len({m.tid for m in self.moves})

    @property
    def becoming_breached(self) -> int:
        return sum(1 for m in self.moves if m.change == "breached")

    @property
    def no_longer_breached(self) -> int:
        return sum(1 for m in self.moves if m.change == "unbreached")

    def to_dict(self) -> dict[str, Any]:
        return {"open_tickets_recomputed": self.checked, "tickets_moved": self.tickets_moved,
                "becoming_breached": self.becoming_breached, "no_longer_breached": self.no_longer_breached,
                "now": self.now.isoformat(), "moves": [m.to_dict() for m in self.moves]}


#: A plan as the change would leave it: its targets by priority and its calendar.
Planned = tuple[dict[str, Any], WorkingCalendar]


def targets_in(targets: Mapping[str, Any], ticket: Ticket) -> tuple[Target, ...]:
    if ticket.archived:
        return ()
    raw = targets.get(ticket.priority) or targets.get("normal") or []
    return tuple(Target.from_dict(t) for t in raw)


def _dues(cal: WorkingCalendar, targets: Iterable[Target], facts: TicketClockFacts) -> dict[str, tuple[datetime | None, datetime | None]]:
    """Per target kind: (deadline, the instant the clock stopped or None)."""
    out: dict[str, tuple[datetime | None, datetime | None]] = {}
    for target in targets:
        clock = facts.clock(target.kind)
        out[target.kind] = (deadline(cal, clock.received_at, target.duration, clock.pauses, clock.stopped_at),
                            clock.stopped_at)
    return out


def _breached(due: datetime | None, stopped: datetime | None, now: datetime) -> bool:
    if due is None:
        return False
    return (stopped if stopped is not None and stopped <= now else now) > due


def moves_in(s: Session, now: datetime, planned: Mapping[int, Planned]) -> Moves:
    """Compare each open ticket's deadlines on its plan now with those on ``planned``."""
    found: list[Move] = []
    checked = 0
    for plan_id, (targets, cal) in planned.items():
        plan = s.get(Plan, plan_id)
        if plan is None:
            continue
        old_cal = calendar_of(s, plan)
        rows = list(s.scalars(select(Ticket).where(
            Ticket.plan_id == plan_id, Ticket.status.in_([x.value for x in OPEN_STATUSES])).order_by(Ticket.number)))
        pauses = pauses_of(s, [t.id for t in rows])
        for t in rows:
            checked += 1
            found.extend(compare(t, plan.code, (old_cal, ticket_targets(plan, t)), (cal, targets_in(targets, t)),
                                  facts_with(t, pauses.get(t.id, [])), now))
    return Moves(checked, tuple(found), now)


def pauses_of(s: Session, ids: list[int]) -> dict[int, list[tuple[datetime, datetime | None]]]:
    """The pauses of many tickets in a few queries (one per ticket was the cost of a preview)."""
    out: dict[int, list[tuple[datetime, datetime | None]]] = {}
    for i in range(0, len(ids), 500):
        for tid, a, b in s.execute(select(SlaPause.ticket_id, SlaPause.started_at, SlaPause.ended_at)
                                   .where(SlaPause.ticket_id.in_(ids[i:i + 500]))
                                   .order_by(SlaPause.ticket_id, SlaPause.started_at)):
            out.setdefault(tid, []).append((a, b))
    return out


def facts_with(t: Ticket, pauses: list[tuple[datetime, datetime | None]]) -> TicketClockFacts:
    return TicketClockFacts(received_at=t.received_at, first_response_at=t.first_reply_at,
                            resolved_at=t.resolved_at, pauses=tuple(pauses))


def compare(t: Ticket, plan_code: str, old: tuple[WorkingCalendar, tuple[Target, ...]],
             new: tuple[WorkingCalendar, tuple[Target, ...]], facts: TicketClockFacts, now: datetime) -> list[Move]:
    before, after = _dues(old[0], old[1], facts), _dues(new[0], new[1], facts)
    out = []
    for kind in ("reaction", "resolution"):
        (a, stop_a), (b, stop_b) = before.get(kind, (None, None)), after.get(kind, (None, None))
        if a != b:
            out.append(Move(t.tid, t.subject, plan_code, kind, a, b, _breached(a, stop_a, now), _breached(b, stop_b, now)))
    return out


def _preview(ws: Workspace, planned: Callable[[Session], Mapping[int, Planned]]) -> Moves:
    with ws.db.session() as s:
        result = moves_in(s, ws.now(), planned(s))
        s.rollback()  # nothing is changed; roll back what the lookups may have loaded
        return result


def _calendar_row(s: Session, code: str) -> Calendar:
    row = s.scalar(select(Calendar).where(Calendar.code == code))
    if row is None:
        raise NotFound("there is no calendar {code!r}", code=code)
    return row


def _calendar(spec: dict[str, Any], code: str) -> WorkingCalendar:
    try:
        return WorkingCalendar.from_dict(spec)
    except ConfigError:
        raise
    except Exception as exc:
        raise ConfigError("the calendar {code!r} is malformed: {exc}", code=code, exc=exc) from None


def preview_plan(
    ws: Workspace, code: str, *, calendar: str | None = None, reaction: dict[str, int] | None = None,
    resolution: dict[str, int | None] | None = None, warn_share: float | None = None,
) -> Moves:
    """What :func:`regulation.set_plan` with the same arguments would move."""
    def planned(s: Session) -> Mapping[int, Planned]:
        plan = s.scalar(select(Plan).where(Plan.code == code))
        if plan is None:
            raise NotFound("there is no plan {code!r}", code=code)
        cal = calendar_of(s, plan)
        if calendar is not None:
            row = s.scalar(select(Calendar).where(Calendar.code == calendar))
            if row is None:
                raise NotFound("there is no calendar {calendar!r}", calendar=calendar)
            cal = _calendar(row.spec, row.code)
        return {plan.id: (regulation.planned_targets(plan, reaction, resolution, warn_share), cal)}

    return _preview(ws, planned)


def preview_plan_record(ws: Workspace, record: regulation.PlanRecord) -> Moves:
    """What saving the settings dialog's plan form would move."""
    return preview_plan(ws, record.code, calendar=record.calendar,
                        reaction={p: int(m) for p, m in record.reaction.items() if m is not None},
                        resolution=dict(record.resolution), warn_share=record.warn_share)


def preview_calendars(ws: Workspace, specs: Callable[[Session], Mapping[str, dict[str, Any]]]) -> Moves:
    """What storing new specs (by calendar code) would move on every plan counted on them."""
    def planned(s: Session) -> Mapping[int, Planned]:
        out: dict[int, Planned] = {}
        for code, spec in specs(s).items():
            row = _calendar_row(s, code)
            cal = _calendar(spec, code)
            for plan in s.scalars(select(Plan).where(Plan.calendar_id == row.id)):
                out[plan.id] = (dict(plan.targets or {}), cal)
        return out

    return _preview(ws, planned)


def preview_calendar(ws: Workspace, code: str, spec: dict[str, Any]) -> Moves:
    """What :func:`regulation.save_calendar` (or the dialog's save) would move."""
    return preview_calendars(ws, lambda s: {code: spec})


def preview_calendar_day(ws: Workspace, code: str, day: date, working: bool | None) -> Moves:
    """A company exception added (``working`` True/False) or taken off (None)."""
    def specs(s: Session) -> Mapping[str, dict[str, Any]]:
        spec = dict(_calendar_row(s, code).spec)
        if working is None:
            return {code: regulation.spec_without_day(spec, code, day)}
        return {code: regulation.spec_with_day(spec, day, working)}

    return preview_calendars(ws, specs)


def spec_with_national(spec: dict[str, Any], years: Iterable[NationalYear]) -> dict[str, Any] | None:
    """A calendar's spec with imported years laid over the package's; None for a calendar that
    does not follow Russia's holidays (24/7, or holidays switched off)."""
    if spec.get("always_open") or not spec.get("ru_holidays", True):
        return None
    national = dict(spec.get("national") or {})
    for year in years:
        national[str(year.year)] = year.to_dict()
    return {**spec, "national": dict(sorted(national.items()))}


def preview_national(ws: Workspace, years: Iterable[NationalYear]) -> Moves:
    """What importing production-calendar years into every calendar would move."""
    wanted = tuple(years)

    def specs(s: Session) -> Mapping[str, dict[str, Any]]:
        out: dict[str, dict[str, Any]] = {}
        for row in s.scalars(select(Calendar).order_by(Calendar.id)):
            new = spec_with_national(dict(row.spec), wanted)
            if new is not None:
                out[row.code] = new
        return out

    return preview_calendars(ws, specs)
