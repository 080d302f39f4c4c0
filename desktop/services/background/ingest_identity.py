"""The same message seen again (R-MAIL-11): recognised by its identity, counted, nothing more.

A restored or re-uploaded mailbox, or a copy in another folder, brings back mail that is already
stored under other UIDs, often with a header a tool added. Such a message opens no ticket, joins
none, sends no acknowledgement and writes no history line: the stored message's ``seen_again``
count goes up, and the sync's report says how many came back. The identity
(``desktop.mail.identity``) is what the author wrote, so a different message that reuses a
Message-ID is still stored as mail of its own.

Messages stored before identities existed have none; when a message with the same Message-ID
arrives, their raw files are re-read once and their identity written, so a restore right after
an upgrade is recognised too.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from sqlalchemy import select, update

from desktop.domain.tickets import Direction
from desktop.mail.identity import identity_of_raw
from desktop.mail.parse import ParsedMessage
from desktop.services.background.ingest_batch import Batch, chunks
from desktop.store.models import Message

log = logging.getLogger("reglament.ingest")


def load_identities(b: Batch, parsed: Sequence[ParsedMessage]) -> None:
    """Which of the batch's identities are stored already: looked up once for the batch."""
    wanted = sorted({p.identity for p in parsed if p.identity} - set(b.identities))
    for chunk in chunks(wanted):
        for row_id, identity in b.s.execute(
                select(Message.id, Message.identity).where(Message.identity.in_(chunk))):
            if identity is not None:
                b.identities.setdefault(identity, row_id)
    ids = sorted({p.message_id for p in parsed
                  if p.message_id and p.identity and p.identity not in b.identities})
    for chunk in chunks(ids):
        for row_id, sha in b.s.execute(select(Message.id, Message.raw_sha256).where(
                Message.message_id.in_(chunk), Message.identity.is_(None),
                Message.direction == Direction.INCOMING.value)):
            if sha is None:
                continue
            try:
                identity = identity_of_raw(b.ws.blobs.get(sha))
            except (OSError, ValueError) as exc:  # a missing raw file: that message stays unknown
                log.warning("cannot re-read stored message %s for its identity: %s", row_id, exc)
                continue
            if identity is None:
                continue
            b.s.execute(update(Message).where(Message.id == row_id).values(identity=identity)
                        .execution_options(synchronize_session=False))
            b.identities.setdefault(identity, row_id)


def seen_again(b: Batch, parsed: ParsedMessage) -> bool:
    """Whether ``parsed`` is a message already stored (counted on that message if so)."""
    row_id = b.identities.get(parsed.identity) if parsed.identity else None
    if row_id is None:
        return False
    b.seen_again[row_id] = b.seen_again.get(row_id, 0) + 1
    b.report.seen_again += 1
    return True


def write_seen_again(b: Batch) -> None:
    """Add the batch's counts to the stored messages (after the batch's own rows are written)."""
    for row_id, count in sorted(b.seen_again.items()):
        b.s.execute(update(Message).where(Message.id == row_id)
                    .values(seen_again=Message.seen_again + count)
                    .execution_options(synchronize_session=False))
    b.seen_again.clear()
