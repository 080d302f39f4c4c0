"""A small, real OAuth 2.0 authorisation server on 127.0.0.1 for the sign-in tests.

It speaks HTTP for real, so the product's OAuth client (authlib over requests) and Dovecot's
``oauth2`` passdb meet a genuine conversation:

* ``/.well-known/openid-configuration`` — discovery (RFC 8414 / OpenID), for the custom issuer;
* ``/authorize`` — the authorisation-code grant with PKCE (S256 only, RFC 7636). Whoever opens it
  is signed in as :attr:`OAuthServer.browser_user` and redirected at once: the test *is* the
  browser, so no page is shown;
* ``/device`` and ``/device/verify`` — the device-code grant (RFC 8628); a test approves a code as
  a person would by opening the verification page (:meth:`OAuthServer.approve_device`);
* ``/token`` — authorization_code, refresh_token and device_code grants, with RFC 6749 errors;
* ``/introspect`` — RFC 7662 token introspection, which Dovecot and the SMTP fixture ask.

Tests can make every access token expire (:meth:`expire_access_tokens`) and revoke a user's grant
(:meth:`revoke`), and count refreshes. Refresh tokens rotate on every use, as Microsoft's do.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from tests.servers import LOOPBACK, free_port

DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"


@dataclass
class _Code:
    client_id: str
    redirect_uri: str
    challenge: str
    user: str
    scope: str


@dataclass
class _Device:
    client_id: str
    user_code: str
    scope: str
    user: str | None = None
    denied: bool = False


@dataclass
class _Access:
    user: str
    client_id: str
    expires_at: float
    scope: str


@dataclass
class OAuthServer:
    """The server's state; every field is open to tests for assertions."""

    clients: set[str] = field(default_factory=lambda: {"reglament-test"})
    browser_user: str = "agent"
    access_lifetime: int = 3600
    device_interval: int = 1
    codes: dict[str, _Code] = field(default_factory=dict)
    devices: dict[str, _Device] = field(default_factory=dict)
    access: dict[str, _Access] = field(default_factory=dict)
    refresh: dict[str, tuple[str, str, str]] = field(default_factory=dict)  # → user, client, scope
    refreshes: int = 0
    introspections: int = 0
    port: int = field(default_factory=free_port)

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def issuer(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    @property
    def introspection_url(self) -> str:
        return f"{self.issuer}/introspect"

    def metadata(self) -> dict[str, Any]:
        base = self.issuer
        return {
            "issuer": base,
            "authorization_endpoint": f"{base}/authorize",
            "token_endpoint": f"{base}/token",
            "device_authorization_endpoint": f"{base}/device",
            "introspection_endpoint": f"{base}/introspect",
            "code_challenge_methods_supported": ["S256"],
            "grant_types_supported": ["authorization_code", "refresh_token", DEVICE_GRANT],
        }

    # ------------------------------------------------------------------ what tests do

    def expire_access_tokens(self) -> None:
        """Every access token issued so far is now expired (introspection says inactive)."""
        with self._lock:
            for token in self.access.values():
                token.expires_at = 0.0

    def revoke(self, user: str) -> None:
        """The user (or an administrator) revoked the app: all its tokens stop working."""
        with self._lock:
            self.refresh = {k: v for k, v in self.refresh.items() if v[0] != user}
            self.access = {k: v for k, v in self.access.items() if v.user != user}

    def approve_device(self, user_code: str, user: str | None = None) -> None:
        """The person opened the verification page, typed the code and agreed."""
        with self._lock:
            for device in self.devices.values():
                if device.user_code == user_code:
                    device.user = user or self.browser_user
                    return
        raise KeyError(user_code)

    def active_refresh_tokens(self, user: str) -> list[str]:
        with self._lock:
            return [k for k, v in self.refresh.items() if v[0] == user]

    # ------------------------------------------------------------------ grants

    def _issue(self, user: str, client_id: str, scope: str) -> dict[str, Any]:
        access = "at-" + secrets.token_urlsafe(24)
        refresh = "rt-" + secrets.token_urlsafe(24)
        self.access[access] = _Access(user, client_id, time.time() + self.access_lifetime, scope)
        self.refresh[refresh] = (user, client_id, scope)
        return {
            "access_token": access,
            "token_type": "Bearer",
            "expires_in": self.access_lifetime,
            "refresh_token": refresh,
            "scope": scope,
        }

    def authorize(self, query: dict[str, str]) -> tuple[int, dict[str, str], dict[str, Any]]:
        redirect = query.get("redirect_uri", "")
        parsed = urllib.parse.urlsplit(redirect)
        if query.get("client_id") not in self.clients or parsed.hostname not in (LOOPBACK, "localhost"):
            return 400, {}, {"error": "invalid_request"}
        if query.get("code_challenge_method") != "S256" or not query.get("code_challenge"):
            return 400, {}, {"error": "invalid_request", "error_description": "PKCE S256 required"}
        code = "c-" + secrets.token_urlsafe(16)
        with self._lock:
            self.codes[code] = _Code(
                query["client_id"], redirect, query["code_challenge"], self.browser_user,
                query.get("scope", ""),
            )
        params = {"code": code, "state": query.get("state", "")}
        return 302, {"Location": f"{redirect}?{urllib.parse.urlencode(params)}"}, {}

    def token(self, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        grant = form.get("grant_type")
        client_id = form.get("client_id", "")
        if client_id not in self.clients:
            return 401, {"error": "invalid_client"}
        with self._lock:
            if grant == "authorization_code":
                code = self.codes.pop(form.get("code", ""), None)
                verifier = form.get("code_verifier", "")
                digest = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
                if (
                    code is None
                    or code.client_id != client_id
                    or code.redirect_uri != form.get("redirect_uri")
                    or digest.rstrip(b"=").decode() != code.challenge
                ):
                    return 400, {"error": "invalid_grant"}
                return 200, self._issue(code.user, client_id, code.scope)
            if grant == "refresh_token":
                held = self.refresh.pop(form.get("refresh_token", ""), None)
                if held is None or held[1] != client_id:
                    return 400, {"error": "invalid_grant", "error_description": "revoked"}
                self.refreshes += 1
                return 200, self._issue(held[0], client_id, held[2])
            if grant == DEVICE_GRANT:
                device = self.devices.get(form.get("device_code", ""))
                if device is None or device.client_id != client_id:
                    return 400, {"error": "invalid_grant"}
                if device.denied:
                    return 400, {"error": "access_denied"}
                if device.user is None:
                    return 400, {"error": "authorization_pending"}
                del self.devices[form["device_code"]]
                return 200, self._issue(device.user, client_id, device.scope)
        return 400, {"error": "unsupported_grant_type"}

    def device(self, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        if form.get("client_id") not in self.clients:
            return 401, {"error": "invalid_client"}
        device_code = "d-" + secrets.token_urlsafe(16)
        user_code = secrets.token_hex(4).upper()
        with self._lock:
            self.devices[device_code] = _Device(form["client_id"], user_code, form.get("scope", ""))
        return 200, {
            "device_code": device_code,
            "user_code": user_code,
            "verification_uri": f"{self.issuer}/device/verify",
            "expires_in": 600,
            "interval": self.device_interval,
        }

    def introspect(self, form: dict[str, str]) -> dict[str, Any]:
        with self._lock:
            self.introspections += 1
            held = self.access.get(form.get("token", ""))
            if held is None or held.expires_at <= time.time():
                return {"active": False}
            return {
                "active": True,
                "username": held.user,
                "client_id": held.client_id,
                "scope": held.scope,
                "exp": int(held.expires_at),
                "token_type": "Bearer",
            }

    # ------------------------------------------------------------------ life cycle

    def start(self) -> None:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:  # quiet
                pass

            def _reply(self, status: int, body: dict[str, Any], headers: dict[str, str] | None = None) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                for key, value in (headers or {}).items():
                    self.send_header(key, value)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.send_header("Cache-Control", "no-store")
                self.end_headers()
                self.wfile.write(data)

            def _form(self) -> dict[str, str]:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode()
                return dict(urllib.parse.parse_qsl(raw))

            def do_GET(self) -> None:
                url = urllib.parse.urlsplit(self.path)
                query = dict(urllib.parse.parse_qsl(url.query))
                if url.path in ("/.well-known/openid-configuration",
                                "/.well-known/oauth-authorization-server"):
                    self._reply(200, server.metadata())
                elif url.path == "/authorize":
                    status, headers, body = server.authorize(query)
                    self._reply(status, body, headers)
                elif url.path == "/device/verify":
                    try:
                        server.approve_device(query.get("user_code", ""), query.get("user"))
                        self._reply(200, {"approved": True})
                    except KeyError:
                        self._reply(404, {"error": "unknown code"})
                else:
                    self._reply(404, {"error": "not_found"})

            def do_POST(self) -> None:
                path = urllib.parse.urlsplit(self.path).path
                form = self._form()
                if path == "/token":
                    status, body = server.token(form)
                    self._reply(status, body)
                elif path == "/device":
                    status, body = server.device(form)
                    self._reply(status, body)
                elif path == "/introspect":
                    self._reply(200, server.introspect(form))
                else:
                    self._reply(404, {"error": "not_found"})

        self._httpd = ThreadingHTTPServer((LOOPBACK, self.port), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()

    def close(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None
        if self._thread is not None:
            self._thread.join(5)
            self._thread = None

    def __enter__(self) -> OAuthServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
