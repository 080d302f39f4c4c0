"""The first-run page's keyring check against a real Secret Service (gnome-keyring under a
private D-Bus session): unlocked it is ready; locked, it says so in plain words — asked without
unlocking, so merely opening the window pops up no password prompt."""

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

CHECK = r"""
import json
import secretstorage
from desktop import secrets
report = {"ready": secrets.check_ready()}
secrets.set_secret("imap", "account-1", "Пароль")  # the login keyring now exists
bus = secretstorage.dbus_init()
secretstorage.Collection(bus).lock()
try:
    secrets.check_ready()
    report["locked"] = None
except secrets.KeyringUnavailable as exc:
    report["locked"] = str(exc)
report["still_locked"] = secretstorage.Collection(bus).is_locked()  # the check did not unlock it
print(json.dumps(report))
"""


def test_a_locked_secret_service_is_said_without_a_prompt(tmp_path: Path) -> None:
    _require("dbus-run-session", "gnome-keyring-daemon")
    shell = 'eval "$(printf pw | gnome-keyring-daemon --unlock --components=secrets)"; exec "$0" -c "$1"'
    result = subprocess.run(
        ["dbus-run-session", "--", "sh", "-c", shell, sys.executable, CHECK],
        env=_clean_env(tmp_path), cwd=ROOT, capture_output=True, text=True, timeout=60, check=False,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["ready"] == "SecretService.Keyring"
    assert report["locked"] is not None and report["locked"].startswith(
        "the system keyring (SecretService.Keyring) is locked; unlock it")
    assert report["still_locked"] is True
