"""The outbox over a real SMTP server: retried while the server is down, sent exactly once after."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import timedelta
from email.message import EmailMessage
from typing import Any

import pytest
from sqlalchemy import select, update

from desktop.mail import smtp as smtp_mod
from desktop.services.background.outbox import (
    INTERRUPTED,
    drain_outbox,
    outbox_counts,
    retry_failed,
)
from desktop.services.background.sync import sync_account_once
from desktop.store.models import OutboxItem
from tests.conftest import FixedClock
from tests.integration.conftest import Mailbox
from tests.integration.sync_support import client_mail, make_account
from tests.integration.sync_support import memory_keyring as memory_keyring_installed
from tests.servers.smtp import SmtpServer
from tests.unit.memory_keyring import MemoryKeyring

pytestmark = pytest.mark.integration


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    with memory_keyring_installed() as backend:
        yield backend


@pytest.fixture
def smtp(mailbox: Mailbox, smtp_server_factory: Callable[..., SmtpServer]) -> SmtpServer:
    return smtp_server_factory(users={mailbox.user: mailbox.password}, require_auth=True)


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


def test_smtp_down_then_up_drains_each_message_exactly_once(
    ws: Any, clock: FixedClock, memory_keyring: MemoryKeyring, mailbox: Mailbox, smtp: SmtpServer
) -> None:
    ids = queue_acknowledgements(ws, mailbox, smtp, 3)
    smtp.stop()

    down = drain_outbox(ws)
    assert down.sent == [] and down.retrying == ids
    for item in items(ws):
        assert item.status == "pending" and item.attempts == 1
        assert item.last_error is not None
        assert item.last_error.startswith(f"cannot reach {smtp.host}:{smtp.port}")
        assert item.next_attempt_at is not None
        assert timedelta(seconds=50) <= item.next_attempt_at - clock.t <= timedelta(seconds=70)

    # Not due yet: nothing is tried, nothing counted.
    assert drain_outbox(ws).retrying == []
    assert {i.attempts for i in items(ws)} == {1}

    clock.advance(minutes=1, seconds=10)
    again = drain_outbox(ws)
    assert again.retrying == ids and {i.attempts for i in items(ws)} == {2}
    assert all(i.next_attempt_at is not None and
               timedelta(seconds=100) <= i.next_attempt_at - clock.t <= timedelta(seconds=140)
               for i in items(ws))

    smtp.start()
    clock.advance(minutes=3)
    up = drain_outbox(ws)
    assert up.sent == ids
    received = smtp.wait_for(3)
    assert sorted(m.rcpt_tos[0] for m in received) == [f"client{n}@firm{n}.example" for n in range(3)]
    assert all(i.status == "sent" and i.sent_at == clock.t and i.last_error is None for i in items(ws))

    clock.advance(hours=2)
    assert drain_outbox(ws).sent == []
    assert len(smtp.messages) == 3
    assert outbox_counts(ws) == {"sent": 3}


def test_permanent_refusal_fails_visibly_and_is_retried_by_hand(
    ws: Any, memory_keyring: MemoryKeyring, mailbox: Mailbox, smtp: SmtpServer
) -> None:
    [item_id] = queue_acknowledgements(ws, mailbox, smtp, 1)
    smtp.refuse_recipient("client0@firm0.example", "550 5.1.1 No such user here")

    report = drain_outbox(ws)
    assert report.failed == [item_id]
    [item] = items(ws)
    assert item.status == "failed"
    assert item.last_error == "the server refused the recipients: client0@firm0.example: 550 5.1.1 No such user here"
    assert drain_outbox(ws).failed == []  # a failed item stays put until someone decides

    smtp.recipient_replies.clear()
    assert retry_failed(ws) == 1
    assert drain_outbox(ws).sent == [item_id]
    assert len(smtp.wait_for(1)) == 1


def test_a_crash_after_the_server_accepted_never_leads_to_a_second_copy(
    ws: Any, memory_keyring: MemoryKeyring, mailbox: Mailbox, smtp: SmtpServer
) -> None:
    [item_id] = queue_acknowledgements(ws, mailbox, smtp, 1)

    class Crash(BaseException):
        """The process dies right after the SMTP server took the message."""

    def send_then_die(
        settings: smtp_mod.SmtpSettings, password: str | None, msg: EmailMessage,
        envelope_from: str, recipients: Sequence[str],
    ) -> smtp_mod.SendResult:
        smtp_mod.send(settings, password, msg, envelope_from, recipients)
        raise Crash

    with pytest.raises(Crash):
        drain_outbox(ws, send=send_then_die)
    assert len(smtp.wait_for(1)) == 1
    assert items(ws)[0].status == "sending"

    # The next drain cannot know whether it went out: it does not resend, it asks a person.
    report = drain_outbox(ws)
    assert report.interrupted == [item_id] and report.sent == []
    [item] = items(ws)
    assert (item.status, item.last_error) == ("failed", INTERRUPTED)
    assert len(smtp.messages) == 1


def test_an_item_without_account_goes_out_through_the_first_enabled_one(
    ws: Any, memory_keyring: MemoryKeyring, mailbox: Mailbox, smtp: SmtpServer
) -> None:
    [item_id] = queue_acknowledgements(ws, mailbox, smtp, 1)
    with ws.db.session() as s:
        s.execute(update(OutboxItem).values(account_id=None))
    assert drain_outbox(ws).sent == [item_id]
    [mail] = smtp.wait_for(1)
    assert mail.authenticated_as == mailbox.user


def test_not_before_holds_an_item_back(
    ws: Any, clock: FixedClock, memory_keyring: MemoryKeyring, mailbox: Mailbox, smtp: SmtpServer
) -> None:
    [item_id] = queue_acknowledgements(ws, mailbox, smtp, 1)
    with ws.db.session() as s:
        s.execute(update(OutboxItem).values(not_before=clock.t + timedelta(minutes=30)))
    assert drain_outbox(ws).sent == []
    assert drain_outbox(ws, now=clock.t + timedelta(minutes=30)).sent == [item_id]
    assert len(smtp.wait_for(1)) == 1
