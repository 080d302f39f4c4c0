"""A real SMTP server (aiosmtpd) on 127.0.0.1 that keeps what it receives.

It speaks the protocol for real (EHLO, STARTTLS or implicit TLS, AUTH PLAIN/LOGIN, SMTPUTF8), so the
product's ``smtplib`` code is tested against a genuine conversation. Tests can make it refuse
recipients or DATA with any reply code (4xx temporary, 5xx permanent) and stop/start it on the same
port to play "the server is down".
"""

from __future__ import annotations

import asyncio
import base64
import json
import shutil
import ssl
import tempfile
import threading
import urllib.parse
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any, Literal

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

from tests.servers import LOOPBACK, free_port, port_accepts, wait_until
from tests.servers.tls import TlsFiles, make_tls_files

TlsMode = Literal["starttls", "ssl"] | None


@dataclass(frozen=True)
class ReceivedMail:
    """One accepted message: the SMTP envelope plus the parsed message (``policy.default``)."""

    mail_from: str
    rcpt_tos: tuple[str, ...]
    data: bytes
    message: EmailMessage
    authenticated_as: str | None
    smtputf8: bool


class _Handler:
    """aiosmtpd hooks; runs on the server's event-loop thread."""

    def __init__(self, server: SmtpServer) -> None:
        self.server = server

    async def handle_MAIL(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        if self.server.require_auth and not session.authenticated:
            return "530 5.7.0 Authentication required"
        limit = self.server.messages_per_connection
        if limit is not None and getattr(session, "reglament_count", 0) >= limit:
            # A server's limit of messages per connection, as Postfix's smtpd answers it.
            if server.transport is not None:
                asyncio.get_running_loop().call_soon(server.transport.close)
            return "421 4.7.0 Too many messages on this connection, closing"
        envelope.mail_from = address
        envelope.mail_options.extend(options)
        return "250 OK"

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        reply = self.server.recipient_replies.get(address.lower())
        if reply is not None:
            return reply
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.extend(options)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        if self.server.data_reply is not None:
            return self.server.data_reply
        raw = envelope.original_content or b""
        if isinstance(envelope.content, bytes):
            raw = envelope.content
        parsed = BytesParser(policy=policy.default).parsebytes(raw)
        assert isinstance(parsed, EmailMessage)
        login = session.auth_data.login if isinstance(session.auth_data, LoginPassword) else None
        mail = ReceivedMail(
            mail_from=envelope.mail_from or "",
            rcpt_tos=tuple(envelope.rcpt_tos),
            data=raw,
            message=parsed,
            authenticated_as=login.decode("utf-8") if login is not None else None,
            smtputf8=envelope.smtp_utf8,
        )
        self.server._record(mail)
        session.reglament_count = getattr(session, "reglament_count", 0) + 1  # type: ignore[attr-defined]
        return "250 Message accepted for delivery"


class _OAuthHandler(_Handler):
    """The handler plus SASL XOAUTH2 (RFC-less, Google's and Microsoft's) and OAUTHBEARER
    (RFC 7628): the bearer token is checked by asking the authorisation server's RFC 7662
    introspection, as a real provider's SMTP front end checks it with its token service."""

    async def auth_XOAUTH2(self, server: SMTP, args: list[str]) -> AuthResult:
        return self._bearer(args, "user=", "\x01")

    async def auth_OAUTHBEARER(self, server: SMTP, args: list[str]) -> AuthResult:
        return self._bearer(args, "n,a=", ",")

    def _bearer(self, args: list[str], user_prefix: str, user_end: str) -> AuthResult:
        if len(args) < 2:  # ["XOAUTH2", initial response]
            return AuthResult(success=False, handled=False)
        try:
            text = base64.b64decode(args[1]).decode("utf-8")
        except (ValueError, UnicodeDecodeError):
            return AuthResult(success=False, handled=False)
        user = text.split(user_prefix, 1)[-1].split(user_end, 1)[0]
        token = text.split("auth=Bearer ", 1)[-1].split("\x01", 1)[0]
        if self.server.introspect(token) != user:
            return AuthResult(success=False, handled=False)
        data = LoginPassword(user.encode(), b"")
        return AuthResult(success=True, handled=False, auth_data=data)


class SmtpServer:
    """aiosmtpd on a port picked once, so ``stop()``/``start()`` keeps clients' settings valid.

    ``users`` enables AUTH (PLAIN and LOGIN, allowed without TLS because this is loopback);
    ``require_auth`` refuses MAIL FROM before AUTH. ``tls`` adds STARTTLS or implicit TLS with a
    certificate from a throw-away CA (``tls_files.ca_file``).
    """

    host = LOOPBACK

    def __init__(
        self,
        *,
        users: Mapping[str, str] | None = None,
        require_auth: bool = False,
        tls: TlsMode = None,
        tls_dir: Path | None = None,
        oauth2_introspection_url: str | None = None,
        exclude_auth: tuple[str, ...] = (),
    ) -> None:
        self.oauth2_introspection_url = oauth2_introspection_url
        self.exclude_auth = exclude_auth
        self.port = free_port()
        self.users = dict(users or {})
        self.require_auth = require_auth
        self.tls: TlsMode = tls
        self.tls_files: TlsFiles | None = None
        self._tls_dir = tls_dir
        self.recipient_replies: dict[str, str] = {}
        self.data_reply: str | None = None
        #: Close each connection after this many messages (None: never).
        self.messages_per_connection: int | None = None
        #: Successful AUTH commands so far: one per connection the client logged in on.
        self.logins = 0
        self._messages: list[ReceivedMail] = []
        self._arrived = threading.Condition()
        self._controller: Controller | None = None

    # ------------------------------------------------------------------ faults on demand

    def refuse_recipient(self, address: str, reply: str = "550 5.1.1 No such user") -> None:
        """Answer RCPT TO for ``address`` with ``reply`` (use a 4xx reply for a temporary refusal)."""
        self.recipient_replies[address.lower()] = reply

    def refuse_data(self, reply: str | None) -> None:
        """Answer DATA with ``reply`` (``None`` restores normal acceptance)."""
        self.data_reply = reply

    # ------------------------------------------------------------------ received mail

    def _record(self, mail: ReceivedMail) -> None:
        with self._arrived:
            self._messages.append(mail)
            self._arrived.notify_all()

    @property
    def messages(self) -> list[ReceivedMail]:
        with self._arrived:
            return list(self._messages)

    def clear(self) -> None:
        with self._arrived:
            self._messages.clear()

    def wait_for(self, count: int, timeout: float = 10.0) -> list[ReceivedMail]:
        """Block until at least ``count`` messages arrived (a real event), or raise."""
        with self._arrived:
            if not self._arrived.wait_for(lambda: len(self._messages) >= count, timeout):
                raise TimeoutError(
                    f"expected {count} messages on the SMTP server, got {len(self._messages)}"
                )
            return list(self._messages)

    # ------------------------------------------------------------------ life cycle

    def _authenticate(
        self, server: SMTP, session: Session, envelope: Envelope, mechanism: str, auth_data: Any
    ) -> AuthResult:
        if not isinstance(auth_data, LoginPassword):
            return AuthResult(success=False, handled=False)
        login = auth_data.login.decode("utf-8", "replace")
        password = auth_data.password.decode("utf-8", "replace")
        ok = login in self.users and self.users[login] == password
        if ok:
            with self._arrived:
                self.logins += 1
        # handled=False: let aiosmtpd send the standard 235/535 reply itself.
        return AuthResult(success=ok, handled=False, auth_data=auth_data if ok else None)

    def introspect(self, token: str) -> str | None:
        """The user an access token belongs to while it is active, else None (RFC 7662)."""
        assert self.oauth2_introspection_url is not None
        data = urllib.parse.urlencode({"token": token}).encode()
        with urllib.request.urlopen(self.oauth2_introspection_url, data, timeout=10) as answer:
            body = json.loads(answer.read())
        return str(body["username"]) if body.get("active") else None

    def _ssl_context(self) -> ssl.SSLContext:
        if self.tls_files is None:
            directory = self._tls_dir or Path(tempfile.mkdtemp(prefix="reglament-smtp-tls-"))
            self.tls_files = make_tls_files(directory)
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(self.tls_files.cert_file, self.tls_files.key_file)
        return context

    @property
    def running(self) -> bool:
        return self._controller is not None

    def start(self) -> None:
        if self._controller is not None:
            return
        kwargs: dict[str, Any] = {
            "hostname": self.host,
            "port": self.port,
            "enable_SMTPUTF8": True,
            "ready_timeout": 10.0,
        }
        if self.users or self.oauth2_introspection_url:
            kwargs["authenticator"] = self._authenticate
            kwargs["auth_require_tls"] = False
            kwargs["auth_exclude_mechanism"] = list(self.exclude_auth)
        if self.tls == "starttls":
            kwargs["tls_context"] = self._ssl_context()
        elif self.tls == "ssl":
            kwargs["ssl_context"] = self._ssl_context()
        handler = _OAuthHandler(self) if self.oauth2_introspection_url else _Handler(self)
        controller = Controller(handler, **kwargs)
        controller.start()
        self._controller = controller

    def stop(self) -> None:
        """Stop listening and drop connections; the port stays reserved for ``start()``."""
        if self._controller is None:
            return
        self._controller.stop()
        self._controller = None
        wait_until(lambda: not port_accepts(self.host, self.port), 10, "SMTP port to close")

    def restart(self) -> None:
        self.stop()
        self.start()

    def close(self) -> None:
        self.stop()
        if self.tls_files is not None and self._tls_dir is None:
            shutil.rmtree(self.tls_files.ca_file.parent, ignore_errors=True)

    def __enter__(self) -> SmtpServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
