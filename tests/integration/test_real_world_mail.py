"""Real-world mail shapes and loop gaps end to end: a real Dovecot in, a real SMTP server out.

Each shape of issue 17 is stored right and acknowledged to the right address; the mail that must
never be answered (our own +tagged address, a List-Unsubscribe newsletter, autoresponders by
header or by subject) gets no acknowledgement, and the loop breaker's counts are on the ticket.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from desktop.services.background.outbox import drain_outbox
from desktop.services.background.sync import sync_account_once
from desktop.services.reads.ticket_page import read_ticket_page
from tests.integration.conftest import Mailbox
from tests.integration.sync_support import SUPPORT, make_account
from tests.servers.smtp import SmtpServer
from tests.unit.memory_keyring import MemoryKeyring
from tests.unit.test_mail_shapes import COMMON, JP_BODY, JP_NAME, JP_SUBJECT, SIDE_BY_SIDE, eml

pytestmark = pytest.mark.integration


def test_each_shape_is_stored_right_and_only_people_are_acknowledged(
    ws: Any, memory_keyring: MemoryKeyring, mailbox: Mailbox, smtp_server_factory: Callable[..., SmtpServer],
) -> None:
    smtp = smtp_server_factory(users={mailbox.user: mailbox.password}, require_auth=True)
    account_id = make_account(ws, mailbox, smtp)
    tagged = SUPPORT.replace("@", "+billing@")
    mail = {
        "jp": eml(f"From: {JP_NAME} <yamada@example.jp>\nSubject: {JP_SUBJECT}\nMessage-ID: <jp@example.jp>\n"
                  + COMMON, JP_BODY.encode("iso2022_jp"), ctype="text/plain; charset=ISO-2022-JP"),
        "mixed": eml("From: =?utf-8?Q?=D0=98=D0=B2=D0=B0=D0=BD=D0=BE=D0=B2=D0=B0,_=D0=9C=D0=B0=D1=80=D0=B8=D1=8F?= "
                     "<m.ivanova@romashka.example>\nSubject: Акт\nMessage-ID: <mix@romashka.example>\n" + COMMON,
                     SIDE_BY_SIDE, ctype='multipart/mixed; boundary="mix"'),
        "reply_to": eml("From: <>\nReply-To: Пётр <p.petrov@romashka.example>\nSubject: Нет доступа\n"
                        "Message-ID: <rt@romashka.example>\n" + COMMON),
        "folded": ("Subject: Не приходят уведомления\nо новых заказах\nFrom: o.sidorova@romashka.example\n"
                   "Message-ID: <fold@romashka.example>\n" + COMMON + "\nТекст.\n").replace("\n", "\r\n").encode(),
        "dot": eml("From: Иван <ivan@mail.example.>\nSubject: Вопрос\nMessage-ID: <dot@mail.example>\n" + COMMON),
        "tagged": eml(f"From: {tagged}\nSubject: Пересылка\nMessage-ID: <own@reglament.test>\n" + COMMON),
        "newsletter": eml("From: news@shop.example\nSubject: Скидки недели\nMessage-ID: <n@shop.example>\n"
                          "List-Unsubscribe: <mailto:unsub@shop.example>\n" + COMMON),
        "x_autoreply": eml("From: a.robot@partner.example\nSubject: Re: Вопрос\nMessage-ID: <xa@partner.example>\n"
                           "X-Autoreply: yes\n" + COMMON),
        "vacation_ru": eml("From: k.orlova@partner.example\nSubject: Автоответ: Re: Вопрос\n"
                           "Message-ID: <v1@partner.example>\n" + COMMON),
        "vacation_en": eml("From: j.smith@partner.example\nSubject: Out of Office: Re: Question\n"
                           "Message-ID: <v2@partner.example>\n" + COMMON),
    }
    mailbox.append_many(list(mail.values()))
    report = sync_account_once(ws, account_id)
    assert report.ok and len(report.new_tickets) == len(mail)
    assert report.suppressed == {"invalid-sender": 1, "own-address": 1, "list-unsubscribe": 1,
                                 "auto-submitted": 1, "vacation-subject": 2}
    pages = {name: read_ticket_page(ws, tid) for name, tid in zip(mail, report.new_tickets, strict=True)}

    def incoming(name: str) -> Any:
        return next(m for m in pages[name].messages if m.direction == "in")

    assert (pages["jp"].subject, pages["jp"].requester_name) == ("お問い合わせ：請求書について", "山田 太郎")
    assert incoming("jp").text == JP_BODY.strip()
    mixed = pages["mixed"]
    assert (mixed.requester, mixed.requester_name) == ("m.ivanova@romashka.example", "Иванова, Мария")
    assert "акт за ноябрь" in incoming("mixed").text and "отписаться" in incoming("mixed").text
    html = mixed.html_bodies[incoming("mixed").id]
    assert "акт за ноябрь" in html and "отписаться" in html
    assert pages["reply_to"].requester == "p.petrov@romashka.example"
    assert pages["folded"].subject == "Не приходят уведомления о новых заказах"
    assert pages["folded"].requester == "o.sidorova@romashka.example"

    drain_outbox(ws)
    delivered = smtp.wait_for(4)
    assert sorted(r for m in delivered for r in m.rcpt_tos) == sorted([
        "yamada@example.jp", "m.ivanova@romashka.example", "p.petrov@romashka.example",
        "o.sidorova@romashka.example"])
    assert len(smtp.messages) == 4
