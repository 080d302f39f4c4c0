"""One ingest batch's unit of work: what it looked up once and what it added but has not written.

Apart from the rules that decide where a message goes (``ingest_correlation``) and from the
steps that store one message (``ingest``): this is the bookkeeping that lets a batch of hundreds
of messages touch the database a few times in all — lookups shared by the batch, indexes of
what it added, and the append-only rows it inserts with one statement per table.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import Table, select, update
from sqlalchemy.orm import Session, make_transient_to_detached

from desktop.domain.calendar import WorkingCalendar
from desktop.domain.tickets import OPEN_STATUSES, Direction
from desktop.mail.parse import ParsedMessage
from desktop.mail.subjects import find_tids
from desktop.services.clients import normalise_address
from desktop.services.tickets.duplicates import DUPLICATE_WINDOW
from desktop.services.tickets.thread_fix import UNCONFIRMED
from desktop.services.upkeep.deadlines import calendar_of
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
    Ticket,
)
from desktop.store.models import Sequence as Counter
from desktop.store.sequences import next_value


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
    seen_again: int = 0  # the same message back under another UID (desktop.mail.identity)
    acknowledged: int = 0
    archived: int = 0  # of new_tickets: imported closed from what the mailbox held before
    suppressed: dict[str, int] = field(default_factory=dict)

    def merge(self, other: IngestReport) -> None:
        self.new_tickets += other.new_tickets
        self.joined += other.joined
        self.quarantined += other.quarantined
        self.skipped += other.skipped
        self.seen_again += other.seen_again
        self.acknowledged += other.acknowledged
        self.archived += other.archived
        for k, v in other.suppressed.items():
            self.suppressed[k] = self.suppressed.get(k, 0) + v


def own_addresses(s: Session) -> set[str]:
    return {a.lower() for a in s.scalars(select(MailAccount.email))}


class Batch:
    """One batch's unit of work: what it added but has not flushed, and what it looked up once.

    The session runs without autoflush, so a query sees only what is stored; everything this
    batch added since is found in the indexes here (tickets by number, Message-IDs, senders
    per ticket, content hashes, recent tickets, acknowledgements). New tickets are ORM rows
    (their deadlines and flags come from the ticket rules); the append-only rows around them —
    messages, attachments, outbox items, history lines — wait in :class:`PendingRows` with their ids
    already drawn and are inserted by :meth:`settle`, still inside the same transaction.
    """

    def __init__(self, s: Session, ws: Workspace, account: MailAccount | None, uidvalidity: int | None,
                 report: IngestReport, ids: IdBlock) -> None:
        self.s, self.ws, self.account, self.uidvalidity, self.report = s, ws, account, uidvalidity, report
        self.ids = ids
        self.rows = PendingRows(ids)
        self.acc_id = account.id if account is not None else None
        #: Mail received before this moment was in the mailbox when it was connected, long
        #: enough ago to be history (setting ``mail.ack_history_hours``): it is imported as
        #: archived tickets — closed, no acknowledgement, no deadlines — as a help desk
        #: connected to an old mailbox should, instead of a breach for every old question.
        self.history_before: datetime | None = None
        if account is not None and account.created_at is not None:
            self.history_before = account.created_at - timedelta(
                hours=float(ws.setting("mail.ack_history_hours", s)))
        self.own = own_addresses(s)
        self.fmt = ws.tid_format(s)
        self.by_number: dict[int, Ticket] = {}  # tickets opened in this batch
        self.known_numbers: dict[int, Ticket | None] = {}
        self.by_msgid: dict[str, tuple[int, Ticket]] = {}  # Message-ID → (order stored, ticket)
        self.senders: set[tuple[int, str]] = set()  # (id(ticket), sender) of messages in this batch
        self.hashes: set[str] = set()  # content hashes this account already has
        self.identities: dict[str, int] = {}  # message identity → a stored row with it
        self.seen_again: dict[int, int] = {}  # stored row → copies of it this batch brought back
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
        self.recent_by: dict[tuple[str, object], list[Recent]] = {}
        self.recent_ids: set[int] = set()
        self.recent_from: datetime | None = None
        self.first_texts: dict[int, str] = {}  # stored candidates' first messages, read when needed
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
            for chunk in chunks(uids):
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
            for chunk in chunks(sorted({p.content_hash for p in parsed})):
                self.hashes.update(h for h, acc in self.s.execute(
                    select(Message.content_hash, Message.account_id).where(Message.content_hash.in_(chunk)))
                    if h is not None and acc == self.acc_id)
        numbers = sorted({self.fmt.parse(t) for p in parsed
                          for t in find_tids(p.subject, self.fmt.prefix, self.fmt.width)} - set(self.known_numbers))
        for chunk in chunks(numbers):
            found = {t.number: t for t in self.s.scalars(select(Ticket).where(Ticket.number.in_(chunk)))}
            self.known_numbers.update((n, found.get(n)) for n in chunk)
            ids = sorted(t.id for t in found.values())
            self.participants.update((i, set()) for i in ids)
            # A stranger whose mail is still to be confirmed is no participant (yet).
            for ticket_id, sender in self.s.execute(select(Message.ticket_id, Message.from_addr).distinct().where(
                    Message.ticket_id.in_(ids), Message.direction == Direction.INCOMING.value,
                    Message.threaded_by != UNCONFIRMED)):
                self.participants[ticket_id].add(sender)
        wanted = sorted({i for p in parsed for i in (p.in_reply_to, *p.references) if i} - set(self.stored_refs))
        self.stored_refs.update((i, None) for i in wanted)
        for chunk in chunks(wanted):
            for message_id, row_id, ticket_id in self.s.execute(select(
                    Message.message_id, Message.id, Message.ticket_id).where(Message.message_id.in_(chunk))):
                if message_id is None:
                    continue
                known = self.stored_refs.get(message_id)
                if known is None or row_id > known[0]:
                    self.stored_refs[message_id] = (row_id, ticket_id)
        self.identify([p.from_addr for p in parsed])
        if received:
            self.load_recent(min(received) - DUPLICATE_WINDOW, parsed)
        senders = sorted({p.from_addr for p in parsed})
        since = self.ws.now() - timedelta(hours=1)
        for chunk in chunks(senders):
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
        for chunk in chunks(sorted(values)):
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

    def load_recent(self, since: datetime, parsed: list[ParsedMessage]) -> None:
        """Open tickets of this batch's senders and their clients, for ``possible_duplicate``."""
        self.recent_from = since
        requesters = sorted({p.from_addr.strip().lower() for p in parsed})
        client_ids = sorted({c.id for c in self.clients.values() if c is not None})
        open_ = [st.value for st in OPEN_STATUSES]
        for column, keys in ((Ticket.requester, requesters), (Ticket.client_id, client_ids)):
            for chunk in chunks(keys):
                for row in self.s.execute(select(
                        Ticket.id, Ticket.requester, Ticket.client_id, Ticket.subject, Ticket.received_at)
                        .where(column.in_(chunk), Ticket.status.in_(open_), Ticket.received_at >= since)):
                    if row.id not in self.recent_ids:
                        self.recent_ids.add(row.id)
                        self.add_recent(Recent(row.id, row.requester, row.client_id, row.subject,
                                                row.received_at))

    def add_recent(self, r: Recent) -> None:
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
            insert_rows(self.s, cast(Table, Ticket.__table__), [stored_values(t) for t in fresh])
            for t in fresh:
                make_transient_to_detached(t)
            self.s.add_all(fresh)
        self.s.flush()
        self.rows.write(self.s)


