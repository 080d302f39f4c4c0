"""Fixtures that start real servers (Dovecot, aiosmtpd, PostgreSQL) on 127.0.0.1.

A missing server program skips the tests that need it on a developer's machine, with the package
to install in the reason. In CI (``CI`` set) it fails instead: a CI that silently skips the real
protocol tests would report green for code it never exercised.

Fixtures, cheapest first:

* ``mailbox`` / ``mailbox_factory`` — a fresh user (empty INBOX) on the shared session Dovecot.
  Use these unless the test stops, kills or reconfigures the server.
* ``dovecot_server`` — the shared session Dovecot (plain + STARTTLS on ``port``, IMAPS on
  ``tls_port``, CA in ``tls_files.ca_file``). Never stop it in a test.
* ``dovecot`` — a private Dovecot for one test (users ``agent``/``secret`` and ``operator`` with a
  non-ASCII password); stop/kill/restart/reset_uidvalidity freely.
* ``smtp_server`` / ``smtp_server_factory`` — aiosmtpd collecting mail; private per test.
* ``smtp`` — an aiosmtpd that takes mail only from the ``mailbox`` user, signed in.
* ``postgres_server`` (session) and ``postgres_url`` — a fresh empty database per test.
* ``memory_keyring`` — account passwords in memory (the project's own keyring comes back after).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

import pytest

from desktop.mail.imap import ImapSettings, Security
from tests.servers import ServerBinaryMissing, in_ci
from tests.servers.dovecot import Appended, DovecotServer, Message
from tests.servers.postgres import PostgresServer
from tests.servers.smtp import SmtpServer
from tests.unit.memory_keyring import MemoryKeyring

T = TypeVar("T")

AGENT = "agent"
AGENT_PASSWORD = "secret"
OPERATOR = "operator"
OPERATOR_PASSWORD = "пароль-Ёж №1"  # non-ASCII: exercises AUTHENTICATE PLAIN


def _need(make: Callable[[], T]) -> T:
    try:
        return make()
    except ServerBinaryMissing as missing:
        if in_ci():
            pytest.fail(f"{missing}; CI must install it (CI is set)", pytrace=False)
        pytest.skip(str(missing))


# --------------------------------------------------------------------------- IMAP


@dataclass
class Mailbox:
    """One IMAP user on a running Dovecot, with the settings the product would use for it."""

    server: DovecotServer
    user: str
    password: str

    def settings(self, security: Security = "none", **overrides: Any) -> ImapSettings:
        port = self.server.tls_port if security == "ssl" else self.server.port
        assert port is not None, "this Dovecot has no TLS port"
        values: dict[str, Any] = {
            "host": self.server.host,
            "port": port,
            "security": security,
            "user": self.user,
            "timeout": 10.0,
        }
        if security != "none" and self.server.tls_files is not None:
            values["ca_file"] = str(self.server.tls_files.ca_file)
        values.update(overrides)
        return ImapSettings(**values)

    def append(self, message: Message, **kwargs: Any) -> Appended:
        return self.server.append(self.user, message, **kwargs)

    def append_many(self, messages: Any, **kwargs: Any) -> Appended:
        return self.server.append_many(self.user, messages, **kwargs)


@pytest.fixture(scope="session")
def dovecot_server() -> Iterator[DovecotServer]:
    server = _need(lambda: DovecotServer(tls=True))
    try:
        server.start()
        yield server
    finally:
        server.close()


_user_numbers = itertools.count(1)


@pytest.fixture
def mailbox_factory(dovecot_server: DovecotServer) -> Callable[..., Mailbox]:
    """``mailbox_factory(password=None)`` → a new user with an empty INBOX on the shared server."""

    def make(password: str | None = None) -> Mailbox:
        user = f"user{next(_user_numbers)}"
        secret = password if password is not None else f"pw-{user}"
        dovecot_server.add_user(user, secret)
        return Mailbox(dovecot_server, user, secret)

    return make


@pytest.fixture
def mailbox(mailbox_factory: Callable[..., Mailbox]) -> Mailbox:
    return mailbox_factory()


@pytest.fixture
def dovecot() -> Iterator[DovecotServer]:
    server = _need(
        lambda: DovecotServer({AGENT: AGENT_PASSWORD, OPERATOR: OPERATOR_PASSWORD}, tls=False)
    )
    try:
        server.start()
        yield server
    finally:
        server.close()


# --------------------------------------------------------------------------- SMTP


@pytest.fixture
def smtp_server_factory() -> Iterator[Callable[..., SmtpServer]]:
    """``smtp_server_factory(users=..., require_auth=..., tls=None|"starttls"|"ssl")`` → started."""
    started: list[SmtpServer] = []

    def make(**kwargs: Any) -> SmtpServer:
        server = SmtpServer(**kwargs)
        started.append(server)
        server.start()
        return server

    yield make
    for server in started:
        server.close()


@pytest.fixture
def smtp_server(smtp_server_factory: Callable[..., SmtpServer]) -> SmtpServer:
    return smtp_server_factory()


@pytest.fixture
def smtp(mailbox: Mailbox, smtp_server_factory: Callable[..., SmtpServer]) -> SmtpServer:
    """An SMTP server that takes mail only from the ``mailbox`` user, signed in: as a provider's."""
    return smtp_server_factory(users={mailbox.user: mailbox.password}, require_auth=True)


# --------------------------------------------------------------------------- keyring


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    """The account passwords in memory for the test; the process's own keyring is put back after."""
    from tests.integration.sync_support import memory_keyring as installed  # it imports this module

    with installed() as backend:
        yield backend


# --------------------------------------------------------------------------- PostgreSQL


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    server = _need(PostgresServer)
    try:
        server.start()
        yield server
    finally:
        server.close()


@pytest.fixture
def postgres_url(postgres_server: PostgresServer) -> Iterator[str]:
    """A SQLAlchemy URL (``postgresql+psycopg://…``) of a new, empty database; dropped after."""
    url = postgres_server.create_database()
    yield url
    postgres_server.drop_database(url.rsplit("/", 1)[1])
