"""Mail a mailbox held before it was connected becomes its archive, not a wall of breaches.

A help desk connected to a mailbox of years must neither write to every client who ever wrote
nor open thousands of tickets whose deadlines passed before anyone could see them. What arrived
more than ``mail.ack_history_hours`` before the account was added is imported closed, with no
acknowledgement and no deadlines; its conversations stay together, and a client who writes
again once the mailbox is watched opens a new, live ticket that names the old one.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from desktop.errors import NotFound
from desktop.services import clients, tickets
from desktop.services.reads import listing
from desktop.services.reads.dashboard import build_dashboard
from desktop.services.reads.queue import rows_in, sla_book
from desktop.services.reads.ticket_page import ticket_countdowns
from desktop.services.upkeep.deadlines import explain_deadline, state_of
from desktop.services.upkeep.lookup import get_ticket
from desktop.store.models import OutboxItem, Ticket
from tests.unit.test_ingest import T0, account, ingest, mail


def _ticket_of(ws, sender: str) -> dict:
    return next(t for t in listing.list_tickets(ws) if t["requester"] == sender)


def test_old_mail_is_archived_recent_mail_is_live(ws, clock) -> None:
    clients.add_client(ws, "Ромашка", domains=["romashka.ru"], plan="commercial")
    acc = account(ws)  # connected at T0; the default window is 24 hours back
    old = ingest(ws, acc, mail("Вопрос прошлого года", sender="old@romashka.ru", msgid="<old@romashka.ru>"),
                 at=T0 - timedelta(days=400))
    ingest(ws, acc, mail("Вопрос утром", sender="morning@romashka.ru", msgid="<m@romashka.ru>"),
           start_uid=2, at=T0 - timedelta(hours=3))
    ingest(ws, acc, mail("Вопрос после подключения", sender="later@romashka.ru", msgid="<l@romashka.ru>"),
           start_uid=3, at=T0 + timedelta(days=3))  # the workstation was off meanwhile
    assert old.archived == 1 and old.acknowledged == 0 and len(old.new_tickets) == 1

    with ws.db.session() as s:
        acked = sorted(s.scalars(select(OutboxItem.recipients)).all())
    assert acked == [["later@romashka.ru"], ["morning@romashka.ru"]]

    archived = listing.ticket_detail(ws, _ticket_of(ws, "old@romashka.ru")["tid"])
    assert archived["archived"] is True and archived["status"] == "closed"
    assert [h["action"] for h in archived["history"]] == ["created", "archived"]
    assert [m["direction"] for m in archived["messages"]] == ["in"]  # nothing was sent
    for sender in ("morning@romashka.ru", "later@romashka.ru"):
        live = listing.ticket_detail(ws, _ticket_of(ws, sender)["tid"])
        assert live["archived"] is False and live["status"] == "new"
    with ws.db.session() as s:
        rows = {t.requester: t for t in s.scalars(select(Ticket))}
        assert rows["old@romashka.ru"].reaction_due_at is None
        assert rows["old@romashka.ru"].resolution_due_at is None
        assert rows["old@romashka.ru"].closed_at == T0 - timedelta(days=400)
        assert rows["morning@romashka.ru"].reaction_due_at is not None


def test_archived_ticket_has_no_clock_anywhere(ws, clock) -> None:
    """Queue row, detail header, explanation and the team lead's numbers all leave it out."""
    clients.add_client(ws, "Ромашка", domains=["romashka.ru"], plan="commercial")
    acc = account(ws)
    tid = ingest(ws, acc, mail("Старый вопрос", sender="old@romashka.ru"), at=T0 - timedelta(days=10)).new_tickets[0]
    also_old = ingest(ws, acc, mail("Новый вопрос", sender="new@romashka.ru"), start_uid=2,
                  at=T0 - timedelta(days=10) + timedelta(hours=1))
    assert also_old.archived == 1
    ws.set_setting("mail.ack_history_hours", 24 * 30)
    fresh = ingest(ws, acc, mail("Свежий вопрос", sender="fresh@romashka.ru"), start_uid=3,
                   at=T0 - timedelta(days=10)).new_tickets[0]  # inside the wider window: live, long overdue

    with ws.db.session() as s:
        ticket = get_ticket(s, ws, tid)
        assert state_of(s, ticket, T0).states == {}
        assert state_of(s, get_ticket(s, ws, fresh), T0).states["reaction"].status == "breached"
        row = rows_in(s, [ticket.id])[ticket.id]
    assert row.archived and sla_book(ws).countdown(row, T0).state == "none"
    assert ticket_countdowns(ws, tid) == ()
    with pytest.raises(NotFound, match="archive"):
        explain_deadline(ws, tid)

    dash = build_dashboard(ws, (T0 - timedelta(days=20)).date(), T0.date())
    assert dash.sla_missed == 1  # the live ticket only, not the two archived ones
    assert [r.tid for r in dash.breached] == [fresh]


