"""Settings ▸ Workstation: this computer's own choices — for now, the time zone the window shows
times in (the computer's zone by default). Kept in the data folder's settings file, not in the
shared database: two agents of one team may sit in different cities."""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QComboBox, QCompleter, QFormLayout, QWidget

from desktop import times
from desktop.services.display_zone import choose_zone, chosen_zone
from desktop.services.workspace import Workspace
from ui.dialogs.page import SettingsPage
from ui.workers import Runner

translate = QCoreApplication.translate


def computer_zone_text() -> str:
    """The first choice: the computer's zone, with its current offset, so the agent sees which."""
    now = datetime.now().astimezone()
    return translate("Workstation", "The computer's zone ({0})").format(times.utc_offset(now.utcoffset() or timedelta(0)))


class WorkstationPage(SettingsPage):
    def __init__(self, parent: QWidget | None, runner: Runner, ws: Workspace) -> None:
        super().__init__(parent, runner, ws)
        self.setObjectName("workstation_page")
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.zone = QComboBox(self)
        self.zone.setObjectName("zone")
        self.zone.setEditable(True)
        self.zone.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.zone.addItem(computer_zone_text(), "")
        for name in times.zone_names():
            self.zone.addItem(name, name)
        completer = self.zone.completer()
        if completer is not None:
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        form.addRow(translate("Workstation", "Show times in the time zone"), self.zone)
        self.lay_out_form(form, translate(
            "Workstation",
            "Every time in the window is shown in this zone. Where it differs from a plan's calendar "
            "zone, a deadline says both: \"due 18:00 MSK — 20:00 your time\". Mail and acts to "
            "clients keep the calendar's zone and name it."), "Workstation", "save_workstation")
        self.reload()

    def chosen(self) -> str:
        """The zone in the box: the chosen item's name, or the typed name; "" for the computer's."""
        index = self.zone.findText(self.zone.currentText(), Qt.MatchFlag.MatchFixedString)
        if index >= 0:
            return str(self.zone.itemData(index) or "")
        return self.zone.currentText().strip()

    def reload(self) -> None:
        name = chosen_zone(self.ws)
        index = max(0, self.zone.findData(name))
        self.zone.setCurrentIndex(index)
        if index == 0 and name:  # a name this computer's zone database lacks: shown as typed
            self.zone.setEditText(name)

    def save(self) -> None:
        name, ws = self.chosen(), self.ws
        self.runner.write(lambda: choose_zone(ws, name), self._saved, self.failed)

    def _saved(self, value: object) -> None:
        self.note(translate("Workstation", "Saved: times are shown in {0}.").format(
            value or computer_zone_text()))
        self.changed.emit()
