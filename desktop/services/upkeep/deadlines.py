"""Keeps a ticket's stored SLA deadlines in step with its facts, and answers "why".

Called by every use case that changes what a deadline depends on (creation, status, plan,
priority, first reply). The arithmetic is the domain's (``desktop.domain.sla``); this module
only gathers the stored facts — plan, calendar, received time, first reply, pauses.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop import times
from desktop.domain.calendar import WorkingCalendar
from desktop.domain.calendar_presets import preset
from desktop.domain.calendar_years import YearsKnown, unconfirmed_warning
from desktop.domain.sla import SlaState, Target, TargetKind, TicketClockFacts, deadline, ticket_sla
from desktop.domain.sla_explain import explain
from desktop.domain.sla_format import format_explanation
from desktop.domain.tickets import OPEN_STATUSES
from desktop.errors import ConfigError, NotFound
from desktop.services.upkeep.lookup import get_ticket
from desktop.services.workspace import Workspace
from desktop.store.models import Calendar, CalendarYear, Plan, SlaPause, Ticket


@lru_cache(maxsize=64)
def _calendar_from_json(spec: str) -> WorkingCalendar:
    return WorkingCalendar.from_dict(json.loads(spec))


def calendar_of(session: Session, plan: Plan | None) -> WorkingCalendar:
    """The plan's calendar (cached: its precomputed layout is what makes it fast)."""
    if plan is None:
        return preset("moscow_9_18")
    cal = session.get(Calendar, plan.calendar_id)
    if cal is None:
        raise ConfigError("the plan {code!r} refers to a calendar that does not exist", code=plan.code)
    try:
        return _calendar_from_json(json.dumps(cal.spec, sort_keys=True))
    except Exception as exc:  # a hand-edited calendar row: name it
        raise ConfigError("the calendar {code!r} is malformed: {exc}", code=cal.code, exc=exc) from None


def targets_of(plan: Plan | None, priority: str) -> tuple[Target, ...]:
    if plan is None:
        return ()
    raw: Any = (plan.targets or {}).get(priority) or (plan.targets or {}).get("normal") or []
    try:
        return tuple(Target.from_dict(t) for t in raw)
    except Exception as exc:
        raise ConfigError("the targets of plan {code!r} are malformed: {exc}", code=plan.code, exc=exc) from None


def ticket_targets(plan: Plan | None, ticket: Ticket) -> tuple[Target, ...]:
    """The targets the regulation sets this ticket. None for one imported from a mailbox's
    archive: that mail arrived before Reglament watched the mailbox, so no clock ran for it and
    none is counted against support."""
    if ticket.archived:
        return ()
    return targets_of(plan, ticket.priority)


def facts_of(session: Session, ticket: Ticket) -> TicketClockFacts:
    if ticket.id is None:  # not stored yet, so no pause can refer to it: spare the query
        pauses: list[tuple[datetime, datetime | None]] = []
    else:
        pauses = [
            (a, b)
            for a, b in session.execute(
                select(SlaPause.started_at, SlaPause.ended_at)
                .where(SlaPause.ticket_id == ticket.id)
                .order_by(SlaPause.started_at)
            )
        ]
    return TicketClockFacts(
        received_at=ticket.received_at,
        first_response_at=ticket.first_reply_at,
        resolved_at=ticket.resolved_at,
        pauses=tuple(pauses),
    )


def refresh(session: Session, ws: Workspace, ticket: Ticket) -> None:
    """Recompute ``reaction_due_at`` / ``resolution_due_at`` from the stored facts.

    While the ticket waits for the client the deadline is not known (it moves with the pause),
    so it is stored empty and the live state says "paused".
    """
    plan = session.get(Plan, ticket.plan_id) if ticket.plan_id else None
    _apply(ticket, plan, calendar_of(session, plan), facts_of(session, ticket))


def refresh_new(ticket: Ticket, plan: Plan | None, calendar: WorkingCalendar) -> None:
    """:func:`refresh` for a ticket being opened, whose plan and calendar the caller already
    holds (mail ingest looks them up once per batch): a new ticket has no pauses yet."""
    facts = TicketClockFacts(
        received_at=ticket.received_at,
        first_response_at=ticket.first_reply_at,
        resolved_at=ticket.resolved_at,
        pauses=(),
    )
    _apply(ticket, plan, calendar, facts)


def _apply(ticket: Ticket, plan: Plan | None, cal: WorkingCalendar, facts: TicketClockFacts) -> None:
    due: dict[str, datetime | None] = {"reaction": None, "resolution": None}
    for target in ticket_targets(plan, ticket):
        clock = facts.clock(target.kind)
        due[target.kind] = deadline(cal, clock.received_at, target.duration, clock.pauses, clock.stopped_at)
    ticket.reaction_due_at = due["reaction"]
    ticket.resolution_due_at = due["resolution"]


@dataclass(frozen=True)
class TicketSla:
    calendar: WorkingCalendar
    states: dict[TargetKind, SlaState]


def state_of(session: Session, ticket: Ticket, now: datetime) -> TicketSla:
    plan = session.get(Plan, ticket.plan_id) if ticket.plan_id else None
    cal = calendar_of(session, plan)
    return TicketSla(cal, ticket_sla(cal, ticket_targets(plan, ticket), facts_of(session, ticket), now))


def explain_deadline(ws: Workspace, tid: str, kind: TargetKind = "reaction", lang: str = "ru") -> str:
    """R-SLA-4a: a readable account of how the deadline was reached."""
    with ws.db.session() as s:
        t = get_ticket(s, ws, tid)
        if t.archived:
            raise NotFound("{tid} was imported from the mailbox's archive: it has no deadlines", tid=t.tid)
        plan = s.get(Plan, t.plan_id) if t.plan_id else None
        targets = {x.kind: x for x in targets_of(plan, t.priority)}
        if kind not in targets:
            raise NotFound("{tid} has no {kind} target on its plan", tid=t.tid, kind=kind)
        facts = facts_of(s, t)
        cal = calendar_of(s, plan)
        why = explain(cal, targets[kind], facts.clock(kind), ws.now())
        text = format_explanation(why, lang, times.viewer_tz())
        due = deadline(cal, facts.clock(kind).received_at, targets[kind].duration,
                       facts.clock(kind).pauses, facts.clock(kind).stopped_at)
        if due is not None and cal.ru_holidays and not cal.always_open:
            known = YearsKnown.of(s.scalars(select(CalendarYear.year)))
            years = range(facts.received_at.astimezone(cal.tz).year, due.astimezone(cal.tz).year + 1)
            unknown = [y for y in years if not known.confirmed(y)]
            if unknown:  # the deadline was counted on a guess of that year's holidays
                text += "\n\n⚠ " + unconfirmed_warning(unknown[0], lang)
        return text


def recompute_plan(session: Session, ws: Workspace, plan_id: int) -> int:
    """After a plan or calendar edit: refresh every open ticket on the plan."""
    rows = session.scalars(
        select(Ticket).where(Ticket.plan_id == plan_id, Ticket.status.in_([s.value for s in OPEN_STATUSES]))
    ).all()
    for t in rows:
        refresh(session, ws, t)
    return len(rows)
