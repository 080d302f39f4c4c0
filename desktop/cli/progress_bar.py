"""The progress bar of ``reglament sync --once`` on a terminal.

Drawn on stderr, and only when stderr is a terminal: a cron job, a pipe or a log file gets the
one-line reports on stdout and nothing else (no carriage returns smeared through a log). One
line per mailbox, redrawn in place at most ten times a second, ended with a newline when the
mailbox is done (or when the sync stops early), so the reports print below it.

Hand-written rather than ``rich`` or ``tqdm``: neither is a dependency, and one line with a
bar, a count and the time left (the same estimate as the window's status bar,
``desktop.services.background.eta``) is about forty lines — not worth a package in every
install.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from typing import TextIO

from desktop.services.background.eta import Estimate, rounded_minutes

#: Seconds between two redraws of the same line (the last one is always drawn).
REDRAW_S = 0.1
#: Erase the terminal line the cursor is on (ANSI "erase in line", whole line).
ERASE = "\r\x1b[2K"


def time_left(seconds: float | None) -> str:
    if seconds is None:
        return ""
    if seconds < 60:
        return "less than a minute left"
    minutes = rounded_minutes(seconds)
    if minutes < 60:
        return f"about {minutes} min left"
    return f"about {minutes // 60} h {minutes % 60:02d} min left"


class TerminalBar:
    """A sync ``progress(account, done, total)`` that draws a bar; inert off a terminal."""

    def __init__(self, stream: TextIO, clock: Callable[[], float] = time.monotonic) -> None:
        isatty = getattr(stream, "isatty", None)
        self.stream, self.clock = stream, clock
        self.on = bool(isatty and isatty())
        self._account: str | None = None
        self._estimate = Estimate()
        self._drawn_at = 0.0
        self._open = False  # a line is drawn and not yet ended

    def __call__(self, account: str, done: int, total: int) -> None:
        if not self.on or total <= 0:
            return
        now = self.clock()
        if account != self._account:
            self.close()
            self._account, self._estimate = account, Estimate()
        self._estimate.step(done, total, now)
        finished = done >= total
        if finished or now - self._drawn_at >= REDRAW_S or not self._open:
            self._draw(account, done, total)
            self._drawn_at = now
        if finished:
            self.close()

    def _draw(self, account: str, done: int, total: int) -> None:
        columns = shutil.get_terminal_size((80, 24)).columns
        tail = f" {done:,}/{total:,} {int(self._estimate.fraction * 100):3d}%"
        left = time_left(self._estimate.seconds_left()) if done < total else ""
        if left:
            tail += f"  {left}"
        head = f"{account}: "
        width = max(10, min(40, columns - len(head) - len(tail) - 3))
        filled = int(width * self._estimate.fraction)
        line = f"{head}[{'#' * filled}{'.' * (width - filled)}]{tail}"
        self.stream.write(ERASE + line[: max(columns - 1, 1)])
        self.stream.flush()
        self._open = True

    def close(self) -> None:
        """End the line being drawn (the next output starts on a line of its own)."""
        if self._open:
            self.stream.write("\n")
            self.stream.flush()
            self._open = False
