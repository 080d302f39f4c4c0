"""The dashboard's lists panel: tabs of deadlines at risk and of acts awaiting acceptance, the
lead's selection kept across refreshes, and reassigning the chosen tickets in the write lane."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.services import tickets
from desktop.services.reads.dashboard import Dashboard, RiskRow
from desktop.services.reads.queue import Choices
from desktop.services.workspace import Workspace
from ui import i18n
from ui.dashboard.labels import Labels, tr
from ui.dashboard.tables import LISTS, RISK_COLUMNS, ActsModel, ReworkModel, RiskModel
from ui.dialogs.form import FormDialog
from ui.errors import show_error
from ui.progress import ProgressModel, ProgressStatus
from ui.workers import Runner


class RiskLists(QWidget):
    """``ticketChosen(tid)`` on a double-click; ``ticketsChanged(tids)`` after a reassignment
    (the dashboard re-reads, the queue follows)."""

    ticketChosen = Signal(str)
    ticketsChanged = Signal(list)

    def __init__(self, ws: Workspace, runner: Runner, parent: QWidget | None = None,
                 progress: ProgressModel | None = None) -> None:
        super().__init__(parent)
        self.ws, self.runner, self.progress = ws, runner, progress
        #: The result of the lead's last action, said beside the next "Updated …" line.
        self.note = ""
        self.choices: Choices | None = None
        self.last_dialog: QWidget | None = None
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
        self.rework_model = ReworkModel(self)  # rework of refused acts still to do (R-ACT-3)
        self.tables["rework"] = self._table("rework", self.rework_model)
        self.tabs.addTab(self.tables["rework"], "")

        self.reassign_button = QPushButton(self)
        self.reassign_button.setObjectName("reassign")
        self.status = QLabel(self)
        self.status.setObjectName("dashboard_status")
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        if progress is not None:  # a reassign's n of N here too, where the lead is looking
            self.progress_status = ProgressStatus(progress, self)
            bottom.addWidget(self.progress_status)
        bottom.addWidget(self.reassign_button)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.tabs, 1)
        lay.addLayout(bottom)
        self.reassign_button.clicked.connect(self.choose_assignee)
        self.tabs.currentChanged.connect(lambda _i: self._selection_changed())

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
        self.reassign_button.setText(tr("Reassign to…"))
        self.retitle_tabs()
        for m in self.models.values():
            m.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(RISK_COLUMNS) - 1)
        self._selection_changed()

    def retitle_tabs(self) -> None:
        titles = {"breached": tr("Breached ({0})"), "at_risk": tr("At risk ({0})"),
                  "forecast": tr("Will breach ({0})")}
        for i, key in enumerate(LISTS):
            self.tabs.setTabText(i, titles[key].format(self.models[key].rowCount()))
        self.tabs.setTabText(len(LISTS), tr("Acts awaiting acceptance ({0})").format(self.acts_model.rowCount()))
        self.tabs.setTabText(len(LISTS) + 1, tr("Rework due ({0})").format(self.rework_model.rowCount()))

    def show_lists(self, d: Dashboard, labels: Labels, choices: Choices) -> None:
        self.choices = choices
        for key in LISTS:
            self._keep_selection(key, getattr(d, key), labels)
        self.acts_model.set_rows(d.acts_awaiting)
        self.rework_model.set_rows(d.rework_due)
        self.retitle_tabs()

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

    # --- choosing and reassigning -------------------------------------------------------------

    def current_list(self) -> str:
        i = self.tabs.currentIndex()
        return LISTS[i] if 0 <= i < len(LISTS) else ("rework" if i == len(LISTS) + 1 else "acts")

    def selected_tids(self, key: str | None = None) -> list[str]:
        key = key or self.current_list()
        table = self.tables[key]
        model = table.model()
        assert isinstance(model, RiskModel | ActsModel | ReworkModel)
        rows = sorted({i.row() for i in table.selectionModel().selectedRows()})
        return list(dict.fromkeys(model.tid(r) for r in rows))

    def select_rows(self, key: str, rows: Sequence[int]) -> None:
        """Select rows of a list as the lead would with Ctrl+click (tests, keyboard users)."""
        self.tabs.setCurrentIndex(LISTS.index(key) if key in LISTS else len(LISTS) + (key == "rework"))
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

    def _double_clicked(self, model: RiskModel | ActsModel | ReworkModel, index: QModelIndex) -> None:
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
        if self.choices is not None:
            agents += [(a.code, a.label(lang)) for a in self.choices.agents]
        dlg.add_combo("agent", tr("Agent:"), agents)
        dlg.accepted.connect(lambda: self.reassign(tids, dlg.value("agent") or None))
        dlg.open()
        self.last_dialog = dlg
        return dlg

    def reassign(self, tids: Sequence[str], login: str | None) -> None:
        """Assign each ticket in the write lane (in order, one transaction each), then re-read.

        Its progress — n of N, the time left — goes to the progress model, with Cancel: safe
        between two tickets, as each is assigned in a transaction of its own (the ones done
        stay done, the rest stay as they were, and the line says which)."""
        ws, chosen = self.ws, list(tids)
        stop = threading.Event()
        steps = (self.progress.steps("reassign", tr("Reassigning tickets"), stop.set)
                 if self.progress is not None else None)

        def work() -> list[str]:
            done: list[str] = []
            for n, tid in enumerate(chosen):
                if steps is not None:
                    steps(n, len(chosen))
                if stop.is_set():
                    break
                tickets.assign(ws, tid, login)
                done.append(tid)
            return done

        def finished() -> None:
            if steps is not None:
                steps.finish()

        def done(result: list[str]) -> None:
            finished()
            text = tr("Reassigned: {0}").format(", ".join(result) or "—")
            if len(result) < len(chosen):
                text += " " + tr("(cancelled; the other {0} are as they were)").format(len(chosen) - len(result))
            self.status.setText(text)
            self.note = text
            self.ticketsChanged.emit(result)

        def failed(exc: BaseException) -> None:
            finished()
            show_error(self, exc)
            self.ticketsChanged.emit(chosen)

        self.runner.write(work, done, failed)
