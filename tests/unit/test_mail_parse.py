"""parse_message on real-world-shaped mail (tests/unit/mail_samples/) and on generated extremes.

Every sample is read twice — with the fast structure reader and with the standard library only —
and both must agree, so the fallback path is exercised as thoroughly as the fast one.
"""

from __future__ import annotations

import base64
import hashlib
import tracemalloc
from datetime import UTC, datetime, timedelta, timezone
from email.message import EmailMessage
from pathlib import Path

import pytest

from desktop.mail.charsets import decode_header_text, decode_text
from desktop.mail.parse import MessageParseError, ParsedMessage, parse_message

SAMPLES = Path(__file__).parent / "mail_samples"
MSK = timezone(timedelta(hours=3))
KOI_TEXT = (
    "Здравствуйте! Письма от нашего сайта не доходят до клиентов уже второй день. Что делать?"
)


def load(name: str, fast: bool = True) -> ParsedMessage:
    return parse_message((SAMPLES / name).read_bytes(), fast=fast)


both = pytest.mark.parametrize("fast", [True, False], ids=["fast", "stdlib"])


def all_samples() -> list[str]:
    names = sorted(p.name for p in SAMPLES.glob("*.eml"))
    assert len(names) >= 20
    return names


@pytest.mark.parametrize("name", all_samples())
def test_fast_and_stdlib_readers_agree(name: str) -> None:
    fast, slow = load(name), load(name, fast=False)
    for attribute in (
        "message_id", "in_reply_to", "references", "subject", "from_addr", "from_name", "to",
        "cc", "reply_to", "date", "text", "html", "loop_headers", "raw_size", "content_hash",
    ):  # fmt: skip
        assert getattr(fast, attribute) == getattr(slow, attribute), attribute
    assert [(a.filename, a.content_type, a.content_id, a.inline) for a in fast.attachments] == [
        (a.filename, a.content_type, a.content_id, a.inline) for a in slow.attachments
    ]
    for a, b in zip(fast.attachments, slow.attachments, strict=True):
        if not a.content_type.startswith("message/"):  # those the stdlib re-serialises
            assert a.data == b.data
    assert not fast.problems or fast.problems == slow.problems


@pytest.mark.parametrize("name", all_samples())
def test_every_string_is_storable(name: str) -> None:
    parsed = load(name)
    texts = [parsed.subject, parsed.text, parsed.html or "", parsed.from_name]
    texts += [a.filename for a in parsed.attachments] + list(parsed.loop_headers.values())
    for text in texts:
        text.encode("utf-8")  # no lone surrogates
        assert "\x00" not in text
    assert parsed.content_hash == hashlib.sha256((SAMPLES / name).read_bytes()).hexdigest()
    assert parsed.raw_size == (SAMPLES / name).stat().st_size


@both
def test_multipart_alternative_quoted_printable(fast: bool) -> None:
    m = load("alternative_utf8_qp.eml", fast)
    assert m.subject == "Не работает почта"
    assert (m.from_name, m.from_addr) == ("Иван Петров", "ivan@client.example")
    assert m.message_id == "<20250304101500.12345@client.example>"
    assert m.date == datetime(2025, 3, 4, 10, 15, tzinfo=MSK)
    assert m.text.startswith("Добрый день!\n\nНе работает отправка почты")
    # the soft line breaks of quoted-printable are gone, the long line is whole again
    assert "посреди многобайтовых символов UTF-8. Очень длинная строка" in m.text
    assert "=\n" not in m.text
    assert m.html is not None and "<p>Добрый день!</p>" in m.html
    assert "tracker.example" not in m.html  # the tracking pixel's URL is gone
    assert m.attachments == []


@both
def test_apple_mail_related_inline_image(fast: bool) -> None:
    m = load("apple_mail_related.eml", fast)
    assert m.text == "Hello, the screenshot is below.\n\nThanks, Anna"
    assert m.html is not None
    assert 'src="cid:F1E2D3C4-0000-1111@client.example"' in m.html
    assert "onerror" not in m.html
    (image,) = m.attachments
    assert image.inline and image.content_type == "image/png"
    assert image.content_id == "F1E2D3C4-0000-1111@client.example"
    assert image.filename == "Screen Shot 2025-03-05 at 09.00.png"
    assert image.data.startswith(b"\x89PNG")


