"""The IMAP connection layer against a real Dovecot: TLS, login, batches, IDLE, faults."""

from __future__ import annotations

import datetime as dt
import re
import socket
import threading
import traceback
from collections.abc import Callable
from email.message import EmailMessage

import pytest

from desktop.errors import ConfigError
from desktop.mail import imap
from desktop.mail.imap import ImapSettings
from desktop.mail.transport_errors import (
    AuthenticationFailed,
    CertificateNotTrusted,
    ConnectionLost,
    HostUnreachable,
    InsecureConnectionRefused,
    MailTransportError,
    ProtocolError,
    backoff_delay,
    is_loopback,
    retry_with_backoff,
)
from tests.integration.conftest import AGENT, AGENT_PASSWORD, OPERATOR, OPERATOR_PASSWORD, Mailbox
from tests.servers import free_port
from tests.servers.dovecot import DovecotServer

pytestmark = pytest.mark.integration

MSK = dt.timezone(dt.timedelta(hours=3))
VLADIVOSTOK = dt.timezone(dt.timedelta(hours=10))


def cyrillic_message(number: int) -> bytes:
    msg = EmailMessage()
    msg["From"] = "Иван Петров <ivan@client.example>"
    msg["To"] = "support@example.com"
    msg["Subject"] = f"Не работает выгрузка №{number}"
    msg["Message-ID"] = f"<m{number}@client.example>"
    msg.set_content(f"Здравствуйте! Письмо номер {number}.\nС уважением, Иван.\n")
    return msg.as_bytes().replace(b"\n", b"\r\n")


def settings_for(server: DovecotServer, user: str, **overrides: object) -> ImapSettings:
    values: dict[str, object] = {
        "host": server.host,
        "port": server.port,
        "security": "none",
        "user": user,
        "timeout": 10.0,
    }
    values.update(overrides)
    return ImapSettings(**values)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- reading mail


def test_fetches_new_cyrillic_messages_in_batches_with_aware_internaldate(mailbox: Mailbox) -> None:
    dates = [
        dt.datetime(2025, 3, 3, 9, 15, 0, tzinfo=MSK),
        dt.datetime(2025, 3, 3, 23, 59, 59, tzinfo=MSK),
        dt.datetime(2025, 3, 4, 1, 0, 0, tzinfo=VLADIVOSTOK),
        dt.datetime(2024, 12, 31, 20, 0, 0, tzinfo=dt.UTC),
        dt.datetime(2025, 11, 1, 10, 30, 0, tzinfo=MSK),
    ]
    raws = [cyrillic_message(n) for n in range(len(dates))]
    appended = mailbox.append_many(list(zip(raws, dates, strict=True)))

    with imap.connect(mailbox.settings(), mailbox.password) as session:
        state = session.select()
        assert state.uidvalidity == appended.uidvalidity
        assert state.uidnext == appended.uids[-1] + 1
        assert state.exists == 5
        assert "IDLE" in state.capabilities
        batches = list(session.fetch_since(0, batch_size=2))

    assert [len(batch) for batch in batches] == [2, 2, 1]
    fetched = [message for batch in batches for message in batch]
    assert [m.uid for m in fetched] == list(appended.uids)
    for message, raw, when in zip(fetched, raws, dates, strict=True):
        assert message.raw == raw
        assert message.internaldate.utcoffset() is not None
        assert message.internaldate == when
        assert "\\Seen" not in message.flags


def test_fetching_does_not_mark_messages_seen(mailbox: Mailbox) -> None:
    mailbox.append(cyrillic_message(1))
    with imap.connect(mailbox.settings(), mailbox.password) as session:
        session.select()
        (batch,) = list(session.fetch_since(0))
        assert len(batch) == 1
    client = mailbox.server.client(mailbox.user)
    try:
        client.select_folder("INBOX", readonly=True)
        flags = client.get_flags(client.search("ALL"))
    finally:
        client.logout()
    assert all(b"\\Seen" not in f for f in flags.values())


def test_fetch_since_returns_only_newer_uids_and_nothing_when_unchanged(mailbox: Mailbox) -> None:
    first = mailbox.append_many([cyrillic_message(n) for n in range(3)])
    with imap.connect(mailbox.settings(), mailbox.password) as session:
        session.select()
        last = first.uids[-1]
        # "UID n:*" matches the highest message even when n is past it: must not come back.
        assert session.uids_since(last) == []
        assert list(session.fetch_since(last)) == []
        later = mailbox.append(cyrillic_message(99))
        assert session.uids_since(last) == [later.uid]
        (batch,) = list(session.fetch_since(last))
        assert [m.uid for m in batch] == [later.uid]
        assert session.uids_since(first.uids[0]) == [*first.uids[1:], later.uid]


