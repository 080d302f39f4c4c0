"""``reglament --demo``: the demo's own agent, and a throw-away folder that goes when the window
does — closed by SIGTERM or Ctrl+C as by its close button."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from desktop.services.reads.queue_spec import QueueSpec, fetch_ids
from ui.app import open_for_window

ROOT = Path(__file__).resolve().parents[2]


def test_the_demo_works_as_an_agent_with_tickets_of_their_own(tmp_path):
    ws = open_for_window(tmp_path / "demo", None, True, None)
    try:
        assert ws.actor == "anna"
        assert fetch_ids(ws, QueueSpec(view="mine"))
    finally:
        ws.close()


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_the_demo_folder_is_removed_when_the_window_ends(tmp_path, signum):
    env = dict(os.environ, TMPDIR=str(tmp_path), QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    env.pop("REGLAMENT_HOME", None)
    err = tmp_path / "stderr.txt"
    with err.open("wb") as sink:
        proc = subprocess.Popen([sys.executable, "-m", "desktop.cli", "--demo"], env=env, cwd=ROOT,
                                stdout=subprocess.DEVNULL, stderr=sink)
    try:
        deadline = time.monotonic() + 90
        opened = False
        while time.monotonic() < deadline and proc.poll() is None and not opened:
            logs = list(tmp_path.glob("reglament-demo-*/logs/reglament.log"))
            opened = any("window open on" in p.read_text(encoding="utf-8", errors="replace") for p in logs)
            time.sleep(0.2)
        assert opened, err.read_text() if proc.poll() is not None else "no window in 90 s"
        assert "as anna" in logs[0].read_text(encoding="utf-8")
        proc.send_signal(signum)
        code = proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert code == 0, err.read_text()
    assert not list(tmp_path.glob("reglament-demo-*")), "the demo's folder was left behind"
