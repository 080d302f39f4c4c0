""""… is replying" for colleagues while a composer is open (``desktop.services.background.presence``):
a claim taken on opening, renewed by a heartbeat, given back however the composer closes."""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer

from desktop.services.background import presence
from desktop.services.workspace import Workspace
from ui.workers import Runner

log = logging.getLogger("reglament.ui.composer")


class ReplyingClaim(QObject):
    def __init__(self, parent: QObject, runner: Runner, ws: Workspace, tid: str) -> None:
        super().__init__(parent)
        self.runner, self.ws, self.tid = runner, ws, tid
        self._timer = QTimer(self)
        self._timer.setInterval(int(presence.HEARTBEAT.total_seconds() * 1000))
        self._timer.timeout.connect(self._claim)
        self._timer.start()
        self._claim()

    @property
    def active(self) -> bool:
        return self._timer.isActive()

    def _claim(self) -> None:
        ws, tid = self.ws, self.tid
        self.runner.write(lambda: presence.start_replying(ws, tid), None,
                          lambda exc: log.info("presence on %s not claimed: %s", tid, exc))

    def release(self) -> None:
        if not self._timer.isActive():
            return
        self._timer.stop()
        ws, tid = self.ws, self.tid
        self.runner.write(lambda: presence.stop_replying(ws, tid), None,
                          lambda exc: log.info("presence on %s not given back: %s", tid, exc))
