"""Finding the processes a test run leaves behind (tests/conftest.py fails the run on any).

A helper that outlives its parent is re-parented to init and no longer looks like ours. On
Linux the test process makes itself a *subreaper* (``PR_SET_CHILD_SUBREAPER``), so every
orphaned descendant — a spawn worker, a resource tracker, a server a fixture forgot — is handed
to it instead and stays visible in its tree. Elsewhere only living descendants are seen.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import sys
import time
from dataclasses import dataclass, field

import psutil

_PR_SET_CHILD_SUBREAPER = 36


def become_subreaper() -> bool:
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        return libc.prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _alive(proc: psutil.Process) -> bool:
    try:
        return proc.status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def command(proc: psutil.Process) -> str:
    """Its command line; empty once it is gone or a zombie."""
    try:
        return " ".join(proc.cmdline())
    except psutil.Error:
        return ""


def describe(proc: psutil.Process) -> str:
    try:
        cmd = " ".join(proc.cmdline())[:200] or proc.name()
    except psutil.Error:
        cmd = "?"
    return f"pid {proc.pid}: {cmd}"


@dataclass
class Watch:
    """The descendants that were there before the run, and who left what behind since."""

    me: psutil.Process = field(default_factory=psutil.Process)
    before: set[int] = field(default_factory=set)
    #: pid → the test after which it was first seen alive.
    seen_after: dict[int, str] = field(default_factory=dict)
    #: The test running now (the last one, when the run ends inside its teardown).
    current: str = "the last test"

    def __post_init__(self) -> None:
        self.before = {p.pid for p in self.descendants()}

    def descendants(self) -> list[psutil.Process]:
        try:
            return [p for p in self.me.children(recursive=True) if _alive(p)]
        except psutil.Error:
            return []

    def ours(self, proc: psutil.Process) -> bool:
        """The test process's own resource tracker (started by multiprocessing in this process,
        it ends with it) is not left behind; the tracker of a child that died is."""
        from multiprocessing import resource_tracker

        own_tracker = getattr(resource_tracker._resource_tracker, "_pid", None)
        return proc.pid in self.before or proc.pid == own_tracker

    def strays(self) -> list[psutil.Process]:
        return [p for p in self.descendants() if not self.ours(p)]

    def after_test(self, nodeid: str) -> None:
        for proc in self.strays():
            self.seen_after.setdefault(proc.pid, nodeid)

    def settle(self, within: float) -> list[psutil.Process]:
        """What is still running after giving it ``within`` seconds to end by itself."""
        end = time.monotonic() + within
        while (left := self.strays()) and time.monotonic() < end:
            time.sleep(0.1)
        reap_zombies()
        return left

    def report(self, left: list[psutil.Process]) -> str:
        lines = [f"{describe(p)} (after {self.seen_after.get(p.pid, self.current)})" for p in left]
        return f"{len(left)} process(es) outlived the test run:\n  " + "\n  ".join(lines)


def end(procs: list[psutil.Process]) -> None:
    """Nothing left behind even when the run fails for it."""
    for proc in procs:
        with contextlib.suppress(psutil.Error):
            proc.kill()
    psutil.wait_procs(procs, timeout=5)
    reap_zombies()


def reap_zombies() -> None:
    """Orphans handed to the subreaper become its children: collect their exit statuses."""
    with contextlib.suppress(psutil.Error):
        for child in psutil.Process().children():
            with contextlib.suppress(psutil.Error, ChildProcessError):
                if child.status() == psutil.STATUS_ZOMBIE:
                    os.waitpid(child.pid, os.WNOHANG)


def still_running(procs: list[psutil.Process], within: float) -> list[psutil.Process]:
    """Those of ``procs`` still running after ``within`` seconds (zombies reaped, not counted):
    what a test that ended a process tree finds left behind."""
    end_at = time.monotonic() + within
    while True:
        reap_zombies()
        alive = [p for p in procs if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]
        if not alive or time.monotonic() > end_at:
            return alive
        time.sleep(0.05)
