"""Clients (R-TICKET-2, R-TICKET-7, R-ACT-1): who they are, how their mail is recognised, their
plan, contract and service dates, and the requisites printed on acceptance acts.

The table shows what an agent asks first — plan, contract, whether the service is active — and
the form below edits every field the client has. Adding uses ``add_client_record``, editing
``update_client``; both refuse bad input (an INN of the wrong length, a malformed domain) in
plain words, and an edit made elsewhere meanwhile is reported instead of overwritten.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QCoreApplication, QDate, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop import times
from desktop.services import client_plan, clients, regulation
from desktop.services.clients import ClientFields, ClientInfo, ClientRecord
from desktop.services.regulation_preview import Moves
from desktop.services.workspace import Workspace
from ui import errors
from ui.dialogs.moves_preview import ask_to_apply
from ui.dialogs.page import SettingsPage, confirm_discard
from ui.dialogs.plans import plan_title
from ui.workers import Runner

translate = QCoreApplication.translate


class OptionalDate(QWidget):
    """A date that may be absent (no contract date, service without an end)."""

    def __init__(self, parent: QWidget | None, name: str) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.check = QCheckBox(self)
        self.edit = QDateEdit(self)
        self.edit.setCalendarPopup(True)
        self.edit.setDisplayFormat("dd.MM.yyyy")
        self.edit.setEnabled(False)
        self.check.toggled.connect(self.edit.setEnabled)
        lay.addWidget(self.check)
        lay.addWidget(self.edit, 1)

    def set_value(self, value: date | None, fallback: date) -> None:
        shown = value or fallback
        self.edit.setDate(QDate(shown.year, shown.month, shown.day))
        self.check.setChecked(value is not None)

    def value(self) -> date | None:
        if not self.check.isChecked():
            return None
        d = self.edit.date()
        return date(d.year(), d.month(), d.day())


def _split(text: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in text.replace(";", ",").replace("\n", ",").split(",") if p.strip())


def fields_of(r: ClientRecord) -> ClientFields:
    return ClientFields(
        name=r.name, domains=r.domains, emails=r.emails, plan=r.plan, contract_no=r.contract_no,
        contract_date=r.contract_date, active_from=r.active_from, active_until=r.active_until,
        priority=r.priority_support, inn=r.inn, kpp=r.kpp, address=r.address, signatory=r.signatory,
        signatory_position=r.signatory_position, language=r.language, notes=r.notes)


class ClientsPage(SettingsPage):
    COLUMNS = ("name", "plan", "contract", "until", "service", "addresses")

    def __init__(self, parent: QWidget | None, runner: Runner, ws: Workspace) -> None:
        super().__init__(parent, runner, ws)
        self.setObjectName("clients_page")
        self.infos: list[ClientInfo] = []
        self.current: ClientRecord | None = None
        self.new = False
        outer = QVBoxLayout(self)
        top = QHBoxLayout()
        self.search = QLineEdit(self)
        self.search.setObjectName("client_search")
        self.search.setPlaceholderText(translate("Clients", "Find a client by name, domain or address"))
        self.search.textChanged.connect(self._filter)
        self.new_button = QPushButton(translate("Clients", "New client"), self)
        self.new_button.clicked.connect(self.new_client)
        self.remove_button = QPushButton(translate("Clients", "Remove client"), self)
        self.remove_button.clicked.connect(lambda: self.remove_client())
        top.addWidget(self.search, 1)
        top.addWidget(self.new_button)
        top.addWidget(self.remove_button)
        outer.addLayout(top)
        split = QSplitter(Qt.Orientation.Vertical, self)
        self.table = QTableWidget(0, len(self.COLUMNS), split)
        self.table.setObjectName("clients")
        self.table.setHorizontalHeaderLabels([
            translate("Clients", "Client"), translate("Clients", "Plan"), translate("Clients", "Contract"),
            translate("Clients", "Service until"), translate("Clients", "Service"),
            translate("Clients", "Domains and addresses")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.setAlternatingRowColors(True)
        hh = self.table.horizontalHeader()
        hh.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        hh.setSectionResizeMode(len(self.COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)
        self.table.currentCellChanged.connect(self._chosen)

        formbox = QWidget(split)
        cols = QHBoxLayout(formbox)
        cols.setContentsMargins(0, 0, 0, 0)
        a, b = QFormLayout(), QFormLayout()
        cols.addLayout(a, 1)
        cols.addLayout(b, 1)
        self.name = QLineEdit(self)
        self.name.setObjectName("client_name")
        a.addRow(translate("Clients", "Name:"), self.name)
        self.domains = QLineEdit(self)
        self.domains.setObjectName("client_domains")
        self.domains.setPlaceholderText("example.ru, example.com")
        a.addRow(translate("Clients", "Mail domains:"), self.domains)
        self.emails = QLineEdit(self)
        self.emails.setObjectName("client_emails")
        self.emails.setPlaceholderText("boss@mail.ru")
        a.addRow(translate("Clients", "Single addresses:"), self.emails)
        self.plan = QComboBox(self)
        self.plan.setObjectName("client_plan")
        a.addRow(translate("Clients", "Plan:"), self.plan)
        self.move_open = QCheckBox(translate("Clients", "Move the client's open tickets to this plan too"), self)
        self.move_open.setObjectName("client_plan_open_tickets")
        self.move_open.setToolTip(translate(
            "Clients", "Otherwise open tickets keep the plan they were opened under; moving them recomputes "
            "their deadlines, shown before anything is saved."))
        a.addRow("", self.move_open)
        self.priority = QCheckBox(translate("Clients", "Extended/priority support"), self)
        a.addRow("", self.priority)
        self.language = QComboBox(self)
        self.language.setObjectName("client_language")
        self.language.addItem("Русский", "ru")
        self.language.addItem("English", "en")
        a.addRow(translate("Clients", "Mail language:"), self.language)
        self.notes = QPlainTextEdit(self)
        self.notes.setObjectName("client_notes")
        self.notes.setFixedHeight(54)
        a.addRow(translate("Clients", "Notes:"), self.notes)
        self.contract_no = QLineEdit(self)
        self.contract_no.setObjectName("client_contract")
        b.addRow(translate("Clients", "Contract No.:"), self.contract_no)
        self.contract_date = OptionalDate(self, "client_contract_date")
        b.addRow(translate("Clients", "Contract date:"), self.contract_date)
        self.active_from = OptionalDate(self, "client_active_from")
        b.addRow(translate("Clients", "Service from:"), self.active_from)
        self.active_until = OptionalDate(self, "client_active_until")
        b.addRow(translate("Clients", "Service until:"), self.active_until)
        req = QHBoxLayout()
        self.inn = QLineEdit(self)
        self.inn.setObjectName("client_inn")
        self.inn.setPlaceholderText(translate("Clients", "10 or 12 digits"))
        self.kpp = QLineEdit(self)
        self.kpp.setObjectName("client_kpp")
        self.kpp.setPlaceholderText(translate("Clients", "KPP, 9 characters"))
        req.addWidget(self.inn, 3)
        req.addWidget(self.kpp, 2)
        b.addRow(translate("Clients", "INN / KPP:"), req)
        self.address = QLineEdit(self)
        self.address.setObjectName("client_address")
        b.addRow(translate("Clients", "Legal address:"), self.address)
        sign = QHBoxLayout()
        self.signatory = QLineEdit(self)
        self.signatory.setObjectName("client_signatory")
        self.signatory.setPlaceholderText(translate("Clients", "Signatory"))
        self.signatory_position = QLineEdit(self)
        self.signatory_position.setObjectName("client_signatory_position")
        self.signatory_position.setPlaceholderText(translate("Clients", "Position"))
        sign.addWidget(self.signatory, 1)
        sign.addWidget(self.signatory_position, 1)
        b.addRow(translate("Clients", "Signs acts:"), sign)
        actions = self.save_revert_row("Clients", "save_client")
        actions.addWidget(self.status, 1)
        b.addRow("", actions)
        split.addWidget(self.table)
        split.addWidget(formbox)
        split.setStretchFactor(0, 1)
        split.setSizes([330, 260])
        outer.addWidget(split, 1)

    # --- reading ----------------------------------------------------------------------------

    def reload(self, select: int | None = None) -> None:
        ws = self.ws
        keep = select if select is not None else (self.current.id if self.current else None)
        self.runner.read(lambda: (clients.list_clients(ws), regulation.plan_records(ws)),
                         lambda r: self._listed(r, keep), self.failed)

    def _listed(self, result: tuple[list[ClientInfo], list[Any]], keep: int | None) -> None:
        infos, plans = result
        self.infos = list(infos)
        chosen = self.plan.currentData()
        self.plan.clear()
        self.plan.addItem(translate("Clients", "— no plan —"), None)
        # Plans by the name the window shows them by, in its language (the combo read the
        # Russian name in an English window, the table the bare code).
        names = {p.code: plan_title(p) for p in plans}
        for p in plans:
            self.plan.addItem(f"{names[p.code]} ({p.code})", p.code)
        self.plan.setCurrentIndex(max(self.plan.findData(chosen), 0))
        today = self.ws.now().date()
        self.table.blockSignals(True)
        self.table.setRowCount(len(self.infos))
        for row, c in enumerate(self.infos):
            active = c.service_active(today)
            texts = (c.name, names.get(c.plan, c.plan) if c.plan else "—", c.contract_no or "—",
                     times.dmy(c.active_until) if c.active_until else "—",
                     translate("Clients", "active") if active else translate("Clients", "expired"),
                     ", ".join(c.domains + c.emails))
            for col, text in enumerate(texts):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, c.id)
                if col == 4 and not active:
                    item.setForeground(Qt.GlobalColor.red)
                self.table.setItem(row, col, item)
        self.table.blockSignals(False)
        self._filter(self.search.text())
        if self.is_dirty():
            return
        if keep is not None:
            self._select(keep)
            self._load(keep)

    def _filter(self, text: str) -> None:
        needle = text.strip().lower()
        for row, c in enumerate(self.infos):
            hay = " ".join([c.name, *c.domains, *c.emails]).lower()
            self.table.setRowHidden(row, bool(needle) and needle not in hay)

    def _select(self, client_id: int) -> None:
        self.table.blockSignals(True)
        for row, c in enumerate(self.infos):
            if c.id == client_id:
                self.table.setCurrentCell(row, 0)
        self.table.blockSignals(False)

    def _chosen(self, row: int, _col: int, _prow: int, _pcol: int) -> None:
        if row < 0 or row >= len(self.infos):
            return
        if self.is_dirty() and not confirm_discard(self, self.name.text()):
            if self.current is not None:
                self._select(self.current.id)
            return
        self.status.clear()
        self._load(self.infos[row].id)

    def _load(self, client_id: int) -> None:
        ws = self.ws
        self.runner.read(lambda: clients.client_record(ws, client_id), self._fill, self.failed)

    def _fill(self, r: ClientRecord) -> None:
        self.current, self.new = r, False
        self._fill_fields(fields_of(r))

    def _fill_fields(self, f: ClientFields) -> None:
        today = self.ws.now().date()
        self.name.setText(f.name)
        self.domains.setText(", ".join(f.domains))
        self.emails.setText(", ".join(f.emails))
        self.plan.setCurrentIndex(max(self.plan.findData(f.plan), 0))
        self.priority.setChecked(f.priority)
        self.language.setCurrentIndex(max(self.language.findData(f.language), 0))
        self.notes.setPlainText(f.notes)
        self.contract_no.setText(f.contract_no or "")
        self.contract_date.set_value(f.contract_date, today)
        self.active_from.set_value(f.active_from, today)
        self.active_until.set_value(f.active_until, today)
        self.inn.setText(f.inn or "")
        self.kpp.setText(f.kpp or "")
        self.address.setText(f.address or "")
        self.signatory.setText(f.signatory or "")
        self.signatory_position.setText(f.signatory_position or "")

    def remove_client(self, confirmed: bool | None = None) -> None:
        """Remove the chosen client (one entered by mistake; one with tickets is refused)."""
        record = self.current
        if record is None:
            return
        if confirmed is None:
            confirmed = not errors.QUIET["on"] and QMessageBox.question(
                self, translate("Clients", "Remove client"),
                translate("Clients", "Remove the client {0} and its addresses?").format(record.name),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Cancel) == QMessageBox.StandardButton.Yes
        if not confirmed:
            return
        ws = self.ws

        def removed(_r: object) -> None:
            self.current, self.new = None, False
            self._fill_fields(ClientFields(name=""))
            self.changed.emit()
            self.reload()
            self.note(translate("Clients", "Removed."))

        self.runner.write(lambda: clients.delete_client(ws, record), removed, self.failed)

    def new_client(self) -> None:
        if self.is_dirty() and not confirm_discard(self, self.name.text()):
            return
        self.table.blockSignals(True)
        self.table.setCurrentCell(-1, -1)
        self.table.clearSelection()
        self.table.blockSignals(False)
        self.current, self.new = None, True
        self.status.clear()
        self._fill_fields(ClientFields(name="", language="ru"))
        self.name.setFocus()

    def revert(self) -> None:
        if self.current is not None:
            self._fill(self.current)
        elif self.new:
            self._fill_fields(ClientFields(name=""))

    def form_fields(self) -> ClientFields:
        def opt(w: QLineEdit) -> str | None:
            return w.text().strip() or None

        plan = self.plan.currentData()
        return ClientFields(
            name=self.name.text().strip(), domains=_split(self.domains.text()), emails=_split(self.emails.text()),
            plan=str(plan) if plan else None, contract_no=opt(self.contract_no),
            contract_date=self.contract_date.value(), active_from=self.active_from.value(),
            active_until=self.active_until.value(), priority=self.priority.isChecked(),
            inn=opt(self.inn), kpp=opt(self.kpp), address=opt(self.address), signatory=opt(self.signatory),
            signatory_position=opt(self.signatory_position), language=str(self.language.currentData()),
            notes=self.notes.toPlainText().strip())

    def is_dirty(self) -> bool:
        if self.new:
            return bool(self.name.text().strip())
        return self.current is not None and self.form_fields() != fields_of(self.current)

    # --- saving -----------------------------------------------------------------------------

    def save(self) -> None:
        fields, expected, ws = self.form_fields(), self.current, self.ws
        if not self.new and expected is None:
            return
        self.save_button.setEnabled(False)
        if self.new or expected is None:
            self.runner.write(lambda: clients.add_client_record(ws, fields),
                              lambda cid: self._saved(int(cid)), self._save_failed)
        elif self.move_open.isChecked() and fields.plan != expected.plan:
            self._move_with_tickets(fields, expected)
        else:
            self.runner.write(lambda: clients.update_client(ws, expected.id, fields, expected),
                              lambda rec: self._saved(rec.id), self._save_failed)

    def _move_with_tickets(self, fields: ClientFields, expected: ClientRecord) -> None:
        """The client's open tickets move with it: preview their deadlines, store on Apply."""
        ws = self.ws

        def store() -> None:
            def both() -> int:
                rec = clients.update_client(ws, expected.id, fields, expected)
                client_plan.set_client_plan(ws, rec.name, fields.plan, open_tickets=True)
                return rec.id

            self.runner.write(both, lambda cid: self._saved(int(cid)), self._save_failed)

        def cancelled() -> None:
            self.save_button.setEnabled(True)
            self.note(translate("Clients", "Not saved; no deadline moved."))

        def shown(moves: Moves) -> None:
            ask_to_apply(self, translate("Clients", "Move {0} to another plan: deadlines that move").format(expected.name),
                         moves, store, cancelled)

        self.runner.read(lambda: client_plan.preview_client_plan(ws, expected.name, fields.plan, open_tickets=True),
                         shown, self._save_failed)

    def _saved(self, client_id: int) -> None:
        self.save_button.setEnabled(True)
        self.move_open.setChecked(False)
        self.current, self.new = None, False
        self.changed.emit()
        self.reload(client_id)
        self.note(translate("Clients", "Saved."))

    def _save_failed(self, exc: BaseException) -> None:
        self.save_button.setEnabled(True)
        self.failed(exc)
        from desktop.errors import ConflictError

        if isinstance(exc, ConflictError) and self.current is not None:
            cid, ws = self.current.id, self.ws
            self.runner.read(lambda: clients.client_record(ws, cid), self._adopt, self.failed)

    def _adopt(self, stored: ClientRecord) -> None:
        self.current = stored
