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
from desktop.mail.compose import is_mail_address
from desktop.services.clients import identify_client, normalise_address
from desktop.services.tickets.client_link import find_client, link_client_in
from desktop.services.tickets.create import add_message_in
from desktop.services.tickets.paid import resuggest_in
from desktop.services.upkeep import deadlines
from desktop.services.upkeep.history import record
from desktop.services.upkeep.lookup import get_ticket, load_for_change, touch
from desktop.services.workspace import Workspace
from desktop.store.models import Agent, Client, Department, Plan, Ticket, WorkLog


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
    if old is not None and old.id == dept.id:
        return
    if not dept.active:
        raise ValidationError("the department {code!r} is retired; choose one in use", code=code)
    ticket.department_id = dept.id
    record(session, ticket, ws.now(), ws.actor, "change", "department", old.code if old else None, code)


#: What :func:`update_fields` changes (``client`` by name, ``client_id`` by row id).
EDITABLE = frozenset({"department", "category", "priority", "client", "client_id", "requester",
                      "password_reminder", "subject"})


def update_fields(
    ws: Workspace, tid: str, *, expected_version: int | None = None, **changes: Any
) -> list[str]:
    """Change department, category, priority, client, requester, subject or the R-CRED-3
    password reminder; returns the fields that really changed.

    ``client`` is a client's name or ``None`` (no client: the ticket is marked "client not
    identified" again). The plan, the queue rank, the paid suggestion and both deadlines follow
    (``deadlines.refresh``; "why this deadline" is worked out from the same facts). A new
    requester on a ticket without a client attaches the requester's client when the address
    or its domain is known. Everything is refused together when one value is wrong.
    """
    unknown = set(changes) - EDITABLE
    if unknown:
        raise ValidationError("cannot change {fields} this way", fields=", ".join(sorted(unknown)))
    with ws.db.session() as s:
        t = load_for_change(s, ws, tid, expected_version)
        now = ws.now()
        changed: list[str] = []
        for key, value in changes.items():
            if key == "department":
                old_dept = t.department_id
                set_department_in(s, ws, t, str(value))
                if t.department_id != old_dept:
                    changed.append(key)
                continue
            if key in ("client", "client_id"):
                if _set_client(s, ws, t, key, value):
                    changed.append("client")
                continue
            if key == "requester":
                value = _checked_requester(str(value))
                if value != t.requester and "client" not in changes and "client_id" not in changes \
                        and t.client_id is None:
                    found = identify_client(s, value)
                    if found is not None and link_client_in(s, ws, t, found):
                        changed.append("client")
            value = _checked(key, value)
            old = getattr(t, key)
            if old == value:
                continue
            setattr(t, key, value)
            record(s, t, now, ws.actor, "change", key, old, value)
            changed.append(key)
        if changed:
            touch(t, now)
            deadlines.refresh(s, ws, t)
            if "priority" in changed and "client" not in changed:  # urgent work may now be paid
                plan = s.get(Plan, t.plan_id) if t.plan_id else None
                client = s.get(Client, t.client_id) if t.client_id else None
                resuggest_in(s, ws, t, client, deadlines.calendar_of(s, plan))
        return changed


def _set_client(s: Session, ws: Workspace, t: Ticket, key: str, value: Any) -> bool:
    if value is None or value == "":
        return link_client_in(s, ws, t, None)
    if key == "client":
        return link_client_in(s, ws, t, find_client(s, str(value)))
    client = s.get(Client, value)
    if client is None:
        raise NotFound("there is no client with id {value}", value=value)
    return link_client_in(s, ws, t, client)


def _checked_requester(value: str) -> str:
    address = normalise_address(value)
    if not is_mail_address(address):
        raise ValidationError("{address!r} is not an e-mail address", address=value)
    return address


def _checked(key: str, value: Any) -> Any:
    """A value as it is stored, or a plain refusal naming the allowed ones."""
    kinds: dict[str, Any] = {"category": Category, "priority": Priority}
    if key in kinds:
        try:
            return kinds[key](value).value
        except ValueError:
            allowed = ", ".join(v.value for v in kinds[key])
            raise ValidationError("{value!r} is not a {key}: use one of {allowed}",
                                  value=value, key=key, allowed=allowed) from None
    if key == "password_reminder":
        return bool(value)
    if key == "subject":
        text = str(value).strip()
        if not text:
            raise ValidationError("a ticket needs a subject")
        return text
    return value


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
