"""The thread tells the whole story: the team's internal notes stand in it in their place, set
apart and saying the client does not see them."""

from __future__ import annotations

from desktop.services import tickets
from tests.ui.conftest import settle
from tests.ui.test_actions import first_with, open_ticket


def test_internal_notes_are_in_the_thread_in_order_and_marked(qtbot, window, demo_ws):
    tid = first_with(demo_ws, "in_progress")
    tickets.add_note(demo_ws, tid, "Позвонил клиенту, ждём логи сервера")
    open_ticket(qtbot, window, tid)
    window.detail.reload()
    settle(qtbot, window)
    text = window.detail.thread_view.toPlainText()
    assert "Позвонил клиенту, ждём логи сервера" in text
    assert "internal note — the client does not see it" in text
    # In order: the note, written last, comes after the client's first message.
    first = window.detail.data.thread[0]
    assert text.index((first.text or "").split()[0]) < text.index("Позвонил клиенту")
