"""The outbox in the window (File ▸ Outbox…): what waits, what backs off and until when, what
failed with the server's own words — and "Send now", "Retry", "Drop…", as ``reglament outbox``.

Every engine call goes through the runner (never on the GUI thread); the counts line is the
outbox's one definition (desktop/services/reads/outbox.py), the same as the status bar's and
``stats --json``'s. "Send now" sends everything waiting at once, back-off or not, and shows the
verdict when a server cannot be reached.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop import times
from desktop.services.background.outbox import DrainReport, drain_outbox
from desktop.services.background.outbox_manage import drop_item, retry_items
from desktop.services.reads.outbox import OutboxCounts, OutboxRow, outbox_counts, outbox_rows
from desktop.services.workspace import Workspace
from ui.errors import engine_text, user_message
from ui.workers import Runner

Index = QModelIndex | QPersistentModelIndex


def _state(state: str) -> str:
    return {
        "waiting": QCoreApplication.translate("Outbox", "waiting"),
        "backing_off": QCoreApplication.translate("Outbox", "backing off"),
        "sending": QCoreApplication.translate("Outbox", "sending"),
        "failed": QCoreApplication.translate("Outbox", "failed"),
    }.get(state, state)


def counts_text(counts: OutboxCounts) -> str:
    """The counts line, in the window's language."""
    text = QCoreApplication.translate("Outbox", "{0} waiting, {1} backing off, {2} failed").format(
        counts.waiting, counts.backing_off, counts.failed)
    if counts.next_try_at is not None:
        text += " · " + QCoreApplication.translate("Outbox", "next try {0}").format(
            times.short_date_time(counts.next_try_at))
    return text


class OutboxModel(QAbstractTableModel):
    """The rows of the outbox list; only what ``outbox_rows`` read, nothing queried here."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[OutboxRow] = []

    def set_rows(self, rows: list[OutboxRow]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 6

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        return (
            QCoreApplication.translate("Outbox", "State"),
            QCoreApplication.translate("Outbox", "Ticket"),
            QCoreApplication.translate("Outbox", "To"),
            QCoreApplication.translate("Outbox", "Tries"),
            QCoreApplication.translate("Outbox", "Next try"),
            QCoreApplication.translate("Outbox", "Server said"),
        )[section]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        row = self.rows[index.row()]
        column = index.column()
        if column == 0:
            return _state(row.state)
        if column == 1:
            return row.tid or "—"
        if column == 2:
            return ", ".join(row.recipients)
        if column == 3:
            return str(row.attempts)
        if column == 4:
            return times.short_date_time(row.next_try_at)
        return engine_text(row.error) if row.error else ""


class OutboxDialog(QDialog):
    def __init__(self, parent: QWidget | None, runner: Runner, ws: Workspace) -> None:
        super().__init__(parent)
        self.setObjectName("outbox_dialog")
        self.runner, self.ws = runner, ws
        self.setWindowTitle(QCoreApplication.translate("Outbox", "Outbox"))
        self.counts = QLabel(self)
        self.counts.setObjectName("outbox_counts")
        self.verdict = QLabel(self)
        self.verdict.setObjectName("outbox_verdict")
        self.verdict.setWordWrap(True)
        self.model = OutboxModel(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        self.send_button = QPushButton(QCoreApplication.translate("Outbox", "Send now"), self)
        self.retry_button = QPushButton(QCoreApplication.translate("Outbox", "Retry"), self)
        self.drop_button = QPushButton(QCoreApplication.translate("Outbox", "Drop…"), self)
        close = QPushButton(QCoreApplication.translate("Outbox", "Close"), self)
        self.send_button.clicked.connect(self.send_now)
        self.retry_button.clicked.connect(self.retry_selected)
        self.drop_button.clicked.connect(self.drop_selected)
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        for button in (self.send_button, self.retry_button, self.drop_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.counts)
        layout.addWidget(self.table)
        layout.addWidget(self.verdict)
        layout.addLayout(buttons)
        self.resize(900, 420)
        self.busy = False
        self.refresh()

    # --- reading -------------------------------------------------------------------------

    def refresh(self) -> None:
        ws = self.ws
        self.runner.read(lambda: (outbox_counts(ws), outbox_rows(ws)), self._show, self._failed)

    def _show(self, result: tuple[OutboxCounts, list[OutboxRow]]) -> None:
        counts, rows = result
        self.counts.setText(counts_text(counts))
        self.model.set_rows(rows)

    def _failed(self, error: BaseException) -> None:
        self.busy = False
        self._buttons(True)
        self.verdict.setText(user_message(error))

    def selected(self) -> OutboxRow | None:
        picked = self.table.selectionModel().selectedRows()
        return self.model.rows[picked[0].row()] if picked else None

    # --- acting --------------------------------------------------------------------------

    def _buttons(self, enabled: bool) -> None:
        for button in (self.send_button, self.retry_button, self.drop_button):
            button.setEnabled(enabled)

    def send_now(self) -> None:
        """Everything waiting goes now, back-off or not; the verdict is shown if a server is
        out of reach."""
        if self.busy:
            return
        self.busy = True
        self._buttons(False)
        self.verdict.setText(QCoreApplication.translate("Outbox", "Sending…"))
        ws = self.ws
        self.runner.write(lambda: drain_outbox(ws, force=True), self._sent, self._failed)

    def _sent(self, report: DrainReport) -> None:
        self.busy = False
        self._buttons(True)
        if report.skipped_lease:
            text = QCoreApplication.translate("Outbox", "Another workstation is sending right now.")
        else:
            text = QCoreApplication.translate("Outbox", "Sent: {0}. Failed: {1}.").format(
                len(report.sent), len(report.failed))
            if report.verdict:
                text += " " + engine_text(report.verdict)
        self.verdict.setText(text)
        self.refresh()

    def retry_selected(self) -> None:
        row = self.selected()
        if row is None:
            return
        ws = self.ws
        self.runner.write(lambda: retry_items(ws, [row.id]), lambda _n: self.send_now(), self._failed)

    def drop_selected(self) -> None:
        row = self.selected()
        if row is None:
            return
        answer = QMessageBox.question(
            self, QCoreApplication.translate("Outbox", "Drop the message"),
            QCoreApplication.translate(
                "Outbox", "Drop this message unsent? It stays in its ticket, marked as not sent."),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        ws = self.ws
        self.runner.write(lambda: drop_item(ws, row.id), lambda _tid: self.refresh(), self._failed)
