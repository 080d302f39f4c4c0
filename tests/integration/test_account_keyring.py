"""Account passwords in the real Secret Service (gnome-keyring under a private D-Bus session):
filed under each account's own stable key, so two accounts with the same login keep their own
passwords, and an entry an older version filed under the login is moved on first read.
A file-backed keyring, chosen explicitly, is named as the plain file it is."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.integration.test_secrets_keyring import ROOT, _clean_env, _require

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Secret Service is Linux"),
]

SCRIPT = r"""
import json, os, sys
from desktop import secrets
from desktop.services import accounts
from desktop.services.workspace import open_workspace
from desktop.store.models import MailAccount

ws = open_workspace(home=sys.argv[1], actor="test")
common = dict(email="support@firm.example", imap_host="127.0.0.1", imap_port=1143,
              security="none", user="support")
a = accounts.add_account(ws, name="first", password="пароль-один", **common)
b = accounts.add_account(ws, name="second", password="пароль-два", **common)
report = {"backend": secrets.check_backend(), "where": str(secrets.where_stored())}
with ws.db.session() as s:
    acc_a, acc_b = s.get(MailAccount, a.id), s.get(MailAccount, b.id)
    s.expunge(acc_a); s.expunge(acc_b)
report["first"] = accounts.imap_password(acc_a)
report["second"] = accounts.imap_password(acc_b)

# What an older version left: the entry under the login, none under the account's key.
secrets.delete_secret("imap", f"account-{acc_a.key_id}")
secrets.set_secret("imap", "support@127.0.0.1:1143", "старый-пароль")
report["moved"] = accounts.imap_password(acc_a)
report["filed_under_key"] = secrets.get_secret("imap", f"account-{acc_a.key_id}")
accounts.remove_account(ws, "first")
accounts.remove_account(ws, "second")
try:
    secrets.get_secret("imap", "support@127.0.0.1:1143")
    report["legacy_left"] = True
except secrets.SecretMissing:
    report["legacy_left"] = False
ws.close()
print(json.dumps(report, ensure_ascii=False))
"""


def test_two_accounts_with_one_login_keep_their_own_passwords_in_secret_service(tmp_path: Path) -> None:
    _require("dbus-run-session", "gnome-keyring-daemon")
    shell = (
        'eval "$(printf pw | gnome-keyring-daemon --unlock --components=secrets)"; '
        'exec "$0" -c "$1" "$2"'
    )
    result = subprocess.run(
        ["dbus-run-session", "--", "sh", "-c", shell, sys.executable, SCRIPT, str(tmp_path / "home")],
        env=_clean_env(tmp_path), cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report == {
        "backend": "SecretService.Keyring",
        "where": "the system keyring (SecretService.Keyring)",
        "first": "пароль-один",
        "second": "пароль-два",
        "moved": "старый-пароль",
        "filed_under_key": "старый-пароль",
        "legacy_left": False,
    }


def test_a_file_keyring_is_named_a_plain_file_never_the_system_keyring(tmp_path: Path) -> None:
    env = _clean_env(tmp_path)
    env["PYTHON_KEYRING_BACKEND"] = "tests.unit.memory_keyring.FileKeyring"
    keyring_file = tmp_path / "keyring.json"
    env["REGLAMENT_TEST_KEYRING_FILE"] = str(keyring_file)
    env["REGLAMENT_HOME"] = str(tmp_path / "home")
    result = subprocess.run(
        [sys.executable, "-m", "desktop.cli", "account", "add", "--name", "a", "--email", "a@b.example",
         "--imap-host", "127.0.0.1", "--security", "none", "--password-stdin", "--no-check"],
        env=env, cwd=ROOT, capture_output=True, text=True, input="secret\n", timeout=120, check=False,
    )
    assert result.returncode == 0, result.stderr
    assert f"the password is in a plain file ({keyring_file}, keyring backend " in result.stdout
    assert "not a system keyring" in result.stdout
    assert "system keyring" not in result.stdout.replace("not a system keyring", "")
