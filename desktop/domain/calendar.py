"""Working-time calendar: the clock every SLA deadline is counted on (PRODUCT.md R-SLA-2).

A calendar says *when people work*: a time zone, working intervals per weekday (several per day,
e.g. a lunch break), Russia's public holidays from the ``holidays`` package including the
transferred days off *and* the transferred working Saturdays, the company's own exceptions, or
simply "around the clock".

Why a precomputed layout: the queue recomputes deadlines for up to 100,000 tickets at once (a plan
or calendar change), and the UI asks for remaining time of every visible row each second. Walking
day by day per call is far too slow, so each calendar lazily builds one table of its working
intervals as absolute instants (integer microseconds since the Unix epoch) with the working time
accumulated before each interval. ``add`` and ``between`` are then two binary searches and a few
integer operations. Converting wall-clock intervals to absolute instants once per day also makes
DST zones exact: an interval on a day with a clock shift simply has its real length.

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

import re
import threading
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from functools import lru_cache
from itertools import pairwise
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays

from desktop.domain.errors import Bilingual, Phrase, ValidationError

__all__ = [
    "DEFAULT_CALENDAR_KEY",
    "PRESETS",
    "PRESET_TITLES",
    "CalendarError",
    "DayInfo",
    "DayKind",
    "Interval",
    "WorkingCalendar",
    "always_open",
    "moscow_9_18",
    "moscow_11_18",
    "moscow_11_20",
    "preset",
    "ru_holiday_name",
    "utc6_9_18",
]

Interval = tuple[int, int]
"""A working interval within one local day, in minutes since midnight: (540, 1080) = 09:00–18:00.
The end may be 1440 (24:00)."""

DayKind = Literal[
    "regular",  # an ordinary day of the weekly schedule (possibly with no hours: a weekend)
    "weekend",  # the weekly schedule has no hours on this weekday
    "holiday",  # a Russian public holiday or transferred day off (``holidays.RU``)
    "company_day_off",  # the company's own extra day off
    "transferred_working",  # a Saturday/Sunday made working by the government (e.g. 2025-11-01)
    "company_working",  # the company's own extra working day
    "always_open",  # a 24/7 calendar: every day, all day
]

WEEKDAY_KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_WEEKDAY_RU = ("пн", "вт", "ср", "чт", "пт", "сб", "вс")
_WEEKDAY_EN = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")

_US = 1_000_000
_TD_US = timedelta(microseconds=1)
_MIN_YEAR = 1971  # negative timestamps break ``fromtimestamp`` on Windows
_MAX_YEAR = 2199
_SERIAL_VERSION = 1

# One lock for all layout builds: builds are rare and short, readers never take it (they read an
# immutable snapshot), so contention is not a concern.
_BUILD_LOCK = threading.Lock()


class CalendarError(ValidationError):
    """A calendar definition or a time argument that cannot be used; the message says why."""


# --------------------------------------------------------------------------------------------
# Parsing helpers (used by the constructors and by ``from_dict``)

_OFFSET_RE = re.compile(r"^(?:UTC|GMT)?\s*([+-])(\d{1,2})(?::?(\d{2}))?$", re.IGNORECASE)
_HHMM_RE = re.compile(r"^(\d{1,2}):(\d{2})$")


def _parse_timezone(name: str) -> tzinfo:
    """Accept an IANA name ("Europe/Moscow") or a fixed offset ("+06:00", "UTC+6", "UTC")."""
    if not isinstance(name, str) or not name.strip():
        raise CalendarError("The calendar needs a time zone, e.g. 'Europe/Moscow' or '+06:00'.")
    text = name.strip()
    if text.upper() in ("UTC", "GMT", "Z"):
        return UTC
    m = _OFFSET_RE.match(text)
    if m:
        sign, hours, minutes = m.group(1), int(m.group(2)), int(m.group(3) or 0)
        if hours > 14 or minutes > 59 or (hours == 14 and minutes):
            raise CalendarError("Time zone offset {text!r} is out of range (−14:00…+14:00).", text=text)
        delta = timedelta(hours=hours, minutes=minutes)
        return timezone(-delta if sign == "-" else delta)
    try:
        return ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError):
        raise CalendarError(
            "Unknown time zone {text!r}: use an IANA name such as 'Europe/Moscow' "
            "or a fixed offset such as '+06:00'.", text=text
        ) from None


def _parse_hhmm(text: str, *, allow_24: bool) -> int:
    m = _HHMM_RE.match(text.strip())
    if not m:
        raise CalendarError("{text!r} is not a time of day in the form HH:MM.", text=text)
    hours, minutes = int(m.group(1)), int(m.group(2))
    total = hours * 60 + minutes
    if minutes > 59 or total > 1440 or (total == 1440 and not allow_24):
        raise CalendarError("{text!r} is not a valid time of day.", text=text)
    return total


def _parse_interval(spec: Any) -> Interval:
    """One interval from "09:00-18:00", a (540, 1080) pair of minutes or a (time, time) pair."""
    if isinstance(spec, str):
        parts = re.split(r"\s*[-–—]\s*", spec.strip())
        if len(parts) != 2:
            raise CalendarError("{spec!r} is not a working interval like '09:00-18:00'.", spec=spec)
        start, end = _parse_hhmm(parts[0], allow_24=False), _parse_hhmm(parts[1], allow_24=True)
    elif isinstance(spec, Sequence) and len(spec) == 2:
        start, end = (_minute_of(spec[0]), _minute_of(spec[1]))
    else:
        raise CalendarError("{spec!r} is not a working interval like '09:00-18:00'.", spec=spec)
    if not 0 <= start < end <= 1440:
        raise CalendarError(
            "Working interval {start}–{end} must start before it ends, "
            "within one day (00:00–24:00).", start=_fmt_min(start), end=_fmt_min(end)
        )
    return (start, end)


def _minute_of(value: Any) -> int:
    if isinstance(value, bool):
        raise CalendarError("{value!r} is not a time of day.", value=value)
    if isinstance(value, int):
        return value
    if isinstance(value, time):
        if value.second or value.microsecond:
            raise CalendarError("Working hours are set in whole minutes, not {value}.", value=value)
        return value.hour * 60 + value.minute
    if isinstance(value, str):
        return _parse_hhmm(value, allow_24=True)
    raise CalendarError("{value!r} is not a time of day.", value=value)


def _parse_day(spec: Any, what: str) -> tuple[Interval, ...]:
    """A day's intervals, sorted; overlapping or touching intervals are an error (a typo)."""
    if spec is None:
        return ()
    if isinstance(spec, str):
        spec = [s for s in re.split(r"\s*[,;]\s*", spec.strip()) if s]
    if not isinstance(spec, Iterable):
        raise CalendarError("Working hours for {what} must be a list of intervals.", what=what)
    intervals = sorted(_parse_interval(s) for s in spec)
    for (_, end), (start, _) in pairwise(intervals):
        if start <= end:
            raise CalendarError(
                "Working intervals for {what} overlap or touch; merge them into one interval.", what=what
            )
    return tuple(intervals)


