"""Sending one message over SMTP (smtplib) with the same safety rules as IMAP.

The outbox decides *when* to send and whether to retry; this module sends once and says precisely
what happened: accepted (maybe with some recipients refused), a temporary failure worth retrying
(4xx, server down, connection lost), or a permanent one (5xx, wrong password, untrusted
certificate). It never retries by itself, so a message cannot be sent twice from here.

Two smtplib defaults are replaced on purpose:

* the EHLO name: smtplib asks ``socket.getfqdn()``, which can stall for seconds on a machine with
  broken DNS; we use the address literal of our end of the connection (as smtplib itself does
  when the FQDN is unknown) or the configured ``helo_name``;
* login with a non-ASCII user or password: ``SMTP.login`` encodes as ASCII and crashes; we send
  AUTH PLAIN (or LOGIN) with UTF-8 ourselves, as RFC 4616 specifies.
"""

from __future__ import annotations

import base64
import contextlib
import ipaddress
import re
import smtplib
import socket
import ssl
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from typing import Literal, Protocol

from desktop.errors import ConfigError, Phrase, ValidationError
from desktop.mail import sasl
from desktop.mail.transport_errors import (
    AuthenticationFailed,
    ConnectionLost,
    HostUnreachable,
    MailTransportError,
    MessageRejected,
    ProtocolError,
    RecipientsRefused,
    TemporaryFailure,
    check_endpoint,
    check_transport_allowed,
    connection_kind,
    describe_os_error,
    tls_context,
    tls_failure,
)

__all__ = ["Security", "SendResult", "SmtpSettings", "send", "test_connection"]

Security = Literal["ssl", "starttls", "none"]


class AfterSend(Protocol):
    """What is told of each accepted message and flushed when its connection closes."""

    def __call__(self, msg: EmailMessage | bytes, /) -> None: ...

    def flush(self) -> int: ...


@dataclass(frozen=True)
class SmtpSettings:
    """Where and how to send; ``user=None`` means the server takes mail without AUTH."""

    host: str
    port: int
    security: Security
    user: str | None = None
    allow_insecure: bool = False
    ca_file: str | None = None
    timeout: float = 30.0
    helo_name: str | None = None
    #: OAuth 2.0 accounts: the access-token source (desktop.mail.sasl); no password is used.
    token: sasl.TokenSource | None = field(default=None, compare=False, repr=False)
    #: Told of each message the server accepted (the copies in Sent, desktop.mail.sent_copy),
    #: flushed when the connection closes; it must not raise — the message is sent whatever
    #: happens to the copy.
    after_send: AfterSend | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        check_endpoint("SMTP", self.security, self.host, self.port)


@dataclass(frozen=True)
class SendResult:
    """The server took the message for ``accepted``; ``refused`` ones (address → code, reply)
    did not get it — the outbox should show them to the agent rather than resend to everyone."""

    accepted: tuple[str, ...]
    refused: dict[str, tuple[int, str]] = field(default_factory=dict)


def _text(reply: bytes | str) -> str:
    return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else reply


def _scrub(text: str, secret: str | None) -> str:
    return text.replace(secret, "***") if secret else text


def _by_code(code: int, message: Phrase) -> MailTransportError:
    """4xx means "try later", anything else from the server is final."""
    if 400 <= code < 500:
        return TemporaryFailure(message, code)
    return MessageRejected(message, code)


def _address_literal(sock: object) -> str:
    try:
        address = sock.getsockname()[0]  # type: ignore[attr-defined]
        ip = ipaddress.ip_address(address)
    except (AttributeError, OSError, ValueError):
        return "localhost"
    return f"[IPv6:{ip}]" if ip.version == 6 else f"[{ip}]"


