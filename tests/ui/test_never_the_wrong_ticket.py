"""The detail pane shows the ticket the agent chose until they choose another (issue: an agent
reading one ticket saw the pane jump to another after an action or a refresh, and could have
replied to the wrong client)."""

from __future__ import annotations

from desktop.services import tickets
from tests.ui.conftest import settle
from tests.ui.test_actions import first_with, trigger


def _show(qtbot, win, view: str, tid: str) -> None:
    win.views.select(view)
    settle(qtbot, win)
    assert win.select_tid(tid), tid
    qtbot.waitUntil(lambda: win.detail.data is not None and win.detail.data.tid == tid)
    settle(qtbot, win)


def test_taking_a_ticket_out_of_the_unassigned_view_keeps_it_shown(qtbot, window, demo_ws):
    tid = first_with(demo_ws, "new")
    _show(qtbot, window, "unassigned", tid)
    trigger(qtbot, window, "take")
    window.refresh()
    settle(qtbot, window)
    assert window.detail.data.tid == tid
    assert window.detail.data.status == "in_progress"
    # It has left the view: the pane says so, and no other row was selected for the agent.
    assert not window.detail.out_of_view.isHidden()
    assert window.current_ticket_id() is None
    # The table taking the keyboard focus with no current row puts Qt's cursor on its first
    # row: that is not the agent choosing it.
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QFocusEvent
    from PySide6.QtWidgets import QApplication

    QApplication.sendEvent(window.table, QFocusEvent(QEvent.Type.FocusIn, Qt.FocusReason.TabFocusReason))
    settle(qtbot, window)
    assert window.table.selectionModel().currentIndex().isValid()
    assert window.detail.data.tid == tid
    # Choosing a row is what changes the pane.
    window.table.selectRow(0)
    settle(qtbot, window)
    qtbot.waitUntil(lambda: window.detail.data.tid != tid)
    assert window.detail.out_of_view.isHidden()


def test_a_colleagues_change_elsewhere_does_not_move_the_selection(qtbot, window, demo_ws):
    new = first_with(demo_ws, "new")
    tid = first_with(demo_ws, "in_progress")
    _show(qtbot, window, "all", tid)
    row_before = window.model.row_of(window.current_ticket_id())
    # Another agent takes a ticket listed above it and one is created: rows move.
    tickets.take_into_work(demo_ws, new)
    window.refresh()
    settle(qtbot, window)
    assert window.detail.data.tid == tid
    current = window.current_ticket_id()
    assert current is not None and window.model.line(window.model.row_of(current)).row.tid == tid
    assert row_before is not None


def test_filtering_the_shown_ticket_out_keeps_it_with_a_note(qtbot, window, demo_ws):
    tid = first_with(demo_ws, "in_progress")
    _show(qtbot, window, "all", tid)
    window.filters.search.setText("no ticket has these words xyzzy")
    window.filters._search_now()
    settle(qtbot, window)
    assert window.model.rowCount() == 0
    assert window.detail.data is not None and window.detail.data.tid == tid
    assert not window.detail.out_of_view.isHidden()
