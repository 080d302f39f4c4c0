"""SLA state, pauses, explanation and seed plans (R-SLA-1, -3, -4, -4a, -5)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from desktop.domain.calendar_presets import PRESETS, always_open, moscow_9_18
from desktop.domain.calendar_spec import CalendarError
from desktop.domain.sla import (
    PRIORITIES,
    Clock,
    Target,
    TicketClockFacts,
    deadline,
    deadlines_many,
    sla_state,
    ticket_sla,
)
from desktop.domain.sla_explain import explain
from desktop.domain.sla_format import (
    format_countdown,
    format_duration,
    format_explanation,
    format_state,
)
from desktop.domain.sla_plans import SEED_PLANS

MSK = ZoneInfo("Europe/Moscow")
H = timedelta(hours=1)
M = timedelta(minutes=1)
CAL = moscow_9_18()
REACT_3H = Target("reaction", 3 * H)


def msk(y: int, mo: int, d: int, h: int = 0, mi: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=MSK)


FRI_17 = msk(2025, 11, 7, 17)  # Fri 17:00 + 3 working hours → Mon 10.11 11:00


# ---- running clock ----------------------------------------------------------------------


def test_running_clock_in_working_hours() -> None:
    s = sla_state(CAL, REACT_3H, Clock(FRI_17), msk(2025, 11, 7, 17, 30))
    assert s.status == "ok"
    assert s.deadline == msk(2025, 11, 10, 11)
    assert s.warn_at == msk(2025, 11, 10, 10, 15)  # 75% of 3 h = 2 h 15 min
    assert (s.used, s.remaining, s.paused) == (30 * M, 150 * M, timedelta(0))
    assert s.resumes_at is None
    assert format_state(s, "en") == "2 h 30 min"


def test_outside_working_hours_says_until_when_the_clock_is_paused() -> None:
    s = sla_state(CAL, REACT_3H, Clock(FRI_17), msk(2025, 11, 8, 12))
    assert s.status == "ok" and s.remaining == 2 * H
    assert s.resumes_at == msk(2025, 11, 10, 9)
    assert format_state(s, "ru") == "2 ч (пауза до пн 09:00)"
    assert format_state(s, "en") == "2 h (paused until Mon 09:00)"


def test_warning_then_breach() -> None:
    clock = Clock(FRI_17)
    assert sla_state(CAL, REACT_3H, clock, msk(2025, 11, 10, 10, 14)).status == "ok"
    assert sla_state(CAL, REACT_3H, clock, msk(2025, 11, 10, 10, 15)).status == "warning"
    at_due = sla_state(CAL, REACT_3H, clock, msk(2025, 11, 10, 11))
    assert (at_due.status, at_due.remaining) == ("warning", timedelta(0))
    late = sla_state(CAL, REACT_3H, clock, msk(2025, 11, 10, 11, 40))
    assert (late.status, late.remaining) == ("breached", -40 * M)
    assert format_state(late, "ru") == "просрочено на 40 мин"
    assert format_state(late, "en") == "overdue by 40 min"


def test_custom_warning_share() -> None:
    half = Target("reaction", 3 * H, warn_share=0.5)
    s = sla_state(CAL, half, Clock(FRI_17), msk(2025, 11, 10, 9, 30))
    assert (s.status, s.warn_at) == ("warning", msk(2025, 11, 10, 9, 30))


# ---- stopped clock ----------------------------------------------------------------------


def test_stopped_in_time_is_met_and_late_is_missed() -> None:
    met = sla_state(CAL, REACT_3H, Clock(FRI_17, msk(2025, 11, 10, 10, 59)), msk(2025, 11, 12))
    assert (met.status, met.remaining, met.stopped_at) == ("met", M, msk(2025, 11, 10, 10, 59))
    assert sla_state(CAL, REACT_3H, Clock(FRI_17, msk(2025, 11, 10, 11)),
                     msk(2025, 11, 12)).status == "met"
    missed = sla_state(CAL, REACT_3H, Clock(FRI_17, msk(2025, 11, 10, 11, 30)), msk(2025, 11, 12))
    assert (missed.status, missed.remaining) == ("missed", -30 * M)
    assert format_state(missed, "en") == "met late by 30 min"


def test_facts_after_now_are_not_known_yet() -> None:
    clock = Clock(FRI_17, stopped_at=msk(2025, 11, 10, 10))
    assert sla_state(CAL, REACT_3H, clock, msk(2025, 11, 10, 9, 30)).status == "ok"


# ---- pauses move the deadline (R-SLA-4) ---------------------------------------------------


MON_9 = msk(2025, 11, 10, 9)
PAUSE = (msk(2025, 11, 10, 10), msk(2025, 11, 11, 10))  # Mon 10:00 → Tue 10:00 = 9 working h


def test_a_pause_moves_the_deadline_by_its_working_time() -> None:
    # 1 h used before the pause, 2 h after it from Tue 10:00 → Tue 12:00 (not Mon 12:00)
    s = sla_state(CAL, REACT_3H, Clock(MON_9, pauses=(PAUSE,)), msk(2025, 11, 11, 11))
    assert s.deadline == msk(2025, 11, 11, 12)
    assert (s.status, s.used, s.remaining, s.paused) == ("ok", 2 * H, H, 9 * H)
    assert s.warn_at == msk(2025, 11, 11, 11, 15)  # the warning moves with the pause too
    assert deadline(CAL, MON_9, 3 * H, [PAUSE]) == msk(2025, 11, 11, 12)


def test_open_pause_holds_the_clock() -> None:
    s = sla_state(CAL, REACT_3H, Clock(MON_9, pauses=((PAUSE[0], None),)), msk(2025, 11, 10, 15))
    assert s.status == "paused"
    assert s.remaining == 2 * H and s.waiting_since == PAUSE[0]
    assert s.deadline == msk(2025, 11, 10, 17)  # if the client answered right now
    assert format_state(s, "en") == "waiting for client"
    assert deadline(CAL, MON_9, 3 * H, [(PAUSE[0], None)]) is None
    # a pause whose end is still in the future is open as of now
    assert sla_state(CAL, REACT_3H, Clock(MON_9, pauses=(PAUSE,)),
                     msk(2025, 11, 10, 15)).status == "paused"


def test_pause_after_the_deadline_does_not_undo_a_breach() -> None:
    late_pause = (msk(2025, 11, 10, 13), None)  # deadline was Mon 12:00
    s = sla_state(CAL, REACT_3H, Clock(MON_9, pauses=(late_pause,)), msk(2025, 11, 11, 11))
    assert (s.status, s.deadline, s.paused) == ("breached", msk(2025, 11, 10, 12), timedelta(0))


def test_pause_in_non_working_time_moves_nothing() -> None:
    night = (msk(2025, 11, 7, 18, 30), msk(2025, 11, 10, 8))
    s = sla_state(CAL, REACT_3H, Clock(FRI_17, pauses=(night,)), msk(2025, 11, 10, 9))
    assert (s.deadline, s.paused) == (msk(2025, 11, 10, 11), timedelta(0))


def test_pauses_are_clipped_merged_and_sorted() -> None:
    pauses = (
        (msk(2025, 11, 10, 11), msk(2025, 11, 10, 12)),
        (msk(2025, 11, 10, 8), msk(2025, 11, 10, 10)),  # starts before received: 1 h counts
        (msk(2025, 11, 10, 11, 30), msk(2025, 11, 10, 13)),  # overlaps the first
    )
    # used: 10–11 (1 h) then 13–15 (2 h) → 15:00; paused 09–10 and 11–13 = 3 h
    s = sla_state(CAL, REACT_3H, Clock(MON_9, pauses=pauses), msk(2025, 11, 10, 14))
    assert (s.deadline, s.paused, s.used) == (msk(2025, 11, 10, 15), 3 * H, 2 * H)


def test_bad_pause_is_a_plain_error() -> None:
    with pytest.raises(CalendarError, match=r"ends .* before it starts"):
        deadline(CAL, MON_9, H, [(msk(2025, 11, 10, 12), msk(2025, 11, 10, 11))])
    with pytest.raises(CalendarError, match="timezone-aware"):
        sla_state(CAL, REACT_3H, Clock(MON_9), datetime(2025, 11, 10, 12))


# ---- tickets, 24/7, batch -----------------------------------------------------------------


def test_ticket_has_independent_reaction_and_resolution_clocks() -> None:
    facts = TicketClockFacts(received_at=MON_9, first_response_at=msk(2025, 11, 10, 9, 20),
                             pauses=(PAUSE,))
    targets = (REACT_3H, Target("resolution", 16 * H))
    states = ticket_sla(CAL, targets, facts, msk(2025, 11, 12, 12))
    assert states["reaction"].status == "met"
    # resolution: 1 h Mon, pause to Tue 10:00, 8 h Tue (→ 9 h), 7 h Wed → Wed 16:00
    assert states["resolution"].deadline == msk(2025, 11, 12, 16)
    assert states["resolution"].status == "warning"  # 12 h of 16 used ≥ 75%


def test_priority_plan_runs_around_the_clock() -> None:
    priority = next(p for p in SEED_PLANS if p.code == "priority")
    urgent = priority.targets("urgent")[0]
    sat_night = msk(2025, 5, 3, 3)  # a holiday-weekend night
    s = sla_state(PRESETS[priority.calendar_key], urgent, Clock(sat_night), msk(2025, 5, 3, 3, 5))
    assert s.deadline == msk(2025, 5, 3, 3, 10) and s.resumes_at is None
    assert s.status == "ok"


def test_deadlines_many_equals_one_by_one() -> None:
    clocks = [Clock(FRI_17), Clock(MON_9, pauses=(PAUSE,)), Clock(MON_9, pauses=((PAUSE[0], None),)),
              Clock(datetime(2025, 12, 30, 14, tzinfo=UTC)), Clock(msk(2025, 10, 31, 17))]
    got = deadlines_many(CAL, 24 * H, clocks)
    assert got == [deadline(CAL, c.received_at, 24 * H, c.pauses) for c in clocks]
    assert got[2] is None and got[4] == msk(2025, 11, 6, 14)
    assert deadlines_many(always_open(), H, clocks[:1]) == [msk(2025, 11, 7, 18)]


# ---- explanation (R-SLA-4a) ---------------------------------------------------------------


def test_explanation_lists_intervals_holidays_and_pauses() -> None:
    received = msk(2025, 12, 30, 16)
    clock = Clock(received, pauses=((msk(2025, 12, 30, 17), msk(2026, 1, 12, 10)),))
    e = explain(CAL, REACT_3H, clock)
    assert e.deadline == msk(2026, 1, 12, 12)
    assert [(c.start, c.end, c.duration) for c in e.consumed] == [
        (msk(2025, 12, 30, 16), msk(2025, 12, 30, 17), H),
        (msk(2026, 1, 12, 10), msk(2026, 1, 12, 12), 2 * H),
    ]
    reasons = {s.day.isoformat(): (s.reason, s.name_en) for s in e.skipped_days}
    assert reasons["2025-12-31"] == ("holiday", "Day off (substituted from 01/05/2025)")
    assert reasons["2026-01-07"] == ("holiday", "Christmas Day")
    assert reasons["2026-01-09"] == ("holiday", "Day off (substituted from 01/03/2026)")
    assert reasons["2026-01-10"] == ("weekend", None)
    assert len(e.skipped_days) == 12
    assert [(p.start, p.end, p.working_time) for p in e.pauses] == [
        (msk(2025, 12, 30, 17), msk(2026, 1, 12, 10), 2 * H)]
    ru = format_explanation(e, "ru")
    assert "Получено: вт 30.12.2025 16:00 (Europe/Moscow)" in ru
    assert "  вт 30.12.2025 16:00–17:00 — 1 ч" in ru
    assert "  ср 07.01.2026 — праздник: Рождество Христово" in ru
    assert "срок сдвинут на 2 ч" in ru
    assert ru.endswith("Срок: пн 12.01.2026 12:00 (Europe/Moscow)")
    en = format_explanation(e, "en")
    assert "  Sat 10.01.2026 — weekend" in en
    assert "Deadline: Mon 12.01.2026 12:00" in en


def test_explanation_marks_the_working_saturday_and_late_start() -> None:
    e = explain(CAL, Target("reaction", 24 * H), Clock(msk(2025, 10, 31, 19)))
    assert e.clock_starts_at == msk(2025, 11, 1, 9)
    assert e.transferred_working_days == (msk(2025, 11, 1).date(),)
    assert e.deadline == msk(2025, 11, 6, 15)  # Sat 9 h + Wed 9 h + Thu 09–15 6 h
    text = format_explanation(e, "ru")
    assert "(рабочая суббота по переносу)" in text
    assert "получено в нерабочее время" in text
    assert "праздник: День народного единства" in text


def test_explanation_of_an_open_pause() -> None:
    clock = Clock(MON_9, pauses=((PAUSE[0], None),))
    e = explain(CAL, REACT_3H, clock, now=msk(2025, 11, 10, 15))
    assert e.deadline is None and e.remaining_at_pause == 2 * H
    assert "clock held, 2 h of working time left" in format_explanation(e, "en")


def test_explanation_of_a_24_7_deadline_splits_at_midnight() -> None:
    e = explain(always_open(), H, Clock(msk(2025, 12, 31, 23, 30)))
    assert [(c.day.isoformat(), c.duration) for c in e.consumed] == [
        ("2025-12-31", 30 * M), ("2026-01-01", 30 * M)]
    assert e.skipped_days == ()
    assert "23:30–24:00" in format_explanation(e, "en")


def test_format_duration() -> None:
    assert format_duration(timedelta(hours=2, minutes=15), "ru") == "2 ч 15 мин"
    assert format_duration(-timedelta(minutes=40), "en") == "40 min"
    assert format_duration(timedelta(hours=50, seconds=5), "en") == "50 h 5 s"
    assert format_duration(timedelta(0), "ru") == "0 мин"


def test_a_live_countdown_reads_in_whole_minutes_rounded_up() -> None:
    """A real clock is never on a whole minute: the countdown a window redraws every few
    seconds showed '36 h 59 min 38 s' and '30 min 21 s' overdue."""
    assert format_countdown(timedelta(hours=2, minutes=14, seconds=30), "en") == "2 h 15 min"
    assert format_countdown(timedelta(seconds=20), "ru") == "1 мин"
    assert format_countdown(timedelta(hours=2), "en") == "2 h"
    assert format_countdown(timedelta(0), "en") == "0 min"
    assert format_countdown(-timedelta(minutes=30, seconds=21), "ru") == "31 мин"
    clock = Clock(FRI_17)
    running = sla_state(CAL, REACT_3H, clock, msk(2025, 11, 7, 17, 30) + timedelta(seconds=38))
    assert format_state(running, "en") == "2 h 30 min"  # 2:29:22 left
    late = sla_state(CAL, REACT_3H, clock, msk(2025, 11, 10, 11) + timedelta(seconds=20))
    assert late.status == "breached"
    assert format_state(late, "ru") == "просрочено на 1 мин"
    assert format_state(late, "en") == "overdue by 1 min"


# ---- targets and seeds --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"kind": "reaction", "duration": timedelta(0)}, "positive"),
     ({"kind": "reaction", "duration": H, "warn_share": 0}, "warning share"),
     ({"kind": "reaction", "duration": H, "warn_share": 1.5}, "warning share"),
     ({"kind": "lunch", "duration": H}, "Unknown SLA target kind")],
)
def test_bad_targets(kwargs: dict, message: str) -> None:
    with pytest.raises(CalendarError, match=message):
        Target(**kwargs)


def test_target_round_trip() -> None:
    t = Target("resolution", timedelta(hours=72), 0.8)
    assert Target.from_dict(json.loads(json.dumps(t.to_dict()))) == t
    with pytest.raises(CalendarError, match="malformed"):
        Target.from_dict({"kind": "reaction"})


def test_seed_plans_follow_the_regulations() -> None:
    plans = {p.code: p for p in SEED_PLANS}
    assert list(plans) == ["free", "commercial", "premium", "priority"]
    assert all(plans["free"].targets(p)[0].duration == 48 * H for p in PRIORITIES)
    assert plans["commercial"].targets("normal")[0].duration == 24 * H
    assert plans["premium"].targets("normal")[0].duration == 3 * H
    assert plans["premium"].calendar_key == "moscow_11_20"
    assert plans["priority"].calendar_key == "always_open"
    assert plans["priority"].targets("urgent")[0].duration == 10 * M
    assert plans["priority"].targets("normal")[0].duration == H
    assert [t.kind for t in plans["priority"].targets("urgent")] == ["reaction", "resolution"]
    assert [t.kind for t in plans["free"].targets("urgent")] == ["reaction"]
    for plan in SEED_PLANS:
        assert plan.calendar_key in PRESETS and plan.source
        json.dumps(plan.to_dict())
    with pytest.raises(CalendarError, match="Unknown priority"):
        plans["free"].targets("critical")  # type: ignore[arg-type]


def test_paused_until_is_read_in_the_viewers_zone() -> None:
    from datetime import timezone

    from desktop.domain.calendar_presets import preset
    from desktop.domain.sla import Clock, Target, sla_state
    from desktop.domain.sla_format import format_state

    cal = preset("moscow_9_18")
    sunday = datetime(2026, 11, 22, 6, 0, tzinfo=UTC)  # 09:00 MSK on a Sunday
    st = sla_state(cal, Target("reaction", timedelta(hours=3)), Clock(sunday), sunday)
    assert format_state(st, "en").endswith("(paused until Mon 09:00)")  # the calendar's zone
    novosibirsk = timezone(timedelta(hours=7))
    assert format_state(st, "en", novosibirsk).endswith("(paused until Mon 13:00)")
    assert format_state(st, "en", UTC).endswith("(paused until Mon 06:00)")
