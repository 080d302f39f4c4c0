"""What can go wrong talking to a mail server, as errors a support agent can act on.

IMAP and SMTP share these, so the sync loop, the outbox and ``reglament account test`` decide what
to do by *type* (``retryable``), never by matching message strings. No message ever contains a
password: the constructors take only the host, port, user and the server's or OS's own reason.

The connection policy (verified TLS, plaintext only for loopback or by explicit consent) and the
back-off helpers live here too, because IMAP and SMTP must apply the same rules. Back-off retries
what is temporary and gives up at once on what is not (a wrong password does not get better by
trying again).
"""

from __future__ import annotations

import errno
import ipaddress
import random
import socket
import ssl
from collections.abc import Callable
from typing import TypeVar

from desktop.errors import ConfigError, Phrase, ReglamentError

T = TypeVar("T")


class MailTransportError(ReglamentError):
    """Base of every IMAP/SMTP failure; ``retryable`` says whether trying later can help."""

    retryable: bool = False


class AuthenticationFailed(MailTransportError):
    """The server refused the user name or password."""

    def __init__(self, user: str, host: str, server_reply: str = "") -> None:
        super().__init__("authentication failed for {user}@{host}", user=user, host=host)
        self.user = user
        self.host = host
        self.server_reply = server_reply


class HostUnreachable(MailTransportError):
    """No connection could be opened: wrong host or port, the server is down, no network."""

    retryable = True

    def __init__(self, host: str, port: int, cause: str) -> None:
        super().__init__("cannot reach {host}:{port}: {cause}", host=host, port=port, cause=cause)
        self.host = host
        self.port = port


class ConnectionLost(MailTransportError):
    """An open connection broke in the middle of the work (server restart, network drop)."""

    retryable = True

    def __init__(self, host: str, port: int, cause: str) -> None:
        super().__init__(
            "the connection to {host}:{port} was lost: {cause}", host=host, port=port, cause=cause
        )
        self.host = host
        self.port = port


class CertificateNotTrusted(MailTransportError):
    """TLS verification failed: unknown CA, self-signed, expired, or issued for another name."""

    def __init__(self, host: str, reason: str) -> None:
        super().__init__(
            "the certificate of {host} is not trusted: {reason}. "
            "If the administrator uses a private certificate authority, give its CA file "
            "in the account settings",
            host=host,
            reason=reason,
        )
        self.host = host
        self.reason = reason


class InsecureConnectionRefused(MailTransportError):
    """A plaintext connection to a non-loopback host without the administrator's explicit consent."""

    def __init__(self, host: str, port: int) -> None:
        super().__init__(
            "refusing to send the password unencrypted to {host}:{port}; use SSL/TLS or "
            "STARTTLS, or allow an insecure connection for this host explicitly",
            host=host,
            port=port,
        )
        self.host = host
        self.port = port


class ProtocolError(MailTransportError):
    """The server answered something we cannot work with (missing STARTTLS, bad TLS, odd reply)."""


class TemporaryFailure(MailTransportError):
    """The server said "not now" (SMTP 4xx, IMAP [UNAVAILABLE]): try again later."""

    retryable = True

    def __init__(self, message: str, /, code: int | None = None, **params: object) -> None:
        super().__init__(message, code=code, **params)
        self.code = code


class MessageRejected(MailTransportError):
    """The server refused the message or the sender for good (SMTP 5xx): retrying will not help."""

    def __init__(self, message: str, /, code: int | None = None, **params: object) -> None:
        super().__init__(message, code=code, **params)
        self.code = code


class RecipientsRefused(MailTransportError):
    """Every recipient was refused permanently; ``refused`` maps address → (code, server reply)."""

    def __init__(self, refused: dict[str, tuple[int, str]]) -> None:
        listing = "; ".join(f"{addr}: {code} {reply}" for addr, (code, reply) in refused.items())
        super().__init__("the server refused the recipients: {listing}", listing=listing)
        self.refused = refused


