"""Shared by the sync/outbox integration tests: realistic client mail and accounts on test servers."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import keyring
import pytest

from desktop.services import accounts
from desktop.services.workspace import Workspace, open_workspace
from tests.integration.conftest import Mailbox
from tests.servers.smtp import SmtpServer
from tests.unit.memory_keyring import (
    FILE_VARIABLE,
    MemoryKeyring,
    PlaintextFileKeyring,
    install_memory_keyring,
)

MSK = dt.timezone(dt.timedelta(hours=3))
SUPPORT = "support@reglament.test"
CLIENT = "m.ivanova@romashka.example"


def client_mail(
    subject: str,
    *,
    sender: str = CLIENT,
    body: str = "Здравствуйте! Не открывается личный кабинет.",
    msgid: str,
    date: dt.datetime | None = None,
    headers: dict[str, str] | None = None,
) -> bytes:
    msg = EmailMessage()
    msg["From"] = f"Мария Иванова <{sender}>"
    msg["To"] = SUPPORT
    msg["Subject"] = subject
    msg["Message-ID"] = msgid
    msg["Date"] = format_datetime(date or dt.datetime(2026, 11, 10, 8, 0, tzinfo=MSK))
    for name, value in (headers or {}).items():
        msg[name] = value
    msg.set_content(body)
    return msg.as_bytes().replace(b"\n", b"\r\n")


def many_questions(count: int, senders: int = 25) -> list[bytes]:
    """``count`` distinct questions from a few senders (so the hourly auto-reply limit caps acks)."""
    return [
        client_mail(
            f"Вопрос №{n}: не работает выгрузка {n * 7919 % 10007}",
            sender=f"user{n % senders}@client{n % 5}.example",
            body=f"Здравствуйте! Это вопрос номер {n}.\nС уважением, клиент {n % senders}.",
            msgid=f"<q{n}@client.example>",
        )
        for n in range(count)
    ]


@contextlib.contextmanager
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = install_memory_keyring()
    try:
        yield backend
    finally:
        keyring.set_keyring(previous)


def make_account(
    ws: Any, mailbox: Mailbox, smtp: SmtpServer | None = None, name: str = "support"
) -> int:
    """An account on the test servers (plain connections: loopback is allowed without TLS)."""
    info = accounts.add_account(
        ws,
        name=name,
        email=SUPPORT,
        imap_host=mailbox.server.host,
        imap_port=mailbox.server.port,
        smtp_host=smtp.host if smtp else "127.0.0.1",
        smtp_port=smtp.port if smtp else 1,
        security="none",
        user=mailbox.user,
        password=mailbox.password,
    )
    return info.id


def account_for_a_child(
    tmp_path: Path, mailbox: Mailbox, monkeypatch: pytest.MonkeyPatch
) -> tuple[Path, Workspace, int]:
    """A data folder with ``mailbox`` as its account, for a sync run as a child process: the
    child reads the password from a file keyring, as production reads the OS keyring. The
    process's own backend is taken *before* the file keyring is named in the environment:
    keyring chooses its default lazily, and would otherwise "restore" the file keyring for
    later tests. Returns the folder, its open workspace and the account's id."""
    previous = keyring.get_keyring()
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "tests.unit.memory_keyring.FileKeyring")
    monkeypatch.setenv(FILE_VARIABLE, str(tmp_path / "keyring.json"))
    keyring.set_keyring(PlaintextFileKeyring())
    home = tmp_path / "home"
    ws = open_workspace(home=home, actor="tester")
    try:
        account_id = make_account(ws, mailbox)
    finally:
        keyring.set_keyring(previous)
    return home, ws, account_id
