"""The dashboard's entry in the main window: a View-menu action and the way back to the queue.

Kept apart from the ``ui.dashboard`` package so the workstation's start-up does not load
QtCharts: the dashboard window is imported the first time someone opens it. The main window only creates a
``DashboardEntry``; the entry adds its action, follows language changes through an event filter
and, when a ticket is double-clicked on the dashboard, shows that ticket in the queue.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QCoreApplication, QEvent, QItemSelectionModel, QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu, QTableView

from desktop.services.upkeep.lookup import get_ticket
from desktop.services.workspace import Workspace
from ui.filter_bar import FilterBar
from ui.progress import ProgressModel
from ui.queue_model import QueueModel
from ui.views_panel import ViewsPanel
from ui.workers import Runner

if TYPE_CHECKING:
    from ui.dashboard.window import DashboardWindow


class QueueWindow(Protocol):
    """What the entry needs of the main window: its menu, the queue and the way to re-read it.
    Named here so the entry never imports the window that creates it."""

    ws: Workspace
    runner: Runner
    view_menu: QMenu
    model: QueueModel
    table: QTableView
    filters: FilterBar
    views: ViewsPanel
    progress: ProgressModel

    def requery(self, quiet: bool = False) -> None: ...

    def refresh_all(self) -> None: ...

    def choose_when_shown(self, tid: str) -> None: ...

#: Ctrl+D is "Resolve" in the ticket menu; L as in "lead".
SHORTCUT = "Ctrl+Shift+L"
FILTERS = ("status", "department", "assignee", "plan", "sla")


def ticket_id(ws: Workspace, tid: str) -> int:
    with ws.db.session() as s:
        return int(get_ticket(s, ws, tid).id)


class DashboardEntry(QObject):
    def __init__(self, window: QueueWindow, frame: QMainWindow) -> None:
        super().__init__(frame)
        self.window, self.frame = window, frame
        self.dashboard: DashboardWindow | None = None
        self.action = QAction(frame)
        self.action.setObjectName("action_dashboard")
        self.action.setShortcut(QKeySequence(SHORTCUT))
        self.action.triggered.connect(self.open)
        window.view_menu.addAction(self.action)
        frame.installEventFilter(self)
        self.retranslate()

    def retranslate(self) -> None:
        self.action.setText(QCoreApplication.translate("Dashboard", "Dashboard"))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.frame and event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        return False

    def open(self) -> DashboardWindow:
        if self.dashboard is None:
            from ui.dashboard.window import DashboardWindow

            self.dashboard = DashboardWindow(self.window.ws, self.window.runner, self.frame,
                                             self.window.progress)
            self.dashboard.ticketChosen.connect(self.reveal)
            self.dashboard.ticketsChanged.connect(lambda _tids: self.window.refresh_all())
        self.dashboard.show()
        self.dashboard.raise_()
        self.dashboard.activateWindow()
        return self.dashboard

    def reveal(self, tid: str) -> None:
        """Select the ticket in the queue: in place if the current view lists it, otherwise
        through the "All" view searched for its TID, so no filter of the agent's hides it."""
        win = self.window
        self.frame.raise_()
        self.frame.activateWindow()
        ws = win.ws
        win.runner.read(lambda: ticket_id(ws, tid), lambda found: self._select(tid, int(found)))

    def _select(self, tid: str, found: int) -> None:
        win = self.window
        row = win.model.row_of(found)
        if row is not None:
            index = win.model.index(row, 0)
            win.table.selectionModel().setCurrentIndex(
                index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
            win.table.scrollTo(index)
            return
        filters = win.filters
        filters.blockSignals(True)
        for name in FILTERS:
            filters.set_filter(name, None)
        filters.search.setText(tid)
        filters.blockSignals(False)
        win.views.blockSignals(True)
        win.views.select("all")
        win.views.blockSignals(False)
        win.choose_when_shown(tid)
        win.requery()
