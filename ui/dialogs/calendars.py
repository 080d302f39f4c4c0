"""Working-time calendars (R-SLA-2): zone, hours per weekday, presets, company exceptions.

Hours per weekday are typed the way the regulations write them — "09:00-13:00, 14:00-18:00" for a
lunch break — and checked by the domain's own parser, whose messages say what is wrong. Company
days off and extra working days are added with a date picker and stored at once through the
services behind ``reglament calendar day-off`` / ``working-day``; the Russian public holidays
(with transfers) are built in and listed for the year being looked at.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import QCoreApplication, QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desktop import times
from desktop.domain.calendar_presets import PRESET_TITLES, PRESETS
from desktop.domain.calendar_spec import WEEKDAY_KEYS
from desktop.services import regulation, regulation_preview
from desktop.services.regulation import CalendarRecord, HolidayDay
from desktop.services.regulation_preview import Moves
from desktop.services.workspace import Workspace
from ui.countdown import MUTED
from ui.dialogs.calendar_years import ProductionCalendarBox
from ui.dialogs.moves_preview import ask_to_apply
from ui.dialogs.page import SettingsPage, confirm_discard, select_by_data
from ui.workers import Runner

translate = QCoreApplication.translate

ZONES = ("Europe/Moscow", "Europe/Kaliningrad", "Europe/Samara", "Asia/Yekaterinburg", "Asia/Omsk",
         "Asia/Novosibirsk", "Asia/Krasnoyarsk", "Asia/Irkutsk", "Asia/Yakutsk", "Asia/Vladivostok",
         "Asia/Magadan", "Asia/Kamchatka", "+06:00", "UTC")


def weekday_title(i: int) -> str:
    return (translate("Calendars", "Monday"), translate("Calendars", "Tuesday"),
            translate("Calendars", "Wednesday"), translate("Calendars", "Thursday"),
            translate("Calendars", "Friday"), translate("Calendars", "Saturday"),
            translate("Calendars", "Sunday"))[i]


def _lang() -> str:
    from ui import i18n

    return i18n.current()


class CalendarsPage(SettingsPage):
    def __init__(self, parent: QWidget | None, runner: Runner, ws: Workspace) -> None:
        super().__init__(parent, runner, ws)
        self.setObjectName("calendars_page")
        self.records: list[CalendarRecord] = []
        self.current: CalendarRecord | None = None
        self.new = False
        body = QHBoxLayout(self)
        left = QVBoxLayout()
        self.listing = QListWidget(self)
        self.listing.setObjectName("calendars")
        self.listing.currentItemChanged.connect(self._chosen)
        self.listing.setMinimumWidth(230)
        self.listing.setWordWrap(True)
        left.addWidget(self.listing, 1)
        self.new_button = QPushButton(translate("Calendars", "New calendar"), self)
        self.new_button.clicked.connect(self.new_calendar)
        left.addWidget(self.new_button)
        body.addLayout(left, 1)

        split = QSplitter(Qt.Orientation.Horizontal, self)
        formbox = QWidget(split)
        right = QVBoxLayout(formbox)
        right.setContentsMargins(0, 0, 0, 0)
        form = QFormLayout()
        self.code = QLineEdit(self)
        self.code.setObjectName("calendar_code")
        form.addRow(translate("Calendars", "Code:"), self.code)
        self.name = QLineEdit(self)
        self.name.setObjectName("calendar_name")
        form.addRow(translate("Calendars", "Name:"), self.name)
        self.used_by = QLabel(self)
        self.used_by.setWordWrap(True)
        form.addRow(translate("Calendars", "Used by plans:"), self.used_by)
        preset_row = QHBoxLayout()
        self.preset = QComboBox(self)
        self.preset.setObjectName("calendar_preset")
        ru = _lang() == "ru"
        for key in PRESETS:
            self.preset.addItem(PRESET_TITLES[key][0 if ru else 1], key)
        self.apply_preset_button = QPushButton(translate("Calendars", "Fill in"), self)
        self.apply_preset_button.clicked.connect(self.apply_preset)
        preset_row.addWidget(self.preset, 1)
        preset_row.addWidget(self.apply_preset_button)
        form.addRow(translate("Calendars", "Preset:"), preset_row)
        self.zone = QComboBox(self)
        self.zone.setObjectName("calendar_zone")
        self.zone.setEditable(True)
        self.zone.addItems(ZONES)
        self.zone.setToolTip(translate("Calendars", "An IANA zone (Europe/Moscow) or a fixed offset (+06:00)"))
        form.addRow(translate("Calendars", "Time zone:"), self.zone)
        self.always = QCheckBox(translate("Calendars", "Around the clock, every day (24/7)"), self)
        self.always.setObjectName("calendar_always")
        self.always.toggled.connect(self._always_toggled)
        form.addRow("", self.always)
        self.days: list[QLineEdit] = []
        for i in range(7):
            w = QLineEdit(self)
            w.setObjectName(f"hours_{WEEKDAY_KEYS[i]}")
            w.setPlaceholderText(translate("Calendars", "day off"))
            form.addRow(weekday_title(i) + ":", w)
            self.days.append(w)
        self.extra = QLineEdit(self)
        self.extra.setObjectName("hours_extra")
        self.extra.setPlaceholderText(translate("Calendars", "as on Monday"))
        form.addRow(translate("Calendars", "Extra working days:"), self.extra)
        self.ru_holidays = QCheckBox(
            translate("Calendars", "Russian public holidays, with transferred days off and working Saturdays"), self)
        self.ru_holidays.setObjectName("calendar_ru_holidays")
        form.addRow("", self.ru_holidays)
        right.addLayout(form)
        right.addWidget(self.hint(translate(
            "Calendars", "Hours as 09:00-18:00; several intervals with commas, e.g. 09:00-13:00, 14:00-18:00 "
            "for a lunch break. Saving recomputes the deadlines of open tickets on plans using this calendar.")))
        actions = self.save_revert_row("Calendars", "save_calendar")
        actions.addStretch(1)
        right.addLayout(actions)
        right.addWidget(self.status)
        right.addStretch(1)

        side = QWidget(split)
        side_lay = QVBoxLayout(side)
        side_lay.setContentsMargins(0, 0, 0, 0)
        exc_box = QGroupBox(translate("Calendars", "Company exceptions (saved at once)"), side)
        exc = QVBoxLayout(exc_box)
        self.exceptions = QListWidget(exc_box)
        self.exceptions.setObjectName("exceptions")
        exc.addWidget(self.exceptions, 1)
        self.date = QDateEdit(exc_box)
        self.date.setObjectName("exception_date")
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("dd.MM.yyyy")
        today = ws.now().date()
        self.date.setDate(QDate(today.year, today.month, today.day))
        self.date.dateChanged.connect(self._year_changed)
        exc.addWidget(self.date)
        row = QHBoxLayout()
        self.day_off_button = QPushButton(translate("Calendars", "Add day off"), exc_box)
        self.day_off_button.clicked.connect(lambda: self.add_day(working=False))
        self.working_button = QPushButton(translate("Calendars", "Add working day"), exc_box)
        self.working_button.clicked.connect(lambda: self.add_day(working=True))
        row.addWidget(self.day_off_button)
        row.addWidget(self.working_button)
        exc.addLayout(row)
        self.remove_day_button = QPushButton(translate("Calendars", "Remove selected"), exc_box)
        self.remove_day_button.clicked.connect(self.remove_day)
        exc.addWidget(self.remove_day_button)
        side_lay.addWidget(exc_box, 1)
        hol_box = QGroupBox(self)
        self.holidays_box = hol_box
        hol = QVBoxLayout(hol_box)
        source = QLabel(translate(
            "Calendars", "Built in from the “holidays” package; nothing to enter. "
            "Add only your company's own exceptions."), hol_box)
        source.setWordWrap(True)
        source.setStyleSheet(MUTED)
        hol.addWidget(source)
        self.holidays = QListWidget(hol_box)
        self.holidays.setObjectName("holidays")
        hol.addWidget(self.holidays, 1)
        side_lay.addWidget(hol_box, 1)
        self.years_box = ProductionCalendarBox(side, runner, ws)
        self.years_box.imported.connect(self._imported)
        side_lay.addWidget(self.years_box)
        split.addWidget(formbox)
        split.addWidget(side)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        body.addWidget(split, 4)
        self._holiday_year = 0
        self._year_changed(self.date.date())
        self.years_box.reload()

    # --- reading ----------------------------------------------------------------------------

    def reload(self, select: str | None = None) -> None:
        ws = self.ws
        keep = select or (self.current.code if self.current else None)
        self.runner.read(lambda: regulation.calendar_records(ws), lambda r: self._listed(r, keep), self.failed)

    def _listed(self, records: list[CalendarRecord], keep: str | None) -> None:
        dirty = self.is_dirty()
        self.records = list(records)
        self.listing.blockSignals(True)
        self.listing.clear()
        for r in self.records:
            item = QListWidgetItem(f"{r.name} ({r.code})")
            item.setData(Qt.ItemDataRole.UserRole, r.code)
            self.listing.addItem(item)
            if r.code == keep:
                self.listing.setCurrentItem(item)
        self.listing.blockSignals(False)
        found = next((r for r in self.records if r.code == keep), None)
        if dirty and found is not None:
            self._show_exceptions(found)
            return
        found = found or (self.records[0] if self.records else None)
        if found is not None:
            select_by_data(self.listing, found.code)
            self._fill(found)

    def _chosen(self, item: QListWidgetItem | None, _previous: QListWidgetItem | None) -> None:
        if item is None:
            return
        if self.is_dirty() and not confirm_discard(self, self.name.text() or self.code.text()):
            if self.current is not None:
                select_by_data(self.listing, self.current.code)
            return
        self.status.clear()
        found = next((r for r in self.records if r.code == item.data(Qt.ItemDataRole.UserRole)), None)
        if found is not None:
            self._fill(found)

    def _fill(self, r: CalendarRecord) -> None:
        self.current, self.new = r, False
        self.code.setText(r.code)
        self.code.setReadOnly(True)
        self.name.setText(r.name)
        self.used_by.setText(", ".join(r.plans) or translate("Calendars", "none"))
        self._fill_spec(r.spec)
        self._show_exceptions(r)
        self._exceptions_enabled(True)

    def _fill_spec(self, spec: dict[str, Any]) -> None:
        self.zone.setCurrentText(str(spec.get("timezone", "Europe/Moscow")))
        always = bool(spec.get("always_open"))
        self.always.setChecked(always)
        week = spec.get("week", {})
        for i, w in enumerate(self.days):
            w.setText("" if always else ", ".join(week.get(WEEKDAY_KEYS[i], [])))
        self.extra.setText(", ".join(spec.get("extra_day_hours") or []))
        self.ru_holidays.setChecked(bool(spec.get("ru_holidays", True)))
        self._always_toggled(always)

    def _show_exceptions(self, r: CalendarRecord) -> None:
        self.exceptions.clear()
        rows = [(d, False) for d in r.spec.get("days_off", [])] + [(d, True) for d in r.spec.get("working_days", [])]
        for text, working in sorted(rows):
            day = date.fromisoformat(text)
            kind = translate("Calendars", "extra working day") if working else translate("Calendars", "day off")
            item = QListWidgetItem(f"{times.dmy(day)} — {kind}")
            item.setData(Qt.ItemDataRole.UserRole, text)
            self.exceptions.addItem(item)

    def _exceptions_enabled(self, on: bool) -> None:
        for w in (self.day_off_button, self.working_button, self.remove_day_button, self.exceptions):
            w.setEnabled(on)

    def _always_toggled(self, on: bool) -> None:
        for w in (*self.days, self.extra, self.ru_holidays):
            w.setEnabled(not on)

    def _year_changed(self, qd: QDate) -> None:
        year = qd.year()
        if year == self._holiday_year:
            return
        self._holiday_year = year
        self.years_box.set_year(year)
        self.holidays_box.setTitle(translate("Calendars", "Russian public holidays in {0}").format(year))
        lang = _lang()
        ws = self.ws
        self.runner.read(lambda: regulation.ru_holidays(year, lang, ws), self._holidays_listed, self.failed)

    def _holidays_listed(self, days: list[HolidayDay]) -> None:
        self.holidays.clear()
        for h in days:
            item = QListWidgetItem(f"{times.dmy(h.day)} — {h.name}")
            if h.working:
                item.setForeground(Qt.GlobalColor.darkGreen)
            self.holidays.addItem(item)

    def _imported(self) -> None:
        self.changed.emit()
        self.reload()
        year, self._holiday_year = self._holiday_year, 0
        self._year_changed(QDate(year, 1, 1))  # the holidays list shows the imported days

    def apply_preset(self) -> None:
        key = str(self.preset.currentData())
        self._fill_spec(PRESETS[key].to_dict())
        if self.new and not self.name.text().strip():
            self.name.setText(self.preset.currentText())

    def new_calendar(self) -> None:
        if self.is_dirty() and not confirm_discard(self, self.name.text() or self.code.text()):
            return
        self.listing.blockSignals(True)
        self.listing.setCurrentRow(-1)
        self.listing.blockSignals(False)
        self.current, self.new = None, True
        self.status.clear()
        self.code.clear()
        self.code.setReadOnly(False)
        self.name.clear()
        self.used_by.setText(translate("Calendars", "none"))
        self.exceptions.clear()
        self._exceptions_enabled(False)
        self.apply_preset()
        self.code.setFocus()

    def revert(self) -> None:
        if self.current is not None:
            self._fill(self.current)

    # --- the form as a spec -----------------------------------------------------------------

    def form_spec(self) -> dict[str, Any]:
        base = self.current.spec if self.current is not None else {}
        spec: dict[str, Any] = {
            "timezone": self.zone.currentText().strip(),
            "always_open": self.always.isChecked(),
            "week": {WEEKDAY_KEYS[i]: [p.strip() for p in w.text().split(",") if p.strip()]
                     for i, w in enumerate(self.days)},
            "ru_holidays": self.ru_holidays.isChecked(),
            "days_off": list(base.get("days_off", [])),
            "working_days": list(base.get("working_days", [])),
            "extra_day_hours": [p.strip() for p in self.extra.text().split(",") if p.strip()] or None,
        }
        if base.get("national"):
            spec["national"] = base["national"]  # imported production-calendar years stay
        if spec["always_open"]:
            spec["week"] = base.get("week", {}) if base.get("always_open") else {k: ["00:00-24:00"] for k in WEEKDAY_KEYS}
        return spec

    def is_dirty(self) -> bool:
        if self.new:
            return bool(self.code.text().strip())
        if self.current is None:
            return False
        from desktop.domain.calendar import WorkingCalendar
        from desktop.errors import ReglamentError

        try:
            spec = WorkingCalendar.from_dict(self.form_spec()).to_dict()
        except ReglamentError:
            return True  # a half-typed interval is an edit too
        return (self.name.text().strip(), spec) != (self.current.name, self.current.spec)

    # --- saving -----------------------------------------------------------------------------

    def save(self) -> None:
        code, name, spec, ws = self.code.text().strip(), self.name.text(), self.form_spec(), self.ws
        expected, new = self.current, self.new
        self.save_button.setEnabled(False)

        def store() -> None:
            self.runner.write(lambda: regulation.save_calendar_record(ws, code, name, spec, expected, new=new),
                              lambda n: self._saved(code, int(n)), self._save_failed)

        if new:
            store()  # no plan counts on a calendar not made yet
            return
        self._preview_then(lambda: regulation_preview.preview_calendar(ws, code, spec),
                           translate("Calendars", "Save the calendar {0}: deadlines that move").format(name),
                           store, self._save_failed)

    def _preview_then(self, preview: Callable[[], Moves], title: str, store: Callable[[], object],
                      failed: Callable[[BaseException], None]) -> None:
        """What would move first (read lane); the change only on Apply, or at once when nothing
        moves."""
        def shown(moves: Moves) -> None:
            if not moves.moves:
                store()
                return
            ask_to_apply(self, title, moves, store, self._cancelled)

        self.runner.read(preview, shown, failed)

    def _cancelled(self) -> None:
        self.save_button.setEnabled(True)
        self.note(translate("Calendars", "Not saved; no deadline moved."))

    def _saved(self, code: str, recomputed: int) -> None:
        self.save_button.setEnabled(True)
        self.current, self.new = None, False
        self.changed.emit()
        self.reload(code)
        self.note(translate("Calendars", "Saved. Deadlines of {0} open tickets recomputed.").format(recomputed))

    def _save_failed(self, exc: BaseException) -> None:
        self.save_button.setEnabled(True)
        self.failed(exc)
        from desktop.errors import ConflictError

        if isinstance(exc, ConflictError) and self.current is not None:
            code, ws = self.current.code, self.ws
            self.runner.read(lambda: next(c for c in regulation.calendar_records(ws) if c.code == code),
                             self._adopt, self.failed)

    def _adopt(self, stored: CalendarRecord) -> None:
        """After a conflict: the form keeps the edits, the snapshot and the exceptions list
        become the stored ones, so the next Save replaces the other change knowingly."""
        self.current = stored
        self._show_exceptions(stored)

    # --- exceptions (stored at once, as the CLI does) ---------------------------------------

    def add_day(self, working: bool) -> None:
        if self.current is None:
            return
        qd = self.date.date()
        day, code, ws = date(qd.year(), qd.month(), qd.day()), self.current.code, self.ws
        self._preview_then(lambda: regulation_preview.preview_calendar_day(ws, code, day, working),
                           translate("Calendars", "Change the calendar {0}: deadlines that move").format(code),
                           lambda: self.runner.write(lambda: regulation.add_calendar_day(ws, code, day, working),
                                                     lambda n: self._day_stored(code, int(n)), self.failed),
                           self.failed)

    def remove_day(self) -> None:
        item = self.exceptions.currentItem()
        if self.current is None or item is None:
            return
        day, code, ws = date.fromisoformat(str(item.data(Qt.ItemDataRole.UserRole))), self.current.code, self.ws
        self._preview_then(lambda: regulation_preview.preview_calendar_day(ws, code, day, None),
                           translate("Calendars", "Change the calendar {0}: deadlines that move").format(code),
                           lambda: self.runner.write(lambda: regulation.remove_calendar_day(ws, code, day),
                                                     lambda n: self._day_stored(code, int(n)), self.failed),
                           self.failed)

    def _day_stored(self, code: str, recomputed: int) -> None:
        self.changed.emit()
        before = self.current
        ws = self.ws

        def got(records: list[CalendarRecord]) -> None:
            fresh = next((c for c in records if c.code == code), None)
            if fresh is None or before is None or self.current is not before:
                return
            self.records = list(records)
            # Only the exceptions changed by our own hand: adopt them into the snapshot unless the
            # rest of the calendar was changed elsewhere too (then the next Save reports it).
            same_rest = ({k: v for k, v in fresh.spec.items() if k not in ("days_off", "working_days")}
                         == {k: v for k, v in before.spec.items() if k not in ("days_off", "working_days")})
            if same_rest and fresh.name == before.name:
                self.current = fresh
            self._show_exceptions(fresh)
            self.note(translate("Calendars", "Saved. Deadlines of {0} open tickets recomputed.").format(recomputed))

        self.runner.read(lambda: regulation.calendar_records(ws), got, self.failed)