@both
def test_outlook_windows_1251_with_related_and_encoded_attachment_name(fast: bool) -> None:
    m = load("outlook_mixed.eml", fast)
    assert m.subject == "Вопрос по счёту"
    assert m.from_name == "Петров Петр"  # display name in KOI8-R encoded words
    assert [a.addr for a in m.cc] == ["maria@corp.client.example", "boss@corp.client.example"]
    assert m.cc[0].name == "Мария Сидорова"
    assert "Вопрос по оплате: какие реквизиты указать?" in m.text
    assert m.html is not None
    assert "evil.example" not in m.html and "background" not in m.html
    assert "<style" not in m.html and "MsoNormal {" not in m.html
    names = [(a.filename, a.inline) for a in m.attachments]
    assert names == [("image001.png", True), ("Счет №15.pdf", False)]
    assert m.attachments[1].data.startswith(b"%PDF-1.4")
    assert m.attachments[0].content_id == "image001.png@01DB8E5A.12345670"


@both
def test_rfc2231_continuation_with_utf8_split_between_segments(fast: bool) -> None:
    m = load("rfc2231_continuation.eml", fast)
    (doc,) = m.attachments
    assert doc.filename == "Акт выполненных работ за февраль 2025 года (подписанный).docx"
    assert doc.original_filename == doc.filename
    assert not doc.inline
    assert doc.data.startswith(b"PK\x03\x04") and doc.size == 4 + 256 * 4
    assert m.text == "Акт во вложении."


@both
def test_encoded_words_split_mid_character_and_whitespace_rules(fast: bool) -> None:
    m = load("subject_encoded_words.eml", fast)
    # whitespace between adjacent encoded words vanishes (the UTF-8 character split across them
    # is rejoined); whitespace next to plain text stays; KOI8-R word decoded
    assert m.subject == "Заявка: не открывается личный кабинет (ID 77) Срочно"
    assert m.from_name == "ООО «Ромашка»"
    assert m.date == datetime(2025, 3, 8, 8, 0, tzinfo=UTC)  # "-0000" → UTC, still aware


@pytest.mark.parametrize(
    "name",
    [
        "koi8r_declared.eml",
        "koi8r_undeclared.eml",
        "cp1251_undeclared_base64.eml",
        "cp866_declared.eml",
        "unknown_charset_label.eml",
        "wrong_charset_koi8_is_cp1251.eml",
        "wrong_charset_latin1_is_cp1251.eml",
        "wrong_charset_utf8_is_cp1251.eml",
        "wrong_charset_cp1251_is_utf8.eml",
    ],
)
@both
def test_cyrillic_in_any_charset_comes_out_right(name: str, fast: bool) -> None:
    assert load(name, fast).text == KOI_TEXT


@both
def test_wrong_declared_charset_is_recorded(fast: bool) -> None:
    m = load("wrong_charset_koi8_is_cp1251.eml", fast)
    assert m.problems == ["text/plain: declared charset koi8-r, read as cp1251"]
    assert load("koi8r_declared.eml", fast).problems == []


@both
def test_cp1251_quoted_printable_soft_breaks(fast: bool) -> None:
    text = load("cp1251_declared_qp.eml", fast).text
    assert text.startswith(KOI_TEXT + "\nОчень длинная строка без переносов")
    assert "=\n" not in text and "=\r" not in text


@both
def test_missing_message_id_and_date(fast: bool) -> None:
    m = load("no_msgid_no_date.eml", fast)
    assert m.message_id is None and m.date is None
    assert m.subject == "hello" and m.text == "Body without Message-ID or Date."


@both
def test_raw_8bit_headers_are_decoded(fast: bool) -> None:
    m = load("raw_8bit_headers.eml", fast)
    assert m.subject == "Вопрос по счёту №42"  # raw UTF-8
    assert m.from_name == "Сергей Иванов"  # raw windows-1251
    assert m.from_addr == "sergey@client.example"


@both
def test_raw_8bit_file_names(fast: bool) -> None:
    m = load("raw_8bit_filenames.eml", fast)
    assert m.text == "Файлы во вложении."  # windows-1251 declared, 8bit
    assert [a.filename for a in m.attachments] == [
        "Счёт на оплату.pdf",  # raw windows-1251 bytes
        "Акт сверки.xlsx",  # raw UTF-8 bytes
        "Café menu.pdf",  # raw Latin-1: a lone accented letter is not taken for Cyrillic
    ]


