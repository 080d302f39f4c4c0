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
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from desktop.domain.tickets import OPEN_STATUSES, REOPENABLE, Direction, Flag, Status
from desktop.mail.loops import should_suppress_autoreply
from desktop.mail.parse import MessageParseError, ParsedMessage, parse_message
from desktop.mail.subjects import (
    find_tids,
    is_meaningless_subject,
    looks_like_several_questions,
    subject_similarity,
)
from desktop.services.clients import identify_client
from desktop.services.history import record
from desktop.services.outgoing import notify_client
from desktop.services.tickets import NewTicket, add_message_in, client_replied_in, create_ticket_in
from desktop.services.workspace import Workspace
from desktop.store.models import (
    Attachment,
    AutoReplyLog,
    Client,
    MailAccount,
    Message,
    Quarantined,
    SyncState,
    Ticket,
)

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
    suppressed: dict[str, int] = field(default_factory=dict)

    def merge(self, other: IngestReport) -> None:
        self.new_tickets += other.new_tickets
        self.joined += other.joined
        self.quarantined += other.quarantined
        self.skipped += other.skipped
        self.acknowledged += other.acknowledged
        for k, v in other.suppressed.items():
            self.suppressed[k] = self.suppressed.get(k, 0) + v


def ingest_batch(
    ws: Workspace,
    account_id: int | None,
    folder: str,
    uidvalidity: int | None,
    batch: Sequence[IncomingMail],
    checkpoint_uid: int | None = None,
) -> IngestReport:
    """Store a batch and advance the checkpoint to ``checkpoint_uid``, atomically."""
    report = IngestReport()
    with ws.db.session() as s:
        account = s.get(MailAccount, account_id) if account_id is not None else None
        own = _own_addresses(s)
        for mail in batch:
            ingest_one(s, ws, account, uidvalidity, mail, own, report)
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


def ingest_one(
    s: Session,
    ws: Workspace,
    account: MailAccount | None,
    uidvalidity: int | None,
    mail: IncomingMail,
    own: set[str],
    report: IngestReport,
) -> None:
    acc_id = account.id if account else None
    if _already_stored(s, acc_id, uidvalidity, mail):
        report.skipped += 1
        return
    try:
        parsed = parse_message(mail.raw)
    except MessageParseError as exc:
        _quarantine(s, ws, acc_id, uidvalidity, mail, str(exc))
        report.quarantined += 1
        return
    except Exception as exc:  # a parser bug must not lose the message or stop the sync
        log.exception("parser failed on uid %s", mail.uid)
        _quarantine(s, ws, acc_id, uidvalidity, mail, f"unexpected parser failure ({type(exc).__name__})")
        report.quarantined += 1
        return
    if acc_id is not None and _known_content(s, acc_id, parsed.content_hash):
        report.skipped += 1  # the same message under a new UIDVALIDITY
        return
    ticket, why = correlate(s, ws, parsed)
    if ticket is not None and _closed_for_good(s, ws, ticket, mail.internaldate):
        # A reply long after closing is a new question; the old ticket is named in its history.
        previous, ticket, why = ticket, None, "new_ticket"
    else:
        previous = None
    created = ticket is None
    if ticket is None:
        ticket = _new_ticket(s, ws, parsed, mail)
    msg = add_message_in(
        s, ws, ticket, Direction.INCOMING,
        text=parsed.text, subject=parsed.subject, received_at=mail.internaldate,
        from_addr=parsed.from_addr, from_name=parsed.from_name, threaded_by=why,
        account_id=acc_id, uidvalidity=uidvalidity, uid=mail.uid, message_id=parsed.message_id,
        in_reply_to=parsed.in_reply_to, references=parsed.references,
        to_addrs=[a.addr for a in parsed.to], cc_addrs=[a.addr for a in parsed.cc],
        sent_date=parsed.date, html=parsed.html, content_hash=parsed.content_hash,
        raw_sha256=ws.blobs.put(mail.raw), size=parsed.raw_size,
    )
    for att in parsed.attachments:
        s.add(Attachment(message_id=msg.id, filename=att.filename, content_type=att.content_type,
                         size=len(att.data), sha256=ws.blobs.put(att.data), content_id=att.content_id,
                         inline=att.inline))
    if created:
        report.new_tickets.append(ticket.tid)
        if previous is not None:
            record(s, ticket, ws.now(), "mail", "follow_up_of", None, None, previous.tid)
        _acknowledge(s, ws, ticket, parsed, own, report)
    else:
        report.joined.append(ticket.tid)
        if why == "tid_unconfirmed" and Flag.THREAD_CONFIRM.value not in ticket.flags:
            ticket.flags = [*ticket.flags, Flag.THREAD_CONFIRM.value]
        record(s, ticket, ws.now(), "mail", "message_in", None, None, why, message=msg.id)
        client_replied_in(s, ws, ticket, mail.internaldate)


def _already_stored(s: Session, acc_id: int | None, uidvalidity: int | None, mail: IncomingMail) -> bool:
    if acc_id is None or mail.uid is None:
        return False
    for model in (Message, Quarantined):
        hit = s.scalar(select(model.id).where(model.account_id == acc_id, model.uidvalidity == uidvalidity,
                                              model.uid == mail.uid))
        if hit is not None:
            return True
    return False


def _known_content(s: Session, acc_id: int, content_hash: str) -> bool:
    # Look up by the hash alone: with "account_id = ? AND content_hash = ?" SQLite's planner picks
    # the (account_id, uidvalidity, uid) index and scans every message of the account — a sync
    # of N messages became O(N²). The hash index finds the (almost always zero or one) rows.
    owners = s.scalars(select(Message.account_id).where(Message.content_hash == content_hash))
    return acc_id in owners


