""""Why this deadline": the working time a target's clock consumed, day by day (R-SLA-4a).

The answer an agent gets when a deadline looks wrong: which intervals counted, which days
were skipped (weekend, holiday, company day off) and which pauses moved the deadline. Apart
from the state computation because it walks the same clock but keeps every step for a person
to read; :func:`~desktop.domain.sla_format.format_explanation` puts it into words.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Literal

from desktop.domain.calendar import WorkingCalendar
from desktop.domain.calendar_days import DayKind
from desktop.domain.sla import (
    Clock,
    Target,
    TargetKind,
    as_of,
    as_utc,
    clock_utc,
    norm_pauses,
    walk_clock,
)


@dataclass(frozen=True)
class ConsumedInterval:
    """A piece of working time the clock used: local date, from, to, and how long."""

    day: date
    start: datetime
    end: datetime
    duration: timedelta
    day_kind: DayKind


@dataclass(frozen=True)
class SkippedDay:
    """A day with no working time between start and deadline, and why."""

    day: date
    reason: Literal["weekend", "holiday", "company_day_off"]
    name_ru: str | None = None
    name_en: str | None = None


@dataclass(frozen=True)
class SkippedPause:
    """A pause (waiting for the client) and the working time it moved the deadline by."""

    start: datetime
    end: datetime | None
    working_time: timedelta


@dataclass(frozen=True)
class Explanation:
    """How a deadline was reached, in data; :func:`format_explanation` makes it readable."""

    kind: TargetKind
    received_at: datetime
    clock_starts_at: datetime
    target: timedelta
    timezone: str
    calendar_ru: str
    calendar_en: str
    deadline: datetime | None
    """None while the clock is held by an open pause."""
    remaining_at_pause: timedelta | None
    consumed: tuple[ConsumedInterval, ...]
    skipped_days: tuple[SkippedDay, ...]
    pauses: tuple[SkippedPause, ...]
    stopped_at: datetime | None = None
    transferred_working_days: tuple[date, ...] = field(default=())


def _split_at_midnight(cal: WorkingCalendar, a: datetime,
                       b: datetime) -> list[tuple[datetime, datetime]]:
    """Cut [a, b) at local midnights so each piece belongs to one local date (compared in UTC)."""
    out = []
    a, b = as_utc(a), as_utc(b)
    while a < b:
        local_day = a.astimezone(cal.tz).date() + timedelta(days=1)
        nxt = as_utc(datetime.combine(local_day, datetime.min.time(), cal.tz))
        end = min(b, nxt)
        out.append((a.astimezone(cal.tz), end.astimezone(cal.tz)))
        a = end
    return out


def explain(cal: WorkingCalendar, target: Target | timedelta, clock: Clock,
            now: datetime | None = None, kind: TargetKind = "reaction") -> Explanation:
    """Account for a deadline: intervals consumed, days and pauses skipped.

    ``now`` limits the facts to what was known then (as in :func:`sla_state`); without it all
    stored facts count. Explaining a met/missed target still shows the deadline it had.
    """
    if isinstance(target, Target):
        kind, amount = target.kind, target.duration
    else:
        amount = target
    clock = clock_utc(clock)
    if now is not None:
        stop, pauses = as_of(clock, as_utc(now))
    else:
        stop = clock.stopped_at
        pauses = norm_pauses(clock.pauses, clock.received_at, stop)
    walk = walk_clock(cal, clock.received_at, amount, pauses)
    counted = walk.counted
    end = walk.due if walk.due is not None else walk.open_pause
    assert end is not None
    consumed: list[ConsumedInterval] = []
    for a, b in cal.working_intervals(clock.received_at, end):
        pieces = [(a, b)]
        for ps, pe in counted:  # cut the pauses out
            cut: list[tuple[datetime, datetime]] = []
            for x, y in pieces:
                pe_ = y if pe is None else pe
                if pe_ <= x or ps >= y:
                    cut.append((x, y))
                    continue
                if x < ps:
                    cut.append((x, ps))
                if pe_ < y:
                    cut.append((pe_, y))
            pieces = cut
        for x, y in pieces:
            for p, q in _split_at_midnight(cal, x, y):
                consumed.append(ConsumedInterval(p.date(), p, q, q - p, cal.day(p.date()).kind))
    skipped: list[SkippedDay] = []
    transferred: list[date] = []
    first = clock.received_at.astimezone(cal.tz).date()
    last = end.astimezone(cal.tz).date()
    day = first
    while day <= last and not cal.always_open:
        info = cal.day(day)
        if info.kind == "transferred_working":
            transferred.append(day)
        if not info.intervals:
            reason: Literal["weekend", "holiday", "company_day_off"] = (
                "holiday" if info.kind == "holiday"
                else "company_day_off" if info.kind == "company_day_off" else "weekend")
            skipped.append(SkippedDay(day, reason, info.name_ru, info.name_en))
        day += timedelta(days=1)
    pause_items = tuple(
        SkippedPause(ps.astimezone(cal.tz), None if pe is None else pe.astimezone(cal.tz),
                     cal.between(ps, pe if pe is not None else ps))
        for ps, pe in counted
    )
    return Explanation(
        kind=kind,
        received_at=clock.received_at.astimezone(cal.tz),
        clock_starts_at=cal.next_working_instant(clock.received_at),
        target=amount,
        timezone=cal.timezone,
        calendar_ru=cal.describe("ru"),
        calendar_en=cal.describe("en"),
        deadline=walk.due,
        remaining_at_pause=None if walk.due is not None else walk.remaining_at_pause,
        consumed=tuple(consumed),
        skipped_days=tuple(skipped),
        pauses=pause_items,
        stopped_at=None if stop is None else stop.astimezone(cal.tz),
        transferred_working_days=tuple(transferred),
    )