def test_an_agent_may_reopen_an_archived_ticket_without_a_clock(ws, clock) -> None:
    clients.add_client(ws, "Ромашка", domains=["romashka.ru"], plan="commercial")
    acc = account(ws)
    tid = ingest(ws, acc, mail("Старый вопрос", sender="old@romashka.ru"), at=T0 - timedelta(days=10)).new_tickets[0]
    tickets.reopen(ws, tid, note="клиент позвонил")
    d = listing.ticket_detail(ws, tid)
    assert d["status"] == "in_progress" and d["archived"] is True
    assert ticket_countdowns(ws, tid) == ()
    with ws.db.session() as s:
        assert get_ticket(s, ws, tid).reaction_due_at is None


def test_old_replies_join_the_archive_and_a_new_reply_opens_a_live_follow_up(ws, clock) -> None:
    clients.add_client(ws, "Ромашка", domains=["romashka.ru"], plan="commercial")
    acc = account(ws)
    question = mail("Ошибка в отчёте", sender="old@romashka.ru", msgid="<q1@romashka.ru>")
    tid = ingest(ws, acc, question, at=T0 - timedelta(days=30)).new_tickets[0]
    old_reply = mail("Re: Ошибка в отчёте", sender="old@romashka.ru", msgid="<q2@romashka.ru>",
                     extra="In-Reply-To: <q1@romashka.ru>\r\nReferences: <q1@romashka.ru>\r\n")
    r = ingest(ws, acc, old_reply, start_uid=2, at=T0 - timedelta(days=29))
    assert r.joined == [tid] and r.new_tickets == []
    d = listing.ticket_detail(ws, tid)
    assert d["status"] == "closed" and len(d["messages"]) == 2  # joined, not reopened

    new_reply = mail("Re: Ошибка в отчёте", sender="old@romashka.ru", msgid="<q3@romashka.ru>",
                     extra="In-Reply-To: <q2@romashka.ru>\r\nReferences: <q1@romashka.ru> <q2@romashka.ru>\r\n")
    r = ingest(ws, acc, new_reply, start_uid=3, at=T0 + timedelta(hours=1))
    assert r.joined == [] and len(r.new_tickets) == 1 and r.acknowledged == 1
    follow = listing.ticket_detail(ws, r.new_tickets[0])
    assert follow["archived"] is False and follow["status"] == "new"
    assert any(h["action"] == "follow_up_of" and h["new"] == tid for h in follow["history"])
    assert listing.ticket_detail(ws, tid)["status"] == "closed"


def test_window_of_zero_hours_archives_everything_before_connecting(ws, clock) -> None:
    acc = account(ws)
    ws.set_setting("mail.ack_history_hours", 0)
    r = ingest(ws, acc, mail("Ещё один", sender="x@romashka.ru"), at=T0 - timedelta(minutes=1))
    assert r.archived == 1 and r.acknowledged == 0
    r = ingest(ws, acc, mail("Только что", sender="y@romashka.ru"), start_uid=2, at=T0)
    assert r.archived == 0 and r.acknowledged == 1
