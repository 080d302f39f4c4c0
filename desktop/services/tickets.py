"""Ticket use cases (R-TICKET-1..8): the only path by which tickets change.

Each public function opens one unit of work, checks the lifecycle rule, applies the change,
writes history, refreshes the SLA deadlines and — where the regulation says the client is told —
queues the notification in the outbox, all in one transaction. ``expected_version`` lets a caller
that showed the ticket to a person refuse to overwrite someone else's newer change (R-TEAM-2).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop.domain.lifecycle import move_ticket, ticket_start
from desktop.domain.tickets import (
    REOPENABLE,
    Category,
    Channel,
    Direction,
    Flag,
    Priority,
    Status,
    status_words,
)
from desktop.errors import NotFound, ValidationError
from desktop.services.clients import identify_client
from desktop.services.upkeep import deadlines
from desktop.services.upkeep.history import record
from desktop.services.upkeep.lookup import get_ticket, load_for_change, touch
from desktop.services.upkeep.outgoing import (
    notify_client,
    notify_reason,
    reason_reply_text,
    reply_in,
)
from desktop.services.workspace import Workspace
from desktop.store.models import (
    Agent,
    Client,
    Department,
    Message,
    Plan,
    ReasonRow,
    SlaPause,
    Ticket,
    WorkLog,
)
from desktop.store.sequences import next_value


@dataclass(frozen=True)
class NewTicket:
    """What is known when a ticket is opened (by mail, by hand, by the demo)."""

    subject: str
    requester: str
    received_at: datetime
    text: str = ""
    requester_name: str = ""
    channel: Channel = Channel.EMAIL
    category: Category = Category.OTHER
    priority: Priority = Priority.NORMAL
    department: str | None = "technical"
    client_id: int | None = None
    written_only: bool = False


# --- creation --------------------------------------------------------------------------------


def create_ticket_in(session: Session, ws: Workspace, new: NewTicket, actor: str | None = None) -> Ticket:
    """Open a ticket inside the caller's transaction (mail ingest batches many in one)."""
    now = ws.now()
    client = session.get(Client, new.client_id) if new.client_id else identify_client(session, new.requester)
    dept = None
    if new.department:
        dept = session.scalar(select(Department).where(Department.code == new.department))
    ticket = new_ticket_row(session, ws, new, client=client, plan=_plan_for(session, client), department=dept)
    session.add(ticket)
    session.flush()
    record(session, ticket, now, actor or ws.actor, "created", channel=new.channel.value)
    deadlines.refresh(session, ws, ticket)
    return ticket


def new_ticket_row(
    session: Session,
    ws: Workspace,
    new: NewTicket,
    *,
    client: Client | None,
    plan: Plan | None,
    department: Department | None,
    number: int | None = None,
    archived: bool = False,
) -> Ticket:
    """The row of a new ticket with its number drawn, not yet added to the session.

    :func:`create_ticket_in` is the way for one ticket; this is its first half for a caller that
    opens many tickets in one transaction and looked the client, plan and department up once
    for all of them (mail ingest). Such a caller adds the row, writes the ``created`` history
    line once the row has its id, and sets the deadlines (``deadlines.refresh_new``). It may
    also draw the ``number`` itself (holding the counter's row for its transaction). An
    ``archived`` ticket is what a mailbox held before it was connected: the lifecycle starts it
    closed (:func:`~desktop.domain.lifecycle.ticket_start`).
    """
    now = ws.now()
    start = ticket_start(new.received_at, archived=archived)
    if number is None:
        number = next_value(session, "tid")
    fmt = ws.tid_format(session)
    flags: list[str] = []
    if client is None:
        flags.append(Flag.CLIENT_NOT_IDENTIFIED.value)
    if new.written_only:
        flags.append(Flag.WRITTEN_CONFIRMATION_REQUIRED.value)
    return Ticket(
        number=number,
        tid=fmt.format(number),
        subject=new.subject.strip(),
        requester=new.requester.strip().lower(),
        requester_name=new.requester_name,
        client_id=client.id if client else None,
        plan_id=plan.id if plan else None,
        channel=new.channel.value,
        department_id=department.id if department else None,
        category=new.category.value,
        priority=new.priority.value,
        priority_rank=0 if (client and (client.priority_support or (plan and plan.priority_support))) else 1,
        status=start.status.value,
        closed_at=start.closed_at,
        archived=archived,
        flags=flags,
        written_only=new.written_only,
        received_at=new.received_at,
        last_client_message_at=new.received_at,
        last_message_at=new.received_at,
        created_at=now,
        updated_at=now,
    )


