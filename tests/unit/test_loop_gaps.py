"""Loop gaps (R-MAIL-4): mail that must never get an acknowledgement, through the whole intake,
and the loop breaker's counts as the agent sees them in the ticket detail."""

from __future__ import annotations

import pytest

from desktop.mail.loops import is_vacation_subject, should_suppress_autoreply
from desktop.mail.parse import parse_message
from desktop.services.reads import listing
from tests.unit.test_ingest import account, ingest, mail


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (mail("Вопрос по счёту", sender="support+billing@reglament.test"), "own-address"),
        (mail("Вопрос по счёту", sender="Support+Billing@Reglament.Test"), "own-address"),
        (mail("Скидки недели", sender="news@shop.example",
              extra="List-Unsubscribe: <mailto:unsub@shop.example>, <https://shop.example/u>\r\n"),
         "list-unsubscribe"),
        (mail("Re: Вопрос", sender="ivan@client.example", extra="X-Autoreply: yes\r\n"), "auto-submitted"),
        (mail("Re: Вопрос", sender="ivan@client.example", extra="X-Autorespond: Vacation\r\n"),
         "auto-submitted"),
        (mail("Re: Вопрос", sender="ivan@client.example", extra="X-AutoReply-From: ivan@client.example\r\n"),
         "auto-submitted"),
        (mail("Автоответ: Re: Вопрос", sender="ivan@client.example"), "vacation-subject"),
        (mail("Я в отпуске до 1 декабря", sender="ivan@client.example"), "vacation-subject"),
        (mail("Out of Office: Re: Question", sender="john@client.example"), "vacation-subject"),
        (mail("Automatic reply: invoice", sender="john@client.example"), "vacation-subject"),
        (mail("I am on vacation", sender="john@client.example"), "vacation-subject"),
    ],
)
def test_no_acknowledgement_for_loops_and_robots(ws, clock, raw: bytes, reason: str) -> None:
    acc = account(ws)
    report = ingest(ws, acc, raw)
    assert len(report.new_tickets) == 1 and report.acknowledged == 0
    assert report.suppressed == {reason: 1}


@pytest.mark.parametrize(
    "subject",
    ["Не работает отпуск в 1С: расчёт отпускных", "Вопрос про автоответчик на сайте", "Office 365 не входит",
     "Re: vacation request form is broken", "Оплата счёта за отпуск сотрудника"],
)
def test_questions_about_such_things_are_still_answered(subject: str) -> None:
    assert not is_vacation_subject(subject)
    parsed = parse_message(mail(subject, sender="ivan@client.example"))
    assert should_suppress_autoreply(parsed, ["support@reglament.test"], 0, 5) is None


def test_held_back_counts_are_shown_with_the_ticket(ws, clock) -> None:
    """"automatic replies held back for this sender: 3 this hour" — in the detail the window and
    ``ticket show`` read."""
    acc = account(ws)
    sender = "robot@partner.example"
    raws = [mail(f"Вопрос {n}", sender=sender, body=f"текст {n}") for n in range(8)]
    report = ingest(ws, acc, *raws)
    limit = 3  # mail.autoreply_per_hour's default
    assert report.acknowledged == limit and report.suppressed == {"rate-limit": 5}
    detail = listing.ticket_detail(ws, report.new_tickets[-1])
    assert detail["autoreplies"] == {"sender": sender, "sent_hour": 3, "held_back_hour": 5, "limit": limit}
    clock.advance(hours=2)
    later = listing.ticket_detail(ws, report.new_tickets[-1])
    assert later["autoreplies"]["held_back_hour"] == 0 and later["autoreplies"]["sent_hour"] == 0


def test_ticket_show_prints_the_counts(tmp_path) -> None:
    from desktop.services.workspace import open_workspace
    from tests.unit.test_cli import run

    home = tmp_path / "home"
    ws = open_workspace(home=home)  # the command's own clock: the counts are of this hour
    try:
        acc = account(ws)
        raws = [mail(f"Вопрос {n}", sender="robot@partner.example", body=f"текст {n}") for n in range(5)]
        report = ingest(ws, acc, *raws, at=ws.now())
    finally:
        ws.close()
    shown = run(home, "ticket", "show", report.new_tickets[-1])
    assert shown.returncode == 0, shown.stderr
    assert ("automatic replies held back for this sender: 2 this hour (sent 3 of 3 allowed an hour)"
            in shown.stdout)
