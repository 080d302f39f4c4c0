"""Which ticket the agent has on show, and the queue rows that say so — never the wrong one.

The detail pane follows the agent's choice of a row (a selection), never Qt's own cursor: a
table taking the focus with no current row puts its cursor on the first one unselected. A ticket
taken, closed or filtered out of the view stays on show with a note, and the queue selects no
other row for the agent; after every new result the ticket on show gets its row selected again
wherever the view has it now. Other parts that choose a ticket for the agent (the dashboard, a
ticket just created) say so with :meth:`QueueSelection.choose_when_shown`.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QTimer
from PySide6.QtWidgets import QTableView

from desktop.services.reads import queue as queue_reads
from desktop.services.workspace import Workspace
from ui.queue_model import QueueModel
from ui.queue_window import QueueWindow
from ui.workers import Runner


class QueueSelection:
    """The selection rules of the queue controller (a part of it: it holds the state)."""

    window: QueueWindow
    ws: Workspace
    runner: Runner
    model: QueueModel
    table: QTableView
    generation: int
    _pending_select: str | None

    def _background_failed(self, exc: BaseException) -> None: ...

    def current_ticket_id(self) -> int | None:
        idx = self.table.selectionModel().currentIndex()
        return self.model.ticket_id(idx.row()) if idx.isValid() else None

    def _select_row(self, row: int, load: bool = True) -> None:
        sm = self.table.selectionModel()
        if not load:
            sm.blockSignals(True)
        sm.setCurrentIndex(self.model.index(row, 0),
                           QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        if not load:
            sm.blockSignals(False)
            self.table.viewport().update()

    def select_tid(self, tid: str) -> bool:
        """Select the ticket ``tid`` if its row is loaded (True); otherwise its row is looked up
        in the background and selected when found (False now)."""
        for row, line in self.model.loaded_rows():
            if line.row.tid == tid:
                self._select_row(row)
                self.table.scrollTo(self.model.index(row, 0))
                return True
        ws, generation = self.ws, self.generation

        def found(ticket_id: int | None) -> None:
            row = self.model.row_of(ticket_id) if ticket_id is not None else None
            if row is not None and generation == self.generation:
                self._select_row(row)
                self.table.scrollTo(self.model.index(row, 0))

        self.runner.read(lambda: queue_reads.ticket_id_of(ws, tid), found, self._background_failed)
        return False

    def _chosen(self) -> None:
        """The agent chose a row: its ticket is shown. Nothing else changes the detail pane."""
        rows = self.table.selectionModel().selectedRows()
        ticket_id = self.model.ticket_id(rows[0].row()) if rows else None
        if ticket_id is None:
            return  # a selection cleared: the ticket on show stays (it says if it left the view)
        w = self.window
        w.ticket_actions.set_ticket(None)
        w.detail.set_in_view(True)
        # By the row's ticket id, which the queue knows for every row: the detail is read at
        # once, beside the row's own page when that is still on its way (across a VPN, waiting
        # for the page first put two round trips before the detail's five). Once the loop is
        # back: a first screen paints before the detail's read competes with it.
        QTimer.singleShot(0, self.table, lambda i=ticket_id: w.detail.load_id(i))

    def choose_when_shown(self, tid: str) -> None:
        """The agent chose ``tid`` elsewhere (the dashboard, a ticket just created): it is
        selected, and shown, once the next result of the queue holds it."""
        self._pending_select = tid

    def _after_reset(self, current: int | None, scroll: int, same_query: bool) -> None:
        """Put the selection back on the ticket the agent has on show, wherever its row is now;
        a ticket no longer in the view stays on show, saying so, and no other row is chosen
        for the agent. Only with nothing on show yet is the first row chosen; a ticket just
        created is selected once the whole id list is known."""
        pending = self._pending_select if not self.model.is_partial() else None
        if pending is not None:
            self._pending_select = None
        shown = self.window.detail.shown_id()
        current = current if current is not None else shown
        if pending is not None and self.select_tid(pending):
            pass
        elif current is not None and (row := self.model.row_of(current)) is not None:
            self._select_row(row, load=False)
            self.window.detail.set_in_view(True)
        elif shown is None and self.model.rowCount():
            self._select_row(0)
        elif shown is not None and not self.model.is_partial():
            self.window.detail.set_in_view(False)
        self.table.verticalScrollBar().setValue(scroll)

    def _find_shown(self) -> None:
        """The whole view is known: the ticket on show gets its row selected again if the view
        holds it (past its first screen), or says it is no longer in the view."""
        shown = self.window.detail.shown_id()
        if shown is None or self.current_ticket_id() == shown:
            return
        row = self.model.row_of(shown)
        if row is not None:
            self._select_row(row, load=False)
        self.window.detail.set_in_view(row is not None)
