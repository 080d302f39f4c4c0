"""Where an OAuth 2.0 grant lives: the refresh token in the OS keyring, the access token in memory.

The refresh token is the long-lived secret (it can read the whole mailbox), so it is kept like a
password — in the keyring (:mod:`desktop.secrets`, kind ``oauth``), never in the database, a file
or a log. The access token lives an hour; it is kept in this process's memory only and renewed
:data:`REFRESH_MARGIN` seconds before it expires, so a connection never starts with a token about
to lapse. :class:`TokenSource` is what the IMAP and SMTP settings carry (desktop.mail.sasl): it
renews when asked to after a refused login, once per login.

A provider that rotates refresh tokens (Microsoft) returns a new one with each renewal; it
replaces the stored one. A child process that holds handed-down, read-only secrets (the window's
sync process) cannot store it: it keeps using the newest one itself, while the keyring keeps the
previous one — which Microsoft and Yandex go on honouring until it expires, and Google never
rotates. A provider that revoked a refresh token at its first use would then ask to sign in again
after the window restarts.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass

from desktop import secrets
from desktop.mail.oauth2 import Grant, OAuthClient, SignInAgain, refresh

__all__ = ["KIND", "REFRESH_MARGIN", "TokenSource", "grant_key", "remember"]

log = logging.getLogger("reglament.mail.oauth")

KIND = "oauth"
#: Seconds before expiry at which an access token is renewed instead of used.
REFRESH_MARGIN = 120.0

_cache: dict[str, Grant] = {}
#: Renewed refresh tokens the keyring would not take (a child process's handed-down, read-only
#: secrets): used instead of the stored one for the rest of this process's life.
_unsaved: dict[str, str] = {}
_lock = threading.Lock()


def grant_key(user: str, client: OAuthClient) -> str:
    """The keyring account of a grant: the login and where it was granted (readable in the OS
    keyring manager; two data folders with the same mailbox share it, as they share passwords)."""
    return f"{user}@{client.issuer or client.provider}"


def remember(key: str, grant: Grant) -> None:
    """Store a fresh sign-in: the refresh token into the keyring, the access token in memory."""
    if grant.refresh_token:
        secrets.set_secret(KIND, key, grant.refresh_token)
    with _lock:
        _cache[key] = grant
        _unsaved.pop(key, None)


@dataclass(frozen=True)
class TokenSource:
    """``source(force)`` → an access token for ``user``; ``force`` renews whatever the clock says."""

    client: OAuthClient
    user: str
    key: str

    def __call__(self, force: bool = False) -> str:
        with _lock:
            grant = _cache.get(self.key)
            if grant is not None and not force and grant.expires_at - REFRESH_MARGIN > time.time():
                return grant.access_token
            stored = _unsaved.get(self.key)
            if stored is None:
                try:
                    stored = secrets.get_secret(KIND, self.key)
                except secrets.SecretMissing:
                    raise SignInAgain(self.user) from None
            fresh = refresh(self.client, stored, self.user)
            _cache[self.key] = fresh
            if fresh.refresh_token and fresh.refresh_token != stored:
                try:
                    secrets.set_secret(KIND, self.key, fresh.refresh_token)
                    _unsaved.pop(self.key, None)
                except secrets.KeyringUnavailable as error:
                    _unsaved[self.key] = fresh.refresh_token
                    log.warning("the renewed sign-in of %s could not be stored: %s", self.user, error)
        return fresh.access_token