def _plan_for(session: Session, client: Client | None) -> Plan | None:
    if client is not None and client.plan_id is not None:
        return session.get(Plan, client.plan_id)
    return session.scalar(select(Plan).where(Plan.code == "free"))


def log_contact(
    ws: Workspace,
    *,
    channel: Channel,
    requester: str,
    subject: str,
    text: str,
    requester_name: str = "",
    client_id: int | None = None,
    account_change: bool = False,
    category: Category = Category.CONSULTATION,
) -> str:
    """Log a phone or chat consultation by hand (R-TICKET-8).

    A request to change an account made by phone or chat is accepted only in writing, so such a
    ticket is marked and the agent is reminded to ask for a written confirmation.
    """
    if channel not in (Channel.PHONE, Channel.CHAT, Channel.PORTAL):
        raise ValidationError("only phone, chat and portal contacts are logged by hand")
    if not subject.strip():
        raise ValidationError("a logged contact needs a subject")
    with ws.db.session() as s:
        now = ws.now()
        ticket = create_ticket_in(
            s,
            ws,
            NewTicket(
                subject=subject,
                requester=requester,
                requester_name=requester_name,
                received_at=now,
                text=text,
                channel=channel,
                category=category,
                department="consultations",
                client_id=client_id,
                written_only=account_change,
            ),
        )
        add_message_in(
            s, ws, ticket, Direction.NOTE, text=text, subject=subject, received_at=now, author=ws.actor
        )
        return ticket.tid


def add_message_in(
    session: Session,
    ws: Workspace,
    ticket: Ticket,
    direction: Direction,
    *,
    text: str,
    subject: str = "",
    received_at: datetime | None = None,
    from_addr: str = "",
    from_name: str = "",
    author: str | None = None,
    threaded_by: str = "manual",
    **fields: Any,
) -> Message:
    now = ws.now()
    msg = Message(
        ticket_id=ticket.id,
        direction=direction.value,
        text=text,
        subject=subject or ticket.subject,
        received_at=received_at or now,
        from_addr=from_addr,
        from_name=from_name,
        author=author,
        threaded_by=threaded_by,
        created_at=now,
        **fields,
    )
    session.add(msg)
    ticket.last_message_at = max(ticket.last_message_at or msg.received_at, msg.received_at)
    if direction is Direction.INCOMING:
        ticket.last_client_message_at = msg.received_at
    session.flush()
    return msg


# --- lifecycle -------------------------------------------------------------------------------


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
            _assign(s, ws, t, agent)
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
            _set_department(s, ws, t, to_department)
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


def assign(ws: Workspace, tid: str, login: str | None, *, expected_version: int | None = None) -> None:
    with ws.db.session() as s:
        t = load_for_change(s, ws, tid, expected_version)
        agent = None
        if login:
            agent = s.scalar(select(Agent).where(Agent.login == login))
            if agent is None:
                raise NotFound("there is no agent {login!r}", login=login)
        _assign(s, ws, t, agent)


def _assign(session: Session, ws: Workspace, ticket: Ticket, agent: Agent | None) -> None:
    old = session.get(Agent, ticket.assignee_id) if ticket.assignee_id else None
    if (old.id if old else None) == (agent.id if agent else None):
        return
    ticket.assignee_id = agent.id if agent else None
    touch(ticket, ws.now())
    record(
        session, ticket, ws.now(), ws.actor, "assign", "assignee",
        old.login if old else None, agent.login if agent else None,
    )


def _set_department(session: Session, ws: Workspace, ticket: Ticket, code: str) -> None:
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
                _set_department(s, ws, t, str(value))
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


# --- merge and split -------------------------------------------------------------------------


