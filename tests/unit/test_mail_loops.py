"""R-MAIL-4 loop protection: each listed rule, on parsed samples and on bare header mappings."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.mail.loops import should_suppress_autoreply
from desktop.mail.parse import parse_message

SAMPLES = Path(__file__).parent / "mail_samples"
OWN = ["support@reglament.example", "Help@Reglament.Example"]


def verdict(headers: dict[str, str], sent: int = 0, limit: int = 3) -> str | None:
    return should_suppress_autoreply(headers, OWN, sent, limit)


def client(**extra: str) -> dict[str, str]:
    headers = {"from": "Иван <ivan@client.example>", "content-type": "text/plain"}
    headers.update({k.replace("_", "-"): v for k, v in extra.items()})
    return headers


def test_an_ordinary_client_message_may_be_answered() -> None:
    assert verdict(client()) is None
    assert verdict(client(auto_submitted="no")) is None
    assert verdict(client(precedence="first-class")) is None
    assert verdict(client(return_path="<ivan@client.example>")) is None


@pytest.mark.parametrize(
    ("extra", "reason"),
    [
        ({"auto-submitted": "auto-replied"}, "auto-submitted"),
        ({"auto-submitted": "auto-generated; owner-email=x@y"}, "auto-submitted"),
        ({"auto-submitted": "Auto-Notified"}, "auto-submitted"),
        ({"x-autoreply": "yes"}, "auto-submitted"),
        ({"x-autorespond": "1"}, "auto-submitted"),
        ({"precedence": "bulk"}, "precedence"),
        ({"precedence": "List"}, "precedence"),
        ({"precedence": "junk"}, "precedence"),
        ({"list-id": "Announce <announce.lists.example>"}, "list-id"),
        ({"x-auto-response-suppress": "OOF, AutoReply"}, "x-auto-response-suppress"),
        ({"x-loop": "helpdesk@other.example"}, "x-loop"),
        ({"return-path": "<>"}, "bounce"),
        ({"return-path": "< >"}, "bounce"),
        ({"x-failed-recipients": "nobody@client.example"}, "bounce"),
        ({"content-type": 'multipart/report; report-type="delivery-status"; boundary=x'}, "bounce"),
        ({"content-type": "multipart/report; report-type=disposition-notification"}, "bounce"),
    ],
)
def test_each_listed_header_stops_the_autoreply(extra: dict[str, str], reason: str) -> None:
    assert verdict(client() | extra) == reason


@pytest.mark.parametrize(
    "sender",
    [
        "MAILER-DAEMON@mx.client.example",
        "postmaster@client.example",
        "Mail Delivery Subsystem <mailer-daemon@googlemail.com>",
        "bounces+12345-abc@lists.example",
        "noreply@service.example",
    ],
)
def test_system_senders(sender: str) -> None:
    assert verdict({"from": sender}) == "system-sender"


def test_our_own_addresses_any_case() -> None:
    assert verdict({"from": "Support <SUPPORT@reglament.example>"}) == "own-address"
    assert verdict({"from": "help@reglament.example"}) == "own-address"


def test_missing_sender() -> None:
    assert verdict({}) == "no-sender"
    assert verdict({"from": "undisclosed-recipients:;"}) == "no-sender"


def test_rate_limit_per_sender_per_hour() -> None:
    assert verdict(client(), sent=2, limit=3) is None
    assert verdict(client(), sent=3, limit=3) == "rate-limit"
    assert verdict(client(), sent=0, limit=0) == "rate-limit"  # 0 = never auto-reply


def test_header_names_in_any_case() -> None:
    assert verdict({"From": "ivan@client.example", "Auto-Submitted": "auto-replied"}) == (
        "auto-submitted"
    )


@pytest.mark.parametrize(
    ("sample", "reason"),
    [
        ("autoreply_ooo.eml", "auto-submitted"),
        ("dsn_bounce.eml", "auto-submitted"),  # first listed rule that matches
        ("mailing_list.eml", "precedence"),
        ("alternative_utf8_qp.eml", None),
        ("outlook_mixed.eml", None),
        ("raw_8bit_headers.eml", None),
    ],
)
def test_on_parsed_samples(sample: str, reason: str | None) -> None:
    parsed = parse_message((SAMPLES / sample).read_bytes())
    assert should_suppress_autoreply(parsed, OWN, 0, 5) == reason
    # the stored header mapping gives the same verdict as the parsed message
    assert should_suppress_autoreply(parsed.loop_headers, OWN, 0, 5) == reason


def test_bounce_without_auto_submitted_is_still_a_bounce() -> None:
    raw = (SAMPLES / "dsn_bounce.eml").read_bytes().replace(b"Auto-Submitted: auto-replied\r\n", b"", 1)
    parsed = parse_message(raw)
    assert should_suppress_autoreply(parsed, OWN, 0, 5) == "bounce"