def test_expunged_uid_is_absent_not_an_error(mailbox: Mailbox) -> None:
    appended = mailbox.append_many([cyrillic_message(n) for n in range(3)])
    with imap.connect(mailbox.settings(), mailbox.password) as session:
        session.select()
        uids = session.uids_since(0)
        mailbox.server.delete_messages(mailbox.user, [appended.uids[1]])
        fetched = session.fetch(uids)
    assert [m.uid for m in fetched] == [appended.uids[0], appended.uids[2]]


def test_condstore_reports_highestmodseq_that_grows(mailbox: Mailbox) -> None:
    with imap.connect(mailbox.settings(), mailbox.password) as session:
        assert session.has_condstore
        before = session.select().highestmodseq
        mailbox.append(cyrillic_message(1))
        after = session.select().highestmodseq
    assert before is not None and after is not None
    assert after > before


def test_batch_size_must_be_positive(mailbox: Mailbox) -> None:
    with imap.connect(mailbox.settings(), mailbox.password) as session:
        session.select()
        with pytest.raises(ValueError):
            list(session.fetch_since(0, batch_size=0))


# --------------------------------------------------------------------------- login


def test_non_ascii_password_logs_in(mailbox_factory: Callable[..., Mailbox]) -> None:
    box = mailbox_factory(password="пароль-Ёж №7")
    box.append(cyrillic_message(1))
    with imap.connect(box.settings(), box.password) as session:
        assert session.select().exists == 1


def test_wrong_password_is_authentication_failed_without_the_password(mailbox: Mailbox) -> None:
    wrong = "Wrong-Пароль-42"
    with pytest.raises(AuthenticationFailed) as caught:
        imap.connect(mailbox.settings(), wrong)
    error = caught.value
    assert str(error) == f"authentication failed for {mailbox.user}@127.0.0.1"
    assert not error.retryable
    everything = "".join(traceback.format_exception(error)) + repr(error.args) + error.server_reply
    assert wrong not in everything
    assert mailbox.password not in everything


def test_wrong_ascii_password_is_authentication_failed(mailbox: Mailbox) -> None:
    with pytest.raises(AuthenticationFailed, match=rf"^authentication failed for {mailbox.user}@"):
        imap.connect(mailbox.settings(), "nope")


def test_dead_port_is_host_unreachable() -> None:
    port = free_port()
    settings = ImapSettings(host="127.0.0.1", port=port, security="none", user="x", timeout=5)
    with pytest.raises(HostUnreachable) as caught:
        imap.connect(settings, "secret")
    assert str(caught.value).startswith(f"cannot reach 127.0.0.1:{port}: connection refused")
    assert caught.value.retryable


# --------------------------------------------------------------------------- TLS


@pytest.mark.parametrize("security", ["ssl", "starttls"])
def test_untrusted_certificate_is_refused(mailbox: Mailbox, security: str) -> None:
    settings = mailbox.settings(security, ca_file=None)  # type: ignore[arg-type]
    with pytest.raises(CertificateNotTrusted) as caught:
        imap.connect(settings, mailbox.password)
    assert str(caught.value).startswith("the certificate of 127.0.0.1 is not trusted: ")
    assert "self-signed" in str(caught.value) or "issuer" in str(caught.value)
    assert mailbox.password not in str(caught.value)


@pytest.mark.parametrize("security", ["ssl", "starttls"])
def test_trusting_the_ca_file_connects(mailbox: Mailbox, security: str) -> None:
    mailbox.append(cyrillic_message(1))
    settings = mailbox.settings(security)  # type: ignore[arg-type]
    assert settings.ca_file is not None
    verdict = imap.test_connection(settings, mailbox.password)
    expected = "SSL/TLS" if security == "ssl" else "STARTTLS"
    assert verdict == (
        f"connected to 127.0.0.1:{settings.port} over {expected} as {mailbox.user}; "
        "INBOX has 1 messages"
    )


def test_tls_to_a_plaintext_port_is_a_protocol_error(mailbox: Mailbox) -> None:
    settings = mailbox.settings("ssl", port=mailbox.server.port)
    with pytest.raises(ProtocolError, match=re.escape("TLS handshake with 127.0.0.1")):
        imap.connect(settings, mailbox.password)


