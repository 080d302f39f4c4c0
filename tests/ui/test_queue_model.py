"""The queue model under Qt's own model checker; it holds prepared items page by page, Qt paints
them without a call into Python, and it never reads the database itself."""

from __future__ import annotations

import sys
import threading

from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItemModel

from desktop.services.reads import queue as qs
from tests.ui.conftest import settle
from ui import queue_model
from ui.queue_model import COLUMNS, DUE, QueueModel


def filled(ws, spec: qs.QueueSpec | None = None, lang: str = "en") -> QueueModel:
    """A model showing a whole view, its pages read here as the window's worker would."""
    model = QueueModel(ws.now)
    book = qs.sla_book(ws)
    ids = qs.fetch_ids(ws, spec or qs.QueueSpec())
    model.set_ids(ids, book)
    for page, page_ids in model.missing_pages(0, len(ids) - 1):
        model.put_page(model.epoch, page, qs.fetch_page(ws, page_ids, lang, book))
    return model


def test_model_passes_qt_model_tester_empty_filled_sorted_refreshed(qtbot, qtmodeltester, window):
    empty = QueueModel(window.ws.now)
    qtmodeltester.check(empty)
    model = window.model
    assert model.rowCount() > 40 and model.columnCount() == len(COLUMNS)
    qtmodeltester.check(model)
    model.sort(COLUMNS.index("client"), Qt.SortOrder.DescendingOrder)
    settle(qtbot, window)
    qtmodeltester.check(model)
    window.refresh_all()
    settle(qtbot, window)
    qtmodeltester.check(model)
    model.set_ids([])
    qtmodeltester.check(model)


def test_a_filled_model_passes_the_tester_through_ticks_and_fresh_lines(qtbot, qtmodeltester, demo_ws, demo_clock):
    model = filled(demo_ws)
    qtmodeltester.check(model)
    demo_clock.advance(days=3)
    assert model.tick(0, model.rowCount() - 1) > 0
    ids = model.ids()[:3]
    model.put_lines(qs.fetch_page(demo_ws, ids, "ru"))
    qtmodeltester.check(model)


def test_qt_paints_the_queue_without_calling_python(qtbot, demo_ws):
    """No ``data()`` of ours, no delegate of ours: repainting the queue's table (as the window
    sets it up) runs no Python function at all, however many cells it paints."""
    from PySide6.QtWidgets import QWidget

    from ui.queue_table import queue_table

    assert QueueModel.data is QStandardItemModel.data
    assert QueueModel.headerData is QStandardItemModel.headerData
    assert QueueModel.flags is QStandardItemModel.flags
    model = filled(demo_ws)
    host = QWidget()
    qtbot.addWidget(host)
    table = queue_table(model, host)
    assert type(table.itemDelegate()).__name__ == "QStyledItemDelegate"  # Qt's own
    table.resize(1300, 500)
    host.show()
    qtbot.waitExposed(host)
    assert table.rowAt(400) > 10, "a screenful of rows is painted"
    calls: list[str] = []

    def watch(frame, event, _arg):
        if event == "call":
            calls.append(frame.f_code.co_qualname)

    table.viewport().repaint()  # warm
    sys.setprofile(watch)
    try:
        table.viewport().repaint()
    finally:
        sys.setprofile(None)
    assert calls == []


def test_the_model_asks_for_pages_and_holds_only_recent_ones(qtbot, demo_ws, monkeypatch):
    monkeypatch.setattr(queue_model, "PAGE", 5)
    monkeypatch.setattr(queue_model, "CACHE_PAGES", 3)
    book = qs.sla_book(demo_ws)
    ids = qs.fetch_ids(demo_ws, qs.QueueSpec())
    model = QueueModel(demo_ws.now)
    model.set_ids(ids, book)
    assert model.line(0) is None and model.index(0, 0).data() is None  # a neutral placeholder
    wanted = model.missing_pages(6, 8)
    assert [p for p, _ in wanted] == [1] and wanted[0][1] == ids[5:10]
    assert model.missing_pages(6, 8) == [], "asked for once"
    epoch = model.epoch
    assert model.put_page(epoch, 1, qs.fetch_page(demo_ws, ids[5:10], "en", book)) == 5
    assert model.index(6, 0).data() == model.row_data(6).tid
    assert model.put_page(epoch, 1, qs.fetch_page(demo_ws, ids[5:10], "en", book)) == 0, "nothing changed"
    for page in (2, 3, 4):
        model.missing_pages(page * 5, page * 5)
        model.put_page(epoch, page, qs.fetch_page(demo_ws, ids[page * 5: page * 5 + 5], "en", book))
    assert model.line(6) is None and model.index(6, 0).data() is None, "the oldest page was let go"
    assert model.line(10) is not None
    model.set_ids(ids, book)  # a new result: pages asked for before no longer fit
    assert model.put_page(epoch, 2, qs.fetch_page(demo_ws, ids[10:15], "en", book)) == 0
    assert model.line(10) is None


