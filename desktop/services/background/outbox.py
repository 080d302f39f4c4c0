"""Draining the outbox over SMTP: everything queued goes out once, and nothing is lost (R-MAIL-7).

:mod:`desktop.services.upkeep.outgoing` queues each message as an ``OutboxItem`` (raw bytes in the blob
store, or — for the automatic text-only mail a sync queues by the thousand — built from the
stored message when it is first sent) in the transaction that caused it. This module sends what
is due.

Life of an item::

    pending ──mark "sending" (own commit)──▶ SMTP ──▶ sent
       ▲                                        ├──▶ pending, attempts+1, next_attempt_at (4xx, down)
       │                                        └──▶ failed (5xx, refused, wrong password)
       └───────────── retry_failed() (by hand) ◀────┘

**Never sent twice.** The item is marked ``sending`` in its own committed transaction *before*
the SMTP conversation, and marked ``sent`` right after the server accepts. A crash (power loss,
SIGKILL) between the two leaves a ``sending`` row, and from the database alone nobody can tell
whether the server took the message. We do not guess: at the next drain such a row becomes
``failed`` with a plain note ("the program stopped while sending; it may have been delivered —
check, then retry by hand"), and stays visible to the agent. Re-sending automatically could deliver
twice; dropping it could lose it; the agent, who can ask the client or look at the mail server's
log, decides. The window is one SMTP conversation long, so this is rare. (SMTP itself has one more
such window — a connection lost right after the final dot — which :mod:`desktop.mail.smtp` reports
as retryable; that is the protocol's own limit.)

Only one process drains at a time (a database lease), so a ``sending`` row found by the lease
holder at start-up can only have been left by a process that died.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser

from sqlalchemy import or_, select, update

from desktop import secrets
from desktop.errors import NotFound, ReglamentError
from desktop.mail import smtp
from desktop.mail.transport_errors import MailTransportError, backoff_delay
from desktop.services.accounts import smtp_password, smtp_settings
from desktop.services.upkeep.outgoing import COMPOSE_WHEN_SENT, compose_stored
from desktop.services.workspace import Workspace
from desktop.store.leases import holder_id, release, try_acquire
from desktop.store.models import MailAccount, OutboxItem

__all__ = [
    "INTERRUPTED",
    "DrainReport",
    "drain_outbox",
    "outbox_counts",
    "reconcile_interrupted",
    "retry_delay",
    "retry_failed",
]

log = logging.getLogger("reglament.outbox")

LEASE = "outbox"
LEASE_TTL = timedelta(minutes=5)
INTERRUPTED = (
    "the program stopped while this message was being sent, so it may or may not have reached "
    "the mail server; check with the recipient (or the server's log) and retry it by hand only "
    "if it did not arrive"
)

Sender = Callable[
    [smtp.SmtpSettings, str | None, EmailMessage, str, Sequence[str]], smtp.SendResult
]


def retry_delay(attempts: int) -> timedelta:
    """Back-off after a temporary failure: 1, 2, 4… minutes, at most an hour."""
    return timedelta(seconds=backoff_delay(max(1, attempts), base=60.0, cap=3600.0))


@dataclass
class DrainReport:
    sent: list[int] = field(default_factory=list)
    retrying: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    interrupted: list[int] = field(default_factory=list)
    errors: dict[int, str] = field(default_factory=dict)
    skipped_lease: bool = False

    def summary(self) -> str:
        if self.skipped_lease:
            return "outbox: another workstation is sending right now"
        text = (
            f"outbox: {len(self.sent)} sent, {len(self.retrying)} to retry later, "
            f"{len(self.failed)} failed"
        )
        if self.interrupted:
            text += f", {len(self.interrupted)} interrupted sends need checking"
        return text


# --------------------------------------------------------------------------- the lease


# --------------------------------------------------------------------------- states


def reconcile_interrupted(ws: Workspace) -> list[int]:
    """Turn ``sending`` rows left by a crashed drain into visible ``failed`` ones (see module doc).

    Call only while holding the outbox lease (``drain_outbox`` does).
    """
    with ws.db.session() as s:
        ids = list(s.scalars(select(OutboxItem.id).where(OutboxItem.status == "sending")))
        if ids:
            s.execute(
                update(OutboxItem)
                .where(OutboxItem.id.in_(ids), OutboxItem.status == "sending")
                .values(status="failed", last_error=INTERRUPTED)
                .execution_options(synchronize_session=False)
            )
            log.warning("outbox items %s were interrupted while sending; marked failed", ids)
    return ids


def retry_failed(ws: Workspace, ids: Sequence[int] | None = None) -> int:
    """Put failed items (all, or these ids) back in the queue, due at once. Returns how many."""
    with ws.db.session() as s:
        query = (
            update(OutboxItem)
            .where(OutboxItem.status == "failed")
            .values(status="pending", next_attempt_at=None)
            .execution_options(synchronize_session=False)
        )
        if ids is not None:
            query = query.where(OutboxItem.id.in_(list(ids)))
        result = s.execute(query)
        return int(result.rowcount)  # type: ignore[attr-defined]


def outbox_counts(ws: Workspace) -> dict[str, int]:
    from sqlalchemy import func

    with ws.db.session() as s:
        rows = s.execute(select(OutboxItem.status, func.count()).group_by(OutboxItem.status)).all()
    return {str(status): int(count) for status, count in rows}


def _due(ws: Workspace, now: datetime) -> list[int]:
    with ws.db.session() as s:
        return list(
            s.scalars(
                select(OutboxItem.id)
                .where(
                    OutboxItem.status == "pending",
                    or_(OutboxItem.not_before.is_(None), OutboxItem.not_before <= now),
                    or_(OutboxItem.next_attempt_at.is_(None), OutboxItem.next_attempt_at <= now),
                )
                .order_by(OutboxItem.id)
            )
        )


def _claim(ws: Workspace, item_id: int) -> bool:
    """pending → sending, committed before any byte goes to the SMTP server."""
    with ws.db.session() as s:
        result = s.execute(
            update(OutboxItem)
            .where(OutboxItem.id == item_id, OutboxItem.status == "pending")
            .values(status="sending", attempts=OutboxItem.attempts + 1)
            .execution_options(synchronize_session=False)
        )
        return int(result.rowcount) == 1  # type: ignore[attr-defined]


def _settle(ws: Workspace, item_id: int, **values: object) -> None:
    with ws.db.session() as s:
        s.execute(
            update(OutboxItem)
            .where(OutboxItem.id == item_id, OutboxItem.status == "sending")
            .values(**values)
            .execution_options(synchronize_session=False)
        )


class _NotSendable(ReglamentError):
    """Nothing was sent, and trying later may help (no account yet, keyring locked…)."""


def _account_for(ws: Workspace, item: OutboxItem) -> MailAccount:
    with ws.db.session() as s:
        acc = s.get(MailAccount, item.account_id) if item.account_id is not None else None
        if acc is None or not acc.enabled:
            acc = s.scalar(
                select(MailAccount).where(MailAccount.enabled.is_(True)).order_by(MailAccount.id)
            )
        if acc is None:
            raise _NotSendable("no enabled mail account to send from; add one with `reglament account add`")
        s.expunge(acc)
    return acc


def _load(ws: Workspace, item_id: int) -> OutboxItem:
    with ws.db.session() as s:
        item = s.get(OutboxItem, item_id)
        if item is None:
            raise NotFound("outbox item {id} vanished", id=item_id)
        s.expunge(item)
    return item


def _message(ws: Workspace, item: OutboxItem) -> EmailMessage:
    raw = compose_stored(ws, item) if item.raw_sha256 == COMPOSE_WHEN_SENT else ws.blobs.get(item.raw_sha256)
    parsed = BytesParser(policy=policy.SMTP).parsebytes(raw)
    assert isinstance(parsed, EmailMessage)
    return parsed


def _send_one(ws: Workspace, item_id: int, now: datetime, send: Sender, report: DrainReport) -> None:
    if not _claim(ws, item_id):
        return  # someone else took it meanwhile
    item = _load(ws, item_id)
    attempts = item.attempts
    try:
        acc = _account_for(ws, item)
        msg = _message(ws, item)
        settings = smtp_settings(acc)
        password = smtp_password(acc)
    except (_NotSendable, secrets.KeyringUnavailable, secrets.SecretMissing) as error:
        # Not a single byte went out: back to pending, retried later.
        _settle(
            ws, item_id, status="pending", last_error=str(error),
            next_attempt_at=now + retry_delay(attempts),
        )
        report.retrying.append(item_id)
        report.errors[item_id] = str(error)
        return
    except ReglamentError as error:  # the stored message itself is missing or unusable
        _settle(ws, item_id, status="failed", last_error=str(error), next_attempt_at=None)
        report.failed.append(item_id)
        report.errors[item_id] = str(error)
        return
    try:
        result = send(settings, password, msg, item.envelope_from or acc.email, list(item.recipients))
    except MailTransportError as error:
        if error.retryable:
            _settle(
                ws, item_id, status="pending", last_error=str(error),
                next_attempt_at=now + retry_delay(attempts),
            )
            report.retrying.append(item_id)
        else:
            _settle(ws, item_id, status="failed", last_error=str(error), next_attempt_at=None)
            report.failed.append(item_id)
        report.errors[item_id] = str(error)
        return
    except ReglamentError as error:  # e.g. no recipients: nothing can make it sendable
        _settle(ws, item_id, status="failed", last_error=str(error), next_attempt_at=None)
        report.failed.append(item_id)
        report.errors[item_id] = str(error)
        return
    note = None
    if result.refused:
        note = "not delivered to: " + "; ".join(
            f"{addr} ({code} {reply})" for addr, (code, reply) in result.refused.items()
        )
    _settle(ws, item_id, status="sent", sent_at=now, last_error=note, next_attempt_at=None)
    report.sent.append(item_id)


def drain_outbox(
    ws: Workspace,
    now: datetime | None = None,
    *,
    send: Sender | None = None,
    limit: int | None = None,
) -> DrainReport:
    """Send every pending item due at ``now`` (default ``ws.now()``); one process at a time.

    ``send`` is :func:`desktop.mail.smtp.send` unless a caller wraps it (e.g. to count).
    """
    report = DrainReport()
    moment = now or ws.now()
    me = holder_id()
    with ws.db.session() as s:
        if not try_acquire(s, LEASE, me, ws.now(), LEASE_TTL):
            report.skipped_lease = True
            return report
    try:
        report.interrupted = reconcile_interrupted(ws)
        due = _due(ws, moment)
        if limit is not None:
            due = due[:limit]
        for item_id in due:
            _send_one(ws, item_id, moment, send or smtp.send, report)
            with ws.db.session() as s:  # renew: a long queue must not let the lease lapse
                try_acquire(s, LEASE, me, ws.now(), LEASE_TTL)
    finally:
        with ws.db.session() as s:
            release(s, LEASE, me)
    return report
