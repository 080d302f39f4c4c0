"""Bearer-token logins for IMAP and SMTP: SASL XOAUTH2 (Google's and Microsoft's) and
OAUTHBEARER (RFC 7628), for mailboxes that take no passwords (R-MAIL-9).

A connection's settings carry a *token source* — ``token(force)`` returns an access token, a
fresh one when ``force`` is true. A login tries the token it is given; when the server refuses
it, the token is renewed **once** and tried again (the server may have expired it before the
time it announced, or it was revoked and the renewal says "sign in again"). XOAUTH2 is preferred
because Microsoft 365 and Gmail offer only it; OAUTHBEARER is used where it is the only one.
"""

from __future__ import annotations

import base64
import smtplib
from collections.abc import Callable
from typing import Protocol

from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientAbortError, LoginError

from desktop.errors import Phrase
from desktop.mail.transport_errors import (
    AuthenticationFailed,
    ConnectionLost,
    ProtocolError,
    TemporaryFailure,
    describe_os_error,
)

TokenSource = Callable[[bool], str]

__all__ = ["TokenSource", "imap_login", "oauthbearer", "smtp_login", "xoauth2"]


class _Endpoint(Protocol):
    @property
    def host(self) -> str: ...
    @property
    def port(self) -> int: ...
    @property
    def user(self) -> str: ...
    @property
    def token(self) -> TokenSource | None: ...


def xoauth2(user: str, token: str) -> str:
    """The XOAUTH2 initial response (before base64)."""
    return f"user={user}\x01auth=Bearer {token}\x01\x01"


def oauthbearer(user: str, token: str, host: str, port: int) -> str:
    """The RFC 7628 OAUTHBEARER initial response (before base64)."""
    return f"n,a={user},\x01host={host}\x01port={port}\x01auth=Bearer {token}\x01\x01"


def _mechanism(offered: set[str], host: str, protocol: str) -> str:
    for mechanism in ("XOAUTH2", "OAUTHBEARER"):
        if mechanism in offered:
            return mechanism
    raise ProtocolError(
        "the {protocol} server {host} offers no OAuth 2.0 login (XOAUTH2 or OAUTHBEARER)",
        protocol=protocol, host=host,
    )


def imap_login(client: IMAPClient, settings: _Endpoint) -> None:
    """AUTHENTICATE with a bearer token, renewing it once if the server refuses it."""
    assert settings.token is not None
    host, port, user = settings.host, settings.port, settings.user
    offered = {
        (c.decode() if isinstance(c, bytes) else c).upper()[5:]
        for c in client.capabilities()
        if (c.decode() if isinstance(c, bytes) else c).upper().startswith("AUTH=")
    }
    mechanism = _mechanism(offered, host, "IMAP")
    reply = ""
    for force in (False, True):
        token = settings.token(force)
        try:
            if mechanism == "XOAUTH2":
                client.oauth2_login(user, token)
            else:
                client.oauthbearer_login(user, token)
            return
        except LoginError as error:
            reply = str(error).replace(token, "***")
            if "UNAVAILABLE" in reply.upper():
                raise TemporaryFailure(
                    "the IMAP server {host} cannot check passwords right now: {reply}",
                    host=host, reply=reply,
                ) from None
        except IMAPClientAbortError as error:
            raise ConnectionLost(host, port, str(error).replace(token, "***")) from None
        except (OSError, EOFError) as error:
            raise ConnectionLost(host, port, describe_os_error(error)) from None
    raise AuthenticationFailed(user, host, reply)


def _b64(text: str) -> str:
    return base64.b64encode(text.encode("utf-8")).decode("ascii")


def smtp_login(smtp: smtplib.SMTP, settings: _Endpoint) -> None:
    """AUTH XOAUTH2 (or OAUTHBEARER) with a bearer token, renewing it once if refused."""
    assert settings.token is not None
    host, port, user = settings.host, settings.port, settings.user
    offered = set(smtp.esmtp_features.get("auth", "").upper().split())
    mechanism = _mechanism(offered, host, "SMTP")
    code, reply = 0, b""
    for force in (False, True):
        token = settings.token(force)
        initial = xoauth2(user, token) if mechanism == "XOAUTH2" else oauthbearer(
            user, token, host, port
        )
        try:
            code, reply = smtp.docmd("AUTH", f"{mechanism} {_b64(initial)}")
            if code == 334:  # the error challenge: the client answers empty, the server fails
                code, reply = smtp.docmd("")
        except smtplib.SMTPServerDisconnected:
            raise ConnectionLost(host, port, Phrase("closed during login")) from None
        except OSError as error:
            raise ConnectionLost(host, port, describe_os_error(error)) from None
        if code == 235:
            return
        if 400 <= code < 500:
            raise TemporaryFailure(
                "the SMTP server {host} cannot check passwords right now: {code} {text}", code,
                host=host, text=reply.decode("utf-8", "replace"),
            )
    raise AuthenticationFailed(user, host, f"{code} {reply.decode('utf-8', 'replace')}")
