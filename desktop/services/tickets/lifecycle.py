"""Status changes of a ticket (R-TICKET-3, R-SLA-3): take into work, ask, escalate, postpone,
refuse, resolve, close, reopen, and a client's reply bringing a ticket back.

Apart because a status change carries more than the status: the SLA pause starts or ends, the
closing timestamps move, the client is told and the deadlines are recomputed. Every change goes
through :func:`set_status_in`, which asks the domain's lifecycle (``move_ticket``) for the move.
``expected_version`` lets a caller that showed the ticket to a person refuse to overwrite
someone else's newer change (R-TEAM-2).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.domain.lifecycle import move_ticket
from desktop.domain.tickets import REOPENABLE, Direction, Status, status_words
from desktop.errors import ValidationError
from desktop.services.tickets.create import add_message_in
from desktop.services.tickets.fields import assign_in, set_department_in
from desktop.services.upkeep import deadlines
from desktop.services.upkeep.history import record
from desktop.services.upkeep.lookup import load_for_change, touch
from desktop.services.upkeep.outgoing import notify_client, reason_reply_text, reply_in
from desktop.services.workspace import Workspace
from desktop.store.models import ReasonRow, SlaPause, Ticket


def set_status_in(
    session: Session, ws: Workspace, ticket: Ticket, target: Status, actor: str, **details: Any
) -> None:
    now = ws.now()
    old = move_ticket(ticket, target)
    if old is Status.WAITING_CLIENT:
        _end_pause(session, ticket, now)
        ticket.waiting_since = None
        ticket.reminder_sent_at = None
    if target is Status.WAITING_CLIENT:
        session.add(SlaPause(ticket_id=ticket.id, started_at=now))
        ticket.waiting_since = now
    if target is Status.RESOLVED:
        ticket.resolved_at = now
    if target in (Status.CLOSED, Status.INACTIVE, Status.REFUSED, Status.DUPLICATE):
        ticket.closed_at = now
    if target is Status.IN_PROGRESS and old in REOPENABLE:
        ticket.closed_at = None
        ticket.resolved_at = None
    touch(ticket, now)
    record(session, ticket, now, actor, "status", "status", old.value, target.value, **details)
    session.flush()
    deadlines.refresh(session, ws, ticket)


def _end_pause(session: Session, ticket: Ticket, now: datetime) -> None:
    pause = session.scalar(
        select(SlaPause).where(SlaPause.ticket_id == ticket.id, SlaPause.ended_at.is_(None))
    )
    if pause is not None:
        pause.ended_at = now


def client_replied_in(session: Session, ws: Workspace, ticket: Ticket, at: datetime) -> None:
    """A client's message arrived: resume the clock, reopen within the window (R-TICKET-3)."""
    status = Status(ticket.status)
    if status is Status.WAITING_CLIENT:
        set_status_in(session, ws, ticket, Status.IN_PROGRESS, "mail", trigger="client_reply")
    elif status in REOPENABLE:
        window = timedelta(days=int(ws.setting("reopen.window_days", session)))
        ended = ticket.closed_at or ticket.resolved_at
        if ended is not None and at - ended <= window:
            set_status_in(session, ws, ticket, Status.IN_PROGRESS, "mail", trigger="client_reply_reopen")


def take_into_work(
    ws: Workspace, tid: str, *, notify: bool = True, expected_version: int | None = None
) -> None:
    """Take into work; with ``notify`` the client is told and the reaction clock stops (R-SLA-3)."""
    with ws.db.session() as s:
        t = load_for_change(s, ws, tid, expected_version)
        agent = ws.agent(s)
        if t.assignee_id is None:
            assign_in(s, ws, t, agent)
        set_status_in(s, ws, t, Status.IN_PROGRESS, ws.actor)
        t.taken_at = t.taken_at or ws.now()
        if notify:
            notify_client(s, ws, t, "taken", agent=agent.name)
            deadlines.refresh(s, ws, t)


