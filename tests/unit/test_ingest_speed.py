"""The shortcuts that make a large sync fast must not change what it stores (issue 4).

The helper process, the per-batch lookups, the template and settings caches and the blob
store's folder memory are each compared with the slow, obvious way of doing the same thing.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta, timezone
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from sqlalchemy import select

from desktop.mail import templates
from desktop.mail.parse import ParsedMessage
from desktop.services import clients
from desktop.services.attachments import attachment_data
from desktop.services.background.ingest import ingest_batch
from desktop.services.background.ingest_batch import Batch, IncomingMail
from desktop.services.background.ingest_batch import IngestReport as Report
from desktop.services.background.mail_jobs import MailWorker, ParseFailure, parse_many
from desktop.services.clients import identify_client
from desktop.services.upkeep.outgoing import COMPOSE_WHEN_SENT, compose_stored
from desktop.store.blobs import BlobStore
from desktop.store.ids import IdBlock
from desktop.store.models import Attachment, HistoryEvent, Message, OutboxItem, Sequence, Ticket
from tests.unit.test_ingest import account, mail

T0 = datetime(2026, 11, 17, 7, 0, tzinfo=UTC)


def _batch(raws: list[bytes], start_uid: int = 1) -> list[IncomingMail]:
    return [IncomingMail(uid=start_uid + i, internaldate=T0 + timedelta(minutes=i), raw=r)
            for i, r in enumerate(raws)]


def _mailbox() -> list[bytes]:
    raws = [mail(f"Вопрос про отчёт {i}", sender=f"user{i % 3}@romashka.ru", body=f"текст {i}",
                 msgid=f"<q{i}@romashka.ru>") for i in range(8)]
    raws.append(mail("Re: [TID-000002] ещё", sender="user1@romashka.ru", body="дополнение"))
    raws.append(mail("Re: вопрос", sender="x@other.example", body="ответ",
                     extra="In-Reply-To: <q3@romashka.ru>\r\n"))
    raws.append(b"")
    with_file = EmailMessage()
    with_file["From"], with_file["To"], with_file["Subject"] = "a@files.example", "support@reglament.test", "Счёт"
    with_file.set_content("см. вложение")
    with_file.add_attachment(b"%PDF-1.4 test", maintype="application", subtype="pdf", filename="Счёт №15.pdf")
    raws.append(with_file.as_bytes())
    return raws


def _snapshot(ws) -> list[list[Any]]:
    with ws.db.session() as s:
        tickets = [(t.tid, t.requester, t.flags, t.reaction_due_at, t.client_id, t.status)
                   for t in s.scalars(select(Ticket).order_by(Ticket.id))]
        messages = [(m.ticket_id, m.direction, m.threaded_by, m.from_addr, m.subject, m.size > 0,
                     m.raw_sha256 is not None) for m in s.scalars(select(Message).order_by(Message.id))]
        history = [(h.ticket_id, h.action, h.new) for h in s.scalars(select(HistoryEvent).order_by(HistoryEvent.id))]
        outbox = [(o.ticket_id, o.kind, o.message_row_id is not None, o.raw_sha256)
                  for o in s.scalars(select(OutboxItem).order_by(OutboxItem.id))]
        files = [(a.filename, a.size, a.sha256) for a in s.scalars(select(Attachment).order_by(Attachment.id))]
        counter = s.scalar(select(Sequence.value).where(Sequence.name == "tid"))
    return [tickets, messages, history, [o[:3] for o in outbox], files, [counter]]


def test_helper_process_stores_exactly_what_in_process_ingest_stores(ws, tmp_path: Path) -> None:
    from desktop.services.workspace import open_workspace

    clients.add_client(ws, "Ромашка", domains=["romashka.ru"], plan="commercial")
    acc = account(ws)
    raws = _mailbox()
    ingest_batch(ws, acc, "INBOX", 1, _batch(raws))

    other = open_workspace(home=tmp_path / "other", clock=ws.clock, actor="tester")
    try:
        clients.add_client(other, "Ромашка", domains=["romashka.ru"], plan="commercial")
        acc2 = account(other)
        worker = MailWorker(other.paths.blobs)
        try:
            batch = _batch(raws)
            report = ingest_batch(other, acc2, "INBOX", 1, batch,
                                  parsed=worker.intake([m.raw for m in batch]))
        finally:
            worker.close()
        assert report.quarantined == 1 and report.acknowledged > 0
        assert _snapshot(other) == _snapshot(ws)
        with other.db.session() as s:  # what the helper wrote is really there
            shas = list(s.scalars(select(Attachment.sha256)))
            assert [attachment_data(other, a) for a in shas] == [b"%PDF-1.4 test"]
            for raw_sha in s.scalars(select(Message.raw_sha256)):
                assert other.blobs.exists(raw_sha or "")
    finally:
        other.close()


def test_one_batch_equals_one_message_at_a_time(ws, tmp_path: Path) -> None:
    from desktop.services.workspace import open_workspace

    acc = account(ws)
    raws = _mailbox()
    ingest_batch(ws, acc, "INBOX", 1, _batch(raws))
    other = open_workspace(home=tmp_path / "other", clock=ws.clock, actor="tester")
    try:
        acc2 = account(other)
        for item in _batch(raws):
            ingest_batch(other, acc2, "INBOX", 1, [item])
        assert _snapshot(other) == _snapshot(ws)
    finally:
        other.close()


def test_broken_helper_falls_back_to_this_process(tmp_path: Path) -> None:
    worker = MailWorker(tmp_path / "blobs")
    try:
        assert worker._pool is not None
        worker._pool.shutdown(wait=True)  # as good as dead: submitting fails
        results = worker.intake([mail("x"), b""])()
        assert isinstance(results[0].parsed, ParsedMessage) and isinstance(results[1].parsed, ParseFailure)
        assert BlobStore(tmp_path / "blobs").get(results[1].raw_sha256) == b""
        assert worker._pool is None
    finally:
        worker.close()


def test_acknowledgement_bytes_are_built_once_when_sent_and_always_the_same(ws, tmp_path: Path) -> None:
    """Acknowledgements are queued as rows and composed by the outbox: the bytes must carry the
    row's Message-ID, threading and Auto-Submitted, and a retry must rebuild the same bytes."""
    acc = account(ws)
    ingest_batch(ws, acc, "INBOX", 1, _batch([mail("Вопрос про отчёт", sender="user@romashka.ru",
                                                      msgid="<q@romashka.ru>")]))
    with ws.db.session() as s:
        item = s.scalars(select(OutboxItem)).one()
        s.expunge(item)
        row_id = item.message_row_id
    assert item.raw_sha256 == COMPOSE_WHEN_SENT
    first = compose_stored(ws, item)
    again = compose_stored(ws, item)
    assert first == again
    with ws.db.session() as s:
        row = s.get(Message, row_id)
        stored = s.get(OutboxItem, item.id)
        assert row is not None and stored is not None
        assert stored.raw_sha256 == row.raw_sha256 == item.raw_sha256 and row.size == len(first)
        assert ws.blobs.get(stored.raw_sha256) == first
        assert f"Message-ID: {row.message_id}".encode() in first
        subject = row.subject
    assert b"In-Reply-To: <q@romashka.ru>" in first and b"Auto-Submitted: auto-replied" in first
    back = parse_many([first])[0]
    assert isinstance(back, ParsedMessage) and back.subject == subject and "TID-000001" in subject


