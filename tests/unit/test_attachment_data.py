"""A received attachment is read back out of its raw message, the one file a sync writes per
message (desktop/services/attachments.py); what was stored separately is still found."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path

import pytest
from sqlalchemy import select

from desktop.errors import NotFound, ValidationError
from desktop.services.attachments import attachment_data, copy_for_opening, save_attachment
from desktop.services.background.ingest import ingest_batch
from desktop.services.background.ingest_batch import IncomingMail
from desktop.services.background.mail_jobs import MailWorker
from desktop.store.models import Attachment, Message
from tests.unit.test_ingest import account

T0 = datetime(2026, 11, 17, 7, 0, tzinfo=UTC)
PDF = b"%PDF-1.4 " + bytes(range(256)) * 40
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x01\x02" * 500


def _mail(n: int = 0) -> bytes:
    msg = EmailMessage()
    msg["From"], msg["To"] = "anna@romashka.ru", "support@reglament.test"
    msg["Subject"], msg["Message-ID"] = f"Счёт и скриншот {n}", f"<files{n}@romashka.ru>"
    msg.set_content("см. вложения")
    msg.add_attachment(PDF, maintype="application", subtype="pdf", filename="Счёт №15.pdf")
    msg.add_attachment(PNG, maintype="image", subtype="png", filename="скриншот.png")
    return msg.as_bytes()


def _stored(ws) -> list[tuple[str, str, int]]:
    with ws.db.session() as s:
        return [(a.filename, a.sha256, a.size) for a in s.scalars(select(Attachment).order_by(Attachment.id))]


@pytest.mark.parametrize("helper", [False, True])
def test_received_attachments_are_read_back_from_the_raw_message(ws, tmp_path: Path, helper: bool) -> None:
    acc = account(ws)
    batch = [IncomingMail(uid=1, internaldate=T0, raw=_mail())]
    if helper:
        worker = MailWorker(ws.paths.blobs)
        try:
            ingest_batch(ws, acc, "INBOX", 1, batch, parsed=worker.intake([m.raw for m in batch]))
        finally:
            worker.close()
    else:
        ingest_batch(ws, acc, "INBOX", 1, batch)
    files = _stored(ws)
    assert [(name, size) for name, _, size in files] == [("Счёт №15.pdf", len(PDF)), ("скриншот.png", len(PNG))]
    assert [sha for _, sha, _ in files] == [hashlib.sha256(PDF).hexdigest(), hashlib.sha256(PNG).hexdigest()]
    # one file per message: the attachments are not written a second time
    assert not any(ws.blobs.exists(sha) for _, sha, _ in files)
    blob_files = [p for p in ws.paths.blobs.rglob("*") if p.is_file()]
    assert len(blob_files) == 1
    assert attachment_data(ws, files[0][1]) == PDF
    assert attachment_data(ws, files[1][1]) == PNG
    opened = copy_for_opening(ws, files[0][1], files[0][0], "application/pdf")
    assert opened.read_bytes() == PDF and opened.name == "Счёт №15.pdf"
    saved = save_attachment(ws, files[1][1], tmp_path / "out.png")
    assert saved.read_bytes() == PNG


def test_attachments_stored_separately_are_still_found(ws) -> None:
    sha = ws.blobs.put(b"stored by an older version")
    assert attachment_data(ws, sha) == b"stored by an older version"


def test_an_attachment_whose_message_is_gone_or_changed_is_reported_not_made_up(ws) -> None:
    acc = account(ws)
    ingest_batch(ws, acc, "INBOX", 1, [IncomingMail(uid=1, internaldate=T0, raw=_mail())])
    _, sha, _ = _stored(ws)[0]
    with ws.db.session() as s:
        raw_sha = s.scalars(select(Message.raw_sha256).where(Message.direction == "in")).one()
    path = ws.blobs.path(raw_sha)
    path.chmod(0o600)
    path.write_bytes(_mail().replace(b"JVBERi0", b"AAAAAAA"))  # the PDF's bytes damaged on disk
    with pytest.raises(NotFound, match="missing"):
        attachment_data(ws, sha)
    path.unlink()
    with pytest.raises(NotFound, match="missing"):
        attachment_data(ws, sha)


def test_a_malformed_reference_is_refused(ws) -> None:
    with pytest.raises(ValidationError):
        attachment_data(ws, "../../etc/passwd")
    with pytest.raises(ValidationError):
        attachment_data(ws, "")
