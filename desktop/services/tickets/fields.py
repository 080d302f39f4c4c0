"""What an agent edits on a ticket besides its status: assignee, department, subject,
category and priority, the paid flag, flags, notes and logged work (R-TICKET-2, R-TICKET-7).

Apart from the lifecycle because none of these moves the ticket through its statuses or the
SLA clock; each still writes its history line and honours ``expected_version`` (R-TEAM-2).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.domain.tickets import Category, Direction, Flag, Priority
from desktop.errors import NotFound, ValidationError
from desktop.services.tickets.create import add_message_in
from desktop.services.upkeep import deadlines
from desktop.services.upkeep.history import record
from desktop.services.upkeep.lookup import get_ticket, load_for_change, touch
from desktop.services.workspace import Workspace
from desktop.store.models import Agent, Client, Department, Ticket, WorkLog


def assign(ws: Workspace, tid: str, login: str | None, *, expected_version: int | None = None) -> None:
    with ws.db.session() as s:
        t = load_for_change(s, ws, tid, expected_version)
        agent = None
        if login:
            agent = s.scalar(select(Agent).where(Agent.login == login))
            if agent is None:
                raise NotFound("there is no agent {login!r}", login=login)
        assign_in(s, ws, t, agent)


def assign_in(session: Session, ws: Workspace, ticket: Ticket, agent: Agent | None) -> None:
    old = session.get(Agent, ticket.assignee_id) if ticket.assignee_id else None
    if (old.id if old else None) == (agent.id if agent else None):
        return
    ticket.assignee_id = agent.id if agent else None
    touch(ticket, ws.now())
    record(
        session, ticket, ws.now(), ws.actor, "assign", "assignee",
        old.login if old else None, agent.login if agent else None,
    )


def set_department_in(session: Session, ws: Workspace, ticket: Ticket, code: str) -> None:
    dept = session.scalar(select(Department).where(Department.code == code))
    if dept is None:
        raise NotFound("there is no department {code!r}", code=code)
    old = session.get(Department, ticket.department_id) if ticket.department_id else None
    ticket.department_id = dept.id
    record(session, ticket, ws.now(), ws.actor, "change", "department", old.code if old else None, code)


def update_fields(
    ws: Workspace, tid: str, *, expected_version: int | None = None, **changes: Any
) -> None:
    """Change department, category, priority, client or the R-CRED-3 password reminder."""
    allowed = {"department", "category", "priority", "client_id", "password_reminder", "subject"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationError("cannot change {fields} this way", fields=', '.join(sorted(unknown)))
    with ws.db.session() as s:
        t = load_for_change(s, ws, tid, expected_version)
        now = ws.now()
        for key, value in changes.items():
            if key == "department":
                set_department_in(s, ws, t, str(value))
                continue
            if key == "category":
                value = Category(value).value
            if key == "priority":
                value = Priority(value).value
            if key == "client_id":
                client = s.get(Client, value) if value is not None else None
                if value is not None and client is None:
                    raise NotFound("there is no client with id {value}", value=value)
                t.plan_id = client.plan_id if client and client.plan_id else t.plan_id
                t.priority_rank = 0 if client and client.priority_support else 1
                flags = [f for f in t.flags if f != Flag.CLIENT_NOT_IDENTIFIED.value]
                if client is None:
                    flags.append(Flag.CLIENT_NOT_IDENTIFIED.value)
                t.flags = flags
            old = getattr(t, key)
            if old == value:
                continue
            setattr(t, key, value)
            record(s, t, now, ws.actor, "change", key, old, value)
        touch(t, now)
        deadlines.refresh(s, ws, t)


def set_paid(
    ws: Workspace, tid: str, paid: bool, reason: str = "", *, expected_version: int | None = None
) -> None:
    """The agent confirms or clears the paid flag (R-TICKET-7)."""
    if paid and not reason.strip():
        raise ValidationError("say why the work is paid")
    with ws.db.session() as s:
        t = load_for_change(s, ws, tid, expected_version)
        old = t.paid
        t.paid, t.paid_reason, t.paid_confirmed = paid, reason if paid else "", True
        t.flags = [f for f in t.flags if f != Flag.PAID_SUGGESTED.value]
        touch(t, ws.now())
        record(s, t, ws.now(), ws.actor, "paid", "paid", old, paid, reason=reason)


def set_flag(ws: Workspace, tid: str, flag: Flag, on: bool) -> None:
    """Set or clear a flag by hand, e.g. confirming a thread (``thread_confirm`` off)."""
    with ws.db.session() as s:
        t = get_ticket(s, ws, tid)
        flags = [f for f in t.flags if f != flag.value]
        if on:
            flags.append(flag.value)
        if flags != t.flags:
            t.flags = flags
            record(s, t, ws.now(), ws.actor, "flag", flag.value, not on, on)


def add_note(ws: Workspace, tid: str, text: str) -> None:
    if not text.strip():
        raise ValidationError("an empty note is not saved")
    with ws.db.session() as s:
        t = get_ticket(s, ws, tid)
        add_message_in(s, ws, t, Direction.NOTE, text=text, author=ws.actor)
        record(s, t, ws.now(), ws.actor, "note")


def log_work(
    ws: Workspace, tid: str, description: str, minutes: int, amount: str | None = None
) -> None:
    """Record work done (the lines of the acceptance act)."""
    from decimal import Decimal, InvalidOperation

    if not description.strip() or minutes < 0:
        raise ValidationError("work needs a description and a non-negative time")
    try:
        value = Decimal(amount) if amount not in (None, "") else None
    except InvalidOperation:
        raise ValidationError("{amount!r} is not an amount of money", amount=amount) from None
    with ws.db.session() as s:
        t = get_ticket(s, ws, tid)
        s.add(
            WorkLog(
                ticket_id=t.id, description=description.strip(), minutes=minutes,
                amount=value, agent_login=ws.actor, at=ws.now(),
            )
        )
        record(s, t, ws.now(), ws.actor, "work", minutes=minutes, description=description)
