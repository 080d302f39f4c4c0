"""A restored mailbox is the same mail (R-MAIL-11) — against a real Dovecot and a real SMTP server.

A backup tool deletes a mailbox's messages and uploads them again with one header of its own:
new UIDs, same mail. Nothing may come of it — no ticket, no acknowledgement, no history line —
beyond a "seen again" count on the stored message. A different message that reuses a Message-ID
is still mail of its own.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import func, select

from desktop.services.background.outbox import drain_outbox
from desktop.services.background.sync import sync_account_once
from desktop.store.models import HistoryEvent, Message, OutboxItem, Ticket
from tests.integration.conftest import Mailbox
from tests.integration.sync_support import client_mail, make_account, many_questions
from tests.servers.smtp import SmtpServer
from tests.unit.memory_keyring import MemoryKeyring

pytestmark = pytest.mark.integration


def _counts(ws: Any) -> tuple[int, int, int, int]:
    with ws.db.session() as s:
        return (
            s.scalar(select(func.count(Ticket.id))) or 0,
            s.scalar(select(func.count(Message.id)).where(Message.direction == "in")) or 0,
            s.scalar(select(func.count(OutboxItem.id))) or 0,
            s.scalar(select(func.count(HistoryEvent.id))) or 0,
        )


def _restored(raw: bytes) -> bytes:
    """What a backup tool uploads: the message with a header of its own on top."""
    return b"X-Backup-Restored: 2026-11-17T09:00:00Z by mailbackup 3.2\r\n" + raw


def test_restoring_300_messages_with_an_added_header_opens_nothing_and_sends_nothing(
    ws: Any, clock: Any, memory_keyring: MemoryKeyring, mailbox: Mailbox,
    smtp_server_factory: Callable[..., SmtpServer],
) -> None:
    smtp = smtp_server_factory(users={mailbox.user: mailbox.password}, require_auth=True)
    account_id = make_account(ws, mailbox, smtp)
    raws = many_questions(300, senders=300)  # one sender each: the hourly limit holds nothing back
    first = mailbox.append_many(raws)
    report = sync_account_once(ws, account_id)
    assert report.ok and len(report.new_tickets) == 300 and report.acknowledged == 300
    assert len(drain_outbox(ws).sent) == 300
    smtp.wait_for(300)
    before = _counts(ws)

    # The backup tool: everything deleted, then uploaded again with its header (new UIDs).
    mailbox.server.delete_messages(mailbox.user, first.uids)
    clock.advance(hours=2)  # past the hourly limit, so only identity can hold acknowledgements back
    again = mailbox.append_many([_restored(r) for r in raws])
    assert min(again.uids) > max(first.uids)

    report = sync_account_once(ws, account_id)
    assert report.ok and report.fetched == 300
    assert (len(report.new_tickets), report.joined, report.acknowledged) == (0, [], 0)
    assert report.seen_again == 300
    assert "300 seen again (stored mail restored or copied back)" in report.summary()
    assert drain_outbox(ws).sent == []
    assert _counts(ws) == before  # no ticket, no message row, no outbox item, no history line
    assert len(smtp.messages) == 300  # the SMTP server got nothing more
    with ws.db.session() as s:
        assert set(s.scalars(select(Message.seen_again).where(Message.direction == "in"))) == {1}

    # A different message reusing one of those Message-IDs (a broken mailer) is its own mail.
    reused = client_mail("Совсем другой вопрос", body="Другой текст, другой вопрос.",
                         msgid="<q7@client.example>", sender="other@client.example")
    mailbox.append(reused)
    report = sync_account_once(ws, account_id)
    assert report.ok and len(report.new_tickets) == 1 and report.seen_again == 0


def test_a_restored_message_is_recognised_on_postgres(tmp_path: Any, clock: Any, postgres_url: str) -> None:
    """The identity columns and lookups on a team's PostgreSQL, including mail stored before
    identities existed (re-read from its raw file)."""
    from sqlalchemy import update

    from desktop.services.workspace import open_workspace
    from tests.unit.test_ingest import account, ingest

    ws = open_workspace(home=tmp_path / "pg", db_url=postgres_url, clock=clock, actor="anna")
    try:
        acc = account(ws)
        raws = many_questions(20, senders=20)
        assert len(ingest(ws, acc, *raws).new_tickets) == 20
        with ws.db.session() as s:  # half of them as a database migrated from 0005 has them
            s.execute(update(Message).where(Message.id % 2 == 0).values(identity=None))
        before = _counts(ws)
        clock.advance(hours=2)
        again = ingest(ws, acc, *[_restored(r) for r in raws], start_uid=100)
        assert (again.new_tickets, again.acknowledged, again.seen_again) == ([], 0, 20)
        assert _counts(ws) == before
        with ws.db.session() as s:
            assert s.scalar(select(func.count(Message.id)).where(
                Message.identity.is_(None), Message.direction == "in")) == 0
            assert s.scalar(select(func.sum(Message.seen_again))) == 20
    finally:
        ws.close()


def test_mail_moved_to_another_folder_and_back_opens_nothing(
    ws: Any, clock: Any, memory_keyring: MemoryKeyring, mailbox: Mailbox,
    smtp_server_factory: Callable[..., SmtpServer],
) -> None:
    smtp = smtp_server_factory(users={mailbox.user: mailbox.password}, require_auth=True)
    account_id = make_account(ws, mailbox, smtp)
    mailbox.append_many(many_questions(12, senders=12))
    assert len(sync_account_once(ws, account_id).new_tickets) == 12
    assert len(drain_outbox(ws).sent) == 12
    before = _counts(ws)

    mailbox.server.create_folder(mailbox.user, "Archive")
    client = mailbox.server.client(mailbox.user)
    try:  # an agent files the mail away in a mail client, then changes their mind
        client.select_folder("INBOX")
        client.move(client.search("ALL"), "Archive")
        client.select_folder("Archive")
        client.move(client.search("ALL"), "INBOX")
    finally:
        client.logout()
    clock.advance(hours=2)
    report = sync_account_once(ws, account_id)
    assert report.ok and report.fetched == 12
    assert (report.new_tickets, report.acknowledged, report.duplicates + report.seen_again) == ([], 0, 12)
    assert drain_outbox(ws).sent == [] and len(smtp.messages) == 12
    assert _counts(ws) == before
