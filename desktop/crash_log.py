"""A crash of the interpreter itself leaves a report file in the log folder.

A Python exception reaches the log through the window's exception hook; a native crash (a
segmentation fault in Qt or a driver, an abort) ends the process before any Python code runs, so
nothing would be left. ``faulthandler`` writes the Python stack of every thread to an open file
at that moment. Each process gets a file of its own, ``crash-<started>-<pid>.log``: two programs
on one data folder (the window and ``reglament sync``) never write into each other's. A normal
exit removes its empty file, so a report that is still there, not empty, is a crash; the next
start finds it and says so, and marks it as told (``crash-….reported.log``) so it is said once.
"""

from __future__ import annotations

import faulthandler
import os
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TextIO

PREFIX = "crash-"
REPORTED = ".reported.log"


@dataclass
class CrashLog:
    """This process's report file while it runs, and what earlier runs left behind."""

    path: Path
    earlier: list[Path] = field(default_factory=list)
    _file: TextIO | None = None

    def close(self) -> None:
        """A normal end: stop watching and remove the report, which stayed empty."""
        if self._file is None:
            return
        faulthandler.disable()
        self._file.close()
        self._file = None
        try:
            if self.path.stat().st_size == 0:
                self.path.unlink()
        except OSError:
            pass


def unreported(log_dir: Path, own: Path | None = None) -> list[Path]:
    """Reports of crashed runs not told yet, newest first (an empty file is a run still going or
    one killed outright, which faulthandler cannot catch: nothing to tell)."""
    found = []
    for path in log_dir.glob(f"{PREFIX}*.log"):
        if path == own or path.name.endswith(REPORTED):
            continue
        try:
            if path.stat().st_size > 0:
                found.append(path)
        except OSError:
            continue
    return sorted(found, key=lambda p: p.name, reverse=True)


def mark_reported(path: Path) -> Path:
    """Keep the report (someone may ask for it) under a name the next start does not tell again."""
    target = path.with_name(path.name.removesuffix(".log") + REPORTED)
    try:
        path.replace(target)
    except OSError:
        return path
    return target


def watch(log_dir: Path, now: datetime) -> CrashLog:
    """Send a native crash's stacks to a new report file in ``log_dir``; lists earlier reports."""
    log_dir.mkdir(parents=True, exist_ok=True)
    earlier = unreported(log_dir)
    path = log_dir / f"{PREFIX}{now:%Y%m%d-%H%M%S}-{os.getpid()}.log"
    # Kept open for the life of the process: at the crash there is no time to open anything.
    handle = open(path, "w", encoding="utf-8")  # noqa: SIM115
    faulthandler.enable(file=handle, all_threads=True)
    return CrashLog(path, earlier, handle)