def test_batch_client_lookup_agrees_with_identify_client(ws) -> None:
    clients.add_client(ws, "Ромашка", domains=["romashka.ru"], emails=["boss@other.example"])
    clients.add_client(ws, "Ромашка ИТ", domains=["it.romashka.ru"])
    addresses = ["a@romashka.ru", "b@it.romashka.ru", "c@x.it.romashka.ru", "boss@other.example",
                 "BOSS@Other.Example", "nobody@other.example", "", "broken", "d@ru"]
    with ws.db.session() as s:
        b = Batch(s, ws, None, None, Report(), IdBlock(s))
        b.identify(addresses)
        for addr in addresses:
            expected = identify_client(s, addr)
            got = b.client_of(addr)
            assert (got.id if got else None) == (expected.id if expected else None), addr


def test_settings_cache_sees_a_change_in_the_same_unit_of_work(ws) -> None:
    with ws.db.session() as s:
        assert ws.tid_format(s).prefix == "TID"
        ws.set_setting("tid.prefix", "REQ", s)
        assert ws.tid_format(s).prefix == "REQ" and ws.setting("tid.prefix", s) == "REQ"
    ws.set_setting("mail.autoreply_per_hour", 7)
    assert ws.setting("mail.autoreply_per_hour") == 7


def test_edited_mail_template_takes_effect_without_restart(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "mail" / "ru").mkdir(parents=True)
    path = tmp_path / "mail" / "ru" / "ack.txt"
    path.write_text("Subject: [{{ tid }}] one\n\nfirst {{ tid }}", encoding="utf-8")
    monkeypatch.setattr(templates, "resources_dir", lambda: tmp_path)
    clock = [100.0]
    monkeypatch.setattr(templates.time, "monotonic", lambda: clock[0])
    assert templates.render_mail("ack", "ru", {"tid": "T-1"}).body == "first T-1"
    path.write_text("Subject: [{{ tid }}] two\n\nsecond {{ tid }}", encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    clock[0] += templates.STAMP_TTL  # the file's stamp is looked at again after a moment
    rendered = templates.render_mail("ack", "ru", {"tid": "T-2"})
    assert (rendered.subject, rendered.body) == ("[T-2] two", "second T-2")


def test_blob_store_writes_once_and_atomically(tmp_path: Path) -> None:
    store = BlobStore(tmp_path / "blobs")
    sha = store.put(b"payload")
    assert store.put(b"payload") == sha and store.get(sha) == b"payload"
    folder = store.path(sha).parent
    assert [p.name for p in folder.iterdir()] == [sha]  # no temp file left behind
    other = BlobStore(tmp_path / "blobs")  # another process's store finds the folder made
    assert other.put(b"payload") == sha and other.put(b"other") != sha


def test_blobs_stored_in_the_older_two_level_layout_are_still_found(tmp_path: Path) -> None:
    import hashlib

    store = BlobStore(tmp_path / "blobs")
    data = b"stored by an earlier version"
    sha = hashlib.sha256(data).hexdigest()
    legacy = tmp_path / "blobs" / sha[:2] / sha[2:4] / sha
    legacy.parent.mkdir(parents=True)
    legacy.write_bytes(data)
    assert store.exists(sha) and store.get(sha) == data and store.path(sha) == legacy
    assert store.put(data) == sha  # not written a second time
    assert not (tmp_path / "blobs" / sha[:2] / sha).exists()
    new = store.put(b"stored now")
    assert store.path(new) == tmp_path / "blobs" / new[:2] / new


def test_bulk_insert_stores_what_sqlalchemys_insert_stores(tmp_path: Path) -> None:
    """desktop/store/bulk.py applies SQLAlchemy's own bind processors and column defaults: the
    rows it writes read back exactly as the same rows written by ``insert()`` (datetimes to UTC,
    JSON lists, defaults for left-out columns, explicit ``None``)."""
    from sqlalchemy import insert

    from desktop.services.workspace import open_workspace
    from desktop.store.bulk import insert_rows

    msk = timezone(timedelta(hours=3))
    ticket = {"id": 1, "number": 1, "tid": "TID-000001", "subject": "s", "requester": "a@b.c",
              "received_at": T0, "status": "new", "created_at": T0, "updated_at": T0}
    rows = [
        {"id": 10, "ticket_id": 1, "direction": "in", "received_at": T0.astimezone(msk),
         "created_at": T0, "references": ["<a@b>", "<c@d>"], "to_addrs": ["x@y.z"],
         "text": "Привет", "html": None, "subject": "Тема", "sent_date": None, "cc_addrs": None},
        {"id": 11, "ticket_id": 1, "direction": "out", "received_at": T0 + timedelta(minutes=1),
         "created_at": T0, "text": "без ссылок"},  # references, to_addrs, size…: the defaults
    ]
    stored = []
    for fast in (True, False):
        w = open_workspace(home=tmp_path / f"home-{fast}", actor="tester")
        try:
            with w.db.session() as s:
                table = Ticket.__table__
                s.execute(insert(table), [ticket]) if not fast else insert_rows(s, table, [ticket])
                for r in rows:  # each alone too: a row's own set of columns
                    (insert_rows(s, Message.__table__, [dict(r)]) if fast
                     else s.execute(insert(Message.__table__), [dict(r)]))
            with w.db.session() as s:
                stored.append([
                    {c.key: getattr(m, c.key) for c in Message.__table__.columns}
                    for m in s.scalars(select(Message).order_by(Message.id))
                ])
                # and the stored values themselves (JSON's None is 'null', not SQL NULL)
                stored.append([tuple(r) for r in s.connection().exec_driver_sql(
                    "SELECT * FROM messages ORDER BY id")])
        finally:
            w.close()
    assert stored[0] == stored[2] and stored[1] == stored[3]
    assert stored[0][0]["received_at"] == T0 and stored[0][0]["references"] == ["<a@b>", "<c@d>"]
    assert stored[0][1]["references"] == [] and stored[0][1]["size"] == 0


def test_bulk_insert_names_an_unknown_column(ws) -> None:
    import pytest

    from desktop.store.bulk import insert_rows

    with pytest.raises(KeyError, match="no_such"), ws.db.session() as s:
        insert_rows(s, Message.__table__, [{"id": 1, "no_such": 1}])


def test_a_new_ticket_written_mid_batch_takes_later_changes(ws) -> None:
    """The batch writes its new tickets whenever it settles — also in the middle, before a
    reply to a ticket waiting for the client changes that ticket's status. A later message of
    the same batch that joins such a ticket must still reach the database (as an update)."""
    from desktop.services import tickets

    acc = account(ws)
    ingest_batch(ws, acc, "INBOX", 1, _batch([mail("Старый вопрос", sender="old@romashka.ru")]))
    tickets.request_information(ws, "TID-000001", "Уточните, пожалуйста, версию")
    raws = [
        mail("Новый вопрос", sender="new@romashka.ru", msgid="<n1@romashka.ru>"),
        mail("Re: [TID-000001] Старый вопрос", sender="old@romashka.ru", body="версия 2"),
        mail("Re: Новый вопрос", sender="new@romashka.ru", body="ещё деталь",
             extra="In-Reply-To: <n1@romashka.ru>\r\n"),
    ]
    ingest_batch(ws, acc, "INBOX", 1, _batch(raws, start_uid=2))
    with ws.db.session() as s:
        new = s.scalar(select(Ticket).where(Ticket.tid == "TID-000002"))
        old = s.scalar(select(Ticket).where(Ticket.tid == "TID-000001"))
        assert new is not None and old is not None
        assert old.status == "in_progress"  # the client answered: the mid-batch settle ran
        assert new.last_message_at == T0 + timedelta(minutes=2)  # the third message's time
        assert new.version == 2 and new.paid is False and new.flags is not None
        assert [m.threaded_by for m in s.scalars(select(Message).where(Message.ticket_id == new.id,
                                                                       Message.direction == "in"))] \
            == ["new_ticket", "references"]