def _parse_date(value: Any) -> date:
    if isinstance(value, datetime):
        raise CalendarError("{value!r} is a date and time; a calendar exception is a whole day.", value=value)
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise CalendarError("{value!r} is not a date in the form YYYY-MM-DD.", value=value)


def _fmt_min(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def _fmt_day(intervals: Sequence[Interval]) -> list[str]:
    return [f"{_fmt_min(a)}-{_fmt_min(b)}" for a, b in intervals]


# --------------------------------------------------------------------------------------------
# Russian holidays, cached per year (the ``holidays`` package takes ~10–80 ms to build a year)


@lru_cache(maxsize=512)
def _ru_year(year: int, language: str) -> tuple[dict[date, str], frozenset[date]]:
    ru = holidays.country_holidays("RU", years=year, language=language)
    days = {d: str(name) for d, name in ru.items() if d.year == year}
    workdays = frozenset(d for d in getattr(ru, "weekend_workdays", ()) if d.year == year)
    return days, workdays


def ru_holiday_name(day: date, lang: str = "ru") -> str | None:
    """The official name of a Russian public holiday / transferred day off, or None."""
    language = "ru" if lang.startswith("ru") else "en_US"
    return _ru_year(day.year, language)[0].get(day)


# --------------------------------------------------------------------------------------------


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


class _Cache:
    """Mutable holder of a calendar's layout snapshot (excluded from equality and hashing)."""

    __slots__ = ("snap",)

    def __init__(self) -> None:
        # (lo_us, hi_us, starts, ends, cum, lo_ordinal, hi_ordinal); cum has len(starts)+1 items
        self.snap: tuple[int, int, list[int], list[int], list[int], int, int] | None = None

    def __reduce__(self) -> tuple[type[_Cache], tuple[()]]:
        return (_Cache, ())  # a copy rebuilds its layout lazily


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
    _tz: tzinfo = field(init=False, repr=False, compare=False)
    _cache: _Cache = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        set_(self, "_tz", _parse_timezone(self.timezone))
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
        parsed = tuple(_parse_day(week[i], Bilingual(_WEEKDAY_EN[i], _WEEKDAY_RU[i])) for i in range(7))
        set_(self, "week", parsed)
        if self.extra_day_hours is not None:
            extra = _parse_day(self.extra_day_hours, Phrase("extra working days"))
            if not extra:
                raise CalendarError("Extra working days need at least one working interval.")
            set_(self, "extra_day_hours", extra)
        set_(self, "days_off", frozenset(_parse_date(d) for d in self.days_off))
        set_(self, "working_days", frozenset(_parse_date(d) for d in self.working_days))
        both = self.days_off & self.working_days
        if both:
            first = min(both).isoformat()
            raise CalendarError("{first} is listed both as a day off and as a working day.", first=first)
        for d in self.days_off | self.working_days:
            if not _MIN_YEAR <= d.year <= _MAX_YEAR:
                raise CalendarError("{day} is outside {first_year}–{last_year}.", day=d.isoformat(), first_year=_MIN_YEAR, last_year=_MAX_YEAR)
        if not self.always_open and not any(parsed):
            raise CalendarError("The calendar has no working hours on any weekday.")
        set_(self, "_cache", _Cache())

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
        day = _parse_day(hours, Phrase("the working days"))
        return cls(
            timezone=timezone,
            week=tuple(day if i in days else () for i in range(7)),
            ru_holidays=ru_holidays,
            days_off=frozenset(_parse_date(d) for d in days_off),
            working_days=frozenset(_parse_date(d) for d in working_days),
            extra_day_hours=(None if extra_day_hours is None
                             else _parse_day(extra_day_hours, Phrase("extra working days"))),
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
            "week": {WEEKDAY_KEYS[i]: _fmt_day(self.week[i]) for i in range(7)},
            "ru_holidays": self.ru_holidays,
            "days_off": sorted(d.isoformat() for d in self.days_off),
            "working_days": sorted(d.isoformat() for d in self.working_days),
            "extra_day_hours": (
                None if self.extra_day_hours is None else _fmt_day(self.extra_day_hours)
            ),
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
                 "working_days", "extra_day_hours"}
        unknown = set(data) - known
        if unknown:
            raise CalendarError("Stored calendar has unknown field(s): {fields}.", fields=', '.join(sorted(unknown)))
        if data.get("always_open", False) is True:
            return _intern(cls.around_the_clock(str(data.get("timezone", "Europe/Moscow"))))
        week = data.get("week")
        if not isinstance(week, Mapping):
            raise CalendarError("Stored calendar lacks its weekly hours ('week').")
        for flag in ("ru_holidays", "always_open"):
            if flag in data and not isinstance(data[flag], bool):
                raise CalendarError("Stored calendar field {flag!r} must be true or false.", flag=flag)
        for name in ("days_off", "working_days"):
            if not isinstance(data.get(name, []), list):
                raise CalendarError("Stored calendar field {name!r} must be a list of dates.", name=name)
        return _intern(cls(
            timezone=data.get("timezone", "Europe/Moscow"),
            week=week,  # type: ignore[arg-type]  # normalised in __post_init__
            ru_holidays=data.get("ru_holidays", True),
            days_off=frozenset(_parse_date(d) for d in data.get("days_off", [])),
            working_days=frozenset(_parse_date(d) for d in data.get("working_days", [])),
            extra_day_hours=data.get("extra_day_hours"),
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
            if not _MIN_YEAR <= d.year <= _MAX_YEAR:
                raise CalendarError("{day} is outside {first_year}–{last_year}.", day=d.isoformat(), first_year=_MIN_YEAR, last_year=_MAX_YEAR)
            names, workdays = _ru_year(d.year, "ru")
            if d in names:
                return DayInfo(d, "holiday", (), names[d], _ru_year(d.year, "en_US")[0].get(d))
            if d in workdays:
                return DayInfo(d, "transferred_working", extra)
        hours = self.week[d.weekday()]
        return DayInfo(d, "regular" if hours else "weekend", hours)

    def describe(self, lang: str = "ru") -> str:
        """One line a person can read: zone, hours by weekday, holidays, exceptions."""
        ru = lang.startswith("ru")
        if self.always_open:
            return (f"круглосуточно, без выходных ({self.timezone})" if ru
                    else f"around the clock, every day ({self.timezone})")
        names = _WEEKDAY_RU if ru else _WEEKDAY_EN
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
            spans = ", ".join(f"{_fmt_min(s)}–{_fmt_min(e)}" for s, e in hours)
            parts.append(f"{days} {spans}")
        text = f"{'; '.join(parts)} ({self.timezone})"
        if self.ru_holidays:
            text += ("; праздники РФ с переносами" if ru
                     else "; Russian public holidays incl. transferred days")
        if self.days_off:
            text += (f"; дополнительных выходных: {len(self.days_off)}" if ru
                     else f"; company days off: {len(self.days_off)}")
        if self.working_days:
            text += (f"; дополнительных рабочих дней: {len(self.working_days)}" if ru
                     else f"; extra working days: {len(self.working_days)}")
        return text

    # ---- the layout ------------------------------------------------------------------------

    def _local_us(self, ordinal: int, minute: int) -> int:
        naive = datetime.fromordinal(ordinal) + timedelta(minutes=minute)
        return int(naive.replace(tzinfo=self._tz).timestamp()) * _US

    def _build_pairs(self, lo: int, hi: int) -> list[tuple[int, int]]:
        pairs: list[tuple[int, int]] = []
        for ordinal in range(lo, hi):
            for start, end in self.day(date.fromordinal(ordinal)).intervals:
                a, b = self._local_us(ordinal, start), self._local_us(ordinal, end)
                if a < b:
                    pairs.append((a, b))
        return pairs

    def _ensure(self, lo_ord: int, hi_ord: int) -> tuple[int, int, list[int], list[int], list[int], int, int]:
        """Make the layout cover local dates [lo_ord, hi_ord) and return the new snapshot."""
        lo_ord = max(lo_ord, date(_MIN_YEAR, 1, 1).toordinal())
        hi_ord = min(hi_ord, date(_MAX_YEAR + 1, 1, 1).toordinal())
        with _BUILD_LOCK:
            snap = self._cache.snap
            if snap is not None and snap[5] <= lo_ord and hi_ord <= snap[6]:
                return snap
            if snap is None:
                pairs = self._build_pairs(lo_ord, hi_ord)
            else:
                old_lo, old_hi = snap[5], snap[6]
                lo_ord, hi_ord = min(lo_ord, old_lo), max(hi_ord, old_hi)
                pairs = (self._build_pairs(lo_ord, old_lo) + list(zip(snap[2], snap[3], strict=True))
                         + self._build_pairs(old_hi, hi_ord))
            pairs.sort()
            starts: list[int] = []
            ends: list[int] = []
            for a, b in pairs:  # merge touching intervals (24:00 → 00:00, DST oddities)
                if ends and a <= ends[-1]:
                    ends[-1] = max(ends[-1], b)
                else:
                    starts.append(a)
                    ends.append(b)
            cum = [0]
            total = 0
            for a, b in zip(starts, ends, strict=True):
                total += b - a
                cum.append(total)
            new = (self._local_us(lo_ord, 0), self._local_us(hi_ord, 0), starts, ends, cum,
                   lo_ord, hi_ord)
            self._cache.snap = new
            return new

    def _snap_for(self, t_us: int) -> tuple[int, int, list[int], list[int], list[int], int, int]:
        snap = self._cache.snap
        if snap is not None and snap[0] <= t_us < snap[1]:
            return snap
        day = datetime.fromtimestamp(t_us // _US, self._tz).date()
        if not _MIN_YEAR <= day.year <= _MAX_YEAR:
            raise CalendarError("{day} is outside {first_year}–{last_year}.", day=day.isoformat(), first_year=_MIN_YEAR, last_year=_MAX_YEAR)
        lo = date(max(_MIN_YEAR, day.year - 1), 1, 1).toordinal()
        hi = date(min(_MAX_YEAR, day.year + 1) + 1, 1, 1).toordinal()
        if snap is not None:  # the layout stays one contiguous span: grow it towards t
            lo, hi = min(lo, snap[5]), max(hi, snap[6])
        return self._ensure(lo, hi)

    def _snap_for_work(self, snap: tuple[int, int, list[int], list[int], list[int], int, int],
                       work: int) -> tuple[int, int, list[int], list[int], list[int], int, int]:
        """Extend forward until the layout holds ``work`` µs of working time from its start."""
        while snap[4][-1] < work:
            if snap[6] >= date(_MAX_YEAR + 1, 1, 1).toordinal():
                raise CalendarError("The deadline falls after {last_year}; check the duration.", last_year=_MAX_YEAR)
            span = max(366, (snap[6] - snap[5]))  # double the span: few rebuilds for long adds
            snap = self._ensure(snap[5], snap[6] + span)
        return snap

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
    def _work_at(snap: tuple[int, int, list[int], list[int], list[int], int, int], t_us: int) -> int:
        """Working µs from the layout's start up to ``t_us``."""
        starts, ends, cum = snap[2], snap[3], snap[4]
        i = bisect_right(ends, t_us)
        if i < len(starts) and t_us > starts[i]:
            return cum[i] + t_us - starts[i]
        return cum[i]

    def _add_us(self, t_us: int, d_us: int) -> int:
        snap = self._snap_for(t_us)
        target = self._work_at(snap, t_us) + d_us
        if target > snap[4][-1]:
            snap = self._snap_for_work(snap, target)
            target = self._work_at(snap, t_us) + d_us  # an earlier prefix may have been added
            snap = self._snap_for_work(snap, target)
        cum = snap[4]
        j = bisect_left(cum, target) - 1
        return snap[2][j] + target - cum[j]

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
        return self._from_us(self._add_us(t_us, d_us))

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
            append(self._from_us(self._add_us(t_us, d_us)))  # grows the layout
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
        self._snap_for(hi_us)
        snap = self._snap_for(lo_us)
        if not snap[0] <= hi_us < snap[1]:
            snap = self._snap_for(hi_us)
        return timedelta(microseconds=self._work_at(snap, b_us) - self._work_at(snap, a_us))

    def is_working(self, t: datetime) -> bool:
        """Whether ``t`` is inside a working interval (start included, end excluded)."""
        t_us = self._to_us(t)
        if self.always_open:
            return True
        snap = self._snap_for(t_us)
        i = bisect_right(snap[3], t_us)
        return i < len(snap[2]) and snap[2][i] <= t_us

    def next_working_instant(self, t: datetime) -> datetime:
        """``t`` itself when it is working time, else the start of the next working interval."""
        t_us = self._to_us(t)
        if self.always_open:
            return t.astimezone(self._tz)
        snap = self._snap_for(t_us)
        i = bisect_right(snap[3], t_us)
        while i >= len(snap[2]):  # nothing left in the layout: grow it forward
            snap = self._snap_for_work(snap, snap[4][-1] + 1)
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
        self._snap_for(b_us)
        snap = self._snap_for(a_us)
        if not snap[0] <= b_us < snap[1]:
            snap = self._snap_for(b_us)
        starts, ends = snap[2], snap[3]
        out = []
        i = bisect_right(ends, a_us)
        while i < len(starts) and starts[i] < b_us:
            out.append((self._from_us(max(starts[i], a_us)), self._from_us(min(ends[i], b_us))))
            i += 1
        return out


_INTERNED: dict[WorkingCalendar, WorkingCalendar] = {}


def _intern(cal: WorkingCalendar) -> WorkingCalendar:
    """One shared instance per distinct calendar, so its layout is built once per process.

    The store rebuilds calendars from JSON for every query; without this each copy would build
    its own layout. Calendars are values, so handing back an equal instance changes nothing.
    """
    with _BUILD_LOCK:
        found = _INTERNED.get(cal)
        if found is not None:
            return found
        if len(_INTERNED) >= 256:  # an administrator has a handful; bound it anyway
            _INTERNED.clear()
        _INTERNED[cal] = cal
        return cal


# --------------------------------------------------------------------------------------------
# Presets: the calendars the regulations in /work/shared/seeds/ use.


def moscow_9_18() -> WorkingCalendar:
    """EmailMaker 1.4: working days 9–18 Moscow time, Russian holidays; the default."""
    return WorkingCalendar.weekly("09:00-18:00", timezone="Europe/Moscow")


def moscow_11_20() -> WorkingCalendar:
    """Prem-site: support from 11:00 to 20:00 Moscow time."""
    return WorkingCalendar.weekly("11:00-20:00", timezone="Europe/Moscow")


def moscow_11_18() -> WorkingCalendar:
    """WebbyMASTER 1.4: 11:00–18:00 Moscow time on working days."""
    return WorkingCalendar.weekly("11:00-18:00", timezone="Europe/Moscow")


def utc6_9_18() -> WorkingCalendar:
    """Sintez: working days 9:00–18:00 "UTC+6 Челябинск".

    The regulation says UTC+6 although Chelyabinsk is UTC+5 (Asia/Yekaterinburg); we follow the
    stated offset, as a fixed +06:00, since that is what the customer was promised.
    """
    return WorkingCalendar.weekly("09:00-18:00", timezone="+06:00")


def always_open() -> WorkingCalendar:
    """WebbyMASTER priority support: around the clock, weekends and holidays included."""
    return WorkingCalendar.around_the_clock("Europe/Moscow")


DEFAULT_CALENDAR_KEY = "moscow_9_18"

PRESETS: dict[str, WorkingCalendar] = {
    key: _intern(make())
    for key, make in (("moscow_9_18", moscow_9_18), ("moscow_11_20", moscow_11_20),
                      ("moscow_11_18", moscow_11_18), ("utc6_9_18", utc6_9_18),
                      ("always_open", always_open))
}
"""Seed calendars by key; the store inserts ``(key, calendar.to_dict())`` rows."""

PRESET_TITLES: dict[str, tuple[str, str]] = {
    "moscow_9_18": ("Москва, пн–пт 09:00–18:00", "Moscow, Mon–Fri 09:00–18:00"),
    "moscow_11_20": ("Москва, пн–пт 11:00–20:00", "Moscow, Mon–Fri 11:00–20:00"),
    "moscow_11_18": ("Москва, пн–пт 11:00–18:00", "Moscow, Mon–Fri 11:00–18:00"),
    "utc6_9_18": ("UTC+6, пн–пт 09:00–18:00", "UTC+6, Mon–Fri 09:00–18:00"),
    "always_open": ("Круглосуточно 24/7", "Around the clock 24/7"),
}
"""(Russian, English) display names of the presets."""


def preset(key: str) -> WorkingCalendar:
    """A seed calendar by key; an unknown key is a plain error naming the known ones."""
    try:
        return PRESETS[key]
    except KeyError:
        raise CalendarError(
            "Unknown calendar {key!r}; known: {known}.", key=key, known=', '.join(sorted(PRESETS))
        ) from None
