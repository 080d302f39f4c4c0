"""Working-time calendar: the clock every SLA deadline is counted on (PRODUCT.md R-SLA-2).

A calendar says *when people work*: a time zone, working intervals per weekday (several per day,
e.g. a lunch break), Russia's public holidays from the ``holidays`` package including the
transferred days off *and* the transferred working Saturdays, the company's own exceptions, or
simply "around the clock". This module holds the calendar and its arithmetic (``add``,
``between``, ...); how a calendar is written is in ``calendar_spec``, what a day is in
``calendar_days``, the precomputed layout that makes the arithmetic fast in ``calendar_layout``,
and the regulations' calendars in ``calendar_presets``.

Conventions (the tests pin them down):

* Intervals are half-open: Friday 18:00 is *not* working time, 17:59:59 is.
* A deadline that lands exactly on the end of a working interval is that end (Friday 18:00),
  never the next morning.
* ``add(t, 0)`` is ``t`` itself, even outside working hours: adding nothing changes nothing.
* Results are timezone-aware datetimes in the calendar's own time zone.
* Local times that do not exist or exist twice on a DST day are read with ``fold=0`` (the
  offset before the shift), as ``zoneinfo`` does by default.
"""


from __future__ import annotations

import threading
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from typing import Any

from desktop.domain.calendar_days import DayInfo, NationalYear, ru_year
from desktop.domain.calendar_layout import Layout
from desktop.domain.calendar_spec import (
    MAX_YEAR,
    MIN_YEAR,
    WEEKDAY_EN,
    WEEKDAY_KEYS,
    WEEKDAY_RU,
    CalendarError,
    Interval,
    fmt_day,
    fmt_min,
    parse_date,
    parse_day,
    parse_timezone,
)
from desktop.domain.errors import Bilingual, Phrase

__all__ = ["WorkingCalendar", "intern_calendar"]

_TD_US = timedelta(microseconds=1)
_SERIAL_VERSION = 1


_DEFAULT_WEEK: tuple[tuple[Interval, ...], ...] = ((((9 * 60, 18 * 60),),) * 5) + ((), ())


