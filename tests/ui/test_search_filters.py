"""Search and filters through the filter bar and the saved views (R-UI-1, R-UI-3)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from desktop.services.reads import listing
from desktop.services.reads import queue as qs
from tests.ui.conftest import settle


def shown(win) -> list:
    return [win.model.row_data(r) for r in range(win.model.rowCount())]


def test_view_counts_match_the_views(qtbot, window, demo_ws):
    counts = qs.view_counts(demo_ws)
    for key in qs.VIEWS:
        assert window.views.count_of(key) == counts[key]
        window.views.select(key)
        settle(qtbot, window)
        assert window.model.rowCount() == counts[key], key
    assert counts["all"] == len(listing.list_tickets(demo_ws))


def test_saved_views_select_what_they_say(qtbot, window, demo_ws):
    window.views.select("waiting")
    settle(qtbot, window)
    assert {r.status for r in shown(window)} == {"waiting_client"}
    window.views.select("unassigned")
    settle(qtbot, window)
    assert all(r.assignee_login is None for r in shown(window))
    window.views.select("mine")
    settle(qtbot, window)
    assert {r.assignee_login for r in shown(window)} == {"anna"}
    window.views.select("breaching")
    settle(qtbot, window)
    assert shown(window)
    for row in range(window.model.rowCount()):
        assert window.countdown_cell(row)[1] in ("warning", "breached")


def test_search_cyrillic_words_in_messages(qtbot, window):
    window.filters.search.setText("заказ")  # set directly: keyClicks with Cyrillic kills Qt
    settle(qtbot, window)
    rows = shown(window)
    assert rows
    assert len(rows) < window.views.count_of("all")


def test_search_by_ticket_number_typed(qtbot, window):
    window.filters.search.clear()
    qtbot.keyClicks(window.filters.search, "TID-000007")
    QTest.keyClick(window.filters.search, Qt.Key.Key_Return)
    settle(qtbot, window)
    assert [r.tid for r in shown(window)] == ["TID-000007"]
    window.filters.search.setText("7")
    settle(qtbot, window)
    assert "TID-000007" in [r.tid for r in shown(window)]


def test_search_client_name_and_nothing_found(qtbot, window):
    window.filters.search.setText("Ромашка")
    settle(qtbot, window)
    assert {r.client for r in shown(window)} == {"ООО «Ромашка»"}
    window.filters.search.setText("нетакогословавпочте")
    settle(qtbot, window)
    assert window.model.rowCount() == 0
    # The ticket on show stays, saying it is not in what the search found.
    assert window.detail.data is not None and not window.detail.out_of_view.isHidden()


def test_filters_status_department_assignee_plan_sla(qtbot, window):
    f = window.filters
    f.set_filter("status", "in_progress")
    settle(qtbot, window)
    assert {r.status for r in shown(window)} == {"in_progress"}
    f.set_filter("status", None)
    f.set_filter("department", "consultations")
    settle(qtbot, window)
    assert {r.department_en for r in shown(window)} == {"Consultations"}
    f.set_filter("department", None)
    f.set_filter("assignee", "olga")
    settle(qtbot, window)
    assert {r.assignee_login for r in shown(window)} == {"olga"}
    f.set_filter("assignee", "")
    settle(qtbot, window)
    assert {r.assignee_login for r in shown(window)} == {None}
    f.set_filter("assignee", None)
    f.set_filter("plan", "premium")
    settle(qtbot, window)
    assert {r.plan_en for r in shown(window)} == {"Premium"}
    f.set_filter("plan", None)
    f.set_filter("sla", "paused")
    settle(qtbot, window)
    assert shown(window) and {window.countdown_cell(r)[1] for r in range(window.model.rowCount())} == {"paused"}
    f.set_filter("sla", "ok")
    settle(qtbot, window)
    assert {window.countdown_cell(r)[1] for r in range(window.model.rowCount())} == {"ok"}


def test_selection_survives_a_refresh(qtbot, window):
    assert window.select_tid("TID-000005")
    settle(qtbot, window)
    window.refresh()
    settle(qtbot, window)
    assert window.model.row_data(window.table.currentIndex().row()).tid == "TID-000005"
