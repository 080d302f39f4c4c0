"""Everything support sends to a client goes through here into the outbox (R-MAIL-7).

A message is composed with proper threading headers, stored in the ticket and queued in the same
transaction as the change that caused it, so a crash can neither lose the notification nor send
it for a change that was rolled back. The SMTP drain (``desktop.services.background.outbox``) sends it later and
retries on failure.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from email.utils import make_msgid
from typing import Any, Protocol, cast

from sqlalchemy import Table, bindparam, select, update
from sqlalchemy.orm import Session

from desktop import settings
from desktop.domain.tickets import Direction
from desktop.errors import NotFound
from desktop.mail.compose import (
    OutgoingAttachment,
    StoredText,
    build_message,
    build_stored,
    one_line,
)
from desktop.mail.subjects import ensure_tid_in_subject
from desktop.mail.templates import reason_templates, render_mail, render_text
from desktop.services.upkeep.history import history_values, record
from desktop.services.workspace import MAIL_TEMPLATE_SETTING, Workspace
from desktop.store.models import Client, MailAccount, Message, OutboxItem, Plan, ReasonRow, Ticket

#: Kinds sent by the system on its own: they carry Auto-Submitted and do not stop the SLA clock
#: except "taken", which R-SLA-3 counts as the reaction.
AUTOMATIC = {"ack", "reminder", "inactive", "act_reminder"}
STOPS_CLOCK = {"reply", "taken", "act"}


@dataclass(frozen=True)
class OutgoingFile:
    filename: str
    content_type: str
    data: bytes


def own_wording(session: Session, ws: Workspace, kind: str, lang: str) -> str | None:
    """The workspace's own wording of an automatic mail (Settings ▸ Reply templates), if any."""
    value = ws.setting(f"{MAIL_TEMPLATE_SETTING}{lang}.{kind}", session)
    return str(value) if value else None


def ticket_language(session: Session, ws: Workspace, ticket: Ticket) -> str:
    client = session.get(Client, ticket.client_id) if ticket.client_id else None
    if client is not None and client.language in ("ru", "en"):
        return client.language
    return ws.setting(settings.MAIL_LANGUAGE, session)


def sending_account(session: Session, ticket: Ticket) -> MailAccount | None:
    """The mailbox the client wrote to, else the first enabled one."""
    acc_id = session.scalar(
        select(Message.account_id)
        .where(Message.ticket_id == ticket.id, Message.account_id.is_not(None))
        .order_by(Message.received_at)
        .limit(1)
    )
    if acc_id is not None:
        acc = session.get(MailAccount, acc_id)
        if acc is not None:
            return acc
    return session.scalar(select(MailAccount).where(MailAccount.enabled.is_(True)).order_by(MailAccount.id))


def base_context(session: Session, ws: Workspace, ticket: Ticket) -> dict[str, Any]:
    client = session.get(Client, ticket.client_id) if ticket.client_id else None
    plan = session.get(Plan, ticket.plan_id) if ticket.plan_id else None
    lang = ticket_language(session, ws, ticket)
    return {
        "tid": ticket.tid,
        "subject": ticket.subject,
        "requester_name": ticket.requester_name,
        "client": client.name if client else "",
        "agent": ws.actor,
        "plan": (plan.name_ru if lang == "ru" and plan and plan.name_ru else plan.name) if plan else "",
        "deadline": "",
        "summary": "",
        "password_reminder": ticket.password_reminder,
        "close_at": "",
    }


