"""The Regulation tab: the regulation's own numbers (R-AUTO-1, R-AUTO-2, R-MAIL-4).

When a silent ticket is closed and whether calendar or business days count, when the client is
reminded first, how long an acceptance act waits and what happens then, how long a closed
ticket can be reopened by a reply, and how automatic replies are rationed. Each is a workspace
setting (the same ones as ``reglament settings``); its field is built from its declaration in
``desktop.settings`` (title in the window's language, bounds, choices), so the tab cannot offer a
value the engine refuses. Saved all at once and checked against what the tab read, so two
administrators never overwrite each other's change unknowingly.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QComboBox, QFormLayout, QSpinBox, QWidget

from desktop.services import regulation
from desktop.services.workspace import Workspace
from desktop.settings import ChoiceSetting, IntSetting
from ui import i18n
from ui.dialogs.page import SettingsPage
from ui.workers import Runner

translate = QCoreApplication.translate


class RegulationPage(SettingsPage):
    def __init__(self, parent: QWidget | None, runner: Runner, ws: Workspace) -> None:
        super().__init__(parent, runner, ws)
        self.setObjectName("regulation_page")
        self.expected: dict[str, Any] | None = None
        self.spins: dict[str, QSpinBox] = {}
        self.choices: dict[str, QComboBox] = {}
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)

        lang = i18n.current()
        for setting in regulation.REGULATION:
            # The declaration decides the field: its title, a spin box within its bounds or a
            # combo of its choices. Only the unit words after a number are the window's own.
            if isinstance(setting, IntSetting):
                box = QSpinBox(self)
                box.setRange(setting.minimum, setting.maximum)
                self._suffix(box, self._suffixes().get(setting.key, ("", "")))
                self.spins[setting.key] = box
                field: QWidget = box
            elif isinstance(setting, ChoiceSetting):
                combo = QComboBox(self)
                for option in setting.choices:
                    combo.addItem(option.title(lang), option.value)
                self.choices[setting.key] = combo
                field = combo
            else:  # pragma: no cover - a regulation setting of a type this tab cannot edit
                raise TypeError(f"the Regulation tab has no field for {setting.key}")
            field.setObjectName(setting.key)
            form.addRow(setting.title(lang), field)
        self.spins["mail.ack_history_hours"].setToolTip(translate(
            "Regulation", "Older mail is imported as the mailbox's archive: closed tickets, "
            "no acknowledgement, no deadlines."))

        self.lay_out_form(form, translate(
            "Regulation", "The timers apply these at their next run (every minute while mail syncs, or "
            "reglament run-timers); tickets already closed or acts already answered are not changed. "
            "Mail already in a new mailbox and older than that is imported as the mailbox's archive: "
            "closed tickets, no acknowledgement, no deadlines."), "Regulation", "save_regulation")
        self.reload()

    @staticmethod
    def _suffixes() -> dict[str, tuple[str, str]]:
        """The words after a number, (after 1, after any other number): "1 day", "3 days"."""
        days = (translate("Regulation", " day"), translate("Regulation", " days"))
        return {
            "autoclose.after_days": days,
            "autoclose.reminder_before_days": (translate("Regulation", " day before (0: no reminder)"),
                                               translate("Regulation", " days before (0: no reminder)")),
            "acceptance.window_days": days,
            "reopen.window_days": days,
            "mail.autoreply_per_hour": (translate("Regulation", " per hour at most"),) * 2,
            "mail.ack_history_hours": (translate("Regulation", " hour back at most"),
                                       translate("Regulation", " hours back at most")),
            "escalation.lead_percent": (translate("Regulation", " % of the target"),) * 2,
            "escalation.away_minutes": (translate("Regulation", " min without using the window"),) * 2,
        }

    @staticmethod
    def _suffix(box: QSpinBox, suffix: tuple[str, str]) -> None:
        one, many = suffix

        def fit(value: int) -> None:
            box.setSuffix(one if value == 1 else many)

        fit(box.value())
        box.valueChanged.connect(fit)

    def reload(self) -> None:
        ws = self.ws
        self.runner.read(lambda: regulation.regulation_settings(ws), self._fill, self.failed)

    def _fill(self, values: dict[str, Any]) -> None:
        self.expected = dict(values)
        for key, box in self.spins.items():
            box.setValue(int(values.get(key) or 0))
        for key, combo in self.choices.items():
            index = combo.findData(values.get(key))
            combo.setCurrentIndex(max(index, 0))

    def values(self) -> dict[str, Any]:
        out: dict[str, Any] = {key: box.value() for key, box in self.spins.items()}
        out.update({key: combo.currentData() for key, combo in self.choices.items()})
        return out

    def save(self) -> None:
        if self.expected is None:
            return
        ws, values, expected = self.ws, self.values(), dict(self.expected)

        def saved(keys: list[str]) -> None:
            self.expected = {**expected, **{k: values[k] for k in keys}}
            self.note(translate("Regulation", "Saved.") if keys else translate("Regulation", "Nothing changed."))
            if keys:
                self.changed.emit()

        self.runner.write(lambda: regulation.save_regulation_settings(ws, values, expected),
                          saved, lambda exc: self.refused(exc, lambda: regulation.regulation_settings(ws)))