class PendingRows:
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
            table = cast(Table, model.__table__)
            _same_keys(table, rows)
            insert_rows(s, table, rows)


def _same_keys(table: Table, rows: list[dict[str, Any]]) -> None:
    """Give every row the same columns (a client's message has some an acknowledgement has not):
    PostgreSQL's many-row insert takes one set of columns for all rows."""
    keys = {k for row in rows for k in row}
    if all(len(row) == len(keys) for row in rows):
        return
    defaults = {c.key: column_default(c) for c in table.columns}
    for row in rows:
        for key in keys - row.keys():
            fill = defaults.get(key)
            row[key] = fill() if fill is not None else None


_TICKET_COLUMNS = tuple(c.key for c in cast(Table, Ticket.__table__).columns)


_TICKET_DEFAULTS = tuple(
    (c.key, fn) for c in cast(Table, Ticket.__table__).columns if (fn := column_default(c)) is not None
)


def stored_values(ticket: Ticket) -> dict[str, Any]:
    """A new ticket's column values as the insert stores them, its columns' defaults filled in
    on the object itself too: as stored objects they then hold every column, and reading one
    never goes back to the database."""
    state = ticket.__dict__
    for key, default in _TICKET_DEFAULTS:
        if key not in state:
            state[key] = default()
    return {key: state.setdefault(key, None) for key in _TICKET_COLUMNS}


@dataclass(frozen=True, slots=True)
class Recent:
    id: int | None
    requester: str
    client_id: int | None
    subject: str
    received_at: datetime
    text: str | None = None  # the first message's text; None: not read yet (a stored ticket)


def chunks(values: Sequence[Any], size: int = 500) -> list[Sequence[Any]]:
    """IN lists of bounded length (SQLite's variable limit, PostgreSQL's plan cache)."""
    return [values[i : i + size] for i in range(0, len(values), size)]