def request_information(
    ws: Workspace, tid: str, text: str, *, expected_version: int | None = None
) -> None:
    """Ask the client for details: the reply goes out and the SLA clock pauses (waiting_client)."""
    if not text.strip():
        raise ValidationError("write what information you need from the client")
    with ws.db.session() as s:
        t = load_for_change(s, ws, tid, expected_version)
        reply_in(s, ws, t, text)
        set_status_in(s, ws, t, Status.WAITING_CLIENT, ws.actor)


def escalate(
    ws: Workspace, tid: str, *, to_department: str | None = None, note: str = "",
    expected_version: int | None = None,
) -> None:
    with ws.db.session() as s:
        t = load_for_change(s, ws, tid, expected_version)
        set_status_in(s, ws, t, Status.ESCALATED, ws.actor, note=note)
        if to_department:
            set_department_in(s, ws, t, to_department)
        if note.strip():
            add_message_in(s, ws, t, Direction.NOTE, text=note, author=ws.actor)


def _reason(session: Session, code: str, use: str) -> ReasonRow:
    reason = session.get(ReasonRow, code)
    if reason is None or not reason.active:
        raise ValidationError("unknown reason {code!r}; see the list of refusal reasons", code=code)
    if reason.use not in ("both", use):
        if use == "postpone":
            raise ValidationError("the reason {title!r} cannot be used to postpone a ticket", title=reason.title_en)
        raise ValidationError("the reason {title!r} cannot be used to refuse a ticket", title=reason.title_en)
    return reason


def postpone(
    ws: Workspace, tid: str, reason: str, *, note: str = "", reply: str | None = None,
    expected_version: int | None = None,
) -> None:
    _exit_with_reason(ws, tid, Status.POSTPONED, "postpone", reason, note, reply, expected_version)


def refuse(
    ws: Workspace, tid: str, reason: str, *, note: str = "", reply: str | None = None,
    expected_version: int | None = None,
) -> None:
    _exit_with_reason(ws, tid, Status.REFUSED, "refuse", reason, note, reply, expected_version)


def _exit_with_reason(
    ws: Workspace, tid: str, target: Status, use: str, code: str, note: str,
    reply: str | None, expected_version: int | None,
) -> None:
    """Postpone or refuse with a reason; the reason's template goes to the client unless the
    agent edited it (``reply``) or chose to send nothing (``reply=""``)."""
    with ws.db.session() as s:
        t = load_for_change(s, ws, tid, expected_version)
        r = _reason(s, code, use)
        text = reason_reply_text(s, ws, t, r) if reply is None else reply
        if text.strip():
            reply_in(s, ws, t, text)
        t.reason_code = r.code
        t.reason_note = note
        set_status_in(s, ws, t, target, ws.actor, reason=r.code, note=note)


def resolve(
    ws: Workspace, tid: str, *, summary: str = "", notify: bool = True,
    expected_version: int | None = None,
) -> None:
    with ws.db.session() as s:
        t = load_for_change(s, ws, tid, expected_version)
        set_status_in(s, ws, t, Status.RESOLVED, ws.actor, summary=summary)
        if notify:
            notify_client(
                s, ws, t, "resolved", summary=summary, password_reminder=t.password_reminder
            )


def close(ws: Workspace, tid: str, *, notify: bool = False, expected_version: int | None = None) -> None:
    with ws.db.session() as s:
        t = load_for_change(s, ws, tid, expected_version)
        set_status_in(s, ws, t, Status.CLOSED, ws.actor)
        if notify or t.password_reminder:
            notify_client(s, ws, t, "closed", password_reminder=t.password_reminder)


def reopen(ws: Workspace, tid: str, *, note: str = "", expected_version: int | None = None) -> None:
    with ws.db.session() as s:
        t = load_for_change(s, ws, tid, expected_version)
        if Status(t.status) not in REOPENABLE and Status(t.status) is not Status.POSTPONED:
            raise ValidationError("{tid} is {status} and need not be reopened", tid=t.tid, status=status_words(t.status))
        set_status_in(s, ws, t, Status.IN_PROGRESS, ws.actor, note=note, trigger="reopen")
