"""The suite's own guard (tests/conftest.py): a run that leaves a process behind fails, naming
the test after which it was seen — an orphan re-parented away from the run included — and
ends it, so the guard itself leaves nothing behind either."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parents[2]

LEAKY = '''
import subprocess

def test_clean():
    subprocess.run(["true"], check=True)

def test_forgets_a_child():
    subprocess.Popen(["sleep", "97"])

def test_leaves_an_orphan():
    # the shell exits at once: its background sleep is re-parented, no longer a child of ours
    subprocess.run(["sh", "-c", "sleep 98 >/dev/null 2>&1 &"], check=True)
'''


def test_a_run_that_leaves_processes_behind_fails_and_names_the_tests(tmp_path: Path) -> None:
    (tmp_path / "test_leaky.py").write_text(LEAKY, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(REPO), "REGLAMENT_LEFTOVER_GRACE_S": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "tests.conftest",
         "--rootdir", str(tmp_path), "-c", os.devnull, str(tmp_path / "test_leaky.py")],
        capture_output=True, text=True, env=env, cwd=REPO, timeout=120)
    out = done.stdout + done.stderr
    assert done.returncode != 0, out
    assert "2 process(es) outlived the test run" in out, out
    assert re.search(r"sleep 97 \(after \S*test_leaky.py::test_forgets_a_child\)", out), out
    assert re.search(r"sleep 98 \(after \S*test_leaky.py::test_leaves_an_orphan\)", out), out
    stray = [p for p in psutil.process_iter(["cmdline"]) if (p.info["cmdline"] or [])[:1] == ["sleep"]
             and p.info["cmdline"][1:] in (["97"], ["98"])]
    assert stray == []  # ended by the guard