def _quarantine(s: Session, ws: Workspace, acc_id: int | None, uidvalidity: int | None,
                mail: IncomingMail, error: str) -> None:
    s.add(Quarantined(account_id=acc_id, uidvalidity=uidvalidity, uid=mail.uid,
                      raw_sha256=ws.blobs.put(mail.raw), size=len(mail.raw), error=error,
                      received_at=mail.internaldate, created_at=ws.now()))


def correlate(s: Session, ws: Workspace, parsed: ParsedMessage) -> tuple[Ticket | None, str]:
    """Which ticket a message belongs to and why; (None, "new_ticket") for a new one."""
    fmt = ws.tid_format(s)
    for tid in find_tids(parsed.subject, fmt.prefix, fmt.width):
        ticket = s.scalar(select(Ticket).where(Ticket.number == fmt.parse(tid)))
        if ticket is None:
            continue
        ticket = _follow_duplicates(s, ticket)
        if _sender_belongs(s, ticket, parsed.from_addr):
            return ticket, "tid"
        return ticket, "tid_unconfirmed"
    ids = [i for i in [parsed.in_reply_to, *reversed(parsed.references)] if i]
    if ids:
        hit = s.scalar(
            select(Message.ticket_id).where(Message.message_id.in_(ids)).order_by(Message.id.desc()).limit(1)
        )
        if hit is not None:
            ticket = s.get(Ticket, hit)
            if ticket is not None:
                return _follow_duplicates(s, ticket), "references"
    return None, "new_ticket"


def _closed_for_good(s: Session, ws: Workspace, ticket: Ticket, at: datetime) -> bool:
    if Status(ticket.status) not in REOPENABLE:
        return False
    ended = ticket.closed_at or ticket.resolved_at
    window = timedelta(days=int(ws.setting("reopen.window_days", s)))
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


def _sender_belongs(s: Session, ticket: Ticket, sender: str) -> bool:
    sender = sender.lower()
    if not sender:
        return False
    if sender == ticket.requester:
        return True
    if ticket.client_id is not None:
        client = identify_client(s, sender)
        if client is not None and client.id == ticket.client_id:
            return True
    participant = s.scalar(select(Message.id).where(Message.ticket_id == ticket.id,
                                                    Message.direction == "in",
                                                    Message.from_addr == sender).limit(1))
    return participant is not None


def _new_ticket(s: Session, ws: Workspace, parsed: ParsedMessage, mail: IncomingMail) -> Ticket:
    fmt = ws.tid_format(s)
    ticket = create_ticket_in(
        s, ws,
        NewTicket(subject=parsed.subject, requester=parsed.from_addr, requester_name=parsed.from_name,
                  received_at=mail.internaldate, text=parsed.text),
        actor="mail",
    )
    flags = list(ticket.flags)
    if is_meaningless_subject(parsed.subject, fmt.prefix, fmt.width):
        flags.append(Flag.EMPTY_SUBJECT.value)
    if looks_like_several_questions(parsed.text):
        flags.append(Flag.SEVERAL_QUESTIONS.value)
    if _possible_duplicate(s, ticket):
        flags.append(Flag.POSSIBLE_DUPLICATE.value)
    client = s.get(Client, ticket.client_id) if ticket.client_id else None
    today = mail.internaldate.date()
    if client is not None and client.active_until is not None and client.active_until < today:
        flags.append(Flag.PAID_SUGGESTED.value)
        ticket.paid_reason = f"contract expired on {client.active_until.isoformat()}"
    ticket.flags = flags
    return ticket


def _possible_duplicate(s: Session, ticket: Ticket) -> bool:
    """Same requester or client, open, recent, similar subject: suggest, never merge (R-TICKET-5)."""
    who = [Ticket.requester == ticket.requester]
    if ticket.client_id is not None:
        who.append(Ticket.client_id == ticket.client_id)
    rows = s.scalars(
        select(Ticket.subject).where(
            Ticket.id != ticket.id, or_(*who),
            Ticket.status.in_([st.value for st in OPEN_STATUSES]),
            Ticket.received_at >= ticket.received_at - DUPLICATE_WINDOW,
        ).limit(50)
    ).all()
    return any(subject_similarity(ticket.subject, other) >= DUPLICATE_SIMILARITY for other in rows)


def _acknowledge(s: Session, ws: Workspace, ticket: Ticket, parsed: ParsedMessage, own: set[str],
                 report: IngestReport) -> None:
    """R-MAIL-4: an acknowledgement with the TID, unless that would feed a mail loop."""
    hour_ago = ws.now() - timedelta(hours=1)
    recent = s.scalar(select(func.count(AutoReplyLog.id)).where(
        AutoReplyLog.sender == parsed.from_addr, AutoReplyLog.sent_at >= hour_ago)) or 0
    limit = int(ws.setting("mail.autoreply_per_hour", s))
    reason = should_suppress_autoreply(parsed, own, int(recent), limit)
    if reason is not None:
        report.suppressed[reason] = report.suppressed.get(reason, 0) + 1
        record(s, ticket, ws.now(), "mail", "ack_suppressed", None, None, reason)
        return
    from desktop.services.deadlines import calendar_of
    from desktop.store.models import Plan

    deadline = ""
    if ticket.reaction_due_at is not None:
        cal = calendar_of(s, s.get(Plan, ticket.plan_id) if ticket.plan_id else None)
        deadline = ticket.reaction_due_at.astimezone(cal.tz).strftime("%d.%m.%Y %H:%M")
    notify_client(s, ws, ticket, "ack", deadline=deadline)
    s.add(AutoReplyLog(sender=parsed.from_addr, sent_at=ws.now()))
    report.acknowledged += 1