def _connect(settings: SmtpSettings, context: ssl.SSLContext | None) -> smtplib.SMTP:
    host, port = settings.host, settings.port
    smtp: smtplib.SMTP
    # Connecting in the constructor is what makes smtplib remember ``host`` for the TLS name
    # check. local_hostname skips smtplib's getfqdn(); it is replaced before the first EHLO.
    try:
        if settings.security == "ssl":
            smtp = smtplib.SMTP_SSL(
                host, port, local_hostname="localhost", timeout=settings.timeout, context=context
            )
        else:
            smtp = smtplib.SMTP(host, port, local_hostname="localhost", timeout=settings.timeout)
    except ssl.SSLError as error:
        raise tls_failure(host, port, error) from None
    except smtplib.SMTPConnectError as error:
        reason = f"{error.smtp_code} {_text(error.smtp_error)}"
        if 400 <= error.smtp_code < 500:
            raise TemporaryFailure(
                "the SMTP server {host}:{port} is busy: {reason}", error.smtp_code, host=host, port=port, reason=reason
            ) from None
        raise ProtocolError(
            "the SMTP server {host}:{port} refused the connection: {reason}", host=host, port=port, reason=reason
        ) from None
    except smtplib.SMTPServerDisconnected:
        raise HostUnreachable(host, port, Phrase("the server closed the connection at once")) from None
    except OSError as error:
        raise HostUnreachable(host, port, describe_os_error(error)) from None
    smtp.local_hostname = settings.helo_name or _address_literal(smtp.sock)
    # The final dot of a message goes out on its own after its body (smtp_session.py): with
    # Nagle's algorithm it would wait for the server's delayed ACK, 40 ms a message.
    if smtp.sock is not None:
        with contextlib.suppress(OSError):
            smtp.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return smtp


def _auth_utf8(smtp: smtplib.SMTP, host: str, user: str, password: str) -> tuple[int, bytes]:
    """AUTH PLAIN (or LOGIN) with UTF-8 credentials, which ``SMTP.login`` cannot send."""
    mechanisms = smtp.esmtp_features.get("auth", "").upper().split()

    def b64(value: str) -> str:
        return base64.b64encode(value.encode("utf-8")).decode("ascii")

    if "PLAIN" in mechanisms:
        return smtp.docmd("AUTH", "PLAIN " + b64(f"\0{user}\0{password}"))
    if "LOGIN" in mechanisms:
        code, reply = smtp.docmd("AUTH", "LOGIN " + b64(user))
        if code != 334:
            return code, reply
        return smtp.docmd(b64(password))
    raise ProtocolError(
        "the SMTP server {host} offers no way to log in with a non-ASCII password "
        "(neither AUTH PLAIN nor LOGIN)", host=host
    )


def _login(smtp: smtplib.SMTP, settings: SmtpSettings, password: str) -> None:
    host, user = settings.host, settings.user
    assert user is not None
    if not smtp.has_extn("auth"):
        raise ProtocolError(
            "the SMTP server {host}:{port} does not offer AUTH; "
            "remove the user name or use the submission port", host=host, port=settings.port
        )
    reply: bytes | str
    try:
        if user.isascii() and password.isascii():
            smtp.login(user, password)
            return
        code, reply = _auth_utf8(smtp, host, user, password)
    except smtplib.SMTPAuthenticationError as error:
        code, reply = error.smtp_code, error.smtp_error
    except smtplib.SMTPNotSupportedError:
        raise ProtocolError("the SMTP server {host} does not support AUTH", host=host) from None
    except smtplib.SMTPServerDisconnected:
        raise ConnectionLost(host, settings.port, Phrase("closed during login")) from None
    except smtplib.SMTPException as error:
        raise ProtocolError(
            "cannot log in to the SMTP server {host}: {reason}", host=host, reason=_scrub(str(error), password)
        ) from None
    if code == 235:
        return
    text = _scrub(_text(reply), password)
    if 400 <= code < 500:
        raise TemporaryFailure(
            "the SMTP server {host} cannot check passwords right now: {code} {text}", code, host=host, text=text
        )
    raise AuthenticationFailed(user, host, f"{code} {text}")


