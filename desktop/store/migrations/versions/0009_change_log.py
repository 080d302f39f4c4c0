"""change_log and presence: every committed change of a ticket, announced to the other workstations

A team on one database saw a colleague's change only when the window re-read its ids a minute
later, and never in the open ticket. Each line of a ticket's history now also lands in
``change_log`` (a trigger, so no writer can skip it), numbered in commit order; on PostgreSQL a
second trigger announces it with ``pg_notify('reglament_changes', …)`` carrying the ticket,
what changed and who. Workstations listen (PostgreSQL) or poll the newest number (SQLite) and
re-read only what changed; after a dropped connection they read the log back from where they
were, using the transaction id to catch a change that committed late. ``presence`` holds who has
a reply open on which ticket, as a lease renewed by a heartbeat.

Revision ID: 0009
Revises: 0005
Create Date: 2026-12-07 05:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from desktop.store.types import UTCDateTime

revision = "0009"
down_revision = "0005"
branch_labels = None
depends_on = None

CHANNEL = "reglament_changes"

_PG_FUNCTIONS = (
    """
    CREATE OR REPLACE FUNCTION reglament_history_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO change_log (ticket_id, tid, what, field, new, actor, at)
        VALUES (NEW.ticket_id, (SELECT tid FROM tickets WHERE id = NEW.ticket_id), NEW.action,
                NEW.field, left(NEW.new, 200), NEW.actor, NEW.at);
        RETURN NULL;
    END $$
    """,
    f"""
    CREATE OR REPLACE FUNCTION reglament_change_notify() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM pg_notify('{CHANNEL}', json_build_object(
            'seq', NEW.seq, 'ticket', NEW.ticket_id, 'tid', NEW.tid, 'what', NEW.what,
            'field', NEW.field, 'new', NEW.new, 'who', NEW.actor)::text);
        RETURN NULL;
    END $$
    """,
    """
    CREATE TRIGGER history_change AFTER INSERT ON history
    FOR EACH ROW EXECUTE FUNCTION reglament_history_change()
    """,
    """
    CREATE TRIGGER change_notify AFTER INSERT ON change_log
    FOR EACH ROW EXECUTE FUNCTION reglament_change_notify()
    """,
    "ALTER TABLE change_log ALTER COLUMN xid SET DEFAULT (pg_current_xact_id()::text::bigint)",
)

_SQLITE_TRIGGER = """
    CREATE TRIGGER history_change AFTER INSERT ON history
    BEGIN
        INSERT INTO change_log (ticket_id, tid, what, field, new, actor, at)
        VALUES (NEW.ticket_id, (SELECT tid FROM tickets WHERE id = NEW.ticket_id), NEW.action,
                NEW.field, substr(NEW.new, 1, 200), NEW.actor, NEW.at);
    END
"""


def upgrade() -> None:
    op.create_table(
        "change_log",
        sa.Column("seq", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True,
                  autoincrement=True),
        sa.Column("ticket_id", sa.Integer(), nullable=True),
        sa.Column("tid", sa.String(30), nullable=True),
        sa.Column("what", sa.String(50), nullable=False),
        sa.Column("field", sa.String(50), nullable=True),
        sa.Column("new", sa.String(200), nullable=True),
        sa.Column("actor", sa.String(100), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("xid", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_change_log")),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_change_log_xid"), "change_log", ["xid"])
    op.create_table(
        "presence",
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("login", sa.String(100), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("holder", sa.String(200), nullable=False),
        sa.Column("expires", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("ticket_id", "login", name=op.f("pk_presence")),
    )
    if op.get_bind().dialect.name == "postgresql":
        for statement in _PG_FUNCTIONS:
            op.execute(statement)
    else:
        op.execute(_SQLITE_TRIGGER)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS history_change ON history")
        op.execute("DROP FUNCTION IF EXISTS reglament_history_change()")
        op.execute("DROP FUNCTION IF EXISTS reglament_change_notify() CASCADE")
    else:
        op.execute("DROP TRIGGER IF EXISTS history_change")
    op.drop_table("presence")
    op.drop_index(op.f("ix_change_log_xid"), table_name="change_log")
    op.drop_table("change_log")
