"""Editing a ticket after it was opened (R-TICKET-2, R-TICKET-7, R-CRED-3, R-SLA-4a): the
plan, the paid suggestion and the deadlines follow the change, and each change is in history."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from desktop.domain.tickets import Direction
from desktop.errors import ConflictError, NotFound, ValidationError
from desktop.services import clients, tickets
from desktop.services.reads import listing
from desktop.services.tickets.create import NewTicket, add_message_in, create_ticket_in
from desktop.services.upkeep.deadlines import explain_deadline


def _new(ws, requester: str = "stranger@gmail.com") -> str:
    with ws.db.session() as s:
        t = create_ticket_in(s, ws, NewTicket(subject="Не работает форма", requester=requester,
                                              received_at=ws.now(), text="текст"))
        add_message_in(s, ws, t, Direction.INCOMING, text="Форма не работает.", from_addr=requester)
        return t.tid


def _changes(ws, tid: str) -> list[tuple[str, str | None, str | None]]:
    return [(h["field"], h["old"], h["new"]) for h in listing.ticket_detail(ws, tid)["history"]
            if h["action"] == "change"]


def test_attaching_a_client_moves_plan_flags_and_deadlines(ws) -> None:
    clients.add_client(ws, "ООО «Ромашка»", domains=["romashka.ru"], plan="premium", priority=True)
    tid = _new(ws)
    before = listing.ticket_detail(ws, tid)
    assert before["plan"] == "free" and "client_not_identified" in before["flags"]
    why_before = explain_deadline(ws, tid, "reaction", "en")

    changed = tickets.update_fields(ws, tid, client="ооо «ромашка»", expected_version=before["version"])

    after = listing.ticket_detail(ws, tid)
    assert changed == ["client"]
    assert after["client"] == "ООО «Ромашка»" and after["plan"] == "premium"
    assert "client_not_identified" not in after["flags"]
    assert after["reaction_due_at"] != before["reaction_due_at"]
    assert explain_deadline(ws, tid, "reaction", "en") != why_before
    assert ("client", None, "ООО «Ромашка»") in _changes(ws, tid)
    assert ("plan", "free", "premium") in _changes(ws, tid)

    tickets.update_fields(ws, tid, client=None)
    back = listing.ticket_detail(ws, tid)
    assert back["client"] is None and back["plan"] == "free"
    assert "client_not_identified" in back["flags"]
    assert back["reaction_due_at"] == before["reaction_due_at"]


def test_priority_recomputes_the_deadlines(ws) -> None:
    clients.add_client(ws, "ООО «Ромашка»", domains=["romashka.ru"], plan="premium")
    tid = _new(ws, "boss@romashka.ru")
    normal = listing.ticket_detail(ws, tid)
    assert normal["resolution_due_at"] is None  # Premium sets no resolution time for normal
    assert tickets.update_fields(ws, tid, priority="urgent", category="defect") == ["priority", "category"]
    d = listing.ticket_detail(ws, tid)
    assert d["priority"] == "urgent" and d["category"] == "defect"
    assert d["reaction_due_at"] < normal["reaction_due_at"] and d["resolution_due_at"] is not None
    assert ("priority", "normal", "urgent") in _changes(ws, tid)
    assert tickets.update_fields(ws, tid, priority="urgent") == []  # nothing new: no history line


def test_expired_contract_suggests_paid_and_a_live_one_clears_it(ws, clock) -> None:
    clients.add_client(ws, "Old Co", domains=["old.example"], plan="commercial", active_until=date(2026, 1, 31))
    clients.add_client(ws, "Live Co", domains=["live.example"], plan="commercial", active_until=date(2027, 1, 31))
    tid = _new(ws)
    tickets.update_fields(ws, tid, client="Old Co")
    d = listing.ticket_detail(ws, tid)
    assert "paid_suggested" in d["flags"] and "2026-01-31" in d["paid_reason"]
    tickets.update_fields(ws, tid, client="Live Co")
    d = listing.ticket_detail(ws, tid)
    assert "paid_suggested" not in d["flags"] and not d["paid_reason"]
    tickets.set_paid(ws, tid, True, "не по услугам клиента")  # the agent decided: it stays
    tickets.update_fields(ws, tid, client="Old Co")
    d = listing.ticket_detail(ws, tid)
    assert d["paid"] is True and d["paid_reason"] == "не по услугам клиента"


def test_requester_department_and_password_reminder(ws) -> None:
    clients.add_client(ws, "ООО «Ромашка»", domains=["romashka.ru"], plan="premium")
    tid = _new(ws)
    changed = tickets.update_fields(ws, tid, requester=" M.Ivanova@Romashka.ru ", department="sales",
                                    password_reminder=True)
    d = listing.ticket_detail(ws, tid)
    assert d["requester"] == "m.ivanova@romashka.ru"
    assert d["client"] == "ООО «Ромашка»"  # the new requester's client, found by domain
    assert d["department"] == "sales" and d["password_reminder"] is True
    assert set(changed) == {"requester", "client", "department", "password_reminder"}
    assert ("password_reminder", "False", "True") in _changes(ws, tid)


@pytest.mark.parametrize(("changes", "error", "words"), [
    ({"priority": "asap"}, ValidationError, "low, normal, high, urgent"),
    ({"requester": "not an address"}, ValidationError, "not an e-mail address"),
    ({"client": "Nobody Ltd"}, NotFound, "Nobody Ltd"),
    ({"department": "nowhere"}, NotFound, "nowhere"),
    ({"status": "closed"}, ValidationError, "status"),
])
def test_a_wrong_value_changes_nothing(ws, changes, error, words) -> None:
    tid = _new(ws)
    before = listing.ticket_detail(ws, tid)
    with pytest.raises(error, match=words):
        tickets.update_fields(ws, tid, category="defect", **changes)
    after = listing.ticket_detail(ws, tid)
    assert after["category"] == before["category"] and after["version"] == before["version"]


def test_a_stale_edit_is_a_conflict(ws) -> None:
    tid = _new(ws)
    v = listing.ticket_detail(ws, tid)["version"]
    tickets.update_fields(ws, tid, priority="high")
    with pytest.raises(ConflictError):
        tickets.update_fields(ws, tid, priority="low", expected_version=v)


def _cli(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "REGLAMENT_HOME": str(home)}
    env.pop("REGLAMENT_DB_URL", None)
    return subprocess.run([sys.executable, "-m", "desktop.cli", *args], capture_output=True, text=True,
                          env=env, timeout=180)


def test_ticket_set_on_the_command_line(tmp_path: Path) -> None:
    home = tmp_path / "home"
    assert _cli(home, "client", "add", "--name", "ООО «Ромашка»", "--plan", "premium").returncode == 0
    tid = _cli(home, "ticket", "log-contact", "--channel", "phone", "--requester", "anon@gmail.com",
               "--subject", "Звонок", "--text", "Вопрос").stdout.strip()
    r = _cli(home, "ticket", "set", tid, "--priority", "high", "--client", "ООО «Ромашка»",
             "--password-reminder", "on")
    assert r.returncode == 0, r.stderr
    assert "priority" in r.stdout and "client" in r.stdout
    d = json.loads(_cli(home, "ticket", "show", tid, "--json").stdout)
    assert (d["priority"], d["client"], d["plan"], d["password_reminder"]) == (
        "high", "ООО «Ромашка»", "premium", True)
    r = _cli(home, "ticket", "set", tid, "--client", "none")
    assert r.returncode == 0 and json.loads(_cli(home, "ticket", "show", tid, "--json").stdout)["client"] is None
    r = _cli(home, "ticket", "set", tid, "--client", "Nobody")
    assert r.returncode == 1 and "Nobody" in r.stderr and "Traceback" not in r.stderr
    r = _cli(home, "ticket", "set", tid)
    assert r.returncode == 2 and "nothing to change" in r.stderr
    r = _cli(home, "ticket", "set", tid, "--priority", "asap")
    assert r.returncode == 2
