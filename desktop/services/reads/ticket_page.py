"""The ticket page: everything the detail pane shows about one ticket, read at once.

The pane used to ask five questions in five sessions (the R-CLI JSON detail, the client card,
the HTML bodies, the work log, the countdowns): ~34 round trips per selected ticket, 0.76 s on a
team's PostgreSQL 20 ms away. Here one function reads it all in one session with a constant
handful of statements — the ticket with its plan, calendar, department, assignee, duplicate and
client in one join, then the messages with their attachments, the history, the work log, the
pauses and the client's addresses, each one statement for the whole ticket — six in all, whatever
the length of the thread (10 round trips with the session's own, ~0.21 s at 20 ms); a ticket
marked "possible duplicate" takes one or two more to name its likely original.

The page is frozen, typed data that crosses from the worker to the window as it is; the CLI's
``ticket show --json`` is :meth:`TicketPage.to_json` of the same read, so there is one read of a
ticket, not two that drift apart.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, exists, func, select
from sqlalchemy.orm import Session, aliased

from desktop.domain.sla import SlaState, TicketClockFacts, ticket_sla
from desktop.domain.sla_format import format_state
from desktop.domain.tickets import OPEN_STATUSES
from desktop.errors import NotFound
from desktop.mail.sanitize import sanitize_html
from desktop.services.reads import autoreply_counts
from desktop.services.reads.autoreply_counts import WINDOW as AUTOREPLY_WINDOW
from desktop.services.reads.autoreply_counts import AutoReplyCounts, counts_columns
from desktop.services.reads.queue import Countdown, pick_countdown, viewer_tz
from desktop.services.reads.ticket_acts import HAS_ACTS, NO_ACTS, TicketActs, read_ticket_acts
from desktop.services.tickets.duplicates import DuplicateCandidate, likely_original
from desktop.services.upkeep.deadlines import calendar_of, targets_of
from desktop.services.upkeep.lookup import get_ticket
from desktop.services.workspace import Workspace
from desktop.store import queue as q
from desktop.store.models import (
    Agent,
    Attachment,
    Calendar,
    Client,
    ClientAddress,
    Department,
    HistoryEvent,
    Message,
    Plan,
    SlaPause,
    Ticket,
    WorkLog,
)

_OPEN = tuple(sorted(s.value for s in OPEN_STATUSES))
_RUNNING = ("ok", "warning", "breached", "paused")


def iso(dt: datetime | None) -> str | None:
    return dt.isoformat() if dt is not None else None


# --- the page ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PageAttachment:
    filename: str
    size: int
    sha256: str
    content_type: str
    inline: bool

    def to_json(self) -> dict[str, Any]:
        return {"filename": self.filename, "size": self.size, "sha256": self.sha256,
                "content_type": self.content_type, "inline": self.inline}


@dataclass(frozen=True)
class PageMessage:
    """One message of the thread (or an internal note: ``direction == "note"``)."""

    id: int
    direction: str  # in | out | note
    sender: str  # the address, or the agent's login for a reply or note
    from_name: str
    to: tuple[str, ...]
    subject: str
    date: datetime | None  # as the sender dated it, else when it arrived
    received_at: datetime
    text: str
    has_html: bool
    attachments: tuple[PageAttachment, ...]
    threaded_by: str
    message_id: str | None
    seen_again: int = 0  # copies of it that came back since (a restored mailbox, R-MAIL-11)
    cc: tuple[str, ...] = ()
    bcc: tuple[str, ...] = ()  # our replies' blind copies: in the ticket, in no header

    @property
    def is_note(self) -> bool:
        return self.direction == "note"

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "direction": self.direction, "from": self.sender, "from_name": self.from_name,
                "to": list(self.to), "cc": list(self.cc), "bcc": list(self.bcc), "subject": self.subject,
                "date": iso(self.date), "received_at": iso(self.received_at), "text": self.text,
                "has_html": self.has_html, "attachments": [a.to_json() for a in self.attachments],
                "threaded_by": self.threaded_by, "message_id": self.message_id, "seen_again": self.seen_again}


@dataclass(frozen=True)
class HistoryLine:
    """One line of the audit trail (R-TICKET-6)."""

    at: datetime
    actor: str
    action: str
    field: str | None
    old: str | None
    new: str | None
    details: Mapping[str, Any]

    def to_json(self) -> dict[str, Any]:
        return {"at": iso(self.at), "actor": self.actor, "action": self.action, "field": self.field,
                "old": self.old, "new": self.new, "details": dict(self.details)}


@dataclass(frozen=True)
class ClientCard:
    """The client of a ticket as the agent needs it: plan, contract, is the service active."""

    name: str
    plan_en: str | None
    plan_ru: str | None
    contract_no: str | None
    contract_date: date | None
    active_until: date | None
    service_active: bool
    priority_support: bool
    inn: str | None
    address: str | None
    addresses: tuple[str, ...]
    open_tickets: int


@dataclass(frozen=True)
class WorkLine:
    at: datetime
    agent: str
    description: str
    minutes: int
    amount: str | None


#: Each running or finished SLA target of a ticket, reaction first: (kind, countdown).
Countdowns = tuple[tuple[str, Countdown], ...]


@dataclass(frozen=True)
class TicketPage:
    """A ticket as its page shows it. Times are aware UTC; the window shows them local."""

    id: int
    tid: str
    status: str
    subject: str
    requester: str
    requester_name: str
    client: str | None
    plan: str | None  # the ticket's plan's code
    plan_en: str | None
    plan_ru: str | None
    department: str | None
    assignee: str | None  # the agent's login
    channel: str
    category: str
    priority: str
    received_at: datetime
    reaction_due_at: datetime | None
    resolution_due_at: datetime | None
    paid: bool
    paid_reason: str
    flags: tuple[Any, ...]
    version: int
    reason: str | None
    duplicate_of: str | None
    written_only: bool
    password_reminder: bool
    archived: bool
    messages: tuple[PageMessage, ...]
    history: tuple[HistoryLine, ...]
    card: ClientCard | None
    #: Sanitized HTML bodies of the messages that have one (R-MAIL-8), by message id.
    html_bodies: Mapping[int, str]
    work: tuple[WorkLine, ...]
    countdowns: Countdowns
    #: The loop breaker's counts for the requester this hour (desktop.services.reads.autoreply_counts).
    autoreplies: AutoReplyCounts
    #: The likely original of a ticket marked "possible duplicate" (desktop.services.tickets.duplicates).
    duplicate_candidate: DuplicateCandidate | None = None
    #: Acts, rework countdowns and the paid flag in words (desktop.services.reads.ticket_acts).
    acts: TicketActs = NO_ACTS

    @property
    def thread(self) -> tuple[PageMessage, ...]:
        """The correspondence with the client, without internal notes."""
        return tuple(m for m in self.messages if not m.is_note)

    @property
    def notes(self) -> tuple[PageMessage, ...]:
        return tuple(m for m in self.messages if m.is_note)

    @property
    def newest_message_id(self) -> int:
        """The newest message of the correspondence: a reply written against an older one is a
        collision (someone answered meanwhile)."""
        return max((m.id for m in self.thread), default=0)

    def plan_name(self, lang: str) -> str | None:
        """The ticket's plan in the reader's language (Russian falls back to the English name)."""
        if self.plan_en is None:
            return None
        return (self.plan_ru or self.plan_en) if lang.startswith("ru") else self.plan_en

    def to_json(self) -> dict[str, Any]:
        """The R-CLI contract of ``reglament ticket show --json`` (keys and order as published)."""
        return {
            "tid": self.tid,
            "status": self.status,
            "subject": self.subject,
            "requester": self.requester,
            "client": self.client,
            "plan": self.plan,
            "department": self.department,
            "assignee": self.assignee,
            "channel": self.channel,
            "category": self.category,
            "priority": self.priority,
            "received_at": iso(self.received_at),
            "reaction_due_at": iso(self.reaction_due_at),
            "resolution_due_at": iso(self.resolution_due_at),
            "paid": self.paid,
            "paid_reason": self.paid_reason or None,
            "message_count": len(self.thread),
            "flags": list(self.flags),
            "version": self.version,
            "requester_name": self.requester_name,
            "plan_names": {"en": self.plan_en, "ru": self.plan_name("ru")} if self.plan_en is not None else None,
            "reason": self.reason,
            "duplicate_of": self.duplicate_of,
            "written_only": self.written_only,
            "password_reminder": self.password_reminder,
            "archived": self.archived,
            "messages": [m.to_json() for m in self.messages],
            "history": [h.to_json() for h in self.history],
            "autoreplies": self.autoreplies.to_json(),
            "duplicate_candidate": self.duplicate_candidate.to_json() if self.duplicate_candidate else None,
            **self.acts.to_json(),
        }


# --- the read ----------------------------------------------------------------------------------


def read_ticket_page(ws: Workspace, tid: str, lang: str = "en", now: datetime | None = None) -> TicketPage:
    """The whole page of ``tid`` at ``now`` (the workspace's clock by default), countdown texts in
    ``lang``. Raises ``NotFound`` for a ticket that does not exist."""
    now = now or ws.now()
    with ws.db.reading() as s:
        return _page(s, ws, tid, lang, now)


_DUPLICATE = aliased(Ticket, name="duplicate")
_ASSIGNEE = aliased(Agent, name="page_assignee")
_CLIENT_PLAN = aliased(Plan, name="client_plan")


#: Whether the ticket was ever paused, or has work logged: most have neither, and then neither
#: is read (like :data:`HAS_ACTS`; across a VPN each statement is a round trip).
_HAS_PAUSES = exists().where(SlaPause.ticket_id == Ticket.id).correlate(Ticket)
_HAS_WORK = exists().where(WorkLog.ticket_id == Ticket.id).correlate(Ticket)


def _head(key: Any, now: datetime) -> Select[Any]:
    """The ticket and everything it links to, in one statement: its plan and that plan's
    calendar (so the countdowns need no query of their own), the department's and assignee's
    codes, the original of a duplicate, the client with the client's plan, open tickets and mail
    addresses (one text, a line each: across a VPN a statement of its own costs a round trip)."""
    open_count = (
        select(func.count(Ticket.id))
        .where(Ticket.client_id == Client.id, Ticket.status.in_(_OPEN))
        .correlate(Client)
        .scalar_subquery()
    )
    addresses = (
        select(func.aggregate_strings(ClientAddress.value, "\n"))
        .where(ClientAddress.client_id == Client.id)
        .correlate(Client)
        .scalar_subquery()
    )
    sent, held, limit = *counts_columns(now - AUTOREPLY_WINDOW), autoreply_counts.limit_column()
    return (
        select(Ticket, Plan, Calendar, Department.code, _ASSIGNEE.login, _DUPLICATE.tid, Client,
               _CLIENT_PLAN, open_count, addresses, sent, held, HAS_ACTS, limit, _HAS_PAUSES, _HAS_WORK)
        .outerjoin(Plan, Plan.id == Ticket.plan_id)
        .outerjoin(Calendar, Calendar.id == Plan.calendar_id)
        .outerjoin(Department, Department.id == Ticket.department_id)
        .outerjoin(_ASSIGNEE, _ASSIGNEE.id == Ticket.assignee_id)
        .outerjoin(_DUPLICATE, _DUPLICATE.id == Ticket.duplicate_of_id)
        .outerjoin(Client, Client.id == Ticket.client_id)
        .outerjoin(_CLIENT_PLAN, _CLIENT_PLAN.id == Client.plan_id)
        .where(key)
    )


def read_ticket_page_of(ws: Workspace, ticket_id: int, lang: str = "en", now: datetime | None = None) -> TicketPage:
    """The page of the ticket with row id ``ticket_id`` (a queue row knows it before its text
    is read). Raises ``NotFound`` when the ticket is gone."""
    now = now or ws.now()
    with ws.db.reading() as s:
        row = s.execute(_head(Ticket.id == ticket_id, now)).first()
        if row is None:
            raise NotFound("the ticket is no longer there (merged or removed)")
        return _build(s, row, lang, now, autoreply_counts.limit_of(row[13]))


def _page(s: Session, ws: Workspace, tid: str, lang: str, now: datetime) -> TicketPage:
    row = s.execute(_head(Ticket.tid == tid.strip().strip("[]").upper(), now)).first()
    if row is None:  # a number typed another way, or under an older prefix: the lookup's rules
        row = s.execute(_head(Ticket.id == get_ticket(s, ws, tid).id, now)).one()
    return _build(s, row, lang, now, autoreply_counts.limit_of(row[13]))


def _build(s: Session, row: Sequence[Any], lang: str, now: datetime, autoreply_limit: int) -> TicketPage:
    """The page from its :func:`_head` row and the few statements for the rest."""
    t, plan, _calendar, department, assignee, duplicate_of, client, *_ = row
    messages = _messages(s, t.id)
    card = _card_of(row, now.date())
    pauses = tuple((a, b) for _tid, a, b in s.execute(q.PAUSES, {"ids": [t.id]})) if row[14] else ()
    return TicketPage(
        id=t.id, tid=t.tid, status=t.status, subject=t.subject, requester=t.requester,
        requester_name=t.requester_name, client=client.name if client is not None else None,
        plan=plan.code if plan is not None else None,
        plan_en=plan.name if plan is not None else None,
        plan_ru=plan.name_ru if plan is not None else None,
        department=department, assignee=assignee, channel=t.channel, category=t.category,
        priority=t.priority, received_at=t.received_at, reaction_due_at=t.reaction_due_at,
        resolution_due_at=t.resolution_due_at, paid=t.paid, paid_reason=t.paid_reason or "",
        flags=tuple(t.flags or ()), version=t.version, reason=t.reason_code, duplicate_of=duplicate_of,
        written_only=t.written_only, password_reminder=t.password_reminder, archived=t.archived,
        messages=tuple(m for m, _html in messages),
        history=_history(s, t.id),
        card=card,
        html_bodies={m.id: sanitize_html(body) for m, body in messages if body},
        work=_work(s, t.id) if row[15] else (),
        countdowns=_countdowns(s, t, plan, pauses, lang, now),
        autoreplies=AutoReplyCounts(t.requester or "", int(row[10] or 0), int(row[11] or 0), autoreply_limit),
        duplicate_candidate=likely_original(s, t) if "possible_duplicate" in (t.flags or ()) else None,
        acts=read_ticket_acts(s, t, plan,
                              client.active_until if client is not None else None, lang, now, bool(row[12])),
    )


def _messages(s: Session, ticket_id: int) -> list[tuple[PageMessage, str | None]]:
    """The thread and notes in order, each with its attachments and raw HTML body: one
    statement (a message with several attachments comes once per attachment), however many
    messages there are."""
    order: list[Message] = []
    files: dict[int, list[PageAttachment]] = {}
    for m, a in s.execute(
        select(Message, Attachment)
        .outerjoin(Attachment, Attachment.message_id == Message.id)
        .where(Message.ticket_id == ticket_id)
        .order_by(Message.received_at, Message.id, Attachment.id)
    ):
        if m.id not in files:
            order.append(m)
            files[m.id] = []
        if a is not None:
            files[m.id].append(PageAttachment(a.filename, a.size, a.sha256, a.content_type, a.inline))
    return [
        (PageMessage(
            id=m.id, direction=m.direction, sender=m.from_addr or m.author or "", from_name=m.from_name,
            to=tuple(m.to_addrs or ()), subject=m.subject, date=m.sent_date or m.received_at,
            received_at=m.received_at, text=m.text, has_html=bool(m.html),
            attachments=tuple(files[m.id]), threaded_by=m.threaded_by, message_id=m.message_id,
            seen_again=m.seen_again or 0, cc=tuple(m.cc_addrs or ()), bcc=tuple(m.bcc_addrs or ()),
        ), m.html)
        for m in order
    ]


def _history(s: Session, ticket_id: int) -> tuple[HistoryLine, ...]:
    return tuple(
        HistoryLine(e.at, e.actor, e.action, e.field, e.old, e.new, e.details)
        for e in s.scalars(
            select(HistoryEvent).where(HistoryEvent.ticket_id == ticket_id).order_by(HistoryEvent.at, HistoryEvent.id)
        )
    )


def _work(s: Session, ticket_id: int) -> tuple[WorkLine, ...]:
    return tuple(
        WorkLine(w.at, w.agent_login, w.description, w.minutes, None if w.amount is None else str(w.amount))
        for w in s.scalars(select(WorkLog).where(WorkLog.ticket_id == ticket_id).order_by(WorkLog.at, WorkLog.id))
    )


def _card_of(head: Sequence[Any], today: date) -> ClientCard | None:
    """The client card from a :func:`_head` row (None when the sender is not a known client)."""
    c, plan, open_tickets, addresses = head[6], head[7], int(head[8] or 0), head[9]
    if c is None:
        return None
    return ClientCard(
        name=c.name,
        plan_en=plan.name if plan else None,
        plan_ru=plan.name_ru if plan else None,
        contract_no=c.contract_no,
        contract_date=c.contract_date,
        active_until=c.active_until,
        service_active=(c.active_from is None or c.active_from <= today)
        and (c.active_until is None or c.active_until >= today),
        priority_support=c.priority_support or bool(plan and plan.priority_support),
        inn=c.inn,
        address=c.address,
        addresses=tuple(sorted(addresses.split("\n"))) if addresses else (),
        open_tickets=open_tickets,
    )


def _countdowns(s: Session, t: Ticket, plan: Plan | None,
                pauses: tuple[tuple[datetime, datetime | None], ...], lang: str, now: datetime) -> Countdowns:
    """Each SLA target of the ticket at ``now`` (the header shows them all). No clock runs for a
    ticket without a plan or from a mailbox's archive, as the queue's ``SlaBook.states`` has it.
    The plan's calendar was loaded with the ticket, so ``calendar_of`` finds it in the session."""
    if plan is None or t.archived:
        return ()
    facts = TicketClockFacts(t.received_at, t.first_reply_at, t.resolved_at, pauses)
    states = ticket_sla(calendar_of(s, plan), targets_of(plan, t.priority), facts, now)
    return tuple((kind, _countdown(st, lang)) for kind in ("reaction", "resolution")
                 if (st := states.get(kind)) is not None)


def _countdown(st: SlaState, lang: str) -> Countdown:
    """A running clock as the queue's countdown cell says it; a finished one, how it went."""
    if st.status in _RUNNING:
        return pick_countdown({st.kind: st}, "", lang)
    return Countdown(st.status, format_state(st, lang, viewer_tz()), st.deadline)


# --- single parts, for a caller that needs only one ----------------------------------------------


def ticket_countdowns(ws: Workspace, tid: str, lang: str = "en", now: datetime | None = None) -> Countdowns:
    """The header's countdowns alone (the window's tick re-reads them every few seconds)."""
    now = now or ws.now()
    with ws.db.session() as s:
        row = s.execute(
            select(Ticket, Plan, Calendar)
            .outerjoin(Plan, Plan.id == Ticket.plan_id)
            .outerjoin(Calendar, Calendar.id == Plan.calendar_id)
            .where(Ticket.id == get_ticket(s, ws, tid).id)
        ).one()
        t, plan, _calendar = row
        pauses = tuple((a, b) for _tid, a, b in s.execute(q.PAUSES, {"ids": [t.id]}))
        return _countdowns(s, t, plan, pauses, lang, now)


def client_card(ws: Workspace, tid: str) -> ClientCard | None:
    """The client card of a ticket alone (None when the sender is not a known client)."""
    with ws.db.session() as s:
        now = ws.now()
        return _card_of(s.execute(_head(Ticket.id == get_ticket(s, ws, tid).id, now)).one(), now.date())


def work_log(ws: Workspace, tid: str) -> tuple[WorkLine, ...]:
    with ws.db.session() as s:
        return _work(s, get_ticket(s, ws, tid).id)


def message_html(ws: Workspace, message_ids: Iterable[int]) -> dict[int, str]:
    """The sanitized HTML bodies of messages that have one (R-MAIL-8: no scripts, no remote
    content); plain text stays the preferred rendering elsewhere."""
    ids = list(message_ids)
    if not ids:
        return {}
    with ws.db.session() as s:
        rows = s.execute(
            select(Message.id, Message.html).where(Message.id.in_(ids), Message.html.is_not(None))
        ).all()
    return {mid: sanitize_html(html) for mid, html in rows if html}
