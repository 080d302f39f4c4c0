"""R-AUTO timing rules: auto-close of silent tickets and the acceptance window."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from desktop.domain.calendar import WorkingCalendar
from desktop.domain.calendar_presets import always_open, moscow_9_18
from desktop.domain.calendar_spec import CalendarError
from desktop.domain.timers import (
    AcceptanceExpired,
    AcceptanceFacts,
    AcceptanceSettings,
    AutoCloseSettings,
    CloseInactive,
    SendReminder,
    WaitingFacts,
    acceptance_actions,
    acceptance_expires_at,
    add_days,
    due_actions,
    next_due_at,
    waiting_schedule,
)

MSK = ZoneInfo("Europe/Moscow")
BERLIN = ZoneInfo("Europe/Berlin")
CAL = moscow_9_18()


def msk(y: int, mo: int, d: int, h: int = 0, mi: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=MSK)


# ---- day arithmetic -----------------------------------------------------------------------


def test_calendar_days_keep_the_wall_clock_time_across_dst() -> None:
    berlin = WorkingCalendar.weekly("09:00-18:00", timezone="Europe/Berlin", ru_holidays=False)
    start = datetime(2025, 3, 29, 14, tzinfo=BERLIN)
    assert add_days(berlin, start, 2, "calendar") == datetime(2025, 3, 31, 14, tzinfo=BERLIN)


def test_business_days_skip_weekends_and_holidays_and_count_the_working_saturday() -> None:
    # Thu 30.10 + 1 → Fri 31.10; + 2 → Sat 01.11 (working); + 3 → Wed 05.11 (03–04.11 off)
    thu = msk(2025, 10, 30, 14)
    assert add_days(CAL, thu, 1, "business") == msk(2025, 10, 31, 14)
    assert add_days(CAL, thu, 2, "business") == msk(2025, 11, 1, 14)
    assert add_days(CAL, thu, 3, "business") == msk(2025, 11, 5, 14)


def test_business_day_timer_never_fires_at_night() -> None:
    # Fri 20:00 + 2 business days → Tue 20:00, outside hours → Wed 09:00
    assert add_days(CAL, msk(2025, 11, 7, 20), 2, "business") == msk(2025, 11, 12, 9)


def test_business_days_on_a_24_7_calendar_are_calendar_days() -> None:
    assert add_days(always_open(), msk(2025, 12, 31, 23), 1, "business") == msk(2026, 1, 1, 23)


# ---- auto-close (R-AUTO-1) ------------------------------------------------------------------


WAIT_FROM = msk(2025, 11, 10, 15)  # Monday


def test_default_schedule_is_two_calendar_days_with_a_reminder_one_day_before() -> None:
    plan = waiting_schedule(AutoCloseSettings(), CAL, WAIT_FROM)
    assert (plan.reminder_at, plan.close_at) == (msk(2025, 11, 11, 15), msk(2025, 11, 12, 15))


def test_a_later_client_message_restarts_the_silence() -> None:
    plan = waiting_schedule(AutoCloseSettings(), CAL, WAIT_FROM, msk(2025, 11, 11, 10))
    assert plan.base == msk(2025, 11, 11, 10) and plan.close_at == msk(2025, 11, 13, 10)
    older = waiting_schedule(AutoCloseSettings(), CAL, WAIT_FROM, msk(2025, 11, 9, 10))
    assert older.base == WAIT_FROM


def test_business_day_schedule_over_the_november_holidays() -> None:
    settings = AutoCloseSettings(close_after_days=2, unit="business", reminder_before_days=1)
    plan = waiting_schedule(settings, CAL, msk(2025, 10, 31, 15))  # Fri
    assert plan.reminder_at == msk(2025, 11, 1, 15)  # the working Saturday
    assert plan.close_at == msk(2025, 11, 5, 15)


def test_due_actions_walk_through_reminder_and_close_idempotently() -> None:
    s = AutoCloseSettings()
    facts = WaitingFacts(WAIT_FROM)
    assert due_actions(facts, s, CAL, msk(2025, 11, 11, 14, 59)) == []
    assert next_due_at(facts, s, CAL) == msk(2025, 11, 11, 15)
    reminder = due_actions(facts, s, CAL, msk(2025, 11, 11, 15))
    assert reminder == [SendReminder(msk(2025, 11, 11, 15), msk(2025, 11, 12, 15))]
    # asking again before applying gives the same answer; after recording it, nothing
    assert due_actions(facts, s, CAL, msk(2025, 11, 11, 16)) == reminder
    sent = WaitingFacts(WAIT_FROM, reminder_sent_at=msk(2025, 11, 11, 15, 1))
    assert due_actions(sent, s, CAL, msk(2025, 11, 11, 16)) == []
    assert next_due_at(sent, s, CAL) == msk(2025, 11, 12, 15)
    assert due_actions(sent, s, CAL, msk(2025, 11, 12, 15)) == [CloseInactive(msk(2025, 11, 12, 15))]
    # once closed the ticket is no longer waiting: nothing more is due
    assert due_actions(WaitingFacts(None), s, CAL, msk(2025, 11, 20)) == []
    assert next_due_at(WaitingFacts(None), s, CAL) is None


def test_a_reminder_from_an_earlier_wait_does_not_count() -> None:
    facts = WaitingFacts(WAIT_FROM, reminder_sent_at=msk(2025, 11, 3, 12))
    assert due_actions(facts, AutoCloseSettings(), CAL, msk(2025, 11, 11, 16)) == [
        SendReminder(msk(2025, 11, 11, 15), msk(2025, 11, 12, 15))]


def test_workstation_off_past_close_time_closes_without_a_late_reminder() -> None:
    assert due_actions(WaitingFacts(WAIT_FROM), AutoCloseSettings(), CAL, msk(2025, 11, 20)) == [
        CloseInactive(msk(2025, 11, 12, 15))]


def test_without_reminder() -> None:
    s = AutoCloseSettings(close_after_days=3, reminder_before_days=None)
    assert waiting_schedule(s, CAL, WAIT_FROM).reminder_at is None
    assert due_actions(WaitingFacts(WAIT_FROM), s, CAL, msk(2025, 11, 12, 16)) == []
    assert next_due_at(WaitingFacts(WAIT_FROM), s, CAL) == msk(2025, 11, 13, 15)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"close_after_days": 0}, "from 1 to"),
     ({"close_after_days": 2, "reminder_before_days": 2}, "before closing"),
     ({"unit": "weeks"}, "'calendar' or 'business'"),
     ({"close_after_days": "2"}, "whole number")],
)
def test_bad_auto_close_settings(kwargs: dict, message: str) -> None:
    with pytest.raises(CalendarError, match=message):
        AutoCloseSettings(**kwargs)


def test_settings_round_trip() -> None:
    s = AutoCloseSettings(close_after_days=5, unit="business", reminder_before_days=2)
    assert AutoCloseSettings.from_dict(s.to_dict()) == s
    a = AcceptanceSettings(window_days=5, unit="business", policy="deemed_accepted")
    assert AcceptanceSettings.from_dict(a.to_dict()) == a


def test_naive_now_is_a_plain_error() -> None:
    with pytest.raises(CalendarError, match="timezone-aware"):
        due_actions(WaitingFacts(WAIT_FROM), AutoCloseSettings(), CAL, datetime(2025, 11, 11))


# ---- acceptance window (R-AUTO-2) -----------------------------------------------------------


SENT = msk(2025, 12, 29, 12)  # Mon, right before the New Year holidays


def test_acceptance_window_calendar_and_business_days() -> None:
    assert acceptance_expires_at(AcceptanceSettings(), CAL, SENT) == msk(2026, 1, 1, 12)
    # business: Tue 30.12, then 31.12–11.01 off → Mon 12.01, Tue 13.01
    business = AcceptanceSettings(unit="business")
    assert acceptance_expires_at(business, CAL, SENT) == msk(2026, 1, 13, 12)


def test_acceptance_expiry_flags_once_with_the_policy() -> None:
    s = AcceptanceSettings(policy="deemed_accepted")
    facts = AcceptanceFacts(SENT)
    assert acceptance_actions(facts, s, CAL, msk(2026, 1, 1, 11)) == []
    assert acceptance_actions(facts, s, CAL, msk(2026, 1, 1, 12)) == [
        AcceptanceExpired(msk(2026, 1, 1, 12), "deemed_accepted")]
    handled = AcceptanceFacts(SENT, expiry_handled_at=msk(2026, 1, 2))
    assert acceptance_actions(handled, s, CAL, msk(2026, 1, 5)) == []
    answered = AcceptanceFacts(SENT, answered_at=msk(2025, 12, 30))
    assert acceptance_actions(answered, s, CAL, msk(2026, 1, 5)) == []
    assert acceptance_actions(AcceptanceFacts(None), s, CAL, msk(2026, 1, 5)) == []
    # a re-sent act opens a new window even though an older expiry was handled
    resent = AcceptanceFacts(msk(2026, 1, 12, 10), expiry_handled_at=msk(2026, 1, 2))
    assert acceptance_actions(resent, AcceptanceSettings(), CAL, msk(2026, 1, 15, 10)) == [
        AcceptanceExpired(msk(2026, 1, 15, 10), "follow_up")]


def test_bad_acceptance_policy() -> None:
    with pytest.raises(CalendarError, match="deemed_accepted"):
        AcceptanceSettings(policy="ignore")  # type: ignore[arg-type]