def queue_mail(
    session: Session,
    ws: Workspace,
    ticket: Ticket,
    kind: str,
    subject: str,
    text: str,
    *,
    to: Sequence[str] | None = None,
    cc: Sequence[str] = (),
    bcc: Sequence[str] = (),
    files: Sequence[OutgoingFile] = (),
    not_before: datetime | None = None,
) -> Message:
    """Compose, store in the ticket and queue for SMTP, in the caller's transaction.

    ``cc`` go into the message's Cc header; ``bcc`` only into the SMTP envelope (and into the
    ticket's copy of the message, for the team), never into a header anyone receives."""
    now = ws.now()
    account = sending_account(session, ticket)
    last_in = session.scalar(
        select(Message)
        .where(Message.ticket_id == ticket.id, Message.direction == "in", Message.message_id.is_not(None))
        .order_by(Message.received_at.desc(), Message.id.desc())
        .limit(1)
    )
    row, sha, recipients = _compose(session, ws, ticket, kind, subject, text, account, last_in, to, files, now,
                                    cc=cc, bcc=bcc)
    session.add(row)
    session.flush()
    _enqueue(session, ws, ticket, kind, row, sha, account, recipients, files, not_before, now)
    return row


class Threading(Protocol):
    """What a reply needs of the message it answers (a stored row, or one a batch is adding)."""

    @property
    def message_id(self) -> str | None: ...

    @property
    def references(self) -> list[Any]: ...


@dataclass(frozen=True)
class NotificationRows:
    """A notification as plain column values, for a caller that inserts many rows at once."""

    message: dict[str, Any]
    outbox: dict[str, Any]
    history: dict[str, Any]


def notification_rows(
    session: Session,
    ws: Workspace,
    ticket: Ticket,
    kind: str,
    message_row_id: int,
    *,
    account: MailAccount | None,
    last_in: Threading | None,
    **extra: Any,
) -> NotificationRows:
    """:func:`notify_client` for a caller that stores many tickets in one transaction (mail ingest).

    The caller already knows what :func:`queue_mail` would look up — the mailbox the ticket
    came through and the client's latest message — and draws the message row's id itself. It
    inserts the three rows (message, outbox item, history line) in the transaction that stores
    the ticket, so the notification is queued with the change that caused it or not at all.

    The message row holds everything the message says (sender, recipients, subject, text,
    Message-ID, threading, date); its MIME bytes are built when it is sent
    (:func:`compose_stored`), not here. Composing with the standard library costs about a
    millisecond, which for a sync of thousands of new tickets was the largest single cost of
    storing them, while the outbox pays it one message at a time beside an SMTP conversation
    that costs far more.
    """
    now = ws.now()
    ctx = base_context(session, ws, ticket)
    ctx.update(extra)
    lang = ticket_language(session, ws, ticket)
    mail = render_mail(kind, lang, ctx, own_wording(session, ws, kind, lang))
    env = _envelope(session, ws, ticket, mail.subject, account, last_in)
    message_id = make_msgid(domain=env.domain)
    message = {"id": message_row_id, "ticket_id": ticket.id, **_row_values(
        ws, kind, account, message_id, env.in_reply_to, env.references, env.from_addr, env.from_name,
        env.recipients, one_line(env.subject), mail.body, None, 0, now)}
    _touch(ticket, kind, now)
    outbox = _outbox_values(ticket, kind, message_row_id, COMPOSE_WHEN_SENT, account, env.from_addr,
                            env.recipients, message_id, None, now)
    history = history_values(ticket.id, now, ws.actor, "mail_queued", None, None, kind, to=env.recipients)
    return NotificationRows(message, outbox, history)


#: ``OutboxItem.raw_sha256`` of a text-only message whose bytes are built when it is sent.
COMPOSE_WHEN_SENT = ""


def compose_stored(ws: Workspace, item: OutboxItem) -> bytes:
    """The MIME bytes of a message queued by :func:`notification_rows`, built from its
    stored row and kept in the blob store; the row and the outbox item then refer to them.

    The same row always gives the same bytes (its Message-ID and date are stored), so a send
    retried after a crash repeats the message exactly.
    """
    return compose_stored_many(ws, [item])[item.id]


