"""PostgreSQL's own search for the queue: one full-text document per ticket, trigrams for
substrings and ticket numbers (migration 0017 keeps the documents, 0010 the trigram index).

Each ticket's document (``ticket_search``) holds the words of its subject and sender and of every
message a client or an agent wrote, kept by triggers on whatever writes; a search is one lookup
in its GIN index, not a pass through every message's index folded to tickets. A ticket whose
mail is too large for one ``tsvector`` is marked ``partial`` and its messages are read one by
one instead (they are few).

Words are stemmed with the ``russian`` text-search configuration, which in PostgreSQL stems
Cyrillic words with the Russian Snowball stemmer and Latin ones with the English one: one
vector serves both languages, so "договора" finds "договор" and "invoices" finds "invoice".
Each word is also a prefix (``:*``), as in the SQLite FTS5 path ("заказ" finds "заказов"), and
every word must be somewhere in the ticket, as on SQLite. Ticket numbers and substrings of the
sender (address, name) go through a ``pg_trgm`` index, so "000042" or "petrov@shop" are found
without a scan.

The trigram expression below is exactly that of its index: PostgreSQL uses an expression index
only for the same expression, so it is written once here and in the migration, and a test reads
the plan (EXPLAIN) to prove they still meet.
"""

from __future__ import annotations

import re

from sqlalchemy import ColumnElement, TextualSelect, bindparam, false, func, text

from desktop.store.models import Ticket

CONFIG = "russian"

#: The searchable text of one message (as in migrations 0010 and 0017).
MESSAGE_DOCUMENT = (
    "to_tsvector('russian', coalesce(subject, '') || ' ' || coalesce(text, '') || ' ' "
    "|| coalesce(from_addr, '') || ' ' || coalesce(from_name, ''))"
)
#: :data:`MESSAGE_DOCUMENT` of messages read under the name ``m``.
MESSAGE_DOCUMENT_OF_M = (
    "to_tsvector('russian', coalesce(m.subject, '') || ' ' || coalesce(m.text, '') || ' ' "
    "|| coalesce(m.from_addr, '') || ' ' || coalesce(m.from_name, ''))"
)
#: A ticket's number and sender as one string for substring (trigram) matching.
TICKET_TRIGRAMS = (
    "(coalesce(tid, '') || ' ' || coalesce(requester, '') || ' ' || coalesce(requester_name, ''))"
)
#: Mail Reglament sends on its own (acknowledgements, reminders) is not searched (migration 0004).
NOT_AUTOMATIC = "author IS DISTINCT FROM 'system'"

_WORD = re.compile(r"\w+", re.UNICODE)


def tsquery_text(query: str) -> str | None:
    """The user's words as ``to_tsquery`` input: every word, each as a prefix. Only word
    characters reach it, so nothing a user types is read as a query operator."""
    words = _WORD.findall(query)
    if not words:
        return None
    return " & ".join(f"'{w}':*" for w in words)


def _like(word: str) -> str:
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def matching_ids(query: str) -> TextualSelect | None:
    """Ids of the tickets that hold every word of ``query``: in their search document (their
    subject, sender and messages), or as substrings of their number and sender (trigrams)."""
    words = _WORD.findall(query)
    q = tsquery_text(query)
    if q is None:
        return None
    likes = " AND ".join(f"{TICKET_TRIGRAMS} ILIKE :w{i} ESCAPE '\\'" for i in range(len(words)))
    stmt = text(
        f"SELECT ticket_id FROM ticket_search WHERE document @@ to_tsquery('{CONFIG}', :q) "
        # The few tickets too large for one document: their messages, one by one.
        f"UNION ALL SELECT m.ticket_id FROM ticket_search AS s JOIN messages AS m ON m.ticket_id = s.ticket_id "
        f"WHERE s.partial AND m.{NOT_AUTOMATIC} AND {MESSAGE_DOCUMENT_OF_M} @@ to_tsquery('{CONFIG}', :q) "
        f"UNION ALL SELECT id FROM tickets WHERE {likes}"
    ).bindparams(bindparam("q", q), *(bindparam(f"w{i}", _like(w)) for i, w in enumerate(words)))
    return stmt.columns(Ticket.id)


def search_condition(query: str) -> ColumnElement[bool] | None:
    """``tickets.id IN (…)`` for the words of ``query``; None when it has no words.

    Wrapped in ``coalesce(…, false)`` on purpose: a bare ``IN`` is turned into a join, which for
    a common word fetched every hit's ticket row by its key and sorted them (230 ms of 450 at
    100,000 tickets); kept a condition, the hits become one hashed set that the walk along the
    queue's order index checks, already in order. ``UNION ALL``: the set drops repeats itself.
    """
    ids = matching_ids(query)
    if ids is None:
        return None
    return func.coalesce(Ticket.id.in_(ids), false())


__all__ = ["CONFIG", "MESSAGE_DOCUMENT", "MESSAGE_DOCUMENT_OF_M", "NOT_AUTOMATIC", "TICKET_TRIGRAMS",
           "matching_ids", "search_condition", "tsquery_text"]
