"""The window's part of the warnings to people (R-SLA-5) and of the production calendar's.

Once a minute, in the write lane: the agent is marked present while this window is the one in
use (so the timers send their warnings to the tray, not by mail), the tray warnings the timers
addressed to this agent are picked up and shown once, and the status bar says — from 1 October
of the year before — that the coming year's production calendar is not confirmed.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QObject, QTimer
from PySide6.QtWidgets import QLabel, QMainWindow

from desktop.services import calendar_import
from desktop.services.background.escalation import TrayWarning, pending_tray, touch_presence
from desktop.services.workspace import Workspace
from ui import i18n
from ui.countdown import state_style
from ui.tray import Notifier
from ui.workers import Runner

INTERVAL_MS = 60_000


class DeadlineWarnings(QObject):
    def __init__(self, window: QMainWindow, runner: Runner, ws: Workspace, notifier: Notifier) -> None:
        super().__init__(window)
        self.window, self.runner, self.ws, self.notifier = window, runner, ws, notifier
        self.year_label = QLabel(window)
        self.year_label.setObjectName("calendar_year_warning")
        self.year_label.setStyleSheet(state_style("breached", window))
        self.year_label.hide()
        window.statusBar().addWidget(self.year_label)
        self.timer = QTimer(self)
        self.timer.setInterval(INTERVAL_MS)
        self.timer.timeout.connect(self.poll)

    def start(self) -> None:
        self.poll()
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def poll(self) -> None:
        ws, lang, present = self.ws, i18n.current(), self.window.isActiveWindow()

        def work() -> tuple[list[TrayWarning], int | None]:
            if present:
                touch_presence(ws)
            return pending_tray(ws, lang), calendar_import.years_known(ws).warning_year(ws.now().date())

        self.runner.write(work, lambda got: self._got(*got), lambda _exc: None)  # a missed minute waits for the next

    def _got(self, warnings: list[TrayWarning], year: int | None) -> None:
        for w in warnings:
            self.notifier.notify(w.title, w.text)
        if year is None:
            self.year_label.hide()
            return
        self.year_label.setText(QCoreApplication.translate(
            "Main", "Production calendar {0} not confirmed: deadlines in {0} may move").format(year))
        self.year_label.setToolTip(QCoreApplication.translate(
            "Main", "Import the production calendar or confirm the year in Settings → Calendars."))
        self.year_label.show()
