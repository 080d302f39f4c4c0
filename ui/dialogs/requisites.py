"""The Requisites tab: the executor's details printed on every act — name, INN, KPP, OGRN,
address, signatory, bank — and the prices: the VAT rate and the price of an hour of paid work
(R-ACT-1).

The values are the workspace settings ``executor``, ``act.vat_rate`` and ``act.hour_rate`` (the
same as ``reglament settings set``), checked as they are typed by the same declarations, so
the tab refuses exactly what the command line refuses, in the same words; Save stays off
while a value is refused. Saved all at once, against what the tab read.
"""

from __future__ import annotations

from dataclasses import asdict
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFormLayout, QGroupBox, QHBoxLayout, QLineEdit, QWidget

from desktop.errors import ReglamentError
from desktop.services import regulation_settings as rs
from desktop.services.workspace import Workspace
from desktop.settings import EXECUTOR_FIELDS
from ui.countdown import state_style
from ui.dialogs.page import SettingsPage
from ui.errors import user_message
from ui.workers import Runner

translate = QCoreApplication.translate

#: Fields of the executor on the left, of the bank on the right, in their order.
PARTY = ("name", "inn", "kpp", "ogrn", "address", "signatory", "signatory_position")
BANK = ("bank_name", "bik", "account", "correspondent_account")


def _labels() -> dict[str, str]:
    return {
        "name": translate("Requisites", "Company name:"), "inn": translate("Requisites", "INN:"),
        "kpp": translate("Requisites", "KPP:"), "ogrn": translate("Requisites", "OGRN / OGRNIP:"),
        "address": translate("Requisites", "Address:"), "signatory": translate("Requisites", "Signatory:"),
        "signatory_position": translate("Requisites", "Signatory's position:"),
        "bank_name": translate("Requisites", "Bank:"), "bik": translate("Requisites", "BIK:"),
        "account": translate("Requisites", "Settlement account:"),
        "correspondent_account": translate("Requisites", "Correspondent account:"),
    }


def _text(value: Decimal | None) -> str:
    return "" if value is None else str(value)


class RequisitesPage(SettingsPage):
    def __init__(self, parent: QWidget | None, runner: Runner, ws: Workspace) -> None:
        super().__init__(parent, runner, ws)
        self.setObjectName("requisites_page")
        self.expected: dict[str, Any] | None = None
        self._filling = False
        self._refusing = False  # the status line shows why the typed values cannot be saved
        labels = _labels()
        self.fields: dict[str, QLineEdit] = {}
        columns = QHBoxLayout()
        for title, keys in ((translate("Requisites", "Executor"), PARTY),
                            (translate("Requisites", "Bank details"), BANK)):
            box = QGroupBox(title, self)
            form = QFormLayout(box)
            form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
            for key in keys:
                edit = QLineEdit(box)
                edit.setObjectName(f"executor_{key}")
                edit.textChanged.connect(self._edited)
                self.fields[key] = edit
                form.addRow(labels[key], edit)
            if keys is BANK:
                prices = form
            columns.addWidget(box, 1)
        self.vat = QLineEdit(self)
        self.vat.setObjectName("act.vat_rate")
        self.vat.setPlaceholderText(translate("Requisites", "empty: the executor works without VAT"))
        self.hour_rate = QLineEdit(self)
        self.hour_rate.setObjectName("act.hour_rate")
        self.hour_rate.setPlaceholderText(translate("Requisites", "empty: work lines carry only their own amounts"))
        for edit in (self.vat, self.hour_rate):
            edit.textChanged.connect(self._edited)
        prices.addRow(translate("Requisites", "VAT rate, %:"), self.vat)
        prices.addRow(translate("Requisites", "Price of an hour of paid work, ₽:"), self.hour_rate)

        self.lay_out_form(columns, translate(
            "Requisites", "Printed on every new act. INN has 10 or 12 digits, KPP 9, OGRN 13 (OGRNIP 15), BIK 9, "
            "accounts 20; the bank's name, BIK and account go together. The hour rate prices a paid ticket's "
            "work lines that have no amount of their own. Acts already issued keep what they printed."), "Requisites", "save_requisites")
        self.reload()

    def reload(self) -> None:
        ws = self.ws
        self.runner.read(lambda: rs.read_group(ws, "requisites"), self._fill, self.failed)

    def _fill(self, values: dict[str, Any]) -> None:
        self.expected = dict(values)
        self._filling = True
        try:
            executor = asdict(values["executor"])
            for key, edit in self.fields.items():
                edit.setText(executor.get(key, ""))
            self.vat.setText(_text(values["act.vat_rate"]))
            self.hour_rate.setText(_text(values["act.hour_rate"]))
        finally:
            self._filling = False
        self._edited()

    def values(self) -> dict[str, Any]:
        return {"executor": {key: self.fields[key].text() for key in EXECUTOR_FIELDS},
                "act.vat_rate": self.vat.text(), "act.hour_rate": self.hour_rate.text()}

    def refusal(self) -> str | None:
        """Why the typed values cannot be saved (the command line's words), or None."""
        try:
            rs.check_group("requisites", self.values())
        except ReglamentError as exc:
            return user_message(exc)
        return None

    def _edited(self, _text: str = "") -> None:
        if self._filling:
            return
        why = self.refusal()
        self.save_button.setEnabled(why is None and self.expected is not None)
        if why is not None:
            self.failed_quietly(why)
        elif self._refusing:
            self.status.clear()
        self._refusing = why is not None

    def failed_quietly(self, text: str) -> None:
        self.status.setStyleSheet(state_style("breached", self))
        self.status.setText(text)

    def save(self) -> None:
        if self.expected is None or self.refusal() is not None:
            return
        ws, values, expected = self.ws, self.values(), dict(self.expected)

        def saved(keys: list[str]) -> None:
            self.note(translate("Requisites", "Saved.") if keys else translate("Requisites", "Nothing changed."))
            if keys:
                self.changed.emit()
            self.reload()

        self.runner.write(lambda: rs.save_group(ws, "requisites", values, expected),
                          saved, lambda exc: self.refused(exc, lambda: rs.read_group(ws, "requisites")))
