"""search on PostgreSQL: full-text and trigram indexes; dashboard indexes

A team's PostgreSQL searched the queue with ``ILIKE '%…%'`` over every ticket and message:
1.13 s for one word over 100,000 tickets and 300,000 messages. It now has GIN indexes of
PostgreSQL's own full-text search (the ``russian`` configuration, which stems Latin words with
the English stemmer too) over what clients and agents wrote and over the tickets' subjects, and a
``pg_trgm`` index over a ticket's number and sender for substrings. The expressions are those of
``desktop.store.fulltext``: a query uses an expression index only for the very same expression.

``pg_trgm`` is a trusted extension (any database owner may create it); where it cannot be
created the trigram index is left out and substring search of a ticket's fields scans, as before.
SQLite keeps its FTS5 tables (migration 0002). On both engines two plain indexes serve the team
lead's dashboard: the open backlog by status, department and assignee, and the tickets answered
in a period (``first_reply_at``), which were read through every ticket received before it.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07 05:30:00
"""

from __future__ import annotations

import logging

from alembic import op
from sqlalchemy.exc import DBAPIError

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

log = logging.getLogger("alembic.runtime.migration")

# As in desktop.store.fulltext (kept literally here: a migration must not change with the code).
_MESSAGE_DOCUMENT = (
    "to_tsvector('russian', coalesce(subject, '') || ' ' || coalesce(text, '') || ' ' "
    "|| coalesce(from_addr, '') || ' ' || coalesce(from_name, ''))"
)
_TICKET_DOCUMENT = (
    "to_tsvector('russian', coalesce(subject, '') || ' ' || coalesce(requester, '') || ' ' "
    "|| coalesce(requester_name, ''))"
)
_TICKET_TRIGRAMS = (
    "(coalesce(tid, '') || ' ' || coalesce(requester, '') || ' ' || coalesce(requester_name, ''))"
)


def upgrade() -> None:
    # Both engines: the dashboard's backlog counted from an index alone, and the tickets
    # answered in a period found without reading every ticket received before it.
    op.create_index("ix_tickets_backlog", "tickets", ["status", "department_id", "assignee_id"])
    op.create_index("ix_tickets_first_reply", "tickets", ["first_reply_at", "received_at"])
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    op.execute(f"CREATE INDEX IF NOT EXISTS ix_messages_fulltext ON messages USING gin ({_MESSAGE_DOCUMENT}) "
               "WHERE author IS DISTINCT FROM 'system'")
    op.execute(f"CREATE INDEX IF NOT EXISTS ix_tickets_fulltext ON tickets USING gin ({_TICKET_DOCUMENT})")
    try:
        with bind.begin_nested():
            op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except DBAPIError as exc:
        log.warning("pg_trgm is not available (%s): substring search of tickets will scan", exc.orig)
        return
    op.execute(f"CREATE INDEX IF NOT EXISTS ix_tickets_trigrams ON tickets USING gin ({_TICKET_TRIGRAMS} gin_trgm_ops)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for name in ("ix_tickets_trigrams", "ix_tickets_fulltext", "ix_messages_fulltext"):
            op.execute(f"DROP INDEX IF EXISTS {name}")
    op.drop_index("ix_tickets_first_reply", "tickets")
    op.drop_index("ix_tickets_backlog", "tickets")
