"""Hand-checked cases for the working-time calendar (R-SLA-2).

Each expected value was worked out by hand from the official Russian production calendar (the
``holidays`` package agrees with it for 2024–2026); the comment next to a case shows the sum.
"""

from __future__ import annotations

import json
import pickle
from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from desktop.domain.calendar import WorkingCalendar
from desktop.domain.calendar_days import ru_holiday_name
from desktop.domain.calendar_presets import (
    PRESETS,
    always_open,
    moscow_9_18,
    moscow_11_18,
    moscow_11_20,
    preset,
    utc6_9_18,
)
from desktop.domain.calendar_spec import CalendarError
from desktop.errors import ReglamentError

MSK = ZoneInfo("Europe/Moscow")
BERLIN = ZoneInfo("Europe/Berlin")
PLUS6 = timezone(timedelta(hours=6))
H = timedelta(hours=1)


def msk(y: int, mo: int, d: int, h: int = 0, mi: int = 0, s: int = 0, us: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, s, us, tzinfo=MSK)


@pytest.fixture(scope="module")
def cal() -> WorkingCalendar:
    return moscow_9_18()


# ---- add ------------------------------------------------------------------------------------


def test_friday_afternoon_plus_three_hours_is_monday_eleven(cal: WorkingCalendar) -> None:
    # Fri 07.11.2025 17–18 = 1 h, Mon 10.11 09–11 = 2 h
    assert cal.add(msk(2025, 11, 7, 17), 3 * H) == msk(2025, 11, 10, 11)


def test_deadline_at_end_of_interval_is_that_end_not_next_morning(cal: WorkingCalendar) -> None:
    assert cal.add(msk(2025, 11, 7, 17), H) == msk(2025, 11, 7, 18)
    assert cal.add(msk(2025, 11, 10, 9), 9 * H) == msk(2025, 11, 10, 18)


def test_received_outside_hours_starts_at_next_working_instant(cal: WorkingCalendar) -> None:
    assert cal.add(msk(2025, 11, 8, 12), H) == msk(2025, 11, 10, 10)  # Saturday
    assert cal.add(msk(2025, 11, 10, 7, 30), H) == msk(2025, 11, 10, 10)  # before opening
    assert cal.add(msk(2025, 11, 10, 18), H) == msk(2025, 11, 11, 10)  # at closing


def test_adding_nothing_changes_nothing(cal: WorkingCalendar) -> None:
    assert cal.add(msk(2025, 11, 8, 12), timedelta(0)) == msk(2025, 11, 8, 12)


def test_working_saturday_2025_11_01_counts(cal: WorkingCalendar) -> None:
    # Sat 01.11.2025 is a working day (transferred to Mon 03.11)
    assert cal.add(msk(2025, 10, 31, 17), 3 * H) == msk(2025, 11, 1, 11)
    # Fri 1 h + Sat 9 h; Sun, Mon 03.11 (day off), Tue 04.11 (Unity Day) skipped;
    # Wed 05.11 9 h (=19) + Thu 06.11 5 h → 14:00
    assert cal.add(msk(2025, 10, 31, 17), 24 * H) == msk(2025, 11, 6, 14)
    assert cal.between(msk(2025, 10, 31, 18), msk(2025, 11, 5, 9)) == 9 * H
    assert cal.is_working(msk(2025, 11, 1, 12))
    assert not cal.is_working(msk(2025, 11, 3, 12))


def test_without_ru_holidays_the_saturday_is_a_weekend() -> None:
    plain = WorkingCalendar.weekly("09:00-18:00", ru_holidays=False)
    assert plain.add(msk(2025, 10, 31, 17), 3 * H) == msk(2025, 11, 3, 11)


def test_new_year_holidays_2025_12_31_to_2026_01_09(cal: WorkingCalendar) -> None:
    # Tue 30.12.2025 17–18 = 1 h; 31.12 (transferred day off) … 09.01.2026 (transferred day
    # off), weekend 10–11.01; Mon 12.01 09–10 = 1 h
    assert cal.add(msk(2025, 12, 30, 17), 2 * H) == msk(2026, 1, 12, 10)
    assert not cal.is_working(msk(2025, 12, 31, 12))
    assert not cal.is_working(msk(2026, 1, 9, 12))
    assert cal.next_working_instant(msk(2025, 12, 30, 18)) == msk(2026, 1, 12, 9)


