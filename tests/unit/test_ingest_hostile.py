"""Whatever arrives, it ends as a ticket message or a quarantined item — never lost, never a
crash (R-MAIL-5), through the whole ingest path rather than the parser alone."""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from desktop.services.background.ingest import ingest_batch
from desktop.services.background.ingest_batch import IncomingMail
from desktop.services.workspace import open_workspace
from desktop.store.models import MailAccount, Message, Quarantined
from tests.unit.test_mail_hostile import hostile_message

T0 = datetime(2026, 11, 17, 7, 0, tzinfo=UTC)


@settings(max_examples=12, deadline=None)
@given(raws=st.lists(st.one_of(hostile_message(), st.binary(max_size=2000)), min_size=1, max_size=5))
def test_every_input_is_stored_or_quarantined(raws: list[bytes]) -> None:
    with tempfile.TemporaryDirectory() as home:
        ws = open_workspace(home=home, clock=lambda: T0)
        try:
            with ws.db.session() as s:
                acc = MailAccount(name="in", email="support@reglament.test", imap_host="127.0.0.1",
                                  imap_port=143, username="u", created_at=T0)
                s.add(acc)
                s.flush()
                acc_id = acc.id
            batch = [IncomingMail(uid=i + 1, internaldate=T0, raw=r) for i, r in enumerate(raws)]
            report = ingest_batch(ws, acc_id, "INBOX", 7, batch)
            with ws.db.session() as s:
                stored_uids = set(s.scalars(select(Message.uid).where(Message.direction == "in")))
                quarantined_uids = set(s.scalars(select(Quarantined.uid)))
                assert s.scalar(select(func.count(Quarantined.id))) == report.quarantined
        finally:
            ws.close()
    assert not stored_uids & quarantined_uids
    # each input is kept, or is byte-identical to an earlier input that was (content hash), or
    # the same message as an earlier one (same Message-ID and content: seen again)
    from desktop.mail.parse import parse_message

    def identity(raw: bytes) -> str | None:
        return parse_message(raw).identity

    for i, raw in enumerate(raws, start=1):
        if i in stored_uids or i in quarantined_uids:
            continue
        first = raws.index(raw) + 1
        if first == i:
            mine = identity(raw)
            first = next(n for n, other in enumerate(raws, start=1)
                         if n in stored_uids and mine is not None and identity(other) == mine)
        assert first < i and first in stored_uids
    assert len(stored_uids) + len(quarantined_uids) + report.skipped + report.seen_again == len(raws)
