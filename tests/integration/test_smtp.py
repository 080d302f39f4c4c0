"""Sending over SMTP against a real aiosmtpd: delivery intact, typed failures, TLS policy."""

from __future__ import annotations

import re
import socket
import traceback
from collections.abc import Callable
from email.message import EmailMessage

import pytest

from desktop.errors import ConfigError, ValidationError
from desktop.mail import smtp
from desktop.mail.smtp import SmtpSettings
from desktop.mail.transport_errors import (
    AuthenticationFailed,
    CertificateNotTrusted,
    HostUnreachable,
    InsecureConnectionRefused,
    MessageRejected,
    ProtocolError,
    RecipientsRefused,
    TemporaryFailure,
)
from tests.servers.smtp import SmtpServer

pytestmark = pytest.mark.integration

SUBJECT = "Ответ: [TID-000123] Не работает выгрузка «1С» — решено"
BODY = "Здравствуйте, Иван!\n\nВыгрузка снова работает. Ёлки-палки, это был кэш.\n"
MAILER = "mailer"
MAILER_PASSWORD = "пароль-отправки №2"


def reply_message(subject: str = SUBJECT) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = "Служба поддержки <support@example.com>"
    msg["To"] = "Иван Петров <ivan@client.example>"
    msg["Bcc"] = "archive@example.com"
    msg["Subject"] = subject
    msg["Message-ID"] = "<reply-1@example.com>"
    msg["In-Reply-To"] = "<m1@client.example>"
    msg["References"] = "<m1@client.example>"
    msg.set_content(BODY)
    return msg


def settings_for(server: SmtpServer, **overrides: object) -> SmtpSettings:
    values: dict[str, object] = {
        "host": server.host,
        "port": server.port,
        "security": "none",
        "timeout": 10.0,
    }
    values.update(overrides)
    return SmtpSettings(**values)  # type: ignore[arg-type]


def test_cyrillic_message_arrives_intact(smtp_server: SmtpServer) -> None:
    result = smtp.send(
        settings_for(smtp_server),
        None,
        reply_message(),
        "support@example.com",
        ["ivan@client.example", "archive@example.com"],
    )
    assert result.accepted == ("ivan@client.example", "archive@example.com")
    assert result.refused == {}
    (mail,) = smtp_server.messages
    assert mail.mail_from == "support@example.com"
    assert mail.rcpt_tos == ("ivan@client.example", "archive@example.com")
    assert mail.message["Subject"] == SUBJECT
    assert mail.message["In-Reply-To"] == "<m1@client.example>"
    assert mail.message["Message-ID"] == "<reply-1@example.com>"
    assert mail.message["Bcc"] is None  # the envelope carries Bcc, the header must not
    assert mail.message.get_content() == BODY
    assert str(mail.message["From"].addresses[0].display_name) == "Служба поддержки"


def test_login_with_a_non_ascii_password(smtp_server_factory: Callable[..., SmtpServer]) -> None:
    server = smtp_server_factory(users={MAILER: MAILER_PASSWORD}, require_auth=True)
    settings = settings_for(server, user=MAILER)
    smtp.send(settings, MAILER_PASSWORD, reply_message(), "support@example.com", ["a@b.example"])
    (mail,) = server.messages
    assert mail.authenticated_as == MAILER


def test_login_with_an_ascii_password(smtp_server_factory: Callable[..., SmtpServer]) -> None:
    server = smtp_server_factory(users={"robot": "s3cret"}, require_auth=True)
    smtp.send(
        settings_for(server, user="robot"),
        "s3cret",
        reply_message(),
        "support@example.com",
        ["a@b.example"],
    )
    assert server.messages[0].authenticated_as == "robot"


@pytest.mark.parametrize("wrong", ["Wr0ng-pw-9431", "неверный пароль 9431"])
def test_wrong_password_is_authentication_failed_without_the_password(
    smtp_server_factory: Callable[..., SmtpServer], wrong: str
) -> None:
    server = smtp_server_factory(users={MAILER: MAILER_PASSWORD}, require_auth=True)
    with pytest.raises(AuthenticationFailed) as caught:
        smtp.send(
            settings_for(server, user=MAILER),
            wrong,
            reply_message(),
            "support@example.com",
            ["a@b.example"],
        )
    assert str(caught.value) == "authentication failed for mailer@127.0.0.1"
    assert not caught.value.retryable
    assert wrong not in "".join(traceback.format_exception(caught.value))
    assert server.messages == []


def test_missing_password_for_a_user_is_a_config_error(smtp_server: SmtpServer) -> None:
    with pytest.raises(ConfigError, match="no SMTP password"):
        smtp.send(settings_for(smtp_server, user=MAILER), None, reply_message(), "a@b", ["c@d"])


def test_server_requiring_auth_rejects_anonymous_mail(
    smtp_server_factory: Callable[..., SmtpServer],
) -> None:
    server = smtp_server_factory(users={MAILER: MAILER_PASSWORD}, require_auth=True)
    with pytest.raises(MessageRejected, match="530"):
        smtp.send(settings_for(server), None, reply_message(), "support@example.com", ["a@b.ex"])


def test_server_down_is_retryable_and_sending_works_once_it_is_back(
    smtp_server: SmtpServer,
) -> None:
    settings = settings_for(smtp_server)
    smtp_server.stop()
    with pytest.raises(HostUnreachable) as caught:
        smtp.send(settings, None, reply_message(), "support@example.com", ["a@b.example"])
    assert caught.value.retryable
    assert str(caught.value).startswith(f"cannot reach 127.0.0.1:{smtp_server.port}: ")

    smtp_server.start()
    smtp.send(settings, None, reply_message(), "support@example.com", ["a@b.example"])
    assert len(smtp_server.messages) == 1