def test_may_holidays_2025(cal: WorkingCalendar) -> None:
    # 01–04.05 off, 05–07.05 working, 08–11.05 off
    assert cal.add(msk(2025, 4, 30, 17), 10 * H) == msk(2025, 5, 5, 18)  # 1 + 9, end of day
    assert cal.add(msk(2025, 4, 30, 17), 28 * H) == msk(2025, 5, 7, 18)  # 1 + 27
    assert cal.add(msk(2025, 4, 30, 17), 29 * H) == msk(2025, 5, 12, 10)
    assert cal.between(msk(2025, 5, 1), msk(2025, 5, 12)) == 27 * H


def test_year_boundary_2024_2025_with_working_saturday_28_12(cal: WorkingCalendar) -> None:
    # Sat 28.12.2024 was a working day; 29.12–08.01 off; Thu 09.01.2025 first working day
    assert cal.add(msk(2024, 12, 27, 17), 3 * H) == msk(2024, 12, 28, 11)
    assert cal.add(msk(2024, 12, 28, 17), 3 * H) == msk(2025, 1, 9, 11)
    assert cal.between(msk(2024, 12, 27, 9), msk(2025, 1, 9, 18)) == 27 * H


@pytest.mark.parametrize(("year", "days"), [(2024, 248), (2025, 247), (2026, 247)])
def test_working_days_per_year_match_the_production_calendar(
        cal: WorkingCalendar, year: int, days: int) -> None:
    assert cal.between(msk(year, 1, 1), msk(year + 1, 1, 1)) == days * 9 * H


def test_lunch_break() -> None:
    lunch = WorkingCalendar.weekly("09:00-13:00, 14:00-18:00")
    assert lunch.add(msk(2025, 11, 10, 12, 30), H) == msk(2025, 11, 10, 14, 30)
    assert lunch.add(msk(2025, 11, 10, 12), H) == msk(2025, 11, 10, 13)  # end of the morning
    assert lunch.between(msk(2025, 11, 10, 12, 30), msk(2025, 11, 10, 14, 30)) == H
    assert not lunch.is_working(msk(2025, 11, 10, 13, 30))
    assert lunch.next_working_instant(msk(2025, 11, 10, 13, 30)) == msk(2025, 11, 10, 14)
    assert lunch.between(msk(2025, 11, 10), msk(2025, 11, 11)) == 8 * H


def test_fixed_plus_six_calendar() -> None:
    c = utc6_9_18()
    assert c.add(datetime(2025, 11, 7, 17, tzinfo=PLUS6), 3 * H) == datetime(
        2025, 11, 10, 11, tzinfo=PLUS6)
    # Fri 15:00 Moscow = 18:00 at +06:00, already closed: Mon 09–10 at +06:00 = 07:00 Moscow
    due = c.add(msk(2025, 11, 7, 15), H)
    assert due == msk(2025, 11, 10, 7)
    assert due.utcoffset() == timedelta(hours=6)
    assert not c.is_working(datetime(2025, 11, 4, 12, tzinfo=PLUS6))  # Unity Day still applies


def test_berlin_dst_weekend_is_not_counted_twice() -> None:
    berlin = WorkingCalendar.weekly("09:00-18:00", timezone="Europe/Berlin", ru_holidays=False)
    fri = datetime(2025, 3, 28, 17, tzinfo=BERLIN)  # CET; Sunday 30.03 switches to CEST
    mon = datetime(2025, 3, 31, 10, tzinfo=BERLIN)
    assert berlin.add(fri, 2 * H) == mon
    assert mon.utcoffset() == timedelta(hours=2)
    assert berlin.between(fri, mon) == 2 * H
    # and back in autumn (26.10.2025)
    assert berlin.add(datetime(2025, 10, 24, 17, tzinfo=BERLIN), 2 * H) == datetime(
        2025, 10, 27, 10, tzinfo=BERLIN)


