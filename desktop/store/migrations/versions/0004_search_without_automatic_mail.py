"""search: the mail Reglament sends on its own is not indexed

Every new ticket gets an acknowledgement written from one template, so with those texts in the
full-text index a search for any word of the template ("зарегистрировано", "тарифу") matched
every ticket. The index now holds what clients and agents wrote; messages authored by "system"
(acknowledgements, reminders, closing notices) are left out, and the ones already indexed are
taken out. PostgreSQL has no index; its search leaves them out in the query.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 09:20:00
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_COLUMNS = "subject, text, from_addr, from_name"

_DROP = [
    "DROP TRIGGER IF EXISTS messages_fts_ai",
    "DROP TRIGGER IF EXISTS messages_fts_ad",
    "DROP TRIGGER IF EXISTS messages_fts_au",
]


def _triggers(when_new: str, when_old: str) -> list[str]:
    return [
        f"""CREATE TRIGGER messages_fts_ai AFTER INSERT ON messages {when_new} BEGIN
            INSERT INTO messages_fts(rowid, {_COLUMNS})
            VALUES (new.id, new.subject, new.text, new.from_addr, new.from_name);
        END""",
        f"""CREATE TRIGGER messages_fts_ad AFTER DELETE ON messages {when_old} BEGIN
            INSERT INTO messages_fts(messages_fts, rowid, {_COLUMNS})
            VALUES ('delete', old.id, old.subject, old.text, old.from_addr, old.from_name);
        END""",
        # A message's author never changes, so one condition serves both halves.
        f"""CREATE TRIGGER messages_fts_au AFTER UPDATE OF {_COLUMNS} ON messages {when_old} BEGIN
            INSERT INTO messages_fts(messages_fts, rowid, {_COLUMNS})
            VALUES ('delete', old.id, old.subject, old.text, old.from_addr, old.from_name);
            INSERT INTO messages_fts(rowid, {_COLUMNS})
            VALUES (new.id, new.subject, new.text, new.from_addr, new.from_name);
        END""",
    ]


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for statement in _DROP:
        op.execute(statement)
    # Out of the index with exactly the values they went in with (their texts never change).
    op.execute(
        f"INSERT INTO messages_fts(messages_fts, rowid, {_COLUMNS}) "
        "SELECT 'delete', id, subject, text, from_addr, from_name FROM messages WHERE author = 'system'"
    )
    for statement in _triggers("WHEN new.author IS NOT 'system'", "WHEN old.author IS NOT 'system'"):
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for statement in _DROP:
        op.execute(statement)
    for statement in _triggers("", ""):
        op.execute(statement)
    op.execute("INSERT INTO messages_fts(messages_fts) VALUES ('rebuild')")
