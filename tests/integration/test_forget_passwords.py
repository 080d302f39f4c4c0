"""``reglament account forget-passwords``: what the Windows uninstaller runs when the user asks to
remove saved passwords — this computer's keyring entries go, the (maybe shared) accounts stay."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.unit.memory_keyring import FILE_VARIABLE

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[2]


def test_forget_passwords_empties_the_keyring_and_keeps_the_accounts(tmp_path: Path) -> None:
    env = {**os.environ, "REGLAMENT_HOME": str(tmp_path / "home"), "PYTHONPATH": str(REPO),
           "PYTHON_KEYRING_BACKEND": "tests.unit.memory_keyring.FileKeyring",
           FILE_VARIABLE: str(tmp_path / "keyring.json")}
    env.pop("REGLAMENT_DB_URL", None)

    def cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "desktop.cli", *args], capture_output=True,
                              text=True, env=env, input=stdin, timeout=120, cwd=tmp_path)

    for name, password in (("first", "Пароль-один"), ("second", "Пароль-два")):
        added = cli("account", "add", "--name", name, "--email", f"{name}@example.ru",
                    "--imap-host", "127.0.0.1", "--imap-port", "9", "--security", "none",
                    "--password-stdin", "--no-check", stdin=password + "\n")
        assert added.returncode == 0, added.stderr
    keyring_file = Path(env[FILE_VARIABLE])
    assert "Пароль-один" in keyring_file.read_text(encoding="utf-8")

    done = cli("account", "forget-passwords")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("2 saved password(s) deleted")
    stored = keyring_file.read_text(encoding="utf-8")
    assert "Пароль-один" not in stored and "Пароль-два" not in stored
    listed = json.loads(cli("account", "list", "--json").stdout)
    assert sorted(a["name"] for a in listed) == ["first", "second"]
    again = cli("account", "forget-passwords")
    assert again.stdout.startswith("0 saved password(s) deleted")
