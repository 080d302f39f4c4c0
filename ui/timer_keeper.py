"""The window applies the regulation's timers itself, mailbox or not (R-AUTO-1..3).

Reminders to silent clients, closing them as inactive and acceptance windows that ran out used
to be applied only between the mail sync's rounds, and the sync does not start without a
mailbox. Here the engine's ``run_timers_forever`` runs on a thread of its own for as long as the
window is open; the database lease lets exactly one workstation of a team apply each pass. A
pass that changed something is said in the status bar and refreshes the queue (the signal is
queued to the GUI thread: nothing of the loop touches a widget).
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, Signal

from desktop.services.workspace import Workspace

if TYPE_CHECKING:
    from desktop.services.background.timers import TimerReport

#: How long after the window opens the first pass runs (the first screen comes first).
FIRST_PASS_DELAY_MS = 5_000


def report_text(report: TimerReport) -> str:
    """What a pass did, in the agent's words."""
    return QCoreApplication.translate(
        "Timers", "Timers: {0} reminders sent, {1} closed as inactive, {2} acts past their acceptance time"
    ).format(len(report.reminders), len(report.closed_inactive), len(report.acts_expired))


class TimerKeeper(QObject):
    """Starts the loop (:meth:`start`), ends it with the window (:meth:`stop`)."""

    #: A pass changed tickets: the sentence for the status bar.
    applied = Signal(str)
    _heard = Signal(object)

    def __init__(self, parent: QObject, ws: Workspace, interval: float | None = None) -> None:
        super().__init__(parent)
        self.ws, self.interval = ws, interval
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.passes = 0  # passes heard (this workstation's or skipped for another's turn)
        self._heard.connect(self._on_report)  # queued: emitted on the loop's thread

    def start(self) -> bool:
        if self._thread is not None or self._stop.is_set():
            return False
        self._thread = threading.Thread(target=self._run, name="timers", daemon=True)
        self._thread.start()
        return True

    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def _run(self) -> None:
        # Imported here, off the GUI thread: the timers bring the acts service along.
        from desktop.services.background.timer_loop import INTERVAL_S, run_timers_forever

        run_timers_forever(self.ws, self._stop, interval=self.interval or INTERVAL_S,
                           on_report=self._heard.emit)

    def _on_report(self, report: TimerReport) -> None:
        self.passes += 1
        if report.total:
            self.applied.emit(report_text(report))

    def stop(self) -> None:
        """End the loop for good; a pass under way finishes its ticket first (a second or so)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None
