"""Property-based tests of the working-time arithmetic, with a minute-by-minute reference.

The reference below shares no code with ``desktop.domain.calendar``: it classifies each local
date straight from ``holidays.RU`` and walks the clock one minute at a time, which is slow but
obviously right. Calendars are generated at random (zones with and without DST, a fixed offset,
lunch breaks, company exceptions) and instants are drawn over 2024–2027.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import holidays
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.domain.calendar import WorkingCalendar
from desktop.domain.calendar_presets import moscow_9_18

MINUTE = timedelta(minutes=1)
BASE = datetime(2024, 1, 1, tzinfo=UTC)
SPAN_MINUTES = int((datetime(2027, 12, 1, tzinfo=UTC) - BASE) / MINUTE)
FAST = settings(max_examples=50, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
REF = settings(max_examples=30, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
ZONES = ["Europe/Moscow", "+06:00", "Europe/Berlin", "America/New_York"]


# ---- the reference ------------------------------------------------------------------------


@cache
def _ru(year: int) -> tuple[frozenset[date], frozenset[date]]:
    ru = holidays.RU(years=year)
    return frozenset(ru.keys()), frozenset(ru.weekend_workdays)


def _zone(name: str):
    if name == "+06:00":
        from datetime import timezone

        return timezone(timedelta(hours=6))
    return ZoneInfo(name)


class Reference:
    """Working time by brute force: is each minute [m, m+1) working?"""

    def __init__(self, cal: WorkingCalendar) -> None:
        self.tz = _zone(cal.timezone)
        self.cal = cal

    def hours(self, d: date) -> tuple[tuple[int, int], ...]:
        c = self.cal
        if c.always_open:
            return ((0, 1440),)
        extra = c.extra_day_hours if c.extra_day_hours is not None else c.week[0]
        if d in c.days_off:
            return ()
        if d in c.working_days:
            return extra
        if c.ru_holidays:
            off, work = _ru(d.year)
            if d in off:
                return ()
            if d in work:
                return extra
        return c.week[d.weekday()]

    def working(self, t: datetime) -> bool:
        local = t.astimezone(self.tz)
        m = local.hour * 60 + local.minute
        return any(a <= m < b for a, b in self.hours(local.date()))

    def add(self, t: datetime, minutes: int) -> datetime:
        while minutes:
            if self.working(t):
                minutes -= 1
            t += MINUTE
        return t

    def between(self, a: datetime, b: datetime) -> int:
        n = 0
        while a < b:
            n += self.working(a)
            a += MINUTE
        return n

    def next_working(self, t: datetime) -> datetime:
        while not self.working(t):
            t += MINUTE
        return t


# ---- strategies ---------------------------------------------------------------------------

# Interval boundaries avoid 00:00–04:00 (except midnight itself) so that no boundary falls into
# a DST gap, where "wall-clock minute" and "localised boundary" legitimately differ.
_bound = st.sampled_from([0, *range(4 * 60, 1441, 15)])


@st.composite
def day_hours(draw: st.DrawFn) -> tuple[tuple[int, int], ...]:
    points = sorted(set(draw(st.lists(_bound, min_size=0, max_size=4))))
    if len(points) % 2:
        points = points[:-1]
    return tuple((points[i], points[i + 1]) for i in range(0, len(points), 2))


_dates = st.dates(min_value=date(2024, 1, 1), max_value=date(2027, 12, 31))


@st.composite
def calendars(draw: st.DrawFn) -> WorkingCalendar:
    if draw(st.integers(0, 9)) == 0:
        return WorkingCalendar.around_the_clock(draw(st.sampled_from(ZONES)))
    week = [draw(day_hours()) for _ in range(7)]
    if not any(week):
        week[0] = ((540, 1080),)
    off = draw(st.frozensets(_dates, max_size=5))
    work = draw(st.frozensets(_dates, max_size=5)) - off
    extra = draw(st.one_of(st.none(), day_hours().filter(bool)))
    return WorkingCalendar(timezone=draw(st.sampled_from(ZONES)), week=tuple(week),
                           ru_holidays=draw(st.booleans()), days_off=off, working_days=work,
                           extra_day_hours=extra)


def weekly_minutes(cal: WorkingCalendar) -> int:
    return 7 * 1440 if cal.always_open else sum(b - a for day in cal.week for a, b in day)


# Half of the reference cases start within a few days of a date where the rules bite:
# transferred working Saturdays, the New Year and May holidays.
_SPECIAL = sorted(
    {d for y in range(2024, 2028) for d in _ru(y)[1]}
    | {date(y, m, 1) for y in range(2024, 2028) for m in (1, 5)}
    | {date(2025, 12, 31), date(2026, 1, 9)}
)
_near_special = st.builds(
    lambda d, m: datetime(d.year, d.month, d.day, tzinfo=UTC) + (m - 4 * 1440) * MINUTE,
    st.sampled_from(_SPECIAL), st.integers(0, 5 * 1440),
)
minute_instants = st.one_of(st.integers(0, SPAN_MINUTES).map(lambda m: BASE + m * MINUTE),
                            _near_special)
instants = st.integers(0, SPAN_MINUTES * 60_000_000).map(
    lambda us: BASE + timedelta(microseconds=us))
durations = st.integers(1, 60 * 3600 * 1_000_000).map(lambda us: timedelta(microseconds=us))
some_calendars = st.one_of(st.just(moscow_9_18()), calendars())


# ---- properties ---------------------------------------------------------------------------


@FAST
@given(some_calendars, instants, durations)
def test_add_then_between_returns_the_duration(cal: WorkingCalendar, t: datetime,
                                               d: timedelta) -> None:
    assert cal.between(t, cal.add(t, d)) == d


@FAST
@given(some_calendars, instants, durations)
def test_result_is_never_in_non_working_time(cal: WorkingCalendar, t: datetime,
                                             d: timedelta) -> None:
    r = cal.add(t, d)
    assert r > t
    # working, or exactly the end of a working interval (the end-of-interval convention)
    assert cal.is_working(r) or cal.is_working(r - timedelta(microseconds=1))
    assert cal.is_working(r - timedelta(microseconds=1))


@FAST
@given(some_calendars, instants, instants, durations, durations)
def test_monotonic(cal: WorkingCalendar, t1: datetime, t2: datetime, d1: timedelta,
                   d2: timedelta) -> None:
    t1, t2 = min(t1, t2), max(t1, t2)
    d1, d2 = min(d1, d2), max(d1, d2)
    assert cal.add(t1, d1) <= cal.add(t2, d1)
    assert cal.add(t1, d1) <= cal.add(t1, d2)
    assert timedelta(0) <= cal.between(t1, t2) <= t2 - t1


@FAST
@given(some_calendars, instants, instants, instants)
def test_between_is_additive(cal: WorkingCalendar, a: datetime, b: datetime,
                             c: datetime) -> None:
    assert cal.between(a, c) == cal.between(a, b) + cal.between(b, c)


@FAST
@given(some_calendars, instants)
def test_next_working_instant_is_working_and_nothing_is_skipped(cal: WorkingCalendar,
                                                                t: datetime) -> None:
    n = cal.next_working_instant(t)
    assert n >= t and cal.is_working(n)
    assert cal.between(t, n) == timedelta(0)
    assert cal.is_working(t) == (n == t)


@settings(max_examples=25, deadline=None, database=None)
@given(calendars(), st.lists(instants, max_size=20), durations)
def test_batch_equals_one_by_one(cal: WorkingCalendar, starts: list[datetime],
                                 d: timedelta) -> None:
    fresh = replace(cal)  # a new instance: no layout built yet
    assert fresh == cal and fresh is not cal
    assert WorkingCalendar.from_dict(cal.to_dict()) == cal
    assert fresh.add_many(starts, d) == [cal.add(s, d) for s in starts]


@REF
@given(some_calendars, minute_instants, st.data())
def test_add_and_between_agree_with_the_minute_reference(cal: WorkingCalendar, t: datetime,
                                                         data: st.DataObject) -> None:
    ref = Reference(cal)
    cap = min(20 * 60, weekly_minutes(cal) * 3 // 2)
    minutes = data.draw(st.integers(1, max(1, cap)))
    expected = ref.add(t, minutes)
    assert cal.add(t, minutes * MINUTE) == expected
    later = t + data.draw(st.integers(0, 6 * 1440)) * MINUTE
    assert cal.between(t, later) == ref.between(t, later) * MINUTE


@REF
@given(some_calendars, minute_instants)
def test_is_working_and_next_instant_agree_with_the_reference(cal: WorkingCalendar,
                                                              t: datetime) -> None:
    ref = Reference(cal)
    assert cal.is_working(t) == ref.working(t)
    assert cal.next_working_instant(t) == ref.next_working(t)
