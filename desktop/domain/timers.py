"""Timers that act on their own: auto-close of silent tickets, acceptance windows (R-AUTO-1..3).

Pure rules over stored timestamps: given the facts and ``now`` they say *what is due*; the
services apply the actions and record the facts (``reminder_sent_at``, status changes), so
asking again after applying returns nothing. That is what makes ``reglament run-timers``
idempotent and lets timers survive restarts (R-AUTO-3): nothing lives in memory.

Day counting, ``unit="calendar"``: N days of wall-clock time in the calendar's zone (a Monday
14:00 start closes on Wednesday 14:00, DST or not). ``unit="business"``: the same local time on
the N-th working day after the start day; if that instant is outside working hours it moves to
the next working instant — a business-day timer never fires at night or on a holiday.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal, cast

from desktop.domain.calendar import WorkingCalendar
from desktop.domain.calendar_spec import CalendarError
from desktop.domain.errors import Phrase

__all__ = [
    "AcceptanceExpired",
    "AcceptanceFacts",
    "AcceptanceSettings",
    "AutoCloseSettings",
    "CloseInactive",
    "DayUnit",
    "ExpiryPolicy",
    "SendReminder",
    "TimerAction",
    "WaitingFacts",
    "WaitingSchedule",
    "acceptance_actions",
    "acceptance_expires_at",
    "add_days",
    "due_actions",
    "next_due_at",
    "waiting_schedule",
]

DayUnit = Literal["calendar", "business"]
ExpiryPolicy = Literal["deemed_accepted", "follow_up"]

_MAX_DAYS = 366  # a timer longer than a year is a typo, not a policy


def _aware(t: datetime, what: str) -> datetime:
    if not isinstance(t, datetime) or t.tzinfo is None or t.utcoffset() is None:
        raise CalendarError("{what} must be a timezone-aware date and time.", what=what)
    return t.astimezone(UTC)  # compare in UTC: equal ZoneInfos compare by wall time


def _check_days(value: Any, what: str, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not minimum <= value <= _MAX_DAYS:
        raise CalendarError("{what} must be a whole number of days from {minimum} to {maximum}.", what=what, minimum=minimum, maximum=_MAX_DAYS)
    return value


def _check_unit(unit: Any) -> DayUnit:
    if unit not in ("calendar", "business"):
        raise CalendarError("Day unit must be 'calendar' or 'business', not {unit!r}.", unit=unit)
    return cast(DayUnit, unit)


def add_days(cal: WorkingCalendar, start: datetime, days: int, unit: DayUnit) -> datetime:
    """``start`` plus ``days`` calendar or business days (see the module docstring)."""
    start = _aware(start, Phrase("The start")).astimezone(cal.tz)
    if days == 0:
        return start
    wall = start.replace(tzinfo=None)
    if unit == "calendar":
        return (wall + timedelta(days=days)).replace(tzinfo=cal.tz).astimezone(UTC).astimezone(cal.tz)
    day, found = wall.date(), 0
    for _ in range(days * 40 + 400):  # guards against a calendar with (almost) no working days
        day += timedelta(days=1)
        if cal.day(day).is_working:
            found += 1
            if found == days:
                at = datetime.combine(day, wall.time()).replace(tzinfo=cal.tz)
                return cal.next_working_instant(at.astimezone(UTC).astimezone(cal.tz))
    raise CalendarError("The calendar has fewer than {days} working days in the year ahead.", days=days)


# --------------------------------------------------------------------------------------------
# R-AUTO-1: waiting for the client → reminder → closed as inactive


@dataclass(frozen=True)
class AutoCloseSettings:
    """Defaults from WebbyMASTER §3.3: no client answer for two days → inactive and closed."""

    close_after_days: int = 2
    unit: DayUnit = "calendar"
    reminder_before_days: int | None = 1

    def __post_init__(self) -> None:
        _check_days(self.close_after_days, Phrase("Auto-close delay"), 1)
        _check_unit(self.unit)
        if self.reminder_before_days is not None:
            _check_days(self.reminder_before_days, Phrase("Reminder lead time"), 1)
            if self.reminder_before_days >= self.close_after_days:
                raise CalendarError(
                    "The reminder must go out before closing: its lead time must be shorter "
                    "than the auto-close delay."
                )

    def to_dict(self) -> dict[str, Any]:
        return {"close_after_days": self.close_after_days, "unit": self.unit,
                "reminder_before_days": self.reminder_before_days}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> AutoCloseSettings:
        return cls(close_after_days=data.get("close_after_days", 2),
                   unit=data.get("unit", "calendar"),
                   reminder_before_days=data.get("reminder_before_days", 1))


@dataclass(frozen=True)
class WaitingFacts:
    """Stored facts of a ticket; ``waiting_since`` is None unless it is in ``waiting_client``."""

    waiting_since: datetime | None
    last_client_message_at: datetime | None = None
    reminder_sent_at: datetime | None = None


@dataclass(frozen=True)
class WaitingSchedule:
    base: datetime
    """Where the silence is counted from: the later of entering waiting and the last client mail."""
    reminder_at: datetime | None
    close_at: datetime


@dataclass(frozen=True)
class SendReminder:
    """Remind the client that the ticket will be closed at ``close_at``."""

    due_at: datetime
    close_at: datetime


@dataclass(frozen=True)
class CloseInactive:
    """Set the ticket ``inactive``, close it and queue the closing notice to the client."""

    due_at: datetime


@dataclass(frozen=True)
class AcceptanceExpired:
    """The acceptance window passed unanswered: flag it and apply ``policy``."""

    due_at: datetime
    policy: ExpiryPolicy


TimerAction = SendReminder | CloseInactive | AcceptanceExpired


def waiting_schedule(settings: AutoCloseSettings, cal: WorkingCalendar, waiting_since: datetime,
                     last_client_message_at: datetime | None = None) -> WaitingSchedule:
    """When the reminder and the auto-close fall for a ticket waiting since ``waiting_since``."""
    base = _aware(waiting_since, Phrase("'waiting since'"))
    if last_client_message_at is not None:
        # a client message that did not end the wait (e.g. "I'll look tomorrow") restarts it
        base = max(base, _aware(last_client_message_at, Phrase("The last client message time")))
    close_at = add_days(cal, base, settings.close_after_days, settings.unit)
    reminder_at = None
    if settings.reminder_before_days is not None:
        lead = settings.close_after_days - settings.reminder_before_days
        reminder_at = add_days(cal, base, lead, settings.unit)
    return WaitingSchedule(base.astimezone(cal.tz), reminder_at, close_at)


def due_actions(facts: WaitingFacts, settings: AutoCloseSettings, cal: WorkingCalendar,
                now: datetime) -> list[TimerAction]:
    """What is due at ``now``; empty once the actions have been applied and recorded.

    When the workstation was off past the closing time, the ticket is closed without a late
    reminder: the closing notice tells the client everything a reminder would.
    """
    now = _aware(now, Phrase("'now'"))
    if facts.waiting_since is None:
        return []
    plan = waiting_schedule(settings, cal, facts.waiting_since, facts.last_client_message_at)
    if now >= plan.close_at:
        return [CloseInactive(plan.close_at)]
    reminded = facts.reminder_sent_at is not None and facts.reminder_sent_at >= plan.base
    if plan.reminder_at is not None and now >= plan.reminder_at and not reminded:
        return [SendReminder(plan.reminder_at, plan.close_at)]
    return []


def next_due_at(facts: WaitingFacts, settings: AutoCloseSettings,
                cal: WorkingCalendar) -> datetime | None:
    """The next instant at which :func:`due_actions` will return something (for scheduling)."""
    if facts.waiting_since is None:
        return None
    plan = waiting_schedule(settings, cal, facts.waiting_since, facts.last_client_message_at)
    reminded = facts.reminder_sent_at is not None and facts.reminder_sent_at >= plan.base
    if plan.reminder_at is not None and not reminded:
        return plan.reminder_at
    return plan.close_at


# --------------------------------------------------------------------------------------------
# R-AUTO-2: the acceptance act's window


@dataclass(frozen=True)
class AcceptanceSettings:
    """Sintez: the customer approves the act "within three days of receiving it" or gives a
    motivated refusal. Default policy ``follow_up``: silence is flagged to the agent rather
    than turned into acceptance, which is a contract matter the administrator must opt into."""

    window_days: int = 3
    unit: DayUnit = "calendar"
    policy: ExpiryPolicy = "follow_up"

    def __post_init__(self) -> None:
        _check_days(self.window_days, Phrase("Acceptance window"), 1)
        _check_unit(self.unit)
        if self.policy not in ("deemed_accepted", "follow_up"):
            raise CalendarError(
                "Acceptance expiry policy must be 'deemed_accepted' or 'follow_up', "
                "not {policy!r}.", policy=self.policy
            )

    def to_dict(self) -> dict[str, Any]:
        return {"window_days": self.window_days, "unit": self.unit, "policy": self.policy}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> AcceptanceSettings:
        return cls(window_days=data.get("window_days", 3), unit=data.get("unit", "calendar"),
                   policy=data.get("policy", "follow_up"))


@dataclass(frozen=True)
class AcceptanceFacts:
    act_sent_at: datetime | None
    answered_at: datetime | None = None
    """Accepted or refused with reasons; either ends the window."""
    expiry_handled_at: datetime | None = None


def acceptance_expires_at(settings: AcceptanceSettings, cal: WorkingCalendar,
                          act_sent_at: datetime) -> datetime:
    return add_days(cal, act_sent_at, settings.window_days, settings.unit)


def acceptance_actions(facts: AcceptanceFacts, settings: AcceptanceSettings,
                       cal: WorkingCalendar, now: datetime) -> list[TimerAction]:
    """``[AcceptanceExpired]`` once the window has passed unanswered and was not yet handled."""
    now = _aware(now, Phrase("'now'"))
    if facts.act_sent_at is None or facts.answered_at is not None:
        return []
    if facts.expiry_handled_at is not None and facts.expiry_handled_at >= facts.act_sent_at:
        return []  # handled for this sending (a re-sent act opens a new window)
    expires = acceptance_expires_at(settings, cal, facts.act_sent_at)
    return [AcceptanceExpired(expires, settings.policy)] if now >= expires else []