def _open(settings: SmtpSettings, password: str | None) -> smtplib.SMTP:
    """Connect, EHLO, STARTTLS if asked, AUTH if a user is set; closed again on any failure."""
    check_transport_allowed(
        settings.host, settings.port, settings.security, settings.allow_insecure
    )
    if settings.user is not None and not password and settings.token is None:
        raise ConfigError("no SMTP password is given for {user}@{host}", user=settings.user, host=settings.host)
    context = tls_context(settings.ca_file) if settings.security != "none" else None
    smtp = _connect(settings, context)
    host, port = settings.host, settings.port
    try:
        try:
            smtp.ehlo_or_helo_if_needed()
            if settings.security == "starttls":
                if not smtp.has_extn("starttls"):
                    raise ProtocolError(
                        "the SMTP server {host}:{port} does not offer STARTTLS; nothing was sent", host=host, port=port
                    )
                assert context is not None
                smtp.starttls(context=context)
                smtp.ehlo()
        except ssl.SSLError as error:
            raise tls_failure(host, port, error, starttls=True) from None
        except smtplib.SMTPServerDisconnected:
            raise ConnectionLost(host, port, Phrase("closed by the server")) from None
        except smtplib.SMTPResponseException as error:
            raise _by_code(
                error.smtp_code,
                Phrase(
                    "the SMTP server {host} refused the greeting: {code} {reply}",
                    host=host, code=error.smtp_code, reply=_text(error.smtp_error),
                ),
            ) from None
        except OSError as error:
            raise ConnectionLost(host, port, describe_os_error(error)) from None
        if settings.user is not None and settings.token is not None:
            sasl.smtp_login(smtp, settings)  # type: ignore[arg-type]  # user is set
        elif settings.user is not None:
            assert password is not None
            _login(smtp, settings, password)
        return smtp
    except BaseException:
        smtp.close()
        raise


def _quit(smtp: smtplib.SMTP) -> None:
    with contextlib.suppress(smtplib.SMTPException, OSError):
        smtp.quit()
    smtp.close()


def send(
    settings: SmtpSettings,
    password: str | None,
    msg: EmailMessage,
    envelope_from: str,
    recipients: Sequence[str],
) -> SendResult:
    """Send ``msg`` once to ``recipients`` over a connection of its own (the envelope; Bcc
    headers are stripped on the wire). For many messages use :class:`desktop.mail.smtp_session.SmtpSession`.

    Raises :class:`TemporaryFailure`, :class:`HostUnreachable` or :class:`ConnectionLost`
    (``retryable``) when trying later can help; :class:`MessageRejected`,
    :class:`RecipientsRefused`, :class:`AuthenticationFailed` or :class:`CertificateNotTrusted`
    when it cannot. If only some recipients are refused, the message went to the others and the
    refusals are in the result. A connection lost right after the final dot cannot tell whether
    the server kept the message — the only case where a retry may deliver twice (SMTP's own limit).
    """
    to = _recipients(recipients)
    smtp = _open(settings, password)
    try:
        return _transfer(smtp, settings, msg, envelope_from, to)
    finally:
        _quit(smtp)
        if settings.after_send is not None:
            settings.after_send.flush()


def _recipients(recipients: Sequence[str]) -> list[str]:
    to = [address for address in recipients if address]
    if not to:
        raise ValidationError("the message has no recipients")
    return to


class _DroppedBeforeData(Exception):
    """The connection was gone before DATA began: the server cannot have kept the message."""

    def __init__(self, cause: str) -> None:
        super().__init__(cause)
        self.cause = cause


Outgoing = EmailMessage | bytes