def test_missing_ca_file_is_a_config_error(mailbox: Mailbox) -> None:
    settings = mailbox.settings("ssl", ca_file="/nonexistent/ca.pem")
    with pytest.raises(ConfigError, match=re.escape("/nonexistent/ca.pem")):
        imap.connect(settings, mailbox.password)


# --------------------------------------------------------------------------- plaintext policy


def test_plaintext_to_a_remote_host_is_refused_before_any_traffic(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def no_network(*args: object, **kwargs: object) -> socket.socket:
        raise AssertionError("a connection was attempted")

    monkeypatch.setattr(socket, "create_connection", no_network)
    settings = ImapSettings(host="imap.example.com", port=143, security="none", user="agent")
    with pytest.raises(InsecureConnectionRefused) as caught:
        imap.connect(settings, "secret")
    assert "imap.example.com:143" in str(caught.value)
    assert "secret" not in str(caught.value)

    allowed = ImapSettings(
        host="imap.example.com", port=143, security="none", user="agent", allow_insecure=True
    )
    with pytest.raises(AssertionError, match="a connection was attempted"):
        imap.connect(allowed, "secret")


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.10.0.1", True),
        ("::1", True),
        ("[::1]", True),
        ("localhost", True),
        ("LOCALHOST.", True),
        ("10.0.0.1", False),
        ("imap.example.com", False),
        ("localhost.example.com", False),
    ],
)
def test_loopback_detection(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_settings_are_validated() -> None:
    with pytest.raises(ConfigError, match="ssl, starttls, none"):
        ImapSettings(host="h", port=993, security="tls", user="u")  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="port"):
        ImapSettings(host="h", port=0, security="ssl", user="u")
    with pytest.raises(ConfigError, match="host"):
        ImapSettings(host=" ", port=993, security="ssl", user="u")


# --------------------------------------------------------------------------- waiting for mail


def test_idle_wakes_up_when_mail_is_appended_from_another_connection(mailbox: Mailbox) -> None:
    with imap.connect(mailbox.settings(), mailbox.password) as session:
        session.select()
        assert session.has_idle
        appender = threading.Thread(target=mailbox.append, args=(cyrillic_message(5),))
        appender.start()
        try:
            assert session.idle_wait(timeout=10) is True
        finally:
            appender.join()
        (batch,) = list(session.fetch_since(0))
        assert len(batch) == 1


def test_idle_returns_false_when_nothing_arrives(mailbox: Mailbox) -> None:
    with imap.connect(mailbox.settings(), mailbox.password) as session:
        session.select()
        assert session.idle_wait(timeout=0.2) is False
        assert session.noop() is False  # the session is still usable after IDLE


def test_noop_reports_new_mail_for_polling(mailbox: Mailbox) -> None:
    with imap.connect(mailbox.settings(), mailbox.password) as session:
        session.select()
        assert session.noop() is False
        mailbox.append(cyrillic_message(1))
        assert session.noop() is True
        assert session.noop() is False


# --------------------------------------------------------------------------- faults


def test_server_stopped_then_restarted(dovecot: DovecotServer) -> None:
    dovecot.append(AGENT, cyrillic_message(1))
    settings = settings_for(dovecot, AGENT)
    session = imap.connect(settings, AGENT_PASSWORD)
    uidvalidity = session.select().uidvalidity

    dovecot.stop()
    with pytest.raises(ConnectionLost) as lost:
        list(session.fetch_since(0))
    assert lost.value.retryable
    assert str(lost.value).startswith(f"the connection to 127.0.0.1:{dovecot.port} was lost")
    session.logout()  # must not raise on a dead connection
    with pytest.raises(HostUnreachable):
        imap.connect(settings, AGENT_PASSWORD)

    dovecot.start()
    with imap.connect(settings, AGENT_PASSWORD) as again:
        state = again.select()
        assert state.uidvalidity == uidvalidity
        assert [m.uid for batch in again.fetch_since(0) for m in batch] == [1]


def test_server_killed_during_idle_is_connection_lost(dovecot: DovecotServer) -> None:
    with imap.connect(settings_for(dovecot, AGENT), AGENT_PASSWORD) as session:
        session.select()
        killer = threading.Timer(0.1, dovecot.kill)
        killer.start()
        try:
            with pytest.raises(ConnectionLost):
                session.idle_wait(timeout=10)
        finally:
            killer.join()