@both
def test_html_only_message_is_sanitized_and_gives_text(fast: bool) -> None:
    m = load("html_only_hostile.eml", fast)
    assert m.html is not None
    lowered = m.html.lower()
    for forbidden in ("<script", "onload", "javascript:", "tracker.example", "evil.example",
                      "<iframe", "<link", "url(", "рассылка"):  # fmt: skip
        assert forbidden not in lowered, forbidden
    assert 'href="https://client.example/status"' in m.html
    assert m.text == (
        "Здравствуйте!\n\nСайт не работает с утра.\n\n- Ошибка 502\n- Ошибка 504\n\nнажмите статус"
        "\n\nфон"
    )


@both
def test_dsn_bounce_parts(fast: bool) -> None:
    m = load("dsn_bounce.eml", fast)
    assert m.from_addr == "mailer-daemon@mx.reglament.example"
    assert "User unknown" in m.text
    assert m.loop_headers["return-path"] == "<>"
    assert m.loop_headers["content-type"].startswith("multipart/report; report-type=delivery-status")
    types = [a.content_type for a in m.attachments]
    assert types == ["message/delivery-status", "message/rfc822"]
    original = m.attachments[1]
    assert original.filename == "[TID-000123] Your request was received.eml"
    assert b"Message-ID: <ack-123@reglament.example>" in original.data


@both
def test_autoreply_headers_and_threading(fast: bool) -> None:
    m = load("autoreply_ooo.eml", fast)
    assert m.loop_headers["auto-submitted"] == "auto-replied"
    assert m.loop_headers["precedence"] == "bulk"
    assert m.in_reply_to == "<ack-123@reglament.example>"
    assert m.references == ["<orig-1@client.example>", "<ack-123@reglament.example>"]
    assert m.subject == "Автоответ: [TID-000123] Не работает почта"


@both
def test_hostile_attachment_names_are_made_safe(fast: bool) -> None:
    m = load("forward_and_hostile_names.eml", fast)
    names = [a.filename for a in m.attachments]
    assert names == [
        "Original problem.eml", "_.._.bashrc", "_CON.txt", "invoicefdp.exe", "attachment-1.bin"
    ]  # fmt: skip
    assert m.attachments[1].original_filename == "../../.bashrc"
    assert m.attachments[3].original_filename == "invoice\u202efdp.exe"
    assert m.attachments[4].original_filename is None
    assert m.attachments[4].data == b"\x00\x01\x02"
    assert m.text == "See attached."


def build(**headers: str) -> EmailMessage:
    msg = EmailMessage()
    for name, value in headers.items():
        msg[name.replace("_", "-")] = value
    return msg