def merge(ws: Workspace, duplicate_tid: str, into_tid: str, *, notify: bool = True) -> None:
    """Merge a duplicate into the original: every message moves over (R-TICKET-5)."""
    with ws.db.session() as s:
        dup, orig = get_ticket(s, ws, duplicate_tid), get_ticket(s, ws, into_tid)
        if dup.id == orig.id:
            raise ValidationError("a ticket cannot be merged into itself")
        if Status(orig.status) is Status.DUPLICATE:
            raise ValidationError("{tid} is itself a duplicate; merge into its original", tid=orig.tid)
        if notify:  # told first, so the notice moves over with the rest of the thread
            notify_reason(s, ws, dup, "duplicate", reply_to=orig)
        s.flush()
        moved = s.scalars(select(Message).where(Message.ticket_id == dup.id)).all()
        for m in moved:
            m.ticket_id = orig.id
        dup.duplicate_of_id = orig.id
        dup.reason_code = "duplicate"
        set_status_in(s, ws, dup, Status.DUPLICATE, ws.actor, into=orig.tid)
        record(s, orig, ws.now(), ws.actor, "merge", None, dup.tid, orig.tid, messages=len(moved))
        times = [m.received_at for m in moved if m.direction == Direction.INCOMING.value]
        if times:
            orig.last_client_message_at = max([orig.last_client_message_at or times[0], *times])
        orig.flags = [f for f in orig.flags if f != Flag.POSSIBLE_DUPLICATE.value]
        touch(orig, ws.now())
        s.flush()
        s.expire(orig, ["messages"])


def split(ws: Workspace, tid: str, message_ids: Sequence[int], subject: str | None = None) -> str:
    """Move the selected messages into a new ticket (one question per ticket, R-TICKET-5)."""
    if not message_ids:
        raise ValidationError("choose the messages that make the new ticket")
    with ws.db.session() as s:
        src = get_ticket(s, ws, tid)
        msgs = s.scalars(
            select(Message).where(Message.id.in_(list(message_ids))).order_by(Message.received_at)
        ).all()
        if len(msgs) != len(set(message_ids)) or any(m.ticket_id != src.id for m in msgs):
            raise ValidationError("every chosen message must belong to {tid}", tid=src.tid)
        total = s.scalar(select(func.count()).select_from(Message).where(Message.ticket_id == src.id))
        if total == len(msgs):
            raise ValidationError("at least one message must stay in the original ticket")
        first = msgs[0]
        new = create_ticket_in(
            s,
            ws,
            NewTicket(
                subject=subject or first.subject or src.subject,
                requester=first.from_addr or src.requester,
                requester_name=first.from_name or src.requester_name,
                received_at=first.received_at,
                channel=Channel(src.channel),
                category=Category(src.category),
                priority=Priority(src.priority),
                department=None,
                client_id=src.client_id,
            ),
        )
        new.department_id = src.department_id
        for m in msgs:
            m.ticket_id = new.id
            m.threaded_by = "split"
        record(s, src, ws.now(), ws.actor, "split", None, None, new.tid, messages=[m.id for m in msgs])
        record(s, new, ws.now(), ws.actor, "split_from", None, None, src.tid)
        touch(src, ws.now())
        deadlines.refresh(s, ws, new)
        return new.tid


def move_message(ws: Workspace, message_id: int, to_tid: str) -> None:
    """Move one misthreaded message to another ticket (R-MAIL-3)."""
    with ws.db.session() as s:
        msg = s.get(Message, message_id)
        if msg is None:
            raise NotFound("there is no message {message_id}", message_id=message_id)
        src = s.get(Ticket, msg.ticket_id)
        dst = get_ticket(s, ws, to_tid)
        if src is None or src.id == dst.id:
            return
        msg.ticket_id = dst.id
        msg.threaded_by = "moved"
        record(s, src, ws.now(), ws.actor, "move_out", None, None, dst.tid, message=message_id)
        record(s, dst, ws.now(), ws.actor, "move_in", None, src.tid, None, message=message_id)
        dst.flags = [f for f in dst.flags if f != Flag.THREAD_CONFIRM.value]


def tids(tickets: Iterable[Ticket]) -> list[str]:
    return [t.tid for t in tickets]
