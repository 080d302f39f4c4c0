"""A phone call or chat logged after the fact (R-TICKET-8): it opens in work, assigned to who
answered, with the reaction met at the answer; an account change keeps the "only in writing" mark."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from desktop.domain.tickets import Channel
from desktop.errors import NotFound, ValidationError
from desktop.services import clients, tickets
from desktop.services.reads import listing
from desktop.services.upkeep.deadlines import state_of
from desktop.services.upkeep.lookup import get_ticket
from desktop.store.models import Agent


def _reaction(ws, tid: str):
    with ws.db.reading() as s:
        return state_of(s, get_ticket(s, ws, tid), ws.now()).states["reaction"]


def test_an_answered_call_is_in_work_with_the_reaction_met(ws, clock) -> None:
    clients.add_client(ws, "ООО «Ромашка»", domains=["romashka.ru"], plan="premium")
    answered = clock() - timedelta(hours=2)
    tid = tickets.log_contact(ws, channel=Channel.PHONE, requester="m.ivanova@romashka.ru",
                              subject="Не приходят письма", text="Объяснил настройку SPF",
                              answered_at=answered)
    d = listing.ticket_detail(ws, tid)
    assert (d["status"], d["assignee"], d["channel"]) == ("in_progress", "tester", "phone")
    assert d["client"] == "ООО «Ромашка»"
    assert d["received_at"].startswith(answered.isoformat()[:16])
    clock.advance(days=3)  # long after any reaction time of the plan
    state = _reaction(ws, tid)
    assert state.status == "met"
    logged = [h for h in d["history"] if h["action"] == "contact_logged"]
    assert logged and logged[0]["new"] == "tester"
    assert logged[0]["details"]["answered_at"].startswith(answered.isoformat()[:16])
    assert not any(h["action"] == "status" and h["new"] == "new" for h in d["history"])
    assert d["messages"][0]["text"] == "Объяснил настройку SPF"


def test_a_chat_with_a_named_client_answered_by_a_colleague(ws) -> None:
    clients.add_client(ws, "АО «ТехноСтрой»", emails=["it@technostroy.ru"], plan="commercial")
    with ws.db.session() as s:
        s.add(Agent(login="olga", name="Ольга Новикова", role="agent"))
    tid = tickets.log_contact(ws, channel=Channel.CHAT, client="ао «технострой»", subject="Вопрос по отчёту",
                              text="Ответила в чате", answered_by="olga")
    d = listing.ticket_detail(ws, tid)
    assert (d["client"], d["requester"], d["assignee"]) == ("АО «ТехноСтрой»", "it@technostroy.ru", "olga")
    assert "client_not_identified" not in d["flags"]
    assert _reaction(ws, tid).status == "met"


def test_an_account_change_keeps_the_written_only_mark(ws) -> None:
    tid = tickets.log_contact(ws, channel=Channel.PHONE, requester="it@zdorovie-med.ru",
                              subject="Сменить пароль администратора", text="Просят сменить пароль",
                              account_change=True)
    tickets.update_fields(ws, tid, priority="high", department="technical")
    tickets.resolve(ws, tid, summary="Попросили письмо", notify=False)
    tickets.reopen(ws, tid)
    d = listing.ticket_detail(ws, tid)
    assert d["written_only"] and "written_confirmation_required" in d["flags"]


@pytest.mark.parametrize(("kw", "error", "words"), [
    ({"channel": Channel.EMAIL}, ValidationError, "phone"),
    ({"requester": ""}, ValidationError, "who contacted"),
    ({"answered_by": "ghost"}, NotFound, "ghost"),
    ({"client": "Nobody Ltd", "requester": ""}, NotFound, "Nobody Ltd"),
    ({"requester": "по телефону"}, ValidationError, "not an e-mail address"),
])
def test_a_wrong_contact_opens_nothing(ws, kw, error, words) -> None:
    count = len(listing.list_tickets(ws))
    args = {"channel": Channel.PHONE, "requester": "a@b.ru", "subject": "x", "text": "y", **kw}
    with pytest.raises(error, match=words):
        tickets.log_contact(ws, **args)
    assert len(listing.list_tickets(ws)) == count


def test_a_client_known_by_domain_only_needs_the_callers_address(ws) -> None:
    """Every later mail of the ticket (the answer, the resolution, an act) goes to the requester."""
    clients.add_client(ws, "ООО «Ромашка»", domains=["romashka.ru"], plan="premium")
    with pytest.raises(ValidationError, match="no e-mail address on record"):
        tickets.log_contact(ws, channel=Channel.PHONE, client="ООО «Ромашка»", subject="x", text="y")
    tid = tickets.log_contact(ws, channel=Channel.PHONE, client="ООО «Ромашка»", requester="boss@romashka.ru",
                              subject="x", text="y")
    tickets.resolve(ws, tid, summary="Объяснили по телефону", notify=True)
    assert listing.ticket_detail(ws, tid)["status"] == "resolved"


def test_a_contact_in_the_future_is_refused(ws, clock) -> None:
    with pytest.raises(ValidationError, match="future"):
        tickets.log_contact(ws, channel=Channel.PHONE, requester="a@b.ru", subject="x", text="y",
                            answered_at=clock() + timedelta(hours=1))


def _cli(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "REGLAMENT_HOME": str(home)}
    env.pop("REGLAMENT_DB_URL", None)
    return subprocess.run([sys.executable, "-m", "desktop.cli", *args], capture_output=True, text=True,
                          env=env, timeout=180)


def test_log_contact_on_the_command_line(tmp_path: Path) -> None:
    home = tmp_path / "home"
    assert _cli(home, "client", "add", "--name", "ООО «Ромашка»", "--email", "boss@romashka.ru").returncode == 0
    r = _cli(home, "ticket", "log-contact", "--channel", "chat", "--client", "ООО «Ромашка»",
             "--subject", "Сменить почту", "--text", "Попросил сменить почту", "--account-change")
    assert r.returncode == 0, r.stderr
    tid = r.stdout.strip()
    assert tid.startswith("TID-")
    show = _cli(home, "ticket", "show", tid)
    assert "[in_progress]" in show.stdout and "written_confirmation_required" in show.stdout
    assert "boss@romashka.ru" in show.stdout
    r = _cli(home, "ticket", "log-contact", "--channel", "phone", "--subject", "x", "--text", "y")
    assert r.returncode == 2  # neither --client nor --requester
    r = _cli(home, "ticket", "log-contact", "--channel", "phone", "--requester", "a@b.ru", "--subject", "x",
             "--text", "y", "--at", "yesterday")
    assert r.returncode == 2 and "yesterday" in r.stderr
    r = _cli(home, "ticket", "log-contact", "--channel", "phone", "--requester", "a@b.ru", "--subject", "x",
             "--text", "y", "--answered-by", "ghost")
    assert r.returncode == 1 and "ghost" in r.stderr and "Traceback" not in r.stderr
