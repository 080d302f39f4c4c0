"""desktop.secrets against real keyrings, each in a fresh process (keyring picks its backend once).

* The real Secret Service: gnome-keyring under a private D-Bus session (NOTES-ENV.md), the way a
  Linux desktop stores Reglament's passwords.
* A headless Linux with no keyring at all: the plain refusal, not keyring's bare error.
* The file-backed test keyring chosen by environment: what the CLI subprocess tests rely on.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.servers import in_ci

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Secret Service is Linux"),
]

ROOT = Path(__file__).resolve().parents[2]
SECRET = "Пароль-Ёж №42 🔑 with spaces & 'quotes'"

ROUND_TRIP = r"""
import json, os, pathlib
from desktop import secrets
secret = os.environ["TEST_SECRET"]
report = {"backend": secrets.check_backend()}
secrets.set_secret("imap", "ящик-1", secret)
report["read_back"] = secrets.get_secret("imap", "ящик-1") == secret
needle = secret.encode("utf-8")
report["plaintext_on_disk"] = [
    str(p) for p in pathlib.Path(os.environ["XDG_DATA_HOME"]).rglob("*")
    if p.is_file() and needle in p.read_bytes()
]
report["deleted"] = secrets.delete_secret("imap", "ящик-1")
try:
    secrets.get_secret("imap", "ящик-1")
    report["missing_after_delete"] = False
except secrets.SecretMissing:
    report["missing_after_delete"] = True
print(json.dumps(report))
"""


def _require(*programs: str) -> None:
    missing = [p for p in programs if shutil.which(p) is None]
    if missing:
        reason = f"{', '.join(missing)} not installed (apt-get install gnome-keyring dbus dbus-user-session)"
        if in_ci():
            pytest.fail(f"{reason}; CI must install it (CI is set)", pytrace=False)
        pytest.skip(reason)


def _clean_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DBUS_", "PYTHON_KEYRING"))}
    for name in ("XDG_DATA_HOME", "XDG_RUNTIME_DIR", "XDG_CONFIG_HOME"):
        path = tmp_path / name.lower()
        path.mkdir(mode=0o700)
        env[name] = str(path)
    env["PYTHONPATH"] = str(ROOT)
    env["TEST_SECRET"] = SECRET
    return env


def test_real_secret_service_round_trip(tmp_path: Path) -> None:
    _require("dbus-run-session", "gnome-keyring-daemon")
    shell = (
        'eval "$(printf pw | gnome-keyring-daemon --unlock --components=secrets)"; '
        'exec "$0" -c "$1"'
    )
    result = subprocess.run(
        ["dbus-run-session", "--", "sh", "-c", shell, sys.executable, ROUND_TRIP],
        env=_clean_env(tmp_path),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report == {
        "backend": "SecretService.Keyring",
        "read_back": True,
        "plaintext_on_disk": [],
        "deleted": True,
        "missing_after_delete": True,
    }
    assert SECRET not in result.stderr


def test_headless_linux_without_keyring_gets_the_plain_refusal(tmp_path: Path) -> None:
    env = _clean_env(tmp_path)
    env["DBUS_SESSION_BUS_ADDRESS"] = f"unix:path={tmp_path}/no-bus"
    code = (
        "from desktop import secrets\n"
        "try:\n"
        "    secrets.set_secret('imap', '1', 'x')\n"
        "except secrets.KeyringUnavailable as e:\n"
        "    print(e)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    message = result.stdout.strip()
    assert message.startswith("no system keyring is available (keyring backend: fail.Keyring)")
    assert "gnome-keyring" in message


def test_file_keyring_chosen_by_environment_is_shared_between_processes(tmp_path: Path) -> None:
    env = _clean_env(tmp_path)
    env["PYTHON_KEYRING_BACKEND"] = "tests.unit.memory_keyring.FileKeyring"
    env["REGLAMENT_TEST_KEYRING_FILE"] = str(tmp_path / "keyring.json")

    def run(code: str) -> str:
        result = subprocess.run(
            [sys.executable, "-c", "import os\nfrom desktop import secrets\n" + code],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout.strip()

    run("secrets.set_secret('smtp', 'support', os.environ['TEST_SECRET'])")
    assert run("print(secrets.get_secret('smtp', 'support') == os.environ['TEST_SECRET'])") == (
        "True"
    )
