"""OAuth 2.0 mailboxes for real: a local authorisation server, Dovecot's ``oauth2`` passdb asking it
(RFC 7662), aiosmtpd with XOAUTH2 asking it too; the sign-in driven headless (the test is the
browser), then sync, acknowledgements sent with XOAUTH2, their copies read back from Sent, an
access token expiring, and the grant revoked."""

from __future__ import annotations

import threading
import urllib.request
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest

from desktop.mail import oauth2, oauth_tokens
from desktop.mail import smtp as smtp_mod
from desktop.services import account_checks, accounts
from desktop.services.background.outbox import drain_outbox
from desktop.services.background.sync import sync_account_once
from tests.integration.conftest import _need
from tests.integration.sync_support import SUPPORT, client_mail
from tests.servers.dovecot import DovecotServer
from tests.servers.oauth import OAuthServer
from tests.servers.smtp import SmtpServer
from tests.unit.memory_keyring import MemoryKeyring

pytestmark = pytest.mark.integration

USER = "agent"
CLIENT_ID = "reglament-test"


@pytest.fixture
def oauth_server() -> Iterator[OAuthServer]:
    with OAuthServer() as server:
        yield server


@pytest.fixture
def oauth_dovecot(oauth_server: OAuthServer) -> Iterator[DovecotServer]:
    # The password is only for the test's own look at the mailbox; the product signs in with OAuth.
    server = _need(lambda: DovecotServer(
        {USER: "test-only"}, oauth2_introspection_url=oauth_server.introspection_url
    ))
    try:
        server.start()
        yield server
    finally:
        server.close()


@pytest.fixture
def oauth_smtp(oauth_server: OAuthServer) -> Iterator[SmtpServer]:
    server = SmtpServer(require_auth=True, oauth2_introspection_url=oauth_server.introspection_url)
    server.start()
    try:
        yield server
    finally:
        server.close()


def browser(url: str) -> None:
    """The system browser, played by the test: the provider's page redirects at once (the user
    is signed in there) and the browser follows to the loopback address."""

    def visit() -> None:
        with urllib.request.urlopen(url, timeout=10) as page:
            page.read()

    threading.Thread(target=visit, daemon=True).start()


def client(server: OAuthServer) -> oauth2.OAuthClient:
    return oauth2.OAuthClient.make("custom", CLIENT_ID, server.issuer)


def add_oauth_account(ws: Any, server: OAuthServer, dovecot: DovecotServer, smtp: SmtpServer,
                      grant: oauth2.Grant) -> accounts.AccountInfo:
    return account_checks.add_checked_account(
        ws, name="support", email=SUPPORT, imap_host=dovecot.host, imap_port=dovecot.port,
        smtp_host=smtp.host, smtp_port=smtp.port, security="none", user=USER, password="",
        auth="oauth2", oauth=client(server), grant=grant,
    )


def sent_messages(dovecot: DovecotServer) -> list[bytes]:
    imap = dovecot.client(USER)
    try:
        imap.select_folder("Sent", readonly=True)
        uids = imap.search("ALL")
        return [item[b"BODY[]"] for item in imap.fetch(uids, [b"BODY.PEEK[]"]).values()]
    finally:
        imap.logout()


def test_sign_in_in_the_browser_sync_send_expiry_and_revocation(
    ws: Any, memory_keyring: MemoryKeyring, oauth_server: OAuthServer,
    oauth_dovecot: DovecotServer, oauth_smtp: SmtpServer,
) -> None:
    grant = account_checks.sign_in(client(oauth_server), USER, open_url=browser)
    info = add_oauth_account(ws, oauth_server, oauth_dovecot, oauth_smtp, grant)
    assert (info.auth_method, info.oauth_provider) == ("oauth2", "custom")

    # The refresh token is in the keyring, and nowhere under the data folder.
    refresh_token = grant.refresh_token
    assert refresh_token is not None
    assert memory_keyring.entries == {
        ("reglament", f"oauth:{USER}@{oauth_server.issuer}"): refresh_token
    }

    # Sync over XOAUTH2: a new ticket, its acknowledgement sent over SMTP with XOAUTH2.
    oauth_dovecot.append(USER, client_mail("Не работает вход", msgid="<q1@client.example>"))
    report = sync_account_once(ws, info.id)
    assert report.ok and report.fetched == 1 and report.acknowledged == 1, report.summary()
    drained = drain_outbox(ws)
    assert len(drained.sent) == 1, drained.errors
    [ack] = oauth_smtp.wait_for(1)
    assert ack.authenticated_as == USER
    # ... and its copy is in Sent, once.
    [copy] = sent_messages(oauth_dovecot)
    assert ack.message["Message-ID"].encode() in copy

    # The server expires every access token before the time it announced: the next login is
    # refused once, the token renewed, and the sync goes on without a word.
    refreshes = oauth_server.refreshes
    oauth_server.expire_access_tokens()
    oauth_dovecot.append(USER, client_mail("Второй вопрос", sender="b@firm.example",
                                           msgid="<q2@client.example>"))
    report = sync_account_once(ws, info.id)
    assert report.ok and report.fetched == 1, report.summary()
    assert oauth_server.refreshes == refreshes + 1
    assert len(drain_outbox(ws).sent) == 1
    assert len(sent_messages(oauth_dovecot)) == 2
    # Refresh tokens rotate: the keyring holds the newest.
    [(_key, stored)] = memory_keyring.entries.items()
    assert stored != refresh_token and stored in oauth_server.active_refresh_tokens(USER)

    # A token close to its expiry is renewed before it is used (no refused login first).
    oauth_server.access_lifetime = 30  # inside the renewal margin
    key = oauth_tokens.grant_key(USER, client(oauth_server))
    oauth_tokens.TokenSource(client(oauth_server), USER, key)(True)
    before = oauth_server.refreshes
    assert sync_account_once(ws, info.id).ok
    assert oauth_server.refreshes == before + 1

    # Revoked: "sign in again", plainly; nothing is retried for ever.
    oauth_server.revoke(USER)
    report = sync_account_once(ws, info.id)
    assert not report.ok
    assert report.error is not None and "sign in again" in report.error

    # Signing in again brings the account back.
    account_checks.store_sign_in(ws, "support", account_checks.sign_in(
        client(oauth_server), USER, open_url=browser))
    assert sync_account_once(ws, info.id).ok

    files = [p for p in Path(ws.paths.home).rglob("*") if p.is_file()]
    assert any(p.name.endswith(".db") for p in files)
    for path in files:
        data = path.read_bytes()
        for token in oauth_server.refresh:
            assert token.encode() not in data, f"a refresh token leaked into {path}"


