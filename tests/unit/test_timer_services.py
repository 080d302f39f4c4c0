"""Timers applied from stored timestamps (R-AUTO-1..3): reminder, auto-close, act expiry."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from desktop.domain.tickets import Direction
from desktop.services import tickets
from desktop.services.background.timers import run_timers
from desktop.services.reads import listing
from desktop.services.tickets.create import NewTicket, add_message_in, create_ticket_in
from desktop.services.upkeep.lookup import get_ticket
from desktop.store.leases import try_acquire
from desktop.store.models import Act, OutboxItem


def _waiting_ticket(ws, clock) -> str:
    with ws.db.session() as s:
        t = create_ticket_in(s, ws, NewTicket(subject="Форма", requester="a@romashka.ru",
                                              received_at=clock()))
        tid = t.tid
    tickets.take_into_work(ws, tid, notify=False)
    tickets.request_information(ws, tid, "Пришлите снимок экрана.")
    return tid


def _kinds(ws, tid):
    with ws.db.session() as s:
        t = get_ticket(s, ws, tid)
        return [o.kind for o in s.scalars(select(OutboxItem).where(OutboxItem.ticket_id == t.id)
                                          .order_by(OutboxItem.id))]


def test_reminder_then_auto_close_each_once(ws, clock) -> None:
    tid = _waiting_ticket(ws, clock)
    clock.advance(hours=23)
    assert run_timers(ws).total == 0
    clock.advance(hours=2)  # 25 h: the reminder (1 day before the 2-day close)
    r = run_timers(ws)
    assert r.reminders == [tid] and r.closed_inactive == []
    assert run_timers(ws).total == 0  # applying twice changes nothing
    clock.advance(hours=24)
    r = run_timers(ws)
    assert r.closed_inactive == [tid]
    d = listing.ticket_detail(ws, tid)
    assert d["status"] == "inactive"
    assert _kinds(ws, tid) == ["reply", "reminder", "inactive"]
    assert run_timers(ws).total == 0
    assert any(h["action"] == "reminder" and h["actor"] == "timers" for h in d["history"])


def test_client_answer_stops_the_timer(ws, clock) -> None:
    tid = _waiting_ticket(ws, clock)
    clock.advance(hours=30)
    with ws.db.session() as s:
        t = get_ticket(s, ws, tid)
        add_message_in(s, ws, t, Direction.INCOMING, text="Вот снимок", received_at=clock())
        tickets.client_replied_in(s, ws, t, clock())
    clock.advance(days=5)
    assert run_timers(ws).closed_inactive == []
    assert listing.ticket_detail(ws, tid)["status"] == "in_progress"


def test_business_day_setting(ws, clock) -> None:
    ws.set_setting("autoclose.unit", "business")
    ws.set_setting("autoclose.reminder_before_days", None)
    # Friday 2026-11-20 10:00 MSK: two business days later is Tuesday 10:00, not Sunday.
    clock.t = clock.t + timedelta(days=3)
    tid = _waiting_ticket(ws, clock)
    clock.advance(days=2, hours=1)
    assert run_timers(ws).total == 0
    clock.advance(days=2)
    assert run_timers(ws).closed_inactive == [tid]


def test_another_holder_blocks_timers(ws, clock) -> None:
    _waiting_ticket(ws, clock)
    clock.advance(days=3)
    with ws.db.session() as s:
        assert try_acquire(s, "timers", "other-workstation", clock(), timedelta(minutes=5))
    r = run_timers(ws)
    assert r.skipped_lease and r.total == 0
    clock.advance(minutes=6)  # the other holder died: its lease expires
    assert run_timers(ws).closed_inactive


def _sent_act(ws, clock, tid: str) -> None:
    with ws.db.session() as s:
        t = get_ticket(s, ws, tid)
        s.add(Act(number="А-2026-0001", seq=1, ticket_id=t.id, act_date=date(2026, 11, 17),
                  status="sent", sent_at=clock(), created_at=clock()))


def test_acceptance_window_follow_up(ws, clock) -> None:
    with ws.db.session() as s:
        tid = create_ticket_in(s, ws, NewTicket(subject="x", requester="a@b.ru", received_at=clock())).tid
    tickets.take_into_work(ws, tid, notify=False)
    tickets.resolve(ws, tid, notify=False)
    _sent_act(ws, clock, tid)
    clock.advance(days=2, hours=23)
    assert run_timers(ws).acts_expired == []
    clock.advance(hours=2)
    assert run_timers(ws).acts_expired == [tid]
    assert "act_overdue" in listing.ticket_detail(ws, tid)["flags"]
    assert run_timers(ws).acts_expired == []


def test_acceptance_window_deemed_accepted(ws, clock) -> None:
    ws.set_setting("acceptance.policy", "deemed_accepted")
    with ws.db.session() as s:
        tid = create_ticket_in(s, ws, NewTicket(subject="x", requester="a@b.ru", received_at=clock())).tid
    tickets.take_into_work(ws, tid, notify=False)
    tickets.resolve(ws, tid, notify=False)
    _sent_act(ws, clock, tid)
    clock.advance(days=4)
    run_timers(ws)
    assert listing.ticket_detail(ws, tid)["status"] == "closed"
    with ws.db.session() as s:
        assert s.scalar(select(Act.status)) == "deemed_accepted"


def test_lease_of_a_dead_local_process_is_taken_over(ws, clock) -> None:
    import socket
    import subprocess
    import sys

    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()  # a process of this machine that has ended
    _waiting_ticket(ws, clock)
    clock.advance(days=3)
    with ws.db.session() as s:
        assert try_acquire(s, "timers", f"{socket.gethostname()}:{proc.pid}", clock(), timedelta(minutes=5))
    assert run_timers(ws).closed_inactive  # not blocked for five minutes
