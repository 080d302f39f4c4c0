"""Countdown text and colour at fixed moments (R-SLA-5), through the window's queue model."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from PySide6.QtCore import Qt

from desktop.domain.tickets import Priority
from desktop.services import clients, tickets
from desktop.services.tickets import NewTicket
from tests.ui.conftest import settle
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
        (_utc(17, 11), "3 h", "ok"),
        (_utc(17, 13, 30), "30 min", "warning"),
        (_utc(17, 14, 40), "overdue by 40 min", "breached"),
        (_utc(17, 20), "overdue by 4 h (paused until Wed 09:00)", "breached"),
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
