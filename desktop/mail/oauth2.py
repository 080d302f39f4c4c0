"""OAuth 2.0 sign-in for mailboxes that no longer take passwords (R-MAIL-9), as Thunderbird does.

The protocol work is authlib's (``OAuth2Session`` over requests): authorisation URLs with PKCE,
token requests, refreshes and RFC 6749 error parsing. authlib was chosen over msal (Microsoft
only) and requests-oauthlib (no PKCE helper, no device grant, less kept): one library for
Microsoft, Google, Yandex and any standard issuer. What is ours:

* the presets (endpoints and scopes of Microsoft 365, Google and Yandex 360) and OpenID discovery
  for a custom issuer;
* the authorisation-code flow through a loopback redirect (RFC 8252 §7.3): a one-shot HTTP
  listener on 127.0.0.1 and a free port, the sign-in page opened in the system browser;
* the device-code flow (RFC 8628) for the CLI and machines without a browser;
* errors in plain words: a revoked or expired grant is :class:`SignInAgain` ("sign in again"),
  an unreachable sign-in server is retryable like an unreachable mail server.

Tokens never appear in an exception text or a log record.
"""

from __future__ import annotations

import functools
import http.server
import secrets
import threading
import time
import urllib.parse
import webbrowser
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from desktop.errors import ValidationError
from desktop.mail.transport_errors import HostUnreachable, MailTransportError

if TYPE_CHECKING:
    from authlib.integrations.requests_client import OAuth2Session

# requests and authlib are imported where they are used: together they took ~0.5 s to import,
# which every command that merely loads the accounts (a ``sync --once`` run by cron) paid.

__all__ = [
    "PROVIDERS",
    "DeviceCode",
    "Endpoints",
    "Grant",
    "OAuthClient",
    "SignInAgain",
    "SignInFailed",
    "discover",
    "finish_device",
    "refresh",
    "sign_in_browser",
    "start_device",
]

DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"
#: Seconds a sign-in page may stay open before the loopback listener gives up.
BROWSER_TIMEOUT = 300.0
HTTP_TIMEOUT = 20.0


@dataclass(frozen=True)
class Endpoints:
    """Where a provider signs people in and hands out tokens, and what to ask for."""

    authorization: str
    token: str
    device: str | None
    scopes: tuple[str, ...]
    device_grant: str = DEVICE_GRANT


@dataclass(frozen=True)
class Preset:
    """A known provider. ``client_id`` is the documented default; a company that registered its
    own app gives its id per account (``--client-id``) instead."""

    key: str
    title: str
    endpoints: Endpoints | None  # None: found by OpenID discovery from the issuer
    client_id: str = ""
    client_secret: str | None = None


#: Microsoft's v2 endpoints ("common": any work or school tenant), Outlook's IMAP/SMTP scopes.
#: Google's installed-app endpoints and its one mail scope. Yandex ID with the mail scopes.
#: The default client ids are empty until Reglament's own app registrations are published:
#: a company registers its app (Azure "Mobile and desktop applications", redirect
#: ``http://localhost``; Google "Desktop app"; Yandex ID "for devices") and gives its id.
PROVIDERS: dict[str, Preset] = {
    "microsoft": Preset(
        "microsoft",
        "Microsoft 365",
        Endpoints(
            authorization="https://login.microsoftonline.com/common/oauth2/v2.0/authorize",
            token="https://login.microsoftonline.com/common/oauth2/v2.0/token",
            device="https://login.microsoftonline.com/common/oauth2/v2.0/devicecode",
            scopes=(
                "https://outlook.office.com/IMAP.AccessAsUser.All",
                "https://outlook.office.com/SMTP.Send",
                "offline_access",
            ),
        ),
    ),
    "google": Preset(
        "google",
        "Google",
        Endpoints(
            authorization="https://accounts.google.com/o/oauth2/v2/auth",
            token="https://oauth2.googleapis.com/token",
            device="https://oauth2.googleapis.com/device/code",
            scopes=("https://mail.google.com/",),
        ),
    ),
    "yandex": Preset(
        "yandex",
        "Yandex 360",
        Endpoints(
            authorization="https://oauth.yandex.ru/authorize",
            token="https://oauth.yandex.ru/token",
            device="https://oauth.yandex.ru/device/code",
            scopes=("mail:imap_full", "mail:smtp"),
            device_grant="device_code",
        ),
    ),
    "custom": Preset("custom", "OpenID issuer", None),
}

