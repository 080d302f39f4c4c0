"""What one local date is in a working calendar, and Russia's public holidays behind it.

``holidays.RU`` lists the transferred days off and the transferred working Saturdays (which
``workalendar`` gets wrong for 2025–2026); building one year of it takes ~10–80 ms, so years
are cached. Apart from the calendar's arithmetic because a day's kind and name are what the
calendar editor and the SLA explanation show people, while the arithmetic only needs its hours.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Literal

import holidays

from desktop.domain.calendar_spec import MIN_YEAR, Interval

DayKind = Literal[
    "regular",  # an ordinary day of the weekly schedule (possibly with no hours: a weekend)
    "weekend",  # the weekly schedule has no hours on this weekday
    "holiday",  # a Russian public holiday or transferred day off (``holidays.RU``)
    "company_day_off",  # the company's own extra day off
    "transferred_working",  # a Saturday/Sunday made working by the government (e.g. 2025-11-01)
    "company_working",  # the company's own extra working day
    "always_open",  # a 24/7 calendar: every day, all day
]


@lru_cache(maxsize=512)
def ru_year(year: int, language: str) -> tuple[dict[date, str], frozenset[date]]:
    ru = holidays.country_holidays("RU", years=year, language=language)
    days = {d: str(name) for d, name in ru.items() if d.year == year}
    workdays = frozenset(d for d in getattr(ru, "weekend_workdays", ()) if d.year == year)
    return days, workdays


def ru_holiday_name(day: date, lang: str = "ru") -> str | None:
    """The official name of a Russian public holiday / transferred day off, or None."""
    language = "ru" if lang.startswith("ru") else "en_US"
    return ru_year(day.year, language)[0].get(day)


@dataclass(frozen=True)
class NationalYear:
    """One year of Russia's production calendar as the government decreed it, when it came
    from an imported file rather than from the ``holidays`` package: the non-working days
    (holidays and transferred days off) and the weekend days made working. A calendar that
    holds one uses it instead of the package's guess for that year; the company's own days
    still come first. Shortened pre-holiday days are kept to be shown, not counted."""

    year: int
    days_off: frozenset[date]
    working_days: frozenset[date] = frozenset()
    shortened: frozenset[date] = frozenset()

    def to_dict(self) -> dict[str, list[str]]:
        out = {"days_off": sorted(d.isoformat() for d in self.days_off),
               "working_days": sorted(d.isoformat() for d in self.working_days)}
        if self.shortened:
            out["shortened"] = sorted(d.isoformat() for d in self.shortened)
        return out


def package_year(year: int) -> NationalYear:
    """What the ``holidays`` package says of a year, in the same form as an imported one."""
    names, workdays = ru_year(year, "ru")
    return NationalYear(year, frozenset(names), workdays)


@lru_cache(maxsize=1)
def package_confirmed_years() -> frozenset[int]:
    """The years whose transfers the ``holidays`` package knows: from the first to the last year
    it lists decreed transfers for. A later year holds only the fixed dates (for 2028 the 14
    statutory days, no transfer, not even a holiday moved off a Saturday), so it is a guess."""
    from holidays.countries.russia import RussiaStaticHolidays

    years: set[int] = set()
    for name in ("special_public_holidays", "special_public_holidays_observed", "special_workdays"):
        years.update(int(y) for y in getattr(RussiaStaticHolidays, name, {}) or {})
    if not years:
        return frozenset()
    return frozenset(range(MIN_YEAR, max(years) + 1))  # the years before its first are history


@dataclass(frozen=True)
class DayInfo:
    """What a calendar says about one local date; ``name`` is the holiday's name when one applies."""

    day: date
    kind: DayKind
    intervals: tuple[Interval, ...]
    name_ru: str | None = None
    name_en: str | None = None

    @property
    def is_working(self) -> bool:
        return bool(self.intervals)
