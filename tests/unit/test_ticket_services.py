"""Ticket use cases on a real SQLite file (R-TICKET-1..8, R-SLA-3, R-TEAM-2)."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from desktop.domain.tickets import Channel, Direction, Flag, Status
from desktop.errors import ConflictError, InvalidTransition, NotFound, ValidationError
from desktop.services import clients, tickets
from desktop.services.reads import listing
from desktop.services.tickets.create import NewTicket, add_message_in, create_ticket_in
from desktop.services.upkeep.lookup import get_ticket
from desktop.store.models import HistoryEvent, Message, OutboxItem, Ticket


def _new(ws, subject="Не работает форма", requester="m.ivanova@romashka.ru", **kw) -> str:
    with ws.db.session() as s:
        t = create_ticket_in(s, ws, NewTicket(subject=subject, requester=requester,
                                              received_at=ws.now(), text="текст", **kw))
        add_message_in(s, ws, t, Direction.INCOMING, text="Здравствуйте, форма не работает.",
                       from_addr=requester, message_id=f"<m{t.number}@romashka.ru>",
                       threaded_by="new_ticket")
        return t.tid


def _history(ws, tid):
    return [(h["action"], h["field"], h["old"], h["new"]) for h in listing.ticket_detail(ws, tid)["history"]]


def test_client_identified_by_domain_and_plan_applied(ws) -> None:
    clients.add_client(ws, "ООО «Ромашка»", domains=["romashka.ru"], plan="premium", contract_no="П-1")
    tid = _new(ws, requester="boss@it.romashka.ru")
    d = listing.ticket_detail(ws, tid)
    assert d["client"] == "ООО «Ромашка»" and d["plan"] == "premium"
    assert "client_not_identified" not in d["flags"]
    assert d["reaction_due_at"] is not None  # Premium: 3 working hours on 11–20 Moscow


def test_unknown_sender_is_flagged_and_gets_free_plan(ws) -> None:
    tid = _new(ws, requester="stranger@gmail.com")
    d = listing.ticket_detail(ws, tid)
    assert d["client"] is None and "client_not_identified" in d["flags"]
    assert d["plan"] == "free"


def test_tids_are_sequential_and_formatted(ws) -> None:
    a, b = _new(ws), _new(ws)
    assert (a, b) == ("TID-000001", "TID-000002")


def test_tid_allocation_is_unique_across_processes(tmp_path: Path) -> None:
    home = tmp_path / "shared"
    code = (
        "import sys\n"
        "from datetime import UTC, datetime\n"
        "from desktop.services.workspace import open_workspace\n"
        "from desktop.services.tickets.create import NewTicket, create_ticket_in\n"
        "ws = open_workspace(home=sys.argv[1])\n"
        "for i in range(15):\n"
        "    with ws.db.session() as s:\n"
        "        create_ticket_in(s, ws, NewTicket(subject=f'q{i}', requester='a@b.ru',"
        " received_at=datetime.now(UTC)))\n"
    )
    from desktop.services.workspace import open_workspace

    open_workspace(home=home).close()  # migrate once before the race
    procs = [subprocess.Popen([sys.executable, "-c", code, str(home)]) for _ in range(4)]
    assert all(p.wait(timeout=120) == 0 for p in procs)
    ws = open_workspace(home=home)
    with ws.db.session() as s:
        numbers = list(s.scalars(select(Ticket.number)))
    ws.close()
    assert len(numbers) == 60 and len(set(numbers)) == 60


def test_take_into_work_notifies_and_stops_reaction_clock(ws, clock) -> None:
    tid = _new(ws)
    clock.advance(minutes=30)
    tickets.take_into_work(ws, tid)
    d = listing.ticket_detail(ws, tid)
    assert d["status"] == "in_progress" and d["assignee"] == "tester"
    out = [m for m in d["messages"] if m["direction"] == "out"]
    assert len(out) == 1 and tid in out[0]["subject"]
    with ws.db.session() as s:
        t = get_ticket(s, ws, tid)
        assert t.first_reply_at == clock()
        assert s.scalar(select(func.count(OutboxItem.id)).where(OutboxItem.ticket_id == t.id)) == 1
    assert ("status", "status", "new", "in_progress") in _history(ws, tid)


def test_waiting_client_pauses_and_client_reply_resumes(ws, clock) -> None:
    tid = _new(ws)
    tickets.take_into_work(ws, tid, notify=False)
    clock.advance(hours=1)
    tickets.request_information(ws, tid, "Уточните адрес страницы, пожалуйста.")
    with ws.db.session() as s:
        t = get_ticket(s, ws, tid)
        assert t.status == "waiting_client" and t.waiting_since == clock()
        assert t.resolution_due_at is None  # unknown while the clock is paused
        clock.advance(hours=3)
        add_message_in(s, ws, t, Direction.INCOMING, text="Адрес: /contacts", received_at=clock())
        tickets.client_replied_in(s, ws, t, clock())
        assert t.status == "in_progress"


def test_illegal_transition_is_a_plain_error(ws) -> None:
    tid = _new(ws)
    tickets.close(ws, tid)
    with pytest.raises(InvalidTransition) as err:
        tickets.close(ws, tid)
    assert str(err.value) == "a ticket that is closed cannot become closed"


def test_refuse_sends_the_reason_template_and_records_reason(ws) -> None:
    tid = _new(ws, requester="x@unknown.org")
    tickets.refuse(ws, tid, "client_not_identified")
    d = listing.ticket_detail(ws, tid)
    assert d["status"] == "refused" and d["reason"] == "client_not_identified"
    out = [m for m in d["messages"] if m["direction"] == "out"]
    assert "не смогли определить" in out[-1]["text"]
    with pytest.raises(ValidationError):
        tickets.postpone(ws, _new(ws), "offensive")  # refusal-only reason
    with pytest.raises(ValidationError):
        tickets.refuse(ws, _new(ws), "no_such_reason")


def test_merge_moves_every_message(ws, clock) -> None:
    orig, dup = _new(ws), _new(ws, subject="Не работает форма (повторно)")
    with ws.db.session() as s:
        before = s.scalar(select(func.count(Message.id)))
    tickets.merge(ws, dup, orig)
    o, d = listing.ticket_detail(ws, orig), listing.ticket_detail(ws, dup)
    assert d["status"] == "duplicate" and d["duplicate_of"] == orig
    assert d["messages"] == []
    incoming = [m for m in o["messages"] if m["direction"] == "in"]
    assert len(incoming) == 2
    with ws.db.session() as s:
        assert s.scalar(select(func.count(Message.id))) >= before  # nothing lost
    with pytest.raises(ValidationError):
        tickets.merge(ws, orig, orig)


def test_split_moves_selected_messages_into_a_new_ticket(ws, clock) -> None:
    tid = _new(ws)
    with ws.db.session() as s:
        t = get_ticket(s, ws, tid)
        clock.advance(minutes=5)
        second = add_message_in(s, ws, t, Direction.INCOMING, text="И ещё: как выгрузить заказы?",
                                subject="Выгрузка заказов", from_addr=t.requester).id
    new_tid = tickets.split(ws, tid, [second], subject="Выгрузка заказов")
    assert new_tid != tid
    moved = listing.ticket_detail(ws, new_tid)
    assert [m["text"] for m in moved["messages"]] == ["И ещё: как выгрузить заказы?"]
    assert len(listing.ticket_detail(ws, tid)["messages"]) == 1
    with pytest.raises(ValidationError):
        first = listing.ticket_detail(ws, tid)["messages"][0]["id"]
        tickets.split(ws, tid, [first])  # cannot empty the original


def test_stale_version_is_refused(ws) -> None:
    tid = _new(ws)
    v = listing.ticket_detail(ws, tid)["version"]
    tickets.update_fields(ws, tid, priority="high")  # someone else's change
    with pytest.raises(ConflictError) as err:
        tickets.update_fields(ws, tid, priority="urgent", expected_version=v)
    assert "changed by someone else" in str(err.value)


def test_reopen_on_client_reply_within_window(ws, clock) -> None:
    tid = _new(ws)
    tickets.take_into_work(ws, tid, notify=False)
    tickets.resolve(ws, tid, summary="Исправлено")
    clock.advance(days=3)
    with ws.db.session() as s:
        t = get_ticket(s, ws, tid)
        tickets.client_replied_in(s, ws, t, clock())
        assert t.status == "in_progress"
    tickets.resolve(ws, tid, notify=False)
    tickets.close(ws, tid)
    clock.advance(days=40)
    with ws.db.session() as s:
        t = get_ticket(s, ws, tid)
        tickets.client_replied_in(s, ws, t, clock())
        assert t.status == "closed"  # outside the 14-day window: a new ticket is the caller's job


def test_phone_request_to_change_account_needs_writing(ws) -> None:
    tid = tickets.log_contact(ws, channel=Channel.PHONE, requester="it@zdorovie-med.ru",
                              subject="Сменить пароль администратора", text="Звонок: просят сменить пароль",
                              account_change=True)
    d = listing.ticket_detail(ws, tid)
    assert d["channel"] == "phone" and d["written_only"] and "written_confirmation_required" in d["flags"]
    with pytest.raises(ValidationError):
        tickets.log_contact(ws, channel=Channel.EMAIL, requester="a@b.ru", subject="x", text="y")


def test_paid_flag_needs_a_reason_and_is_audited(ws) -> None:
    tid = _new(ws)
    with pytest.raises(ValidationError):
        tickets.set_paid(ws, tid, True, "")
    tickets.set_paid(ws, tid, True, "Договор истёк")
    d = listing.ticket_detail(ws, tid)
    assert d["paid"] and d["paid_reason"] == "Договор истёк"
    assert ("paid", "paid", "False", "True") in _history(ws, tid)


def test_every_change_is_in_history(ws) -> None:
    tid = _new(ws)
    tickets.take_into_work(ws, tid, notify=False)
    tickets.escalate(ws, tid, to_department="sales", note="Нужен коммерческий расчёт")
    tickets.add_note(ws, tid, "Позвонить клиенту")
    tickets.set_flag(ws, tid, Flag.THREAD_CONFIRM, True)
    actions = [h[0] for h in _history(ws, tid)]
    assert actions[0] == "created"
    assert {"status", "assign", "change", "note", "flag"} <= set(actions)
    with ws.db.session() as s:
        assert all(h.actor for h in s.scalars(select(HistoryEvent)))


def test_unknown_tid(ws) -> None:
    with pytest.raises(NotFound) as err:
        listing.ticket_detail(ws, "TID-999999")
    assert str(err.value) == "there is no ticket TID-999999"


def test_stats_count(ws) -> None:
    _new(ws)
    # with the ticket counts the views panel and the dashboard share (reads.counts)
    assert listing.stats(ws) == {"tickets": 1, "messages": 1, "quarantined": 0, "outbox_pending": 0,
                                 "outbox_waiting": 0, "outbox_backing_off": 0, "outbox_failed": 0,
                                 "mine": 0, "unassigned": 1, "waiting": 0, "breaching": 0,
                                 "awaiting_acceptance": 0, "rework_due": 0, "open": 1, "breached": 0, "warning": 0}


def test_status_filter(ws) -> None:
    a, _b = _new(ws), _new(ws)
    tickets.take_into_work(ws, a, notify=False)
    assert [r["tid"] for r in listing.list_tickets(ws, "in_progress")] == [a]
    with pytest.raises(ValidationError):
        listing.list_tickets(ws, "bogus")


def test_received_times_are_aware_utc(ws) -> None:
    tid = _new(ws)
    received = datetime.fromisoformat(listing.ticket_detail(ws, tid)["received_at"])
    assert received.tzinfo is not None and received.utcoffset() == timedelta(0)
    assert received == datetime(2026, 11, 17, 7, 0, tzinfo=UTC)
    assert Status.NEW.value == listing.ticket_detail(ws, tid)["status"]
