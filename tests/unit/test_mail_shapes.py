"""Real-world mail shapes the parser must read whole (R-MAIL-5): each with its own messages,
Russian ones among them, parsed and then stored through the real intake."""

from __future__ import annotations

from desktop.mail.compose import is_mail_address
from desktop.mail.headers import usable_address
from desktop.mail.parse import parse_message
from desktop.services.reads import listing
from tests.unit.test_ingest import account, ingest


def eml(headers: str, body: str | bytes = "Здравствуйте!\n", *, ctype: str = "text/plain; charset=utf-8") -> bytes:
    head = headers.strip("\n").replace("\n", "\r\n") + "\r\n"
    if ctype:
        head += f"MIME-Version: 1.0\r\nContent-Type: {ctype}\r\nContent-Transfer-Encoding: 8bit\r\n"
    data = body if isinstance(body, bytes) else body.encode("utf-8")
    return head.encode("utf-8") + b"\r\n" + data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


COMMON = "To: support@reglament.test\nDate: Tue, 17 Nov 2026 09:58:00 +0300\n"


# --- a 7-bit charset: ISO-2022-JP ----------------------------------------------------------------

JP_SUBJECT = "=?ISO-2022-JP?B?GyRCJCpMZCQkOWckbyQ7ISdAQTVhPXEkSyREJCQkRhsoQg==?="
JP_NAME = "=?ISO-2022-JP?B?GyRCOzNFRBsoQiAbJEJCQE86GyhC?="
JP_BODY = "いつもお世話になっております。\n請求書が届いていません。\n"


def test_iso_2022_jp_subject_name_and_body_are_decoded_not_shown_as_escapes() -> None:
    raw = eml(f"From: {JP_NAME} <yamada@example.jp>\nSubject: {JP_SUBJECT}\nMessage-ID: <jp1@example.jp>\n"
              + COMMON, JP_BODY.encode("iso2022_jp"), ctype="text/plain; charset=ISO-2022-JP")
    parsed = parse_message(raw)
    assert parsed.subject == "お問い合わせ：請求書について"
    assert parsed.from_name == "山田 太郎" and parsed.from_addr == "yamada@example.jp"
    assert parsed.text == JP_BODY.strip()
    assert "\x1b" not in parsed.subject + parsed.text + parsed.from_name
    assert parse_message(raw, fast=False).text == parsed.text


def test_undeclared_iso_2022_jp_in_a_header_and_body_is_read_too() -> None:
    subject = "請求書".encode("iso2022_jp")
    raw = (b"From: yamada@example.jp\r\nSubject: " + subject + b"\r\nMessage-ID: <jp2@example.jp>\r\n\r\n"
           + JP_BODY.encode("iso2022_jp").replace(b"\n", b"\r\n"))
    parsed = parse_message(raw)
    assert parsed.subject == "請求書" and parsed.text == JP_BODY.strip()


# --- multipart/mixed with HTML and plain parts side by side --------------------------------------

SIDE_BY_SIDE = """--mix
Content-Type: text/html; charset=utf-8

<p>Здравствуйте! <b>Не формируется акт за ноябрь</b>, ошибка 500.</p>
--mix
Content-Type: text/plain; charset=utf-8

--
Рассылка «Новости Ромашки»: отписаться https://romashka.example/u
--mix--
"""

APPLE_TEXT_HTML_TEXT = """--apple
Content-Type: text/plain; charset=utf-8

Добрый день! Вот скриншот ошибки:
--apple
Content-Type: text/html; charset=utf-8

<html><body><img src="cid:shot@apple"><p>(скриншот)</p></body></html>
--apple
Content-Type: text/plain; charset=utf-8

И ещё вопрос: почему не приходят счета на почту?
--apple--
"""


def test_html_and_plain_side_by_side_are_both_the_body_in_text_and_in_html() -> None:
    raw = eml("From: m.ivanova@romashka.ru\nSubject: Акт\nMessage-ID: <mix1@romashka.ru>\n" + COMMON,
              SIDE_BY_SIDE, ctype='multipart/mixed; boundary="mix"')
    for parsed in (parse_message(raw), parse_message(raw, fast=False)):
        assert "Не формируется акт за ноябрь" in parsed.text and "отписаться" in parsed.text
        assert parsed.text.index("акт за ноябрь") < parsed.text.index("отписаться")
        assert parsed.html is not None
        assert "<b>Не формируется акт за ноябрь</b>" in parsed.html and "отписаться" in parsed.html


