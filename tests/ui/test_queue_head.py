"""The window's first screen of a new view: a head read by a worker and painted before anything
else; and what each prepared cell says to the painter — texts, fonts, colours, tooltips."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt

from desktop.services.reads import queue as qs
from desktop.services.reads.queue_page import time_left_text
from tests.ui.conftest import settle
from tests.ui.test_queue_model import filled
from ui.countdown import state_background, state_foreground
from ui.queue_model import COLUMNS, DUE


def test_a_head_is_read_in_the_background_then_the_full_list(qtbot, window):
    shown = window.detail.shown_id()
    assert shown is not None  # the first row of the first view, chosen at start
    generation = window.queue.generation
    window.views.select("unassigned")  # a new view: its head is asked of a worker
    assert window.queue.generation == generation + 1
    assert window.queue.head_generation != window.queue.generation, "nothing read on the GUI thread"
    qtbot.waitUntil(lambda: window.queue.head_generation == window.queue.generation)
    expected = qs.fetch_ids(window.ws, window.current_spec())
    assert window.model.rowCount() == len(expected) > 0
    assert window.model.ticket_id(0) == expected[0]
    settle(qtbot, window)
    assert window.model.ids() == expected and not window.model.is_partial()
    # The ticket on show stays on show: selected where the new view has it, or said to be
    # out of the view; no other row is chosen for the agent.
    assert window.detail.shown_id() == shown
    assert window.current_ticket_id() == (shown if shown in expected else None)
    assert window.detail.out_of_view.isHidden() == (shown in expected)
    assert all(window.model.line(r) is not None for r in range(len(expected)))


def test_a_first_screen_is_painted_then_explained(qtbot, window, monkeypatch):
    """The head's lines come without tooltips (nobody hovers before the first paint) and every
    row of it has them right after it is painted, the same as a row prepared whole."""
    from desktop.services.reads.queue_page import prepare

    painted_bare: list[bool] = []
    apply = window.queue._apply_head

    def applied(*args, **kwargs):
        apply(*args, **kwargs)
        rows = range(min(window.model.rowCount(), 5))
        painted_bare.append(all(not window.model.line(r).tooltips for r in rows if window.model.line(r)))

    monkeypatch.setattr(window.queue, "_apply_head", applied)
    window.views.select("unassigned")
    qtbot.waitUntil(lambda: window.queue.head_generation == window.queue.generation)
    assert painted_bare == [True]
    subject, received = COLUMNS.index("subject"), COLUMNS.index("received")
    book = window.model.sla_book()
    for r in range(min(window.model.rowCount(), 10)):
        line = window.model.line(r)
        whole = prepare(line.row, book, window.ws.now(), "en")
        assert line.tooltips == whole.tooltips
        for col in (subject, received, DUE):
            assert window.model.data(window.model.index(r, col), Qt.ItemDataRole.ToolTipRole) == whole.tooltips[col]


def test_a_search_head_is_read_in_the_background(qtbot, window):
    window.filters.search.setText("заказ")
    window.filters._search_now()
    assert window.queue.head_generation != window.queue.generation
    settle(qtbot, window)
    assert window.model.ids() == qs.fetch_ids(window.ws, window.current_spec())


def test_a_search_reads_its_first_screen_before_its_list(qtbot, window):
    """On PostgreSQL, where each statement is a round trip, the head of a search brings the
    whole ordered list and the count is its length (tests/integration/test_search_postgres.py).
    On SQLite a statement costs no trip, and the first screen of a search is read alone — its
    rows, not the whole list — then the count and the list follow, as for any view."""
    from sqlalchemy import event

    settle(qtbot, window)
    searches: list[str] = []

    def seen(_conn, _cursor, statement, *_a) -> None:
        if "MATCH" in statement or "to_tsquery" in statement:
            searches.append(statement)

    engine = window.ws.db.engine
    event.listen(engine, "before_cursor_execute", seen)
    try:
        window.filters.search.setText("заказ")
        window.filters._search_now()
        settle(qtbot, window)
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    expected = qs.fetch_ids(window.ws, window.current_spec())
    assert expected and window.model.ids() == expected and not window.model.is_partial()
    assert window.count_label.text().startswith(str(len(expected)))
    assert window.ws.db.is_sqlite
    assert len(searches) == 3, searches  # head (LIMIT), count, list
    assert "LIMIT" in searches[0], searches[0]


def test_a_new_view_reuses_the_windows_sla_book(qtbot, window, monkeypatch):
    books = []
    real = qs.fetch_head

    def fetch_head(*a, **k):
        books.append(k.get("book"))
        return real(*a, **k)

    monkeypatch.setattr(qs, "fetch_head", fetch_head)
    before = window.model.sla_book()
    assert before is not None  # the first head brought it
    window.views.select("waiting")
    settle(qtbot, window)
    assert books == [before], "the head was read with the window's book"
    assert window.model.sla_book() is not None


def test_cells_say_what_each_row_is(qtbot, demo_ws):
    model = filled(demo_ws)
    seen_new = seen_priority = seen_tint = False
    for row in range(model.rowCount()):
        line = model.line(row)
        assert line is not None
        data, cd = line.row, line.countdown()
        texts = [model.data(model.index(row, c)) for c in range(len(COLUMNS))]
        assert texts == list(line.texts)
        assert texts[COLUMNS.index("tid")] == data.tid and texts[DUE] == time_left_text(cd)
        tips = [model.data(model.index(row, c), Qt.ItemDataRole.ToolTipRole) for c in range(len(COLUMNS))]
        assert tips == [t or None for t in line.tooltips]
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
        assert model.data(model.index(row, 1), Qt.ItemDataRole.TextAlignmentRole) is None
        assert not model.flags(model.index(row, 1)) & Qt.ItemFlag.ItemIsEditable
    assert seen_new and seen_priority and seen_tint, "the demo has each kind of row"
    header = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(len(COLUMNS))]
    assert header[0] == "Ticket" and header[DUE] == "Time left"
    assert model.headerData(DUE, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)


def test_tick_recolours_the_countdown_cells(qtbot, demo_ws, demo_clock):
    model = filled(demo_ws)
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
        assert model.data(model.index(r, DUE)) == time_left_text(model.countdown(r))  # type: ignore[arg-type]
        tip = model.data(model.index(r, DUE), Qt.ItemDataRole.ToolTipRole)
        assert tip.startswith(model.countdown(r).text + "\nDeadline: ")  # type: ignore[union-attr]
    assert any(states[r] is None for r in breached), "some rows turned red on this tick"


def test_countdowns_on_a_clock_between_minutes_show_no_seconds(qtbot, demo_ws, demo_clock):
    """A real clock is never on a whole minute; the queue ticks every 15 s, so seconds in a
    countdown ('36 h 59 min 38 s') were stale and flickered. Whole minutes, rounded up."""
    demo_clock.advance(seconds=37)
    model = filled(demo_ws)
    texts = [model.data(model.index(r, DUE)) for r in range(model.rowCount())]
    running = [t for t in texts if re.search(r"\d+ (min|h)\b", t)]
    assert running, "the demo has running countdowns"
    assert not [t for t in texts if re.search(r"\d+ s\b", t)]


def test_rows_follow_the_language_read_again_in_the_background(qtbot, window):
    status = COLUMNS.index("status")
    assert not re.search("[а-я]", window.model.index(0, status).data())
    window.set_language("ru")
    settle(qtbot, window)
    line = window.model.line(0)
    assert line is not None
    assert window.model.index(0, status).data() == line.texts[status]
    assert re.search("[а-я]", window.model.index(0, status).data())
    assert window.model.headerData(0, Qt.Orientation.Horizontal) == "Обращение"
    window.set_language("en")
    settle(qtbot, window)
    assert not re.search("[а-я]", window.model.index(0, status).data())
