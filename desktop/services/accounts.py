"""Mail accounts: the IMAP/SMTP mailboxes tickets come from and replies go out of (R-MAIL-1, R-CRED).

An account is a ``MailAccount`` row holding everything *but* the password; the password lives in
the OS keyring through :mod:`desktop.secrets`, and nowhere else — not in the row, the settings,
the log or any error text. The keyring entry is keyed by the account's own stable key
(``MailAccount.key_id``, a UUID made once): not by the row id, because two data folders on one
machine (the demo and the real one, or a test) number their rows alike, and not by the login
(``user@host:port``, as before), because then a second account with the same login silently
replaced the first one's password. Entries filed under the old login key are moved to the
account's key the first time they are read (or by :func:`migrate_secrets`).

The connection policy is checked when an account is *added*, not only when it connects:
``security="none"`` is accepted for loopback hosts only, unless the administrator says
``allow_insecure`` — a mistake is refused where it is made, not hours later in the sync log.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from desktop import secrets
from desktop.errors import NotFound, ReglamentError, ValidationError
from desktop.mail import imap, oauth_tokens, sent_copy, smtp
from desktop.mail.oauth2 import Grant, OAuthClient
from desktop.mail.transport_errors import is_loopback, tls_context
from desktop.services.account_secrets import (
    DEFAULT_SMTP_PORT,
    _grant_key,
    _imap_key,
    _legacy_imap_key,
    _legacy_smtp_key,
    _secret_entries,
    _smtp_host,
    _smtp_key,
    _smtp_port,
    _smtp_security,
    _smtp_user,
    imap_password,
    smtp_password,
    token_source,
)
from desktop.services.workspace import Workspace
from desktop.store.models import MailAccount, Message, OutboxItem, Quarantined, SyncState

__all__ = [
    "AccountInfo",
    "add_account",
    "find_account",
    "imap_password",
    "imap_settings",
    "list_accounts",
    "remove_account",
    "set_password",
    "smtp_password",
    "smtp_settings",
]

SECURITY_VALUES = ("ssl", "starttls", "none")
DEFAULT_IMAP_PORT = {"ssl": 993, "starttls": 143, "none": 143}


@dataclass(frozen=True)
class AccountInfo:
    """What ``account list`` shows and the GUI's account dialog edits (no password, ever)."""

    id: int
    name: str
    email: str
    display_name: str
    user: str
    imap_host: str
    imap_port: int
    smtp_host: str
    smtp_port: int
    security: str
    smtp_security: str
    allow_insecure: bool
    folder: str
    enabled: bool
    last_sync_at: str | None
    last_error: str | None
    smtp_user: str = ""
    ca_file: str | None = None
    auth_method: str = "password"
    oauth_provider: str | None = None
    sent_folder: str | None = None
    sent_copies: bool = True

    def as_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "name": self.name,
            "email": self.email,
            "display_name": self.display_name,
            "user": self.user,
            "imap_host": self.imap_host,
            "imap_port": self.imap_port,
            "smtp_host": self.smtp_host,
            "smtp_port": self.smtp_port,
            "security": self.security,
            "smtp_security": self.smtp_security,
            "allow_insecure": self.allow_insecure,
            "smtp_user": self.smtp_user,
            "ca_file": self.ca_file,
            "folder": self.folder,
            "enabled": self.enabled,
            "last_sync_at": self.last_sync_at,
            "last_error": self.last_error,
            "auth_method": self.auth_method,
            "oauth_provider": self.oauth_provider,
            "sent_folder": self.sent_folder,
            "sent_copies": self.sent_copies,
        }


# --------------------------------------------------------------------------- settings


def imap_settings(acc: MailAccount, timeout: float = 30.0) -> imap.ImapSettings:
    return imap.ImapSettings(
        host=acc.imap_host,
        port=acc.imap_port,
        security=acc.security,  # type: ignore[arg-type]
        user=acc.username,
        allow_insecure=acc.allow_insecure,
        folder=acc.folder or "INBOX",
        timeout=timeout,
        ca_file=acc.ca_file,
        token=token_source(acc),
    )


def _copy_to_sent(acc: MailAccount) -> sent_copy.SentCopies | None:
    """The copies in Sent of what the server accepts (R-MAIL-10), appended when the SMTP
    connection closes, over one IMAP login; none when the account turned them off."""
    if acc.sent_copies is False:
        return None
    # A shorter wait than a sync's: the message is already sent, only its copy waits on this.
    return sent_copy.SentCopies(imap_settings(acc, timeout=15.0), lambda: imap_password(acc),
                                acc.sent_folder or None)


def smtp_settings(acc: MailAccount, timeout: float = 30.0, *, copies: bool = True) -> smtp.SmtpSettings:
    return smtp.SmtpSettings(
        host=_smtp_host(acc),
        port=_smtp_port(acc),
        security=_smtp_security(acc),  # type: ignore[arg-type]
        user=_smtp_user(acc),
        allow_insecure=acc.allow_insecure,
        timeout=timeout,
        ca_file=acc.ca_file,
        token=token_source(acc),
        after_send=_copy_to_sent(acc) if copies else None,
    )


