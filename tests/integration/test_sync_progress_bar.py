"""``reglament sync --once`` draws a progress bar on a terminal and none elsewhere, against a
real Dovecot: stderr is a pseudo-terminal (the ``pty`` module) in one run and a pipe in the
other; the reports on stdout are the same either way."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
import time
from pathlib import Path

import pytest

from desktop.cli.progress_bar import ERASE, TerminalBar, time_left
from tests.integration.conftest import Mailbox
from tests.integration.sync_support import account_for_a_child, many_questions

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[2]
MESSAGES = 600


def _command(home: Path) -> tuple[list[str], dict[str, str]]:
    env = {**os.environ, "PYTHONPATH": str(REPO), "COLUMNS": "100"}
    env.pop("REGLAMENT_DB_URL", None)
    return [sys.executable, "-m", "desktop.cli", "--home", str(home), "sync", "--once"], env


def _read_all(fd: int, proc: subprocess.Popen[bytes], limit: float = 120.0) -> bytes:
    """Everything the child writes to the terminal until it exits (a pty's reads end in EIO)."""
    out = b""
    end = time.monotonic() + limit
    while time.monotonic() < end:
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    proc.wait(timeout=30)
    return out


def test_sync_once_draws_a_bar_on_a_terminal_and_none_into_a_pipe(
    tmp_path: Path, mailbox: Mailbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    home, ws, _account_id = account_for_a_child(tmp_path, mailbox, monkeypatch)
    ws.close()
    mailbox.append_many(many_questions(MESSAGES))
    command, env = _command(home)

    master, slave = pty.openpty()
    try:
        with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=slave, env=env, cwd=REPO) as proc:
            os.close(slave)
            slave = -1
            drawn = _read_all(master, proc).decode("utf-8", "replace")
            out = proc.stdout.read().decode() if proc.stdout else ""
    finally:
        os.close(master)
        if slave >= 0:
            os.close(slave)
    # No SMTP server here: the acknowledgements wait in the outbox and the run says so (exit 1).
    assert proc.returncode in (0, 1) and "Traceback" not in drawn, drawn
    assert f"support: [{'#' * 10}" in drawn and f" {MESSAGES}/{MESSAGES} 100%" in drawn
    assert ERASE.strip("\r") in drawn  # redrawn in place, not a scroll of lines
    assert f"{MESSAGES} new messages" in out and "[" not in out  # the report, on stdout, bar-free

    # The same sync into a pipe (nothing new now, but a bar would show 0 of 0 or more): no bar.
    mailbox.append_many(many_questions(MESSAGES)[:5])
    quiet = subprocess.run(command, capture_output=True, env=env, cwd=REPO, timeout=120)
    assert quiet.returncode in (0, 1) and b"Traceback" not in quiet.stderr, quiet.stderr
    assert b"\r" not in quiet.stderr and b"#" not in quiet.stderr and b"\x1b" not in quiet.stderr
    # Only the one-line causes (the outbox's server) are there, no bar.
    assert all(line.startswith(b"reglament: ") for line in quiet.stderr.splitlines()), quiet.stderr
    assert b"new messages" in quiet.stdout


class _Tty:
    """A terminal stand-in for the bar's own arithmetic (the real terminal is the pty above)."""

    def __init__(self) -> None:
        self.text = ""

    def isatty(self) -> bool:
        return True

    def write(self, text: str) -> int:
        self.text += text
        return len(text)

    def flush(self) -> None:
        pass


def test_the_bar_says_the_time_left_once_it_can_tell() -> None:
    now = [0.0]
    tty = _Tty()
    bar = TerminalBar(tty, clock=lambda: now[0])  # type: ignore[arg-type]
    bar("support", 0, 20_000)
    assert "0/20,000" in tty.text and "left" not in tty.text  # no guess before any work
    now[0] = 10.0
    bar("support", 2_000, 20_000)
    assert "about 2 min left" in tty.text  # 200 a second, 18,000 to go: 90 s, said as 2 min
    now[0] = 100.0
    bar("support", 20_000, 20_000)
    assert tty.text.endswith("100%\n")
    assert time_left(30) == "less than a minute left" and time_left(3 * 3600 + 60) == "about 3 h 01 min left"
