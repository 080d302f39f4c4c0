"""Turning fetched mail into tickets (R-MAIL-3..6): the transaction the sync commits.

One call ingests one batch and moves the sync checkpoint in the same transaction, so a crash at
any point leaves either the whole batch and its checkpoint, or neither: after a restart the
batch is fetched again and nothing is lost or stored twice. Each message is identified by
(account, UIDVALIDITY, UID), and across a UIDVALIDITY change by its content hash.

Correlation order: a known TID in the subject (unless the sender has nothing to do with that
ticket — then it joins but is flagged for the agent to confirm), then In-Reply-To/References
against stored Message-IDs, else a new ticket. Each message records *why* it joined.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import Table, select, update
from sqlalchemy.orm import Session, make_transient_to_detached

from desktop.domain.calendar import WorkingCalendar
from desktop.domain.tickets import OPEN_STATUSES, REOPENABLE, Direction, Flag, Status
from desktop.mail.compose import is_mail_address
from desktop.mail.loops import should_suppress_autoreply
from desktop.mail.parse import ParsedMessage
from desktop.mail.subjects import (
    find_tids,
    is_meaningless_subject,
    subject_similarity,
)
from desktop.mail.templates import client_time
from desktop.services.background.mail_jobs import Intake, intake_one
from desktop.services.clients import normalise_address
from desktop.services.tickets.create import NewTicket, new_ticket_row
from desktop.services.tickets.lifecycle import client_replied_in
from desktop.services.upkeep.deadlines import calendar_of, refresh_new
from desktop.services.upkeep.history import history_values
from desktop.services.upkeep.outgoing import notification_rows, ticket_language
from desktop.services.workspace import Workspace
from desktop.store.bulk import column_default, insert_rows
from desktop.store.ids import IdBlock
from desktop.store.models import (
    Attachment,
    AutoReplyLog,
    Client,
    ClientAddress,
    Department,
    HistoryEvent,
    MailAccount,
    Message,
    OutboxItem,
    Plan,
    Quarantined,
    SyncState,
    Ticket,
)
from desktop.store.models import Sequence as Counter
from desktop.store.sequences import next_value

log = logging.getLogger("reglament.ingest")

DUPLICATE_WINDOW = timedelta(days=14)
DUPLICATE_SIMILARITY = 0.6


@dataclass(frozen=True)
class IncomingMail:
    """One fetched message: where it came from and when the mailbox got it."""

    uid: int | None
    internaldate: datetime
    raw: bytes


@dataclass
class IngestReport:
    new_tickets: list[str] = field(default_factory=list)
    joined: list[str] = field(default_factory=list)
    quarantined: int = 0
    skipped: int = 0
    acknowledged: int = 0
    archived: int = 0  # of new_tickets: imported closed from what the mailbox held before
    suppressed: dict[str, int] = field(default_factory=dict)

    def merge(self, other: IngestReport) -> None:
        self.new_tickets += other.new_tickets
        self.joined += other.joined
        self.quarantined += other.quarantined
        self.skipped += other.skipped
        self.acknowledged += other.acknowledged
        self.archived += other.archived
        for k, v in other.suppressed.items():
            self.suppressed[k] = self.suppressed.get(k, 0) + v


def ingest_batch(
    ws: Workspace,
    account_id: int | None,
    folder: str,
    uidvalidity: int | None,
    batch: Sequence[IncomingMail],
    checkpoint_uid: int | None = None,
    *,
    parsed: Callable[[], Sequence[Intake]] | None = None,
) -> IngestReport:
    """Store a batch and advance the checkpoint to ``checkpoint_uid``, atomically.

    The whole batch is one unit of work that flushes to the database a few times in all rather
    than several times per message: lookups the messages share (stored UIDs, content hashes,
    clients, recent tickets, recent acknowledgements) are made once for the batch, and what
    this batch has added but not yet flushed is known from :class:`_Batch`'s own indexes.

    ``parsed`` hands over the batch already parsed (in ``batch`` order, e.g. by a
    :class:`~desktop.services.background.mail_jobs.MailWorker` while the previous batch was stored).
    """
    report = IngestReport()
    with ws.db.session() as s, s.no_autoflush:
        ids = IdBlock(s)  # rows with their ids known go in many per statement (desktop.store.ids)
        account = s.get(MailAccount, account_id) if account_id is not None else None
        b = _Batch(s, ws, account, uidvalidity, report, ids)
        todo = b.not_stored(batch)
        if parsed is not None:
            done = dict(zip((id(m) for m in batch), parsed(), strict=True))
            results = [(mail, done[id(mail)]) for mail in todo]
        else:
            results = [(mail, intake_one(ws.blobs, mail.raw)) for mail in todo]
            ws.blobs.sync()  # the files on the disk before the rows referring to them commit
        b.prefetch([i.parsed for _, i in results if isinstance(i.parsed, ParsedMessage)],
                   [m.internaldate for m in todo])
        for mail, intake in results:
            _ingest_intake(b, mail, intake)
        b.settle()
        if account is not None:
            uids = [m.uid for m in batch if m.uid is not None]
            top = max([checkpoint_uid or 0, *uids])
            _checkpoint(s, ws, account.id, folder, uidvalidity, top)
    return report


def _own_addresses(s: Session) -> set[str]:
    return {a.lower() for a in s.scalars(select(MailAccount.email))}


def _checkpoint(s: Session, ws: Workspace, account_id: int, folder: str, uidvalidity: int | None, uid: int) -> None:
    state = s.scalar(select(SyncState).where(SyncState.account_id == account_id, SyncState.folder == folder))
    if state is None:
        state = SyncState(account_id=account_id, folder=folder, last_uid=0)
        s.add(state)
    if state.uidvalidity != uidvalidity:
        state.uidvalidity, state.last_uid = uidvalidity, 0
    state.last_uid = max(state.last_uid or 0, uid)
    state.last_sync_at = ws.now()
    state.last_error = None


class _Batch:
    """One batch's unit of work: what it added but has not flushed, and what it looked up once.

    The session runs without autoflush, so a query sees only what is stored; everything this
    batch added since is found in the indexes here (tickets by number, Message-IDs, senders
    per ticket, content hashes, recent tickets, acknowledgements). New tickets are ORM rows
    (their deadlines and flags come from the ticket rules); the append-only rows around them —
    messages, attachments, outbox items, history lines — wait in :class:`_Rows` with their ids
    already drawn and are inserted by :meth:`settle`, still inside the same transaction.
    """

    def __init__(self, s: Session, ws: Workspace, account: MailAccount | None, uidvalidity: int | None,
                 report: IngestReport, ids: IdBlock) -> None:
        self.s, self.ws, self.account, self.uidvalidity, self.report = s, ws, account, uidvalidity, report
        self.ids = ids
        self.rows = _Rows(ids)
        self.acc_id = account.id if account is not None else None
        #: Mail received before this moment was in the mailbox when it was connected, long
        #: enough ago to be history (setting ``mail.ack_history_hours``): it is imported as
        #: archived tickets — closed, no acknowledgement, no deadlines — as a help desk
        #: connected to an old mailbox should, instead of a breach for every old question.
        self.history_before: datetime | None = None
        if account is not None and account.created_at is not None:
            self.history_before = account.created_at - timedelta(
                hours=float(ws.setting("mail.ack_history_hours", s)))
        self.own = _own_addresses(s)
        self.fmt = ws.tid_format(s)
        self.by_number: dict[int, Ticket] = {}  # tickets opened in this batch
        self.known_numbers: dict[int, Ticket | None] = {}
        self.by_msgid: dict[str, tuple[int, Ticket]] = {}  # Message-ID → (order stored, ticket)
        self.senders: set[tuple[int, str]] = set()  # (id(ticket), sender) of messages in this batch
        self.hashes: set[str] = set()  # content hashes this account already has
        # Stored before this batch, looked up once for all its messages: the senders of the
        # tickets its subjects name, and the newest message (row id, ticket) with each
        # Message-ID its messages answer (None: no such message).
        self.participants: dict[int, set[str]] = {}
        self.stored_refs: dict[str, tuple[int, int] | None] = {}
        self.clients: dict[str, Client | None] = {}
        self.plans: dict[int | None, Plan | None] = {}
        self.calendars: dict[int | None, WorkingCalendar] = {}
        self.department: Department | bool | None = False  # False: not looked up yet
        self.fallback_account: MailAccount | bool | None = False
        # Open tickets a new one may duplicate, by requester and by client.
        self.recent_by: dict[tuple[str, object], list[_Recent]] = {}
        self.recent_ids: set[int] = set()
        self.recent_from: datetime | None = None
        self.autoreplies: dict[str, list[datetime]] = {}
        self.seq = 0
        self.last_number: int | None = None  # the TID counter as this batch has advanced it
        self.numbers_owed = False
        #: Tickets opened in this batch and not yet written (see :meth:`settle`).
        self.new_tickets: list[Ticket] = []

    # --- lookups made once per batch ----------------------------------------------------------

    def is_history(self, received_at: datetime) -> bool:
        return self.history_before is not None and received_at < self.history_before

    def not_stored(self, batch: Sequence[IncomingMail]) -> list[IncomingMail]:
        """The messages of ``batch`` not yet stored under their (account, UIDVALIDITY, UID)."""
        uids = [m.uid for m in batch if m.uid is not None]
        if self.acc_id is None or not uids:
            return list(batch)
        stored: set[int] = set()
        for model in (Message, Quarantined):
            for chunk in _chunks(uids):
                stored.update(self.s.scalars(select(model.uid).where(
                    model.account_id == self.acc_id, model.uidvalidity == self.uidvalidity,
                    model.uid.in_(chunk))))
        todo = [m for m in batch if m.uid is None or m.uid not in stored]
        self.report.skipped += len(batch) - len(todo)
        return todo

    def prefetch(self, parsed: list[ParsedMessage], received: list[datetime]) -> None:
        if self.acc_id is not None:
            # By the hash alone: with "account_id = ? AND content_hash IN …" SQLite's planner
            # picks the (account, uidvalidity, uid) index and scans every message of the account.
            for chunk in _chunks(sorted({p.content_hash for p in parsed})):
                self.hashes.update(h for h, acc in self.s.execute(
                    select(Message.content_hash, Message.account_id).where(Message.content_hash.in_(chunk)))
                    if h is not None and acc == self.acc_id)
        numbers = sorted({self.fmt.parse(t) for p in parsed
                          for t in find_tids(p.subject, self.fmt.prefix, self.fmt.width)} - set(self.known_numbers))
        for chunk in _chunks(numbers):
            found = {t.number: t for t in self.s.scalars(select(Ticket).where(Ticket.number.in_(chunk)))}
            self.known_numbers.update((n, found.get(n)) for n in chunk)
            ids = sorted(t.id for t in found.values())
            self.participants.update((i, set()) for i in ids)
            for ticket_id, sender in self.s.execute(select(Message.ticket_id, Message.from_addr).distinct().where(
                    Message.ticket_id.in_(ids), Message.direction == Direction.INCOMING.value)):
                self.participants[ticket_id].add(sender)
        wanted = sorted({i for p in parsed for i in (p.in_reply_to, *p.references) if i} - set(self.stored_refs))
        self.stored_refs.update((i, None) for i in wanted)
        for chunk in _chunks(wanted):
            for message_id, row_id, ticket_id in self.s.execute(select(
                    Message.message_id, Message.id, Message.ticket_id).where(Message.message_id.in_(chunk))):
                if message_id is None:
                    continue
                known = self.stored_refs.get(message_id)
                if known is None or row_id > known[0]:
                    self.stored_refs[message_id] = (row_id, ticket_id)
        self.identify([p.from_addr for p in parsed])
        if received:
            self._load_recent(min(received) - DUPLICATE_WINDOW, parsed)
        senders = sorted({p.from_addr for p in parsed})
        since = self.ws.now() - timedelta(hours=1)
        for chunk in _chunks(senders):
            for sender, at in self.s.execute(select(AutoReplyLog.sender, AutoReplyLog.sent_at).where(
                    AutoReplyLog.sender.in_(chunk), AutoReplyLog.sent_at >= since)):
                self.autoreplies.setdefault(sender, []).append(at)

    def identify(self, addresses: Sequence[str]) -> None:
        """:func:`identify_client` for many addresses in one query: the exact address wins, else
        the most specific domain (a sub-domain belongs to its parent's client)."""
        wanted = {a: normalise_address(a) for a in addresses if a not in self.clients}
        if not wanted:
            return
        values: set[str] = set()
        for addr in wanted.values():
            values.add(addr)
            parts = addr.rpartition("@")[2].split(".")
            values.update(".".join(parts[i:]) for i in range(len(parts) - 1))
        values.discard("")
        by_email: dict[str, ClientAddress] = {}
        by_domain: dict[str, ClientAddress] = {}
        for chunk in _chunks(sorted(values)):
            for row in self.s.scalars(select(ClientAddress).where(ClientAddress.value.in_(chunk))):
                if row.kind == "email":
                    by_email[row.value] = row
                elif row.kind == "domain":
                    by_domain[row.value] = row
        for original, addr in wanted.items():
            client: Client | None = None
            if addr:
                if addr in by_email:
                    client = by_email[addr].client
                else:
                    parts = addr.rpartition("@")[2].split(".")
                    hits = [by_domain[d] for d in (".".join(parts[i:]) for i in range(len(parts) - 1))
                            if d in by_domain]
                    if hits:
                        client = max(hits, key=lambda r: len(r.value)).client
            self.clients[original] = client

    def client_of(self, address: str) -> Client | None:
        if address not in self.clients:
            self.identify([address])
        return self.clients[address]

    def _load_recent(self, since: datetime, parsed: list[ParsedMessage]) -> None:
        """Open tickets of this batch's senders and their clients, for ``possible_duplicate``."""
        self.recent_from = since
        requesters = sorted({p.from_addr.strip().lower() for p in parsed})
        client_ids = sorted({c.id for c in self.clients.values() if c is not None})
        open_ = [st.value for st in OPEN_STATUSES]
        for column, keys in ((Ticket.requester, requesters), (Ticket.client_id, client_ids)):
            for chunk in _chunks(keys):
                for row in self.s.execute(select(
                        Ticket.id, Ticket.requester, Ticket.client_id, Ticket.subject, Ticket.received_at)
                        .where(column.in_(chunk), Ticket.status.in_(open_), Ticket.received_at >= since)):
                    if row.id not in self.recent_ids:
                        self.recent_ids.add(row.id)
                        self.add_recent(_Recent(row.id, row.requester, row.client_id, row.subject,
                                                row.received_at))

    def add_recent(self, r: _Recent) -> None:
        self.recent_by.setdefault(("requester", r.requester), []).append(r)
        if r.client_id is not None:
            self.recent_by.setdefault(("client", r.client_id), []).append(r)

    def forget_stored_recent(self) -> None:
        """Statuses changed: the stored candidates are looked up again, this batch's stay."""
        self.recent_by = {k: kept for k, rs in self.recent_by.items() if (kept := [r for r in rs if r.id is None])}
        self.recent_ids = set()

    def plan_for(self, client: Client | None) -> Plan | None:
        key = client.plan_id if client is not None else None
        if key not in self.plans:
            self.plans[key] = (self.s.get(Plan, key) if key is not None
                               else self.s.scalar(select(Plan).where(Plan.code == "free")))
        return self.plans[key]

    def calendar_for(self, plan: Plan | None) -> WorkingCalendar:
        key = plan.id if plan is not None else None
        if key not in self.calendars:
            self.calendars[key] = calendar_of(self.s, plan)
        return self.calendars[key]

    def technical(self) -> Department | None:
        if self.department is False:
            self.department = self.s.scalar(select(Department).where(Department.code == "technical"))
        assert not isinstance(self.department, bool)
        return self.department

    def sending_account(self) -> MailAccount | None:
        """What ``outgoing.sending_account`` finds for a ticket whose only message is this one."""
        if self.account is not None:
            return self.account
        if self.fallback_account is False:
            self.fallback_account = self.s.scalar(
                select(MailAccount).where(MailAccount.enabled.is_(True)).order_by(MailAccount.id))
        assert not isinstance(self.fallback_account, bool)
        return self.fallback_account

    # --- what this batch added ------------------------------------------------------------------

    def ticket_by_number(self, number: int) -> Ticket | None:
        if number in self.by_number:
            return self.by_number[number]
        if number not in self.known_numbers:
            self.known_numbers[number] = self.s.scalar(select(Ticket).where(Ticket.number == number))
        return self.known_numbers[number]

    def remember(self, ticket: Ticket, message_id: str | None, sender: str | None = None) -> None:
        """A message this batch added to ``ticket``; ``sender`` for a client's (incoming) one."""
        self.seq += 1
        if message_id:
            self.by_msgid[message_id] = (self.seq, ticket)
        if sender:
            self.senders.add((id(ticket), sender))

    def next_number(self) -> int:
        """The next ticket number. The first is drawn from the counter, which holds the counter's
        row (PostgreSQL row lock, SQLite write lock) until this transaction ends; nobody else can
        draw in between, so the rest are counted here and written back once in :meth:`settle`."""
        if self.last_number is None:
            self.last_number = next_value(self.s, "tid")
        else:
            self.last_number += 1
            self.numbers_owed = True
        return self.last_number

    def settle(self) -> None:
        """Write what the batch has added: its new tickets, the changes to stored ones, then
        the waiting rows (parents first, for the foreign keys).

        The new tickets go in as plain rows with one statement, as the waiting rows do, and only
        then join the session as stored objects: a later message of the batch that changes one
        (its last message time, a flag) is written as an update by the next flush. Inserting them
        through the session's unit of work cost more per ticket than everything SQLite does
        to store it.
        """
        if self.numbers_owed:
            self.s.execute(update(Counter).where(Counter.name == "tid").values(value=self.last_number)
                           .execution_options(synchronize_session=False))
            self.numbers_owed = False
        if self.new_tickets:
            fresh, self.new_tickets = self.new_tickets, []
            insert_rows(self.s, cast(Table, Ticket.__table__), [_stored_values(t) for t in fresh])
            for t in fresh:
                make_transient_to_detached(t)
            self.s.add_all(fresh)
        self.s.flush()
        self.rows.write(self.s)


class _Rows:
    """Append-only rows a batch inserts with one ``executemany`` per table.

    Built as plain column values with their ids drawn up front (:class:`IdBlock`), they skip
    the ORM's per-object bookkeeping, which cost more than everything else a message needs.
    Tables are written parents first, for the foreign keys.
    """

    ORDER = (Message, Attachment, OutboxItem, HistoryEvent, AutoReplyLog, Quarantined)

    def __init__(self, ids: IdBlock) -> None:
        self.ids = ids
        self.pending: dict[type[Any], list[dict[str, Any]]] = {m: [] for m in self.ORDER}

    def add(self, model: type[Any], values: dict[str, Any]) -> int:
        if values.get("id") is None:  # a row whose id was drawn earlier (an acknowledgement) keeps it
            values["id"] = self.ids.next_id(model)
        row_id = int(values["id"])
        self.pending[model].append(values)
        return row_id

    def write(self, s: Session) -> None:
        for model in self.ORDER:
            rows, self.pending[model] = self.pending[model], []
            insert_rows(s, cast(Table, model.__table__), rows)


_TICKET_COLUMNS = tuple(c.key for c in cast(Table, Ticket.__table__).columns)
_TICKET_DEFAULTS = tuple(
    (c.key, fn) for c in cast(Table, Ticket.__table__).columns if (fn := column_default(c)) is not None
)


def _stored_values(ticket: Ticket) -> dict[str, Any]:
    """A new ticket's column values as the insert stores them, its columns' defaults filled in
    on the object itself too: as stored objects they then hold every column, and reading one
    never goes back to the database."""
    state = ticket.__dict__
    for key, default in _TICKET_DEFAULTS:
        if key not in state:
            state[key] = default()
    return {key: state.setdefault(key, None) for key in _TICKET_COLUMNS}


@dataclass(frozen=True, slots=True)
class _Recent:
    id: int | None
    requester: str
    client_id: int | None
    subject: str
    received_at: datetime


def _chunks(values: Sequence[Any], size: int = 500) -> list[Sequence[Any]]:
    """IN lists of bounded length (SQLite's variable limit, PostgreSQL's plan cache)."""
    return [values[i : i + size] for i in range(0, len(values), size)]


def _ingest_intake(b: _Batch, mail: IncomingMail, intake: Intake) -> None:
    parsed = intake.parsed
    if isinstance(parsed, ParsedMessage):
        _ingest_parsed(b, mail, parsed, intake)
        return
    if parsed.details:
        log.error("parser failed on uid %s:\n%s", mail.uid, parsed.details)
    b.rows.add(Quarantined, {
        "account_id": b.acc_id, "uidvalidity": b.uidvalidity, "uid": mail.uid,
        "raw_sha256": intake.raw_sha256, "size": len(mail.raw), "error": parsed.error,
        "received_at": mail.internaldate, "created_at": b.ws.now(), "resolved": False,
    })
    b.report.quarantined += 1


def _ingest_parsed(b: _Batch, mail: IncomingMail, parsed: ParsedMessage, intake: Intake) -> None:
    s, ws, report = b.s, b.ws, b.report
    if b.acc_id is not None:
        if parsed.content_hash in b.hashes:
            report.skipped += 1  # the same message under a new UIDVALIDITY
            return
        b.hashes.add(parsed.content_hash)
    ticket, why = _correlate(b, parsed)
    if ticket is not None and _closed_for_good(b, ticket, mail.internaldate):
        # A reply long after closing is a new question; the old ticket is named in its history.
        previous, ticket, why = ticket, None, "new_ticket"
    else:
        previous = None
    created = ticket is None
    if ticket is None:
        ticket = _new_ticket(b, parsed, mail, intake.several_questions)
    now = ws.now()
    msg_id = b.rows.add(Message, {
        "ticket_id": ticket.id, "direction": Direction.INCOMING.value, "account_id": b.acc_id,
        "uidvalidity": b.uidvalidity, "uid": mail.uid, "message_id": parsed.message_id,
        "in_reply_to": parsed.in_reply_to, "references": parsed.references,
        "from_addr": parsed.from_addr, "from_name": parsed.from_name,
        "to_addrs": [a.addr for a in parsed.to], "cc_addrs": [a.addr for a in parsed.cc],
        "subject": parsed.subject or ticket.subject, "sent_date": parsed.date,
        "received_at": mail.internaldate, "text": parsed.text, "html": parsed.html,
        "threaded_by": why, "content_hash": parsed.content_hash, "raw_sha256": intake.raw_sha256,
        "size": parsed.raw_size, "author": None, "created_at": now,
    })
    ticket.last_message_at = max(ticket.last_message_at or mail.internaldate, mail.internaldate)
    ticket.last_client_message_at = mail.internaldate
    b.remember(ticket, parsed.message_id, parsed.from_addr)
    for att, (sha, size) in zip(parsed.attachments, intake.attachments, strict=True):
        b.rows.add(Attachment, {
            "message_id": msg_id, "filename": att.filename, "content_type": att.content_type,
            "size": size, "sha256": sha, "content_id": att.content_id, "inline": att.inline,
        })
    if created:
        report.new_tickets.append(ticket.tid)
        if previous is not None:
            b.rows.add(HistoryEvent, history_values(ticket.id, now, "mail", "follow_up_of", None, None,
                                                    previous.tid))
        if ticket.archived:
            report.archived += 1
            b.rows.add(HistoryEvent, history_values(ticket.id, now, "mail", "archived"))
            return
        _acknowledge(b, ticket, parsed)
        return
    report.joined.append(ticket.tid)
    if why == "tid_unconfirmed" and Flag.THREAD_CONFIRM.value not in ticket.flags:
        ticket.flags = [*ticket.flags, Flag.THREAD_CONFIRM.value]
    b.rows.add(HistoryEvent, history_values(ticket.id, now, "mail", "message_in", None, None, why,
                                            message=msg_id))
    if ticket.archived:
        return  # an old reply in an archived conversation: the archive stays closed
    if Status(ticket.status) is Status.WAITING_CLIENT or Status(ticket.status) in REOPENABLE:
        # The status may change: its history line follows this message's, as it always has.
        b.settle()
        client_replied_in(s, ws, ticket, mail.internaldate)
        s.flush()  # its history lines take their ids now, before the next message's
        if b.recent_from is not None:  # a reopened ticket is open again: a duplicate candidate
            b.forget_stored_recent()
            b._load_recent(b.recent_from, [parsed])


def _correlate(b: _Batch, parsed: ParsedMessage) -> tuple[Ticket | None, str]:
    s = b.s
    for tid in find_tids(parsed.subject, b.fmt.prefix, b.fmt.width):
        ticket = b.ticket_by_number(b.fmt.parse(tid))
        if ticket is None:
            continue
        ticket = _follow_duplicates(s, ticket)
        if _sender_belongs(b, ticket, parsed.from_addr):
            return ticket, "tid"
        return ticket, "tid_unconfirmed"
    ids = [i for i in [parsed.in_reply_to, *reversed(parsed.references)] if i]
    if ids:
        # The newest stored message with one of these ids: this batch's are the newest of all.
        in_batch = [b.by_msgid[i] for i in ids if i in b.by_msgid]
        if in_batch:
            return _follow_duplicates(s, max(in_batch, key=lambda hit: hit[0])[1]), "references"
        if all(i in b.stored_refs for i in ids):
            found = [ref for i in ids if (ref := b.stored_refs[i]) is not None]
            hit = max(found)[1] if found else None
        else:
            hit = s.scalar(
                select(Message.ticket_id).where(Message.message_id.in_(ids)).order_by(Message.id.desc()).limit(1)
            )
        if hit is not None:
            ticket = s.get(Ticket, hit)
            if ticket is not None:
                return _follow_duplicates(s, ticket), "references"
    return None, "new_ticket"


def _closed_for_good(b: _Batch, ticket: Ticket, at: datetime) -> bool:
    """Whether mail arriving at ``at`` opens a new ticket rather than joining this closed one.

    An archived ticket takes the old mail of its conversation but never reopens: a reply that
    arrives once the mailbox is watched is a new request, with its own clock and acknowledgement.
    """
    if ticket.archived:
        return not b.is_history(at)
    if Status(ticket.status) not in REOPENABLE:
        return False
    ended = ticket.closed_at or ticket.resolved_at
    window = timedelta(days=int(b.ws.setting("reopen.window_days", b.s)))
    return ended is not None and at - ended > window


def _follow_duplicates(s: Session, ticket: Ticket) -> Ticket:
    seen = {ticket.id}
    while ticket.duplicate_of_id is not None and ticket.duplicate_of_id not in seen:
        nxt = s.get(Ticket, ticket.duplicate_of_id)
        if nxt is None:
            break
        seen.add(nxt.id)
        ticket = nxt
    return ticket


def _sender_belongs(b: _Batch, ticket: Ticket, sender: str) -> bool:
    sender = sender.lower()
    if not sender:
        return False
    if sender == ticket.requester:
        return True
    if ticket.client_id is not None:
        client = b.client_of(sender)
        if client is not None and client.id == ticket.client_id:
            return True
    if (id(ticket), sender) in b.senders:
        return True
    if ticket.id is None:
        return False
    if ticket.id in b.participants:
        return sender in b.participants[ticket.id]
    participant = b.s.scalar(select(Message.id).where(Message.ticket_id == ticket.id,
                                                      Message.direction == "in",
                                                      Message.from_addr == sender).limit(1))
    return participant is not None


def _new_ticket(b: _Batch, parsed: ParsedMessage, mail: IncomingMail, several_questions: bool) -> Ticket:
    s, ws = b.s, b.ws
    client = b.client_of(parsed.from_addr)
    plan = b.plan_for(client)
    archived = b.is_history(mail.internaldate)
    ticket = new_ticket_row(
        s, ws,
        NewTicket(subject=parsed.subject, requester=parsed.from_addr, requester_name=parsed.from_name,
                  received_at=mail.internaldate, text=parsed.text),
        client=client, plan=plan, department=b.technical(), number=b.next_number(), archived=archived,
    )
    ticket.id = b.ids.next_id(Ticket)  # known now: the batch's rows refer to it
    b.new_tickets.append(ticket)
    b.by_number[ticket.number] = ticket
    now = ws.now()
    b.rows.add(HistoryEvent, history_values(ticket.id, now, "mail", "created", channel=ticket.channel))
    refresh_new(ticket, plan, b.calendar_for(plan))
    if archived:
        return ticket  # nothing to flag for the agent: nobody works on the archive
    flags = list(ticket.flags)
    if is_meaningless_subject(parsed.subject, b.fmt.prefix, b.fmt.width):
        flags.append(Flag.EMPTY_SUBJECT.value)
    if several_questions:
        flags.append(Flag.SEVERAL_QUESTIONS.value)
    if _possible_duplicate(b, ticket):
        flags.append(Flag.POSSIBLE_DUPLICATE.value)
    b.add_recent(_Recent(None, ticket.requester, ticket.client_id, ticket.subject, ticket.received_at))
    today = mail.internaldate.date()
    if client is not None and client.active_until is not None and client.active_until < today:
        flags.append(Flag.PAID_SUGGESTED.value)
        ticket.paid_reason = f"contract expired on {client.active_until.isoformat()}"
    ticket.flags = flags
    return ticket


def _possible_duplicate(b: _Batch, ticket: Ticket) -> bool:
    """Same requester or client, open, recent, similar subject: suggest, never merge (R-TICKET-5)."""
    if b.recent_from is None or ticket.received_at - DUPLICATE_WINDOW < b.recent_from:
        b._load_recent(ticket.received_at - DUPLICATE_WINDOW, [])
    since = ticket.received_at - DUPLICATE_WINDOW
    candidates = {id(r): r for r in b.recent_by.get(("requester", ticket.requester), ())}
    if ticket.client_id is not None:
        candidates.update((id(r), r) for r in b.recent_by.get(("client", ticket.client_id), ()))
    return any(
        subject_similarity(ticket.subject, r.subject) >= DUPLICATE_SIMILARITY
        for r in candidates.values()
        if r.received_at >= since
    )


def _acknowledge(b: _Batch, ticket: Ticket, parsed: ParsedMessage) -> None:
    """R-MAIL-4: an acknowledgement with the TID, unless that would feed a mail loop."""
    s, ws, report = b.s, b.ws, b.report
    now = ws.now()
    hour_ago = now - timedelta(hours=1)
    sent = b.autoreplies.setdefault(parsed.from_addr, [])
    recent = sum(1 for at in sent if at >= hour_ago)
    limit = int(ws.setting("mail.autoreply_per_hour", s))
    reason = should_suppress_autoreply(parsed, b.own, recent, limit)
    if reason is None and not is_mail_address(parsed.from_addr):
        reason = "invalid-sender"  # hostile or broken From: nobody to acknowledge, keep the ticket
    if reason is not None:
        report.suppressed[reason] = report.suppressed.get(reason, 0) + 1
        b.rows.add(HistoryEvent, history_values(ticket.id, now, "mail", "ack_suppressed", None, None, reason))
        return
    deadline = ""
    if ticket.reaction_due_at is not None:
        cal = b.calendar_for(s.get(Plan, ticket.plan_id) if ticket.plan_id else None)
        deadline = client_time(ticket.reaction_due_at, cal.tz, cal.timezone, ticket_language(s, ws, ticket))
    rows = notification_rows(
        s, ws, ticket, "ack", b.ids.next_id(Message), account=b.sending_account(),
        last_in=parsed if parsed.message_id else None, deadline=deadline,
    )
    b.rows.add(Message, rows.message)
    b.rows.add(OutboxItem, rows.outbox)
    b.rows.add(HistoryEvent, rows.history)
    b.remember(ticket, rows.message["message_id"])
    b.rows.add(AutoReplyLog, {"sender": parsed.from_addr, "sent_at": now})
    sent.append(now)
    report.acknowledged += 1
