"""The Departments and Reasons tabs (R-TICKET-2, R-TICKET-4): the two lists of the regulation,
each entry with its code, its titles in Russian and English, its place in the list, and (for a
reason) whether it refuses, postpones or both.

An entry is added, renamed, moved, retired (offered nowhere any more, kept on the tickets that
have it) or brought back; only one no ticket ever carried can be deleted — the Delete button
says so instead of failing. Every change goes through ``desktop.services.catalogs``, as
``reglament departments|reasons`` does, on the window's write lane.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QBrush, QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.services import catalogs
from desktop.services.catalogs import Entry, Kind
from desktop.services.workspace import Workspace
from ui import i18n
from ui.dialogs.page import SettingsPage, select_by_data
from ui.workers import Runner

translate = QCoreApplication.translate


def _uses() -> list[tuple[str, str]]:
    return [("both", translate("Catalog", "Refuse and postpone")), ("refuse", translate("Catalog", "Refuse only")),
            ("postpone", translate("Catalog", "Postpone only"))]


class CatalogPage(SettingsPage):
    def __init__(self, parent: QWidget | None, runner: Runner, ws: Workspace, kind: Kind) -> None:
        super().__init__(parent, runner, ws)
        self.kind = kind
        self.setObjectName(f"{kind}s_page")
        self.entries: list[Entry] = []
        self.current: Entry | None = None
        self.listing = QListWidget(self)
        self.listing.setObjectName(f"{kind}_list")
        self.listing.currentItemChanged.connect(lambda _c, _p: self._chosen())

        self.code = QLineEdit(self)
        self.code.setObjectName("code")
        self.code.setPlaceholderText(translate("Catalog", "e.g. billing (Latin letters, digits, _)"))
        self.title_en = QLineEdit(self)
        self.title_en.setObjectName("title_en")
        self.title_ru = QLineEdit(self)
        self.title_ru.setObjectName("title_ru")
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(translate("Catalog", "Code:"), self.code)
        form.addRow(translate("Catalog", "Title in Russian:"), self.title_ru)
        form.addRow(translate("Catalog", "Title in English:"), self.title_en)
        self.usage = QLabel(self)
        self.usage.setObjectName("usage")
        form.addRow(translate("Catalog", "Tickets:"), self.usage)
        self.use: QComboBox | None = None
        if kind == "reason":
            self.use = QComboBox(self)
            self.use.setObjectName("use")
            for value, text in _uses():
                self.use.addItem(text, value)
            form.addRow(translate("Catalog", "Used to:"), self.use)

        self.new_button = self._button(translate("Catalog", "New"), "new", self.new_entry)
        self.up_button = self._button(translate("Catalog", "Move up"), "up", lambda: self._move(-1))
        self.down_button = self._button(translate("Catalog", "Move down"), "down", lambda: self._move(1))
        self.retire_button = self._button(translate("Catalog", "Retire"), "retire", self._retire)
        self.delete_button = self._button(translate("Catalog", "Delete"), "delete", self._delete)
        moves = QHBoxLayout()
        for b in (self.new_button, self.up_button, self.down_button, self.retire_button, self.delete_button):
            moves.addWidget(b)
        moves.addStretch(1)

        right = QVBoxLayout()
        right.addLayout(form)
        right.addWidget(self.hint(self._about()))
        row = self.save_revert_row("Catalog", f"save_{kind}")
        row.addWidget(self.status, 1)
        right.addLayout(row)
        right.addStretch(1)
        left = QVBoxLayout()
        left.addWidget(self.listing, 1)
        left.addLayout(moves)
        layout = QHBoxLayout(self)
        layout.addLayout(left, 1)
        layout.addLayout(right, 1)
        self._show(None)
        self.reload()

    def _about(self) -> str:
        if self.kind == "department":
            return translate(
                "Catalog", "Tickets are handed to departments. A retired department is offered nowhere any "
                "more but stays on the tickets that have it; only a department no ticket ever had can be deleted.")
        return translate(
            "Catalog", "Refusal and postponement reasons; each sends its reply template (Templates tab). A retired "
            "reason is offered nowhere any more but stays on the tickets refused or postponed with it; only a "
            "reason no ticket ever had can be deleted.")

    def _button(self, text: str, name: str, slot: Callable[[], None]) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(f"{name}_{self.kind}")
        button.clicked.connect(slot)
        return button

    # --- reading -------------------------------------------------------------------------------

    def reload(self, then: str | None = None) -> None:
        ws, kind = self.ws, self.kind
        keep = then or (self.current.code if self.current else None)
        self.runner.read(lambda: catalogs.entries(ws, kind), lambda rows: self._fill(rows, keep), self.failed)

    def _fill(self, rows: list[Entry], keep: str | None) -> None:
        self.entries = rows
        lang = i18n.current()
        blocked = self.listing.blockSignals(True)
        self.listing.clear()
        muted = self.palette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
        for e in rows:
            text = e.title(lang)
            if not e.active:
                text = translate("Catalog", "{0} (retired)").format(text)
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, e.code)
            item.setToolTip(translate("Catalog", "Code {0}; on {1} ticket(s)").format(e.code, e.used))
            if not e.active:
                item.setForeground(QBrush(muted))
            self.listing.addItem(item)
        self.listing.blockSignals(blocked)
        found = next((e for e in rows if e.code == keep), None)
        if found is not None:
            select_by_data(self.listing, found.code)
        self._show(found)

    def _chosen(self) -> None:
        item = self.listing.currentItem()
        code = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        self._show(next((e for e in self.entries if e.code == code), None))
        self.status.clear()

    def _show(self, entry: Entry | None) -> None:
        """The form for ``entry``; None: an empty form for a new one (its code can be typed)."""
        self.current = entry
        self.code.setText(entry.code if entry else "")
        self.code.setReadOnly(entry is not None)
        self.title_en.setText(entry.title_en if entry else "")
        self.title_ru.setText(entry.title_ru if entry else "")
        if self.use is not None:
            self.use.setCurrentIndex(max(self.use.findData(entry.use if entry else "both"), 0))
        for b in (self.up_button, self.down_button, self.retire_button, self.delete_button):
            b.setEnabled(entry is not None)
        if entry is None:
            self.usage.setText(translate("Catalog", "a new entry"))
        elif entry.used:
            self.usage.setText(translate("Catalog", "on {0} ticket(s)").format(entry.used)
                               + ("" if entry.active else translate("Catalog", "; retired: offered nowhere")))
        else:
            self.usage.setText(translate("Catalog", "on no ticket yet"))
        self.retire_button.setText(translate("Catalog", "Bring back") if entry and not entry.active
                                   else translate("Catalog", "Retire"))
        if entry is not None and entry.used:
            self.delete_button.setEnabled(False)
            self.delete_button.setToolTip(translate(
                "Catalog", "On {0} ticket(s): it cannot be deleted; retire it instead").format(entry.used))
        else:
            self.delete_button.setToolTip("")

    # --- changing ------------------------------------------------------------------------------

    def new_entry(self) -> None:
        blocked = self.listing.blockSignals(True)
        self.listing.clearSelection()
        self.listing.setCurrentRow(-1)
        self.listing.blockSignals(blocked)
        self._show(None)
        self.code.setFocus()

    def _write(self, work: Callable[[], Any], done_text: str, then: str | None = None) -> None:
        def done(_result: object) -> None:
            self.note(done_text)
            self.changed.emit()
            self.reload(then)

        self.runner.write(work, done, self.failed)

    def save(self) -> None:
        ws, kind = self.ws, self.kind
        en, ru = self.title_en.text(), self.title_ru.text()
        use = self.use.currentData() if self.use is not None else "both"
        if self.current is None:
            code = self.code.text().strip()
            self._write(lambda: catalogs.add(ws, kind, code, en, ru, use=use), translate("Catalog", "Added."), code)
        else:
            code = self.current.code
            self._write(lambda: catalogs.rename(ws, kind, code, en, ru, use=use if kind == "reason" else None),
                        translate("Catalog", "Saved."), code)

    def revert(self) -> None:
        self.status.clear()
        self._show(self.current)

    def _move(self, delta: int) -> None:
        if self.current is not None:
            ws, kind, code = self.ws, self.kind, self.current.code
            self._write(lambda: catalogs.move(ws, kind, code, delta), translate("Catalog", "Moved."), code)

    def _retire(self) -> None:
        if self.current is not None:
            ws, kind, code, retired = self.ws, self.kind, self.current.code, self.current.active
            self._write(lambda: catalogs.retire(ws, kind, code, retired),
                        translate("Catalog", "Retired: offered nowhere any more, kept on its tickets.") if retired
                        else translate("Catalog", "Back in use."), code)

    def _delete(self) -> None:
        if self.current is not None:
            ws, kind, code = self.ws, self.kind, self.current.code
            self.current = None
            self._write(lambda: catalogs.delete(ws, kind, code), translate("Catalog", "Deleted."))
