"""The ticket page's commercial side: its acceptance and bilateral acts, the rework agreed on a
refusal with each item's countdown (R-ACT-3), and the paid flag or suggestion said in words
(R-TICKET-7).

Read in one statement (acts with their rework items) inside the ticket page's own session, and
kept apart from :mod:`desktop.services.reads.ticket_page` so that page stays about the thread.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from desktop.domain.calendar import WorkingCalendar
from desktop.domain.lifecycle import OPEN_ACT_STATUSES
from desktop.domain.paid import explain_paid
from desktop.domain.rework import ReworkClock, rework_clock, rework_text
from desktop.domain.tickets import Flag
from desktop.services.upkeep.deadlines import calendar_of
from desktop.store.models import Act, Plan, ReworkItem, Ticket

_OPEN_ACTS = frozenset(s.value for s in OPEN_ACT_STATUSES)


def _iso(dt: datetime | None) -> str | None:
    return dt.isoformat() if dt is not None else None


@dataclass(frozen=True)
class ActLine:
    """One act of the ticket as the page lists it."""

    number: str
    kind: str  # acceptance | bilateral
    status: str
    act_date: date
    sent_at: datetime | None
    expires_at: datetime | None
    has_pdf: bool
    has_docx: bool
    refusal_reasons: tuple[str, ...]

    @property
    def open(self) -> bool:
        """Still awaiting the client's answer (it can be sent, accepted or refused)."""
        return self.status in _OPEN_ACTS

    def to_json(self) -> dict[str, Any]:
        return {"number": self.number, "kind": self.kind, "status": self.status,
                "date": self.act_date.isoformat(), "sent_at": _iso(self.sent_at),
                "expires_at": _iso(self.expires_at), "refusal_reasons": list(self.refusal_reasons)}


@dataclass(frozen=True)
class ReworkLine:
    """One rework item agreed in a bilateral act, with its countdown at the time of reading."""

    id: int
    act: str  # the bilateral act's number
    description: str
    deadline_at: datetime
    done_at: datetime | None
    state: str  # ok | warning | breached | done | done_late
    text: str  # the countdown in the reader's language

    @property
    def done(self) -> bool:
        return self.done_at is not None

    def at(self, now: datetime, lang: str) -> ReworkLine:
        """The same item's countdown at ``now`` (the window's tick, without a read)."""
        clock = rework_clock(self.deadline_at, self.done_at, now)
        return replace(self, state=clock.status, text=rework_text(clock, lang))

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "act": self.act, "description": self.description,
                "deadline_at": _iso(self.deadline_at), "done_at": _iso(self.done_at), "state": self.state}


@dataclass(frozen=True)
class TicketActs:
    acts: tuple[ActLine, ...] = ()
    rework: tuple[ReworkLine, ...] = ()
    #: Why the work is (or is suggested as) paid, desktop.domain.paid.PaidBasis, and in words.
    paid_basis: str | None = None
    paid_words: str = ""

    @property
    def latest(self) -> ActLine | None:
        return self.acts[-1] if self.acts else None

    @property
    def open_acceptance(self) -> ActLine | None:
        """The acceptance act awaiting the client, which can be refused."""
        return next((a for a in reversed(self.acts) if a.kind == "acceptance" and a.open), None)

    @property
    def rework_open(self) -> tuple[ReworkLine, ...]:
        return tuple(r for r in self.rework if not r.done)

    def at(self, now: datetime, lang: str) -> TicketActs:
        return replace(self, rework=tuple(r.at(now, lang) for r in self.rework)) if self.rework else self

    def to_json(self) -> dict[str, Any]:
        return {"paid_basis": self.paid_basis, "acts": [a.to_json() for a in self.acts],
                "rework": [r.to_json() for r in self.rework]}


NO_ACTS = TicketActs()

#: Whether the ticket has any act, as a column of the page's head statement: most tickets never
#: get one, and for them the acts are not asked for (a statement is a round trip across a VPN).
HAS_ACTS = exists().where(Act.ticket_id == Ticket.id).correlate(Ticket)


def read_ticket_acts(s: Session, t: Ticket, plan: Plan | None, active_until: date | None,
                     lang: str, now: datetime, has_acts: bool = True) -> TicketActs:
    """The ticket's acts and rework (one statement, none when ``has_acts`` says there are none)
    and its paid words, at ``now`` in ``lang``."""
    acts: dict[int, ActLine] = {}
    rework: list[ReworkLine] = []
    rows = s.execute(
        select(Act, ReworkItem).outerjoin(ReworkItem, ReworkItem.act_id == Act.id)
        .where(Act.ticket_id == t.id).order_by(Act.id, ReworkItem.deadline_at, ReworkItem.id)
    ) if has_acts else ()
    for act, item in rows:
        if act.id not in acts:
            acts[act.id] = ActLine(act.number, act.kind, act.status, act.act_date, act.sent_at, act.expires_at,
                                   bool(act.pdf_sha256), bool(act.docx_sha256), tuple(act.refusal_reasons or ()))
        if item is not None:
            clock: ReworkClock = rework_clock(item.deadline_at, item.done_at, now)
            rework.append(ReworkLine(item.id, act.number, item.description, item.deadline_at, item.done_at,
                                     clock.status, rework_text(clock, lang)))
    rework.sort(key=lambda r: (r.done, r.deadline_at, r.id))
    suggested = Flag.PAID_SUGGESTED.value in (t.flags or ())
    words = ""
    if t.paid or suggested:  # the plan's calendar only when there is something to say
        calendar = calendar_of(s, plan) if plan is not None else None
        words = explain_paid(
            t.paid_basis, t.paid_reason or "", lang,
            local_received=t.received_at.astimezone(calendar.tz) if calendar is not None else None,
            hours=_hours(calendar, lang), active_until=active_until)
    return TicketActs(tuple(acts.values()), tuple(rework), t.paid_basis, words)


def _hours(calendar: WorkingCalendar | None, lang: str) -> str:
    """The plan's hours, short: the weekdays and times with the zone, without the holiday notes."""
    if calendar is None:
        return ""
    text = calendar.describe(lang)
    return text if calendar.always_open else text[: text.find(")") + 1]
