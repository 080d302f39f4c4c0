"""Paid vs free work (R-TICKET-7, WebbyMASTER 2.4): an urgent request outside the plan's hours is
suggested as paid with its reason; the agent confirms, clears or marks paid by hand; each step is
in history; the command line does the same."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from desktop.cli import main
from desktop.domain.paid import asks_urgency, explain_paid
from desktop.domain.tickets import Channel
from desktop.errors import ValidationError
from desktop.services import clients, tickets
from desktop.services.reads import listing
from desktop.services.reads.ticket_page import read_ticket_page
from tests.unit.test_ingest import account, ingest, mail

#: Saturday 28 November 2026, 23:00 in Moscow: the Premium plan works Mon–Fri 11:00–20:00.
SATURDAY_NIGHT = datetime(2026, 11, 28, 20, 0, tzinfo=UTC)
#: Tuesday 17 November 2026, 12:00 in Moscow: inside the Premium plan's hours.
TUESDAY_NOON = datetime(2026, 11, 17, 9, 0, tzinfo=UTC)


def _clients(ws) -> None:
    clients.add_client(ws, "ООО «Ромашка»", domains=["romashka.ru"], plan="premium", contract_no="П-1",
                       active_until=date(2027, 6, 30))
    clients.add_client(ws, "Клиника", domains=["clinic.ru"], plan="priority", contract_no="ПР-1",
                       active_until=date(2027, 6, 30))


def _mail_in(ws, clock, at: datetime, subject: str, body: str = "Сайт не открывается.",
             sender: str = "boss@romashka.ru") -> dict:
    clock.t = at
    acc = account(ws) if not hasattr(ws, "_acc") else ws._acc  # one account per workspace
    ws._acc = acc
    uid = getattr(ws, "_uid", 0) + 1
    ws._uid = uid
    r = ingest(ws, acc, mail(subject, sender=sender, body=body), start_uid=uid, at=at)
    return listing.ticket_detail(ws, r.new_tickets[0])


@pytest.mark.parametrize("words", [
    ("СРОЧНО! Сайт упал", None), ("Сайт упал", "Сделайте срочно, пожалуйста"), ("URGENT: site down", None),
    ("Site down", "Please fix ASAP"), ("Нужна помощь", "Прошу немедленно восстановить"),
])
def test_words_that_ask_for_urgent_work(words) -> None:
    assert asks_urgency(*words)


@pytest.mark.parametrize("words", [
    ("Вопрос не срочный", "Ответьте, когда будет время"), ("Not urgent: a question", None),
    ("Несрочно", None), ("Обновить цены", "> СРОЧНО\n" + "цитата\n" * 400 + "x" * 2000),
])
def test_words_that_do_not(words) -> None:
    subject, body = words
    if body and len(body) > 2000:  # a quoted "срочно" far below the request does not count
        body = "Обновите цены.\n" + "x" * 2100 + "\nСРОЧНО"
    assert not asks_urgency(subject, body)


def test_premium_urgent_mail_on_saturday_night_is_suggested_as_paid(ws, clock) -> None:
    _clients(ws)
    d = _mail_in(ws, clock, SATURDAY_NIGHT, "СРОЧНО: сайт не работает")
    assert d["paid"] is False and "paid_suggested" in d["flags"]
    assert d["paid_basis"] == "outside_hours"
    assert "outside the plan's hours" in d["paid_reason"] and "Sat 2026-11-28 23:00" in d["paid_reason"]
    line = next(h for h in d["history"] if h["action"] == "paid_suggested")
    assert line["new"] == "outside_hours" and line["details"]["reason"] == d["paid_reason"]
    page = read_ticket_page(ws, d["tid"], "ru")
    assert page.acts.paid_words.startswith("срочная работа вне часов тарифа (получено сб 28.11.2026 23:00")
    assert "пн–пт 11:00–20:00" in page.acts.paid_words
    assert "the plan's hours: Mon–Fri 11:00–20:00" in read_ticket_page(ws, d["tid"], "en").acts.paid_words


@pytest.mark.parametrize(("at", "subject", "sender"), [
    (TUESDAY_NOON, "СРОЧНО: сайт не работает", "boss@romashka.ru"),  # inside the plan's hours
    (SATURDAY_NIGHT, "Обновить цены в каталоге", "boss@romashka.ru"),  # outside them, not urgent
    (SATURDAY_NIGHT, "СРОЧНО: сайт не работает", "it@clinic.ru"),  # the Priority plan: around the clock
    (SATURDAY_NIGHT, "СРОЧНО: сайт не работает", "stranger@gmail.com"),  # nobody to bill yet
])
def test_what_is_not_suggested(ws, clock, at, subject, sender) -> None:
    _clients(ws)
    d = _mail_in(ws, clock, at, subject, sender=sender)
    assert "paid_suggested" not in d["flags"] and d["paid_basis"] is None and d["paid_reason"] is None


def test_confirm_and_clear_are_history_in_words(ws, clock) -> None:
    _clients(ws)
    d = _mail_in(ws, clock, SATURDAY_NIGHT, "СРОЧНО: сайт не работает")
    clock.t = TUESDAY_NOON.replace(day=30)
    reason = tickets.confirm_paid(ws, d["tid"], expected_version=d["version"])
    after = listing.ticket_detail(ws, d["tid"])
    assert after["paid"] is True and after["paid_reason"] == reason == d["paid_reason"]
    assert after["paid_basis"] == "outside_hours" and "paid_suggested" not in after["flags"]
    line = after["history"][-1]
    assert (line["action"], line["new"], line["details"]["confirmed"]) == ("paid", "True", True)
    with pytest.raises(ValidationError, match="nothing suggests"):
        tickets.confirm_paid(ws, d["tid"])

    tickets.clear_paid(ws, d["tid"], "клиент оплатил приоритет")
    cleared = listing.ticket_detail(ws, d["tid"])
    assert cleared["paid"] is False and cleared["paid_basis"] is None and cleared["paid_reason"] is None
    # decided by an agent: a later change of priority does not suggest it again
    tickets.update_fields(ws, d["tid"], priority="urgent")
    assert "paid_suggested" not in listing.ticket_detail(ws, d["tid"])["flags"]


def test_a_suggestion_dismissed_and_a_priority_raised(ws, clock) -> None:
    _clients(ws)
    d = _mail_in(ws, clock, SATURDAY_NIGHT, "Обновить цены в каталоге")
    assert "paid_suggested" not in d["flags"]
    tickets.update_fields(ws, d["tid"], priority="urgent")  # the agent sees it is urgent after all
    d = listing.ticket_detail(ws, d["tid"])
    assert "paid_suggested" in d["flags"] and d["paid_basis"] == "outside_hours"
    tickets.clear_paid(ws, d["tid"])
    d = listing.ticket_detail(ws, d["tid"])
    assert "paid_suggested" not in d["flags"] and d["paid"] is False
    assert d["history"][-1]["details"]["suggested"] == "outside_hours"


def test_work_unrelated_to_the_services_is_marked_by_hand(ws, clock) -> None:
    _clients(ws)
    d = _mail_in(ws, clock, TUESDAY_NOON, "Настроить рекламу в Яндекс Директ")
    with pytest.raises(ValidationError, match="say why"):
        tickets.set_paid(ws, d["tid"], True, " ", basis="unrelated")
    with pytest.raises(ValidationError, match="not a reason"):
        tickets.set_paid(ws, d["tid"], True, "x", basis="because")
    tickets.set_paid(ws, d["tid"], True, "настройка рекламы не входит в услуги", basis="unrelated")
    d = listing.ticket_detail(ws, d["tid"])
    assert (d["paid"], d["paid_basis"]) == (True, "unrelated")
    page = read_ticket_page(ws, d["tid"], "ru")
    assert page.acts.paid_words == "работа не связана с услугами клиента: настройка рекламы не входит в услуги"


def test_expired_contract_keeps_its_basis(ws, clock) -> None:
    clients.add_client(ws, "Old Co", domains=["old.example"], plan="commercial", active_until=date(2026, 1, 31))
    d = _mail_in(ws, clock, TUESDAY_NOON, "Форма", sender="a@old.example")
    assert d["paid_basis"] == "contract_expired" and d["paid_reason"] == "contract expired on 2026-01-31"
    assert explain_paid("contract_expired", d["paid_reason"], "ru", active_until=date(2026, 1, 31)) == \
        "договор клиента истёк 31.01.2026"


def test_a_logged_call_outside_hours_is_suggested_too(ws, clock) -> None:
    _clients(ws)
    clock.t = SATURDAY_NIGHT
    tid = tickets.log_contact(ws, channel=Channel.PHONE,
                              client="ООО «Ромашка»", requester="boss@romashka.ru",
                              subject="Сайт лежит", text="Просят срочно поднять сайт")
    d = listing.ticket_detail(ws, tid)
    assert "paid_suggested" in d["flags"] and d["paid_basis"] == "outside_hours"


def test_ticket_paid_on_the_command_line(ws, clock, capsys) -> None:
    _clients(ws)
    home = str(ws.paths.home)
    d = _mail_in(ws, clock, SATURDAY_NIGHT, "СРОЧНО: сайт не работает")
    assert main(["--home", home, "ticket", "paid", d["tid"], "--confirm"]) == 0
    assert "paid work confirmed (urgent work asked outside the plan's hours" in capsys.readouterr().out
    assert listing.ticket_detail(ws, d["tid"])["paid"] is True
    assert main(["--home", home, "ticket", "paid", d["tid"], "--clear"]) == 0
    assert listing.ticket_detail(ws, d["tid"])["paid"] is False
    assert main(["--home", home, "ticket", "paid", d["tid"], "--set", "--basis", "unrelated",
                 "--reason", "реклама"]) == 0
    d = listing.ticket_detail(ws, d["tid"])
    assert (d["paid"], d["paid_basis"], d["paid_reason"]) == (True, "unrelated", "реклама")
    capsys.readouterr()
    assert main(["--home", home, "ticket", "paid", d["tid"]]) == 2
    assert "--confirm, --clear, or --set" in capsys.readouterr().err
    assert main(["--home", home, "ticket", "paid", d["tid"], "--confirm"]) == 1  # nothing suggested now
    assert "nothing suggests" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        main(["--home", home, "ticket", "paid", d["tid"], "--confirm", "--clear"])
    assert exc.value.code == 2


def test_old_rows_get_their_basis_from_the_migration(tmp_path: Path) -> None:
    """0014 reads the basis out of the sentence older versions stored."""
    from alembic import command
    from sqlalchemy import create_engine, text

    from desktop.store.db import alembic_config

    url = f"sqlite:///{tmp_path / 'old.db'}"
    cfg = alembic_config(url)
    command.upgrade(cfg, "0012")
    engine = create_engine(url)
    with engine.begin() as c:
        for n, (paid, reason) in enumerate([(False, "contract expired on 2026-01-31"), (True, "по договорённости"),
                                            (False, "")], start=1):
            c.execute(text("INSERT INTO tickets (id, number, tid, subject, requester, requester_name, channel, "
                           "category, priority, priority_rank, status, reason_note, paid, paid_reason, "
                           "paid_confirmed, written_only, password_reminder, archived, flags, received_at, "
                           "created_at, updated_at, version) VALUES (:n, :n, :tid, '', '', '', 'email', 'other', "
                           "'normal', 1, 'new', '', :paid, :reason, 0, 0, 0, 0, '[]', :at, :at, :at, 1)"),
                      {"n": n, "tid": f"TID-{n:06d}", "paid": paid, "reason": reason, "at": "2026-11-17 07:00:00"})
    command.upgrade(cfg, "0018")
    with engine.begin() as c:
        assert [r[0] for r in c.execute(text("SELECT paid_basis FROM tickets ORDER BY id"))] == [
            "contract_expired", "other", None]
    engine.dispose()