# --------------------------------------------------------------------------- classification


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and the name ``localhost`` — the only hosts plaintext may reach
    without an explicit ``allow_insecure``, because the password never leaves the machine."""
    name = host.strip().strip("[]").lower().rstrip(".")
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def describe_os_error(error: BaseException) -> str:
    """A short human reason for a socket-level failure (no Python class names, no errno noise);
    a ``Phrase`` where these are our own words, so they can be shown translated."""
    if isinstance(error, TimeoutError | socket.timeout):
        return Phrase("timed out")
    if isinstance(error, socket.gaierror):
        return Phrase(
            "the host name cannot be resolved ({reason})", reason=error.strerror or error
        )
    if isinstance(error, ConnectionRefusedError):
        return Phrase("connection refused (is the server running and the port right?)")
    if isinstance(error, OSError) and error.errno in (errno.ENETUNREACH, errno.EHOSTUNREACH):
        return Phrase("no route to the host (check the network)")
    if isinstance(error, OSError) and error.strerror:
        return error.strerror.lower()
    text = str(error).strip()
    return text or type(error).__name__


def certificate_reason(error: ssl.SSLCertVerificationError) -> str:
    return str(getattr(error, "verify_message", "") or error.reason or error)


# --------------------------------------------------------------------------- connection policy


def tls_context(ca_file: str | None = None) -> ssl.SSLContext:
    """The system's verifying context, optionally also trusting one private CA file."""
    context = ssl.create_default_context()
    if ca_file:
        try:
            context.load_verify_locations(cafile=ca_file)
        except (OSError, ssl.SSLError) as error:
            raise ConfigError(
                "the CA file {ca_file} cannot be used: {reason}", ca_file=ca_file, reason=describe_os_error(error)
            ) from None
    return context


def check_transport_allowed(host: str, port: int, security: str, allow_insecure: bool) -> None:
    """Refuse plaintext (``security == "none"``) to anything but loopback unless explicitly allowed.

    Checked before any traffic, so a refused connection never even sends the user name.
    """
    if security == "none" and not (allow_insecure or is_loopback(host)):
        raise InsecureConnectionRefused(host, port)


# --------------------------------------------------------------------------- back-off


def backoff_delay(
    attempt: int,
    *,
    base: float = 1.0,
    factor: float = 2.0,
    cap: float = 300.0,
    jitter: float = 0.1,
    rand: Callable[[], float] = random.random,
) -> float:
    """Seconds to wait before retry number ``attempt`` (1-based): exponential, capped, jittered.

    Jitter (± ``jitter`` × delay) keeps many workstations from reconnecting in lock-step after a
    shared server comes back. Pass ``rand=lambda: 0.5`` for a deterministic schedule.
    """
    if attempt < 1:
        raise ValueError("attempt counts from 1")
    delay = min(cap, base * factor ** (attempt - 1))
    spread = delay * jitter * (2.0 * rand() - 1.0)
    return max(0.0, min(cap, delay + spread))


def retry_with_backoff(
    operation: Callable[[], T],
    *,
    sleep: Callable[[float], object],
    max_attempts: int | None = None,
    delay: Callable[[int], float] = backoff_delay,
    on_retry: Callable[[int, float, MailTransportError], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> T:
    """Run ``operation`` until it succeeds, retrying only ``retryable`` transport errors.

    ``sleep`` is injected so the GUI worker can pass an interruptible wait (e.g.
    ``threading.Event().wait``) and tests can record delays instead of sleeping. A non-retryable
    error (wrong password, untrusted certificate) is raised at once; after ``max_attempts`` tries,
    or when ``should_stop()`` turns true, the last retryable error is raised.
    """
    attempt = 0
    while True:
        attempt += 1
        try:
            return operation()
        except MailTransportError as error:
            if not error.retryable:
                raise
            if max_attempts is not None and attempt >= max_attempts:
                raise
            if should_stop is not None and should_stop():
                raise
            wait = delay(attempt)
            if on_retry is not None:
                on_retry(attempt, wait, error)
            sleep(wait)
            if should_stop is not None and should_stop():
                raise


SECURITY_VALUES = ("ssl", "starttls", "none")


def connection_kind(security: str) -> str:
    """How a connection is protected, as the test verdicts name it."""
    if security == "ssl":
        return "SSL/TLS"
    if security == "starttls":
        return "STARTTLS"
    return Phrase("an unencrypted connection")


def check_endpoint(protocol: str, security: str, host: str, port: int) -> None:
    """Validate the settings every mail connection has, naming the protocol in the message."""
    if security not in SECURITY_VALUES:
        raise ConfigError("{protocol} security must be one of ssl, starttls, none (got {security!r})", protocol=protocol, security=security)
    if not host.strip():
        raise ConfigError("the {protocol} host is empty", protocol=protocol)
    if not 0 < port < 65536:
        raise ConfigError("the {protocol} port {port} is not a valid port number", protocol=protocol, port=port)


def tls_failure(host: str, port: int, error: ssl.SSLError, *, starttls: bool = False) -> MailTransportError:
    """The plain error for a failed TLS set-up, the same for IMAP and SMTP: an untrusted
    certificate says so; anything else names the handshake (or STARTTLS) that failed."""
    if isinstance(error, ssl.SSLCertVerificationError):
        return CertificateNotTrusted(host, certificate_reason(error))
    if starttls:
        return ProtocolError("STARTTLS with {host}:{port} failed ({reason})", host=host, port=port, reason=error.reason or error)
    return ProtocolError(
        "the TLS handshake with {host}:{port} failed ({reason}); "
        "check that this port expects SSL/TLS", host=host, port=port, reason=error.reason or error
    )
