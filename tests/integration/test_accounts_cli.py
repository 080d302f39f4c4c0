"""``reglament account …`` as a subprocess: keyring only, plain verdicts, insecure set-ups refused."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from desktop.services import accounts
from desktop.services.workspace import open_workspace
from desktop.store.models import MailAccount
from tests.integration.conftest import Mailbox
from tests.servers import free_port
from tests.servers.dovecot import DovecotServer
from tests.servers.smtp import SmtpServer
from tests.unit.memory_keyring import FILE_VARIABLE, MemoryKeyring

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[2]
PASSWORD = "Ёжик-в-тумане#2026"


def run_cli(env: dict[str, str], *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "desktop.cli", *args],
        capture_output=True, text=True, env=env, input=stdin, timeout=120, cwd=REPO,
    )


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    values = {
        **os.environ,
        "REGLAMENT_HOME": str(tmp_path / "home"),
        "PYTHON_KEYRING_BACKEND": "tests.unit.memory_keyring.FileKeyring",
        FILE_VARIABLE: str(tmp_path / "keyring" / "keyring.json"),
        "PYTHONPATH": str(REPO),
    }
    values.pop("REGLAMENT_DB_URL", None)
    return values


def add_args(mailbox: Mailbox, smtp: SmtpServer, name: str = "support") -> list[str]:
    return [
        "account", "add", "--name", name, "--email", "support@reglament.test",
        "--imap-host", mailbox.server.host, "--imap-port", str(mailbox.server.port),
        "--smtp-host", smtp.host, "--smtp-port", str(smtp.port), "--security", "none",
        "--user", mailbox.user, "--password-stdin",
    ]


def test_add_test_list_remove_and_the_password_is_only_in_the_keyring(
    env: dict[str, str], tmp_path: Path, mailbox_factory: Callable[..., Mailbox],
    smtp_server_factory: Callable[..., SmtpServer],
) -> None:
    mailbox = mailbox_factory(password=PASSWORD)
    smtp = smtp_server_factory(users={mailbox.user: PASSWORD}, require_auth=True)

    r = run_cli(env, *add_args(mailbox, smtp), stdin=PASSWORD + "\n")
    assert r.returncode == 0, r.stderr

    r = run_cli(env, "account", "test", "support")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0].startswith("IMAP: connected (connected to 127.0.0.1:")
    assert lines[1].startswith("SMTP: connected (connected to 127.0.0.1:")

    [listed] = json.loads(run_cli(env, "account", "list", "--json").stdout)
    assert listed["name"] == "support" and listed["user"] == mailbox.user
    assert (listed["imap_port"], listed["smtp_port"]) == (mailbox.server.port, smtp.port)
    assert not any("password" in key for key in listed) and PASSWORD not in json.dumps(listed)

    # A sync that fails writes the log and the sync state: still no password anywhere.
    run_cli(env, "sync", "--once")
    keyring_file = Path(env[FILE_VARIABLE])
    assert PASSWORD in keyring_file.read_text(encoding="utf-8")  # where it belongs
    needles = [PASSWORD.encode(), base64.b64encode(PASSWORD.encode()),
               PASSWORD.encode("utf-16-le"), json.dumps(PASSWORD).encode()]
    home = Path(env["REGLAMENT_HOME"])
    files = [p for p in home.rglob("*") if p.is_file()]
    assert any(p.suffix == ".log" for p in files) and any(p.name.endswith(".db") for p in files)
    for path in files:
        data = path.read_bytes()
        assert not any(n in data for n in needles), f"the password leaked into {path}"

    r = run_cli(env, "account", "remove", "support")
    assert r.returncode == 0, r.stderr
    assert PASSWORD not in keyring_file.read_text(encoding="utf-8")
    assert json.loads(run_cli(env, "account", "list", "--json").stdout) == []


def test_plain_verdicts_for_wrong_password_unreachable_and_untrusted_certificate(
    env: dict[str, str], mailbox: Mailbox, smtp_server_factory: Callable[..., SmtpServer],
    dovecot_server: DovecotServer,
) -> None:
    smtp = smtp_server_factory(users={mailbox.user: mailbox.password})
    r = run_cli(env, *add_args(mailbox, smtp), "--no-check", stdin="not-the-password\n")
    assert r.returncode == 0, r.stderr
    r = run_cli(env, "account", "test", "support")
    assert r.returncode == 1
    assert r.stderr.strip() == (
        f"reglament: IMAP: authentication failed for {mailbox.user}@127.0.0.1; "
        f"SMTP: authentication failed for {mailbox.user}@127.0.0.1"
    )

    closed = free_port()
    r = run_cli(
        env, "account", "add", "--name", "nowhere", "--email", "a@b.example",
        "--imap-host", "127.0.0.1", "--imap-port", str(closed), "--smtp-port", str(closed),
        "--security", "none", "--password-stdin", "--no-check", stdin="x\n",
    )
    assert r.returncode == 0, r.stderr
    r = run_cli(env, "account", "test", "nowhere")
    assert r.returncode == 1
    assert r.stderr.startswith(f"reglament: IMAP: cannot reach 127.0.0.1:{closed}: connection refused")
    assert f"SMTP: cannot reach 127.0.0.1:{closed}" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1

    # Dovecot's IMAPS port presents a certificate from a CA nobody trusts by default.
    r = run_cli(
        env, "account", "add", "--name", "tls", "--email", "a@b.example",
        "--imap-host", "127.0.0.1", "--imap-port", str(dovecot_server.tls_port),
        "--smtp-port", str(closed), "--security", "ssl", "--user", mailbox.user,
        "--password-stdin", "--no-check", stdin=mailbox.password + "\n",
    )
    assert r.returncode == 0, r.stderr
    r = run_cli(env, "account", "test", "tls")
    assert r.returncode == 1
    assert r.stderr.startswith("reglament: IMAP: the certificate of 127.0.0.1 is not trusted")


def test_unencrypted_to_a_remote_host_needs_allow_insecure(env: dict[str, str]) -> None:
    base = ["account", "add", "--name", "remote", "--email", "s@example.com",
            "--imap-host", "mail.example.com", "--security", "none", "--password-stdin"]
    r = run_cli(env, *base, stdin="pw\n")
    assert r.returncode == 1
    assert r.stderr.startswith(
        "reglament: an unencrypted IMAP connection to mail.example.com:143 would send the password"
    )
    assert json.loads(run_cli(env, "account", "list", "--json").stdout) == []

    r = run_cli(env, *base, "--allow-insecure", "--no-check", stdin="pw\n")
    assert r.returncode == 0, r.stderr
    [listed] = json.loads(run_cli(env, "account", "list", "--json").stdout)
    assert (listed["imap_port"], listed["smtp_port"], listed["allow_insecure"]) == (143, 25, True)


def test_no_usable_keyring_is_a_plain_error_and_no_account_is_made(
    env: dict[str, str], mailbox: Mailbox, smtp_server: SmtpServer
) -> None:
    env = {**env, "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    r = run_cli(env, *add_args(mailbox, smtp_server), stdin="pw\n")
    assert r.returncode == 1
    assert r.stderr.startswith("reglament: no system keyring is available")
    assert "gnome-keyring" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    env.pop("PYTHON_KEYRING_BACKEND")
    ws = open_workspace(home=env["REGLAMENT_HOME"])
    try:
        with ws.db.session() as s:
            assert s.scalars(select(MailAccount)).all() == []
    finally:
        ws.close()


def _rows(ws: Any) -> list[MailAccount]:
    with ws.db.session() as s:
        return list(s.scalars(select(MailAccount).order_by(MailAccount.id)))


def test_defaults_ports_by_security_and_smtp_host_defaults_to_imap_host(
    ws: Any, memory_keyring: MemoryKeyring
) -> None:
    ssl = accounts.add_account(ws, name="a", email="s@example.com", imap_host="imap.example.com",
                               password="pw", security="ssl")
    starttls = accounts.add_account(ws, name="b", email="s@example.com",
                                    imap_host="imap.example.com", password="pw",
                                    security="starttls", user="login")
    assert (ssl.imap_port, ssl.smtp_host, ssl.smtp_port, ssl.user) == (
        993, "imap.example.com", 465, "s@example.com")
    assert (starttls.imap_port, starttls.smtp_port, starttls.user) == (143, 587, "login")
    # Filed under each account's own stable key, not under the login (which two accounts share).
    keys = {a.name: a.key_id for a in _rows(ws)}
    assert memory_keyring.entries == {
        ("reglament", f"imap:account-{keys['a']}"): "pw",
        ("reglament", f"imap:account-{keys['b']}"): "pw",
    }
    with pytest.raises(accounts.ValidationError, match="exists already"):
        accounts.add_account(ws, name="a", email="s@example.com", imap_host="x.example.com",
                             password="pw")
    assert [a.name for a in accounts.list_accounts(ws)] == ["a", "b"]


def test_a_company_ca_file_makes_the_server_trusted_and_smtp_may_log_in_as_someone_else(
    env: dict[str, str], mailbox: Mailbox, dovecot_server: DovecotServer, tmp_path: Path,
) -> None:
    """Both servers' certificates come from one private CA: with that CA's file the connections
    are verified and work (never by switching verification off). SMTP has a login and password of
    its own; IMAP keeps the mailbox's."""
    tls = dovecot_server.tls_files
    assert tls is not None
    # SMTP over SSL with a certificate from the same company CA (its files are not removed).
    smtp = SmtpServer(users={"mailer": "Отправка-7"}, require_auth=True, tls="ssl", tls_dir=tls.ca_file.parent)
    smtp.tls_files = tls
    smtp.start()
    try:
        _company_account(env, mailbox, dovecot_server, smtp, tmp_path)
    finally:
        smtp.close()