#: What a custom issuer is asked for when the administrator names no scopes.
CUSTOM_SCOPES = ("openid", "email", "offline_access")


class SignInAgain(MailTransportError):
    """The grant was revoked or has expired: only the person can fix it, by signing in again."""

    def __init__(self, who: str) -> None:
        super().__init__(
            "the sign-in of {who} is no longer valid (revoked or expired); sign in again", who=who
        )
        self.who = who


class SignInFailed(MailTransportError):
    """The sign-in server refused the request itself (unknown client id, wrong scopes…)."""


@dataclass(frozen=True)
class Grant:
    """What a sign-in or a refresh returns. ``expires_at`` is a ``time.time()`` value."""

    access_token: str
    refresh_token: str | None
    expires_at: float

    def __repr__(self) -> str:  # never a token in a log or a traceback
        return f"Grant(expires_at={self.expires_at:.0f})"


@dataclass(frozen=True)
class DeviceCode:
    """What the person must do: open ``verification_uri`` and type ``user_code``."""

    user_code: str
    verification_uri: str
    device_code: str
    interval: float
    expires_at: float

    def __repr__(self) -> str:
        return f"DeviceCode(user_code={self.user_code!r}, uri={self.verification_uri!r})"


@functools.lru_cache(maxsize=16)
def discover(issuer: str, timeout: float = HTTP_TIMEOUT) -> Endpoints:
    """The endpoints of an OpenID / RFC 8414 issuer from its well-known metadata."""
    import requests
    from authlib.common.security import is_secure_transport

    base = issuer.rstrip("/")
    if not is_secure_transport(base):
        raise ValidationError(
            "the issuer {issuer} is not HTTPS; only a loopback issuer may use plain HTTP",
            issuer=issuer,
        )
    last: Exception | None = None
    for suffix in ("/.well-known/openid-configuration", "/.well-known/oauth-authorization-server"):
        try:
            response = requests.get(base + suffix, timeout=timeout)
        except requests.RequestException as error:
            last = error
            continue
        if response.status_code == 200:
            try:
                meta: dict[str, Any] = response.json()
                return Endpoints(
                    authorization=str(meta["authorization_endpoint"]),
                    token=str(meta["token_endpoint"]),
                    device=meta.get("device_authorization_endpoint"),
                    scopes=CUSTOM_SCOPES,
                )
            except (ValueError, KeyError, TypeError):
                break
    if last is not None:
        raise _unreachable(base, last)
    raise SignInFailed("{issuer} publishes no usable OpenID configuration", issuer=issuer)


@dataclass(frozen=True)
class OAuthClient:
    """This app as a client of one provider: the preset, the client id, the issuer if custom."""

    provider: str
    client_id: str
    issuer: str | None = None
    client_secret: str | None = None
    scopes: tuple[str, ...] = ()

    @classmethod
    def make(
        cls, provider: str, client_id: str | None = None, issuer: str | None = None,
        scopes: tuple[str, ...] = (),
    ) -> OAuthClient:
        preset = PROVIDERS.get(provider)
        if preset is None:
            raise ValidationError(
                "the OAuth provider is one of {names}, not {provider!r}",
                names=", ".join(PROVIDERS), provider=provider,
            )
        if provider == "custom" and not (issuer or "").strip():
            raise ValidationError("a custom OAuth provider needs its issuer URL (--issuer)")
        ident = (client_id or "").strip() or preset.client_id
        if not ident:
            raise ValidationError(
                "no OAuth client id is known for {title}; register an app with the provider "
                "and give its id (--client-id)", title=preset.title,
            )
        return cls(provider, ident, (issuer or "").strip() or None, preset.client_secret, scopes)

    def endpoints(self) -> Endpoints:
        preset = PROVIDERS[self.provider]
        found = preset.endpoints or discover(self.issuer or "")
        if self.scopes:
            return Endpoints(found.authorization, found.token, found.device, self.scopes,
                             found.device_grant)
        return found

    def session(self, **kwargs: Any) -> OAuth2Session:
        from authlib.integrations.requests_client import OAuth2Session

        ends = self.endpoints()
        return OAuth2Session(
            self.client_id,
            self.client_secret,
            scope=" ".join(ends.scopes),
            token_endpoint_auth_method="client_secret_post" if self.client_secret else "none",
            default_timeout=HTTP_TIMEOUT,
            **kwargs,
        )

    @property
    def label(self) -> str:
        return self.issuer or PROVIDERS[self.provider].title


