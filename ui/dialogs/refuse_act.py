"""Ticket ▸ Act refused by client…: the client's motivated refusal of the acceptance act, with
the rework agreed and a deadline for each item (R-ACT-3).

The agent writes the client's reasons (one a line) and the rework items, each with the date by
which it is due; the dialog will not close while something is missing and says what. On OK the
acts service makes the bilateral act (PDF or DOCX), the ticket goes back to work and each item
becomes a tracked deadline (the ticket's countdowns, the "Rework due" view, the dashboard).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from PySide6.QtCore import QCoreApplication, QDate
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.countdown import state_style
from ui.dialogs.edit_ticket import ActionHost

#: The deadline a new rework item starts with: a working week from today.
DEFAULT_DAYS = 7



class RefuseActDialog(QDialog):
    """The form; :meth:`problems` says what is missing, :meth:`reasons` and :meth:`items` what
    the agent wrote."""

    def __init__(self, parent: QWidget | None, tid: str, act_number: str, today: date) -> None:
        super().__init__(parent)
        self.setObjectName("refuse_act_dialog")
        self.setWindowTitle(QCoreApplication.translate("RefuseAct", "Act refused — {0}").format(tid))
        self.today = today
        self.tried = False
        outer = QVBoxLayout(self)
        intro = QLabel(QCoreApplication.translate("RefuseAct", "The client refused act {0} with reasons. A bilateral act lists the reasons and the "
                          "rework agreed, each item with its deadline; the ticket goes back to work and the "
                          "deadlines are tracked.").format(act_number), self)
        intro.setWordWrap(True)
        outer.addWidget(intro)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.reasons_edit = QPlainTextEdit(self)
        self.reasons_edit.setObjectName("refusal_reasons")
        self.reasons_edit.setPlaceholderText(QCoreApplication.translate("RefuseAct", "One reason a line, as the client gave it"))
        self.reasons_edit.setMinimumHeight(80)
        self.reasons_edit.setTabChangesFocus(True)
        form.addRow(QCoreApplication.translate("RefuseAct", "Client's reasons:"), self.reasons_edit)
        outer.addLayout(form)

        outer.addWidget(QLabel(QCoreApplication.translate("RefuseAct", "Rework agreed:"), self))
        self.table = QTableWidget(0, 2, self)
        self.table.setObjectName("rework_items")
        self.table.setHorizontalHeaderLabels([QCoreApplication.translate("RefuseAct", "What is to be done"), QCoreApplication.translate("RefuseAct", "Due by")])
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setMinimumHeight(130)
        outer.addWidget(self.table, 1)
        row_buttons = QHBoxLayout()
        self.add_button = QPushButton(QCoreApplication.translate("RefuseAct", "Add item"), self)
        self.add_button.setObjectName("rework_add")
        self.add_button.clicked.connect(lambda: self.add_item())
        self.remove_button = QPushButton(QCoreApplication.translate("RefuseAct", "Remove item"), self)
        self.remove_button.setObjectName("rework_remove")
        self.remove_button.clicked.connect(self.remove_item)
        row_buttons.addWidget(self.add_button)
        row_buttons.addWidget(self.remove_button)
        row_buttons.addStretch(1)
        outer.addLayout(row_buttons)

        bottom = QFormLayout()
        self.format_combo = QComboBox(self)
        self.format_combo.setObjectName("bilateral_format")
        self.format_combo.addItem("PDF", "pdf")
        self.format_combo.addItem(QCoreApplication.translate("RefuseAct", "DOCX (editable)"), "docx")
        bottom.addRow(QCoreApplication.translate("RefuseAct", "Bilateral act as:"), self.format_combo)
        outer.addLayout(bottom)
        self.problem = QLabel(self)
        self.problem.setObjectName("refuse_problem")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet(state_style("breached", self))
        self.problem.hide()
        outer.addWidget(self.problem)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(QCoreApplication.translate("RefuseAct", "Make bilateral act"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(
            QCoreApplication.translate("Form", "Cancel"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        outer.addWidget(self.buttons)
        self.reasons_edit.textChanged.connect(self._recheck)
        self.table.itemChanged.connect(lambda _i: self._recheck())
        self.add_item()
        self.resize(max(self.sizeHint().width(), 680), max(self.sizeHint().height(), 520))

    # --- rows ------------------------------------------------------------------------------

    def add_item(self, text: str = "", due: date | None = None) -> int:
        """A new rework row (focused for typing); returns its row number."""
        row = self.table.rowCount()
        self.table.blockSignals(True)  # the row is whole (its date too) before it is checked
        self.table.insertRow(row)
        self.table.setItem(row, 0, QTableWidgetItem(text))
        self.table.blockSignals(False)
        when = QDateEdit(self.table)
        when.setCalendarPopup(True)
        when.setDisplayFormat("dd.MM.yyyy")
        when.setMinimumDate(_qdate(self.today))
        when.setDate(_qdate(due or self.today + timedelta(days=DEFAULT_DAYS)))
        when.dateChanged.connect(lambda _d: self._recheck())
        self.table.setCellWidget(row, 1, when)
        self.table.setCurrentCell(row, 0)
        self._recheck()
        return row

    def remove_item(self) -> None:
        row = self.table.currentRow()
        if row >= 0:
            self.table.removeRow(row)
            self._recheck()

    def date_edit(self, row: int) -> QDateEdit:
        w = self.table.cellWidget(row, 1)
        assert isinstance(w, QDateEdit)
        return w

    # --- what was written -------------------------------------------------------------------

    def reasons(self) -> list[str]:
        return [line.strip() for line in self.reasons_edit.toPlainText().splitlines() if line.strip()]

    def items(self) -> list[tuple[str, date]]:
        out = []
        for row in range(self.table.rowCount()):
            item = self.table.item(row, 0)
            text = item.text().strip() if item is not None else ""
            day = self.date_edit(row).date()
            out.append((text, date(day.year(), day.month(), day.day())))
        return out

    def format(self) -> str:
        return str(self.format_combo.currentData())

    def problems(self) -> list[str]:
        found = []
        if not self.reasons():
            found.append(QCoreApplication.translate("RefuseAct", "Write at least one of the client's reasons."))
        items = self.items()
        if not items:
            found.append(QCoreApplication.translate("RefuseAct", "List at least one rework item."))
        for n, (text, due) in enumerate(items, start=1):
            if not text:
                found.append(QCoreApplication.translate("RefuseAct", "Rework item {0} says nothing to do: describe it or remove it.").format(n))
            if due < self.today:
                found.append(QCoreApplication.translate("RefuseAct", "Rework item {0} is due in the past.").format(n))
        return found

    def _recheck(self) -> None:
        if self.tried:  # said once the agent tried to finish, then kept up to date as they fix it
            self._show_problems(self.problems())

    def _show_problems(self, found: list[str]) -> None:
        self.problem.setText("\n".join(found))
        self.problem.setVisible(bool(found))

    def accept(self) -> None:
        self.tried = True
        found = self.problems()
        self._show_problems(found)
        if found:
            (self.reasons_edit if not self.reasons() else self.table).setFocus()
            return
        super().accept()


def _qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


def _refuse(ws: Any, tid: str, reasons: list[str], items: list[tuple[str, date]], fmt: str) -> Any:
    # with the renderers behind it: loaded in the lane, on first use
    from desktop.services import acts

    return acts.refuse_act(ws, tid, reasons, items, fmt)  # type: ignore[arg-type]


def open_refuse_act(actions: ActionHost, now: datetime) -> QDialog | None:
    """Open the dialog on the act awaiting acceptance; on OK, the refusal goes to the write lane."""
    page = actions.data
    act = page.acts.open_acceptance if page is not None else None
    if page is None or act is None:
        return None
    dlg = RefuseActDialog(actions.window, page.tid, act.number, now.astimezone().date())
    ws, tid = actions.ws, page.tid

    def save() -> None:
        reasons, items, fmt = dlg.reasons(), dlg.items(), dlg.format()
        actions._run(lambda: _refuse(ws, tid, reasons, items, fmt), tid,
                     notice=lambda made: QCoreApplication.translate("RefuseAct", "Bilateral act {0} saved to {1}").format(made.number, made.path))

    return actions._open(dlg, save)
