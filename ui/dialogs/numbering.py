"""The Numbering tab: how ticket numbers (TID prefix and width, R-TICKET-1) and act numbers (the
pattern, R-ACT-1) look, with the next number of each shown as it is typed.

The values are the workspace settings ``tid.prefix``, ``tid.width`` and ``act.number_pattern``,
checked by their declarations as ``reglament settings set`` checks them. The preview counts on
the counters as the tab read them: a number already given never changes and is never given
again, so a new format applies from the next ticket or act on.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QSpinBox, QWidget

from desktop import settings
from desktop.errors import ReglamentError
from desktop.services import regulation_settings as rs
from desktop.services.workspace import Workspace
from ui.countdown import state_style
from ui.dialogs.page import SettingsPage
from ui.errors import user_message
from ui.workers import Runner

translate = QCoreApplication.translate


class NumberingPage(SettingsPage):
    def __init__(self, parent: QWidget | None, runner: Runner, ws: Workspace) -> None:
        super().__init__(parent, runner, ws)
        self.setObjectName("numbering_page")
        self.expected: dict[str, Any] | None = None
        self.counters: rs.Counters | None = None
        self._filling = False
        self._refusing = False  # the status line shows why the typed values cannot be saved
        self.prefix = QLineEdit(self)
        self.prefix.setObjectName("tid.prefix")
        self.prefix.setMaxLength(settings.TID_PREFIX.max_length)
        self.digits = QSpinBox(self)
        self.digits.setObjectName("tid.width")
        self.digits.setRange(settings.TID_WIDTH.minimum, settings.TID_WIDTH.maximum)
        self.digits.setMaximumWidth(120)
        self.pattern = QLineEdit(self)
        self.pattern.setObjectName("act.number_pattern")
        self.pattern.setMaxLength(settings.ACT_NUMBER_PATTERN.max_length)
        self.next_tid = QLabel(self)
        self.next_tid.setObjectName("next_tid")
        self.next_act = QLabel(self)
        self.next_act.setObjectName("next_act")
        for label in (self.next_tid, self.next_act):
            label.setWordWrap(True)
        self.prefix.textChanged.connect(self._edited)
        self.digits.valueChanged.connect(self._edited)
        self.pattern.textChanged.connect(self._edited)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(translate("Numbering", "Ticket number prefix:"), self.prefix)
        form.addRow(translate("Numbering", "Digits in a ticket number:"), self.digits)
        form.addRow(translate("Numbering", "Next ticket:"), self.next_tid)
        form.addRow(translate("Numbering", "Act number pattern:"), self.pattern)
        form.addRow(translate("Numbering", "Next act:"), self.next_act)
        self.lay_out_form(form, translate(
            "Numbering", "The prefix is 1 to 10 Latin letters or digits, starting with a letter. The act "
            "pattern uses {year} and {seq}, with a width if wanted: {seq:04d} gives 0042; with {year} the "
            "count starts again each year. Numbers already given never change and are never given again: "
            "the new form applies from the next ticket or act."), "Numbering", "save_numbering")
        self.reload()

    def reload(self) -> None:
        ws = self.ws
        self.runner.read(lambda: (rs.read_group(ws, "numbering"), rs.counters(ws)), self._fill, self.failed)

    def _fill(self, read: tuple[dict[str, Any], rs.Counters]) -> None:
        values, self.counters = read
        self.expected = dict(values)
        self._filling = True
        try:
            self.prefix.setText(values["tid.prefix"])
            self.digits.setValue(values["tid.width"])
            self.pattern.setText(values["act.number_pattern"])
        finally:
            self._filling = False
        self._edited()

    def values(self) -> dict[str, Any]:
        return {"tid.prefix": self.prefix.text(), "tid.width": self.digits.value(),
                "act.number_pattern": self.pattern.text()}

    def _edited(self, *_args: object) -> None:
        """The preview and the Save button follow every keystroke; no database is asked."""
        if self._filling or self.counters is None:
            return
        shown = rs.preview(self.counters, self.values())
        refused = [v for v in shown.values() if isinstance(v, ReglamentError)]
        for label, value in ((self.next_tid, shown["tid"]), (self.next_act, shown["act"])):
            if isinstance(value, ReglamentError):
                label.setText("—")
                label.setStyleSheet(state_style("breached", self))
            else:
                label.setText(f"<b>{value}</b>")
                label.setStyleSheet("")
        self.save_button.setEnabled(not refused)
        if refused:
            self.status.setStyleSheet(state_style("breached", self))
            self.status.setText("\n".join(user_message(exc) for exc in refused))
        elif self._refusing:
            self.status.clear()
        self._refusing = bool(refused)

    def save(self) -> None:
        if self.expected is None:
            return
        ws, values, expected = self.ws, self.values(), dict(self.expected)

        def saved(keys: list[str]) -> None:
            self.reload()
            self.note(translate("Numbering", "Saved.") if keys else translate("Numbering", "Nothing changed."))
            if keys:
                self.changed.emit()

        self.runner.write(lambda: rs.save_group(ws, "numbering", values, expected),
                          saved, lambda exc: self.refused(exc, lambda: rs.read_group(ws, "numbering")))
