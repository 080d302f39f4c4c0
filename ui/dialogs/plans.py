"""Support plans (R-SLA-1, R-SLA-4): names, calendar and reaction/resolution targets per priority.

Saving goes through ``regulation.save_plan``, which calls ``set_plan`` — the service behind
``reglament plan-set`` — so the open tickets' stored deadlines are recomputed exactly as from the
command line, and the status line says how many moved.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.sla import PRIORITIES
from desktop.services import regulation, regulation_preview
from desktop.services.regulation import PlanRecord
from desktop.services.regulation_preview import Moves
from desktop.services.workspace import Workspace
from ui import numbers
from ui.dialogs.moves_preview import ask_to_apply
from ui.dialogs.page import SettingsPage, confirm_discard, select_by_data
from ui.workers import Runner

translate = QCoreApplication.translate


def priority_title(prio: str) -> str:
    return {"low": translate("Plans", "Low"), "normal": translate("Plans", "Normal"),
            "high": translate("Plans", "High"), "urgent": translate("Plans", "Urgent")}[prio]


def plan_title(r: PlanRecord) -> str:
    from ui import i18n

    return (r.name_ru or r.name) if i18n.current() == "ru" else r.name


class DurationEdit(QWidget):
    """Working time as hours and minutes; optional targets get a check box ("no target")."""

    def __init__(self, parent: QWidget | None, optional: bool, name: str) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.enabled = QCheckBox(self)
        self.enabled.setVisible(optional)
        self.enabled.setChecked(True)
        self.enabled.setToolTip(translate("Plans", "Untick for no target"))
        self.enabled.toggled.connect(self._toggled)
        self.hours = QSpinBox(self)
        self.hours.setRange(0, 9999)
        self.hours.setSuffix(translate("Plans", " h"))
        self.minutes = QSpinBox(self)
        self.minutes.setRange(0, 59)
        self.minutes.setSuffix(translate("Plans", " min"))
        lay.addWidget(self.enabled)
        lay.addWidget(self.hours)
        lay.addWidget(self.minutes)
        lay.addStretch(1)

    def _toggled(self, on: bool) -> None:
        self.hours.setEnabled(on)
        self.minutes.setEnabled(on)

    def set_minutes(self, minutes: int | None) -> None:
        self.enabled.setChecked(minutes is not None)
        self.hours.setValue((minutes or 0) // 60)
        self.minutes.setValue((minutes or 0) % 60)

    def value(self) -> int | None:
        if not self.enabled.isChecked():
            return None
        return self.hours.value() * 60 + self.minutes.value()


class PlansPage(SettingsPage):
    def __init__(self, parent: QWidget | None, runner: Runner, ws: Workspace) -> None:
        super().__init__(parent, runner, ws)
        self.setObjectName("plans_page")
        self.records: list[PlanRecord] = []
        self.current: PlanRecord | None = None
        body = QHBoxLayout(self)
        self.listing = QListWidget(self)
        self.listing.setObjectName("plans")
        self.listing.currentItemChanged.connect(self._chosen)
        self.listing.setMaximumWidth(260)
        body.addWidget(self.listing, 1)

        right = QVBoxLayout()
        form = QFormLayout()
        self.name = QLineEdit(self)
        self.name.setObjectName("plan_name")
        form.addRow(translate("Plans", "Name (English):"), self.name)
        self.name_ru = QLineEdit(self)
        self.name_ru.setObjectName("plan_name_ru")
        form.addRow(translate("Plans", "Name (Russian):"), self.name_ru)
        self.code = QLabel(self)
        form.addRow(translate("Plans", "Code:"), self.code)
        self.calendar = QComboBox(self)
        self.calendar.setObjectName("plan_calendar")
        form.addRow(translate("Plans", "Calendar:"), self.calendar)
        self.priority_support = QCheckBox(
            translate("Plans", "Extended/priority support (its clients go first in the queue)"), self)
        form.addRow("", self.priority_support)
        self.warn = QSpinBox(self)
        self.warn.setObjectName("plan_warn")
        self.warn.setRange(1, 100)
        self.warn.setSuffix(numbers.percent_suffix())
        self.warn.setMaximumWidth(110)
        self.warn.setToolTip(translate("Plans", "The countdown turns amber once this share of the target is used"))
        form.addRow(translate("Plans", "Warn when used:"), self.warn)
        right.addLayout(form)

        box = QGroupBox(translate("Plans", "Targets in working time of the plan's calendar"), self)
        grid = QGridLayout(box)
        grid.addWidget(QLabel(translate("Plans", "Priority"), box), 0, 0)
        grid.addWidget(QLabel(translate("Plans", "Reaction"), box), 0, 1)
        grid.addWidget(QLabel(translate("Plans", "Resolution (optional)"), box), 0, 2)
        self.reaction: dict[str, DurationEdit] = {}
        self.resolution: dict[str, DurationEdit] = {}
        for row, prio in enumerate(PRIORITIES, start=1):
            grid.addWidget(QLabel(priority_title(prio), box), row, 0)
            self.reaction[prio] = DurationEdit(box, False, f"reaction_{prio}")
            self.resolution[prio] = DurationEdit(box, True, f"resolution_{prio}")
            grid.addWidget(self.reaction[prio], row, 1)
            grid.addWidget(self.resolution[prio], row, 2)
        right.addWidget(box)
        right.addWidget(self.hint(translate(
            "Plans", "Saving recomputes the deadlines of this plan's open tickets, as "
            "“reglament plan-set” does. A client's plan is chosen on the Clients tab.")))
        actions = self.save_revert_row("Plans", "save_plan")
        actions.addStretch(1)
        right.addLayout(actions)
        right.addWidget(self.status)
        right.addStretch(1)
        body.addLayout(right, 3)
        self._set_enabled(False)

    def _set_enabled(self, on: bool) -> None:
        for w in (self.name, self.name_ru, self.calendar, self.priority_support, self.warn,
                  self.save_button, self.revert_button, *self.reaction.values(), *self.resolution.values()):
            w.setEnabled(on)

    # --- reading ----------------------------------------------------------------------------

    def reload(self, select: str | None = None) -> None:
        ws = self.ws
        keep = select or (self.current.code if self.current else None)
        self.runner.read(lambda: (regulation.plan_records(ws), regulation.calendar_records(ws)),
                         lambda r: self._listed(r, keep), self.failed)

    def _listed(self, result: tuple[list[PlanRecord], list[Any]], keep: str | None) -> None:
        records, calendars = result
        dirty = self.is_dirty()
        self.records = list(records)
        chosen = self.calendar.currentData()
        self.calendar.blockSignals(True)
        self.calendar.clear()
        for c in calendars:
            self.calendar.addItem(f"{c.name} ({c.code})", c.code)
        self.calendar.setCurrentIndex(max(self.calendar.findData(chosen), 0))
        self.calendar.blockSignals(False)
        self.listing.blockSignals(True)
        self.listing.clear()
        for r in self.records:
            item = QListWidgetItem(plan_title(r))
            item.setData(Qt.ItemDataRole.UserRole, r.code)
            self.listing.addItem(item)
            if r.code == keep:
                self.listing.setCurrentItem(item)
        self.listing.blockSignals(False)
        if dirty:
            return  # keep what is being typed; the snapshot stays what the form was loaded from
        found = next((r for r in self.records if r.code == keep), None) or (self.records[0] if self.records else None)
        if found is not None:
            select_by_data(self.listing, found.code)
            self._fill(found)

    def _chosen(self, item: QListWidgetItem | None, previous: QListWidgetItem | None) -> None:
        if item is None:
            return
        if self.is_dirty() and self.current is not None and not confirm_discard(self, self.current.name):
            select_by_data(self.listing, self.current.code)
            return
        self.status.clear()
        found = next((r for r in self.records if r.code == item.data(Qt.ItemDataRole.UserRole)), None)
        if found is not None:
            self._fill(found)

    def _fill(self, r: PlanRecord) -> None:
        self.current = r
        self._set_enabled(True)
        self.name.setText(r.name)
        self.name_ru.setText(r.name_ru)
        self.code.setText(r.code)
        self.calendar.setCurrentIndex(max(self.calendar.findData(r.calendar), 0))
        self.priority_support.setChecked(r.priority_support)
        self.warn.setValue(round(r.warn_share * 100))
        for prio in PRIORITIES:
            self.reaction[prio].set_minutes(r.reaction.get(prio))
            self.resolution[prio].set_minutes(r.resolution.get(prio))

    def form_record(self) -> PlanRecord | None:
        if self.current is None:
            return None
        return replace(
            self.current, name=self.name.text(), name_ru=self.name_ru.text(),
            calendar=str(self.calendar.currentData() or self.current.calendar),
            priority_support=self.priority_support.isChecked(),
            warn_share=self.warn.value() / 100 if round(self.current.warn_share * 100) != self.warn.value()
            else self.current.warn_share,
            reaction={p: self.reaction[p].value() for p in PRIORITIES},
            resolution={p: self.resolution[p].value() for p in PRIORITIES},
        )

    def is_dirty(self) -> bool:
        return self.current is not None and self.form_record() != self.current

    def revert(self) -> None:
        if self.current is not None:
            self._fill(self.current)

    # --- saving -----------------------------------------------------------------------------

    def save(self) -> None:
        record, expected, ws = self.form_record(), self.current, self.ws
        if record is None:
            return
        self.save_button.setEnabled(False)
        # First what would move (read lane), then the change only on Apply.
        self.runner.read(lambda: regulation_preview.preview_plan_record(ws, record),
                         lambda moves: self._previewed(record, expected, moves), self._save_failed)

    def _previewed(self, record: PlanRecord, expected: PlanRecord | None, moves: Moves) -> None:
        if not moves.moves:
            self._store(record, expected)
            return
        ask_to_apply(self, translate("Plans", "Save the plan {0}: deadlines that move").format(record.name),
                     moves, lambda: self._store(record, expected), self._cancelled)

    def _store(self, record: PlanRecord, expected: PlanRecord | None) -> None:
        ws = self.ws
        self.runner.write(lambda: regulation.save_plan(ws, record, expected),
                          lambda n: self._saved(record, int(n)), self._save_failed)

    def _cancelled(self) -> None:
        self.save_button.setEnabled(True)
        self.note(translate("Plans", "Not saved; no deadline moved. Your edits are still in the form."))

    def _saved(self, record: PlanRecord, recomputed: int) -> None:
        self.save_button.setEnabled(True)
        self.current = record  # what is stored now; the re-read below confirms it
        self.changed.emit()
        self.reload(record.code)
        self.note(translate("Plans", "Saved. Deadlines of {0} open tickets recomputed.").format(recomputed))

    def _save_failed(self, exc: BaseException) -> None:
        self.save_button.setEnabled(True)
        self.failed(exc)
        from desktop.errors import ConflictError

        if isinstance(exc, ConflictError) and self.current is not None:
            # The form keeps the administrator's edits; the snapshot becomes the stored plan,
            # so the next Save (now informed) replaces the other change on purpose.
            code, ws = self.current.code, self.ws
            self.runner.read(lambda: next(p for p in regulation.plan_records(ws) if p.code == code),
                             self._adopt, self.failed)

    def _adopt(self, stored: PlanRecord) -> None:
        self.current = stored
