"""A queue row's facts and its countdown: the plans' SLA book and what the countdown cell says.

Countdowns are computed from a row's stored facts with the domain's SLA arithmetic, so the
window can refresh the visible ones every few seconds without a query. The book (every plan's
calendar and targets) is read once per refresh: plans are few and rarely change.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.domain.calendar import WorkingCalendar
from desktop.domain.rework import rework_clock, rework_text
from desktop.domain.sla import (
    PRIORITIES,
    SlaState,
    Target,
    TicketClockFacts,
    sla_state,
    ticket_sla,
)
from desktop.domain.sla_format import format_countdown, format_state
from desktop.domain.tickets import Status
from desktop.services.upkeep.deadlines import calendar_of, targets_of
from desktop.services.workspace import Workspace
from desktop.store import queue as q
from desktop.store.models import Plan
from desktop.times import viewer_tz


@dataclass(frozen=True)
class QueueRow:
    """One queue line: what the columns show plus the facts its countdown needs."""

    id: int
    tid: str
    subject: str
    requester: str
    requester_name: str
    client: str | None
    plan_id: int | None
    plan_en: str | None
    plan_ru: str | None
    status: str
    department_en: str | None
    department_ru: str | None
    assignee_login: str | None
    assignee_name: str | None
    received_at: datetime
    priority: str
    priority_rank: int
    flags: tuple[str, ...]
    paid: bool
    first_reply_at: datetime | None
    resolved_at: datetime | None
    channel: str
    version: int
    pauses: tuple[tuple[datetime, datetime | None], ...] = ()
    archived: bool = False  # from the mailbox's archive: no clock (deadlines.ticket_targets)
    #: The soonest deadline of rework still to do on a refused act (R-ACT-3), if any.
    rework_due: datetime | None = None

    def facts(self) -> TicketClockFacts:
        return TicketClockFacts(self.received_at, self.first_reply_at, self.resolved_at, self.pauses)


@dataclass(frozen=True)
class Countdown:
    """What the countdown cell shows: a state (for the colour), a text and the deadline."""

    state: str  # ok | warning | breached | paused | met | missed | none
    text: str
    deadline: datetime | None = None
    #: Of a running clock: the share of its target already used (working time, pauses
    #: excluded), so rows of plans with different targets can be compared at a glance.
    share: float | None = None


#: How far back start-up builds the calendars' layouts: the open queue's oldest tickets.
WARM_BACK = timedelta(days=400)


@dataclass
class SlaBook:
    """Every plan's calendar and targets, loaded once per refresh (plans are few)."""

    calendars: dict[int, WorkingCalendar] = field(default_factory=dict)
    targets: dict[tuple[int, str], tuple[Target, ...]] = field(default_factory=dict)

    def states(self, row: QueueRow, now: datetime) -> dict[Any, SlaState] | None:
        """The row's SLA targets at ``now``; None when no clock runs for it at all (no plan, or
        from a mailbox's archive, as :func:`deadlines.ticket_targets` has it)."""
        if row.plan_id is None or row.plan_id not in self.calendars or row.archived:
            return None
        targets = self.targets.get((row.plan_id, row.priority), ())
        return ticket_sla(self.calendars[row.plan_id], targets, row.facts(), now)

    def countdown(self, row: QueueRow, now: datetime, lang: str = "en") -> Countdown:
        """The row's one countdown; a target is walked only when the row shows it (a ticket
        still awaiting its first reply shows its reaction clock: its resolution is not
        needed), which halves the SLA arithmetic of a screen of new tickets."""
        if row.plan_id is None or row.plan_id not in self.calendars or row.archived:
            cd = Countdown("none", "")
        else:
            cd = pick_countdown(_LazyStates(self.calendars[row.plan_id],
                                            self.targets.get((row.plan_id, row.priority), ()),
                                            row.facts(), now), row.status, lang)
        return with_rework(cd, row.rework_due, now, lang)

    def warm(self, now: datetime) -> None:
        """Build each calendar's working-time layout from a year back to now (and load the
        holiday rules it needs: ~0.1 s on the first use in a process), so the countdowns the
        agent waits for — the first screen, a ticket received months ago — are plain look-ups.
        Start-up calls it while the workspace opens, off the GUI thread."""
        for calendar in self.calendars.values():
            calendar.add(now - WARM_BACK, timedelta(minutes=1))
            calendar.add(now, timedelta(minutes=1))

    def thresholds(self, now: datetime) -> list[q.WarnThreshold]:
        """For each plan, priority and target: the latest deadline already in the warning zone."""
        out = []
        for (plan_id, priority), targets in self.targets.items():
            cal = self.calendars[plan_id]
            for t in targets:
                warn_amount = timedelta(microseconds=math.ceil((t.duration // _US) * t.warn_share))
                out.append(q.WarnThreshold(plan_id, priority, t.kind, cal.add(now, t.duration - warn_amount)))
        return out


class _LazyStates(dict[Any, SlaState]):
    """A ticket's targets' states, each computed the first time it is asked for."""

    def __init__(self, cal: WorkingCalendar, targets: tuple[Target, ...], facts: TicketClockFacts,
                 now: datetime) -> None:
        super().__init__()
        self._todo = {t.kind: t for t in targets}
        self._cal, self._facts, self._now = cal, facts, now

    def get(self, kind: Any, default: Any = None) -> Any:
        target = self._todo.pop(kind, None)
        if target is not None:
            self[kind] = sla_state(self._cal, target, self._facts.clock(target.kind), self._now)
        return super().get(kind, default)


_US = timedelta(microseconds=1)
#: The states of a clock still running (the others say how a finished target went).
RUNNING = ("ok", "warning", "breached", "paused")


def pick_countdown(states: dict[Any, SlaState], status: str, lang: str) -> Countdown:
    """The one countdown a queue row shows: the running clock (reaction before resolution);
    for a finished ticket, how its reaction went."""
    for kind in ("reaction", "resolution"):
        st = states.get(kind)
        if st is not None and st.status in RUNNING:
            share = st.used / st.target if st.target else None
            return Countdown(st.status, countdown_text(st, lang), st.deadline, share)
    if status == Status.WAITING_CLIENT.value:
        return Countdown("paused", format_state_paused(lang))
    for kind in ("resolution", "reaction"):
        st = states.get(kind)
        if st is not None:
            return Countdown(st.status, format_state(st, lang, viewer_tz()), st.deadline)
    return Countdown("none", "")


def with_rework(cd: Countdown, rework_due: datetime | None, now: datetime, lang: str) -> Countdown:
    """The row's countdown, or its rework's when that is due sooner or no SLA clock runs: agreed
    rework is tracked like an SLA deadline (R-ACT-3) and says it is rework."""
    if rework_due is None:
        return cd
    if cd.state in ("ok", "warning", "breached") and cd.deadline is not None and cd.deadline <= rework_due:
        return cd
    clock = rework_clock(rework_due, None, now)
    label = "доработка" if lang.startswith("ru") else "rework"
    return Countdown(clock.status, f"{label} · {rework_text(clock, lang)}", rework_due)



def format_state_paused(lang: str) -> str:
    return "ожидание клиента" if lang.startswith("ru") else "waiting for client"


def countdown_text(st: SlaState, lang: str) -> str:
    """A running clock in words; a paused one says how much will be left when it resumes."""
    if st.status == "paused":
        left = format_countdown(st.remaining, lang)
        return (f"пауза · осталось {left}" if lang.startswith("ru")
                else f"paused · {left} left")
    return format_state(st, lang, viewer_tz())


def load_sla_book(session: Session) -> SlaBook:
    book = SlaBook()
    for plan in session.scalars(select(Plan)).all():
        book.calendars[plan.id] = calendar_of(session, plan)
        for priority in PRIORITIES:
            targets = targets_of(plan, priority)
            if targets:
                book.targets[(plan.id, priority)] = targets
    return book


def sla_book(ws: Workspace) -> SlaBook:
    with ws.db.reading() as s:
        return load_sla_book(s)
