"""The outbox over a real SMTP server with AUTH (aiosmtpd): sent when asked, once per message, over
one connection; a server out of reach gives one verdict; refusals fail with the server's words."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select, update

from desktop.mail.smtp import Outgoing, SendResult
from desktop.mail.smtp_session import SmtpSession
from desktop.services.background.outbox import BREAKER_COOL_DOWN, INTERRUPTED, drain_outbox
from desktop.services.background.outbox_manage import drop_item, retry_items
from desktop.services.background.sync import sync_account_once
from desktop.services.reads.listing import stats
from desktop.services.reads.outbox import outbox_counts, outbox_rows
from desktop.store.models import HistoryEvent, Message, OutboxItem
from tests.conftest import FixedClock
from tests.integration.conftest import Mailbox
from tests.integration.sync_support import client_mail, make_account
from tests.servers.smtp import SmtpServer
from tests.unit.memory_keyring import MemoryKeyring

pytestmark = pytest.mark.integration

NO_PAUSE: Callable[[float], object] = lambda _seconds: None  # noqa: E731


def queue_acknowledgements(ws: Any, mailbox: Mailbox, smtp: SmtpServer, count: int) -> list[int]:
    """``count`` new tickets from different clients → ``count`` acknowledgements queued."""
    account_id = make_account(ws, mailbox, smtp)
    mailbox.append_many(
        [client_mail(f"Вопрос {n}", sender=f"client{n}@firm{n}.example", msgid=f"<o{n}@x>")
         for n in range(count)]
    )
    report = sync_account_once(ws, account_id)
    assert report.ok and report.acknowledged == count
    with ws.db.session() as s:
        return list(s.scalars(select(OutboxItem.id).order_by(OutboxItem.id)))


def items(ws: Any) -> list[OutboxItem]:
    with ws.db.session() as s:
        return list(s.scalars(select(OutboxItem).order_by(OutboxItem.id)))


def test_smtp_down_gives_one_verdict_and_a_request_sends_everything_once_when_it_is_back(
    ws: Any, clock: FixedClock, memory_keyring: MemoryKeyring, mailbox: Mailbox, smtp: SmtpServer
) -> None:
    ids = queue_acknowledgements(ws, mailbox, smtp, 5)
    smtp.stop()

    down = drain_outbox(ws, pause=NO_PAUSE)
    assert down.sent == [] and down.failed == [] and down.waiting == ids
    assert down.verdict is not None
    assert down.verdict.startswith(f"cannot reach {smtp.host}:{smtp.port}: connection refused")
    assert "; 5 messages wait; next try 2026-11-17T" in down.verdict
    for item in items(ws):  # not the messages' fault: none is failed, none counts an attempt
        assert (item.status, item.attempts) == ("pending", 0)
        assert item.next_attempt_at == clock.t + BREAKER_COOL_DOWN
    counts = outbox_counts(ws)
    assert (counts.waiting, counts.backing_off, counts.failed, counts.pending) == (0, 5, 0, 5)
    assert counts.next_try_at == clock.t + BREAKER_COOL_DOWN
    assert stats(ws)["outbox_pending"] == 5 and stats(ws)["outbox_failed"] == 0

    # The background loop waits out the cool-down; nothing is tried.
    assert drain_outbox(ws, pause=NO_PAUSE).waiting == []

    smtp.start()
    # Asked to send now: back-off or not, everything goes, over one connection and one AUTH.
    up = drain_outbox(ws, force=True)
    assert up.sent == ids and up.verdict is None and up.connections == 1
    received = smtp.wait_for(5)
    assert smtp.logins == 1
    assert sorted(m.rcpt_tos[0] for m in received) == [f"client{n}@firm{n}.example" for n in range(5)]
    assert all(i.status == "sent" and i.sent_at == clock.t and i.attempts == 1 for i in items(ws))

    clock.advance(hours=2)
    assert drain_outbox(ws, force=True).sent == []
    assert len(smtp.messages) == 5
    assert outbox_counts(ws).sent == 5 and outbox_counts(ws).pending == 0


def test_a_553_fails_that_message_with_the_servers_words_everywhere(
    ws: Any, memory_keyring: MemoryKeyring, mailbox: Mailbox, smtp: SmtpServer
) -> None:
    ids = queue_acknowledgements(ws, mailbox, smtp, 3)
    words = "553 5.1.3 Recipient address rejected: bad domain"
    smtp.refuse_recipient("client1@firm1.example", words)

    report = drain_outbox(ws, force=True)
    assert report.sent == [ids[0], ids[2]] and report.failed == [ids[1]]
    expected = f"the server refused the recipients: client1@firm1.example: {words}"
    assert report.errors[ids[1]] == expected
    failed = [i for i in items(ws) if i.status == "failed"]
    assert [(i.id, i.last_error) for i in failed] == [(ids[1], expected)]
    # One definition of the counts: failed is failed everywhere, and not pending.
    assert stats(ws)["outbox_pending"] == 0 and stats(ws)["outbox_failed"] == 1
    assert outbox_counts(ws).failed == 1
    [row] = outbox_rows(ws)
    assert (row.id, row.state, row.error) == (ids[1], "failed", expected)
    assert drain_outbox(ws, force=True).failed == []  # a failed one waits for a person

    smtp.recipient_replies.clear()
    assert retry_items(ws, [ids[1]]) == 1
    assert drain_outbox(ws).sent == [ids[1]]
    assert len(smtp.wait_for(3)) == 3


def test_a_temporary_refusal_backs_that_message_off_and_the_rest_go(
    ws: Any, clock: FixedClock, memory_keyring: MemoryKeyring, mailbox: Mailbox, smtp: SmtpServer
) -> None:
    ids = queue_acknowledgements(ws, mailbox, smtp, 3)
    smtp.refuse_recipient("client0@firm0.example", "451 4.3.0 Try again later")
    report = drain_outbox(ws)
    assert report.sent == ids[1:] and report.retrying == [ids[0]]
    first = items(ws)[0]
    assert (first.status, first.attempts) == ("pending", 1)
    assert first.next_attempt_at is not None and first.next_attempt_at > clock.t
    assert outbox_counts(ws).backing_off == 1
    smtp.recipient_replies.clear()
    assert drain_outbox(ws).sent == []  # the loop respects the back-off…
    assert drain_outbox(ws, force=True).sent == [ids[0]]  # …a request does not


def test_a_dropped_connection_is_reopened_and_nothing_is_sent_twice(
    ws: Any, memory_keyring: MemoryKeyring, mailbox: Mailbox, smtp: SmtpServer
) -> None:
    ids = queue_acknowledgements(ws, mailbox, smtp, 7)
    smtp.messages_per_connection = 3
    report = drain_outbox(ws, force=True)
    assert report.sent == ids
    received = smtp.wait_for(7)
    assert len(received) == 7 and len({m.message["Message-ID"] for m in received}) == 7
    assert report.connections == 3 and smtp.logins == 3


def test_a_crash_mid_drain_leaves_only_the_message_on_the_wire_in_doubt(
    ws: Any, memory_keyring: MemoryKeyring, mailbox: Mailbox, smtp: SmtpServer
) -> None:
    ids = queue_acknowledgements(ws, mailbox, smtp, 4)

    class Crash(BaseException):
        """The process dies right after the SMTP server took the second message."""

    class Dying(SmtpSession):
        def send(self, msg: Outgoing, envelope_from: str, recipients: Sequence[str],
                 before_dot: Callable[[], object] | None = None) -> SendResult:
            result = super().send(msg, envelope_from, recipients, before_dot)
            if len(smtp.messages) == 2:
                raise Crash
            return result

    with pytest.raises(Crash):
        drain_outbox(ws, connect=Dying)
    assert [i.status for i in items(ws)] == ["sent", "sending", "sending", "sending"]

    # The next drain cannot know whether the second went out: it asks a person about that one
    # only; the two never tried go out now.
    report = drain_outbox(ws, force=True)
    assert report.interrupted == [ids[1]] and report.sent == ids[2:]
    assert [(i.status, i.last_error) for i in items(ws)][1] == ("failed", INTERRUPTED)
    assert len(smtp.wait_for(4)) == 4
    assert sorted(m.rcpt_tos[0] for m in smtp.messages) == [f"client{n}@firm{n}.example" for n in range(4)]


def test_a_dropped_message_leaves_the_outbox_and_stays_in_its_ticket(
    ws: Any, memory_keyring: MemoryKeyring, mailbox: Mailbox, smtp: SmtpServer
) -> None:
    [item_id] = queue_acknowledgements(ws, mailbox, smtp, 1)
    tid = drop_item(ws, item_id)
    assert tid is not None
    [item] = items(ws)
    assert item.status == "dropped"
    assert drain_outbox(ws, force=True).sent == [] and smtp.messages == []
    with ws.db.session() as s:
        assert s.get(Message, item.message_row_id) is not None
        assert s.scalar(select(HistoryEvent.action).where(HistoryEvent.action == "outbox_dropped"))
    assert outbox_counts(ws).pending == 0 and outbox_counts(ws).dropped == 1


def test_an_item_without_account_goes_out_through_the_first_enabled_one(
    ws: Any, memory_keyring: MemoryKeyring, mailbox: Mailbox, smtp: SmtpServer
) -> None:
    [item_id] = queue_acknowledgements(ws, mailbox, smtp, 1)
    with ws.db.session() as s:
        s.execute(update(OutboxItem).values(account_id=None))
    assert drain_outbox(ws).sent == [item_id]
    [mail] = smtp.wait_for(1)
    assert mail.authenticated_as == mailbox.user


def test_not_before_holds_an_item_back_even_when_asked(
    ws: Any, clock: FixedClock, memory_keyring: MemoryKeyring, mailbox: Mailbox, smtp: SmtpServer
) -> None:
    [item_id] = queue_acknowledgements(ws, mailbox, smtp, 1)
    with ws.db.session() as s:
        s.execute(update(OutboxItem).values(not_before=clock.t + timedelta(minutes=30)))
    assert drain_outbox(ws, force=True).sent == []
    assert drain_outbox(ws, now=clock.t + timedelta(minutes=30)).sent == [item_id]
    assert len(smtp.wait_for(1)) == 1


def test_a_wrong_password_stops_at_once_and_fails_nothing(
    ws: Any, memory_keyring: MemoryKeyring, mailbox: Mailbox,
    smtp_server_factory: Callable[..., SmtpServer],
) -> None:
    smtp = smtp_server_factory(users={mailbox.user: "another password"}, require_auth=True)
    ids = queue_acknowledgements(ws, mailbox, smtp, 3)
    report = drain_outbox(ws, force=True, pause=NO_PAUSE)
    assert report.waiting == ids and report.failed == []
    assert report.verdict is not None
    assert report.verdict.startswith(f"authentication failed for {mailbox.user}@{smtp.host}")
    assert {i.status for i in items(ws)} == {"pending"}


def test_on_postgres_down_then_up_sends_each_once_over_one_login(
    tmp_path: Any, postgres_url: str, memory_keyring: MemoryKeyring, mailbox: Mailbox, smtp: SmtpServer
) -> None:
    """The same drain on a team's PostgreSQL: chunk claims, the held recording connection, the
    composing thread and the breaker's verdict."""
    from desktop.services.workspace import open_workspace

    clock = FixedClock(datetime(2026, 11, 17, 7, 0, tzinfo=UTC))
    ws = open_workspace(home=tmp_path / "pg", db_url=postgres_url, clock=clock, actor="anna")
    try:
        ids = queue_acknowledgements(ws, mailbox, smtp, 30)
        smtp.stop()
        down = drain_outbox(ws, pause=NO_PAUSE)
        assert down.waiting == ids and down.verdict is not None and "30 messages wait" in down.verdict
        assert stats(ws)["outbox_pending"] == 30 and stats(ws)["outbox_backing_off"] == 30
        smtp.start()
        up = drain_outbox(ws, force=True)
        assert up.sent == ids and smtp.logins == 1
        assert len(smtp.wait_for(30)) == 30
        assert {i.status for i in items(ws)} == {"sent"}
        assert drain_outbox(ws, force=True).sent == [] and len(smtp.messages) == 30
    finally:
        ws.close()
