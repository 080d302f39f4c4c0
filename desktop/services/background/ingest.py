"""Turning fetched mail into tickets (R-MAIL-3..6): the transaction the sync commits.

One call ingests one batch and moves the sync checkpoint in the same transaction, so a crash at
any point leaves either the whole batch and its checkpoint, or neither: after a restart the
batch is fetched again and nothing is lost or stored twice. Each message is identified by
(account, UIDVALIDITY, UID), across a UIDVALIDITY change by its content hash, and when it comes
back under new UIDs with a header added (a restored mailbox) by its identity (``ingest_identity``).

This module holds the steps for one message — store it, open a ticket or join one, acknowledge
it; which ticket it joins is decided in ``ingest_correlation``, and the batch's lookups and
pending rows live in ``ingest_batch``. Each message records *why* it joined.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.domain.tickets import REOPENABLE, Direction, Flag, Status
from desktop.mail.compose import is_mail_address
from desktop.mail.loops import should_suppress_autoreply
from desktop.mail.parse import ParsedMessage
from desktop.mail.subjects import is_meaningless_subject
from desktop.mail.templates import client_time
from desktop.services.background.ingest_batch import Batch, IncomingMail, IngestReport, Recent
from desktop.services.background.ingest_correlation import (
    closed_for_good,
    correlate,
    possible_duplicate,
)
from desktop.services.background.ingest_identity import (
    load_identities,
    seen_again,
    write_seen_again,
)
from desktop.services.background.mail_jobs import Intake, intake_one
from desktop.services.tickets.create import NewTicket, new_ticket_row
from desktop.services.tickets.lifecycle import client_replied_in
from desktop.services.tickets.paid import apply_suggestion, suggestion_for
from desktop.services.tickets.thread_fix import UNCONFIRMED
from desktop.services.upkeep.deadlines import refresh_new
from desktop.services.upkeep.history import history_values
from desktop.services.upkeep.outgoing import notification_rows, ticket_language
from desktop.services.workspace import Workspace
from desktop.store.ids import IdBlock
from desktop.store.models import (
    Attachment,
    AutoReplyLog,
    HistoryEvent,
    MailAccount,
    Message,
    OutboxItem,
    Plan,
    Quarantined,
    SyncState,
    Ticket,
)

log = logging.getLogger("reglament.ingest")


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
    this batch has added but not yet flushed is known from :class:`Batch`'s own indexes.

    ``parsed`` hands over the batch already parsed (in ``batch`` order, e.g. by a
    :class:`~desktop.services.background.mail_jobs.MailWorker` while the previous batch was stored).
    """
    report = IngestReport()
    with ws.db.session() as s, s.no_autoflush:
        ids = IdBlock(s)  # rows with their ids known go in many per statement (desktop.store.ids)
        account = s.get(MailAccount, account_id) if account_id is not None else None
        b = Batch(s, ws, account, uidvalidity, report, ids)
        todo = b.not_stored(batch)
        if parsed is not None:
            done = dict(zip((id(m) for m in batch), parsed(), strict=True))
            results = [(mail, done[id(mail)]) for mail in todo]
        else:
            results = [(mail, intake_one(ws.blobs, mail.raw)) for mail in todo]
            ws.blobs.sync()  # the files on the disk before the rows referring to them commit
        parsed_ok = [i.parsed for _, i in results if isinstance(i.parsed, ParsedMessage)]
        b.prefetch(parsed_ok, [m.internaldate for m in todo])
        load_identities(b, parsed_ok)
        for mail, intake in results:
            _ingest_intake(b, mail, intake)
        b.settle()
        write_seen_again(b)
        if account is not None:
            uids = [m.uid for m in batch if m.uid is not None]
            top = max([checkpoint_uid or 0, *uids])
            _checkpoint(s, ws, account.id, folder, uidvalidity, top)
    return report


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


def _ingest_intake(b: Batch, mail: IncomingMail, intake: Intake) -> None:
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


def _ingest_parsed(b: Batch, mail: IncomingMail, parsed: ParsedMessage, intake: Intake) -> None:
    s, ws, report = b.s, b.ws, b.report
    if b.acc_id is not None:
        if parsed.content_hash in b.hashes:
            report.skipped += 1  # the same message under a new UIDVALIDITY
            return
        b.hashes.add(parsed.content_hash)
    if seen_again(b, parsed):
        return  # restored, re-uploaded or copied: no ticket, no acknowledgement, no history
    ticket, why = correlate(b, parsed)
    if ticket is not None and closed_for_good(b, ticket, mail.internaldate):
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
        "identity": parsed.identity, "seen_again": 0,
        "size": parsed.raw_size, "author": None, "created_at": now,
    })
    if parsed.identity:
        b.identities.setdefault(parsed.identity, msg_id)
    ticket.last_message_at = max(ticket.last_message_at or mail.internaldate, mail.internaldate)
    ticket.last_client_message_at = mail.internaldate
    # A stranger's mail waiting for the agent's confirmation makes its sender no participant.
    b.remember(ticket, parsed.message_id, None if why == UNCONFIRMED else parsed.from_addr)
    for att, (sha, size) in zip(parsed.attachments, intake.attachments, strict=True):
        b.rows.add(Attachment, {
            "message_id": msg_id, "filename": att.filename, "content_type": att.content_type,
            "size": size, "sha256": sha, "content_id": att.content_id, "inline": att.inline,
        })
    if parsed.repairs:  # "cut and flagged": the agent sees what differs from the mail as sent
        b.rows.add(HistoryEvent, history_values(ticket.id, now, "mail", "mail_repaired", None, None,
                                                "; ".join(parsed.repairs)[:1000], message=msg_id))
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
    if why == UNCONFIRMED and Flag.THREAD_CONFIRM.value not in ticket.flags:
        ticket.flags = [*ticket.flags, Flag.THREAD_CONFIRM.value]
    b.rows.add(HistoryEvent, history_values(ticket.id, now, "mail", "message_in", None, None, why,
                                            message=msg_id))
    if ticket.archived or why == UNCONFIRMED:
        # An old reply in an archived conversation: the archive stays closed. A stranger's mail
        # moves nothing (no reopening, no clock) until an agent confirms it (tickets.thread_fix).
        return
    if Status(ticket.status) is Status.WAITING_CLIENT or Status(ticket.status) in REOPENABLE:
        # The status may change: its history line follows this message's, as it always has.
        b.settle()
        client_replied_in(s, ws, ticket, mail.internaldate)
        s.flush()  # its history lines take their ids now, before the next message's
        if b.recent_from is not None:  # a reopened ticket is open again: a duplicate candidate
            b.forget_stored_recent()
            b.load_recent(b.recent_from, [parsed])


def _new_ticket(b: Batch, parsed: ParsedMessage, mail: IncomingMail, several_questions: bool) -> Ticket:
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
    if possible_duplicate(b, ticket, parsed.text):
        flags.append(Flag.POSSIBLE_DUPLICATE.value)
    b.add_recent(Recent(None, ticket.requester, ticket.client_id, ticket.subject, ticket.received_at,
                        parsed.text or ""))
    ticket.flags = flags
    paid = suggestion_for(ticket, client, b.calendar_for(plan), parsed.text)  # R-TICKET-7
    if apply_suggestion(ticket, paid) and paid is not None:
        b.rows.add(HistoryEvent, history_values(ticket.id, now, "mail", "paid_suggested", "paid", None,
                                                paid.basis.value, reason=paid.reason, basis=paid.basis.value))
    return ticket


def _acknowledge(b: Batch, ticket: Ticket, parsed: ParsedMessage) -> None:
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
