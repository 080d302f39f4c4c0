"""The team lead's dashboard (R-LEAD-1, R-LEAD-2): numbers, charts, risk lists, reassign, CSV.

The engine (``desktop.services.reads.dashboard``) computes everything; this window only asks for it in
the runner's read lane and paints the answer, so a slow database never freezes the workstation.
It re-reads when opened, when the period or the horizon changes and once a minute while it is on
screen; a request made while one is running is folded into one more pass, never queued up.
Lists have no row cap: the lead sees every ticket at risk, not the first screenful.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSet,
    QChart,
    QChartView,
    QDateTimeAxis,
    QHorizontalBarSeries,
    QLineSeries,
    QValueAxis,
)
from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QDate,
    QDateTime,
    QEvent,
    QMargins,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont, QHideEvent, QPainter, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.sla_format import format_duration
from desktop.domain.tickets import status_name
from desktop.services import tickets
from desktop.services.reads.dashboard import Dashboard, RiskRow, build_dashboard, export_csv
from desktop.services.reads.queue import Choices, choices
from desktop.services.workspace import Workspace
from ui import i18n
from ui.countdown import is_dark, state_foreground
from ui.dialogs.form import FormDialog
from ui.errors import show_error
from ui.workers import Runner

REFRESH_MS = 60_000
#: The period picker's presets, in days counted back from today (today included).
PERIODS = (7, 30, 90)
CUSTOM = 0
RISK_COLUMNS = ("tid", "subject", "assignee", "plan", "target", "deadline", "remaining")
LISTS = ("breached", "at_risk", "forecast")
CHARTS = ("status", "department", "agent", "incoming", "refusals")
_BLUE = QColor("#1f6fb2")


def _state(state: str) -> QColor:
    """A countdown state's text colour on the application's palette (lighter on a dark one)."""
    colour = state_foreground(state, is_dark())
    assert colour is not None
    return colour


def tr(text: str) -> str:
    return QCoreApplication.translate("Dashboard", text)


@dataclass(frozen=True)
class DashboardData:
    """What one background pass hands to the window: the numbers and the names to show them by."""

    dash: Dashboard
    choices: Choices


def load(ws: Workspace, start: date, end: date, hours: int) -> DashboardData:
    return DashboardData(build_dashboard(ws, start, end, hours), choices(ws))


class Labels:
    """Codes (statuses, logins, plans, reasons) as people read them in the current language."""

    def __init__(self, ch: Choices | None, lang: str) -> None:
        self.lang = lang
        self.agents = {c.code: c.label(lang) for c in ch.agents} if ch else {}
        self.plans = {c.code: c.label(lang) for c in ch.plans} if ch else {}
        self.departments = {c.code: c.label(lang) for c in ch.departments} if ch else {}
        self.reasons = {c.code: c.label(lang) for c, _use in ch.reasons} if ch else {}

    def status(self, code: str) -> str:
        try:
            return status_name(code, self.lang)
        except ValueError:
            return code

    def agent(self, login: str | None) -> str:
        if not login or login == "unassigned":
            return tr("Unassigned")
        return self.agents.get(login, login)

    def plan(self, code: str | None) -> str:
        return self.plans.get(code, code) if code else "—"

    def department(self, code: str) -> str:
        return self.departments.get(code, code)

    def reason(self, code: str) -> str:
        return self.reasons.get(code, code) if code and code != "None" else tr("No reason given")

    @staticmethod
    def target(kind: str) -> str:
        return {"reaction": tr("Reaction"), "resolution": tr("Resolution")}.get(kind, kind)

    def remaining(self, minutes: int) -> str:
        text = format_duration(timedelta(minutes=abs(minutes)), self.lang)
        return tr("overdue by {0}").format(text) if minutes < 0 else text


def _deadline(iso: str) -> str:
    return datetime.fromisoformat(iso).astimezone().strftime("%d.%m.%Y %H:%M")


# --- tables ---------------------------------------------------------------------------------------


class RiskModel(QAbstractTableModel):
    """Breached, warning or forecast deadlines: one row per ticket and target, every one of them."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[RiskRow] = []
        self._labels = Labels(None, "en")

    def set_rows(self, rows: Sequence[RiskRow], labels: Labels) -> None:
        self.beginResetModel()
        self._rows, self._labels = list(rows), labels
        self.endResetModel()

    def rows(self) -> list[RiskRow]:
        return list(self._rows)

    def tid(self, row: int) -> str:
        return self._rows[row].tid

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(RISK_COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return {"tid": tr("TID"), "subject": tr("Subject"), "assignee": tr("Assignee"), "plan": tr("Plan"),
                "target": tr("Target"), "deadline": tr("Deadline"), "remaining": tr("Remaining")}[RISK_COLUMNS[section]]

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        r, key = self._rows[index.row()], RISK_COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._cell(r, key)
        if role == Qt.ItemDataRole.ToolTipRole and key == "subject":
            return r.subject
        if role == Qt.ItemDataRole.ForegroundRole and key == "remaining":
            return QBrush(_state("breached" if r.remaining_minutes < 0 else "warning"))
        if role == Qt.ItemDataRole.UserRole:
            return r.tid
        return None

    def _cell(self, r: RiskRow, key: str) -> str:
        lb = self._labels
        return {"tid": r.tid, "subject": r.subject, "assignee": lb.agent(r.assignee), "plan": lb.plan(r.plan),
                "target": lb.target(r.kind), "deadline": _deadline(r.deadline),
                "remaining": lb.remaining(r.remaining_minutes)}[key]

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = RISK_COLUMNS[column]
        sort_key: Callable[[RiskRow], Any]
        if key in ("deadline", "remaining"):
            sort_key = (lambda r: r.remaining_minutes) if key == "remaining" else (lambda r: r.deadline)
        else:
            sort_key = lambda r: self._cell(r, key).casefold()  # noqa: E731
        self.layoutAboutToBeChanged.emit()
        self._rows.sort(key=sort_key, reverse=order == Qt.SortOrder.DescendingOrder)
        self.layoutChanged.emit()


class ActsModel(QAbstractTableModel):
    """Acceptance acts sent and not yet signed, soonest expiry first."""

    KEYS = ("number", "tid", "sent_at", "expires_at")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[dict[str, Any]] = []

    def set_rows(self, rows: Sequence[dict[str, Any]]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def tid(self, row: int) -> str:
        return str(self._rows[row]["tid"])

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.KEYS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return (tr("Act"), tr("TID"), tr("Sent"), tr("Expires"))[section]

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        value = self._rows[index.row()].get(self.KEYS[index.column()])
        if value and self.KEYS[index.column()] in ("sent_at", "expires_at"):
            return _deadline(str(value))
        return "" if value is None else str(value)


# --- charts ---------------------------------------------------------------------------------------


def _chart() -> QChart:
    chart = QChart()
    _theme(chart)
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    chart.setMargins(QMargins(10, 4, 12, 4))
    chart.setBackgroundRoundness(4)
    chart.legend().hide()
    return chart


def _theme(chart: QChart) -> None:
    """Qt Charts' dark theme on a dark palette: its light one drew white cards on a dark window.
    (A theme also resets the title font and the series' colours: the caller sets them after.)"""
    chart.setTheme(QChart.ChartTheme.ChartThemeDark if is_dark() else QChart.ChartTheme.ChartThemeLight)
    font = QFont(chart.titleFont())
    font.setBold(True)
    chart.setTitleFont(font)


def _clear(chart: QChart) -> None:
    chart.removeAllSeries()
    for axis in chart.axes():
        chart.removeAxis(axis)


def _value_axis(top: float) -> QValueAxis:
    """Whole tickets on the scale, at most about five intervals, and room above the longest bar."""
    axis = QValueAxis()
    axis.setLabelFormat("%d")
    top = max(1, int(top))
    step = -(-top // 5)
    intervals = -(-top // step) + (1 if top % step == 0 else 0)
    axis.setRange(0, step * intervals)
    axis.setTickCount(intervals + 1)
    return axis


def fill_bars(chart: QChart, items: Sequence[tuple[str, int]], color: QColor) -> None:
    """Horizontal bars, the first item on top (Qt stacks categories from the bottom up)."""
    _clear(chart)
    shown = list(reversed(items))
    bars = QBarSet(tr("Tickets"))
    bars.setColor(color)
    bars.setLabelColor(QColor("#ffffff"))
    for _label, value in shown:
        bars.append(value)
    series = QHorizontalBarSeries()
    series.append(bars)
    series.setLabelsVisible(True)
    series.setBarWidth(0.65)
    chart.addSeries(series)
    cats = QBarCategoryAxis()
    cats.append([label for label, _ in shown] or ["—"])
    cats.setGridLineVisible(False)
    cats.setTruncateLabels(False)  # a reason or a department is read whole; the bars give way
    values = _value_axis(max((v for _, v in shown), default=0))
    chart.addAxis(cats, Qt.AlignmentFlag.AlignLeft)
    chart.addAxis(values, Qt.AlignmentFlag.AlignBottom)
    series.attachAxis(cats)
    series.attachAxis(values)


def fill_line(chart: QChart, days: Sequence[tuple[str, int]]) -> None:
    """Incoming per day as a line over a date axis, readable for 7 days as well as 90."""
    _clear(chart)
    series = QLineSeries()
    series.setName(tr("Tickets"))
    series.setPointsVisible(len(days) <= 31)
    pen = series.pen()
    pen.setWidth(2)
    pen.setColor(_BLUE)
    series.setPen(pen)
    for day, count in days:
        d = QDate.fromString(day, Qt.DateFormat.ISODate)
        series.append(float(QDateTime(d.startOfDay()).toMSecsSinceEpoch()), float(count))
    chart.addSeries(series)
    axis_x = QDateTimeAxis()
    axis_x.setFormat("dd.MM")
    axis_x.setTickCount(min(8, max(2, len(days))))
    if days:
        axis_x.setRange(QDate.fromString(days[0][0], Qt.DateFormat.ISODate).startOfDay(),
                        QDate.fromString(days[-1][0], Qt.DateFormat.ISODate).startOfDay())
    chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
    axis_y = _value_axis(max((c for _, c in days), default=0))
    chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
    series.attachAxis(axis_x)
    series.attachAxis(axis_y)


def series_total(chart: QChart) -> float:
    """The sum a chart shows: its bar values or line points (what tests compare with the engine)."""
    total = 0.0
    for series in chart.series():
        if isinstance(series, QHorizontalBarSeries):
            total += sum(bs.sum() for bs in series.barSets())
        elif isinstance(series, QLineSeries):
            total += sum(p.y() for p in series.points())
    return total


# --- the window -----------------------------------------------------------------------------------


class Card(QFrame):
    """One headline number with its caption."""

    def __init__(self, key: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"card_{key}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(10, 6, 10, 6)
        lay.setSpacing(0)
        self.value = QLabel("—", self)
        font = QFont(self.value.font())
        font.setPointSizeF(font.pointSizeF() * 1.7)
        font.setBold(True)
        self.value.setFont(font)
        self.caption = QLabel(self)
        self.caption.setWordWrap(True)
        self.caption.setForegroundRole(self.caption.foregroundRole())
        lay.addWidget(self.value)
        lay.addWidget(self.caption)
        lay.addStretch(1)

    def show_value(self, text: str, color: QColor | None = None) -> None:
        self.value.setText(text)
        self.value.setStyleSheet(f"color: {color.name()}" if color is not None else "")


CARDS = ("backlog", "breached", "warning", "forecast", "median", "p90", "compliance", "acts", "inactive")


class DashboardWindow(QWidget):
    """A separate, non-modal window beside the queue; double-clicking a ticket shows it there."""

    ticketChosen = Signal(str)
    ticketsChanged = Signal(list)

    def __init__(self, ws: Workspace, runner: Runner, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("dashboard")
        self.ws = ws
        self.runner = runner
        self.data: DashboardData | None = None
        self.last_dialog: QWidget | None = None
        self._busy = False
        self._again = False
        self.loaded_count = 0

        self.period = QComboBox(self)
        self.period.setObjectName("period")
        for days in PERIODS:
            self.period.addItem("", days)
        self.period.addItem("", CUSTOM)
        self.period.setCurrentIndex(1)
        today = QDate(self._today())
        self.start_edit = self._date_edit("start", today.addDays(-29))
        self.end_edit = self._date_edit("end", today)
        self.horizon = QSpinBox(self)
        self.horizon.setObjectName("horizon")
        self.horizon.setRange(1, 200)
        self.horizon.setValue(8)
        self.refresh_button = QPushButton(self)
        self.export_button = QPushButton(self)
        self.period_label, self.from_label, self.to_label, self.horizon_label = (QLabel(self) for _ in range(4))
        bar = QHBoxLayout()
        for w in (self.period_label, self.period, self.from_label, self.start_edit, self.to_label, self.end_edit):
            bar.addWidget(w)
        bar.addSpacing(16)
        bar.addWidget(self.horizon_label)
        bar.addWidget(self.horizon)
        bar.addStretch(1)
        bar.addWidget(self.refresh_button)
        bar.addWidget(self.export_button)

        self.cards = {key: Card(key, self) for key in CARDS}
        cards = QHBoxLayout()
        cards.setSpacing(6)
        for card in self.cards.values():
            cards.addWidget(card, 1)

        self.charts: dict[str, QChart] = {}
        self.chart_views: dict[str, QChartView] = {}
        chart_box = QWidget(self)
        grid = QGridLayout(chart_box)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(6)
        places = {"status": (0, 0, 1, 2), "department": (0, 2, 1, 2), "agent": (0, 4, 1, 2),
                  "incoming": (1, 0, 1, 3), "refusals": (1, 3, 1, 3)}
        for key in CHARTS:
            chart = _chart()
            view = QChartView(chart, chart_box)
            view.setObjectName(f"chart_{key}")
            view.setRenderHint(QPainter.RenderHint.Antialiasing)
            view.setMinimumHeight(190)
            self.charts[key], self.chart_views[key] = chart, view
            grid.addWidget(view, *places[key])

        self.models: dict[str, RiskModel] = {key: RiskModel(self) for key in LISTS}
        self.tables: dict[str, QTableView] = {}
        self.tabs = QTabWidget(self)
        for key in LISTS:
            table = self._table(key, self.models[key])
            table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
            table.setSortingEnabled(True)
            table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
            hh = table.horizontalHeader()
            for i, width in enumerate((100, 300, 130, 110, 100, 130, 150)):
                table.setColumnWidth(i, width)
            hh.setSectionResizeMode(RISK_COLUMNS.index("subject"), QHeaderView.ResizeMode.Stretch)
            self.tables[key] = table
            self.tabs.addTab(table, "")
        self.acts_model = ActsModel(self)
        self.tables["acts"] = self._table("acts", self.acts_model)
        self.tabs.addTab(self.tables["acts"], "")

        self.reassign_button = QPushButton(self)
        self.reassign_button.setObjectName("reassign")
        self.status = QLabel(self)
        self.status.setObjectName("dashboard_status")
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.reassign_button)
        lists_box = QWidget(self)
        lists_lay = QVBoxLayout(lists_box)
        lists_lay.setContentsMargins(0, 0, 0, 0)
        lists_lay.addWidget(self.tabs, 1)
        lists_lay.addLayout(bottom)

        self.split = QSplitter(Qt.Orientation.Vertical, self)
        self.split.addWidget(chart_box)
        self.split.addWidget(lists_box)
        self.split.setStretchFactor(0, 3)
        self.split.setStretchFactor(1, 2)
        self.split.setChildrenCollapsible(False)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(8, 8, 8, 8)
        outer.setSpacing(8)
        outer.addLayout(bar)
        outer.addLayout(cards)
        outer.addWidget(self.split, 1)

        self.timer = QTimer(self)
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self.refresh)
        self.period.currentIndexChanged.connect(self._period_changed)
        self.start_edit.dateChanged.connect(lambda _d: self.refresh())
        self.end_edit.dateChanged.connect(lambda _d: self.refresh())
        self.horizon.valueChanged.connect(lambda _v: self.refresh())
        self.refresh_button.clicked.connect(self.refresh)
        self.export_button.clicked.connect(self.choose_export_folder)
        self.reassign_button.clicked.connect(self.choose_assignee)
        self.tabs.currentChanged.connect(lambda _i: self._selection_changed())
        self._period_changed()
        self.retranslate()
        self.resize(1400, 950)

    # --- construction helpers -------------------------------------------------------------

    def _date_edit(self, name: str, value: QDate) -> QDateEdit:
        edit = QDateEdit(value, self)
        edit.setObjectName(name)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("dd.MM.yyyy")
        return edit

    def _table(self, key: str, model: QAbstractTableModel) -> QTableView:
        table = QTableView(self)
        table.setObjectName(f"table_{key}")
        table.setModel(model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setAlternatingRowColors(True)
        table.setShowGrid(False)
        table.setWordWrap(False)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.verticalHeader().setVisible(False)
        table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)
        table.horizontalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        table.horizontalHeader().setStretchLastSection(True)
        table.doubleClicked.connect(lambda idx, m=model: self._double_clicked(m, idx))
        table.selectionModel().selectionChanged.connect(lambda _s, _d: self._selection_changed())
        return table

    def retranslate(self) -> None:
        self.setWindowTitle(tr("Dashboard"))
        for i, days in enumerate(PERIODS):
            self.period.setItemText(i, tr("Last {0} days").format(days))
        self.period.setItemText(len(PERIODS), tr("Custom dates"))
        self.period_label.setText(tr("Period:"))
        self.from_label.setText(tr("from"))
        self.to_label.setText(tr("to"))
        self.horizon_label.setText(tr("Forecast for the next"))
        self.horizon.setSuffix(tr(" business hours"))
        self.refresh_button.setText(tr("Refresh"))
        self.export_button.setText(tr("Export CSV…"))
        self.reassign_button.setText(tr("Reassign to…"))
        captions = {
            "backlog": tr("Open backlog"), "breached": tr("Breached now"), "warning": tr("In warning"),
            "forecast": tr("Will breach within {0} business h").format(self.horizon.value()),
            "median": tr("First reaction, median"), "p90": tr("First reaction, 90th percentile"),
            "compliance": tr("SLA compliance"), "acts": tr("Acts awaiting acceptance"),
            "inactive": tr("Auto-closed as inactive"),
        }
        for key, card in self.cards.items():
            card.caption.setText(captions[key])
        self._retitle_tabs()
        for m in self.models.values():
            m.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(RISK_COLUMNS) - 1)
        if self.data is not None:
            self._show(self.data)
        self._selection_changed()

    def _retitle_tabs(self) -> None:
        titles = {"breached": tr("Breached ({0})"), "at_risk": tr("At risk ({0})"),
                  "forecast": tr("Will breach ({0})")}
        for i, key in enumerate(LISTS):
            self.tabs.setTabText(i, titles[key].format(self.models[key].rowCount()))
        self.tabs.setTabText(len(LISTS), tr("Acts awaiting acceptance ({0})").format(self.acts_model.rowCount()))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        elif event.type() in (QEvent.Type.ApplicationPaletteChange, QEvent.Type.PaletteChange):
            self._restyle()
        elif event.type() == QEvent.Type.WindowStateChange:
            self._set_live(self.isVisible() and not self.isMinimized())
        super().changeEvent(event)

    # --- liveness -------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._set_live(not self.isMinimized())

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        self._set_live(False)

    def _set_live(self, live: bool) -> None:
        """Re-read once a minute only while someone can see the numbers; at once when they can again."""
        if live and not self.timer.isActive():
            self.timer.start()
            self.refresh()
        elif not live:
            self.timer.stop()

    # --- reading --------------------------------------------------------------------------

    def _today(self) -> date:
        return self.ws.now().astimezone().date()

    def period_dates(self) -> tuple[date, date]:
        days = int(self.period.currentData())
        if days == CUSTOM:
            start, end = self.start_edit.date().toPython(), self.end_edit.date().toPython()
            assert isinstance(start, date) and isinstance(end, date)
            return (min(start, end), max(start, end))
        end = self._today()
        return end - timedelta(days=days - 1), end

    def _period_changed(self, _index: int = 0) -> None:
        custom = int(self.period.currentData()) == CUSTOM
        self.start_edit.setEnabled(custom)
        self.end_edit.setEnabled(custom)
        self.refresh()

    def _show_preset_dates(self) -> None:
        """A preset rolls with the clock (past midnight "last 7 days" ends today): show its dates."""
        if int(self.period.currentData()) == CUSTOM:
            return
        start, end = self.period_dates()
        for edit, value in ((self.start_edit, start), (self.end_edit, end)):
            edit.blockSignals(True)
            edit.setDate(QDate(value))
            edit.blockSignals(False)

    def refresh(self) -> None:
        """Read everything again in the background; a request during a read makes one more pass."""
        if not self.isVisible():
            return
        if self._busy:
            self._again = True
            return
        self._busy, self._again = True, False
        self._show_preset_dates()
        ws, (start, end), hours = self.ws, self.period_dates(), self.horizon.value()
        self.runner.read(lambda: load(ws, start, end, hours), self._loaded, self._failed)

    def _loaded(self, data: DashboardData) -> None:
        self._busy = False
        self.data = data
        self.loaded_count += 1
        self._show(data)
        if self._again:
            self.refresh()

    def _failed(self, exc: BaseException) -> None:
        self._busy = False
        show_error(self, exc)
        if self._again:
            self.refresh()

    def _restyle(self) -> None:
        """The system went dark or light: charts, cards and lists follow."""
        for chart in getattr(self, "charts", {}).values():  # a change may come before they exist
            _theme(chart)
        data = getattr(self, "data", None)
        if data is not None:
            self._show(data)

    def _show(self, data: DashboardData) -> None:
        d, lb = data.dash, Labels(data.choices, i18n.current())
        self._show_cards(d, lb)
        # Horizontal bars, largest on top: category names stay readable in both languages.
        fill_bars(self.charts["status"], [(lb.status(k), v) for k, v in _largest(d.backlog_by_status)], _BLUE)
        fill_bars(self.charts["department"],
                  [(lb.department(k), v) for k, v in _largest(d.backlog_by_department)], QColor("#00897b"))
        fill_bars(self.charts["agent"], [(lb.agent(k), v) for k, v in _largest(d.backlog_by_agent)],
                  QColor("#5e35b1"))
        fill_line(self.charts["incoming"], d.incoming_per_day)
        fill_bars(self.charts["refusals"], [(lb.reason(k), v) for k, v in _largest(d.refusals_by_reason)],
                  QColor("#ad1457"))
        start, end = d.start.strftime("%d.%m.%Y"), d.end.strftime("%d.%m.%Y")
        titles = {
            "status": tr("Backlog by status"), "department": tr("Backlog by department"),
            "agent": tr("Backlog by agent"),
            "incoming": tr("Incoming per day, {0} – {1}: {2}").format(start, end, sum(c for _, c in d.incoming_per_day)),
            "refusals": tr("Refusals by reason: {0}").format(sum(d.refusals_by_reason.values())),
        }
        for key, chart in self.charts.items():
            chart.setTitle(titles[key])
        for key in LISTS:
            self._keep_selection(key, getattr(d, key), lb)
        self.acts_model.set_rows(d.acts_awaiting)
        self._retitle_tabs()
        self.status.setText(tr("Updated {0} · reaction times from {1} replies, compliance over {2} deadlines")
                            .format(datetime.fromisoformat(d.now).astimezone().strftime("%d.%m.%Y %H:%M"),
                                    d.reactions_measured, d.sla_met + d.sla_missed))

    def _show_cards(self, d: Dashboard, lb: Labels) -> None:
        c = self.cards
        breached, warning = len({r.tid for r in d.breached}), len({r.tid for r in d.at_risk})
        forecast = len({r.tid for r in d.forecast})
        c["backlog"].show_value(str(sum(d.backlog_by_status.values())))
        c["breached"].show_value(str(breached), _state("breached") if breached else None)
        c["warning"].show_value(str(warning), _state("warning") if warning else None)
        c["forecast"].show_value(str(forecast), _state("warning") if forecast else None)
        c["forecast"].caption.setText(tr("Will breach within {0} business h").format(d.forecast_hours))
        for key, minutes in (("median", d.first_reaction_median_minutes), ("p90", d.first_reaction_p90_minutes)):
            c[key].show_value("—" if minutes is None else _minutes(minutes, lb.lang))
        pct = d.sla_compliance_pct
        c["compliance"].show_value("—" if pct is None else f"{pct:.1f} %",
                                   None if pct is None else _state("breached" if pct < 90 else "ok"))
        c["acts"].show_value(str(len(d.acts_awaiting)))
        c["inactive"].show_value(str(d.auto_closed_inactive))

    def _keep_selection(self, key: str, rows: Sequence[RiskRow], labels: Labels) -> None:
        """A periodic refresh must not drop the rows the lead has picked for reassigning."""
        chosen = set(self.selected_tids(key))
        self.models[key].set_rows(rows, labels)
        table, model = self.tables[key], self.models[key]
        if not chosen:
            return
        sm = table.selectionModel()
        for row in range(model.rowCount()):
            if model.tid(row) in chosen:
                sm.select(model.index(row, 0), sm.SelectionFlag.Select | sm.SelectionFlag.Rows)

    # --- choosing, reassigning, exporting ---------------------------------------------------

    def current_list(self) -> str:
        i = self.tabs.currentIndex()
        return LISTS[i] if 0 <= i < len(LISTS) else "acts"

    def selected_tids(self, key: str | None = None) -> list[str]:
        key = key or self.current_list()
        table = self.tables[key]
        model = table.model()
        assert isinstance(model, RiskModel | ActsModel)
        rows = sorted({i.row() for i in table.selectionModel().selectedRows()})
        return list(dict.fromkeys(model.tid(r) for r in rows))

    def select_rows(self, key: str, rows: Sequence[int]) -> None:
        """Select rows of a list as the lead would with Ctrl+click (tests, keyboard users)."""
        self.tabs.setCurrentIndex(LISTS.index(key) if key in LISTS else len(LISTS))
        table = self.tables[key]
        sm = table.selectionModel()
        sm.clearSelection()
        for row in rows:
            sm.select(table.model().index(row, 0), sm.SelectionFlag.Select | sm.SelectionFlag.Rows)

    def _selection_changed(self) -> None:
        n = len(self.selected_tids())
        self.reassign_button.setEnabled(n > 0)
        self.reassign_button.setToolTip(tr("Selected tickets: {0}").format(n) if n else
                                        tr("Select tickets in the list first"))

    def _double_clicked(self, model: RiskModel | ActsModel, index: QModelIndex) -> None:
        if index.isValid():
            self.ticketChosen.emit(model.tid(index.row()))

    def choose_assignee(self) -> FormDialog | None:
        tids = self.selected_tids()
        if not tids:
            return None
        lang = i18n.current()
        dlg = FormDialog(self, tr("Reassign — {0}").format(", ".join(tids[:5]) + (" …" if len(tids) > 5 else "")),
                         tr("Selected tickets: {0}").format(len(tids)), ok_text=tr("Reassign"))
        agents: list[tuple[Any, str]] = [("", tr("Nobody"))]
        if self.data is not None:
            agents += [(a.code, a.label(lang)) for a in self.data.choices.agents]
        dlg.add_combo("agent", tr("Agent:"), agents)
        dlg.accepted.connect(lambda: self.reassign(tids, dlg.value("agent") or None))
        dlg.open()
        self.last_dialog = dlg
        return dlg

    def reassign(self, tids: Sequence[str], login: str | None) -> None:
        """Assign each ticket in the write lane (in order, one transaction each), then re-read."""
        ws, chosen = self.ws, list(tids)

        def work() -> list[str]:
            for tid in chosen:
                tickets.assign(ws, tid, login)
            return chosen

        def done(result: list[str]) -> None:
            self.status.setText(tr("Reassigned: {0}").format(", ".join(result)))
            self.ticketsChanged.emit(result)
            self.refresh()

        def failed(exc: BaseException) -> None:
            show_error(self, exc)
            self.ticketsChanged.emit(chosen)
            self.refresh()

        self.runner.write(work, done, failed)

    def choose_export_folder(self) -> QFileDialog:
        dlg = QFileDialog(self, tr("Export the dashboard to a folder"))
        dlg.setFileMode(QFileDialog.FileMode.Directory)
        dlg.setOption(QFileDialog.Option.ShowDirsOnly, True)
        dlg.fileSelected.connect(lambda folder: self.export_to(Path(folder)))
        dlg.open()
        self.last_dialog = dlg
        return dlg

    def export_to(self, folder: Path) -> None:
        """Write what is on screen (the same numbers the lead sees), one CSV per section."""
        if self.data is None:
            return
        dash = self.data.dash
        self.runner.read(lambda: export_csv(dash, folder),
                         lambda paths: self.status.setText(
                             tr("Exported {0} files to {1}").format(len(paths), str(folder))),
                         lambda exc: show_error(self, exc))


def _largest(counts: dict[str, int]) -> list[tuple[str, int]]:
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


def _minutes(value: float, lang: str) -> str:
    """Working minutes as hours and minutes; a reply within the first minute is not "0 min"."""
    if 0 < value < 1:
        return tr("under a minute")
    return format_duration(timedelta(minutes=round(value)), lang)
