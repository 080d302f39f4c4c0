"""The queue model under Qt's own model checker, and its promise to hold ids, not rows."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QAbstractItemModelTester

from desktop.services.reads import queue as qs
from tests.ui.conftest import settle
from ui.queue_model import COLUMNS, DUE, QueueModel


def _model(ws) -> QueueModel:
    return QueueModel(lambda ids: qs.fetch_rows(ws, ids), ws.now)


def test_model_passes_qt_model_tester(qtbot, demo_ws):
    model = _model(demo_ws)
    tester = QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    ids = qs.fetch_ids(demo_ws, qs.QueueSpec())
    model.set_ids(ids, qs.sla_book(demo_ws))
    assert model.rowCount() == len(ids) > 40
    assert model.columnCount() == len(COLUMNS)
    for row in range(model.rowCount()):
        for col in range(model.columnCount()):
            for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole,
                         Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.FontRole):
                model.data(model.index(row, col), role)
    model.refresh_rows(ids[:3])
    model.tick(0, 20)
    model.set_ids(ids[:10])
    model.set_ids([])
    assert model.rowCount() == 0
    del tester


def test_model_fetches_only_pages_it_shows(demo_ws):
    fetched: list[int] = []

    def fetch(ids):
        fetched.extend(ids)
        return qs.fetch_rows(demo_ws, ids)

    model = QueueModel(fetch, demo_ws.now)
    ids = qs.fetch_ids(demo_ws, qs.QueueSpec())
    model.set_ids(ids * 300)  # 14,000 rows of repeated ids: the model must not read them all
    assert fetched == []
    model.data(model.index(5, 0))
    assert 0 < len(fetched) <= 100
    before = len(fetched)
    model.data(model.index(6, 1))
    assert len(fetched) == before, "a row on a cached page needs no query"


def test_default_order_is_priority_clients_first_then_fifo(demo_ws):
    model = _model(demo_ws)
    model.set_ids(qs.fetch_ids(demo_ws, qs.QueueSpec()))
    rows = [model.row_data(r) for r in range(model.rowCount())]
    keys = [(r.priority_rank, r.received_at) for r in rows if r]
    assert keys == sorted(keys)
    assert keys[0][0] == 0 and keys[-1][0] == 1


def test_tick_repaints_only_the_countdown_column(qtbot, demo_ws, demo_clock):
    model = _model(demo_ws)
    model.set_ids(qs.fetch_ids(demo_ws, qs.QueueSpec(view="unassigned")), qs.sla_book(demo_ws))
    before = [model.data(model.index(r, DUE)) for r in range(model.rowCount())]
    demo_clock.advance(minutes=30)
    with qtbot.waitSignal(model.dataChanged) as blocker:
        changed = model.tick(0, model.rowCount() - 1)
    top, bottom = blocker.args[0], blocker.args[1]
    assert top.column() == bottom.column() == DUE
    assert changed > 0
    after = [model.data(model.index(r, DUE)) for r in range(model.rowCount())]
    assert before != after


def test_sort_is_asked_of_sql_not_done_in_the_model(qtbot, demo_ws):
    model = _model(demo_ws)
    model.set_ids(qs.fetch_ids(demo_ws, qs.QueueSpec()))
    with qtbot.waitSignal(model.sortRequested) as blocker:
        model.sort(COLUMNS.index("client"), Qt.SortOrder.DescendingOrder)
    assert blocker.args == ["client", True]


def test_window_header_click_sorts_in_sql(qtbot, window):
    header = window.table.horizontalHeader()
    header.sectionClicked.emit(COLUMNS.index("received"))
    window.model.sort(COLUMNS.index("received"), Qt.SortOrder.DescendingOrder)
    settle(qtbot, window)
    rows = [window.model.row_data(r) for r in range(window.model.rowCount())]
    times = [r.received_at for r in rows if r]
    assert times == sorted(times, reverse=True)


def test_head_first_then_the_full_list_without_a_reset(qtbot, demo_ws):
    model = _model(demo_ws)
    tester = QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    head = qs.fetch_head(demo_ws, qs.QueueSpec(), 10)
    full = qs.fetch_ids(demo_ws, qs.QueueSpec())
    assert head.total == len(full) and head.ids == full[:10] and set(head.rows) == set(head.ids)
    model.set_ids(head.ids, qs.sla_book(demo_ws), total=head.total, rows=head.rows)
    assert model.rowCount() == len(full) and model.is_partial()
    assert model.data(model.index(3, 0)) == head.rows[head.ids[3]].tid
    assert model.data(model.index(len(full) - 1, 0)) is None  # not known yet
    resets = []
    model.modelReset.connect(lambda: resets.append(1))
    assert model.complete(full)
    assert not model.is_partial() and resets == []
    assert model.data(model.index(len(full) - 1, 0)) is not None
    assert not model.complete(full[:-1])  # a list that does not fit the head is refused
    del tester
