"""Paid or free work (R-TICKET-7): the suggestion made when a ticket opens or changes client,
and the agent's confirm, clear or mark-by-hand, each written to history in words.

Apart from the other fields because the suggestion is made in three places (a mail opening a
ticket, a logged call, an agent attaching or changing the client) and must follow the same
rules — :mod:`desktop.domain.paid` — in each.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.domain.calendar import WorkingCalendar
from desktop.domain.paid import PaidBasis, PaidFacts, PaidSuggestion, asks_urgency, suggest_paid
from desktop.domain.tickets import Direction, Flag, Priority
from desktop.errors import ValidationError
from desktop.services.upkeep.history import record
from desktop.services.upkeep.lookup import load_for_change, touch
from desktop.services.workspace import Workspace
from desktop.store.models import Client, Message, Ticket


def suggestion_for(ticket: Ticket, client: Client | None, calendar: WorkingCalendar,
                   text: str | None) -> PaidSuggestion | None:
    """What the rules suggest for ``ticket`` of ``client`` under its plan's ``calendar``, the
    client's first words being ``text`` (with the subject); an urgent priority counts as asked."""
    local = ticket.received_at.astimezone(calendar.tz)
    facts = PaidFacts(
        received_at=ticket.received_at, has_client=client is not None,
        active_until=client.active_until if client is not None else None,
        within_hours=calendar.is_working(ticket.received_at),
        urgent=ticket.priority == Priority.URGENT.value or asks_urgency(ticket.subject, text),
    )
    return suggest_paid(facts, local)


def apply_suggestion(ticket: Ticket, found: PaidSuggestion | None) -> bool:
    """Put ``found`` on a ticket no agent has decided yet (flag, reason, basis); returns whether
    a new suggestion appeared. An agent's decision is never overridden."""
    if ticket.paid_confirmed:
        return False
    had = Flag.PAID_SUGGESTED.value in (ticket.flags or ())
    flags = [f for f in (ticket.flags or ()) if f != Flag.PAID_SUGGESTED.value]
    if found is not None:
        flags.append(Flag.PAID_SUGGESTED.value)
    ticket.flags = flags
    ticket.paid_reason = found.reason if found else ""
    ticket.paid_basis = found.basis.value if found else None
    return found is not None and not had


def first_words(session: Session, ticket: Ticket) -> str | None:
    """The client's first message on the ticket (what the urgency is read from)."""
    return session.scalar(
        select(Message.text).where(Message.ticket_id == ticket.id, Message.direction == Direction.INCOMING.value)
        .order_by(Message.received_at, Message.id).limit(1))


def resuggest_in(session: Session, ws: Workspace, ticket: Ticket, client: Client | None,
                 calendar: WorkingCalendar, text: str | None = None) -> None:
    """Redo the suggestion after the client, plan or priority changed, with a history line when
    one appears (said in words: its basis and reason)."""
    if text is None:
        text = first_words(session, ticket)
    found = suggestion_for(ticket, client, calendar, text)
    if apply_suggestion(ticket, found) and found is not None:
        record(session, ticket, ws.now(), ws.actor, "paid_suggested", "paid", None, found.basis.value,
               reason=found.reason, basis=found.basis.value)


def set_paid(
    ws: Workspace, tid: str, paid: bool, reason: str = "", *, basis: str | None = None,
    expected_version: int | None = None,
) -> None:
    """The agent marks the work paid (with a reason) or free (R-TICKET-7); either way the
    suggestion is settled and the ticket's work is no longer re-suggested."""
    reason = reason.strip()
    if basis is not None:
        try:
            basis = PaidBasis(basis).value
        except ValueError:
            allowed = ", ".join(b.value for b in PaidBasis)
            raise ValidationError("{basis!r} is not a reason for paid work: use one of {allowed}",
                                  basis=basis, allowed=allowed) from None
    if paid and not reason and basis in (None, PaidBasis.OTHER.value, PaidBasis.UNRELATED.value):
        raise ValidationError("say why the work is paid")
    with ws.db.session() as s:
        t = load_for_change(s, ws, tid, expected_version)
        _decide(s, ws, t, paid, reason, basis or (PaidBasis.OTHER.value if paid else None))


def confirm_paid(ws: Workspace, tid: str, *, expected_version: int | None = None) -> str:
    """The agent agrees with the suggestion: the work is paid for the reason suggested.
    Returns the reason."""
    with ws.db.session() as s:
        t = load_for_change(s, ws, tid, expected_version)
        if Flag.PAID_SUGGESTED.value not in (t.flags or ()):
            raise ValidationError("nothing suggests that {tid} is paid work; mark it paid with a reason instead",
                                  tid=t.tid)
        reason = t.paid_reason or ""
        _decide(s, ws, t, True, reason, t.paid_basis or PaidBasis.OTHER.value, confirmed=True)
        return reason


def clear_paid(ws: Workspace, tid: str, reason: str = "", *, expected_version: int | None = None) -> None:
    """The work is free: a suggestion is dismissed, a paid mark taken off."""
    with ws.db.session() as s:
        t = load_for_change(s, ws, tid, expected_version)
        _decide(s, ws, t, False, reason.strip(), None)


def _decide(s: Session, ws: Workspace, t: Ticket, paid: bool, reason: str, basis: str | None,
            confirmed: bool = False) -> None:
    old, suggested = t.paid, t.paid_basis if Flag.PAID_SUGGESTED.value in (t.flags or ()) else None
    t.paid, t.paid_reason, t.paid_basis, t.paid_confirmed = paid, reason if paid else "", basis, True
    t.flags = [f for f in (t.flags or ()) if f != Flag.PAID_SUGGESTED.value]
    now: datetime = ws.now()
    touch(t, now)
    details: dict[str, object] = {"reason": reason}
    if basis:
        details["basis"] = basis
    if suggested:
        details["suggested"] = suggested
    if confirmed:
        details["confirmed"] = True
    record(s, t, now, ws.actor, "paid", "paid", old, paid, **details)
