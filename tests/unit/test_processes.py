"""A packaged program starts helper processes only once its entry script has handed them over
to multiprocessing (desktop/processes.py, packaging/launcher.py)."""

from __future__ import annotations

import sys

import pytest

from desktop import processes
from desktop.services.background import sync_process
from desktop.services.background.mail_jobs import WORKER_THRESHOLD, MailWorker


def test_children_from_a_source_tree_and_from_a_frozen_program(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(processes, "_frozen_children", False)
    assert processes.children_supported()
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    assert not processes.children_supported()
    assert not sync_process.usable() and not MailWorker.usable(WORKER_THRESHOLD * 10)
    processes.enable_frozen_children()  # what packaging/launcher.py does first
    assert processes.children_supported()
    assert sync_process.usable() and MailWorker.usable(WORKER_THRESHOLD)
    assert not MailWorker.usable(WORKER_THRESHOLD - 1)  # a small sync is not worth a helper


_KILLED_PARENT = """
import os, sys, time
from desktop.services.background.mail_jobs import MailWorker, intake_many
worker = MailWorker(sys.argv[1])
worker.intake([])()  # the helper is up and has done a job
print(*[p.pid for p in worker._pool._processes.values()], flush=True)
time.sleep(60)
"""


def test_a_helper_ends_when_its_parent_is_killed(tmp_path) -> None:
    """SIGKILL of a sync leaves no parsing helper behind (it would wait on its queue forever)."""
    import os
    import signal
    import subprocess

    import psutil

    with subprocess.Popen([sys.executable, "-c", _KILLED_PARENT, str(tmp_path)],
                          stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True) as parent:
        assert parent.stdout is not None
        helpers = [int(pid) for pid in parent.stdout.readline().split()]
        assert helpers and all(psutil.pid_exists(pid) for pid in helpers)
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait()
        _gone, alive = psutil.wait_procs([psutil.Process(pid) for pid in helpers], timeout=10)
        for p in alive:
            p.kill()
        assert alive == [], "a helper outlived its killed parent"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
def test_a_frozen_helper_still_ends_with_its_parent_on_linux(tmp_path) -> None:
    """A helper that cannot run a line of Python (stopped here; stuck in C code in life) cannot
    watch its pipe: the kernel's parent-death signal ends it all the same."""
    import os
    import signal
    import subprocess

    import psutil

    with subprocess.Popen([sys.executable, "-c", _KILLED_PARENT, str(tmp_path)],
                          stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True) as parent:
        assert parent.stdout is not None
        helpers = [psutil.Process(int(pid)) for pid in parent.stdout.readline().split()]
        for helper in helpers:
            helper.suspend()  # SIGSTOP: its watching thread never runs again
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait()
        _gone, alive = psutil.wait_procs(helpers, timeout=10)
        for p in alive:
            p.kill()
        assert alive == [], "a stopped helper outlived its killed parent"