def test_device_code_sign_in_and_a_check_that_fails_stores_nothing(
    ws: Any, memory_keyring: MemoryKeyring, oauth_server: OAuthServer,
    oauth_dovecot: DovecotServer, oauth_smtp: SmtpServer,
) -> None:
    shown: list[oauth2.DeviceCode] = []

    def show(code: oauth2.DeviceCode) -> None:
        shown.append(code)
        # The person opens the address on a phone and types the code.
        with urllib.request.urlopen(f"{code.verification_uri}?user_code={code.user_code}") as page:
            page.read()

    grant = account_checks.sign_in(client(oauth_server), USER, device=True, show_code=show)
    assert shown and shown[0].verification_uri.startswith(oauth_server.issuer)

    # The grant belongs to "agent"; logging in as someone else is refused by both servers, and
    # the account is not saved.
    with pytest.raises(account_checks.ConnectionCheckFailed) as failed:
        account_checks.add_checked_account(
            ws, name="wrong", email=SUPPORT, imap_host=oauth_dovecot.host,
            imap_port=oauth_dovecot.port, smtp_host=oauth_smtp.host, smtp_port=oauth_smtp.port,
            security="none", user="someone-else", password="", auth="oauth2",
            oauth=client(oauth_server), grant=grant,
        )
    assert str(failed.value) == (
        "the account was not saved: IMAP: authentication failed for someone-else@127.0.0.1; "
        "SMTP: authentication failed for someone-else@127.0.0.1"
    )
    assert accounts.list_accounts(ws) == [] and memory_keyring.entries == {}

    info = add_oauth_account(ws, oauth_server, oauth_dovecot, oauth_smtp, grant)
    verdicts = account_checks.test_account(ws, info.name)
    assert [v.ok for v in verdicts] == [True, True]


def test_oauthbearer_where_it_is_the_only_mechanism_and_smtp_renews_a_refused_token(
    ws: Any, memory_keyring: MemoryKeyring, oauth_server: OAuthServer,
) -> None:
    """RFC 7628 OAUTHBEARER when the servers offer no XOAUTH2; an SMTP login refused because the
    server expired the token early is renewed once and the message goes."""
    dovecot = _need(lambda: DovecotServer(
        {USER: "test-only"}, oauth2_introspection_url=oauth_server.introspection_url,
        oauth2_mechanisms="oauthbearer",
    ))
    smtp = SmtpServer(require_auth=True, oauth2_introspection_url=oauth_server.introspection_url,
                      exclude_auth=("XOAUTH2",))
    try:
        dovecot.start()
        smtp.start()
        grant = account_checks.sign_in(client(oauth_server), USER, open_url=browser)
        info = add_oauth_account(ws, oauth_server, dovecot, smtp, grant)
        assert "method=OAUTHBEARER" in dovecot.log()

        with ws.db.session() as s:
            acc = accounts.find_account(s, info.name)
            s.expunge(acc)
        settings = accounts.smtp_settings(acc, copies=False)
        refreshes = oauth_server.refreshes
        oauth_server.expire_access_tokens()
        message = EmailMessage()
        message["From"], message["To"], message["Subject"] = SUPPORT, "c@firm.example", "Ответ"
        message["Message-ID"] = "<bearer@reglament.test>"
        message.set_content("Готово.")
        smtp_mod.send(settings, "", message, SUPPORT, ["c@firm.example"])
        [received] = smtp.wait_for(1)
        assert received.authenticated_as == USER and oauth_server.refreshes == refreshes + 1
    finally:
        smtp.close()
        dovecot.close()


def test_a_process_with_read_only_secrets_keeps_renewing_with_the_newest_refresh_token(
    memory_keyring: MemoryKeyring, oauth_server: OAuthServer,
) -> None:
    """The window's sync process holds handed-down secrets it cannot write: a provider that
    rotates refresh tokens (this server revokes each at its first use) must not make its second
    renewal fail."""
    from desktop import secrets

    grant = account_checks.sign_in(client(oauth_server), USER, open_url=browser)
    assert grant.refresh_token is not None
    key = oauth_tokens.grant_key(USER, client(oauth_server))
    secrets.adopt_secrets({f"{oauth_tokens.KIND}:{key}": grant.refresh_token})
    source = oauth_tokens.TokenSource(client(oauth_server), USER, key)
    first, second = source(True), source(True)
    assert first != second and oauth_server.refreshes == 2
    assert secrets.get_secret(oauth_tokens.KIND, key) == grant.refresh_token  # read-only, as given


def test_no_browser_here_says_to_use_a_code_at_once(oauth_server: OAuthServer) -> None:
    with pytest.raises(oauth2.SignInFailed, match="no web browser could be opened here"):
        account_checks.sign_in(client(oauth_server), USER, open_url=lambda url: False)
