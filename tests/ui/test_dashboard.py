"""The team lead's dashboard on demo data at the pinned clock (R-LEAD-1, R-LEAD-2): the window
shows what the engine computes, its charts add up, and reassigning, exporting and jumping to a
ticket go through to the database and the main window."""

from __future__ import annotations

import csv
import os
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt

from desktop.services.reads import listing
from desktop.services.reads.dashboard import SECTIONS, build_dashboard
from tests.ui.conftest import dark_palette, settle
from ui.dashboard.charts import series_total
from ui.dashboard.tables import LISTS
from ui.dashboard.window import DashboardWindow


@pytest.fixture
def dash(qtbot, window) -> DashboardWindow:
    d = window.dashboard_entry.open()
    d.resize(1400, 950)
    qtbot.waitUntil(lambda: d.loaded_count >= 1, timeout=10_000)
    settle(qtbot, window)
    return d


def engine(ws, d: DashboardWindow):
    start, end = d.period_dates()
    return build_dashboard(ws, start, end, d.horizon.value())


def test_opens_from_the_view_menu_with_a_shortcut(qtbot, window):
    act = window.dashboard_entry.action
    assert act in window.view_menu.actions()
    assert act.shortcut().toString() == "Ctrl+Shift+L"
    act.trigger()
    d = window.dashboard_entry.dashboard
    assert d is not None and d.isVisible() and not d.isModal()
    qtbot.waitUntil(lambda: d.loaded_count >= 1)
    assert d.timer.isActive()  # refreshes every minute while on screen …
    d.hide()
    assert not d.timer.isActive()  # … and not at all while hidden
    settle(qtbot, window)


def test_numbers_are_the_engines(qtbot, window, dash, demo_ws):
    start, end = dash.period_dates()
    assert (end - start).days == 29 and end == demo_ws.now().astimezone().date()
    e = engine(demo_ws, dash)
    cards = {k: c.value.text() for k, c in dash.cards.items()}
    assert cards["backlog"] == str(sum(e.backlog_by_status.values())) == "32"
    # The counts the views panel shares come from their one definition (reads.counts); the
    # lists under the charts name the same tickets.
    assert cards["breached"] == str(e.counts["breached"]) == str(len({r.tid for r in e.breached}))
    assert cards["warning"] == str(e.counts["warning"]) == str(len({r.tid for r in e.at_risk}))
    assert cards["forecast"] == str(len({r.tid for r in e.forecast}))
    assert cards["compliance"] == f"{e.sla_compliance_pct:.1f}%"  # English: no space; "93,8 %" in Russian
    assert cards["p90"] == f"{round(e.first_reaction_p90_minutes)} min"
    assert cards["acts"] == str(e.counts["awaiting_acceptance"]) == str(window.views.count_of("acceptance"))
    assert cards["inactive"] == str(e.auto_closed_inactive)
    for key in LISTS:
        model = dash.lists.models[key]
        assert [r.tid for r in model.rows()] == [r.tid for r in getattr(e, key)], key
        assert model.rowCount() == len(getattr(e, key))
    row = e.breached[0]
    cells = [dash.lists.models["breached"].index(0, c).data() for c in range(7)]
    assert cells[0] == row.tid and cells[1] == row.subject and cells[4] == "Reaction"
    assert cells[6].startswith("overdue by ")

    # A longer horizon forecasts more deadlines; the window follows the engine.
    dash.horizon.setValue(40)
    qtbot.waitUntil(lambda: dash.data is not None and dash.data.dash.forecast_hours == 40)
    settle(qtbot, window)
    e40 = engine(demo_ws, dash)
    assert len(e40.forecast) > len(e.forecast)
    assert [r.tid for r in dash.lists.models["forecast"].rows()] == [r.tid for r in e40.forecast]
    assert "40" in dash.cards["forecast"].caption.text()


def test_each_sla_number_says_its_time_basis_and_what_it_left_out(qtbot, window, dash, demo_ws):
    e = engine(demo_ws, dash)
    median = dash.cards["median"].note.text()
    assert "of working time ·" in median and "by the clock" in median
    assert f"{e.reactions_measured} tickets measured" in median
    compliance = dash.cards["compliance"].note.text()
    assert compliance.startswith(f"{e.sla_met} met, {e.sla_missed} missed · ")
    left_out = [x for x in e.compliance_excluded if x.tickets]
    if left_out:  # every count left out is named, with its reason in the tooltip
        assert "Not counted: " in compliance
        for x in left_out:
            assert str(x.tickets) in compliance
        assert len(dash.cards["compliance"].toolTip().splitlines()) == len(left_out)
    else:
        assert "Nothing left out" in compliance
    remaining = dash.lists.models["breached"].index(0, 6).data()
    assert " by the clock" in remaining
    window.set_language("ru")
    settle(qtbot, window)
    try:
        assert "рабочего времени ·" in dash.cards["median"].note.text()
        assert "по часам" in dash.cards["median"].note.text()
        assert "выполнено" in dash.cards["compliance"].note.text()
    finally:
        window.set_language("en")
        settle(qtbot, window)


