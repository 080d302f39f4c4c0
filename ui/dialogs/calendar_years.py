"""The Calendars tab's production-calendar box: which years are confirmed, a warning for the
one that is not, importing a year from a file and confirming one by hand.

The ``holidays`` package knows a year's transfers only once the government has decreed them
and the package was updated; for a later year (2028 today) it lists the statutory dates alone.
The box says so in red for the year being looked at and for the coming year from 1 October,
and offers the two ways out: import the official production calendar (XML/JSON as accounting
tools exchange it, or a CSV of dates and kinds) — previewed with the days it changes and the
deadlines it moves — or confirm the year as the calendars know it.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop import times
from desktop.domain.calendar_days import NationalYear
from desktop.domain.calendar_years import YearsKnown
from desktop.services import calendar_import
from desktop.services.calendar_import import ImportPreview, YearRecord
from desktop.services.workspace import Workspace
from ui.countdown import MUTED, state_style
from ui.dialogs.moves_preview import ask_to_apply
from ui.errors import user_message
from ui.workers import Runner

translate = QCoreApplication.translate


def _day_word(kind: str) -> str:
    return {"day_off": translate("CalendarYears", "day off"), "working": translate("CalendarYears", "working day"),
            "weekend": translate("CalendarYears", "weekend")}.get(kind, kind)


def diff_text(preview: ImportPreview) -> str:
    """The days an import changes, one line each, for the preview dialog."""
    lines: list[str] = []
    for diff in preview.diffs:
        lines.append(translate("CalendarYears", "Production calendar {0}: {1} days change.").format(diff.year, diff.changes))
        for day, before, after in diff.rows():
            lines.append(f"  {times.dmy(day)}: {_day_word(before)} → {_day_word(after)}")
        if diff.shortened:
            lines.append(translate("CalendarYears", "Shortened pre-holiday days (shown, not counted): {0}").format(
                ", ".join(times.dm(d) for d in diff.shortened)))
    lines.append(translate("CalendarYears", "Company days off and working days stay on top."))
    return "\n".join(lines)


class ProductionCalendarBox(QGroupBox):
    #: An import was stored: the calendars (and the queue's deadlines) changed.
    imported = Signal()

    def __init__(self, parent: QWidget, runner: Runner, ws: Workspace) -> None:
        super().__init__(translate("CalendarYears", "Production calendar"), parent)
        self.setObjectName("production_calendar")
        self.runner, self.ws = runner, ws
        self.known: YearsKnown | None = None
        self.year = ws.now().year
        self.first_unconfirmed = 0
        lay = QVBoxLayout(self)
        self.warning = QLabel(self)
        self.warning.setObjectName("year_warning")
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet(state_style("breached", self))
        lay.addWidget(self.warning)
        self.years = QLabel(self)
        self.years.setObjectName("confirmed_years")
        self.years.setWordWrap(True)
        self.years.setStyleSheet(MUTED)
        lay.addWidget(self.years)
        row = QHBoxLayout()
        self.import_button = QPushButton(translate("CalendarYears", "Import from a file…"), self)
        self.import_button.setObjectName("import_calendar")
        self.import_button.clicked.connect(self.choose_file)
        self.confirm_button = QPushButton(self)
        self.confirm_button.setObjectName("confirm_year")
        self.confirm_button.clicked.connect(self.confirm)
        row.addWidget(self.import_button)
        row.addWidget(self.confirm_button)
        lay.addLayout(row)
        self.status = QLabel(self)
        self.status.setObjectName("import_status")
        self.status.setWordWrap(True)
        lay.addWidget(self.status)

    # --- what is known ------------------------------------------------------------------------

    def reload(self) -> None:
        ws = self.ws
        today = ws.now().date()

        def read() -> tuple[YearsKnown, list[YearRecord]]:
            return calendar_import.years_known(ws), calendar_import.year_records(ws, today.year - 1, today.year + 1)

        self.runner.read(read, lambda got: self._known(*got), self._failed)

    def set_year(self, year: int) -> None:
        """The year the tab is looking at (the exceptions' date picker)."""
        self.year = year
        self._show()

    def _known(self, known: YearsKnown, records: list[YearRecord]) -> None:
        self.known = known
        words = {"package": translate("CalendarYears", "holidays package"),
                 "import": translate("CalendarYears", "imported"), "hand": translate("CalendarYears", "confirmed by hand")}
        self.years.setText(translate("CalendarYears", "Confirmed years: {0}").format(
            ", ".join(f"{r.year} ({words[r.source]})" for r in records) or "—"))
        self._show()

    def _show(self) -> None:
        if self.known is None:
            return
        today = self.ws.now().date()
        self.first_unconfirmed = self.known.first_unconfirmed(today.year)
        warn = self.year if not self.known.confirmed(self.year) else self.known.warning_year(today)
        if warn is None:
            self.warning.hide()
        else:
            self.warning.setText(translate(
                "CalendarYears", "The production calendar for {0} is not confirmed: only the statutory holidays are "
                "known, no transfers. Deadlines in {0} may be wrong — import the calendar or confirm the year.").format(warn))
            self.warning.show()
        self.confirm_button.setText(translate("CalendarYears", "Confirm {0} as shown").format(warn or self.first_unconfirmed))
        self._confirm_year = warn or self.first_unconfirmed

    # --- import and confirm -----------------------------------------------------------------

    def choose_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, translate("CalendarYears", "Import the production calendar"), "",
            translate("CalendarYears", "Production calendar (*.xml *.json *.csv);;All files (*)"))
        if name:
            self.import_file(Path(name))

    def import_file(self, path: Path) -> None:
        """Read and preview in the read lane; store only on Apply."""
        ws = self.ws

        def read() -> tuple[list[NationalYear], ImportPreview]:
            years = calendar_import.read_calendar_file(path)
            return years, calendar_import.preview_import(ws, years)

        self.runner.read(read, lambda got: self._previewed(path, *got), self._failed)

    def _previewed(self, path: Path, years: list[NationalYear], preview: ImportPreview) -> None:
        ws = self.ws

        def apply() -> None:
            self.runner.write(lambda: calendar_import.apply_import(ws, years, path.name), self._applied, self._failed)

        ask_to_apply(self, translate("CalendarYears", "Import {0}: days and deadlines that change").format(path.name),
                     preview.moves, apply, lambda: self.status.setText(
                         translate("CalendarYears", "Not imported; nothing changed.")), extra=diff_text(preview))

    def _applied(self, recomputed: object) -> None:
        self.status.setStyleSheet(state_style("ok", self))
        self.status.setText(translate("CalendarYears", "Imported. Deadlines of {0} open tickets recomputed.").format(recomputed))
        self.imported.emit()
        self.reload()

    def confirm(self) -> None:
        year, ws = getattr(self, "_confirm_year", self.first_unconfirmed), self.ws
        if not year:
            return
        self.runner.write(lambda: calendar_import.confirm_year(ws, year), lambda _r: self._confirmed(year), self._failed)

    def _confirmed(self, year: int) -> None:
        self.status.setStyleSheet(state_style("ok", self))
        self.status.setText(translate("CalendarYears", "{0} confirmed.").format(year))
        self.reload()

    def _failed(self, exc: BaseException) -> None:
        self.status.setStyleSheet(state_style("breached", self))
        self.status.setText(user_message(exc))
