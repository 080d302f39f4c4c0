"""queue search and order

Full-text search over tickets and their messages (R-UI-3) and an index for the queue's default
order (R-SLA-6) so the first screen of 100,000 tickets comes from an index walk, not a sort.

On SQLite the search index is an FTS5 table per source kept in step by triggers: every writer
(mail ingest, services, the demo, scripts) is covered without each remembering to update it.
PostgreSQL gets only the order index; its search is the portable ``LIKE`` fallback in
``desktop.store.queue``.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 06:00:00
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_TOKENIZER = "unicode61 remove_diacritics 2"

_SQLITE_UP = [
    f"""CREATE VIRTUAL TABLE tickets_fts USING fts5(
        tid, subject, requester, requester_name,
        content='tickets', content_rowid='id', tokenize='{_TOKENIZER}')""",
    """CREATE TRIGGER tickets_fts_ai AFTER INSERT ON tickets BEGIN
        INSERT INTO tickets_fts(rowid, tid, subject, requester, requester_name)
        VALUES (new.id, new.tid, new.subject, new.requester, new.requester_name);
    END""",
    """CREATE TRIGGER tickets_fts_ad AFTER DELETE ON tickets BEGIN
        INSERT INTO tickets_fts(tickets_fts, rowid, tid, subject, requester, requester_name)
        VALUES ('delete', old.id, old.tid, old.subject, old.requester, old.requester_name);
    END""",
    """CREATE TRIGGER tickets_fts_au AFTER UPDATE OF tid, subject, requester, requester_name
        ON tickets BEGIN
        INSERT INTO tickets_fts(tickets_fts, rowid, tid, subject, requester, requester_name)
        VALUES ('delete', old.id, old.tid, old.subject, old.requester, old.requester_name);
        INSERT INTO tickets_fts(rowid, tid, subject, requester, requester_name)
        VALUES (new.id, new.tid, new.subject, new.requester, new.requester_name);
    END""",
    f"""CREATE VIRTUAL TABLE messages_fts USING fts5(
        subject, text, from_addr, from_name,
        content='messages', content_rowid='id', tokenize='{_TOKENIZER}')""",
    """CREATE TRIGGER messages_fts_ai AFTER INSERT ON messages BEGIN
        INSERT INTO messages_fts(rowid, subject, text, from_addr, from_name)
        VALUES (new.id, new.subject, new.text, new.from_addr, new.from_name);
    END""",
    """CREATE TRIGGER messages_fts_ad AFTER DELETE ON messages BEGIN
        INSERT INTO messages_fts(messages_fts, rowid, subject, text, from_addr, from_name)
        VALUES ('delete', old.id, old.subject, old.text, old.from_addr, old.from_name);
    END""",
    """CREATE TRIGGER messages_fts_au AFTER UPDATE OF subject, text, from_addr, from_name
        ON messages BEGIN
        INSERT INTO messages_fts(messages_fts, rowid, subject, text, from_addr, from_name)
        VALUES ('delete', old.id, old.subject, old.text, old.from_addr, old.from_name);
        INSERT INTO messages_fts(rowid, subject, text, from_addr, from_name)
        VALUES (new.id, new.subject, new.text, new.from_addr, new.from_name);
    END""",
    "INSERT INTO tickets_fts(tickets_fts) VALUES ('rebuild')",
    "INSERT INTO messages_fts(messages_fts) VALUES ('rebuild')",
]

_SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS messages_fts_au",
    "DROP TRIGGER IF EXISTS messages_fts_ad",
    "DROP TRIGGER IF EXISTS messages_fts_ai",
    "DROP TABLE IF EXISTS messages_fts",
    "DROP TRIGGER IF EXISTS tickets_fts_au",
    "DROP TRIGGER IF EXISTS tickets_fts_ad",
    "DROP TRIGGER IF EXISTS tickets_fts_ai",
    "DROP TABLE IF EXISTS tickets_fts",
]


def upgrade() -> None:
    op.create_index("ix_tickets_order", "tickets", ["priority_rank", "received_at", "id"])
    if op.get_bind().dialect.name == "sqlite":
        for statement in _SQLITE_UP:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for statement in _SQLITE_DOWN:
            op.execute(statement)
    op.drop_index("ix_tickets_order", table_name="tickets")