def test_apple_mail_text_html_text_keeps_the_question_after_the_picture() -> None:
    raw = eml("From: m.ivanova@romashka.ru\nSubject: Ошибка\nMessage-ID: <apple1@romashka.ru>\n" + COMMON,
              APPLE_TEXT_HTML_TEXT, ctype='multipart/mixed; boundary="apple"')
    parsed = parse_message(raw)
    assert parsed.html is not None
    for view in (parsed.text, parsed.html):
        assert "Вот скриншот ошибки" in view and "почему не приходят счета" in view
        assert view.index("Вот скриншот") < view.index("почему не приходят")
    assert "(скриншот)" in parsed.text


def test_alternative_still_shows_one_version_not_both() -> None:
    body = """--alt
Content-Type: text/plain; charset=utf-8

Вопрос простым текстом
--alt
Content-Type: text/html; charset=utf-8

<p>Вопрос в HTML</p>
--alt--
"""
    parsed = parse_message(eml("From: a@romashka.ru\nSubject: x\nMessage-ID: <alt1@r>\n" + COMMON, body,
                               ctype='multipart/alternative; boundary="alt"'))
    assert parsed.text == "Вопрос простым текстом"
    assert parsed.html is not None and "Вопрос в HTML" in parsed.html and "простым" not in parsed.html


# --- the sender ----------------------------------------------------------------------------------


def test_encoded_display_name_holding_a_comma_stays_one_sender() -> None:
    name = "=?utf-8?Q?=D0=98=D0=B2=D0=B0=D0=BD=D0=BE=D0=B2=D0=B0,_=D0=9C=D0=B0=D1=80=D0=B8=D1=8F?="
    parsed = parse_message(eml(f"From: {name} <m.ivanova@romashka.ru>\nSubject: Вопрос\nMessage-ID: <c1@r>\n"
                               + COMMON))
    assert (parsed.from_name, parsed.from_addr) == ("Иванова, Мария", "m.ivanova@romashka.ru")


def test_empty_entry_second_from_and_reply_to_fallback_give_a_requester() -> None:
    cases = {
        "From: <>, Мария <m.ivanova@romashka.ru>\n": "m.ivanova@romashka.ru",
        "From: <>\nFrom: Мария <m.ivanova@romashka.ru>\n": "m.ivanova@romashka.ru",
        "Reply-To: Мария Иванова <m.ivanova@romashka.ru>\n": "m.ivanova@romashka.ru",
        "From: undisclosed-recipients:;\nReply-To: m.ivanova@romashka.ru\n": "m.ivanova@romashka.ru",
        "From: Мария <m.ivanova@romashka.ru.>\nReply-To: m.ivanova@romashka.ru\n": "m.ivanova@romashka.ru",
        "From: <>\nSender: robot@romashka.ru\n": "robot@romashka.ru",
    }
    for n, (senders, expected) in enumerate(cases.items()):
        parsed = parse_message(eml(senders + f"Subject: Вопрос {n}\nMessage-ID: <s{n}@r>\n" + COMMON))
        assert parsed.from_addr == expected, senders


def test_a_requester_found_in_reply_to_is_acknowledged(ws, clock) -> None:
    acc = account(ws)
    raw = eml("From: <>\nReply-To: Мария Иванова <m.ivanova@romashka.ru>\nSubject: Не работает выгрузка\n"
              "Message-ID: <rt1@romashka.ru>\n" + COMMON)
    report = ingest(ws, acc, raw)
    assert len(report.new_tickets) == 1 and report.acknowledged == 1
    detail = listing.ticket_detail(ws, report.new_tickets[0])
    assert detail["requester"] == "m.ivanova@romashka.ru"


def test_an_address_with_a_trailing_dot_is_refused_and_gets_no_acknowledgement(ws, clock) -> None:
    for bad in ("ivan@mail.ru.", "ivan.@mail.ru", ".ivan@mail.ru", "ivan@mail..ru", "ivan@-mail.ru"):
        assert not usable_address(bad) and not is_mail_address(bad), bad
    for good in ("ivan@mail.ru", "i.petrov+tag@mail.ru", "иван@почта.рф", "ivan@[192.0.2.1]"):
        assert usable_address(good) and is_mail_address(good), good
    acc = account(ws)
    report = ingest(ws, acc, eml("From: Иван <ivan@mail.ru.>\nSubject: Вопрос\nMessage-ID: <dot@r>\n" + COMMON))
    assert len(report.new_tickets) == 1 and report.acknowledged == 0
    assert report.suppressed == {"invalid-sender": 1}


# --- a malformed line inside the header block ----------------------------------------------------


