"""The composer's engine: the whole draft kept and given back, addresses completed and checked in
plain words, the answered message quoted in the mail's language, a new ticket taken into work by
a reply (the CLI's ``ticket reply`` too)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from desktop.errors import ValidationError
from desktop.services import replies
from desktop.services.composer import addresses, drafts
from desktop.services.composer.quote import quote_for, quoted_lines, with_quote, wrote_line
from desktop.services.reads import listing
from desktop.services.reads.ticket_page import read_ticket_page
from desktop.store.models import HistoryEvent, OutboxItem, Ticket
from tests.conftest import DEMO_NOW, FixedClock


@pytest.fixture
def dws(tmp_path: Path, demo_template: Path) -> Iterator[object]:
    from desktop.services.workspace import open_workspace

    shutil.copytree(demo_template, tmp_path / "home")
    ws = open_workspace(home=tmp_path / "home", clock=FixedClock(DEMO_NOW), actor="anna")
    yield ws
    ws.close()


def first(ws, status: str) -> str:
    return str(next(t["tid"] for t in listing.list_tickets(ws, status)))


def test_the_whole_draft_is_kept_per_ticket_and_agent_and_given_back(dws, tmp_path: Path) -> None:
    tid = first(dws, "in_progress")
    assert drafts.load(dws, tid) is None
    f = tmp_path / "лог.txt"
    f.write_text("строка\n" * 100, encoding="utf-8")
    stashed = drafts.stash_file(dws, f)
    draft = drafts.ReplyDraft(body="Черновик", to=("a@x.ru",), cc=("b@x.ru",), bcc=("c@x.ru",),
                              quote=False, files=(stashed,))
    drafts.save(dws, tid, draft)
    assert drafts.load(dws, tid) == draft
    # another agent on the same workspace has none; the old body-only call keeps the rest
    other = type(dws)(paths=dws.paths, db=dws.db, clock=dws.clock, actor="dmitry")
    assert drafts.load(other, tid) is None
    replies.save_draft(dws, tid, "Черновик 2")
    kept = drafts.load(dws, tid)
    assert kept is not None and kept.body == "Черновик 2" and kept.files == (stashed,) and kept.cc == ("b@x.ru",)
    drafts.save(dws, tid, drafts.ReplyDraft())  # nothing left to keep: gone
    assert drafts.load(dws, tid) is None


def test_files_over_the_limit_are_refused_in_words(dws, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(drafts, "ATTACHMENT_LIMIT", 1000)
    small, big = tmp_path / "a.bin", tmp_path / "b.bin"
    small.write_bytes(b"x" * 600)
    big.write_bytes(b"y" * 600)
    one = drafts.stash_file(dws, small)
    with pytest.raises(ValidationError, match=r"weigh 0\.0 MB together; a reply can carry at most 0 MB"):
        drafts.stash_file(dws, big, (one,))
    with pytest.raises(ValidationError, match=r"cannot read “missing\.bin”"):
        drafts.stash_file(dws, tmp_path / "missing.bin")


@pytest.mark.parametrize(("typed", "why"), [
    ("ivan", "has no @"),
    ("ivan@", "the part after @ is missing"),
    ("@mail.ru", "the name before @ is missing"),
    ("ivan@mail", "needs a domain"),
    ("ivan@@mail.ru", "more than one @"),
])
def test_a_wrong_address_is_explained(typed: str, why: str) -> None:
    with pytest.raises(ValidationError, match=why) as err:
        addresses.check_addresses("Cc", f"ok@mail.ru, {typed}")
    assert str(err.value).startswith("in Cc: ")


def test_addresses_as_typed_are_split_and_named_forms_understood() -> None:
    assert addresses.split_addresses("Мария <m@x.ru>; b@y.ru,\n B@Y.ru , ") == ["m@x.ru", "b@y.ru"]
    assert addresses.check_addresses("To", "") == []
    with pytest.raises(ValidationError, match="needs a recipient in To"):
        addresses.check_addresses("To", " ", required=True)


def test_completion_offers_the_tickets_correspondents_then_the_clients_people(dws) -> None:
    tid = first(dws, "in_progress")
    with dws.db.reading() as s:
        t = s.scalar(select(Ticket).where(Ticket.tid == tid))
        requester, client_id = t.requester, t.client_id
        others = set(s.scalars(select(Ticket.requester).where(Ticket.client_id == client_id, Ticket.id != t.id)))
    found = addresses.contacts(dws, tid)
    assert found[0].addr == requester and found[0].from_ticket
    assert others <= {c.addr for c in found}
    assert all(c.addr != "support@reglament.demo" for c in found)


def test_the_quote_line_speaks_the_mails_language_and_names_the_zone() -> None:
    from zoneinfo import ZoneInfo

    at = datetime(2026, 12, 7, 7, 15, tzinfo=UTC)
    moscow = ZoneInfo("Europe/Moscow")
    assert wrote_line("ru", at, moscow, "Мария") == "7 декабря 2026 г. в 10:15 (МСК), Мария пишет:"
    assert wrote_line("en", at, moscow, "Maria") == "On 7 Dec 2026 at 10:15 (MSK), Maria wrote:"
    assert quoted_lines("a\n\n> b") == "> a\n>\n>> b"
    assert quoted_lines("x\n" * 5, max_lines=2).endswith("> x\n> […]")


def test_a_quoted_reply_sends_the_quote_the_composer_showed(dws) -> None:
    tid = first(dws, "in_progress")
    q = quote_for(dws, tid)
    assert q.header.endswith("пишет:") or q.header.endswith("wrote:")
    replies.reply(dws, tid, "Ответ", quote=True, seen_message_id=replies.newest_message_id(dws, tid))
    out = [m for m in read_ticket_page(dws, tid, "ru").messages if m.direction == "out"][-1]
    assert out.text == with_quote("Ответ", q)


def test_a_reply_to_a_new_ticket_takes_it_into_work(dws) -> None:
    tid = first(dws, "new")
    with dws.db.reading() as s:
        t = s.scalar(select(Ticket).where(Ticket.tid == tid))
        before = s.scalar(select(OutboxItem.id).order_by(OutboxItem.id.desc()).limit(1))
    replies.reply(dws, tid, "Здравствуйте! Взяли в работу, проверяем.", cc=["boss@vector.example"])
    page = read_ticket_page(dws, tid, "ru")
    assert page.status == "in_progress" and page.assignee is not None
    with dws.db.reading() as s:
        t = s.scalar(select(Ticket).where(Ticket.tid == tid))
        assert t.taken_at is not None and t.first_reply_at is not None
        status = s.scalars(select(HistoryEvent).where(HistoryEvent.ticket_id == t.id,
                                                      HistoryEvent.action == "status")).all()
        assert [(h.old, h.new, h.details.get("trigger")) for h in status][-1] == ("new", "in_progress", "reply")
        queued = s.scalars(select(OutboxItem).where(OutboxItem.id > (before or 0))).all()
    # one mail only: the reply itself tells the client work started (no separate "taken" notice)
    assert [(i.kind, sorted(i.recipients)) for i in queued] == [
        ("reply", sorted([t.requester, "boss@vector.example"]))]


def test_bad_recipients_stop_the_reply_before_anything_is_stored(dws) -> None:
    tid = first(dws, "in_progress")
    n = len(read_ticket_page(dws, tid, "ru").messages)
    with pytest.raises(ValidationError, match="in Bcc: “boss@”: the part after @ is missing"):
        replies.reply(dws, tid, "Ответ", bcc=["boss@"])
    with pytest.raises(ValidationError, match="needs a recipient in To"):
        replies.reply(dws, tid, "Ответ", to=[])
    assert len(read_ticket_page(dws, tid, "ru").messages) == n


def test_cli_reply_takes_a_new_ticket_into_work_with_copies_and_a_file(dws, tmp_path: Path, capsys) -> None:
    from desktop.cli import main

    tid = first(dws, "new")
    f = tmp_path / "скрин.png"
    f.write_bytes(b"\x89PNG" + b"0" * 100)
    dws.close()
    code = main(["--home", str(dws.paths.home), "ticket", "reply", tid, "Смотрим", "--cc", "boss@vector.example",
                 "--attach", str(f), "--quote"])
    assert code == 0, capsys.readouterr().err
    from desktop.services.workspace import open_workspace

    ws = open_workspace(home=dws.paths.home, clock=FixedClock(DEMO_NOW), actor="anna")
    try:
        page = read_ticket_page(ws, tid, "ru")
        out = [m for m in page.messages if m.direction == "out"][-1]
        assert page.status == "in_progress"
        assert out.cc == ("boss@vector.example",) and [a.filename for a in out.attachments] == ["скрин.png"]
        assert "> " in out.text
        assert main(["--home", str(dws.paths.home), "ticket", "reply", tid, "x", "--cc", "boss"]) == 1
        assert "in Cc: “boss” is not an e-mail address: it has no @" in capsys.readouterr().err
    finally:
        ws.close()
