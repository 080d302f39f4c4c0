"""One SMTP connection for many messages: the outbox's way of sending (desktop/mail/smtp.py sends
one message over a connection of its own)."""

from __future__ import annotations

import smtplib
from collections.abc import Callable, Sequence

from desktop.errors import ConfigError, ReglamentError
from desktop.mail.smtp import (
    Outgoing,
    SendResult,
    SmtpSettings,
    _DroppedBeforeData,
    _open,
    _quit,
    _recipients,
    _transfer,
)
from desktop.mail.transport_errors import ConnectionLost, MailTransportError

__all__ = ["SessionDown", "SmtpSession"]


class SessionDown(MailTransportError):
    """The connection itself could not be (re)opened or logged into: every message waiting for
    this server shares the fate, so the outbox stops trying it (its circuit breaker) instead of
    failing each message alone. ``cause`` is the transport error with the plain reason."""

    def __init__(self, cause: ReglamentError) -> None:
        super().__init__("{cause}", cause=cause)
        self.cause = cause
        self.retryable = bool(getattr(cause, "retryable", False))


class SmtpSession:
    """One SMTP connection (and one AUTH) for many messages, reopened when the server drops it.

    The outbox drains through one of these per mail account: a connection and a login per
    message cost a handshake (two with TLS) and an AUTH each, which across the internet is
    most of the time of sending an acknowledgement. A connection lost *before* a message's DATA
    began is reopened and the message sent on the new one (the server had nothing of it); lost
    after, it is :class:`ConnectionLost`, as in :func:`send`. A failure to open or log in is
    :class:`SessionDown`.
    """

    def __init__(self, settings: SmtpSettings, password: str | None) -> None:
        self.settings = settings
        self._password = password
        self._smtp: smtplib.SMTP | None = None
        #: Connections opened (each with its AUTH when a user is set): for reports and tests.
        self.opened = 0

    def open(self) -> None:
        """Connect and log in now, unless connected already (raises :class:`SessionDown`)."""
        if self._smtp is not None and self._smtp.sock is not None:
            return
        self._smtp = None
        try:
            self._smtp = _open(self.settings, self._password)
        except (MailTransportError, ConfigError) as error:
            raise SessionDown(error) from None
        self.opened += 1

    def send(
        self, msg: Outgoing, envelope_from: str, recipients: Sequence[str],
        before_dot: Callable[[], object] | None = None,
    ) -> SendResult:
        """Send one message (an ``EmailMessage``, or stored MIME bytes as they are);
        ``before_dot`` is called just before the server can take it (see ``_raw_transaction``)."""
        to = _recipients(recipients)
        for attempt in (1, 2):
            self.open()
            assert self._smtp is not None
            try:
                return _transfer(self._smtp, self.settings, msg, envelope_from, to, reuse=True,
                                 before_dot=before_dot)
            except _DroppedBeforeData as drop:
                self._smtp = None
                if attempt == 2:
                    raise ConnectionLost(self.settings.host, self.settings.port, drop.cause) from None
        raise AssertionError("unreachable")

    def close(self) -> None:
        if self._smtp is not None:
            _quit(self._smtp)
            self._smtp = None
        if self.settings.after_send is not None:
            self.settings.after_send.flush()  # the copies in Sent, over one IMAP login

    def __enter__(self) -> SmtpSession:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
