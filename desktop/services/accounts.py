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

import contextlib
import uuid
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from desktop import secrets
from desktop.errors import NotFound, Phrase, ReglamentError, ValidationError
from desktop.mail import imap, smtp
from desktop.mail.transport_errors import is_loopback, tls_context
from desktop.services.workspace import Workspace
from desktop.store.models import MailAccount, Message, OutboxItem, Quarantined, SyncState

__all__ = [
    "AccountInfo",
    "ConnectionVerdict",
    "add_account",
    "find_account",
    "imap_password",
    "imap_settings",
    "list_accounts",
    "remove_account",
    "set_password",
    "smtp_password",
    "smtp_settings",
    "test_account",
]

SECURITY_VALUES = ("ssl", "starttls", "none")
DEFAULT_IMAP_PORT = {"ssl": 993, "starttls": 143, "none": 143}
DEFAULT_SMTP_PORT = {"ssl": 465, "starttls": 587, "none": 25}


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
        }


@dataclass(frozen=True)
class ConnectionVerdict:
    """One protocol's answer to "test connection": ``verdict`` is the plain sentence to show."""

    protocol: str  # "IMAP" | "SMTP"
    ok: bool
    verdict: str
    detail: str = ""


# --------------------------------------------------------------------------- keyring entries


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


def imap_password(acc: MailAccount) -> str:
    """The IMAP password from the keyring (raises ``SecretMissing``/``KeyringUnavailable``)."""
    return _read(acc, "imap")


def smtp_password(acc: MailAccount) -> str:
    """The SMTP password: its own keyring entry if one was stored, else the IMAP one.

    Almost every provider uses one login for both; a separate entry exists for those that do not.
    """
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
        wanted = sorted({pair for acc in enabled for pair in (("imap", _imap_key(acc)), ("smtp", _smtp_key(acc)))})
    return secrets.export_secrets(wanted) if wanted else {}


# --------------------------------------------------------------------------- settings


def _smtp_security(acc: MailAccount) -> str:
    return acc.smtp_security or acc.security


def _smtp_host(acc: MailAccount) -> str:
    return acc.smtp_host or acc.imap_host


def _smtp_port(acc: MailAccount) -> int:
    return acc.smtp_port or DEFAULT_SMTP_PORT.get(_smtp_security(acc), 587)


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
    )


def smtp_settings(acc: MailAccount, timeout: float = 30.0) -> smtp.SmtpSettings:
    return smtp.SmtpSettings(
        host=_smtp_host(acc),
        port=_smtp_port(acc),
        security=_smtp_security(acc),  # type: ignore[arg-type]
        user=_smtp_user(acc),
        allow_insecure=acc.allow_insecure,
        timeout=timeout,
        ca_file=acc.ca_file,
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
) -> AccountInfo:
    """Create the account and put its password(s) into the keyring — all or nothing.

    The keyring is checked first, so a machine without a usable keyring gets the plain advice of
    R-CRED-2 and no half-made account. ``smtp_user``/``smtp_password``: for a provider whose SMTP
    login differs from the IMAP one (else SMTP uses the IMAP login and password). ``ca_file``: a
    company CA to trust besides the system's (PEM); it is checked before anything is stored.
    """
    name, email, imap_host = name.strip(), email.strip(), imap_host.strip()
    if not name:
        raise ValidationError("the account name is empty")
    if "@" not in email or email.startswith("@") or email.endswith("@"):
        raise ValidationError("{email!r} is not an e-mail address", email=email)
    if not imap_host:
        raise ValidationError("the IMAP host is empty")
    if not password:
        raise ValidationError("the password is empty (give it on standard input)")
    if security not in SECURITY_VALUES:
        raise ValidationError("security must be one of ssl, starttls, none (got {security!r})", security=security)
    port = imap_port or DEFAULT_IMAP_PORT[security]
    out_host = (smtp_host or "").strip() or imap_host
    out_port = smtp_port or DEFAULT_SMTP_PORT[security]
    _check_port(port, "IMAP")
    _check_port(out_port, "SMTP")
    _check_security(security, imap_host, port, allow_insecure, "IMAP")
    _check_security(security, out_host, out_port, allow_insecure, "SMTP")
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
            smtp_security=security,
            username=(user or email).strip(),
            smtp_username=out_user,
            ca_file=ca,
            allow_insecure=allow_insecure,
            folder=folder or "INBOX",
            enabled=True,
            created_at=ws.now(),
            key_id=str(uuid.uuid4()),
        )
        s.add(acc)
        s.flush()
        stored = [("imap", _imap_key(acc), password)]
        if smtp_password:
            stored.append(("smtp", _smtp_key(acc), smtp_password))
        done: list[tuple[str, str]] = []
        try:
            # Inside the transaction: if the keyring refuses, the row is rolled back with it.
            for kind, key, secret in stored:
                secrets.set_secret(kind, key, secret)
                done.append((kind, key))
            s.flush()
            info = _info(s, acc)
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
        keys = {("imap", _imap_key(acc)), ("smtp", _smtp_key(acc)),
                ("imap", _legacy_imap_key(acc)), ("smtp", _legacy_smtp_key(acc))}
        others = s.scalars(select(MailAccount).where(MailAccount.id != acc.id)).all()
        shared = {pair for o in others for pair in (
            ("imap", _imap_key(o)), ("smtp", _smtp_key(o)),
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


def _verdict(protocol: str, error: ReglamentError) -> ConnectionVerdict:
    return ConnectionVerdict(protocol, False, str(error))


def test_account(ws: Workspace, name: str, timeout: float = 15.0) -> list[ConnectionVerdict]:
    """"test connection": log in to IMAP (and open the folder) and to SMTP, say what happened.

    The verdicts are the transport errors' own sentences — "authentication failed for user@host",
    "cannot reach host:port: …", "the certificate of host is not trusted: …" — or "connected".
    """
    with ws.db.session() as s:
        acc = find_account(s, name)
        s.expunge(acc)
    results: list[ConnectionVerdict] = []
    try:
        password = imap_password(acc)
        detail = imap.test_connection(imap_settings(acc, timeout), password)
        results.append(ConnectionVerdict("IMAP", True, Phrase("connected"), detail))
    except ReglamentError as error:
        results.append(_verdict("IMAP", error))
    try:
        detail = smtp.test_connection(smtp_settings(acc, timeout), smtp_password(acc))
        results.append(ConnectionVerdict("SMTP", True, Phrase("connected"), detail))
    except ReglamentError as error:
        results.append(_verdict("SMTP", error))
    return results


# The name starts with "test_"; without this, pytest would collect it wherever it is imported.
test_account.__test__ = False  # type: ignore[attr-defined]