def _hand_over(
    smtp: smtplib.SMTP, msg: Outgoing, envelope_from: str, to: list[str], before_dot: Callable[[], object] | None,
    mark: Callable[[], None],
) -> dict[str, tuple[int, bytes]]:
    """MAIL, RCPT, DATA. Stored bytes go as they are (CRLF line ends, no second flattening of
    a message that was flattened to store it); a message with a Bcc header goes through
    ``send_message``, which leaves that header off the wire. ``mark`` is called at the last
    moment before the server can take the message (the final dot)."""
    if isinstance(msg, bytes):
        head = msg.split(b"\n\n", 1)[0].split(b"\r\n\r\n", 1)[0].lower()
        if not (head.startswith(b"bcc:") or b"\nbcc:" in head or b"\nresent-bcc:" in head):
            options: list[str] = []
            if not (envelope_from.isascii() and all(a.isascii() for a in to)):
                options = ["SMTPUTF8", "BODY=8BITMIME"]
            wire = msg.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
            return _raw_transaction(smtp, envelope_from, to, wire, options, before_dot, mark)
        parsed = BytesParser(policy=policy.SMTP).parsebytes(msg)
        assert isinstance(parsed, EmailMessage)
        msg = parsed
    if before_dot is not None:
        before_dot()
    original_data = smtp.data

    def data(payload: object) -> tuple[int, bytes]:
        mark()
        return original_data(payload)  # type: ignore[arg-type]

    smtp.data = data  # type: ignore[method-assign,assignment]
    try:
        return smtp.send_message(msg, from_addr=envelope_from, to_addrs=to)
    finally:
        del smtp.data


def _raw_transaction(
    smtp: smtplib.SMTP, envelope_from: str, to: list[str], data: bytes, options: list[str],
    before_dot: Callable[[], object] | None, mark: Callable[[], None],
) -> dict[str, tuple[int, bytes]]:
    """``SMTP.sendmail`` for CRLF bytes, with one difference: the final dot waits for
    ``before_dot``. The outbox records the previous message's acceptance meanwhile, so the
    commit overlaps this message's transfer, and still no server can have taken two messages
    that are not recorded yet (desktop/services/background/outbox.py)."""
    smtp.ehlo_or_helo_if_needed()
    esmtp = [f"size={len(data)}"] if smtp.does_esmtp and smtp.has_extn("size") else []
    esmtp += options if smtp.does_esmtp else []
    code, reply = smtp.mail(envelope_from, esmtp)
    if code != 250:
        _after_refusal(smtp, code)
        raise smtplib.SMTPSenderRefused(code, reply, envelope_from)
    refused: dict[str, tuple[int, bytes]] = {}
    for address in to:
        code, reply = smtp.rcpt(address)
        if code not in (250, 251):
            refused[address] = (code, reply)
        if code == 421:
            smtp.close()
            raise smtplib.SMTPRecipientsRefused(refused)
    if len(refused) == len(to):
        _after_refusal(smtp, 0)
        raise smtplib.SMTPRecipientsRefused(refused)
    code, reply = smtp.docmd("data")
    if code != 354:
        raise smtplib.SMTPDataError(code, reply)
    body = re.sub(rb"(?m)^\.", b"..", data)
    if not body.endswith(b"\r\n"):
        body += b"\r\n"
    smtp.send(body)
    if before_dot is not None:
        before_dot()
    mark()
    smtp.send(b".\r\n")
    code, reply = smtp.getreply()
    if code != 250:
        _after_refusal(smtp, code)
        raise smtplib.SMTPDataError(code, reply)
    return refused


def _after_refusal(smtp: smtplib.SMTP, code: int) -> None:
    """As smtplib does: a 421 closes the connection, anything else resets the transaction."""
    if code == 421:
        smtp.close()
        return
    with contextlib.suppress(smtplib.SMTPServerDisconnected, OSError):
        smtp.rset()


