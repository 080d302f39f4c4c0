"""The same message seen again (R-MAIL-11): what identity keeps, what it ignores, and what ingest
does with a copy — no ticket, no acknowledgement, no history line, a count."""

from __future__ import annotations

from sqlalchemy import func, select, update

from desktop.mail.identity import identity_of_raw, message_identity
from desktop.mail.parse import parse_message
from desktop.store.models import HistoryEvent, Message, OutboxItem, Ticket
from tests.unit.test_ingest import account, ingest, mail

BASE = mail("Не приходит счёт", body="Здравствуйте!\r\nСчёт за ноябрь не пришёл.\r\n", msgid="<inv@romashka.ru>")


def test_transport_headers_folding_and_line_ends_are_not_the_message() -> None:
    same = [
        b"Received: from mx.example by imap.example; Tue, 17 Nov 2026 10:00:00 +0300\r\n" + BASE,
        b"X-Backup-Restored: yes\r\nReturn-Path: <m.ivanova@romashka.ru>\r\n" + BASE,
        BASE.replace(b"\r\n", b"\n"),  # a tool that stores LF line ends
        BASE.replace(b"Subject: ", b"Subject:\r\n  ", 1),  # refolded
        BASE + b"\r\n\r\n   \r\n",  # trailing blank lines
        BASE.replace(b"Date: Tue, 17 Nov 2026 09:58:00 +0300", b"Date: Tue, 17 Nov 2026 06:58:00 +0000"),
    ]
    identity = parse_message(BASE).identity
    assert [parse_message(raw).identity for raw in same] == [identity] * len(same)
    assert identity_of_raw(same[1]) == identity == message_identity(BASE)


def test_a_reused_message_id_with_other_content_is_another_message() -> None:
    identity = parse_message(BASE).identity
    different = [
        BASE.replace(b"\xd0\xbd\xd0\xbe\xd1\x8f", b"\xd0\xb4\xd0\xb5\xd0\xba"),  # ноябрь → декабрь (body)
        BASE.replace(b"m.ivanova@", b"p.petrov@"),  # another author
        BASE.replace(b"09:58:00", b"10:58:00"),  # written at another time
        mail("Другая тема", body="Здравствуйте!\r\nСчёт за ноябрь не пришёл.\r\n", msgid="<inv@romashka.ru>"),
        BASE.replace(b"<inv@romashka.ru>", b"<inv2@romashka.ru>"),  # same words, another message
    ]
    identities = [parse_message(raw).identity for raw in different]
    assert identity not in identities and len(set(identities)) == len(different)


def _counts(ws) -> tuple[int, int, int, int]:
    with ws.db.session() as s:
        return tuple(s.scalar(select(func.count(model.id))) or 0  # type: ignore[return-value]
                     for model in (Ticket, Message, OutboxItem, HistoryEvent))


def test_a_restored_copy_is_counted_not_stored_and_a_reused_id_is_stored(ws, clock) -> None:
    acc = account(ws)
    first = ingest(ws, acc, BASE, mail("Второй вопрос", msgid="<q2@romashka.ru>"))
    assert len(first.new_tickets) == 2 and first.acknowledged == 2
    before = _counts(ws)

    clock.advance(hours=3)
    restored = b"X-Restored-From: backup-2026-11-17.tar\r\n" + BASE
    copy = b"X-Copied-By: rules\r\n" + BASE
    again = ingest(ws, acc, restored, copy, start_uid=10)  # two copies: two sightings
    assert (again.new_tickets, again.joined, again.acknowledged, again.seen_again) == ([], [], 0, 2)
    assert _counts(ws) == before
    with ws.db.session() as s:
        assert s.scalar(select(Message.seen_again).where(Message.message_id == "<inv@romashka.ru>")) == 2

    # The stored original and the copy under a new folder numbering (UIDVALIDITY changed).
    renumbered = ingest(ws, acc, BASE, restored, uidvalidity=7)
    assert (renumbered.skipped, renumbered.seen_again, renumbered.new_tickets) == (1, 1, [])
    assert _counts(ws) == before

    reused = mail("Совсем о другом", body="Другой вопрос.", msgid="<inv@romashka.ru>")
    other = ingest(ws, acc, reused, start_uid=20)
    assert len(other.new_tickets) == 1 and other.seen_again == 0


def test_mail_stored_before_identities_is_recognised_from_its_raw_file(ws, clock) -> None:
    acc = account(ws)
    assert len(ingest(ws, acc, BASE).new_tickets) == 1
    with ws.db.session() as s:  # as a database migrated from 0005 has it
        s.execute(update(Message).values(identity=None))
    before = _counts(ws)
    again = ingest(ws, acc, b"X-Restored: 1\r\n" + BASE, start_uid=5)
    assert again.new_tickets == [] and again.seen_again == 1 and _counts(ws) == before
    with ws.db.session() as s:
        stored = s.scalars(select(Message).where(Message.direction == "in")).one()
        assert stored.identity == parse_message(BASE).identity and stored.seen_again == 1
