"""The window applies the timers with no mailbox set up (R-AUTO-1..3): a silent ticket is
closed as inactive, the status bar says so and the queue shows it, without any mail sync."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from desktop.services.reads import listing
from tests.ui.conftest import detail, save_screenshot, settle


def _waiting(ws) -> list[str]:
    return [t["tid"] for t in listing.list_tickets(ws, "waiting_client")]


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_a_silent_ticket_closes_with_no_mailbox(qtbot, window, demo_ws, demo_clock, tmp_path, lang):
    window.set_language(lang)
    QApplication.processEvents()
    try:
        assert window.sync.worker is None  # no mailbox, no mail sync running
        waiting = _waiting(demo_ws)
        assert waiting
        demo_clock.advance(days=10)  # long past the reminder and the auto-close
        window.timers.interval = 0.2
        assert window.timers.start()
        qtbot.waitUntil(lambda: all(detail(demo_ws, tid)["status"] == "inactive" for tid in waiting),
                        timeout=30_000)
        words = {"en": "closed as inactive", "ru": "закрыто без ответа"}[lang]
        qtbot.waitUntil(lambda: words in window.statusBar().currentMessage(), timeout=10_000)
        settle(qtbot, window)
        window.views.select("all")
        settle(qtbot, window)
        message = window.statusBar().currentMessage()
        assert window.statusBar().fontMetrics().horizontalAdvance(message) < window.width()
        save_screenshot(window, f"timers_without_mail_{lang}.png", tmp_path)
        passes = window.timers.passes
        qtbot.waitUntil(lambda: window.timers.passes >= passes + 2, timeout=10_000)  # it keeps going
        assert all(detail(demo_ws, tid)["status"] == "inactive" for tid in waiting)
    finally:
        window.timers.stop()
        window.set_language("en")
    assert not window.timers.running()


def test_a_real_window_starts_its_timers_without_a_mailbox(qtbot, demo_ws, monkeypatch):
    """Outside the demo the window starts the loop shortly after it opens, with no account."""
    from ui import app, timer_keeper

    monkeypatch.setattr(timer_keeper, "FIRST_PASS_DELAY_MS", 10)
    win = app.create_window(demo_ws, demo=False, language="en")
    qtbot.addWidget(win)
    win.show()
    try:
        qtbot.waitUntil(lambda: win.timers.passes >= 1, timeout=20_000)
        assert win.sync.worker is None
    finally:
        win.close()
        win.runner.wait()
    assert not win.timers.running()