def _unreachable(url: str, error: BaseException) -> HostUnreachable:
    import requests

    parts = urllib.parse.urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    cause = type(error).__name__
    if isinstance(error, requests.ConnectionError):
        cause = "connection refused or no route"
    elif isinstance(error, requests.Timeout):
        cause = "no answer in time"
    return HostUnreachable(parts.hostname or url, port, cause)


def _grant(token: dict[str, Any], previous_refresh: str | None = None) -> Grant:
    expires_at = token.get("expires_at")
    if expires_at is None:
        expires_at = time.time() + float(token.get("expires_in") or 3600)
    return Grant(
        access_token=str(token["access_token"]),
        refresh_token=token.get("refresh_token") or previous_refresh,
        expires_at=float(expires_at),
    )


def _token_call(client: OAuthClient, who: str, call: Callable[[], dict[str, Any]]) -> Grant:
    import requests
    from authlib.integrations.requests_client import OAuthError

    try:
        return _grant(call())
    except OAuthError as error:
        if error.error in ("invalid_grant", "access_denied", "expired_token"):
            raise SignInAgain(who) from None
        raise SignInFailed(
            "{issuer} refused the sign-in: {error}", issuer=client.label, error=error.error
        ) from None
    except requests.RequestException as error:
        raise _unreachable(client.endpoints().token, error) from None
    except (KeyError, ValueError) as error:
        raise SignInFailed(
            "{issuer} answered without a usable token ({error})",
            issuer=client.label, error=type(error).__name__,
        ) from None


def refresh(client: OAuthClient, refresh_token: str, who: str) -> Grant:
    """A new access token for a stored grant; :class:`SignInAgain` if it was revoked."""
    session = client.session()
    ends = client.endpoints()
    return _token_call(
        client, who,
        lambda: dict(session.refresh_token(ends.token, refresh_token=refresh_token)),
    )


# --------------------------------------------------------------------------- browser (RFC 8252)


class _Redirect(http.server.BaseHTTPRequestHandler):
    """Takes the one redirect the browser brings back, then says the window can be closed."""

    server: _Listener

    def log_message(self, format: str, *args: Any) -> None:  # the URL carries the code: no log
        pass

    def do_GET(self) -> None:
        query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(self.path).query))
        if "code" not in query and "error" not in query:
            self.send_response(404)
            self.end_headers()
            return
        self.server.result = query
        body = (
            "<html><body><p>Reglament: the sign-in is finished, you can close this window."
            "</p><p>Reglament: вход выполнен, это окно можно закрыть.</p></body></html>"
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        self.server.done.set()


class _Listener(http.server.HTTPServer):
    result: dict[str, str] | None = None

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Redirect)
        self.done = threading.Event()
        self.timeout = 0.2