def _company_account(env: dict[str, str], mailbox: Mailbox, dovecot_server: DovecotServer, smtp: SmtpServer,
                     tmp_path: Path) -> None:
    assert dovecot_server.tls_files is not None
    r = run_cli(
        env, "account", "add", "--name", "company", "--email", "support@reglament.test",
        "--imap-host", "127.0.0.1", "--imap-port", str(dovecot_server.tls_port), "--security", "ssl",
        "--user", mailbox.user, "--ca-file", str(dovecot_server.tls_files.ca_file),
        "--smtp-host", smtp.host, "--smtp-port", str(smtp.port), "--smtp-user", "mailer",
        "--smtp-password-stdin", "--password-stdin", stdin=f"{mailbox.password}\nОтправка-7\n",
    )
    assert r.returncode == 0, r.stderr
    [listed] = [a for a in json.loads(run_cli(env, "account", "list", "--json").stdout) if a["name"] == "company"]
    assert listed["ca_file"] == str(dovecot_server.tls_files.ca_file) and listed["smtp_user"] == "mailer"
    r = run_cli(env, "account", "test", "company")
    # Both over TLS verified against the company CA; SMTP logs in as "mailer".
    assert r.returncode == 0, r.stderr
    assert "IMAP: connected" in r.stdout and "SMTP: connected" in r.stdout, r.stdout

    broken = tmp_path / "not-a-ca.pem"
    broken.write_text("this is not a certificate", encoding="utf-8")
    r = run_cli(
        env, "account", "add", "--name", "broken-ca", "--email", "a@b.example", "--imap-host", "127.0.0.1",
        "--imap-port", str(dovecot_server.tls_port), "--security", "ssl", "--ca-file", str(broken),
        "--password-stdin", stdin="x\n",
    )
    assert r.returncode == 1
    assert r.stderr.startswith(f"reglament: the CA file {broken} cannot be used")
    assert "broken-ca" not in run_cli(env, "account", "list", "--json").stdout