# --------------------------------------------------------------------------- use cases


def _check_security(security: str, host: str, port: int, allow_insecure: bool, what: str) -> None:
    if security not in SECURITY_VALUES:
        raise ValidationError("security must be one of ssl, starttls, none (got {security!r})", security=security)
    if security == "none" and not allow_insecure and not is_loopback(host):
        raise ValidationError(
            "an unencrypted {what} connection to {host}:{port} would send the password in the "
            "clear; use --security ssl or starttls, or add --allow-insecure if the administrator "
            "accepts that risk for this host", what=what, host=host, port=port
        )


def _check_port(port: int, what: str) -> None:
    if not 0 < port < 65536:
        raise ValidationError("the {what} port {port} is not a valid port number", what=what, port=port)


def add_account(
    ws: Workspace,
    *,
    name: str,
    email: str,
    imap_host: str,
    password: str,
    imap_port: int | None = None,
    smtp_host: str | None = None,
    smtp_port: int | None = None,
    security: str = "ssl",
    user: str | None = None,
    allow_insecure: bool = False,
    display_name: str = "",
    folder: str = "INBOX",
    smtp_user: str | None = None,
    smtp_password: str | None = None,
    ca_file: str | None = None,
    smtp_security: str | None = None,
    auth: str = "password",
    oauth: OAuthClient | None = None,
    grant: Grant | None = None,
    sent_folder: str | None = None,
    sent_copies: bool = True,
    before_store: Callable[[MailAccount, str, str | None], None] | None = None,
) -> AccountInfo:
    """Create the account and put its password(s) into the keyring — all or nothing.

    The keyring is checked first, so a machine without a usable keyring gets the plain advice of
    R-CRED-2 and no half-made account. ``smtp_user``/``smtp_password``: for a provider whose SMTP
    login differs from the IMAP one (else SMTP uses the IMAP login and password). ``ca_file``: a
    company CA to trust besides the system's (PEM); it is checked before anything is stored.
    ``auth="oauth2"``: ``oauth`` names the provider and client, ``grant`` is the sign-in's result
    (its refresh token goes to the keyring instead of a password). ``before_store(row, password,
    smtp_password)`` sees the finished row before anything is stored — the connection check;
    if it raises, nothing is stored.
    """
    name, email, imap_host = name.strip(), email.strip(), imap_host.strip()
    if not name:
        raise ValidationError("the account name is empty")
    if "@" not in email or email.startswith("@") or email.endswith("@"):
        raise ValidationError("{email!r} is not an e-mail address", email=email)
    if not imap_host:
        raise ValidationError("the IMAP host is empty")
    if auth not in ("password", "oauth2"):
        raise ValidationError("the sign-in method is password or oauth2, not {auth!r}", auth=auth)
    if auth == "oauth2" and (oauth is None or grant is None or not grant.refresh_token):
        raise ValidationError("an OAuth 2.0 account needs a finished sign-in with a refresh token")
    if auth == "password" and not password:
        raise ValidationError("the password is empty (give it on standard input)")
    if security not in SECURITY_VALUES:
        raise ValidationError("security must be one of ssl, starttls, none (got {security!r})", security=security)
    out_security = smtp_security or security
    port = imap_port or DEFAULT_IMAP_PORT[security]
    out_host = (smtp_host or "").strip() or imap_host
    out_port = smtp_port or DEFAULT_SMTP_PORT.get(out_security, 587)
    _check_port(port, "IMAP")
    _check_port(out_port, "SMTP")
    _check_security(security, imap_host, port, allow_insecure, "IMAP")
    _check_security(out_security, out_host, out_port, allow_insecure, "SMTP")
    ca = (ca_file or "").strip() or None
    if ca is not None:
        ca = str(Path(ca).expanduser().resolve())
        tls_context(ca)  # an unreadable or broken file is refused now, in plain words
    out_user = (smtp_user or "").strip() or None
    if smtp_password and out_user is None:
        raise ValidationError("an SMTP password of its own needs the SMTP login it belongs to")
    secrets.check_backend()
    with ws.db.session() as s:
        if s.scalar(select(MailAccount.id).where(MailAccount.name == name)) is not None:
            raise ValidationError("an account named {name} exists already", name=name)
        acc = MailAccount(
            name=name,
            email=email.lower(),
            display_name=display_name,
            imap_host=imap_host,
            imap_port=port,
            smtp_host=out_host,
            smtp_port=out_port,
            security=security,
            smtp_security=out_security,
            username=(user or email).strip(),
            smtp_username=out_user,
            ca_file=ca,
            allow_insecure=allow_insecure,
            folder=folder or "INBOX",
            enabled=True,
            created_at=ws.now(),
            auth_method=auth,
            oauth_provider=oauth.provider if oauth else None,
            oauth_issuer=oauth.issuer if oauth else None,
            oauth_client_id=oauth.client_id if oauth else None,
            sent_folder=(sent_folder or "").strip() or None,
            sent_copies=sent_copies,
            key_id=str(uuid.uuid4()),
        )
        if before_store is not None:
            before_store(acc, password, smtp_password)
        s.add(acc)
        s.flush()
        grant_key = _grant_key(acc)
        if grant_key is not None and grant is not None:
            stored = [(oauth_tokens.KIND, grant_key, grant.refresh_token or "")]
        else:
            stored = [("imap", _imap_key(acc), password)]
        if smtp_password and grant_key is None:
            stored.append(("smtp", _smtp_key(acc), smtp_password))
        done: list[tuple[str, str]] = []
        try:
            # Inside the transaction: if the keyring refuses, the row is rolled back with it.
            for kind, key, secret in stored:
                secrets.set_secret(kind, key, secret)
                done.append((kind, key))
            s.flush()
            info = _info(s, acc)
            if grant_key is not None and grant is not None:
                oauth_tokens.remember(grant_key, grant)
        except BaseException:
            for kind, key in done:
                secrets.delete_secret(kind, key)
            raise
    return info