def compose_stored_many(ws: Workspace, items: Sequence[OutboxItem]) -> dict[int, bytes]:
    """:func:`compose_stored` for a chunk of the outbox at once: one read, one flush of the blob
    store and one short write for all of them, instead of a commit and two fsyncs per message
    (which made sending 2,000 acknowledgements take most of a minute). The messages are built
    between the read and the write, outside any transaction, so a drain sending meanwhile is
    never held up by it. Item id → MIME bytes.

    The three steps are also offered apart (:func:`stored_texts`, :func:`record_composed`) for
    the outbox, which has the building done by a helper process while it sends."""
    texts = stored_texts(ws, items)
    out: dict[int, bytes] = {}
    built: dict[int, tuple[str, int]] = {}
    for item_id, (_row_id, stored) in texts.items():
        raw = build_stored(stored)
        built[item_id] = (ws.blobs.put(raw, durable=False), len(raw))
        out[item_id] = raw
    ws.blobs.sync()  # the files are on the disk before the rows naming them commit
    record_composed(ws, items, texts, built)
    return out


def stored_texts(ws: Workspace, items: Sequence[OutboxItem]) -> dict[int, tuple[int, StoredText]]:
    """Item id → (message row id, what its bytes are built from), read in one go; raises
    :class:`NotFound` when an item's message row is gone."""
    wanted = [i.message_row_id for i in items if i.message_row_id is not None]
    with ws.db.reading() as s:  # the columns needed only: the whole rows cost as much again
        rows = {r.id: r for r in s.execute(select(
            Message.id, Message.from_addr, Message.from_name, Message.to_addrs, Message.subject,
            Message.text, Message.in_reply_to, Message.references, Message.sent_date, Message.message_id,
        ).where(Message.id.in_(wanted)))}
    out: dict[int, tuple[int, StoredText]] = {}
    for item in items:
        row = rows.get(item.message_row_id) if item.message_row_id is not None else None
        if row is None:
            raise NotFound("the message of outbox item {id} is missing", id=item.id)
        out[item.id] = (row.id, StoredText(
            from_addr=row.from_addr or "", from_name=row.from_name or "", to=tuple(row.to_addrs),
            subject=row.subject or "", text=row.text or "", in_reply_to=row.in_reply_to,
            references=tuple(row.references or ()),
            auto_submitted="auto-replied" if item.kind in AUTOMATIC else None,
            date=row.sent_date, message_id=row.message_id,
        ))
    return out


def record_composed(
    ws: Workspace, items: Sequence[OutboxItem], texts: Mapping[int, tuple[int, StoredText]],
    built: Mapping[int, tuple[str, int]],
) -> None:
    """Point the message rows and outbox items at their built bytes (item id → blob sha,
    size), with one statement per table; the blobs must be on the disk already."""
    if not built:
        return
    messages = [{"row": texts[i][0], "sha": sha, "size": size} for i, (sha, size) in built.items()]
    outbox = [{"item": i, "sha": sha} for i, (sha, _size) in built.items()]
    message_table, outbox_table = cast(Table, Message.__table__), cast(Table, OutboxItem.__table__)
    with ws.db.session() as s:
        s.execute(update(message_table).where(message_table.c.id == bindparam("row"))
                  .values(raw_sha256=bindparam("sha"), size=bindparam("size")), messages)
        s.execute(update(outbox_table).where(outbox_table.c.id == bindparam("item"))
                  .values(raw_sha256=bindparam("sha")), outbox)
    for item in items:
        if item.id in built:
            item.raw_sha256 = built[item.id][0]


@dataclass(frozen=True)
class _Envelope:
    """Who sends, to whom, and how the message threads: shared by both ways of composing."""

    subject: str
    from_addr: str
    from_name: str
    recipients: list[str]
    in_reply_to: str | None
    references: list[str]
    domain: str