@dataclass(frozen=True)
class WorkingCalendar:
    """A working-time calendar; immutable and hashable so it can key caches and be shared.

    Build one with :meth:`weekly`, a preset (:func:`preset`) or :meth:`from_dict`; the field
    values are normalised and validated on construction.
    """

    timezone: str = "Europe/Moscow"
    week: tuple[tuple[Interval, ...], ...] = _DEFAULT_WEEK
    ru_holidays: bool = True
    days_off: frozenset[date] = frozenset()
    working_days: frozenset[date] = frozenset()
    extra_day_hours: tuple[Interval, ...] | None = None
    always_open: bool = False
    #: Years of the production calendar imported from a file; they replace the ``holidays``
    #: package's days for their year (the company's own days still come first).
    national: tuple[NationalYear, ...] = ()
    _tz: tzinfo = field(init=False, repr=False, compare=False)
    _cache: Layout = field(init=False, repr=False, compare=False)
    _national: dict[int, NationalYear] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        set_(self, "_tz", parse_timezone(self.timezone))
        set_(self, "timezone", self.timezone.strip())
        week: Any = self.week
        if isinstance(week, Mapping):
            unknown = set(week) - set(range(7)) - set(WEEKDAY_KEYS)
            if unknown:
                raise CalendarError("Unknown weekday(s) {days}.", days=sorted(map(str, unknown)))
            week = [week.get(i, week.get(WEEKDAY_KEYS[i])) for i in range(7)]
        if isinstance(week, str) or not isinstance(week, Iterable):
            raise CalendarError("Weekly hours must list the seven weekdays, Monday first.")
        week = list(week)
        if len(week) != 7:
            raise CalendarError("Weekly hours must list seven weekdays, not {count}.", count=len(week))
        parsed = tuple(parse_day(week[i], Bilingual(WEEKDAY_EN[i], WEEKDAY_RU[i])) for i in range(7))
        set_(self, "week", parsed)
        if self.extra_day_hours is not None:
            extra = parse_day(self.extra_day_hours, Phrase("extra working days"))
            if not extra:
                raise CalendarError("Extra working days need at least one working interval.")
            set_(self, "extra_day_hours", extra)
        set_(self, "days_off", frozenset(parse_date(d) for d in self.days_off))
        set_(self, "working_days", frozenset(parse_date(d) for d in self.working_days))
        both = self.days_off & self.working_days
        if both:
            first = min(both).isoformat()
            raise CalendarError("{first} is listed both as a day off and as a working day.", first=first)
        for d in self.days_off | self.working_days:
            if not MIN_YEAR <= d.year <= MAX_YEAR:
                raise CalendarError("{day} is outside {first_year}–{last_year}.", day=d.isoformat(), first_year=MIN_YEAR, last_year=MAX_YEAR)
        if not self.always_open and not any(parsed):
            raise CalendarError("The calendar has no working hours on any weekday.")
        national = tuple(sorted(self.national, key=lambda n: n.year))
        if len({n.year for n in national}) != len(national):
            raise CalendarError("A production calendar year is listed twice.")
        set_(self, "national", national)
        set_(self, "_national", {n.year: n for n in national})
        set_(self, "_cache", Layout(self._tz))

    # ---- construction ----------------------------------------------------------------------

    @classmethod
    def weekly(
        cls,
        hours: str | Sequence[Any],
        *,
        timezone: str = "Europe/Moscow",
        weekdays: Iterable[int] = range(5),
        ru_holidays: bool = True,
        days_off: Iterable[date | str] = (),
        working_days: Iterable[date | str] = (),
        extra_day_hours: str | Sequence[Any] | None = None,
    ) -> WorkingCalendar:
        """The common case: the same hours (e.g. "09:00-13:00, 14:00-18:00") on given weekdays."""
        days = set(weekdays)
        if not days <= set(range(7)):
            raise CalendarError("Weekdays are numbered 0 (Monday) to 6 (Sunday).")
        day = parse_day(hours, Phrase("the working days"))
        return cls(
            timezone=timezone,
            week=tuple(day if i in days else () for i in range(7)),
            ru_holidays=ru_holidays,
            days_off=frozenset(parse_date(d) for d in days_off),
            working_days=frozenset(parse_date(d) for d in working_days),
            extra_day_hours=(None if extra_day_hours is None
                             else parse_day(extra_day_hours, Phrase("extra working days"))),
        )

    @classmethod
    def around_the_clock(cls, timezone: str = "Europe/Moscow") -> WorkingCalendar:
        """24/7: every instant is working time; holidays and exceptions do not apply."""
        return cls(timezone=timezone, week=(((0, 1440),),) * 7, ru_holidays=False, always_open=True)

    # ---- serialisation ---------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """A JSON-safe description; :meth:`from_dict` gives back an equal calendar."""
        return {
            "version": _SERIAL_VERSION,
            "timezone": self.timezone,
            "always_open": self.always_open,
            "week": {WEEKDAY_KEYS[i]: fmt_day(self.week[i]) for i in range(7)},
            "ru_holidays": self.ru_holidays,
            "days_off": sorted(d.isoformat() for d in self.days_off),
            "working_days": sorted(d.isoformat() for d in self.working_days),
            "extra_day_hours": (
                None if self.extra_day_hours is None else fmt_day(self.extra_day_hours)
            ),
            **({"national": {str(n.year): n.to_dict() for n in self.national}} if self.national else {}),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> WorkingCalendar:
        """Rebuild a calendar from :meth:`to_dict` output; a malformed value raises CalendarError."""
        if not isinstance(data, Mapping):
            raise CalendarError("A stored calendar must be a JSON object.")
        version = data.get("version", _SERIAL_VERSION)
        if version != _SERIAL_VERSION:
            raise CalendarError("Stored calendar has unsupported format version {version!r}.", version=version)
        known = {"version", "timezone", "always_open", "week", "ru_holidays", "days_off",
                 "working_days", "extra_day_hours", "national"}
        unknown = set(data) - known
        if unknown:
            raise CalendarError("Stored calendar has unknown field(s): {fields}.", fields=', '.join(sorted(unknown)))
        if data.get("always_open", False) is True:
            return intern_calendar(cls.around_the_clock(str(data.get("timezone", "Europe/Moscow"))))
        week = data.get("week")
        if not isinstance(week, Mapping):
            raise CalendarError("Stored calendar lacks its weekly hours ('week').")
        for flag in ("ru_holidays", "always_open"):
            if flag in data and not isinstance(data[flag], bool):
                raise CalendarError("Stored calendar field {flag!r} must be true or false.", flag=flag)
        for name in ("days_off", "working_days"):
            if not isinstance(data.get(name, []), list):
                raise CalendarError("Stored calendar field {name!r} must be a list of dates.", name=name)
        return intern_calendar(cls(
            timezone=data.get("timezone", "Europe/Moscow"),
            week=week,  # type: ignore[arg-type]  # normalised in __post_init__
            ru_holidays=data.get("ru_holidays", True),
            days_off=frozenset(parse_date(d) for d in data.get("days_off", [])),
            working_days=frozenset(parse_date(d) for d in data.get("working_days", [])),
            extra_day_hours=data.get("extra_day_hours"),
            national=_national_from(data.get("national") or {}),
        ))

    # ---- what a day is ---------------------------------------------------------------------

    @property
    def tz(self) -> tzinfo:
        return self._tz

    def day(self, d: date) -> DayInfo:
        """Classify one local date and give its working intervals (why a day counts or not)."""
        if self.always_open:
            return DayInfo(d, "always_open", ((0, 1440),))
        if d in self.days_off:
            return DayInfo(d, "company_day_off", ())
        extra = self.extra_day_hours if self.extra_day_hours is not None else self.week[0]
        if d in self.working_days:
            return DayInfo(d, "company_working", extra)
        if self.ru_holidays:
            if not MIN_YEAR <= d.year <= MAX_YEAR:
                raise CalendarError("{day} is outside {first_year}–{last_year}.", day=d.isoformat(), first_year=MIN_YEAR, last_year=MAX_YEAR)
            names, workdays = ru_year(d.year, "ru")
            imported = self._national.get(d.year)
            if imported is not None:
                if d in imported.days_off:
                    return DayInfo(d, "holiday", (), names.get(d, "нерабочий день (производственный календарь)"),
                                   ru_year(d.year, "en_US")[0].get(d, "day off (production calendar)"))
                if d in imported.working_days:
                    return DayInfo(d, "transferred_working", extra)
            elif d in names:
                return DayInfo(d, "holiday", (), names[d], ru_year(d.year, "en_US")[0].get(d))
            elif d in workdays:
                return DayInfo(d, "transferred_working", extra)
        hours = self.week[d.weekday()]
        return DayInfo(d, "regular" if hours else "weekend", hours)

    def _hours(self, d: date) -> tuple[Interval, ...]:
        return self.day(d).intervals

    def describe(self, lang: str = "ru") -> str:
        """One line a person can read: zone, hours by weekday, holidays, exceptions."""
        ru = lang.startswith("ru")
        if self.always_open:
            return (f"круглосуточно, без выходных ({self.timezone})" if ru
                    else f"around the clock, every day ({self.timezone})")
        names = WEEKDAY_RU if ru else WEEKDAY_EN
        groups: list[tuple[int, int, tuple[Interval, ...]]] = []
        for i, hours in enumerate(self.week):
            if groups and groups[-1][2] == hours and groups[-1][1] == i - 1:
                groups[-1] = (groups[-1][0], i, hours)
            else:
                groups.append((i, i, hours))
        parts = []
        for a, b, hours in groups:
            if not hours:
                continue
            days = names[a] if a == b else f"{names[a]}–{names[b]}"
            spans = ", ".join(f"{fmt_min(s)}–{fmt_min(e)}" for s, e in hours)
            parts.append(f"{days} {spans}")
        text = f"{'; '.join(parts)} ({self.timezone})"
        if self.ru_holidays:
            text += ("; праздники РФ с переносами" if ru
                     else "; Russian public holidays incl. transferred days")
            if self.national:
                years = ", ".join(str(n.year) for n in self.national)
                text += (f" (производственный календарь импортирован: {years})" if ru
                         else f" (production calendar imported: {years})")
        if self.days_off:
            text += (f"; дополнительных выходных: {len(self.days_off)}" if ru
                     else f"; company days off: {len(self.days_off)}")
        if self.working_days:
            text += (f"; дополнительных рабочих дней: {len(self.working_days)}" if ru
                     else f"; extra working days: {len(self.working_days)}")
        return text

    # ---- the operations --------------------------------------------------------------------

    def _to_us(self, t: datetime) -> int:
        if not isinstance(t, datetime):
            raise CalendarError("{value!r} is not a date and time.", value=t)
        if t.tzinfo is None:
            raise CalendarError("{time} has no time zone; times must be timezone-aware.", time=t.isoformat())
        return round(t.timestamp() * 1e6)

    def _from_us(self, t_us: int) -> datetime:
        return datetime.fromtimestamp(t_us / 1e6, self._tz)

    @staticmethod
    def _duration_us(duration: timedelta) -> int:
        if not isinstance(duration, timedelta):
            raise CalendarError("{duration!r} is not a duration.", duration=duration)
        d_us = duration // _TD_US
        if d_us < 0:
            raise CalendarError("Working time to add cannot be negative.")
        return d_us

    def add(self, start: datetime, duration: timedelta) -> datetime:
        """The instant at which ``duration`` of working time has passed since ``start``."""
        d_us = self._duration_us(duration)
        t_us = self._to_us(start)
        if d_us == 0:
            return start.astimezone(self._tz)
        if self.always_open:
            return self._from_us(t_us + d_us)
        snap = self._cache.snap  # the common case inlined: inside the layout, one lookup
        if snap is not None and snap[0] <= t_us < snap[1]:
            starts, cum = snap[2], snap[4]
            i = bisect_right(snap[3], t_us)
            target = (cum[i] + t_us - starts[i] if i < len(starts) and t_us > starts[i]
                      else cum[i]) + d_us
            if target <= cum[-1]:
                j = bisect_left(cum, target) - 1
                return datetime.fromtimestamp((starts[j] + target - cum[j]) / 1e6, self._tz)
        return self._from_us(self._cache.add_us(self._hours, t_us, d_us))

    def add_many(self, starts: Iterable[datetime], duration: timedelta) -> list[datetime]:
        """``add`` for many starts with one duration: the path a bulk deadline recompute uses.

        Same results as calling :meth:`add` per item; the loop is inlined because this is what a
        plan change on 100,000 tickets runs.
        """
        d_us = self._duration_us(duration)
        tz = self._tz
        fromts = datetime.fromtimestamp
        out: list[datetime] = []
        append = out.append
        if d_us == 0 or self.always_open:
            for t in starts:
                append(fromts((self._to_us(t) + d_us) / 1e6, tz))
            return out
        snap = self._cache.snap
        if snap is None:  # no layout yet: the first item takes the slow path and builds it
            lo, hi, s_list, e_list, c_list = 0, 0, [], [], [0]
        else:
            lo, hi, s_list, e_list, c_list = snap[0], snap[1], snap[2], snap[3], snap[4]
        n, total = len(s_list), c_list[-1]
        for t in starts:
            if t.tzinfo is None:
                raise CalendarError("{time} has no time zone; times must be timezone-aware.", time=t.isoformat())
            t_us = round(t.timestamp() * 1e6)
            if lo <= t_us < hi:
                i = bisect_right(e_list, t_us)
                w = c_list[i] + t_us - s_list[i] if i < n and t_us > s_list[i] else c_list[i]
                target = w + d_us
                if target <= total:
                    j = bisect_left(c_list, target) - 1
                    append(fromts((s_list[j] + target - c_list[j]) / 1e6, tz))
                    continue
            append(self._from_us(self._cache.add_us(self._hours, t_us, d_us)))  # grows the layout
            snap = self._cache.snap
            assert snap is not None
            lo, hi, s_list, e_list, c_list = snap[0], snap[1], snap[2], snap[3], snap[4]
            n, total = len(s_list), c_list[-1]
        return out

    def between(self, a: datetime, b: datetime) -> timedelta:
        """Working time from ``a`` to ``b`` (negative when ``b`` is before ``a``)."""
        a_us, b_us = self._to_us(a), self._to_us(b)
        if self.always_open:
            return timedelta(microseconds=b_us - a_us)
        lo_us, hi_us = min(a_us, b_us), max(a_us, b_us)
        self._cache.snap_for(self._hours, hi_us)
        snap = self._cache.snap_for(self._hours, lo_us)
        if not snap[0] <= hi_us < snap[1]:
            snap = self._cache.snap_for(self._hours, hi_us)
        return timedelta(microseconds=self._cache.work_at(snap, b_us) - self._cache.work_at(snap, a_us))

    def is_working(self, t: datetime) -> bool:
        """Whether ``t`` is inside a working interval (start included, end excluded)."""
        t_us = self._to_us(t)
        if self.always_open:
            return True
        snap = self._cache.snap_for(self._hours, t_us)
        i = bisect_right(snap[3], t_us)
        return i < len(snap[2]) and snap[2][i] <= t_us

    def next_working_instant(self, t: datetime) -> datetime:
        """``t`` itself when it is working time, else the start of the next working interval."""
        t_us = self._to_us(t)
        if self.always_open:
            return t.astimezone(self._tz)
        snap = self._cache.snap_for(self._hours, t_us)
        i = bisect_right(snap[3], t_us)
        while i >= len(snap[2]):  # nothing left in the layout: grow it forward
            snap = self._cache.snap_for_work(self._hours, snap, snap[4][-1] + 1)
            i = bisect_right(snap[3], t_us)
        start = snap[2][i]
        return t.astimezone(self._tz) if start <= t_us else self._from_us(start)

    def working_intervals(self, a: datetime, b: datetime) -> list[tuple[datetime, datetime]]:
        """The working intervals within [a, b], clipped to it, in the calendar's time zone."""
        a_us, b_us = self._to_us(a), self._to_us(b)
        if b_us <= a_us:
            return []
        if self.always_open:
            return [(self._from_us(a_us), self._from_us(b_us))]
        self._cache.snap_for(self._hours, b_us)
        snap = self._cache.snap_for(self._hours, a_us)
        if not snap[0] <= b_us < snap[1]:
            snap = self._cache.snap_for(self._hours, b_us)
        starts, ends = snap[2], snap[3]
        out = []
        i = bisect_right(ends, a_us)
        while i < len(starts) and starts[i] < b_us:
            out.append((self._from_us(max(starts[i], a_us)), self._from_us(min(ends[i], b_us))))
            i += 1
        return out



_INTERN_LOCK = threading.Lock()
_INTERNED: dict[WorkingCalendar, WorkingCalendar] = {}


def _national_from(data: Any) -> tuple[NationalYear, ...]:
    """The stored ``national`` field: {"2027": {"days_off": [...], "working_days": [...]}}."""
    if not isinstance(data, Mapping):
        raise CalendarError("Stored calendar field 'national' must map years to their days.")
    out = []
    for key, year in data.items():
        if not str(key).isdigit() or not isinstance(year, Mapping):
            raise CalendarError("Stored calendar field 'national' has a bad year {key!r}.", key=key)
        days = {name: frozenset(parse_date(d) for d in year.get(name, []))
                for name in ("days_off", "working_days", "shortened")}
        if any(d.year != int(key) for v in days.values() for d in v):
            raise CalendarError("A day of the production calendar {key} lies in another year.", key=key)
        out.append(NationalYear(int(key), days["days_off"], days["working_days"], days["shortened"]))
    return tuple(out)


def intern_calendar(cal: WorkingCalendar) -> WorkingCalendar:
    """One shared instance per distinct calendar, so its layout is built once per process.

    The store rebuilds calendars from JSON for every query; without this each copy would build
    its own layout. Calendars are values, so handing back an equal instance changes nothing.
    """
    with _INTERN_LOCK:
        found = _INTERNED.get(cal)
        if found is not None:
            return found
        if len(_INTERNED) >= 256:  # an administrator has a handful; bound it anyway
            _INTERNED.clear()
        _INTERNED[cal] = cal
        return cal

