"""``reglament account add --auth oauth2 --device-code`` as a subprocess against the local
authorisation server, Dovecot (oauth2 passdb) and aiosmtpd (XOAUTH2); a revoked grant makes
``account test`` exit 1 with "sign in again"; a check that fails stores nothing."""

# ruff: noqa: F811  (the fixtures imported from the neighbouring tests are parameters here)
from __future__ import annotations

import json
import re
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from tests.integration.test_accounts_cli import REPO, env, run_cli  # noqa: F401  (fixture)
from tests.integration.test_oauth_mail import (  # noqa: F401  (fixtures)
    CLIENT_ID,
    USER,
    oauth_dovecot,
    oauth_server,
    oauth_smtp,
)
from tests.servers import free_port
from tests.servers.dovecot import DovecotServer
from tests.servers.oauth import OAuthServer
from tests.servers.smtp import SmtpServer
from tests.unit.memory_keyring import FILE_VARIABLE

pytestmark = pytest.mark.integration


def add_with_device_code(env: dict[str, str], server: OAuthServer, dovecot: DovecotServer,
                         smtp: SmtpServer) -> tuple[int, str, str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "desktop.cli", "account", "add", "--name", "support",
         "--email", "support@reglament.test", "--user", USER,
         "--imap-host", dovecot.host, "--imap-port", str(dovecot.port),
         "--smtp-host", smtp.host, "--smtp-port", str(smtp.port), "--security", "none",
         "--auth", "oauth2", "--provider", "custom", "--issuer", server.issuer,
         "--client-id", CLIENT_ID, "--device-code"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=REPO,
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        match = re.search(r"open (\S+) and enter the code (\S+);", first)
        assert match, first
        # The person opens the address elsewhere and enters the code.
        with urllib.request.urlopen(f"{match.group(1)}?user_code={match.group(2)}") as page:
            page.read()
        out, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    return process.returncode, first + out, err


def test_device_code_sign_in_from_the_command_line_then_revocation(
    env: dict[str, str], oauth_server: OAuthServer, oauth_dovecot: DovecotServer,
    oauth_smtp: SmtpServer,
) -> None:
    code, out, err = add_with_device_code(env, oauth_server, oauth_dovecot, oauth_smtp)
    assert code == 0, err
    assert "account support added" in out and "checked" in out
    [listed] = json.loads(run_cli(env, "account", "list", "--json").stdout)
    assert (listed["auth_method"], listed["oauth_provider"]) == ("oauth2", "custom")

    keyring_file = Path(env[FILE_VARIABLE]).read_text(encoding="utf-8")
    [refresh_token] = oauth_server.active_refresh_tokens(USER)
    assert refresh_token in keyring_file
    for path in (p for p in Path(env["REGLAMENT_HOME"]).rglob("*") if p.is_file()):
        assert refresh_token.encode() not in path.read_bytes(), path

    r = run_cli(env, "account", "test", "support")
    assert r.returncode == 0, r.stderr
    assert "IMAP: connected" in r.stdout and "SMTP: connected" in r.stdout

    oauth_server.revoke(USER)
    r = run_cli(env, "account", "test", "support")
    assert r.returncode == 1
    assert r.stderr.strip() == (
        f"reglament: IMAP: the sign-in of {USER} is no longer valid (revoked or expired); "
        f"sign in again; SMTP: the sign-in of {USER} is no longer valid (revoked or expired); "
        "sign in again"
    )

    # Removing the account removes its grant from the keyring.
    entry = f"oauth:{USER}@{oauth_server.issuer}"
    assert entry in Path(env[FILE_VARIABLE]).read_text(encoding="utf-8")
    assert run_cli(env, "account", "remove", "support").returncode == 0
    assert entry not in Path(env[FILE_VARIABLE]).read_text(encoding="utf-8")


def test_a_failed_check_exits_1_and_stores_nothing_unless_no_check(
    env: dict[str, str],
) -> None:
    closed = free_port()
    base = ["account", "add", "--name", "nowhere", "--email", "a@b.example",
            "--imap-host", "127.0.0.1", "--imap-port", str(closed), "--smtp-port", str(closed),
            "--security", "none", "--password-stdin"]
    r = run_cli(env, *base, stdin="x\n")
    assert r.returncode == 1
    assert r.stderr.startswith(
        f"reglament: the account was not saved: IMAP: cannot reach 127.0.0.1:{closed}: "
        "connection refused"
    ), r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    assert json.loads(run_cli(env, "account", "list", "--json").stdout) == []
    assert not Path(env[FILE_VARIABLE]).exists() or "x" not in json.loads(
        Path(env[FILE_VARIABLE]).read_text(encoding="utf-8") or "{}").values()

    r = run_cli(env, *base, "--no-check", stdin="x\n")
    assert r.returncode == 0, r.stderr
    assert [a["name"] for a in json.loads(run_cli(env, "account", "list", "--json").stdout)] == ["nowhere"]


def test_a_provider_fills_the_servers_and_a_host_that_does_not_resolve_is_refused(
    env: dict[str, str],
) -> None:
    r = run_cli(env, "account", "add", "--name", "y", "--email", "a@b.example",
                "--provider", "yandex", "--imap-host", "no-such-host.invalid", "--password-stdin",
                stdin="app-password\n")
    assert r.returncode == 1
    assert r.stderr.startswith("reglament: the account was not saved: IMAP: cannot reach "
                               "no-such-host.invalid:993"), r.stderr
    r = run_cli(env, "account", "add", "--name", "y", "--email", "a@b.example",
                "--provider", "yandex", "--password-stdin", "--no-check", stdin="app-password\n")
    assert r.returncode == 0, r.stderr
    [listed] = json.loads(run_cli(env, "account", "list", "--json").stdout)
    assert (listed["imap_host"], listed["imap_port"], listed["smtp_host"], listed["smtp_port"],
            listed["security"], listed["auth_method"]) == (
        "imap.yandex.ru", 993, "smtp.yandex.ru", 465, "ssl", "password")


def test_oauth_without_a_client_id_says_how_to_get_one(env: dict[str, str]) -> None:
    r = run_cli(env, "account", "add", "--name", "m", "--email", "a@company.example",
                "--provider", "microsoft")
    assert r.returncode == 1
    assert r.stderr.strip() == (
        "reglament: no OAuth client id is known for Microsoft 365; register an app with the "
        "provider and give its id (--client-id)"
    )
    assert json.loads(run_cli(env, "account", "list", "--json").stdout) == []