def test_pages_are_read_by_a_worker_when_scrolled_into_view(qtbot, demo_ws, monkeypatch):
    from ui.app import create_window

    monkeypatch.setattr(queue_model, "PAGE", 10)
    threads: list[str] = []
    real = qs.fetch_page

    def fetch_page(*a, **k):
        threads.append(threading.current_thread().name)
        return real(*a, **k)

    monkeypatch.setattr(qs, "fetch_page", fetch_page)
    win = create_window(demo_ws, demo=True, language="en")
    qtbot.addWidget(win)
    win.resize(1400, 900)
    win.show()
    settle(qtbot, win)
    last = win.model.rowCount() - 1
    assert win.model.line(last) is None  # far below the first screen: not read
    win.table.scrollToBottom()
    first_seen, last_seen = win.visible_rows()
    assert last_seen == last
    settle(qtbot, win)
    assert all(win.model.line(r) is not None for r in range(first_seen, last_seen + 1))
    assert threads and threading.main_thread().name not in threads
    win.runner.wait()


def test_default_order_is_priority_clients_first_then_fifo(demo_ws):
    model = filled(demo_ws)
    rows = [model.row_data(r) for r in range(model.rowCount())]
    keys = [(r.priority_rank, r.received_at) for r in rows if r]
    assert len(keys) == model.rowCount()
    assert keys == sorted(keys)
    assert keys[0][0] == 0 and keys[-1][0] == 1


def test_tick_writes_only_the_countdown_cells_that_changed(qtbot, demo_ws, demo_clock):
    model = filled(demo_ws, qs.QueueSpec(view="unassigned"))
    before = [model.data(model.index(r, DUE)) for r in range(model.rowCount())]
    others = [[model.data(model.index(r, c)) for c in range(DUE)] for r in range(model.rowCount())]
    assert model.tick(0, model.rowCount() - 1) == 0, "nothing moved: nothing written"
    demo_clock.advance(minutes=30)
    with qtbot.waitSignal(model.dataChanged) as blocker:
        changed = model.tick(0, model.rowCount() - 1)
    top, bottom = blocker.args[0], blocker.args[1]
    assert top.column() == bottom.column() == DUE
    assert changed > 0
    after = [model.data(model.index(r, DUE)) for r in range(model.rowCount())]
    assert before != after
    assert others == [[model.data(model.index(r, c)) for c in range(DUE)] for r in range(model.rowCount())]


def test_sort_is_asked_of_sql_not_done_in_the_model(qtbot, demo_ws):
    model = filled(demo_ws)
    order = model.ids()
    with qtbot.waitSignal(model.sortRequested) as blocker:
        model.sort(COLUMNS.index("client"), Qt.SortOrder.DescendingOrder)
    assert blocker.args == ["client", True]
    assert model.ids() == order and [model.row_data(r).id for r in range(model.rowCount())] == order


def test_window_header_click_sorts_in_sql(qtbot, window):
    header = window.table.horizontalHeader()
    header.sectionClicked.emit(COLUMNS.index("received"))
    window.model.sort(COLUMNS.index("received"), Qt.SortOrder.DescendingOrder)
    settle(qtbot, window)
    rows = [window.model.row_data(r) for r in range(window.model.rowCount())]
    times = [r.received_at for r in rows if r]
    assert len(times) == window.model.rowCount()
    assert times == sorted(times, reverse=True)