def test_berlin_working_day_containing_the_shift() -> None:
    night = WorkingCalendar(timezone="Europe/Berlin", week=(((60, 300),),) * 7, ru_holidays=False)
    spring, autumn = date(2025, 3, 30), date(2025, 10, 26)

    def span(d: date) -> timedelta:
        return night.between(datetime(d.year, d.month, d.day, tzinfo=BERLIN),
                             datetime(d.year, d.month, d.day, 12, tzinfo=BERLIN))

    assert span(spring) == 3 * H  # 01:00–05:00 local is three real hours that night
    assert span(autumn) == 5 * H  # and five in October
    assert span(date(2025, 3, 29)) == 4 * H
    start = datetime(2025, 3, 30, 1, tzinfo=BERLIN)
    assert night.add(start, 2 * H) == datetime(2025, 3, 30, 4, tzinfo=BERLIN)  # 01 CET + 2h real
    whole = WorkingCalendar(timezone="Europe/Berlin", week=(((0, 1440),),) * 7, ru_holidays=False)
    assert whole.between(datetime(2025, 3, 30, tzinfo=BERLIN),
                         datetime(2025, 3, 31, tzinfo=BERLIN)) == 23 * H
    assert whole.add(datetime(2025, 3, 30, tzinfo=BERLIN), 3 * H) == datetime(
        2025, 3, 30, 4, tzinfo=BERLIN)


def test_around_the_clock() -> None:
    c = always_open()
    sat = msk(2025, 5, 3, 10)  # a Saturday in the May holidays
    assert c.add(sat, timedelta(minutes=10)) == msk(2025, 5, 3, 10, 10)
    assert c.between(msk(2025, 12, 31, 12), msk(2026, 1, 2, 12)) == 48 * H
    assert c.is_working(msk(2026, 1, 1, 3))
    assert c.next_working_instant(sat) == sat
    berlin_247 = WorkingCalendar.around_the_clock("Europe/Berlin")
    assert berlin_247.between(datetime(2025, 3, 30, tzinfo=BERLIN),
                              datetime(2025, 3, 31, tzinfo=BERLIN)) == 23 * H


def test_other_presets() -> None:
    assert moscow_11_20().add(msk(2025, 11, 7, 19), 3 * H) == msk(2025, 11, 10, 13)
    assert moscow_11_18().add(msk(2025, 11, 7, 17), 3 * H) == msk(2025, 11, 10, 13)
    assert preset("moscow_9_18") == moscow_9_18()
    with pytest.raises(CalendarError, match="Unknown calendar 'nope'"):
        preset("nope")


def test_company_days_off_and_working_days() -> None:
    c = WorkingCalendar.weekly("09:00-18:00", days_off=["2025-11-07"],
                               working_days=[date(2025, 11, 8)], extra_day_hours="10:00-14:00")
    assert c.add(msk(2025, 11, 6, 17), 3 * H) == msk(2025, 11, 8, 12)  # Thu 1 h, Fri off, Sat 2 h
    assert c.day(date(2025, 11, 7)).kind == "company_day_off"
    assert c.day(date(2025, 11, 8)).kind == "company_working"
    # the transferred Saturday uses the same extra-day hours
    assert c.add(msk(2025, 10, 31, 17), 2 * H) == msk(2025, 11, 1, 11)
    # an extra working day defaults to Monday's hours
    d = WorkingCalendar.weekly("09:00-18:00", working_days=["2025-11-08"])
    assert d.day(date(2025, 11, 8)).intervals == ((540, 1080),)


def test_day_classification(cal: WorkingCalendar) -> None:
    assert cal.day(date(2025, 11, 1)).kind == "transferred_working"
    info = cal.day(date(2025, 11, 4))
    assert (info.kind, info.name_en, info.name_ru) == ("holiday", "Unity Day",
                                                       "День народного единства")
    assert cal.day(date(2025, 11, 9)).kind == "weekend"
    assert cal.day(date(2025, 11, 10)).kind == "regular"
    assert ru_holiday_name(date(2025, 12, 31), "en") == "Day off (substituted from 01/05/2025)"


