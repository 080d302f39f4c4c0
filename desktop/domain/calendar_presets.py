"""The calendars the support regulations use, by key, with their names in both languages.

Apart from :mod:`desktop.domain.calendar` because they are data — the seed calendars the store
inserts and the settings offer — not rules: adding a customer's calendar touches only this file.
"""

from __future__ import annotations

from desktop.domain.calendar import WorkingCalendar, intern_calendar
from desktop.domain.calendar_spec import CalendarError


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
    key: intern_calendar(make())
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