def _transfer(
    smtp: smtplib.SMTP, settings: SmtpSettings, msg: Outgoing, envelope_from: str, to: list[str],
    *, reuse: bool = False, before_dot: Callable[[], object] | None = None,
) -> SendResult:
    """One mail transaction (MAIL, RCPT, DATA) on an open connection.

    With ``reuse``, a connection found closed before DATA began (an idle timeout, a server's
    limit of messages per connection, a 421 at MAIL or RCPT) raises :class:`_DroppedBeforeData`
    so the session can reconnect and send this same message once more: nothing of it was taken.
    """
    host, port = settings.host, settings.port
    started = False

    def mark() -> None:
        nonlocal started
        started = True

    def dropped(cause: str) -> bool:
        return reuse and not started and smtp.sock is None and bool(cause)

    try:
        refused_raw = _hand_over(smtp, msg, envelope_from, to, before_dot, mark)
    except smtplib.SMTPRecipientsRefused as error:
        refused = {addr: (code, _text(reply)) for addr, (code, reply) in error.recipients.items()}
        if dropped("421 at RCPT"):
            raise _DroppedBeforeData("421 at RCPT") from None
        if all(400 <= code < 500 for code, _reply in refused.values()):
            listing = "; ".join(f"{a}: {c} {r}" for a, (c, r) in refused.items())
            raise TemporaryFailure(
                "the SMTP server {host} cannot take the recipients now: {listing}", host=host, listing=listing
            ) from None
        raise RecipientsRefused(refused) from None
    except smtplib.SMTPSenderRefused as error:
        if error.smtp_code == 421 and dropped("421 at MAIL"):
            raise _DroppedBeforeData(f"{error.smtp_code} {_text(error.smtp_error)}") from None
        raise _by_code(
            error.smtp_code,
            Phrase(
                "the SMTP server {host} refused the sender {sender}: {code} {reply}",
                host=host, sender=envelope_from, code=error.smtp_code, reply=_text(error.smtp_error),
            ),
        ) from None
    except smtplib.SMTPDataError as error:
        raise _by_code(
            error.smtp_code,
            Phrase(
                "the SMTP server {host} refused the message: {code} {reply}",
                host=host, code=error.smtp_code, reply=_text(error.smtp_error),
            ),
        ) from None
    except smtplib.SMTPNotSupportedError as error:
        raise ProtocolError("the SMTP server {host} cannot take this message: {error}", host=host, error=error) from None
    except smtplib.SMTPServerDisconnected:
        if reuse and not started:
            smtp.close()
            raise _DroppedBeforeData("closed by the server") from None
        smtp.close()
        raise ConnectionLost(host, port, Phrase("closed by the server while sending")) from None
    except smtplib.SMTPResponseException as error:
        raise _by_code(
            error.smtp_code,
            Phrase(
                "the SMTP server {host} answered {code} {reply}",
                host=host, code=error.smtp_code, reply=_text(error.smtp_error),
            ),
        ) from None
    except OSError as error:
        smtp.close()
        if reuse and not started:
            raise _DroppedBeforeData(describe_os_error(error)) from None
        raise ConnectionLost(host, port, describe_os_error(error)) from None
    refused = {addr: (code, _text(reply)) for addr, (code, reply) in refused_raw.items()}
    if settings.after_send is not None and len(refused) < len(to):
        settings.after_send(msg)
    return SendResult(accepted=tuple(a for a in to if a not in refused), refused=refused)


def test_connection(settings: SmtpSettings, password: str | None) -> Phrase:
    """The verdict for ``reglament account test``: a one-line success text, or a typed error."""
    smtp = _open(settings, password)
    try:
        try:
            code, reply = smtp.noop()
        except (smtplib.SMTPException, OSError) as error:
            raise ConnectionLost(settings.host, settings.port, describe_os_error(error)) from None
        if code != 250:
            raise _by_code(code, Phrase(
                "the SMTP server {host} answered NOOP with {code} {reply}",
                host=settings.host, code=code, reply=_text(reply),
            ))
    finally:
        _quit(smtp)
    via = connection_kind(settings.security)
    if settings.user:
        return Phrase(
            "connected to {host}:{port} over {via} as {user}",
            host=settings.host, port=settings.port, via=via, user=settings.user,
        )
    return Phrase(
        "connected to {host}:{port} over {via} without login",
        host=settings.host, port=settings.port, via=via,
    )


# The name starts with "test_"; without this, pytest would collect it wherever it is imported.
test_connection.__test__ = False  # type: ignore[attr-defined]
