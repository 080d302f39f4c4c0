"""Reading a year of Russia's production calendar from the files accounting tools exchange.

Three forms are read:

* the XML calendar of xmlcalendar.ru / ConsultantPlus exports —
  ``<calendar year="2027"><days><day d="01.01" t="1" h="1"/>…`` where ``d`` is MM.DD and ``t``
  is 1 (a day off), 2 (a shortened working day) or 3 (a weekend day made working);
* its JSON twin — ``{"year": 2027, "days": [{"d": "01.01", "t": 1}, …]}``;
* a plain CSV of ``date,kind`` rows (``2027-01-01,holiday``; kinds ``holiday``/``day_off``/
  ``выходной``, ``working``/``рабочий``, ``shortened``/``сокращённый``; dates ISO or DD.MM.YYYY);
* the open-data CSV of the production calendar (data.gov.ru, ``Год/Месяц,Январь,…``): a row per
  year, a cell per month listing its non-working days, ``7*`` a shortened day, ``4+`` a moved
  day off.

The XML, JSON and ``date,kind`` forms list only the days that differ from an ordinary
Monday–Friday week; the open-data form lists every non-working day, weekends included, so a
Saturday or Sunday it leaves out is a working one. The result is a
:class:`NationalYear` per year, and :func:`diff_year` says what it changes against the days a
calendar uses now. Pure: the caller reads the file.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any
from xml.etree import ElementTree

from desktop.domain.calendar_days import NationalYear, ru_year
from desktop.domain.calendar_spec import MAX_YEAR, MIN_YEAR, CalendarError

_KINDS = {
    "1": "off", "holiday": "off", "day_off": "off", "dayoff": "off", "off": "off", "выходной": "off",
    "праздник": "off", "нерабочий": "off",
    "2": "short", "shortened": "short", "short": "short", "сокращённый": "short", "сокращенный": "short",
    "3": "work", "working": "work", "work": "work", "workday": "work", "рабочий": "work",
}


def parse_production_calendar(data: bytes, name: str = "") -> list[NationalYear]:
    """The years a file holds; the form is told by its content (the name only breaks ties).
    A file that is none of the forms, or a day that is not a date, is refused with the reason."""
    text = _text(data)
    head = text.lstrip()[:1]
    if head == "<":
        return [_from_xml(text)]
    if head in "{[":
        return _from_json(text)
    if name.lower().endswith((".xml", ".json")):
        raise CalendarError("The file {name} is not a production calendar in XML or JSON.", name=name)
    return _from_csv(text)


def _text(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1251"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise CalendarError("The file is neither UTF-8 nor Windows-1251 text.")


def _year(value: Any) -> int:
    try:
        year = int(str(value).strip())
    except ValueError:
        raise CalendarError("{value!r} is not a year.", value=value) from None
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise CalendarError("The year {year} is outside {first}–{last}.", year=year, first=MIN_YEAR, last=MAX_YEAR)
    return year


def _month_day(year: int, text: Any) -> date:
    m = re.fullmatch(r"\s*(\d{1,2})\.(\d{1,2})\s*", str(text))
    if not m:
        raise CalendarError("{text!r} is not a day in the form MM.DD.", text=text)
    try:
        return date(year, int(m.group(1)), int(m.group(2)))
    except ValueError:
        raise CalendarError("{text!r} is not a day of {year}.", text=text, year=year) from None


def _build(year: int, days: Iterable[tuple[date, str]]) -> NationalYear:
    sets: dict[str, set[date]] = {"off": set(), "work": set(), "short": set()}
    for day, kind_text in days:
        kind = _KINDS.get(str(kind_text).strip().lower())
        if kind is None:
            raise CalendarError("{kind!r} is not a kind of day; use holiday, working or shortened.", kind=kind_text)
        if day.year != year:
            raise CalendarError("{day} is not in {year}.", day=day.isoformat(), year=year)
        if any(day in other for k, other in sets.items() if k != kind):
            raise CalendarError("{day} is listed twice with different kinds.", day=day.isoformat())
        sets[kind].add(day)
    if not sets["off"]:
        raise CalendarError("The production calendar for {year} lists no day off.", year=year)
    return NationalYear(year, frozenset(sets["off"]), frozenset(sets["work"]), frozenset(sets["short"]))


def _from_xml(text: str) -> NationalYear:
    if "<!DOCTYPE" in text or "<!ENTITY" in text:
        raise CalendarError("A production calendar must not declare a DOCTYPE or entities.")
    try:
        root = ElementTree.fromstring(text)
    except ElementTree.ParseError as exc:
        raise CalendarError("The XML calendar cannot be read: {exc}.", exc=str(exc)) from None
    if root.tag != "calendar" or "year" not in root.attrib:
        raise CalendarError("The XML is not a production calendar (<calendar year=\"…\">).")
    year = _year(root.attrib["year"])
    days = [(_month_day(year, d.get("d", "")), d.get("t", "")) for d in root.iter("day")]
    return _build(year, days)


def _from_json(text: str) -> list[NationalYear]:
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise CalendarError("The JSON calendar cannot be read: {exc}.", exc=str(exc)) from None
    items = data if isinstance(data, list) else [data]
    out = []
    for item in items:
        if not isinstance(item, Mapping) or "year" not in item or not isinstance(item.get("days"), list):
            raise CalendarError("The JSON is not a production calendar ({{\"year\": …, \"days\": […]}}).")
        year = _year(item["year"])
        days = []
        for d in item["days"]:
            if not isinstance(d, Mapping):
                raise CalendarError("A day of the JSON calendar is not an object: {d!r}.", d=d)
            days.append((_month_day(year, d.get("d", "")), str(d.get("t", ""))))
        out.append(_build(year, days))
    return out


def _csv_date(text: str) -> date:
    text = text.strip()
    m = re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", text)
    try:
        if m:
            return date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        return date.fromisoformat(text)
    except ValueError:
        raise CalendarError("{text!r} is not a date like 2027-01-01 or 01.01.2027.", text=text) from None


def _from_csv(text: str) -> list[NationalYear]:
    sample = text[:2048]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    rows = [r for r in csv.reader(io.StringIO(text), delimiter=delimiter) if any(c.strip() for c in r)]
    if rows and rows[0] and rows[0][0].strip().lower().startswith(("год", "year")) and len(rows[0]) >= 13:
        return [_open_data_year(r) for r in rows[1:]]
    if rows and not re.match(r"\s*\d", rows[0][0]):
        rows = rows[1:]  # a header line
    if not rows:
        raise CalendarError("The CSV file lists no days.")
    by_year: dict[int, list[tuple[date, str]]] = {}
    for row in rows:
        if len(row) < 2:
            raise CalendarError("The CSV line {row!r} needs a date and a kind of day.", row=delimiter.join(row))
        day = _csv_date(row[0])
        by_year.setdefault(_year(day.year), []).append((day, row[1]))
    return [_build(year, days) for year, days in sorted(by_year.items())]


def _open_data_year(row: list[str]) -> NationalYear:
    """One year of the open-data table: the non-working days of each month, weekends included."""
    if len(row) < 13:
        raise CalendarError("The production calendar's line {row!r} needs a year and twelve months.", row=",".join(row))
    year = _year(row[0])
    off: set[date] = set()
    short: set[date] = set()
    for month, cell in enumerate(row[1:13], start=1):
        for item in re.split(r"\s*,\s*", cell.strip()):
            if not item:
                continue
            m = re.fullmatch(r"(\d{1,2})([*+]?)", item)
            if not m:
                raise CalendarError("{item!r} is not a day of month {month} of {year}.", item=item, month=month, year=year)
            try:
                day = date(year, month, int(m.group(1)))
            except ValueError:
                raise CalendarError("{item!r} is not a day of month {month} of {year}.", item=item, month=month, year=year) from None
            (short if m.group(2) == "*" else off).add(day)
    if not off:
        raise CalendarError("The production calendar for {year} lists no day off.", year=year)
    weekend = set()
    d = date(year, 1, 1)
    while d.year == year:
        if d.weekday() >= 5 and d not in off:
            weekend.add(d)  # a Saturday or Sunday the table leaves out is worked
        d = date.fromordinal(d.toordinal() + 1)
    # An ordinary weekend is the calendar's own weekly schedule (a company may work Saturdays);
    # only a weekend day that is a statutory holiday stays a national day off.
    statutory = ru_year(year, "ru")[0]
    off = {d for d in off if d.weekday() < 5 or d in statutory}
    return NationalYear(year, frozenset(off), frozenset(weekend), frozenset(short))


@dataclass(frozen=True)
class YearDiff:
    """What an imported year changes against the days a calendar uses now."""

    year: int
    new_days_off: tuple[date, ...]  # working days now, days off after the import
    dropped_days_off: tuple[date, ...]  # days off now, working (or ordinary weekend) after
    new_working: tuple[date, ...]  # weekend days made working by the import
    dropped_working: tuple[date, ...]
    shortened: tuple[date, ...]

    @property
    def changes(self) -> int:
        return len(self.new_days_off) + len(self.dropped_days_off) + len(self.new_working) + len(self.dropped_working)

    def rows(self) -> list[tuple[date, str, str]]:
        """(date, before, after) for each changed day, in date order; kinds are
        ``day_off``/``working``/``weekend`` words a table can print."""
        out = [(d, "working", "day_off") for d in self.new_days_off]
        out += [(d, "day_off", "working") for d in self.dropped_days_off]
        out += [(d, "weekend", "working") for d in self.new_working]
        out += [(d, "working", "weekend") for d in self.dropped_working]
        return sorted(out)

    def to_dict(self) -> dict[str, Any]:
        return {"year": self.year,
                "changes": [{"date": d.isoformat(), "before": a, "after": b} for d, a, b in self.rows()],
                "shortened": [d.isoformat() for d in self.shortened]}


def diff_year(current: NationalYear, imported: NationalYear) -> YearDiff:
    """Compare two versions of one year. A Saturday or Sunday that one lists as a holiday and
    the other does not is no change (files differ in whether they list holidays that fall on a
    weekend), so it is left out."""
    if current.year != imported.year:
        raise CalendarError("Cannot compare {a} with {b}.", a=current.year, b=imported.year)
    return YearDiff(
        imported.year,
        tuple(sorted(d for d in imported.days_off - current.days_off if d.weekday() < 5)),
        tuple(sorted(d for d in current.days_off - imported.days_off if d.weekday() < 5)),
        tuple(sorted(imported.working_days - current.working_days)),
        tuple(sorted(current.working_days - imported.working_days)),
        tuple(sorted(imported.shortened)),
    )