def _envelope(
    session: Session, ws: Workspace, ticket: Ticket, subject: str, account: MailAccount | None,
    last_in: Threading | None, to: Sequence[str] | None = None,
) -> _Envelope:
    fmt = ws.tid_format(session)
    from_addr = account.email if account else ws.setting(settings.MAIL_FROM_ADDRESS, session)
    references: list[str] = []
    in_reply_to = None
    if last_in is not None and last_in.message_id:
        references = [*list(last_in.references or []), last_in.message_id]
        in_reply_to = last_in.message_id
    return _Envelope(
        subject=ensure_tid_in_subject(subject, ticket.tid, fmt.prefix, fmt.width),
        from_addr=from_addr,
        from_name=(account.display_name if account else "") or "Support",
        recipients=list(to) if to else [ticket.requester],
        in_reply_to=in_reply_to,
        references=references,
        domain=from_addr.rpartition("@")[2] or "localhost",
    )


def _compose(
    session: Session,
    ws: Workspace,
    ticket: Ticket,
    kind: str,
    subject: str,
    text: str,
    account: MailAccount | None,
    last_in: Message | None,
    to: Sequence[str] | None,
    files: Sequence[OutgoingFile],
    now: datetime,
    *,
    cc: Sequence[str] = (),
    bcc: Sequence[str] = (),
) -> tuple[Message, str, list[str]]:
    """The outgoing message as stored in the ticket (raw bytes in the blob store), not yet added;
    the third value is the SMTP envelope's recipients (To, Cc and Bcc, each once)."""
    env = _envelope(session, ws, ticket, subject, account, last_in, to)
    msg, message_id = build_message(
        from_addr=env.from_addr,
        from_name=env.from_name,
        to=env.recipients,
        cc=list(cc),
        subject=env.subject,
        text=text,
        in_reply_to=env.in_reply_to,
        references=env.references,
        attachments=[OutgoingAttachment(f.filename, f.data, f.content_type) for f in files],
        auto_submitted="auto-replied" if kind in AUTOMATIC else None,
        domain_for_msgid=env.domain,
    )
    raw = msg.as_bytes()
    sha = ws.blobs.put(raw)
    row = _row(ws, ticket, kind, account, message_id, env.in_reply_to, env.references, env.from_addr,
               env.from_name, env.recipients, str(msg["Subject"]), text, sha, len(raw), now)
    row.cc_addrs, row.bcc_addrs = list(cc), (list(bcc) or None)
    envelope: dict[str, str] = {}
    for address in [*env.recipients, *cc, *bcc]:
        envelope.setdefault(address.lower(), address)  # each once, as first written
    return row, sha, list(envelope.values())


def _row(
    ws: Workspace,
    ticket: Ticket,
    kind: str,
    account: MailAccount | None,
    message_id: str,
    in_reply_to: str | None,
    references: list[str],
    from_addr: str,
    from_name: str,
    recipients: list[str],
    subject: str,
    text: str,
    sha: str | None,
    size: int,
    now: datetime,
) -> Message:
    row = Message(**_row_values(ws, kind, account, message_id, in_reply_to, references, from_addr, from_name,
                                recipients, subject, text, sha, size, now))
    if ticket.id is not None:
        row.ticket_id = ticket.id
    else:  # a ticket of the caller's pending batch: the flush fills the id in
        row.ticket = ticket
    _touch(ticket, kind, now)
    return row


def _row_values(
    ws: Workspace,
    kind: str,
    account: MailAccount | None,
    message_id: str,
    in_reply_to: str | None,
    references: list[str],
    from_addr: str,
    from_name: str,
    recipients: list[str],
    subject: str,
    text: str,
    sha: str | None,
    size: int,
    now: datetime,
) -> dict[str, Any]:
    """Every column of an outgoing message row but its id and ticket: the ORM row and the rows a
    sync inserts many at once (:func:`notification_rows`) are built from the same values."""
    return {
        "direction": Direction.OUTGOING.value, "account_id": account.id if account else None,
        "uidvalidity": None, "uid": None, "message_id": message_id, "in_reply_to": in_reply_to,
        "references": references, "from_addr": from_addr, "from_name": from_name, "to_addrs": recipients,
        "cc_addrs": [], "subject": subject, "sent_date": now, "received_at": now, "text": text, "html": None,
        "threaded_by": "outgoing", "content_hash": None, "raw_sha256": sha, "size": size,
        "author": ws.actor if kind not in AUTOMATIC else "system", "created_at": now,
    }


