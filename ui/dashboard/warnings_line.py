"""The dashboard's line on warnings to people (R-SLA-5): how many assignees and team leads were
told of tickets near their deadlines in the period, and how (tray or mail). A widget of its own
beside the dashboard's numbers, fed by ``desktop.services.reads.warnings``."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLabel, QWidget

from desktop import times
from desktop.services.reads.warnings import WarningCounts, warning_counts
from desktop.services.workspace import Workspace
from ui.countdown import MUTED
from ui.workers import Runner


class WarningsLine(QLabel):
    def __init__(self, ws: Workspace, runner: Runner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("warnings_line")
        self.setStyleSheet(MUTED)
        self.ws, self.runner = ws, runner
        self.counts: WarningCounts | None = None

    def reload(self, start: date, end: date) -> None:
        ws = self.ws
        since = datetime.combine(start, time.min, times.viewer_tz())
        until = datetime.combine(end + timedelta(days=1), time.min, times.viewer_tz())
        self.runner.read(lambda: warning_counts(ws, since, until), self._show, lambda _exc: None)

    def _show(self, counts: WarningCounts) -> None:
        self.counts = counts
        self.setText(QCoreApplication.translate(
            "Dashboard", "Deadline warnings in the period: {0} to assignees, {1} to team leads "
            "({2} in the tray, {3} by mail) about {4} tickets; sent only in working hours").format(
                counts.assignee, counts.lead, counts.to_tray, counts.by_mail, counts.tickets))
