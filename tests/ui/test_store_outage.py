"""A database that goes away while the window is open (a team server restarting): the periodic
pass says so in the status bar until it can read again, and no message box piles up."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox

from desktop.errors import StorageError
from desktop.services.reads import queue as queue_service
from tests.ui.conftest import settle
from ui import errors


def test_a_failing_periodic_pass_is_said_in_the_status_bar(qtbot, window, monkeypatch):
    settle(qtbot, window)

    def down(*_a, **_k):
        raise StorageError("the database is not available: {reason}", reason="connection refused")

    monkeypatch.setattr(queue_service, "view_counts", down)
    monkeypatch.setattr(queue_service, "fetch_ids", down)
    window.refresh()
    settle(qtbot, window)
    label = window.store_label
    assert not label.isHidden()
    assert "The database is not available: connection refused" in label.text()
    assert "tries again every minute" in label.text()
    assert errors.QUIET["last"] is None, "no message box for a periodic pass"
    monkeypatch.undo()
    window.refresh()
    settle(qtbot, window)
    assert label.isHidden()


def test_the_same_error_does_not_stack_a_second_box(qtbot, monkeypatch):
    """While a box waits in its own event loop, timers keep running; the same failure coming
    again must not open another box on top of it."""
    monkeypatch.setitem(errors.QUIET, "on", False)
    opened: list[str] = []
    exc = StorageError("the database is not available: {reason}", reason="connection refused")

    def exec_(box: QMessageBox) -> int:
        opened.append(box.text())
        if len(opened) == 1:
            errors.show_error(None, exc)  # the next periodic pass, inside the first box's loop
            errors.show_error(None, StorageError("another thing"))  # different words: shown
        return 0

    monkeypatch.setattr(QMessageBox, "exec", exec_)
    errors.show_error(None, exc)
    assert opened == ["The database is not available: connection refused", "Another thing"]
    errors.show_error(None, exc)  # closed by now: shown again
    assert len(opened) == 3


@pytest.fixture(autouse=True)
def _no_leftover_boxes():
    yield
    assert not errors._SHOWING


def test_the_window_checks_its_database_file_in_the_background(qtbot, window, monkeypatch):
    """The whole-file check left start-up; the window runs it a moment later off the GUI thread
    and says what it found in a message box (a backup must be restored: retrying won't help)."""
    from ui import app

    assert app.INTEGRITY_CHECK_DELAY_MS >= 1000, "after the first screen and the full read"
    settle(qtbot, window)
    calls = []
    real = window.ws.db.check_integrity

    def check():
        calls.append("checked")
        real()  # the demo's file is sound
        raise StorageError("the database file is damaged: {ok}; restore it from a backup, or ask the administrator",
                           ok="Page 81: btreeInitPage() returns error code 11")

    monkeypatch.setattr(window.ws.db, "check_integrity", check)
    window.check_store()
    settle(qtbot, window)
    assert calls == ["checked"]
    assert errors.QUIET["last"] is not None and "The database file is damaged: Page 81" in errors.QUIET["last"]