def test_charts_add_up(qtbot, window, dash, demo_ws):
    e = engine(demo_ws, dash)
    assert series_total(dash.charts["status"]) == sum(e.backlog_by_status.values())
    assert series_total(dash.charts["department"]) == sum(e.backlog_by_department.values())
    assert series_total(dash.charts["agent"]) == sum(e.backlog_by_agent.values())
    assert series_total(dash.charts["incoming"]) == sum(n for _, n in e.incoming_per_day) > 0
    assert series_total(dash.charts["refusals"]) == sum(e.refusals_by_reason.values()) > 0
    status_axis = dash.charts["status"].axes(Qt.Orientation.Vertical)[0]
    assert status_axis.categories()[-1] == "New"  # the largest group on top
    assert len(dash.charts["incoming"].series()[0].points()) == 30

    dash.period.setCurrentIndex(0)  # last 7 days
    qtbot.waitUntil(lambda: dash.data is not None and (dash.data.dash.end - dash.data.dash.start).days == 6)
    settle(qtbot, window)
    assert len(dash.charts["incoming"].series()[0].points()) == 7
    e7 = engine(demo_ws, dash)
    assert series_total(dash.charts["incoming"]) == sum(n for _, n in e7.incoming_per_day)

    dash.period.setCurrentIndex(3)  # custom dates
    assert dash.start_edit.isEnabled()
    end = demo_ws.now().astimezone().date()
    dash.start_edit.setDate(end - timedelta(days=2))
    qtbot.waitUntil(lambda: dash.data is not None and (dash.data.dash.end - dash.data.dash.start).days == 2)
    settle(qtbot, window)
    assert len(dash.charts["incoming"].series()[0].points()) == 3


def test_reassign_selected_rows(qtbot, window, dash, demo_ws):
    rows = dash.lists.models["forecast"].rows()
    chosen = list(dict.fromkeys(r.tid for r in rows[:3]))
    assert all(listing.ticket_detail(demo_ws, t)["assignee"] != "olga" for t in chosen)
    dash.lists.select_rows("forecast", range(3))
    assert dash.lists.reassign_button.isEnabled()
    assert dash.lists.selected_tids() == chosen
    dlg = dash.lists.choose_assignee()
    assert dlg is not None
    combo = dlg.fields["agent"]
    combo.setCurrentIndex(combo.findData("olga"))
    before = dash.loaded_count
    dlg.accept()
    qtbot.waitUntil(lambda: dash.loaded_count > before)
    settle(qtbot, window)
    for tid in chosen:
        assert listing.ticket_detail(demo_ws, tid)["assignee"] == "olga"
    shown = {r.tid: r.assignee for r in dash.lists.models["forecast"].rows()}
    assert all(shown[t] == "olga" for t in chosen if t in shown)
    assert dash.lists.selected_tids("forecast") == [t for t in chosen if t in shown]  # kept across refresh


def test_export_csv(qtbot, window, dash, tmp_path: Path):
    out = tmp_path / "export"
    out.mkdir()
    qtbot.mouseClick(dash.export_button, Qt.MouseButton.LeftButton)
    dlg = dash.last_dialog
    dlg.setDirectory(str(out))
    dlg.accept()
    settle(qtbot, window)
    qtbot.waitUntil(lambda: "Exported" in dash.lists.status.text())
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{s}.csv" for s in SECTIONS)
    with (out / "breached.csv").open(encoding="utf-8-sig") as fh:
        rows = list(csv.reader(fh))
    assert rows[0][0] == "tid"
    assert [r[0] for r in rows[1:]] == [r.tid for r in dash.data.dash.breached]


def _double_click(qtbot, dash: DashboardWindow, key: str, row: int) -> str:
    dash.lists.tabs.setCurrentIndex(LISTS.index(key))
    table = dash.lists.tables[key]
    rect = table.visualRect(table.model().index(row, 0))
    # A double click is a press, a release and a second press, as the view expects.
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(rect.center()))
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(rect.center()))
    return str(table.model().index(row, 0).data())


def test_double_click_selects_the_ticket(qtbot, window, dash):
    # The ticket is not in the agent's current view: the queue goes to "All", found by TID.
    window.views.select("waiting")
    settle(qtbot, window)
    with qtbot.waitSignal(dash.ticketChosen) as sig:
        tid = _double_click(qtbot, dash, "breached", 0)
    assert sig.args == [tid]
    qtbot.waitUntil(lambda: window.detail.data is not None and window.detail.data.tid == tid)
    settle(qtbot, window)
    assert window.views.current_view() == "all"
    assert window.model.row_data(window.table.currentIndex().row()).tid == tid

    # Now in view: selected in place, the search untouched.
    window.filters.search.clear()
    settle(qtbot, window)
    other = _double_click(qtbot, dash, "at_risk", 0)
    assert other != tid
    qtbot.waitUntil(lambda: window.detail.data is not None and window.detail.data.tid == other)
    settle(qtbot, window)
    assert window.filters.search.text() == ""
    assert window.model.row_data(window.table.currentIndex().row()).tid == other


