"""The team lead's SLA numbers are read per report, not per ticket, and say what they leave out
(issue 20.3, issue 23.4)."""

from __future__ import annotations

import csv
from datetime import UTC, datetime, timedelta

from sqlalchemy import event, select

from desktop.domain.tickets import OPEN_STATUSES
from desktop.services import tickets
from desktop.services.demo import fill_demo
from desktop.services.reads.dashboard import build_dashboard, export_csv
from desktop.services.tickets.create import NewTicket, create_ticket_in
from desktop.services.upkeep.deadlines import state_of
from desktop.store.models import Agent, Plan, Ticket


def _reference_risk(ws, hours: int) -> tuple[set, set, set]:
    """The tickets at risk the slow way: every open ticket's state read on its own."""
    now = ws.now()
    breached, warning, forecast = set(), set(), set()
    with ws.db.session() as s:
        opened = s.scalars(select(Ticket).where(Ticket.status.in_([x.value for x in OPEN_STATUSES]))).all()
        for t in opened:
            sla = state_of(s, t, now)
            horizon = sla.calendar.add(now, timedelta(hours=hours))
            login = s.get(Agent, t.assignee_id).login if t.assignee_id else None
            plan = s.get(Plan, t.plan_id).code if t.plan_id else None
            for kind, st in sla.states.items():
                key = (t.tid, kind, st.deadline.isoformat(), int(st.remaining.total_seconds() // 60), login, plan)
                if st.status == "breached":
                    breached.add(key)
                elif st.status == "warning":
                    warning.add(key)
                if st.status in ("ok", "warning") and st.deadline <= horizon:
                    forecast.add(key)
    return breached, warning, forecast


def _keys(rows) -> set:
    return {(r.tid, r.kind, r.deadline, r.remaining_minutes, r.assignee, r.plan) for r in rows}


def test_tickets_at_risk_match_each_tickets_own_state(ws) -> None:
    fill_demo(ws)
    dash = build_dashboard(ws, ws.now().date() - timedelta(days=29), ws.now().date(), 8)
    breached, warning, forecast = _reference_risk(ws, 8)
    assert breached and forecast
    assert _keys(dash.breached) == breached
    assert _keys(dash.at_risk) == warning
    assert _keys(dash.forecast) == forecast
    assert [r.deadline for r in dash.forecast] == sorted(r.deadline for r in dash.forecast)
    for r in dash.breached:  # past the deadline by the clock as well as in working time
        assert r.remaining_clock_minutes < 0


def _count_statements(ws) -> list[str]:
    seen: list[str] = []
    engine = ws.db.engine

    def counted(_conn, _cursor, statement, *_a) -> None:
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", counted)
    try:
        build_dashboard(ws, ws.now().date() - timedelta(days=29), ws.now().date(), 8)
    finally:
        event.remove(engine, "before_cursor_execute", counted)
    return seen


def test_the_report_reads_plans_calendars_and_pauses_once_not_per_ticket(ws, clock) -> None:
    fill_demo(ws)
    before = len(_count_statements(ws))
    for i in range(40):  # forty tickets more, some paused, some answered
        with ws.db.session() as s:
            tid = create_ticket_in(s, ws, NewTicket(subject=f"more {i}", requester="a@b.ru",
                                                    received_at=clock())).tid
        if i % 3 == 0:
            tickets.request_information(ws, tid, "Пришлите скриншот")
        elif i % 3 == 1:
            tickets.take_into_work(ws, tid)
    after = len(_count_statements(ws))
    assert before == after, f"{before} statements before, {after} with 40 tickets more"
    assert after < 25


MSK = timedelta(hours=3)


def _at(day: int, hour: int, minute: int = 0) -> datetime:
    """A Moscow wall time in November 2026, as UTC."""
    return datetime(2026, 11, day, hour, minute, tzinfo=UTC) - MSK


def test_night_mail_answered_at_night_is_zero_working_minutes_and_25_by_the_clock(ws, clock) -> None:
    # Saturday 21 November 2026, 23:10 Moscow: answered 25 minutes later, still the weekend.
    clock.t = _at(21, 23, 10)
    with ws.db.session() as s:
        tid = create_ticket_in(s, ws, NewTicket(subject="ночью", requester="night@b.ru",
                                                received_at=clock())).tid
    clock.advance(minutes=25)
    tickets.take_into_work(ws, tid)
    clock.t = _at(23, 12)
    day = clock().date()
    dash = build_dashboard(ws, day - timedelta(days=3), day)
    assert dash.reactions_measured == 1
    assert dash.first_reaction_median_minutes == 0.0
    assert dash.first_reaction_median_clock_minutes == 25.0
    data = dash.to_json()
    assert data["time_basis"]["first_reaction_median_minutes"] == "working"
    assert data["time_basis"]["first_reaction_median_clock_minutes"] == "clock"


def test_what_the_median_and_compliance_leave_out_is_counted(ws, clock, tmp_path) -> None:
    clock.t = _at(16, 10)  # Monday 16 November, 10:00 Moscow
    period_start = clock().date()

    def new(subject: str, at: datetime) -> str:
        with ws.db.session() as s:
            return create_ticket_in(s, ws, NewTicket(subject=subject, requester=f"{subject}@b.ru",
                                                     received_at=at)).tid

    early = new("early", _at(12, 10))          # received before the period ...
    answered = new("answered", clock())
    dup = new("dup", clock())
    original = new("original", clock())
    paused = new("paused", clock())
    archived = new("archived", clock())
    clock.advance(minutes=30)
    tickets.take_into_work(ws, early)          # ... answered in it: counted in its own period
    tickets.take_into_work(ws, answered)
    tickets.merge(ws, dup, original, notify=False)
    tickets.request_information(ws, paused, "Какая версия?")
    clock.advance(hours=2)
    with ws.db.session() as s:                 # the client writes back after two working hours
        t = s.scalar(select(Ticket).where(Ticket.tid == paused))
        tickets.client_replied_in(s, ws, t, clock())
        a = s.scalar(select(Ticket).where(Ticket.tid == archived))
        a.archived, a.reaction_due_at, a.resolution_due_at = True, None, None
    clock.advance(minutes=10)
    tickets.take_into_work(ws, original)
    dash = build_dashboard(ws, period_start, clock().date())
    median = {x.key: x for x in dash.reaction_excluded}
    compliance = {x.key: x for x in dash.compliance_excluded}
    assert dash.received_in_period == 5
    assert median["archived"].tickets == compliance["archived"].tickets == 1
    assert median["duplicates"].tickets == compliance["duplicates"].tickets == 1
    assert median["outside_period"].tickets == compliance["outside_period"].tickets == 1
    # the paused ticket's first reaction was asking for information: no pause before it
    assert compliance["paused"].tickets == 0
    assert dash.reactions_measured == 3  # answered, paused (asked), original
    assert dash.sla_met + dash.sla_missed == 3
    assert "archive" in median["archived"].why
    data = dash.to_json()
    assert {x["key"] for x in data["compliance_excluded"]} >= {"archived", "duplicates", "outside_period",
                                                               "paused", "plan_changes"}
    export_csv(dash, tmp_path)
    with (tmp_path / "reactions.csv").open(encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    by = {(r["figure"], r["basis"]): r for r in rows}
    assert by[("first_reaction_median", "working")]["value"] == str(dash.first_reaction_median_minutes)
    assert by[("first_reaction_median", "clock")]["value"] == str(dash.first_reaction_median_clock_minutes)
    assert by[("sla_compliance_pct.excluded.duplicates", "")]["value"] == "1"


def test_time_waiting_for_the_client_before_the_reaction_is_taken_out(ws, clock) -> None:
    clock.t = _at(16, 10)
    with ws.db.session() as s:
        t = create_ticket_in(s, ws, NewTicket(subject="wait", requester="w@b.ru", received_at=clock()))
        tid = t.id
        number = t.tid
    # waiting for the client 10:20-11:20 before anyone reacted (as a pause recorded by hand)
    from desktop.services.upkeep import deadlines
    from desktop.store.models import SlaPause

    with ws.db.session() as s:
        s.add(SlaPause(ticket_id=tid, started_at=_at(16, 10, 20), ended_at=_at(16, 11, 20)))
        s.flush()
        deadlines.refresh(s, ws, s.get(Ticket, tid))
    clock.t = _at(16, 11, 50)
    tickets.take_into_work(ws, number)
    dash = build_dashboard(ws, clock().date(), clock().date())
    assert dash.first_reaction_median_clock_minutes == 110.0
    assert dash.first_reaction_median_minutes == 50.0
    paused = {x.key: x for x in dash.reaction_excluded}["paused"]
    assert (paused.tickets, paused.working_minutes) == (1, 60.0)