# ---- between / is_working / next_working_instant -------------------------------------------


def test_between_is_signed_and_exact(cal: WorkingCalendar) -> None:
    a, b = msk(2025, 11, 10, 9, 0, 0, 250_000), msk(2025, 11, 10, 9, 0, 1, 750_001)
    assert cal.between(a, b) == timedelta(seconds=1, microseconds=500_001)
    assert cal.between(b, a) == -timedelta(seconds=1, microseconds=500_001)
    assert cal.between(msk(2025, 11, 8), msk(2025, 11, 9)) == timedelta(0)


def test_microseconds_survive_add(cal: WorkingCalendar) -> None:
    t = msk(2025, 11, 7, 17, 59, 59, 123_457)
    assert cal.add(t, timedelta(seconds=1)) == msk(2025, 11, 10, 9, 0, 0, 123_457)


def test_interval_boundaries(cal: WorkingCalendar) -> None:
    assert cal.is_working(msk(2025, 11, 10, 9))
    assert cal.is_working(msk(2025, 11, 10, 17, 59, 59))
    assert not cal.is_working(msk(2025, 11, 10, 18))
    assert not cal.is_working(msk(2025, 11, 10, 8, 59, 59))
    assert cal.next_working_instant(msk(2025, 11, 7, 18)) == msk(2025, 11, 10, 9)
    assert cal.next_working_instant(msk(2025, 11, 12, 12)) == msk(2025, 11, 12, 12)


def test_inputs_in_other_zones_give_results_in_calendar_zone(cal: WorkingCalendar) -> None:
    start = datetime(2025, 11, 7, 14, tzinfo=UTC)  # 17:00 Moscow
    due = cal.add(start, 3 * H)
    assert due == msk(2025, 11, 10, 11) and due.tzinfo == MSK


def test_working_intervals_are_clipped(cal: WorkingCalendar) -> None:
    got = cal.working_intervals(msk(2025, 11, 7, 17), msk(2025, 11, 10, 11))
    assert got == [(msk(2025, 11, 7, 17), msk(2025, 11, 7, 18)),
                   (msk(2025, 11, 10, 9), msk(2025, 11, 10, 11))]


def test_far_apart_years_extend_the_layout_lazily() -> None:
    c = moscow_9_18()
    assert c.add(msk(2025, 11, 7, 17), 3 * H) == msk(2025, 11, 10, 11)
    far = c.add(msk(2025, 1, 9, 9), 2000 * 9 * H)  # ~8 years of working days
    assert far.year == 2033
    assert c.between(msk(2025, 1, 9, 9), far) == 2000 * 9 * H
    assert c.add(msk(1995, 3, 3, 17), 3 * H) == msk(1995, 3, 6, 11)  # and backwards


def test_add_many_matches_add() -> None:
    c = moscow_9_18()
    starts = [msk(2025, 11, 7, 17), msk(2025, 10, 31, 17, 30), msk(2025, 12, 30, 17),
              datetime(2031, 5, 8, 12, tzinfo=UTC), msk(2019, 1, 1), msk(2025, 11, 8, 3)]
    fresh = moscow_9_18()  # no layout yet: the batch path builds it
    for duration in (timedelta(0), timedelta(seconds=1), 24 * H, 300 * H):
        assert fresh.add_many(starts, duration) == [c.add(s, duration) for s in starts]
    assert always_open().add_many(starts[:2], H) == [s + H for s in starts[:2]]


# ---- validation, serialisation, identity -----------------------------------------------------