def test_russian(qtbot, window, dash):
    window.set_language("ru")
    settle(qtbot, window)
    assert dash.windowTitle() == "Панель руководителя"
    assert window.dashboard_entry.action.text() == "Панель руководителя"
    assert dash.lists.tabs.tabText(0).startswith("Просрочено")
    status_axis = dash.charts["status"].axes(Qt.Orientation.Vertical)[0]
    assert status_axis.categories()[-1] == "Новое"
    assert dash.cards["p90"].value.text().endswith("мин")
    qtbot.waitUntil(lambda: "," in dash.cards["compliance"].value.text())
    assert dash.cards["compliance"].value.text().endswith("\u00a0%")  # "93,8 %", as Russian writes it
    window.set_language("en")
    settle(qtbot, window)
    assert dash.windowTitle() == "Dashboard"


def test_follows_a_dark_palette(qtbot, window, dash):
    """Charts take Qt Charts' dark theme and the lists and cards the lighter state tones when the
    system turns dark (white chart cards and deep reds on a dark window before), and back."""
    from PySide6.QtCharts import QChart
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication

    from ui.countdown import state_foreground

    model = dash.lists.models["breached"]
    assert model.rowCount()

    def remaining_colour():
        column = next(c for c in range(model.columnCount()) if model.data(model.index(0, c), Qt.ItemDataRole.ForegroundRole))
        return model.data(model.index(0, column), Qt.ItemDataRole.ForegroundRole).color()

    assert all(c.theme() == QChart.ChartTheme.ChartThemeLight for c in dash.charts.values())
    assert remaining_colour() == state_foreground("breached")
    light = QGuiApplication.palette()
    try:
        QApplication.setPalette(dark_palette())
        qtbot.waitUntil(lambda: all(c.theme() == QChart.ChartTheme.ChartThemeDark for c in dash.charts.values()))
        assert remaining_colour() == state_foreground("breached", True)
        assert all(c.titleFont().bold() for c in dash.charts.values())
        assert all(c.series() for c in dash.charts.values()), "the data is drawn again after the theme"
    finally:
        QApplication.setPalette(light)
    qtbot.waitUntil(lambda: all(c.theme() == QChart.ChartTheme.ChartThemeLight for c in dash.charts.values()))


def test_screenshot(qtbot, window, dash, tmp_path: Path):
    """The picture in resources/screenshots (written there with REGLAMENT_SCREENSHOTS=DIR)."""
    from PySide6.QtGui import QImage

    dash.lists.select_rows("forecast", [1])
    out = tmp_path / "dashboard.png"
    assert dash.grab().save(str(out))
    extra = os.environ.get("REGLAMENT_SCREENSHOTS")
    if extra:
        Path(extra).mkdir(parents=True, exist_ok=True)
        dash.grab().save(str(Path(extra) / "dashboard.png"))
    img = QImage(str(out))
    assert (img.width(), img.height()) == (dash.width(), dash.height())
    colours = {img.pixel(x, y) for x in range(0, img.width(), 7) for y in range(0, img.height(), 7)}
    assert len(colours) > 20  # bars, text, tints: not a blank window


def test_every_model_of_the_dashboard_passes_the_model_tester(qtbot, qtmodeltester, dash, demo_ws):
    """Qt's own checks of the model contract (indexes, parents, roles, row counts) on every list
    the dashboard shows, filled with the demo's rows, then sorted, then empty."""
    from desktop.services import acts
    from ui.dashboard.tables import ActsModel, RiskModel

    tid = listing.list_tickets(demo_ws, "resolved")[0]["tid"]  # an act awaiting the client's word
    acts.issue_act(demo_ws, tid)
    acts.send_act(demo_ws, tid)
    before = dash.loaded_count
    dash.refresh()
    qtbot.waitUntil(lambda: dash.loaded_count > before)
    models = [*dash.lists.models.values(), dash.lists.acts_model]
    assert all(m.rowCount() for m in models), "every list has rows"
    for model in models:
        qtmodeltester.check(model)
    for model in dash.lists.models.values():
        model.sort(0, Qt.SortOrder.DescendingOrder)
        qtmodeltester.check(model)
    empty_risk, empty_acts = RiskModel(), ActsModel()
    qtmodeltester.check(empty_risk)
    qtmodeltester.check(empty_acts)


def test_the_window_does_not_load_the_charts_until_the_dashboard_opens():
    """Start-up imports the main window and the dashboard's menu entry, not Qt Charts."""
    import subprocess
    import sys

    code = ("import sys, ui.main_window, ui.dashboard_menu; "
            "print(sorted(m for m in sys.modules if 'QtCharts' in m or m.startswith('ui.dashboard.')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    assert out.stdout.strip() == "[]", out.stdout
