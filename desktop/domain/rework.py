"""Rework deadlines of a bilateral act (R-ACT-3), tracked like SLA deadlines: a state for the
colour (ok, warning, breached; done or done late once finished) and a countdown in words.

The parties agree rework in calendar dates ("by 20 November"), so a deadline is the end of that
day in the plan's zone and counts down by the clock, not in working hours; it turns to warning
in its last day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from desktop.domain.sla_format import format_countdown

#: The last stretch before a rework deadline in which it shows as a warning.
REWORK_WARNING = timedelta(days=1)


def rework_deadline(day: date, tz: tzinfo) -> datetime:
    """The end of the agreed day in the plan's zone (the deadline a date stands for)."""
    return datetime.combine(day, time(23, 59, 59), tz)


@dataclass(frozen=True)
class ReworkClock:
    status: str  # ok | warning | breached | done | done_late
    #: Time left (negative: overdue); for a finished item, how early (or late) it was done.
    remaining: timedelta

    @property
    def running(self) -> bool:
        return self.status in ("ok", "warning", "breached")


def rework_clock(deadline: datetime, done_at: datetime | None, now: datetime) -> ReworkClock:
    if done_at is not None:
        return ReworkClock("done" if done_at <= deadline else "done_late", deadline - done_at)
    left = deadline - now
    status = "breached" if left < timedelta(0) else ("warning" if left < REWORK_WARNING else "ok")
    return ReworkClock(status, left)


def _span(value: timedelta, lang: str) -> str:
    """'3 дн 4 ч' / '3 d 4 h' from a day on (rework runs in days), else hours and minutes."""
    value = abs(value)
    if value < timedelta(days=1):
        return format_countdown(value, lang)
    days, rest = divmod(value, timedelta(days=1))
    hours = rest // timedelta(hours=1)
    ru = lang.startswith("ru")
    text = f"{days} дн" if ru else f"{days} d"
    return f"{text} {hours} ч" if ru and hours else (f"{text} {hours} h" if hours else text)


def rework_text(clock: ReworkClock, lang: str) -> str:
    """The countdown as the ticket, the queue and the dashboard say it."""
    ru = lang.startswith("ru")
    if clock.status == "done":
        return "выполнено" if ru else "done"
    if clock.status == "done_late":
        return (f"выполнено с опозданием на {_span(clock.remaining, lang)}" if ru
                else f"done {_span(clock.remaining, lang)} late")
    if clock.status == "breached":
        return (f"просрочено на {_span(clock.remaining, lang)}" if ru
                else f"overdue by {_span(clock.remaining, lang)}")
    return (f"осталось {_span(clock.remaining, lang)}" if ru else f"{_span(clock.remaining, lang)} left")
