"""An account is tried before it is kept, and OAuth 2.0 sign-in as a use case (R-MAIL-1, R-MAIL-9).

``reglament account add`` and the window's account dialog used to store whatever they were
given, and an unresolvable host or a wrong password showed up hours later in the sync log. Here
the new account logs in to IMAP (and opens its folder) and to SMTP *before* anything is stored;
a failure says why in the transport errors' plain words (host not found, refused, TLS,
authentication) and stores nothing. ``check=False`` is for scripts that add accounts while a
server is down.

The OAuth 2.0 sign-in (browser with PKCE, or device code) runs here too: its grant is checked
like a password, then its refresh token goes to the keyring with the account.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from desktop.errors import Phrase, ReglamentError, ValidationError
from desktop.mail import imap, oauth2, oauth_tokens, smtp
from desktop.services import account_secrets, accounts
from desktop.services.workspace import Workspace
from desktop.store.models import MailAccount

__all__ = [
    "ConnectionCheckFailed",
    "ConnectionVerdict",
    "add_checked_account",
    "sign_in",
    "store_sign_in",
    "test_account",
]


@dataclass(frozen=True)
class ConnectionVerdict:
    """One protocol's answer to "test connection": ``verdict`` is the plain sentence to show."""

    protocol: str  # "IMAP" | "SMTP"
    ok: bool
    verdict: str
    detail: str = ""


class ConnectionCheckFailed(ReglamentError):
    """The new account could not log in; nothing was stored. ``verdicts`` say what each did."""

    def __init__(self, verdicts: list[ConnectionVerdict]) -> None:
        failures = "; ".join(f"{v.protocol}: {v.verdict}" for v in verdicts if not v.ok)
        super().__init__("the account was not saved: {failures}", failures=failures)
        self.verdicts = verdicts


def _verdicts(
    imap_settings: imap.ImapSettings, imap_password: Callable[[], str],
    smtp_settings: smtp.SmtpSettings, smtp_password: Callable[[], str],
) -> list[ConnectionVerdict]:
    results: list[ConnectionVerdict] = []
    try:
        detail = imap.test_connection(imap_settings, imap_password())
        results.append(ConnectionVerdict("IMAP", True, Phrase("connected"), detail))
    except ReglamentError as error:
        results.append(ConnectionVerdict("IMAP", False, str(error)))
    try:
        detail = smtp.test_connection(smtp_settings, smtp_password())
        results.append(ConnectionVerdict("SMTP", True, Phrase("connected"), detail))
    except ReglamentError as error:
        results.append(ConnectionVerdict("SMTP", False, str(error)))
    return results


def test_account(ws: Workspace, name: str, timeout: float = 15.0) -> list[ConnectionVerdict]:
    """"test connection": log in to IMAP (and open the folder) and to SMTP, say what happened.

    The verdicts are the transport errors' own sentences — "authentication failed for user@host",
    "cannot reach host:port: …", "the certificate of host is not trusted: …", "sign in again" —
    or "connected".
    """
    with ws.db.session() as s:
        acc = accounts.find_account(s, name)
        s.expunge(acc)
    return _verdicts(
        accounts.imap_settings(acc, timeout), lambda: accounts.imap_password(acc),
        accounts.smtp_settings(acc, timeout, copies=False), lambda: accounts.smtp_password(acc),
    )


def _check_before_store(
    timeout: float, grant: oauth2.Grant | None
) -> Callable[[MailAccount, str, str | None], None]:
    def check(acc: MailAccount, password: str, smtp_password: str | None) -> None:
        imap_settings = accounts.imap_settings(acc, timeout)
        smtp_settings = accounts.smtp_settings(acc, timeout, copies=False)
        if grant is not None:  # the sign-in's own token: nothing is in the keyring yet

            def token(force: bool = False) -> str:
                return grant.access_token

            imap_settings = dataclasses.replace(imap_settings, token=token)
            smtp_settings = dataclasses.replace(smtp_settings, token=token)
        verdicts = _verdicts(
            imap_settings, lambda: password,
            smtp_settings, lambda: smtp_password or password,
        )
        if not all(v.ok for v in verdicts):
            raise ConnectionCheckFailed(verdicts)

    return check


def add_checked_account(
    ws: Workspace, *, check: bool = True, timeout: float = 15.0, **fields: Any
) -> accounts.AccountInfo:
    """:func:`accounts.add_account` after a real login to IMAP and SMTP (unless ``check`` is
    False); a failed check raises :class:`ConnectionCheckFailed` and stores nothing."""
    hook = _check_before_store(timeout, fields.get("grant")) if check else None
    return accounts.add_account(ws, before_store=hook, **fields)


def sign_in(
    client: oauth2.OAuthClient,
    user: str,
    *,
    device: bool = False,
    show_code: Callable[[oauth2.DeviceCode], None] | None = None,
    open_url: Callable[[str], object] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> oauth2.Grant:
    """Sign ``user`` in at the provider: in the system browser (PKCE, loopback redirect), or with
    a device code the person enters elsewhere (``show_code`` tells them what to do)."""
    if device:
        code = oauth2.start_device(client)
        if show_code is not None:
            show_code(code)
        return oauth2.finish_device(client, code, user, cancelled=cancelled)
    kwargs: dict[str, Any] = {"login_hint": user, "cancelled": cancelled}
    if open_url is not None:
        kwargs["open_url"] = open_url
    return oauth2.sign_in_browser(client, user, **kwargs)


def store_sign_in(ws: Workspace, name: str, grant: oauth2.Grant) -> None:
    """Keep a new sign-in of an existing OAuth 2.0 account (after "sign in again")."""
    with ws.db.session() as s:
        acc = s.scalar(select(MailAccount).where(MailAccount.name == name)) or accounts.find_account(s, name)
        client = account_secrets.oauth_client(acc)
        if client is None:
            raise ValidationError("the account {name} signs in with a password", name=name)
        key = oauth_tokens.grant_key(acc.username, client)
    oauth_tokens.remember(key, grant)


# The name starts with "test_"; without this, pytest would collect it wherever it is imported.
test_account.__test__ = False  # type: ignore[attr-defined]