def sign_in_browser(
    client: OAuthClient,
    who: str,
    *,
    login_hint: str | None = None,
    open_url: Callable[[str], object] = webbrowser.open,
    timeout: float = BROWSER_TIMEOUT,
    cancelled: Callable[[], bool] | None = None,
) -> Grant:
    """The authorisation-code flow with PKCE: the provider's page in the system browser, the
    answer on a loopback port (RFC 8252). Blocks until the person has signed in."""
    ends = client.endpoints()
    listener = _Listener()
    try:
        redirect_uri = f"http://127.0.0.1:{listener.server_address[1]}/"
        session = client.session(redirect_uri=redirect_uri, code_challenge_method="S256")
        verifier = secrets.token_urlsafe(64)
        extra = {"login_hint": login_hint} if login_hint else {}
        url, state = session.create_authorization_url(
            ends.authorization, code_verifier=verifier, **extra
        )
        if open_url(url) is False:  # webbrowser.open found no browser (a server, an SSH session)
            raise SignInFailed(
                "no web browser could be opened here; sign in with a code on another device "
                "instead (--device-code)"
            )
        deadline = time.monotonic() + timeout
        while not listener.done.is_set():
            if time.monotonic() > deadline:
                raise SignInFailed("the sign-in in the browser was not finished in time")
            if cancelled is not None and cancelled():
                raise SignInFailed("the sign-in was cancelled")
            listener.handle_request()
        answer = listener.result or {}
    finally:
        listener.server_close()
    if "error" in answer:
        if answer["error"] == "access_denied":
            raise SignInFailed("the sign-in was refused in the browser")
        raise SignInFailed(
            "{issuer} refused the sign-in: {error}", issuer=client.label, error=answer["error"]
        )
    if answer.get("state") != state:
        raise SignInFailed("the browser brought back an answer to another sign-in; try again")
    code = answer.get("code", "")
    return _token_call(
        client, who,
        lambda: dict(session.fetch_token(
            ends.token, grant_type="authorization_code", code=code, code_verifier=verifier,
        )),
    )


# --------------------------------------------------------------------------- device (RFC 8628)


def start_device(client: OAuthClient) -> DeviceCode:
    """Ask for a device code; show the person ``verification_uri`` and ``user_code``."""
    import requests

    ends = client.endpoints()
    if not ends.device:
        raise SignInFailed(
            "{issuer} has no device sign-in; sign in from the window instead", issuer=client.label
        )
    form = {"client_id": client.client_id, "scope": " ".join(ends.scopes)}
    try:
        response = requests.post(ends.device, data=form, timeout=HTTP_TIMEOUT)
    except requests.RequestException as error:
        raise _unreachable(ends.device, error) from None
    try:
        body: dict[str, Any] = response.json()
    except ValueError:
        body = {}
    if response.status_code != 200 or "device_code" not in body:
        raise SignInFailed(
            "{issuer} refused the device sign-in: {error}",
            issuer=client.label, error=body.get("error") or response.status_code,
        )
    return DeviceCode(
        user_code=str(body["user_code"]),
        verification_uri=str(body.get("verification_uri") or body.get("verification_url")),
        device_code=str(body["device_code"]),
        interval=float(body.get("interval") or 5),
        expires_at=time.monotonic() + float(body.get("expires_in") or 600),
    )


def finish_device(
    client: OAuthClient,
    device: DeviceCode,
    who: str,
    *,
    cancelled: Callable[[], bool] | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> Grant:
    """Poll the token endpoint at the pace the server asks until the person has agreed."""
    import requests

    ends = client.endpoints()
    interval = device.interval
    form = {"grant_type": ends.device_grant, "device_code": device.device_code,
            "client_id": client.client_id}
    if client.client_secret:
        form["client_secret"] = client.client_secret
    while True:
        sleep(interval)
        if cancelled is not None and cancelled():
            raise SignInFailed("the sign-in was cancelled")
        if time.monotonic() > device.expires_at:
            raise SignInFailed("the code {code} expired before it was entered", code=device.user_code)
        try:
            response = requests.post(ends.token, data=form, timeout=HTTP_TIMEOUT)
            body: dict[str, Any] = response.json()
        except requests.RequestException as failure:
            raise _unreachable(ends.token, failure) from None
        except ValueError:
            body = {"error": f"HTTP {response.status_code}"}
        answer = body.get("error")
        if answer is None and "access_token" in body:
            return _grant(body)
        if answer == "authorization_pending":
            continue
        if answer == "slow_down":
            interval += 5
            continue
        if answer in ("access_denied", "expired_token"):
            raise SignInFailed("the device sign-in was refused or expired; sign in again")
        raise SignInFailed(
            "{issuer} refused the sign-in: {error}", issuer=client.label, error=answer
        )
