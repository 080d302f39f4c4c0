"""Where an account's secrets live: its keyring entries, their keys, and reading them.

The keyring entry is keyed by the account's own stable key (``MailAccount.key_id``, a UUID made
once): not by the row id, because two data folders on one machine number their rows alike, and
not by the login (``user@host:port``, as before), because then a second account with the same
login silently replaced the first one's password. Entries filed under the old login key are
moved to the account's key the first time they are read (or by :func:`migrate_secrets`). An
OAuth 2.0 account keeps its grant's refresh token here instead of a password.
"""

from __future__ import annotations

import contextlib

from sqlalchemy import select

from desktop import secrets
from desktop.mail import oauth_tokens
from desktop.mail.oauth2 import OAuthClient
from desktop.services.workspace import Workspace
from desktop.store.models import MailAccount

DEFAULT_SMTP_PORT = {"ssl": 465, "starttls": 587, "none": 25}



def _key(acc: MailAccount) -> str:
    """The account's own keyring key; an account from before migration 0007 without one
    (only possible in a database written by a half-finished upgrade) uses its login key."""
    return f"account-{acc.key_id}" if acc.key_id else _legacy_imap_key(acc)


def _imap_key(acc: MailAccount) -> str:
    return _key(acc)


def _smtp_key(acc: MailAccount) -> str:
    return _key(acc)


def _legacy_imap_key(acc: MailAccount) -> str:
    return f"{acc.username}@{acc.imap_host}:{acc.imap_port}"


def _legacy_smtp_key(acc: MailAccount) -> str:
    return f"{_smtp_user(acc)}@{_smtp_host(acc)}:{_smtp_port(acc)}"


def _smtp_user(acc: MailAccount) -> str:
    return acc.smtp_username or acc.username


def _read(acc: MailAccount, kind: str) -> str:
    """The secret under the account's key, moving an entry filed under the old login key
    there on first read. The old entry is kept (another data folder's account with the same
    login may still read it); it is removed with the account."""
    key = _key(acc)
    try:
        return secrets.get_secret(kind, key)
    except secrets.SecretMissing:
        legacy = _legacy_imap_key(acc) if kind == "imap" else _legacy_smtp_key(acc)
        if legacy == key:
            raise
        try:
            secret = secrets.get_secret(kind, legacy)
        except secrets.SecretMissing:
            raise secrets.SecretMissing(kind, acc.name) from None
        # A read-only set (secrets handed down to a child process): use it as it is.
        with contextlib.suppress(secrets.KeyringUnavailable):
            secrets.set_secret(kind, key, secret)
        return secret


def oauth_client(acc: MailAccount) -> OAuthClient | None:
    """The OAuth 2.0 client of an account that signs in with OAuth, else None."""
    if acc.auth_method != "oauth2":
        return None
    return OAuthClient.make(acc.oauth_provider or "custom", acc.oauth_client_id, acc.oauth_issuer)


def _grant_key(acc: MailAccount) -> str | None:
    client = oauth_client(acc)
    return oauth_tokens.grant_key(acc.username, client) if client is not None else None


def token_source(acc: MailAccount) -> oauth_tokens.TokenSource | None:
    client = oauth_client(acc)
    if client is None:
        return None
    return oauth_tokens.TokenSource(client, acc.username, oauth_tokens.grant_key(acc.username, client))


def imap_password(acc: MailAccount) -> str:
    """The IMAP password from the keyring (raises ``SecretMissing``/``KeyringUnavailable``);
    empty for an OAuth 2.0 account, whose settings carry a token source instead."""
    if acc.auth_method == "oauth2":
        return ""
    return _read(acc, "imap")


def smtp_password(acc: MailAccount) -> str:
    """The SMTP password: its own keyring entry if one was stored, else the IMAP one.

    Almost every provider uses one login for both; a separate entry exists for those that do not.
    """
    if acc.auth_method == "oauth2":
        return ""
    try:
        return _read(acc, "smtp")
    except secrets.SecretMissing:
        return imap_password(acc)


def migrate_secrets(ws: Workspace) -> int:
    """File every enabled account's entries under its own key (see :func:`_read`); how many
    accounts have a password now. Called before secrets are handed to the window's sync."""
    with ws.db.session() as s:
        enabled = list(s.scalars(select(MailAccount).where(MailAccount.enabled.is_(True))))
        for acc in enabled:
            s.expunge(acc)
    found = 0
    for acc in enabled:
        with contextlib.suppress(secrets.SecretMissing):
            _read(acc, "imap")
            found += 1
        with contextlib.suppress(secrets.SecretMissing):
            _read(acc, "smtp")
    return found


def sync_secrets(ws: Workspace) -> dict[str, str]:
    """What a sync needs from the keyring for every enabled account — the IMAP passwords and
    any separate SMTP ones — read here to be handed to the window's sync process."""
    migrate_secrets(ws)
    with ws.db.session() as s:
        enabled = list(s.scalars(select(MailAccount).where(MailAccount.enabled.is_(True))))
        wanted = sorted({pair for acc in enabled for pair in _secret_entries(acc)})
    return secrets.export_secrets(wanted) if wanted else {}


def _secret_entries(acc: MailAccount) -> list[tuple[str, str]]:
    key = _grant_key(acc)
    if key is not None:
        return [(oauth_tokens.KIND, key)]
    return [("imap", _imap_key(acc)), ("smtp", _smtp_key(acc))]


def _smtp_security(acc: MailAccount) -> str:
    return acc.smtp_security or acc.security


def _smtp_host(acc: MailAccount) -> str:
    return acc.smtp_host or acc.imap_host


def _smtp_port(acc: MailAccount) -> int:
    return acc.smtp_port or DEFAULT_SMTP_PORT.get(_smtp_security(acc), 587)


def forget_passwords(ws: Workspace) -> int:
    """Delete this workstation's keyring entries of every account; the accounts stay.

    What an uninstaller asks for: the passwords live in this computer's keyring, while the
    accounts may belong to a team's database that other workstations still use. Returns how
    many entries were there to delete.
    """
    with ws.db.session() as s:
        keys = set()
        for acc in s.scalars(select(MailAccount)).all():
            keys |= {("imap", _imap_key(acc)), ("smtp", _smtp_key(acc)), *_secret_entries(acc)}
    return sum(1 for kind, key in sorted(keys) if secrets.delete_secret(kind, key))
