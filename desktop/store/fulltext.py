"""PostgreSQL's own search for the queue: full-text over messages and tickets, trigrams for
substrings and ticket numbers (migration 0010 builds the indexes these expressions match).

Words are stemmed with the ``russian`` text-search configuration, which in PostgreSQL stems
Cyrillic words with the Russian Snowball stemmer and Latin ones with the English one: one
vector serves both languages, so "договора" finds "договор" and "invoices" finds "invoice".
Each word is also a prefix (``:*``), as in the SQLite FTS5 path ("заказ" finds "заказов").
Ticket numbers and substrings of the sender (address, name) go through a ``pg_trgm`` index, so
"000042" or "petrov@shop" are found without a scan; the subject is searched by its words, as on
SQLite (a trigram pass over every subject cost more than the search it served).

The expressions below are exactly those of the indexes: PostgreSQL uses an expression index
only for the same expression, so they are written once here and in the migration, and a test
reads the plan (EXPLAIN) to prove they still meet.
"""

from __future__ import annotations

import re

from sqlalchemy import ColumnElement, TextualSelect, bindparam, false, func, text

from desktop.store.models import Ticket

CONFIG = "russian"

#: The searchable text of a message, and of a ticket (as in migration 0010).
MESSAGE_DOCUMENT = (
    "to_tsvector('russian', coalesce(subject, '') || ' ' || coalesce(text, '') || ' ' "
    "|| coalesce(from_addr, '') || ' ' || coalesce(from_name, ''))"
)
TICKET_DOCUMENT = (
    "to_tsvector('russian', coalesce(subject, '') || ' ' || coalesce(requester, '') || ' ' "
    "|| coalesce(requester_name, ''))"
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
    """Ids of the tickets that hold every word of ``query``: in one of their messages, in their
    own subject and sender (full text), or as substrings of their number and sender (trigrams)."""
    words = _WORD.findall(query)
    q = tsquery_text(query)
    if q is None:
        return None
    likes = " AND ".join(f"{TICKET_TRIGRAMS} ILIKE :w{i} ESCAPE '\\'" for i in range(len(words)))
    stmt = text(
        f"SELECT ticket_id FROM messages WHERE {MESSAGE_DOCUMENT} @@ to_tsquery('{CONFIG}', :q) "
        f"AND {NOT_AUTOMATIC} "
        f"UNION ALL SELECT id FROM tickets WHERE {TICKET_DOCUMENT} @@ to_tsquery('{CONFIG}', :q) "
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


__all__ = ["CONFIG", "MESSAGE_DOCUMENT", "NOT_AUTOMATIC", "TICKET_DOCUMENT", "TICKET_TRIGRAMS",
           "matching_ids", "search_condition", "tsquery_text"]