def _touch(ticket: Ticket, kind: str, now: datetime) -> None:
    """What sending a message does to its ticket: the last message, and the first reaction."""
    ticket.last_message_at = now
    if kind in STOPS_CLOCK and ticket.first_reply_at is None:
        ticket.first_reply_at = now


def _outbox_values(
    ticket: Ticket,
    kind: str,
    message_row_id: int,
    sha: str,
    account: MailAccount | None,
    envelope_from: str,
    recipients: list[str],
    smtp_message_id: str,
    not_before: datetime | None,
    now: datetime,
) -> dict[str, Any]:
    """Every column of a new outbox item but its id (see :func:`_row_values`)."""
    return {
        "ticket_id": ticket.id, "message_row_id": message_row_id, "account_id": account.id if account else None,
        "kind": kind, "raw_sha256": sha, "envelope_from": envelope_from, "recipients": recipients,
        "smtp_message_id": smtp_message_id, "status": "pending", "attempts": 0, "next_attempt_at": None,
        "last_error": None, "not_before": not_before, "created_at": now, "sent_at": None,
    }


def _enqueue(
    session: Session,
    ws: Workspace,
    ticket: Ticket,
    kind: str,
    row: Message,
    sha: str,
    account: MailAccount | None,
    recipients: list[str],
    files: Sequence[OutgoingFile],
    not_before: datetime | None,
    now: datetime,
) -> None:
    """The outbox item, the files and the history line of a stored outgoing message."""
    from desktop.store.models import Attachment

    for f in files:
        session.add(
            Attachment(
                message_id=row.id, filename=f.filename, content_type=f.content_type,
                size=len(f.data), sha256=ws.blobs.put(f.data),
            )
        )
    session.add(OutboxItem(**_outbox_values(ticket, kind, row.id, sha, account, row.from_addr, recipients,
                                            row.message_id or "", not_before, now)))
    record(session, ticket, now, ws.actor, "mail_queued", None, None, kind, to=recipients)


def notify_client(session: Session, ws: Workspace, ticket: Ticket, kind: str, **extra: Any) -> Message:
    """Send one of the templated notifications (ack, taken, resolved, reminder, inactive…)."""
    ctx = base_context(session, ws, ticket)
    ctx.update(extra)
    lang = ticket_language(session, ws, ticket)
    mail = render_mail(kind, lang, ctx, own_wording(session, ws, kind, lang))
    return queue_mail(session, ws, ticket, kind, mail.subject, mail.body)


def reply_in(
    session: Session, ws: Workspace, ticket: Ticket, text: str, files: Sequence[OutgoingFile] = (),
    *, to: Sequence[str] | None = None, cc: Sequence[str] = (), bcc: Sequence[str] = (),
) -> Message:
    subject = ticket.subject if ticket.subject.lower().startswith("re:") else f"Re: {ticket.subject}"
    return queue_mail(session, ws, ticket, "reply", subject, text, to=to, cc=cc, bcc=bcc, files=files)


def reason_reply_text(session: Session, ws: Workspace, ticket: Ticket, reason: ReasonRow) -> str:
    lang = ticket_language(session, ws, ticket)
    source = reason.template_ru if lang == "ru" else reason.template_en
    if not source.strip():
        source = reason_templates(lang).get(reason.code, "")
    return render_text(source, f"reason {reason.code} ({lang})", base_context(session, ws, ticket))


def notify_reason(
    session: Session, ws: Workspace, ticket: Ticket, code: str, reply_to: Ticket | None = None
) -> Message | None:
    reason = session.get(ReasonRow, code)
    if reason is None:
        return None
    text = reason_reply_text(session, ws, ticket, reason)
    if reply_to is not None:
        text = text.replace(ticket.tid, f"{ticket.tid} → {reply_to.tid}", 1)
    return reply_in(session, ws, ticket, text) if text.strip() else None
