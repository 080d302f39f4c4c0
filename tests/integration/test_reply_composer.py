"""A reply written in the composer goes out over real SMTP (aiosmtpd) as written: To, Cc in the
header, Bcc only in the envelope, the files attached, the answered message quoted — and the
ticket keeps the same copy; a reply to a new ticket takes it into work."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from desktop.services.background.outbox import drain_outbox
from desktop.services.background.sync import sync_account_once
from desktop.services.composer import drafts
from desktop.services.reads.ticket_page import read_ticket_page
from desktop.services.replies import reply
from desktop.store.models import HistoryEvent, Ticket
from tests.integration.conftest import Mailbox
from tests.integration.sync_support import client_mail, make_account
from tests.servers.smtp import SmtpServer
from tests.unit.memory_keyring import MemoryKeyring

pytestmark = pytest.mark.integration


def test_reply_with_copies_files_and_quote_is_sent_as_written_and_takes_a_new_ticket(
    ws: Any, memory_keyring: MemoryKeyring, mailbox: Mailbox, smtp: SmtpServer, tmp_path: Path
) -> None:
    account_id = make_account(ws, mailbox, smtp)
    mailbox.append_many([client_mail("Не открывается кабинет", sender="maria@vector.example",
                                     body="Здравствуйте!\nНе открывается личный кабинет.", msgid="<q1@x>")])
    assert sync_account_once(ws, account_id).ok
    drain_outbox(ws, force=True)  # the acknowledgement
    smtp.wait_for(1)
    smtp.clear()
    with ws.db.session() as s:
        tid = s.scalar(select(Ticket.tid))
    assert read_ticket_page(ws, tid, "ru").status == "new"

    report = tmp_path / "отчёт.pdf"
    report.write_bytes(b"%PDF-1.4 " + bytes(range(256)) * 40)
    stashed = drafts.stash_file(ws, report)
    assert stashed.size == report.stat().st_size
    report.unlink()  # attached means kept: the file may be gone from the disk by the time it is sent
    reply(ws, tid, "Добрый день! Смотрим.", files=drafts.outgoing_files(ws, [stashed]),
          cc=["boss@vector.example"], bcc=["lead@support.example"],
          quote=True)

    assert drain_outbox(ws, force=True).sent
    (mail,) = smtp.wait_for(1)
    assert sorted(mail.rcpt_tos) == ["boss@vector.example", "lead@support.example", "maria@vector.example"]
    msg = mail.message
    assert msg["To"] == "maria@vector.example" and msg["Cc"] == "boss@vector.example"
    assert msg["Bcc"] is None and b"lead@support.example" not in mail.data
    text = msg.get_body(("plain",)).get_content().replace("\r\n", "\n")
    assert text.startswith("Добрый день! Смотрим.\n\n")
    assert "Мария Иванова пишет:" in text and "> Не открывается личный кабинет." in text
    (part,) = list(msg.iter_attachments())
    assert part.get_filename() == "отчёт.pdf"
    assert part.get_content() == b"%PDF-1.4 " + bytes(range(256)) * 40

    page = read_ticket_page(ws, tid, "ru")
    assert page.status == "in_progress" and page.assignee
    out = [m for m in page.messages if m.direction == "out"][-1]  # after the acknowledgement
    assert out.direction == "out" and out.cc == ("boss@vector.example",) and out.bcc == ("lead@support.example",)
    assert [(a.filename, a.size) for a in out.attachments] == [("отчёт.pdf", stashed.size)]
    with ws.db.session() as s:
        status = s.scalars(select(HistoryEvent).where(HistoryEvent.action == "status")).all()
    assert [(h.old, h.new, h.details.get("trigger")) for h in status] == [("new", "in_progress", "reply")]


def test_the_whole_draft_and_a_reply_with_copies_on_postgres(tmp_path: Path, postgres_url: str) -> None:
    """The composer's columns (migration 0016) on a team's PostgreSQL: the draft comes back
    whole, a reply to a new ticket carries its copies and takes the ticket into work."""
    from datetime import UTC, datetime

    from desktop.services.background.ingest import ingest_batch
    from desktop.services.background.ingest_batch import IncomingMail
    from desktop.services.workspace import open_workspace
    from tests.conftest import FixedClock

    ws = open_workspace(home=tmp_path / "a", db_url=postgres_url,
                        clock=FixedClock(datetime(2026, 11, 17, 7, 0, tzinfo=UTC)), actor="anna")
    try:
        mail = ("From: Мария <maria@vector.example>\r\nSubject: Ошибка\r\nMessage-ID: <pgc1@vector.example>\r\n"
                "Content-Type: text/plain; charset=utf-8\r\n\r\nНе работает форма").encode()
        (tid,) = ingest_batch(ws, None, "INBOX", None, [IncomingMail(None, ws.now(), mail)]).new_tickets
        f = tmp_path / "a.txt"
        f.write_text("файл", encoding="utf-8")
        draft = drafts.ReplyDraft(body="Черновик", to=("maria@vector.example",), cc=("boss@vector.example",),
                                  bcc=("lead@support.example",), quote=False, files=(drafts.stash_file(ws, f),))
        drafts.save(ws, tid, draft)
        assert drafts.load(ws, tid) == draft
        reply(ws, tid, draft.body, files=drafts.outgoing_files(ws, draft.files), to=list(draft.to or ()),
              cc=list(draft.cc), bcc=list(draft.bcc), quote=True)
        assert drafts.load(ws, tid) is None
        page = read_ticket_page(ws, tid, "ru")
        out = [m for m in page.messages if m.direction == "out"][-1]
        assert page.status == "in_progress"
        assert (out.cc, out.bcc) == (("boss@vector.example",), ("lead@support.example",))
        assert out.text.startswith("Черновик\n\n") and "Мария пишет:" in out.text
    finally:
        ws.close()
