"""Editing the regulation moves stored deadlines (R-SLA-1..2); bad settings are refused by name."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from desktop.errors import ConfigError, NotFound, ValidationError
from desktop.services import clients, regulation
from desktop.services.reads import listing
from desktop.services.tickets.create import NewTicket, create_ticket_in
from desktop.services.upkeep.deadlines import explain_deadline


def _ticket(ws, clock) -> str:
    clients.add_client(ws, "Вектор", domains=["vector.ru"], plan="commercial")
    with ws.db.session() as s:
        return create_ticket_in(s, ws, NewTicket(subject="x", requester="a@vector.ru", received_at=clock())).tid


def due(ws, tid) -> datetime:
    return datetime.fromisoformat(listing.ticket_detail(ws, tid)["reaction_due_at"])


def test_plan_target_change_recomputes(ws, clock) -> None:
    tid = _ticket(ws, clock)  # Tue 10:00 MSK + 24 h: Tue 8 h, Wed 9 h, Thu 7 h → Thu 16:00 MSK
    assert due(ws, tid) == datetime(2026, 11, 19, 13, 0, tzinfo=UTC)
    assert regulation.set_plan(ws, "commercial", reaction={"normal": 120}) == 1
    assert due(ws, tid) == datetime(2026, 11, 17, 9, 0, tzinfo=UTC)  # 12:00 MSK
    with pytest.raises(ValidationError):
        regulation.set_plan(ws, "commercial", reaction={"sometimes": 5})
    with pytest.raises(NotFound):
        regulation.set_plan(ws, "gold")


def test_company_day_off_moves_deadline_and_is_explained(ws, clock) -> None:
    tid = _ticket(ws, clock)
    regulation.add_calendar_day(ws, "moscow_9_18", date(2026, 11, 18), working=False)
    # Wednesday off: Tue 8 h, Thu 9 h, Fri 7 h → Fri 16:00 MSK
    assert due(ws, tid) == datetime(2026, 11, 20, 13, 0, tzinfo=UTC)
    text = explain_deadline(ws, tid, "reaction", "en")
    assert "18.11.2026" in text and "Deadline" in text


def test_settings_validated_by_name(ws) -> None:
    regulation.set_setting(ws, "autoclose.after_days", "3")
    assert regulation.get_setting(ws, "autoclose.after_days") == 3
    with pytest.raises(ConfigError, match=r"autoclose\.unit"):
        regulation.set_setting(ws, "autoclose.unit", "weekly")
    with pytest.raises(ConfigError, match=r"tid\.prefix"):
        regulation.set_setting(ws, "tid.prefix", "1-bad")
    with pytest.raises(ConfigError, match=r"acceptance\.window_days"):
        regulation.set_setting(ws, "acceptance.window_days", "three")
    with pytest.raises(NotFound):
        regulation.set_setting(ws, "no.such", 1)


def test_a_reminder_that_would_go_out_after_the_close_is_refused_when_set(ws) -> None:
    from desktop.errors import ConfigError
    from desktop.services import regulation

    with pytest.raises(ConfigError, match=r"autoclose\.reminder_before_days"):
        regulation.set_setting(ws, "autoclose.reminder_before_days", 5)  # closing comes after 2 days
    regulation.set_setting(ws, "autoclose.after_days", 7)
    regulation.set_setting(ws, "autoclose.reminder_before_days", 5)
    with pytest.raises(ConfigError, match=r"autoclose\.after_days"):
        regulation.set_setting(ws, "autoclose.after_days", 3)
    assert regulation.get_setting(ws, "autoclose.after_days") == 7
