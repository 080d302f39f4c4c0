"""How a working-time calendar is written down: time zones, "09:00-18:00" intervals, dates.

The parsers and formatters every way of building a calendar shares — the constructors,
``from_dict`` reading a stored calendar, the settings dialog — and the error a bad definition
raises. Apart from the calendar's arithmetic so the rules of the notation can be read (and
tested) on their own; nothing here knows about layouts or holidays.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from itertools import pairwise
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from desktop.domain.errors import ValidationError

Interval = tuple[int, int]
"""A working interval within one local day, in minutes since midnight: (540, 1080) = 09:00–18:00.
The end may be 1440 (24:00)."""

WEEKDAY_KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WEEKDAY_RU = ("пн", "вт", "ср", "чт", "пт", "сб", "вс")
WEEKDAY_EN = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MIN_YEAR = 1971  # negative timestamps break ``fromtimestamp`` on Windows
MAX_YEAR = 2199


class CalendarError(ValidationError):
    """A calendar definition or a time argument that cannot be used; the message says why."""


_OFFSET_RE = re.compile(r"^(?:UTC|GMT)?\s*([+-])(\d{1,2})(?::?(\d{2}))?$", re.IGNORECASE)
_HHMM_RE = re.compile(r"^(\d{1,2}):(\d{2})$")


def parse_timezone(name: str) -> tzinfo:
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


def parse_hhmm(text: str, *, allow_24: bool) -> int:
    m = _HHMM_RE.match(text.strip())
    if not m:
        raise CalendarError("{text!r} is not a time of day in the form HH:MM.", text=text)
    hours, minutes = int(m.group(1)), int(m.group(2))
    total = hours * 60 + minutes
    if minutes > 59 or total > 1440 or (total == 1440 and not allow_24):
        raise CalendarError("{text!r} is not a valid time of day.", text=text)
    return total


def parse_interval(spec: Any) -> Interval:
    """One interval from "09:00-18:00", a (540, 1080) pair of minutes or a (time, time) pair."""
    if isinstance(spec, str):
        parts = re.split(r"\s*[-–—]\s*", spec.strip())
        if len(parts) != 2:
            raise CalendarError("{spec!r} is not a working interval like '09:00-18:00'.", spec=spec)
        start, end = parse_hhmm(parts[0], allow_24=False), parse_hhmm(parts[1], allow_24=True)
    elif isinstance(spec, Sequence) and len(spec) == 2:
        start, end = (minute_of(spec[0]), minute_of(spec[1]))
    else:
        raise CalendarError("{spec!r} is not a working interval like '09:00-18:00'.", spec=spec)
    if not 0 <= start < end <= 1440:
        raise CalendarError(
            "Working interval {start}–{end} must start before it ends, "
            "within one day (00:00–24:00).", start=fmt_min(start), end=fmt_min(end)
        )
    return (start, end)


def minute_of(value: Any) -> int:
    if isinstance(value, bool):
        raise CalendarError("{value!r} is not a time of day.", value=value)
    if isinstance(value, int):
        return value
    if isinstance(value, time):
        if value.second or value.microsecond:
            raise CalendarError("Working hours are set in whole minutes, not {value}.", value=value)
        return value.hour * 60 + value.minute
    if isinstance(value, str):
        return parse_hhmm(value, allow_24=True)
    raise CalendarError("{value!r} is not a time of day.", value=value)


def parse_day(spec: Any, what: str) -> tuple[Interval, ...]:
    """A day's intervals, sorted; overlapping or touching intervals are an error (a typo)."""
    if spec is None:
        return ()
    if isinstance(spec, str):
        spec = [s for s in re.split(r"\s*[,;]\s*", spec.strip()) if s]
    if not isinstance(spec, Iterable):
        raise CalendarError("Working hours for {what} must be a list of intervals.", what=what)
    intervals = sorted(parse_interval(s) for s in spec)
    for (_, end), (start, _) in pairwise(intervals):
        if start <= end:
            raise CalendarError(
                "Working intervals for {what} overlap or touch; merge them into one interval.", what=what
            )
    return tuple(intervals)


def parse_date(value: Any) -> date:
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


def fmt_min(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def fmt_day(intervals: Sequence[Interval]) -> list[str]:
    return [f"{fmt_min(a)}-{fmt_min(b)}" for a, b in intervals]