def test_five_megabyte_attachment_is_exact_and_memory_is_bounded() -> None:
    payload = bytes(range(256)) * (5 * 1024 * 1024 // 256)
    msg = build(From="a@example.com", To="b@example.com", Subject="big")
    msg.set_content("see attachment")
    msg.add_attachment(payload, maintype="application", subtype="zip", filename="архив.zip")
    raw = msg.as_bytes()
    tracemalloc.start()
    try:
        parsed = parse_message(raw)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    (attachment,) = parsed.attachments
    assert attachment.data == payload and attachment.filename == "архив.zip"
    assert parsed.text == "see attachment"
    # raw (6.9 MB of base64) is the caller's; decoding must not keep many copies around
    assert peak < 4 * len(raw), peak


def test_references_are_deduplicated_and_capped() -> None:
    ids = " ".join(f"<id{i}@x>" for i in range(200))
    raw = f"From: a@b\r\nReferences: <id0@x> {ids}\r\nIn-Reply-To: junk <p@x> (c)\r\n\r\nhi".encode()
    m = parse_message(raw)
    assert len(m.references) == 50
    assert m.references[0] == "<id0@x>" and m.references[-1] == "<id199@x>"
    assert m.in_reply_to == "<p@x>"


def test_message_ids_without_brackets_are_normalised() -> None:
    m = parse_message(b"Message-ID: abc@host \r\nReferences: one@x two@y\r\n\r\nbody")
    assert m.message_id == "<abc@host>"
    assert m.references == ["<one@x>", "<two@y>"]
    assert parse_message(b"Message-ID:   \r\n\r\nbody").message_id is None


def test_broken_date_is_none() -> None:
    for value in ("yesterday", "Mon, 99 Foo 2025 99:99:99 +0300", "", "Tue, 1 Jan 99999 00:00 +0000"):
        assert parse_message(f"Date: {value}\r\n\r\nx".encode()).date is None


def test_empty_input_is_a_parse_error() -> None:
    for raw in (b"", b"   \r\n"):
        with pytest.raises(MessageParseError):
            parse_message(raw)
    with pytest.raises(MessageParseError):
        parse_message("text, not bytes")  # type: ignore[arg-type]


def test_body_without_headers() -> None:
    m = parse_message(b"\r\njust a body\r\n")
    assert m.subject == "" and m.from_addr == "" and "just a body" in m.text


def test_multipart_without_boundary_keeps_the_body() -> None:
    raw = b"Subject: x\r\nContent-Type: multipart/mixed\r\n\r\n--b\r\nthe only text\r\n"
    m = parse_message(raw)
    assert "the only text" in m.text


def test_truncated_base64_body_still_reads() -> None:
    body = base64.b64encode("Сообщение целиком".encode()).decode()[:-3]
    raw = (
        "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        + body
    ).encode()
    m = parse_message(raw)
    assert m.text.startswith("Сообщение")


def test_decode_header_text_edge_cases() -> None:
    assert decode_header_text("=?utf-8?q?a?= =?utf-8?q?b?=") == "ab"
    assert decode_header_text("=?utf-8?q?a?= b") == "a b"
    assert decode_header_text("=?unknown-x?q?abc?=") == "abc"
    assert decode_header_text("=?utf-8?b?!!!?=") == "=?utf-8?b?!!!?="  # broken: kept readable
    assert decode_header_text("C:\\users\\x =?utf-8?q?=D0=AF?=") == "C:\\users\\x Я"
    assert decode_header_text(None) == ""


def test_decode_text_contract() -> None:
    assert decode_text(b"plain", "koi8-r") == ("plain", "ascii", False)
    assert decode_text("Я".encode("utf-16"), "utf-16")[0] == "Я"
    text, codec, overridden = decode_text("Привет, мир".encode(), "windows-1251")
    assert (text, codec, overridden) == ("Привет, мир", "utf-8", True)
    text, _, _ = decode_text(b"\xff\xfe\xfd garbage \x80", "utf-8")
    assert isinstance(text, str)


def test_broken_part_in_a_huge_message_costs_only_that_part() -> None:
    """Above 16 MB the lenient reader would need ~8x the message; the rest is kept instead."""
    big = bytes(range(256)) * (17 * 1024 * 1024 // 256)
    msg = build(From="a@example.com", Subject="huge")
    msg.set_content("two attachments")
    msg.add_attachment(big, maintype="application", subtype="octet-stream", filename="big.bin")
    msg.add_attachment(b"small", maintype="application", subtype="octet-stream", filename="bad.bin")
    raw = msg.as_bytes().replace(base64.b64encode(b"small"), b"c21h!!!bGw")
    tracemalloc.start()
    try:
        parsed = parse_message(raw)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert [(a.filename, a.size) for a in parsed.attachments] == [
        ("big.bin", len(big)), ("bad.bin", 0)
    ]  # fmt: skip
    assert parsed.attachments[0].data == big
    assert any("could not be decoded" in p and "bad.bin" in p for p in parsed.problems)
    assert peak < 3 * len(raw), peak


def test_broken_part_in_a_small_message_is_read_leniently() -> None:
    msg = build(From="a@example.com", Subject="small")
    msg.set_content("one attachment")
    msg.add_attachment(b"small", maintype="application", subtype="octet-stream", filename="x.bin")
    raw = msg.as_bytes().replace(base64.b64encode(b"small"), b"c21h!!!bGw=")
    parsed = parse_message(raw)
    assert parsed.attachments[0].data == b"small"  # the stdlib skips the junk characters
    assert any("standard parser" in p for p in parsed.problems)
