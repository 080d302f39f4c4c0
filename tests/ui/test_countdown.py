"""Countdown text and colour at fixed moments (R-SLA-5), through the window's queue model."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from PySide6.QtCore import Qt

from desktop.domain.tickets import Priority
from desktop.services import clients, tickets
from desktop.services.tickets.create import NewTicket
from tests.ui.conftest import dark_palette, settle
from ui.countdown import state_background, state_foreground
from ui.queue_model import DUE

MSK = 3  # hours ahead of UTC


def _utc(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour - MSK, minute, tzinfo=UTC)


@pytest.fixture
def urgent_ticket(ws, clock):
    """An urgent ticket of a Commercial client: 4 working hours to react, 09–18 Moscow."""
    clients.add_client(ws, "ООО «Часы»", domains=["chasy.ru"], plan="commercial")
    clock.t = _utc(17, 10)  # Tuesday 10:00 Moscow
    with ws.db.session() as s:
        t = tickets.create_ticket_in(s, ws, NewTicket(
            subject="Сайт не открывается", requester="boss@chasy.ru", received_at=clock.t,
            priority=Priority.URGENT))
        return t.tid


def _cell(qtbot, w, clock, when: datetime):
    clock.t = when
    w.tick()
    idx = w.model.index(0, DUE)
    fg = w.model.data(idx, Qt.ItemDataRole.ForegroundRole)
    bg = w.model.data(idx, Qt.ItemDataRole.BackgroundRole)
    return (w.model.data(idx), w.countdown_cell(0)[1],
            fg.color().name() if fg else None, bg.color() if bg else None)


def test_countdown_at_fixed_moments(qtbot, urgent_ticket, ws, clock):
    from ui.app import create_window

    w = create_window(ws, demo=True, language="en")
    qtbot.addWidget(w)
    w.show()
    settle(qtbot, w)
    assert w.model.rowCount() == 1
    cases = [
        # the time left in its unit, then the share of the 4 h target used ("25 %" in Russian)
        (_utc(17, 11), "3 h · 25%", "ok"),
        (_utc(17, 13, 30), "30 min · 88%", "warning"),
        (_utc(17, 14, 40), "overdue by 40 min · 117%", "breached"),
        (_utc(17, 20), "overdue by 4 h (paused until Wed 09:00) · 200%", "breached"),
    ]
    for when, text, state in cases:
        shown, got_state, fg, bg = _cell(qtbot, w, clock, when)
        assert (shown, got_state) == (text, state), when
        assert fg == state_foreground(state).name()
        expected_bg = state_background(state)
        assert (bg is None) == (expected_bg is None)
        if bg is not None:
            assert bg == expected_bg
    w.runner.wait()


def test_paused_while_waiting_for_the_client(qtbot, urgent_ticket, ws, clock):
    from ui.app import create_window

    clock.t = _utc(17, 11)
    tickets.request_information(ws, urgent_ticket, "Какой браузер?")
    w = create_window(ws, demo=True, language="ru")
    qtbot.addWidget(w)
    w.show()
    settle(qtbot, w)
    clock.t = _utc(18, 15)
    w.tick()
    text, state = w.countdown_cell(0)
    assert state == "paused"
    assert text == "пауза · осталось 23 ч"  # reaction met by the question; resolution paused
    w.runner.wait()


def test_countdown_before_hours_says_when_the_clock_resumes(qtbot, ws, clock):
    from ui.app import create_window

    clients.add_client(ws, "ООО «Пятница»", domains=["friday.ru"], plan="commercial")
    clock.t = _utc(20, 16)  # Friday 16:00 Moscow
    with ws.db.session() as s:
        tickets.create_ticket_in(s, ws, NewTicket(
            subject="Вопрос", requester="a@friday.ru", received_at=clock.t, priority=Priority.URGENT))
    w = create_window(ws, demo=True, language="en")
    qtbot.addWidget(w)
    w.show()
    settle(qtbot, w)
    clock.t = _utc(20, 19)  # Friday 19:00: after hours, 2 of 4 hours used
    w.tick()
    assert w.countdown_cell(0) == ("2 h (paused until Mon 09:00)", "ok")
    w.runner.wait()


def test_countdown_timer_stops_when_hidden(qtbot, window):
    assert window.tick_timer.isActive()
    window.hide()
    assert not window.tick_timer.isActive()
    assert not window.refresh_timer.isActive()
    window.show()
    qtbot.waitExposed(window)
    assert window.tick_timer.isActive()


def _window_on(qtbot, ws, tid: str):
    """The window with ``tid`` open in the detail."""
    from ui.app import create_window

    w = create_window(ws, demo=True, language="en")
    qtbot.addWidget(w)
    w.show()
    settle(qtbot, w)
    assert w.select_tid(tid)
    qtbot.waitUntil(lambda: w.detail.data is not None and w.detail.data.tid == tid)
    settle(qtbot, w)
    return w


def _contrast(a, b) -> float:
    """WCAG 2 contrast ratio of two colours."""
    def lum(c) -> float:
        ch = [x / 255 for x in (c.red(), c.green(), c.blue())]
        ch = [x / 12.92 if x <= 0.03928 else ((x + 0.055) / 1.055) ** 2.4 for x in ch]
        return 0.2126 * ch[0] + 0.7152 * ch[1] + 0.0722 * ch[2]
    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


@pytest.mark.parametrize("dark", [False, True])
def test_every_state_reads_on_its_palette(dark):
    """At least 3:1 (WCAG's floor for bold text) against the base and against the state's own
    tint laid over it; the light palette's deep reds and ambers fall below that on a dark base."""
    from PySide6.QtGui import QColor

    from ui.countdown import blend, priority_foreground

    base = QColor("#1e1e1e") if dark else QColor("#ffffff")
    for state in ("ok", "warning", "breached", "paused", "met", "missed"):
        fg = state_foreground(state, dark)
        assert fg is not None
        assert _contrast(fg, base) >= 3, state
        tint = state_background(state)
        if tint is not None:
            assert _contrast(fg, blend(tint, base)) >= 3, state
    assert _contrast(priority_foreground(dark), base) >= 3


def test_the_window_follows_a_dark_palette(qtbot, urgent_ticket, ws, clock):
    """The queue and the detail header take the dark tones when the system turns dark, and the
    header's tint is laid over the label (rich text drops alpha: it was solid red behind red)."""
    import re

    from PySide6.QtGui import QColor, QGuiApplication
    from PySide6.QtWidgets import QApplication

    from ui.countdown import blend

    w = _window_on(qtbot, ws, urgent_ticket)
    clock.t = _utc(17, 14, 40)  # 40 min overdue
    w.tick()
    qtbot.waitUntil(lambda: "overdue by 40 min" in w.detail.deadlines.text())

    def header_colours() -> tuple[QColor, QColor]:
        text = w.detail.deadlines.text()
        m = re.search(r"color:(#[0-9a-f]{6});background-color:(#[0-9a-f]{6})", text)
        assert m, text
        return QColor(m.group(1)), QColor(m.group(2))

    fg, bg = header_colours()
    window_colour = w.detail.palette().color(w.detail.deadlines.backgroundRole())
    assert fg == state_foreground("breached")
    assert bg.name() == blend(state_background("breached"), window_colour).name()  # as the HTML spells it
    assert _contrast(fg, bg) >= 3
    light = QGuiApplication.palette()
    try:
        QApplication.setPalette(dark_palette())
        qtbot.waitUntil(lambda: w.palette().base().color().lightness() < 128)  # delivered by the loop
        index = w.model.index(0, DUE)
        assert w.model.data(index, Qt.ItemDataRole.ForegroundRole).color() == state_foreground("breached", True)
        fg, bg = header_colours()
        assert fg == state_foreground("breached", True) and bg.lightness() < 128
        assert _contrast(fg, bg) >= 3
    finally:
        QApplication.setPalette(light)
    qtbot.waitUntil(lambda: w.palette().base().color().lightness() >= 128)
    assert w.model.data(w.model.index(0, DUE), Qt.ItemDataRole.ForegroundRole).color() == state_foreground("breached")
    w.runner.wait()


def test_the_open_tickets_header_counts_down_with_its_row(qtbot, urgent_ticket, ws, clock):
    """The header showed the countdown of the moment the ticket was opened while the queue row
    beside it ticked on; each tick now brings the header along."""
    w = _window_on(qtbot, ws, urgent_ticket)
    assert "Reaction: <span style='color:#2e7d32;'><b>4 h</b>" in w.detail.deadlines.text()
    scroll_before = w.detail.thread_view.toHtml()
    for when, text in ((_utc(17, 13, 30), "30 min"), (_utc(17, 14, 40), "overdue by 40 min")):
        clock.t = when
        w.tick()
        qtbot.waitUntil(lambda text=text: f"<b>{text}</b>" in w.detail.deadlines.text())
        assert w.model.data(w.model.index(0, DUE)).startswith(text + " · ")  # the same as its row
    assert w.detail.thread_view.toHtml() == scroll_before  # only the header was redrawn
    w.runner.wait()


def test_status_lines_and_hints_take_their_colour_from_the_palette(qtbot):
    """Fixed deep greens, reds and greys in widget style sheets hardly read on a dark window;
    the window's own status lines and hints go through ``state_style`` / ``MUTED``."""
    import re
    from pathlib import Path

    from PySide6.QtWidgets import QLabel

    from ui.countdown import MUTED, state_style

    label = QLabel()
    qtbot.addWidget(label)
    assert state_style("ok", label) == f"color: {state_foreground('ok').name()}"
    label.setPalette(dark_palette())
    assert state_style("ok", label) == f"color: {state_foreground('ok', True).name()}"
    assert "palette(" in MUTED
    fixed = [f"{p.name}:{n}" for p in (Path(__file__).resolve().parents[2] / "ui").rglob("*.py")
             for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
             if re.search(r"setStyleSheet\(\s*f?[\"']color:\s*#", line)]
    assert not fixed, fixed
