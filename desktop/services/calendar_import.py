"""The production calendar: import a year from a file, confirm a year by hand, know which are.

Importing shows first what the file changes against the days the calendars use now and which
open tickets' deadlines would move (:class:`ImportPreview`); applying stores the year (who,
when, from which file) and lays it over every calendar that follows Russia's holidays, in one
transaction with the recomputed deadlines. The company's own days off and working days stay on
top: they are a calendar's exceptions, which the national days never replace.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.domain.calendar import WorkingCalendar
from desktop.domain.calendar_days import NationalYear, package_year
from desktop.domain.calendar_import import YearDiff, diff_year, parse_production_calendar
from desktop.domain.calendar_spec import CalendarError
from desktop.domain.calendar_years import YearsKnown
from desktop.errors import ValidationError
from desktop.services.regulation_preview import Moves, preview_national, spec_with_national
from desktop.services.upkeep.deadlines import recompute_plan
from desktop.services.workspace import Workspace
from desktop.store.models import Calendar, CalendarYear, Plan


def read_calendar_file(path: Path) -> list[NationalYear]:
    """The years a production-calendar file holds; a file that cannot be read says why."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ValidationError("cannot read {path}: {reason}", path=str(path), reason=exc.strerror or str(exc)) from None
    return parse_production_calendar(data, path.name)


def _stored_year(row: CalendarYear) -> NationalYear | None:
    if not row.days:
        return None
    days = {k: frozenset(date.fromisoformat(d) for d in row.days.get(k, [])) for k in ("days_off", "working_days", "shortened")}
    return NationalYear(row.year, days["days_off"], days["working_days"], days["shortened"])


def current_year(s: Session, year: int) -> NationalYear:
    """The national days the calendars count on now for a year: the imported ones, or the
    ``holidays`` package's."""
    row = s.get(CalendarYear, year)
    stored = _stored_year(row) if row is not None else None
    return stored if stored is not None else package_year(year)


@dataclass(frozen=True)
class ImportPreview:
    years: tuple[NationalYear, ...]
    diffs: tuple[YearDiff, ...]
    moves: Moves

    def to_dict(self) -> dict[str, Any]:
        return {"years": [d.to_dict() for d in self.diffs], "deadlines": self.moves.to_dict()}


def preview_import(ws: Workspace, years: list[NationalYear]) -> ImportPreview:
    """What importing ``years`` changes: the days, and the open tickets' deadlines."""
    if not years:
        raise CalendarError("The file holds no year of the production calendar.")
    with ws.db.session() as s:
        diffs = tuple(diff_year(current_year(s, y.year), y) for y in years)
    return ImportPreview(tuple(years), diffs, preview_national(ws, years))


def apply_import(ws: Workspace, years: list[NationalYear], file_name: str = "") -> int:
    """Store the years and lay them over the calendars; returns the open tickets recomputed."""
    if not years:
        raise CalendarError("The file holds no year of the production calendar.")
    with ws.db.session() as s:
        who = ws.agent(s).login
        for y in years:
            row = s.get(CalendarYear, y.year)
            if row is None:
                row = CalendarYear(year=y.year)
                s.add(row)
            row.source, row.file_name, row.days = "import", file_name[:300], y.to_dict()
            row.confirmed_at, row.confirmed_by = ws.now(), who
        changed: list[int] = []
        for cal in s.scalars(select(Calendar).order_by(Calendar.id)):
            new = spec_with_national(dict(cal.spec), years)
            if new is not None:
                cal.spec = WorkingCalendar.from_dict(new).to_dict()
                changed.append(cal.id)
        s.flush()
        return sum(recompute_plan(s, ws, p.id) for p in s.scalars(select(Plan).where(Plan.calendar_id.in_(changed))))


def confirm_year(ws: Workspace, year: int) -> None:
    """The administrator checked the package's days of ``year`` against the decree: confirmed
    as they are. A year already imported stays imported."""
    with ws.db.session() as s:
        if s.get(CalendarYear, year) is not None:
            return
        s.add(CalendarYear(year=year, source="hand", file_name="", days=None,
                           confirmed_at=ws.now(), confirmed_by=ws.agent(s).login))


def unconfirm_year(ws: Workspace, year: int) -> None:
    """Take back a confirmation by hand (an imported year is replaced by importing again)."""
    with ws.db.session() as s:
        row = s.get(CalendarYear, year)
        if row is None or row.source != "hand":
            raise ValidationError("{year} is not a year confirmed by hand", year=year)
        s.delete(row)


@dataclass(frozen=True)
class YearRecord:
    year: int
    source: str  # package | import | hand
    file_name: str = ""
    confirmed_by: str = ""


def years_known(ws: Workspace) -> YearsKnown:
    with ws.db.session() as s:
        return YearsKnown.of(s.scalars(select(CalendarYear.year)))


def year_records(ws: Workspace, from_year: int, to_year: int) -> list[YearRecord]:
    """Each confirmed year in a range, with where its confirmation came from."""
    with ws.db.session() as s:
        rows = {r.year: r for r in s.scalars(select(CalendarYear))}
    known = YearsKnown.of(rows)
    out = []
    for y in known.listed(from_year, max(to_year, *rows) if rows else to_year):
        row = rows.get(y)
        out.append(YearRecord(y, row.source, row.file_name, row.confirmed_by) if row else YearRecord(y, "package"))
    return out
