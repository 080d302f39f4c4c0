"""Which ticket an incoming message belongs to (R-MAIL-3, R-TICKET-3, R-TICKET-5).

Correlation order: a known TID in the subject (unless the sender has nothing to do with that
ticket — then it joins but is flagged for the agent to confirm), then In-Reply-To/References
against stored Message-IDs, else a new ticket; a reply long after closing is a new question, and
a new ticket much like an open one of the same requester is suggested as a duplicate. Apart
from the batch's bookkeeping so the threading rules read as rules.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.domain.tickets import REOPENABLE, Status
from desktop.mail.parse import ParsedMessage
from desktop.mail.subjects import find_tids, subject_similarity
from desktop.services.background.ingest_batch import Batch
from desktop.services.tickets.duplicates import (
    DUPLICATE_WINDOW,
    SUBJECT_SIMILARITY,
    first_texts,
    likeness,
)
from desktop.services.tickets.thread_fix import UNCONFIRMED
from desktop.store.models import Message, Ticket


def correlate(b: Batch, parsed: ParsedMessage) -> tuple[Ticket | None, str]:
    s = b.s
    for tid in find_tids(parsed.subject, b.fmt.prefix, b.fmt.width):
        ticket = b.ticket_by_number(b.fmt.parse(tid))
        if ticket is None:
            continue
        ticket = follow_duplicates(s, ticket)
        if sender_belongs(b, ticket, parsed.from_addr):
            return ticket, "tid"
        return ticket, UNCONFIRMED
    ids = [i for i in [parsed.in_reply_to, *reversed(parsed.references)] if i]
    if ids:
        # The newest stored message with one of these ids: this batch's are the newest of all.
        in_batch = [b.by_msgid[i] for i in ids if i in b.by_msgid]
        if in_batch:
            return follow_duplicates(s, max(in_batch, key=lambda hit: hit[0])[1]), "references"
        if all(i in b.stored_refs for i in ids):
            found = [ref for i in ids if (ref := b.stored_refs[i]) is not None]
            hit = max(found)[1] if found else None
        else:
            hit = s.scalar(
                select(Message.ticket_id).where(Message.message_id.in_(ids)).order_by(Message.id.desc()).limit(1)
            )
        if hit is not None:
            ticket = s.get(Ticket, hit)
            if ticket is not None:
                return follow_duplicates(s, ticket), "references"
    return None, "new_ticket"


def closed_for_good(b: Batch, ticket: Ticket, at: datetime) -> bool:
    """Whether mail arriving at ``at`` opens a new ticket rather than joining this closed one.

    An archived ticket takes the old mail of its conversation but never reopens: a reply that
    arrives once the mailbox is watched is a new request, with its own clock and acknowledgement.
    """
    if ticket.archived:
        return not b.is_history(at)
    if Status(ticket.status) not in REOPENABLE:
        return False
    ended = ticket.closed_at or ticket.resolved_at
    window = timedelta(days=int(b.ws.setting("reopen.window_days", b.s)))
    return ended is not None and at - ended > window


def follow_duplicates(s: Session, ticket: Ticket) -> Ticket:
    seen = {ticket.id}
    while ticket.duplicate_of_id is not None and ticket.duplicate_of_id not in seen:
        nxt = s.get(Ticket, ticket.duplicate_of_id)
        if nxt is None:
            break
        seen.add(nxt.id)
        ticket = nxt
    return ticket


def sender_belongs(b: Batch, ticket: Ticket, sender: str) -> bool:
    sender = sender.lower()
    if not sender:
        return False
    if sender == ticket.requester:
        return True
    if ticket.client_id is not None:
        client = b.client_of(sender)
        if client is not None and client.id == ticket.client_id:
            return True
    if (id(ticket), sender) in b.senders:
        return True
    if ticket.id is None:
        return False
    if ticket.id in b.participants:
        return sender in b.participants[ticket.id]
    participant = b.s.scalar(select(Message.id).where(Message.ticket_id == ticket.id,
                                                      Message.direction == "in",
                                                      Message.threaded_by != UNCONFIRMED,
                                                      Message.from_addr == sender).limit(1))
    return participant is not None


def possible_duplicate(b: Batch, ticket: Ticket, text: str) -> bool:
    """Same requester or client, open, recent, a similar subject *and* a similar first message
    (``tickets.duplicates``): suggest, never merge (R-TICKET-5)."""
    if b.recent_from is None or ticket.received_at - DUPLICATE_WINDOW < b.recent_from:
        b.load_recent(ticket.received_at - DUPLICATE_WINDOW, [])
    since = ticket.received_at - DUPLICATE_WINDOW
    candidates = {id(r): r for r in b.recent_by.get(("requester", ticket.requester), ())}
    if ticket.client_id is not None:
        candidates.update((id(r), r) for r in b.recent_by.get(("client", ticket.client_id), ()))
    prefix, width = b.fmt.prefix, b.fmt.width
    near = [r for r in candidates.values()
            if r.received_at >= since and subject_similarity(ticket.subject, r.subject, prefix, width)
            >= SUBJECT_SIMILARITY]
    unread = [r.id for r in near if r.text is None and r.id is not None and r.id not in b.first_texts]
    if unread:  # rare: only tickets whose subject is already alike are read
        b.first_texts.update(first_texts(b.s, unread))
    return any(
        likeness(ticket.subject, text, r.subject,
                 r.text if r.text is not None else b.first_texts.get(r.id or 0, ""), prefix, width)
        for r in near
    )
