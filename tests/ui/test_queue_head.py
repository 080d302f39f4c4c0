"""The window's first screen of a new view: read on the GUI thread when SQLite answers it from
an index, in the background otherwise; and the model's per-row answers to the painter."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QAbstractItemModelTester

from desktop.services.reads import queue as qs
from tests.ui.conftest import settle
from ui import main_window
from ui.countdown import state_background, state_foreground
from ui.queue_model import COLUMNS, DUE, QueueModel


def test_an_indexed_head_is_on_screen_when_requery_returns(qtbot, window):
    window.views.select("unassigned")  # a new view: requery runs inside this call
    assert window._head_generation == window._generation, "head applied without a trip to a worker"
    expected = qs.fetch_ids(window.ws, window.current_spec())
    assert window.model.rowCount() == len(expected) > 0
    assert window.model.ticket_id(0) == expected[0]
    assert window.current_ticket_id() == expected[0]  # first row selected, as before
    settle(qtbot, window)
    assert window.model.ids() == expected and not window.model.is_partial()


def test_a_search_head_is_read_in_the_background(qtbot, window):
    window.filters.search.setText("заказ")
    window.filters._search_now()
    assert window._head_generation != window._generation  # not on the GUI thread
    settle(qtbot, window)
    assert window.model.ids() == qs.fetch_ids(window.ws, window.current_spec())


def test_a_head_over_budget_goes_to_the_background_and_rests_there_a_while(qtbot, window, monkeypatch):
    monkeypatch.setattr(qs, "_PROGRESS_STEPS", 1)
    monkeypatch.setattr(main_window, "HEAD_BUDGET_S", 0.0)
    window.views.select("mine")
    spec = window.current_spec()
    assert window._head_generation != window._generation  # abandoned on the GUI thread
    assert window._slow_heads[spec] > main_window.time.monotonic()
    settle(qtbot, window)
    assert window.model.ids() == qs.fetch_ids(window.ws, spec)
    monkeypatch.undo()  # a quick head again, but this spec rests in the background for now
    window.views.select("all")
    assert window._head_generation == window._generation
    settle(qtbot, window)
    window.views.select("mine")
    assert window._head_generation != window._generation
    settle(qtbot, window)
    assert window.model.ids() == qs.fetch_ids(window.ws, spec)
    window._slow_heads[spec] = main_window.time.monotonic() - 1  # the rest is over
    window.views.select("all")
    settle(qtbot, window)
    window.views.select("mine")
    assert window._head_generation == window._generation
    settle(qtbot, window)


def test_a_new_view_reuses_the_windows_sla_book(qtbot, window):
    model = window.model
    assert model.sla_book() is not None  # the first head brought it
    before = model.sla_book()
    window.views.select("waiting")
    assert model.sla_book() is before  # the synchronous head reused it
    settle(qtbot, window)
    assert model.sla_book() is not None


def _cells_model(ws) -> QueueModel:
    model = QueueModel(lambda ids: qs.fetch_rows(ws, ids), ws.now)
    model.set_ids(qs.fetch_ids(ws, qs.QueueSpec()), qs.sla_book(ws))
    return model


def test_cells_say_what_each_row_is(qtbot, demo_ws):
    model = _cells_model(demo_ws)
    tester = QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    seen_new = seen_priority = seen_tint = False
    for row in range(model.rowCount()):
        data = model.row_data(row)
        assert data is not None
        cd = model.countdown(row)
        assert cd is not None
        texts = [model.data(model.index(row, c)) for c in range(len(COLUMNS))]
        assert texts[COLUMNS.index("tid")] == data.tid and texts[DUE] == cd.text
        fonts = [model.data(model.index(row, c), Qt.ItemDataRole.FontRole) for c in range(len(COLUMNS))]
        if data.status == "new":
            seen_new = True
            assert all(f is not None and f.bold() for f in fonts)
        else:
            assert all(f is None for f in fonts[:DUE])
            assert (fonts[DUE] is not None) == (cd.state == "breached")
        fg = model.data(model.index(row, DUE), Qt.ItemDataRole.ForegroundRole)
        bg = model.data(model.index(row, DUE), Qt.ItemDataRole.BackgroundRole)
        want_fg, want_bg = state_foreground(cd.state), state_background(cd.state)
        assert (fg.color() if fg is not None else None) == want_fg
        assert (bg.color() if bg is not None else None) == want_bg
        seen_tint |= bg is not None
        tid_fg = model.data(model.index(row, 0), Qt.ItemDataRole.ForegroundRole)
        assert (tid_fg is not None) == (data.priority_rank == 0)
        seen_priority |= tid_fg is not None
        assert model.data(model.index(row, 1), Qt.ItemDataRole.UserRole) == data.id
        assert model.data(model.index(row, 1), Qt.ItemDataRole.TextAlignmentRole) is None
    assert seen_new and seen_priority and seen_tint, "the demo has each kind of row"
    del tester


def test_tick_recolours_the_countdown_cells(qtbot, demo_ws, demo_clock):
    model = _cells_model(demo_ws)
    rows = range(model.rowCount())
    states = {r: model.data(model.index(r, DUE), Qt.ItemDataRole.BackgroundRole) for r in rows}
    demo_clock.advance(days=3)  # every running clock is overdue by now
    model.tick(0, model.rowCount() - 1)
    breached = [r for r in rows if model.countdown(r).state == "breached"]  # type: ignore[union-attr]
    assert breached
    for r in breached:
        bg = model.data(model.index(r, DUE), Qt.ItemDataRole.BackgroundRole)
        assert bg is not None and bg.color() == state_background("breached")
        assert model.data(model.index(r, DUE), Qt.ItemDataRole.FontRole).bold()
        assert model.data(model.index(r, DUE)) == model.countdown(r).text  # type: ignore[union-attr]
    assert any(states[r] is None for r in breached), "some rows turned red on this tick"


def test_the_queue_delegate_dresses_cells_as_qts_own_would(qtbot, window):
    """The delegate answers the painter from the row's cells in one call; what it sets must be
    what Qt's ``initStyleOption`` sets from the model's roles, cell for cell."""
    from PySide6.QtGui import QPalette
    from PySide6.QtWidgets import QStyledItemDelegate, QStyleOptionViewItem

    settle(qtbot, window)
    model, table = window.model, window.table
    ours = table.itemDelegate()
    assert isinstance(ours, main_window.QueueDelegate)
    plain = QStyledItemDelegate(table)
    has_display = QStyleOptionViewItem.ViewItemFeature.HasDisplay
    kinds = set()
    for row in range(model.rowCount()):
        for col in range(len(COLUMNS)):
            index = model.index(row, col)
            got, want = QStyleOptionViewItem(), QStyleOptionViewItem()
            for opt in (got, want):
                opt.initFrom(table)
            ours.initStyleOption(got, index)
            plain.initStyleOption(want, index)
            assert got.text == want.text
            assert bool(got.features & has_display) == bool(want.features & has_display)
            assert got.font == want.font and got.font.bold() == want.font.bold()
            assert got.fontMetrics.height() == want.fontMetrics.height()
            assert got.palette.brush(QPalette.ColorRole.Text) == want.palette.brush(QPalette.ColorRole.Text)
            assert got.backgroundBrush == want.backgroundBrush
            assert got.index == index
            kinds.add((got.font.bold(), got.backgroundBrush.style() != Qt.BrushStyle.NoBrush))
    assert len(kinds) >= 3, "bold, tinted and plain cells were all compared"


def test_countdowns_on_a_clock_between_minutes_show_no_seconds(qtbot, demo_ws, demo_clock):
    """A real clock is never on a whole minute; the queue ticks every 15 s, so seconds in a
    countdown ('36 h 59 min 38 s') were stale and flickered. Whole minutes, rounded up."""
    import re

    demo_clock.advance(seconds=37)
    model = _cells_model(demo_ws)
    texts = [model.data(model.index(r, DUE)) for r in range(model.rowCount())]
    running = [t for t in texts if re.search(r"\d+ (min|h)\b", t)]
    assert running, "the demo has running countdowns"
    assert not [t for t in texts if re.search(r"\d+ s\b", t)]
