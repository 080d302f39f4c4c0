"""Outgoing messages: threading headers, encodings, loop markers — checked by reading them back."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from email.message import EmailMessage

import pytest

from desktop.errors import ValidationError
from desktop.mail.compose import (
    MAX_REFERENCES,
    OutgoingAttachment,
    build_message,
    ensure_tid_in_subject,
    reply_subject,
    reply_threading,
)
from desktop.mail.headers import Address
from desktop.mail.loops import should_suppress_autoreply
from desktop.mail.parse import parse_message

MSK = timezone(timedelta(hours=3))
WHEN = datetime(2025, 3, 4, 10, 15, 0, tzinfo=MSK)
OWN = "support@reglament.example"


def build(**overrides: object) -> tuple[EmailMessage, str]:
    kwargs: dict[str, object] = {
        "from_addr": OWN,
        "from_name": "Служба поддержки «Регламент»",
        "to": [("Иван Петров", "ivan@client.example")],
        "subject": "Re: [TID-000123] Не работает почта",
        "text": "Здравствуйте!\n\nПроверили — почта работает.\n",
        "domain_for_msgid": "reglament.example",
        "date": WHEN,
    }
    kwargs.update(overrides)
    return build_message(**kwargs)  # type: ignore[arg-type]


def test_round_trip_cyrillic_headers_and_body() -> None:
    msg, msg_id = build(cc=[Address("Мария", "maria@client.example")])
    raw = msg.as_bytes()
    assert all(byte < 128 for byte in raw), "7-bit clean for relays without 8BITMIME"
    assert b"\r\n" in raw and max(len(line) for line in raw.split(b"\r\n")) <= 998
    parsed = parse_message(raw)
    assert parsed.subject == "Re: [TID-000123] Не работает почта"
    assert (parsed.from_name, parsed.from_addr) == ("Служба поддержки «Регламент»", OWN)
    assert parsed.to == [Address("Иван Петров", "ivan@client.example")]
    assert parsed.cc == [Address("Мария", "maria@client.example")]
    assert parsed.text == "Здравствуйте!\n\nПроверили — почта работает."
    assert parsed.date == WHEN
    assert parsed.message_id == msg_id
    assert msg_id.startswith("<") and msg_id.endswith("@reglament.example>")
    assert b"[TID-000123]" in raw  # the TID stays greppable, outside any encoded word


def test_threading_headers() -> None:
    msg, _ = build(in_reply_to="<parent@client.example>", references=["<root@x>", "<mid@x>"])
    parsed = parse_message(msg.as_bytes())
    assert parsed.in_reply_to == "<parent@client.example>"
    assert parsed.references == ["<root@x>", "<mid@x>", "<parent@client.example>"]


def test_references_are_capped_keeping_root_and_newest() -> None:
    chain = [f"<m{i}@x>" for i in range(100)]
    msg, _ = build(in_reply_to="<m99@x>", references=chain)
    refs = str(msg["References"]).split()
    assert len(refs) == MAX_REFERENCES
    assert refs[0] == "<m0@x>" and refs[-1] == "<m99@x>"


def test_reply_threading_helper() -> None:
    parent, refs = reply_threading("<p@x>", ["<a@x>", "<b@x>", "<a@x>"])
    assert parent == "<p@x>" and refs == ["<a@x>", "<b@x>", "<p@x>"]
    assert reply_threading(None) == (None, [])
    assert reply_threading("bare@x")[0] == "<bare@x>"


def test_automatic_mail_is_marked_and_our_own_loop_rules_catch_it() -> None:
    msg, _ = build(auto_submitted="auto-replied")
    assert msg["Auto-Submitted"] == "auto-replied"
    assert msg["X-Auto-Response-Suppress"] == "All"
    assert msg["X-Loop"] == OWN
    parsed = parse_message(msg.as_bytes())
    assert should_suppress_autoreply(parsed, [], 0, 10) == "auto-submitted"


def test_agent_mail_is_not_marked_automatic() -> None:
    msg, _ = build()
    for header in ("Auto-Submitted", "X-Auto-Response-Suppress", "X-Loop"):
        assert msg[header] is None


def test_retry_keeps_the_message_id() -> None:
    first, msg_id = build()
    again, same = build(message_id=msg_id)
    assert same == msg_id and again["Message-ID"] == first["Message-ID"]


def test_html_and_attachments() -> None:
    msg, _ = build(
        html="<p>Здравствуйте!</p>",
        attachments=[
            OutgoingAttachment("Акт №5 от 04.03.2025.pdf", b"%PDF-1.4 data", "application/pdf"),
            OutgoingAttachment("log.txt", "строка".encode(), "text/plain"),
            OutgoingAttachment("blob", b"\x00\x01", "nonsense"),
        ],
    )
    parsed = parse_message(msg.as_bytes())
    assert parsed.html == "<p>Здравствуйте!</p>"
    assert parsed.text.startswith("Здравствуйте!")
    assert [(a.filename, a.content_type, a.data) for a in parsed.attachments] == [
        ("Акт №5 от 04.03.2025.pdf", "application/pdf", b"%PDF-1.4 data"),
        ("log.txt", "text/plain", "строка".encode()),
        ("blob", "application/octet-stream", b"\x00\x01"),
    ]


def test_header_injection_is_neutralised() -> None:
    msg, _ = build(subject="Hello\r\nBcc: victim@example.com", from_name="Evil\nX-Injected: 1")
    raw = msg.as_bytes()
    assert b"\r\nBcc:" not in raw and b"\r\nX-Injected:" not in raw
    assert parse_message(raw).subject == "Hello Bcc: victim@example.com"


def test_extra_headers() -> None:
    msg, _ = build(extra_headers={"X-Reglament-Ticket": "TID-000123"})
    assert msg["X-Reglament-Ticket"] == "TID-000123"
    for bad in ({"Message-ID": "<x@y>"}, {"Content-Type": "text/html"}, {"Bad Name": "x"},
                {"X-Loop": "a@b"}):  # fmt: skip
        with pytest.raises(ValidationError):
            build(extra_headers=bad)


@pytest.mark.parametrize("bad", ["", "no-at-sign", "two@@x", "a@b@c", "with space@x", "<a@b>"])
def test_bad_addresses_are_plain_errors(bad: str) -> None:
    with pytest.raises(ValidationError, match="Not an e-mail address"):
        build(to=[bad])


def test_no_recipient() -> None:
    with pytest.raises(ValidationError):
        build(to=[])


def test_reply_subject_keeps_one_re_and_the_tid() -> None:
    assert reply_subject("RE: Fwd: Не работает почта", "TID-000123") == (
        "Re: [TID-000123] Не работает почта"
    )
    assert reply_subject("Re: [TID-000123] x", "TID-000123") == "Re: [TID-000123] x"
    assert reply_subject(None) == "Re:"
    assert ensure_tid_in_subject("Re: x", "TID-000007") == "Re: [TID-000007] x"
