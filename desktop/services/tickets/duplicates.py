"""Which open ticket a new one probably repeats (R-TICKET-5): the likely original, named.

One rule for the mail ingest that sets the "possible duplicate" mark and for the ticket page
that names the original beside it: an open ticket of the same client (of the same requester
when the sender is not a known client), received in the fortnight before, whose subject *and*
first message are both much alike. A subject alone is not enough ("Ошибка на сайте" is what
half the questions are called). The agent is shown the original and merges it — never silently.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.domain.tickets import OPEN_STATUSES, Direction
from desktop.mail.subjects import body_similarity, subject_similarity
from desktop.store.models import Message, ReasonRow, Ticket

#: How far back an original is looked for.
DUPLICATE_WINDOW = timedelta(days=14)
#: How alike the subjects must be, and how alike the first messages' own texts.
SUBJECT_SIMILARITY = 0.6
BODY_SIMILARITY = 0.5
#: The most recent open tickets of a client compared with a new one.
CANDIDATES = 50

_OPEN = tuple(sorted(s.value for s in OPEN_STATUSES))


@dataclass(frozen=True)
class DuplicateCandidate:
    """The likely original of a ticket marked "possible duplicate"."""

    tid: str
    subject: str
    status: str
    received_at: datetime
    score: float  # 0..1: the mean of the subjects' and the texts' likeness

    def to_json(self) -> dict[str, Any]:
        return {"tid": self.tid, "subject": self.subject, "status": self.status,
                "received_at": self.received_at.isoformat(), "score": self.score}


def likeness(subject: str, body: str, other_subject: str, other_body: str,
             prefix: str = "TID", width: int = 6) -> float:
    """How alike two requests are, or 0.0 when the subjects or the texts differ too much."""
    subj = subject_similarity(subject, other_subject, prefix, width)
    if subj < SUBJECT_SIMILARITY:
        return 0.0
    text = body_similarity(body, other_body)
    if text < BODY_SIMILARITY:
        return 0.0
    return round((subj + text) / 2, 4)


def first_texts(s: Session, ticket_ids: Iterable[int]) -> dict[int, str]:
    """The first client message's text of each ticket (what the request said), in one statement."""
    ids = sorted(set(ticket_ids))
    found: dict[int, str] = {}
    if not ids:
        return found
    for ticket_id, text in s.execute(
        select(Message.ticket_id, Message.text)
        .where(Message.ticket_id.in_(ids), Message.direction == Direction.INCOMING.value)
        .order_by(Message.received_at, Message.id)
    ):
        found.setdefault(ticket_id, text or "")
    return found


def likely_original(s: Session, ticket: Ticket) -> DuplicateCandidate | None:
    """The open ticket ``ticket`` most probably repeats, or None."""
    prefix, _, digits = ticket.tid.rpartition("-")  # the shape its number is quoted in subjects
    prefix, width = prefix or "TID", len(digits) or 6
    same = (Ticket.client_id == ticket.client_id) if ticket.client_id is not None \
        else (Ticket.requester == ticket.requester)
    rows = s.execute(
        select(Ticket.id, Ticket.tid, Ticket.subject, Ticket.status, Ticket.received_at)
        .where(same, Ticket.id != ticket.id, Ticket.status.in_(_OPEN),
               Ticket.received_at >= ticket.received_at - DUPLICATE_WINDOW,
               Ticket.received_at <= ticket.received_at)
        .order_by(Ticket.received_at.desc()).limit(CANDIDATES)
    ).all()
    near = [r for r in rows if subject_similarity(ticket.subject, r.subject, prefix, width) >= SUBJECT_SIMILARITY]
    if not near:
        return None
    texts = first_texts(s, [ticket.id, *(r.id for r in near)])
    body = texts.get(ticket.id, "")
    best: DuplicateCandidate | None = None
    for r in near:
        score = likeness(ticket.subject, body, r.subject, texts.get(r.id, ""), prefix, width)
        if score and (best is None or score > best.score):
            best = DuplicateCandidate(r.tid, r.subject, r.status, r.received_at, score)
    return best


def reason_offer(s: Session, code: str) -> str | None:
    """What a refusal reason offers instead (R-TICKET-4): "split", "merge" or None."""
    row = s.get(ReasonRow, code)
    return row.offer if row is not None and row.offer in ("split", "merge") else None
