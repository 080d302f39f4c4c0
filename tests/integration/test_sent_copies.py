"""Copies in Sent (R-MAIL-10), read back over IMAP from a real Dovecot: the folder the server marks
``\\Sent`` wins over names, else the usual names, else the account's own choice; one copy per
message however often it is sent; none when the account says so."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from email.message import EmailMessage
from typing import Any

import pytest
from sqlalchemy import select

from desktop.mail import smtp as smtp_mod
from desktop.services import accounts
from desktop.services.background.outbox import drain_outbox
from desktop.services.background.sync import sync_account_once
from desktop.store.models import MailAccount
from tests.integration.conftest import Mailbox, _need
from tests.integration.sync_support import SUPPORT, client_mail
from tests.servers.dovecot import DovecotServer
from tests.servers.smtp import SmtpServer
from tests.unit.memory_keyring import MemoryKeyring

pytestmark = pytest.mark.integration


@pytest.fixture
def marked_dovecot() -> Iterator[DovecotServer]:
    """A server whose Sent folder has a name no client guesses, marked ``\\Sent`` (RFC 6154)."""
    server = _need(lambda: DovecotServer({"agent": "secret"}, special_use={"Outgoing": "\\Sent"}))
    try:
        server.start()
        yield server
    finally:
        server.close()


def folder_messages(server: DovecotServer, user: str, folder: str) -> list[bytes]:
    imap = server.client(user)
    try:
        if not imap.folder_exists(folder):
            return []
        imap.select_folder(folder, readonly=True)
        uids = imap.search("ALL")
        return [item[b"BODY[]"] for item in imap.fetch(uids, [b"BODY.PEEK[]"]).values()]
    finally:
        imap.logout()


def seen_flags(server: DovecotServer, user: str, folder: str) -> list[bool]:
    imap = server.client(user)
    try:
        imap.select_folder(folder, readonly=True)
        return [b"\\Seen" in item[b"FLAGS"] for item in imap.fetch(imap.search("ALL"), [b"FLAGS"]).values()]
    finally:
        imap.logout()


def add(ws: Any, server: DovecotServer, user: str, password: str, smtp: SmtpServer,
        **extra: Any) -> int:
    return accounts.add_account(
        ws, name="support", email=SUPPORT, imap_host=server.host, imap_port=server.port,
        smtp_host=smtp.host, smtp_port=smtp.port, security="none", user=user, password=password,
        **extra,
    ).id


def settings_of(ws: Any, account_id: int) -> smtp_mod.SmtpSettings:
    with ws.db.session() as s:
        acc = s.scalar(select(MailAccount).where(MailAccount.id == account_id))
        assert acc is not None
        s.expunge(acc)
    return accounts.smtp_settings(acc)


def reply(n: int = 1) -> EmailMessage:
    msg = EmailMessage()
    msg["From"], msg["To"] = SUPPORT, "client@firm.example"
    msg["Subject"], msg["Message-ID"] = f"[TID-00000{n}] Ответ", f"<reply{n}@reglament.test>"
    msg.set_content("Здравствуйте! Готово.")
    return msg


def test_the_acknowledgement_goes_to_the_folder_marked_sent_once_however_often_it_is_sent(
    ws: Any, memory_keyring: MemoryKeyring, marked_dovecot: DovecotServer,
    smtp_server_factory: Callable[..., SmtpServer],
) -> None:
    smtp = smtp_server_factory(users={"agent": "secret"})
    marked_dovecot.create_folder("agent", "Sent")  # a decoy: the marked folder wins
    account_id = add(ws, marked_dovecot, "agent", "secret", smtp)
    marked_dovecot.append("agent", client_mail("Не работает вход", msgid="<q1@client.example>"))
    assert sync_account_once(ws, account_id).acknowledged == 1
    assert len(drain_outbox(ws).sent) == 1
    [ack] = smtp.wait_for(1)
    [copy] = folder_messages(marked_dovecot, "agent", "Outgoing")
    assert ack.message["Message-ID"].encode() in copy
    assert folder_messages(marked_dovecot, "agent", "Sent") == []

    # The same message sent again (a retry after the server's answer was lost): a second
    # delivery is SMTP's own limit, but Sent keeps one copy.
    settings = settings_of(ws, account_id)
    message = reply()
    for _ in range(2):
        smtp_mod.send(settings, "secret", message, SUPPORT, ["client@firm.example"])
    assert len(smtp.wait_for(3)) == 3
    copies = folder_messages(marked_dovecot, "agent", "Outgoing")
    assert len(copies) == 2 and sum(b"<reply1@reglament.test>" in c for c in copies) == 1


def test_usual_names_the_accounts_own_folder_and_no_copies(
    ws: Any, memory_keyring: MemoryKeyring, mailbox_factory: Callable[..., Mailbox],
    smtp_server_factory: Callable[..., SmtpServer],
) -> None:
    usual, bare, own, off = (mailbox_factory() for _ in range(4))
    smtp = smtp_server_factory(users={m.user: m.password for m in (usual, bare, own, off)})
    # No folder is marked; "Sent Items" (Outlook's name) is found by its name.
    usual.server.create_folder(usual.user, "Sent Items")
    account_id = add(ws, usual.server, usual.user, usual.password, smtp)
    smtp_mod.send(settings_of(ws, account_id), usual.password, reply(1), SUPPORT, ["client@firm.example"])
    assert len(folder_messages(usual.server, usual.user, "Sent Items")) == 1
    accounts.remove_account(ws, "support")

    # Nothing there at all: a "Sent" is made, as mail clients do.
    account_id = add(ws, bare.server, bare.user, bare.password, smtp)
    smtp_mod.send(settings_of(ws, account_id), bare.password, reply(2), SUPPORT, ["client@firm.example"])
    assert len(folder_messages(bare.server, bare.user, "Sent")) == 1
    accounts.remove_account(ws, "support")

    # The account names its own folder.
    account_id = add(ws, own.server, own.user, own.password, smtp, sent_folder="Answers")
    smtp_mod.send(settings_of(ws, account_id), own.password, reply(3), SUPPORT, ["client@firm.example"])
    assert len(folder_messages(own.server, own.user, "Answers")) == 1
    assert folder_messages(own.server, own.user, "Sent") == []
    accounts.remove_account(ws, "support")

    # Switched off: nothing is appended anywhere.
    account_id = add(ws, off.server, off.user, off.password, smtp, sent_copies=False)
    smtp_mod.send(settings_of(ws, account_id), off.password, reply(4), SUPPORT, ["client@firm.example"])
    imap = off.server.client(off.user)
    try:
        assert [name for _flags, _d, name in imap.list_folders()] == ["INBOX"]
    finally:
        imap.logout()
    assert len(smtp.wait_for(4)) == 4


@pytest.mark.parametrize("keep_every", [200, 2], ids=["at-the-end", "while-sending"])
def test_a_drain_keeps_its_copies_over_one_login_once_each(
    ws: Any, memory_keyring: MemoryKeyring, marked_dovecot: DovecotServer,
    smtp_server_factory: Callable[..., SmtpServer], monkeypatch: pytest.MonkeyPatch, keep_every: int,
) -> None:
    from desktop.mail import imap as imap_mod
    from desktop.mail.sent_copy import SentCopies

    # A large drain appends its copies every KEEP_EVERY accepted messages, while it sends.
    monkeypatch.setattr(SentCopies, "KEEP_EVERY", keep_every)

    smtp = smtp_server_factory(users={"agent": "secret"})
    account_id = add(ws, marked_dovecot, "agent", "secret", smtp)
    for n in range(6):
        marked_dovecot.append("agent", client_mail(f"Вопрос {n}", msgid=f"<q{n}@client.example>",
                                                   sender=f"c{n}@client{n}.example"))
    assert sync_account_once(ws, account_id).acknowledged == 6
    settings = settings_of(ws, account_id)
    logins: list[int] = []
    real_connect = imap_mod.connect
    monkeypatch.setattr(imap_mod, "connect", lambda *a, **k: (logins.append(1), real_connect(*a, **k))[1])
    assert len(drain_outbox(ws).sent) == 6
    acks = smtp.wait_for(6)
    copies = folder_messages(marked_dovecot, "agent", "Outgoing")
    assert len(copies) == 6 and len(logins) == 1, "six copies, one IMAP login for the whole drain"
    for ack in acks:
        assert sum(ack.message["Message-ID"].encode() in c for c in copies) == 1
    assert seen_flags(marked_dovecot, "agent", "Outgoing") == [True] * 6  # one MULTIAPPEND, each \Seen
    smtp_mod.send(settings, "secret", reply(9), SUPPORT, ["client@firm.example"])
    assert len(folder_messages(marked_dovecot, "agent", "Outgoing")) == 7