def test_an_unindented_continuation_does_not_end_the_headers() -> None:
    raw = (
        "Subject: Не приходят уведомления\nо новых заказах на сайте\nFrom: Мария <m.ivanova@romashka.ru>\n"
        "Message-ID: <fold@romashka.ru>\n" + COMMON + "MIME-Version: 1.0\n"
        "Content-Type: text/plain; charset=utf-8\n\nТекст письма.\n"
    ).replace("\n", "\r\n").encode()
    for parsed in (parse_message(raw), parse_message(raw, fast=False)):
        assert parsed.subject == "Не приходят уведомления о новых заказах на сайте"
        assert parsed.from_addr == "m.ivanova@romashka.ru" and parsed.message_id == "<fold@romashka.ru>"
        assert parsed.text == "Текст письма."
        assert any("joined to subject" in p for p in parsed.problems)


def test_a_stray_line_between_headers_is_dropped_and_the_rest_is_read() -> None:
    raw = (
        "From: Мария <m.ivanova@romashka.ru>\nthis line is not a header\nSubject: Вопрос по договору\n"
        "Message-ID: <stray@romashka.ru>\n" + COMMON + "MIME-Version: 1.0\n"
        'Content-Type: multipart/mixed; boundary="b"\n\n--b\nContent-Type: text/plain; charset=utf-8\n\n'
        "Прошу продлить договор.\n--b--\n"
    ).replace("\n", "\r\n").encode()
    parsed = parse_message(raw)
    assert (parsed.subject, parsed.from_addr) == ("Вопрос по договору", "m.ivanova@romashka.ru")
    assert parsed.message_id == "<stray@romashka.ru>" and parsed.text == "Прошу продлить договор."
    assert any("dropped" in p for p in parsed.problems)


def test_a_body_that_starts_without_its_blank_line_stays_the_body() -> None:
    raw = b"From: m.ivanova@romashka.ru\r\nSubject: x\r\nHello, this is the body\r\nsecond line\r\n\r\nmore\r\n"
    parsed = parse_message(raw)
    assert parsed.subject == "x" and "Hello, this is the body" in parsed.text


def test_each_shape_is_stored_right_through_intake(ws, clock) -> None:
    from desktop.services.reads.ticket_page import read_ticket_page

    acc = account(ws)
    jp = eml(f"From: {JP_NAME} <yamada@example.jp>\nSubject: {JP_SUBJECT}\nMessage-ID: <jp3@example.jp>\n"
             + COMMON, JP_BODY.encode("iso2022_jp"), ctype="text/plain; charset=ISO-2022-JP")
    mixed = eml("From: =?utf-8?Q?=D0=98=D0=B2=D0=B0=D0=BD=D0=BE=D0=B2=D0=B0,_=D0=9C=D0=B0=D1=80=D0=B8=D1=8F?= "
                "<m.ivanova@romashka.ru>\nSubject: Акт\nMessage-ID: <mix2@romashka.ru>\n" + COMMON,
                SIDE_BY_SIDE, ctype='multipart/mixed; boundary="mix"')
    folded = ("Subject: Не приходят уведомления\nо новых заказах\nFrom: p.petrov@romashka.ru\n"
              "Message-ID: <fold2@romashka.ru>\n" + COMMON + "\nТекст.\n").replace("\n", "\r\n").encode()
    report = ingest(ws, acc, jp, mixed, folded)
    assert len(report.new_tickets) == 3 and report.acknowledged == 3
    first, second, third = (read_ticket_page(ws, tid) for tid in report.new_tickets)
    assert (first.subject, first.requester_name) == ("お問い合わせ：請求書について", "山田 太郎")
    assert first.messages[0].text == JP_BODY.strip()
    assert (second.requester, second.requester_name) == ("m.ivanova@romashka.ru", "Иванова, Мария")
    incoming = second.messages[0]
    assert "акт за ноябрь" in incoming.text and "отписаться" in incoming.text
    html = second.html_bodies[incoming.id]
    assert "акт за ноябрь" in html and "отписаться" in html
    assert (third.subject, third.requester) == ("Не приходят уведомления о новых заказах", "p.petrov@romashka.ru")


def test_what_was_cut_or_repaired_is_in_the_ticket_history(ws, clock) -> None:
    acc = account(ws)
    huge = "Subject: " + " ".join(["=?utf-8?B?0J/RgNC40LLQtdGC?="] * 3000)
    raw = eml("From: <>\nReply-To: m.ivanova@romashka.ru\n" + huge + "\nMessage-ID: <cut@romashka.ru>\n" + COMMON)
    [tid] = ingest(ws, acc, raw).new_tickets
    [line] = [h for h in listing.ticket_detail(ws, tid)["history"] if h["action"] == "mail_repaired"]
    assert "header subject was 87,010 bytes long; cut to" in line["new"] and "sender taken from reply-to" in line["new"]
    plain = ingest(ws, acc, eml("From: p@romashka.ru\nSubject: x\nMessage-ID: <plain@r>\n" + COMMON), start_uid=9)
    assert not [h for h in listing.ticket_detail(ws, plain.new_tickets[0])["history"]
                if h["action"] == "mail_repaired"]
