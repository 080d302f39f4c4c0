"""Warnings to people respect the calendar: held until working hours, once per ticket and level,
to the tray for someone at the workstation and by mail for someone away; counted for the lead."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from desktop.services import clients
from desktop.services.background.escalation import pending_tray, run_escalation, touch_presence
from desktop.services.background.timers import run_timers
from desktop.services.reads.warnings import warning_counts
from desktop.services.tickets.create import NewTicket, create_ticket_in
from desktop.services.workspace import open_workspace
from desktop.store.models import Agent, OutboxItem, SlaWarning, Ticket


def test_warning_held_until_working_hours_then_sent_once(ws, clock, tmp_path) -> None:
    clients.add_client(ws, "Вектор", domains=["vector.ru"], plan="commercial")
    with ws.db.session() as s:
        s.add_all([Agent(login="ivan", name="Иван", email="ivan@support.example", role="agent"),
                   Agent(login="olga", name="Ольга", email="olga@support.example", role="lead")])
        s.flush()
        # Tuesday 17 November 2026, 14:00 Moscow; 24 working hours: Tue 4 h, Wed 9 h, Thu 9 h,
        # Fri 2 h → due Friday 11:00; the plan warns at 75 % (Thursday 14:00).
        t = create_ticket_in(s, ws, NewTicket(subject="Сайт не открывается", requester="a@vector.ru",
                                              received_at=datetime(2026, 11, 17, 11, 0, tzinfo=UTC)))
        t.assignee_id = s.scalar(select(Agent.id).where(Agent.login == "ivan"))
        tid = t.tid

    clock.t = datetime(2026, 11, 19, 17, 0, tzinfo=UTC)  # Thursday 20:00 Moscow: 22 h of 24 used
    report = run_escalation(ws)
    assert report.sent == [] and sorted(report.held) == [(tid, "assignee"), (tid, "lead")]
    assert report.held_until == datetime(2026, 11, 20, 6, 0, tzinfo=UTC)  # Friday 09:00 Moscow
    with ws.db.session() as s:
        assert s.scalar(select(SlaWarning.id)) is None

    clock.t = datetime(2026, 11, 20, 6, 5, tzinfo=UTC)  # Friday 09:05 Moscow
    olga = open_workspace(home=tmp_path / "home", clock=clock, actor="olga")
    try:
        touch_presence(olga)  # the lead is at her workstation, the assignee is not
        report = run_timers(ws).warnings
        assert sorted(report.sent) == [(tid, "assignee", "ivan", "mail"), (tid, "lead", "olga", "tray")]
        assert run_escalation(ws).sent == []  # once per ticket, level and person
        with ws.db.session() as s:
            mail = s.scalar(select(OutboxItem).where(OutboxItem.kind == "sla_warning"))
            assert mail is not None and mail.recipients == ["ivan@support.example"]
            assert b"Subject:" in ws.blobs.get(mail.raw_sha256)
            assert s.get(Ticket, s.scalar(select(Ticket.id))).first_reply_at is None  # no reply to the client
        shown = pending_tray(olga, "en")
        assert [w.tid for w in shown] == [tid] and "reaction deadline near" in shown[0].title
        assert pending_tray(olga, "en") == []
    finally:
        olga.close()
    counts = warning_counts(ws, clock.t - timedelta(days=1))
    assert counts.assignee == 1 and counts.lead == 1 and counts.by_mail == 1 and counts.to_tray == 1