def set_password(ws: Workspace, name: str, password: str, kind: str = "imap") -> None:
    """Store a new password (e.g. after a change, or on a second workstation in team mode)."""
    if kind not in ("imap", "smtp"):
        raise ValidationError("the password kind is imap or smtp")
    if not password:
        raise ValidationError("the password is empty")
    with ws.db.session() as s:
        acc = find_account(s, name)
        secrets.set_secret(kind, _imap_key(acc) if kind == "imap" else _smtp_key(acc), password)


def find_account(s: Session, name: str) -> MailAccount:
    """By name, or by id when ``name`` is a number (``account test 1`` works too)."""
    acc = s.scalar(select(MailAccount).where(MailAccount.name == name))
    if acc is None and name.isdigit():
        acc = s.get(MailAccount, int(name))
    if acc is None:
        raise NotFound("there is no mail account named {name}", name=name)
    return acc


def _info(s: Session, acc: MailAccount) -> AccountInfo:
    state = s.scalar(
        select(SyncState).where(
            SyncState.account_id == acc.id, SyncState.folder == (acc.folder or "INBOX")
        )
    )
    return AccountInfo(
        id=acc.id,
        name=acc.name,
        email=acc.email,
        display_name=acc.display_name or "",
        user=acc.username,
        imap_host=acc.imap_host,
        imap_port=acc.imap_port,
        smtp_host=_smtp_host(acc),
        smtp_port=_smtp_port(acc),
        security=acc.security,
        smtp_security=_smtp_security(acc),
        allow_insecure=bool(acc.allow_insecure),
        smtp_user=_smtp_user(acc),
        ca_file=acc.ca_file,
        auth_method=acc.auth_method or "password",
        oauth_provider=acc.oauth_provider,
        sent_folder=acc.sent_folder,
        sent_copies=acc.sent_copies is not False,
        folder=acc.folder or "INBOX",
        enabled=bool(acc.enabled),
        last_sync_at=(
            state.last_sync_at.isoformat() if state and state.last_sync_at is not None else None
        ),
        last_error=state.last_error if state else None,
    )


def list_accounts(ws: Workspace) -> list[AccountInfo]:
    with ws.db.session() as s:
        return [_info(s, a) for a in s.scalars(select(MailAccount).order_by(MailAccount.id))]


def get_account(ws: Workspace, name: str) -> AccountInfo:
    with ws.db.session() as s:
        return _info(s, find_account(s, name))


def remove_account(ws: Workspace, name: str) -> AccountInfo:
    """Delete the account and its keyring entries (unless another account shares that login).

    Stored tickets and messages stay (they are the support history); they simply no longer point
    at a mailbox. Mail still waiting in the outbox for this account falls back to the first
    enabled account when it is sent.
    """
    with ws.db.session() as s:
        acc = find_account(s, name)
        info = _info(s, acc)
        keys = {("imap", _imap_key(acc)), ("smtp", _smtp_key(acc)), *_secret_entries(acc),
                ("imap", _legacy_imap_key(acc)), ("smtp", _legacy_smtp_key(acc))}
        others = s.scalars(select(MailAccount).where(MailAccount.id != acc.id)).all()
        shared = {pair for o in others for pair in (
            ("imap", _imap_key(o)), ("smtp", _smtp_key(o)), *_secret_entries(o),
            ("imap", _legacy_imap_key(o)), ("smtp", _legacy_smtp_key(o)))}
        s.execute(update(Message).where(Message.account_id == acc.id).values(account_id=None))
        s.execute(
            update(Quarantined).where(Quarantined.account_id == acc.id).values(account_id=None)
        )
        s.execute(
            update(OutboxItem).where(OutboxItem.account_id == acc.id).values(account_id=None)
        )
        s.delete(acc)
        s.flush()
    for kind, key in keys - shared:
        try:
            secrets.delete_secret(kind, key)
        except secrets.KeyringUnavailable:
            # The account is gone; a keyring that cannot be reached now keeps an orphan entry
            # that nothing reads. Say so rather than pretend.
            raise ReglamentError(
                "the account {name} was removed, but its password could not be deleted "
                "from the system keyring; remove the entry 'reglament' / "
                "'{kind}:{key}' by hand", name=info.name, kind=kind, key=key
            ) from None
    return info
