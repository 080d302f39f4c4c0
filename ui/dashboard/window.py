"""The dashboard's window: the period and forecast bar, and the panels it refreshes together —
cards, charts and lists — from one background read; exporting what is on screen to CSV."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from PySide6.QtCharts import QChart, QChartView
from PySide6.QtCore import QDate, QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QHideEvent, QPainter, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desktop import times
from desktop.services.reads.dashboard import Dashboard, build_dashboard, export_csv
from desktop.services.reads.queue import Choices, choices
from desktop.services.workspace import Workspace
from ui import i18n
from ui.dashboard.cards import CARDS, Card, captions, show_cards
from ui.dashboard.charts import CHARTS, new_chart, show_charts, theme
from ui.dashboard.labels import Labels, tr
from ui.dashboard.lists import RiskLists
from ui.dashboard.warnings_line import WarningsLine
from ui.errors import show_error
from ui.progress import ProgressModel, ThreadSteps
from ui.screen_fit import fit_to_screen
from ui.workers import Runner

REFRESH_MS = 60_000
#: The period picker's presets, in days counted back from today (today included).
PERIODS = (7, 30, 90)
CUSTOM = 0


@dataclass(frozen=True)
class DashboardData:
    """What one background pass hands to the window: the numbers and the names to show them by."""

    dash: Dashboard
    choices: Choices


def load(ws: Workspace, start: date, end: date, hours: int,
         progress: Callable[[int, int], object] | None = None) -> DashboardData:
    return DashboardData(build_dashboard(ws, start, end, hours, progress), choices(ws))


#: The height a chart needs for its title, bars and axis labels.
CHART_MIN_HEIGHT = 220


class DashboardWindow(QWidget):
    """A separate, non-modal window beside the queue; double-clicking a ticket shows it there."""

    ticketChosen = Signal(str)
    ticketsChanged = Signal(list)

    def __init__(self, ws: Workspace, runner: Runner, parent: QWidget | None = None,
                 progress: ProgressModel | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("dashboard")
        self.ws = ws
        self.runner = runner
        #: Where a long build and a bulk reassign show how far they are (the main window's
        #: status bar and the lists' own line).
        self.progress = progress
        self._steps: ThreadSteps | None = None
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
        day = self._today()
        today = QDate(day.year, day.month, day.day)
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
            chart = new_chart()
            view = QChartView(chart, chart_box)
            view.setObjectName(f"chart_{key}")
            view.setRenderHint(QPainter.RenderHint.Antialiasing)
            view.setMinimumHeight(CHART_MIN_HEIGHT)
            self.charts[key], self.chart_views[key] = chart, view
            grid.addWidget(view, *places[key])

        self.lists = RiskLists(ws, runner, self, progress)
        self.lists.ticketChosen.connect(self.ticketChosen)
        self.lists.ticketsChanged.connect(self.ticketsChanged)
        self.lists.ticketsChanged.connect(lambda _tids: self.refresh())

        # On a small screen the charts keep a readable height and scroll, rather than squeeze
        # their axis labels away (1280×720 left each row ~150 px).
        chart_box.setMinimumHeight(2 * CHART_MIN_HEIGHT + grid.spacing())
        charts_area = QScrollArea(self)
        charts_area.setObjectName("charts_area")
        charts_area.setWidgetResizable(True)
        charts_area.setFrameShape(QFrame.Shape.NoFrame)
        charts_area.setWidget(chart_box)
        self.split = QSplitter(Qt.Orientation.Vertical, self)
        self.split.addWidget(charts_area)
        self.split.addWidget(self.lists)
        self.split.setStretchFactor(0, 3)
        self.split.setStretchFactor(1, 2)
        self.split.setChildrenCollapsible(False)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(8, 8, 8, 8)
        outer.setSpacing(8)
        outer.addLayout(bar)
        outer.addLayout(cards)
        self.warnings_line = WarningsLine(ws, runner, self)
        outer.addWidget(self.warnings_line)
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
        self._period_changed()
        self.retranslate()
        self.resize(1400, 950)
        fit_to_screen(self)

    # --- construction helpers -------------------------------------------------------------

    def _date_edit(self, name: str, value: QDate) -> QDateEdit:
        edit = QDateEdit(value, self)
        edit.setObjectName(name)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("dd.MM.yyyy")
        return edit

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
        texts = captions(self.horizon.value())
        for key, card in self.cards.items():
            card.caption.setText(texts[key])
        self.lists.retranslate()
        if self.data is not None:
            self._show(self.data)

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
        return times.local(self.ws.now()).date()

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
            edit.setDate(QDate(value.year, value.month, value.day))
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
        steps = self._steps = (self.progress.steps("dashboard", tr("Building the dashboard"))
                               if self.progress is not None else None)
        self.runner.read(lambda: load(ws, start, end, hours, steps), self._loaded, self._failed)
        self.warnings_line.reload(start, end)

    def _built(self) -> None:
        if self._steps is not None:
            self._steps.finish()
            self._steps = None

    def _loaded(self, data: DashboardData) -> None:
        self._busy = False
        self._built()
        self.data = data
        self.loaded_count += 1
        self._show(data)
        if self._again:
            self.refresh()

    def _failed(self, exc: BaseException) -> None:
        self._busy = False
        self._built()
        show_error(self, exc)
        if self._again:
            self.refresh()

    def _restyle(self) -> None:
        """The system went dark or light: charts, cards and lists follow."""
        for chart in getattr(self, "charts", {}).values():  # a change may come before they exist
            theme(chart)
        data = getattr(self, "data", None)
        if data is not None:
            self._show(data)

    def _show(self, data: DashboardData) -> None:
        d, lb = data.dash, Labels(data.choices, i18n.current())
        show_cards(self.cards, d, lb)
        show_charts(self.charts, d, lb)
        self.lists.show_lists(d, lb, data.choices)
        updated = tr("Updated {0} · reaction times from {1} replies, compliance over {2} deadlines").format(
            times.date_time(datetime.fromisoformat(d.now)),
            d.reactions_measured, d.sla_met + d.sla_missed)
        # What the lead just did (a reassign, perhaps cancelled) stays said until the next read.
        note, self.lists.note = self.lists.note, ""
        self.lists.status.setText(f"{note} · {updated}" if note else updated)

    # --- exporting ----------------------------------------------------------------------------

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
                         lambda paths: self.lists.status.setText(
                             tr("Exported {0} files to {1}").format(len(paths), str(folder))),
                         lambda exc: show_error(self, exc))