def test_head_first_then_the_full_list_without_a_reset(qtbot, qtmodeltester, demo_ws):
    model = QueueModel(demo_ws.now)
    head = qs.fetch_head(demo_ws, qs.QueueSpec(), 10)
    full = qs.fetch_ids(demo_ws, qs.QueueSpec())
    assert head.total == len(full) and head.ids == full[:10] and set(head.lines) == set(head.ids)
    assert qs.count_view(demo_ws, qs.QueueSpec()) == len(full)
    model.set_ids(head.ids, head.book, total=head.total, lines=head.lines, grow=False)
    assert model.rowCount() == 10 and model.is_partial()
    assert model.missing_pages(0, 9) == [], "the head's rows came with it"
    model.grow()
    assert model.rowCount() == len(full) and model.is_partial()
    qtmodeltester.check(model)
    assert model.data(model.index(3, 0)) == head.lines[head.ids[3]].row.tid
    assert model.data(model.index(len(full) - 1, 0)) is None  # not known yet
    resets = []
    model.modelReset.connect(lambda: resets.append(1))
    assert model.complete(full)
    assert not model.is_partial() and resets == []
    assert [p for p, _ in model.missing_pages(0, 9)] == [0], "now the rest of the first page"
    assert not model.complete(full[:-1])  # a list that does not fit the head is refused


def test_the_queue_never_reads_the_database_on_the_gui_thread(qtbot, demo_ws, demo_clock, monkeypatch):
    """Opening the queue, switching views, sorting, searching, scrolling, ticking, refreshing:
    every statement runs on a worker (on a team's server each would be a stall)."""
    from sqlalchemy import event

    from ui.app import create_window

    monkeypatch.setattr(queue_model, "PAGE", 10)  # several pages, so scrolling asks for some
    on_gui: list[str] = []
    on_workers: list[str] = []

    def seen(_conn, _cursor, statement, *_a):
        main = threading.current_thread() is threading.main_thread()
        (on_gui if main else on_workers).append(statement)

    event.listen(demo_ws.db.engine, "before_cursor_execute", seen)
    try:
        win = create_window(demo_ws, demo=True, language="en")
        qtbot.addWidget(win)
        win.resize(1400, 900)
        win.show()
        settle(qtbot, win)
        for view in ("unassigned", "waiting", "all"):
            win.views.select(view)
            settle(qtbot, win)
        win.model.sort(COLUMNS.index("client"), Qt.SortOrder.DescendingOrder)
        settle(qtbot, win)
        win.table.scrollToBottom()
        settle(qtbot, win)
        win.filters.search.setText("заказ")
        win.filters._search_now()
        settle(qtbot, win)
        demo_clock.advance(minutes=30)
        win.tick()
        win.refresh()
        win.refresh_all()
        settle(qtbot, win)
        win.runner.wait()
    finally:
        event.remove(demo_ws.db.engine, "before_cursor_execute", seen)
    assert on_gui == []
    assert len(on_workers) > 20, "the reads were seen, on workers"


def test_writing_rows_leaves_the_reference_counts_of_none_and_true_alone(qtbot, demo_ws, demo_clock, monkeypatch):
    """PySide 6.12 on Python 3.11 drops a reference to None on each call of a method that
    returns nothing, and one to True on each ``emit()``; once enough are gone the interpreter
    deallocates the singleton and aborts (at the latest when it exits). The model writes
    hundreds of cells a page: it must not be one of those callers."""
    monkeypatch.setattr(queue_model, "PAGE", 5)
    monkeypatch.setattr(queue_model, "CACHE_PAGES", 2)
    book = qs.sla_book(demo_ws)
    ids = qs.fetch_ids(demo_ws, qs.QueueSpec())
    model = QueueModel(demo_ws.now)
    model.set_ids(ids, book)
    pages = [(p, qs.fetch_page(demo_ws, ids[p * 5: p * 5 + 5], "en", book)) for p in range(len(ids) // 5)]
    ru = [(p, qs.fetch_page(demo_ws, ids[p * 5: p * 5 + 5], "ru", book)) for p in range(len(ids) // 5)]
    before = sys.getrefcount(None), sys.getrefcount(True)
    for _ in range(5):
        for batch in (pages, ru):  # every row written anew, pages let go as they go
            for page, lines in batch:
                model.missing_pages(page * 5, page * 5)
                model.put_page(model.epoch, page, lines)
        demo_clock.advance(hours=5)
        model.tick(0, model.rowCount() - 1)
        model.restyle()
    after = sys.getrefcount(None), sys.getrefcount(True)
    assert after[0] >= before[0] - 20 and after[1] >= before[1] - 20  # thousands of cells written