def test_partially_refused_recipients_are_reported(smtp_server: SmtpServer) -> None:
    smtp_server.refuse_recipient("gone@client.example")
    result = smtp.send(
        settings_for(smtp_server),
        None,
        reply_message(),
        "support@example.com",
        ["ivan@client.example", "gone@client.example"],
    )
    assert result.accepted == ("ivan@client.example",)
    assert result.refused == {"gone@client.example": (550, "5.1.1 No such user")}
    assert smtp_server.messages[0].rcpt_tos == ("ivan@client.example",)


def test_all_recipients_refused_permanently(smtp_server: SmtpServer) -> None:
    smtp_server.refuse_recipient("gone@client.example")
    with pytest.raises(RecipientsRefused) as caught:
        smtp.send(
            settings_for(smtp_server),
            None,
            reply_message(),
            "support@example.com",
            ["gone@client.example"],
        )
    assert caught.value.refused == {"gone@client.example": (550, "5.1.1 No such user")}
    assert not caught.value.retryable
    assert smtp_server.messages == []


def test_all_recipients_refused_temporarily_is_retryable(smtp_server: SmtpServer) -> None:
    smtp_server.refuse_recipient("busy@client.example", "450 4.2.1 Mailbox busy, try later")
    with pytest.raises(TemporaryFailure) as caught:
        smtp.send(
            settings_for(smtp_server),
            None,
            reply_message(),
            "support@example.com",
            ["busy@client.example"],
        )
    assert caught.value.retryable
    assert "Mailbox busy" in str(caught.value)


@pytest.mark.parametrize(
    ("reply", "error_type", "retryable"),
    [
        ("451 4.3.0 Local problem, try again", TemporaryFailure, True),
        ("554 5.6.0 Message refused as spam", MessageRejected, False),
    ],
)
def test_data_refusal_is_temporary_or_permanent_by_code(
    smtp_server: SmtpServer, reply: str, error_type: type[Exception], retryable: bool
) -> None:
    smtp_server.refuse_data(reply)
    with pytest.raises(error_type) as caught:
        smtp.send(settings_for(smtp_server), None, reply_message(), "s@example.com", ["a@b.ex"])
    assert caught.value.retryable is retryable  # type: ignore[attr-defined]
    assert caught.value.code == int(reply[:3])  # type: ignore[attr-defined]


def test_internationalized_address_uses_smtputf8(smtp_server: SmtpServer) -> None:
    smtp.send(
        settings_for(smtp_server),
        None,
        reply_message(),
        "поддержка@example.com",
        ["иван@client.example"],
    )
    (mail,) = smtp_server.messages
    assert mail.smtputf8
    assert mail.mail_from == "поддержка@example.com"
    assert mail.rcpt_tos == ("иван@client.example",)


def test_no_recipients_is_a_validation_error(smtp_server: SmtpServer) -> None:
    with pytest.raises(ValidationError):
        smtp.send(settings_for(smtp_server), None, reply_message(), "s@example.com", [])


# --------------------------------------------------------------------------- TLS


@pytest.mark.parametrize("security", ["ssl", "starttls"])
def test_untrusted_certificate_is_refused_and_trusted_ca_works(
    smtp_server_factory: Callable[..., SmtpServer], security: str
) -> None:
    server = smtp_server_factory(users={MAILER: MAILER_PASSWORD}, require_auth=True, tls=security)
    assert server.tls_files is not None
    untrusted = settings_for(server, security=security, user=MAILER)
    with pytest.raises(CertificateNotTrusted) as caught:
        smtp.send(untrusted, MAILER_PASSWORD, reply_message(), "s@example.com", ["a@b.ex"])
    assert str(caught.value).startswith("the certificate of 127.0.0.1 is not trusted: ")
    assert server.messages == []

    trusted = settings_for(
        server, security=security, user=MAILER, ca_file=str(server.tls_files.ca_file)
    )
    smtp.send(trusted, MAILER_PASSWORD, reply_message(), "s@example.com", ["a@b.ex"])
    assert server.messages[0].message["Subject"] == SUBJECT
    expected = "SSL/TLS" if security == "ssl" else "STARTTLS"
    assert smtp.test_connection(trusted, MAILER_PASSWORD) == (
        f"connected to 127.0.0.1:{server.port} over {expected} as mailer"
    )


def test_starttls_missing_is_refused_not_downgraded(smtp_server: SmtpServer) -> None:
    with pytest.raises(ProtocolError, match="does not offer STARTTLS"):
        smtp.send(
            settings_for(smtp_server, security="starttls"),
            None,
            reply_message(),
            "s@example.com",
            ["a@b.ex"],
        )
    assert smtp_server.messages == []


def test_plaintext_to_a_remote_host_is_refused_before_any_traffic(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def no_network(*args: object, **kwargs: object) -> socket.socket:
        raise AssertionError("a connection was attempted")

    monkeypatch.setattr(socket, "create_connection", no_network)
    settings = SmtpSettings(host="smtp.example.com", port=25, security="none", user="u")
    with pytest.raises(InsecureConnectionRefused, match=re.escape("smtp.example.com:25")):
        smtp.send(settings, "pw", reply_message(), "s@example.com", ["a@b.ex"])


def test_test_connection_without_login(smtp_server: SmtpServer) -> None:
    assert smtp.test_connection(settings_for(smtp_server), None) == (
        f"connected to 127.0.0.1:{smtp_server.port} over an unencrypted connection without login"
    )