def test_naive_and_negative_inputs_are_plain_errors(cal: WorkingCalendar) -> None:
    with pytest.raises(CalendarError, match="no time zone"):
        cal.add(datetime(2025, 11, 7, 17), H)
    with pytest.raises(CalendarError, match="cannot be negative"):
        cal.add(msk(2025, 11, 7, 17), -H)
    with pytest.raises(CalendarError, match="no time zone"):
        cal.add_many([datetime(2025, 11, 7, 17)], H)
    with pytest.raises(CalendarError, match="outside"):
        cal.add(msk(2250, 1, 1), H)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"timezone": "Europe/Moskow"}, "Unknown time zone 'Europe/Moskow'"),
        ({"timezone": "+15:00"}, "out of range"),
        ({"week": ("18:00-09:00",) * 7}, "must start before it ends"),
        ({"week": ("09:00-13:00, 12:00-18:00",) + ((),) * 6}, "overlap"),
        ({"week": ("9-18",) + ((),) * 6}, "HH:MM"),
        ({"week": ((),) * 7}, "no working hours"),
        ({"week": ((),) * 6}, "seven weekdays"),
        ({"days_off": ["2025-11-07"], "working_days": ["2025-11-07"]}, "both as a day off"),
        ({"days_off": ["07.11.2025"]}, "YYYY-MM-DD"),
    ],
)
def test_bad_definitions_are_rejected_with_a_plain_message(kwargs: dict, message: str) -> None:
    with pytest.raises(CalendarError, match=message) as err:
        WorkingCalendar(**kwargs)
    assert isinstance(err.value, ReglamentError)


def test_round_trip_through_json_for_every_preset() -> None:
    custom = WorkingCalendar(
        timezone="UTC+6", week={"mon": "09:00-13:00,14:00-18:00", "sat": ["10:00-24:00"]},
        days_off=["2025-12-30"], working_days=["2025-12-27"], extra_day_hours="10:00-15:00")
    for c in [*PRESETS.values(), custom]:
        text = json.dumps(c.to_dict())
        back = WorkingCalendar.from_dict(json.loads(text))
        assert back == c and hash(back) == hash(c)
        assert WorkingCalendar.from_dict(json.loads(text)) is back  # shared: one layout
        assert back.add(msk(2025, 12, 26, 17), 5 * H) == c.add(msk(2025, 12, 26, 17), 5 * H)
    assert custom.to_dict()["week"]["sat"] == ["10:00-24:00"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("nope", "JSON object"),
        ({"version": 9, "week": {}}, "format version 9"),
        ({"week": {}, "colour": "red"}, "unknown field"),
        ({"timezone": "Europe/Moscow"}, "weekly hours"),
        ({"week": {"mon": ["09:00-18:00"]}, "ru_holidays": "yes"}, "'ru_holidays' must be true"),
        ({"week": {"mon": ["09:00-18:00"]}, "days_off": "2025-01-01"}, "list of dates"),
        ({"week": {"mon": ["09:00-25:00"]}}, "not a valid time"),
        ({"week": {"funday": ["09:00-18:00"]}}, "Unknown weekday"),
    ],
)
def test_malformed_stored_calendar(data: object, message: str) -> None:
    with pytest.raises(CalendarError, match=message):
        WorkingCalendar.from_dict(data)  # type: ignore[arg-type]


def test_calendars_are_values() -> None:
    assert moscow_9_18() == WorkingCalendar() == WorkingCalendar.weekly("09:00-18:00")
    assert moscow_9_18() != moscow_11_20()
    assert {moscow_9_18(): 1}[WorkingCalendar()] == 1
    c = moscow_9_18()
    c.add(msk(2025, 11, 7, 17), H)  # builds the layout; equality/copies must not care
    copy = pickle.loads(pickle.dumps(c))
    assert copy == c and copy.add(msk(2025, 11, 7, 17), 3 * H) == msk(2025, 11, 10, 11)
    with pytest.raises(AttributeError):
        c.timezone = "UTC"  # type: ignore[misc]


def test_describe() -> None:
    assert moscow_9_18().describe("ru") == (
        "пн–пт 09:00–18:00 (Europe/Moscow); праздники РФ с переносами")
    assert moscow_9_18().describe("en").startswith("Mon–Fri 09:00–18:00 (Europe/Moscow)")
    assert "around the clock" in always_open().describe("en")