def test_reconnect_with_backoff_after_the_server_comes_back(dovecot: DovecotServer) -> None:
    settings = settings_for(dovecot, OPERATOR)
    dovecot.kill()
    slept: list[float] = []
    retries: list[tuple[int, type[MailTransportError]]] = []

    def sleep(seconds: float) -> None:
        # Time "passes" here: the server comes back during the second pause.
        slept.append(seconds)
        if len(slept) == 2:
            dovecot.start()

    def connect_and_select() -> int:
        with imap.connect(settings, OPERATOR_PASSWORD) as session:
            return session.select().exists

    exists = retry_with_backoff(
        connect_and_select,
        sleep=sleep,
        delay=lambda attempt: backoff_delay(attempt, rand=lambda: 0.5),
        on_retry=lambda attempt, _delay, error: retries.append((attempt, type(error))),
    )
    assert exists == 0
    assert slept == [1.0, 2.0]
    assert retries == [(1, HostUnreachable), (2, HostUnreachable)]


def test_authentication_failure_is_not_retried(dovecot: DovecotServer) -> None:
    slept: list[float] = []
    with pytest.raises(AuthenticationFailed):
        retry_with_backoff(
            lambda: imap.connect(settings_for(dovecot, AGENT), "wrong"), sleep=slept.append
        )
    assert slept == []


def test_uidvalidity_change_renumbers_the_same_messages(dovecot: DovecotServer) -> None:
    raws = [cyrillic_message(n) for n in range(3)]
    dovecot.append_many(AGENT, raws)
    settings = settings_for(dovecot, AGENT)
    with imap.connect(settings, AGENT_PASSWORD) as session:
        old = session.select().uidvalidity
    new = dovecot.reset_uidvalidity(AGENT)
    with imap.connect(settings, AGENT_PASSWORD) as session:
        state = session.select()
        fetched = [m for batch in session.fetch_since(0) for m in batch]
    assert state.uidvalidity == new != old
    assert sorted(m.raw for m in fetched) == sorted(raws)


# --------------------------------------------------------------------------- back-off schedule


def test_backoff_schedule_is_exponential_capped_and_jittered() -> None:
    middle = [backoff_delay(n, rand=lambda: 0.5) for n in range(1, 12)]
    assert middle[:5] == [1.0, 2.0, 4.0, 8.0, 16.0]
    assert middle[-1] == 300.0
    assert backoff_delay(1, rand=lambda: 0.0) == pytest.approx(0.9)
    assert backoff_delay(1, rand=lambda: 1.0) == pytest.approx(1.1)
    assert backoff_delay(20, rand=lambda: 1.0) == 300.0
    with pytest.raises(ValueError):
        backoff_delay(0)


def test_retry_gives_up_after_max_attempts() -> None:
    calls: list[int] = []
    slept: list[float] = []

    def always_down() -> None:
        calls.append(1)
        raise HostUnreachable("mail.example.com", 993, "timed out")

    with pytest.raises(HostUnreachable):
        retry_with_backoff(
            always_down,
            sleep=slept.append,
            max_attempts=3,
            delay=lambda n: backoff_delay(n, rand=lambda: 0.5),
        )
    assert len(calls) == 3
    assert slept == [1.0, 2.0]


def test_retry_stops_when_asked() -> None:
    stop = threading.Event()
    slept: list[float] = []

    def down() -> None:
        raise ConnectionLost("mail.example.com", 993, "reset")

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        stop.set()

    with pytest.raises(ConnectionLost):
        retry_with_backoff(down, sleep=sleep, should_stop=stop.is_set)
    assert len(slept) == 1


def test_protocol_trace_is_off_unless_its_logger_is_on(mailbox: Mailbox) -> None:
    """imaplib's trace (a repr of every body, ten times the cost of the fetch) is built only
    when someone turns its logger on for debugging; the fetched bytes are the same either way."""
    import logging

    raws = [cyrillic_message(n) for n in range(3)]
    mailbox.append_many([(r, dt.datetime(2025, 3, 3, 9, n, tzinfo=MSK)) for n, r in enumerate(raws)])
    with imap.connect(mailbox.settings(), mailbox.password) as session:
        assert session._client._imap.debug == 0
        session.select()
        quiet = [m.raw for batch in session.fetch_since(0) for m in batch]
    trace = logging.getLogger("imapclient.imaplib")
    old_level = trace.level
    trace.setLevel(logging.DEBUG)
    try:
        with imap.connect(mailbox.settings(), mailbox.password) as session:
            assert session._client._imap.debug == 5
            session.select()
            traced = [m.raw for batch in session.fetch_since(0) for m in batch]
    finally:
        trace.setLevel(old_level)
    assert quiet == traced == raws
