"""change_log and presence: every committed change of a ticket, announced to the other workstations

A team on one database saw a colleague's change only when the window re-read its ids a minute
later, and never in the open ticket. Each line of a ticket's history now also lands in
``change_log`` (a trigger, so no writer can skip it), numbered in commit order; on PostgreSQL a
second trigger announces it with ``pg_notify('reglament_changes', …)`` carrying the ticket,
what changed and who (a bulk insert's many lines as one range of numbers to read back). Workstations listen (PostgreSQL) or poll the newest number (SQLite) and
re-read only what changed; after a dropped connection they read the log back from where they
were, using the transaction id to catch a change that committed late. ``presence`` holds who has
a reply open on which ticket, as a lease renewed by a heartbeat.

Revision ID: 0009
Revises: 0007
Create Date: 2026-12-07 05:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from desktop.store.types import UTCDateTime

revision = "0009"
down_revision = "0007"
branch_labels = None
depends_on = None

CHANNEL = "reglament_changes"

#: A statement inserting more lines than this announces them as one range, which listeners read
#: back: a sync storing thousands of messages in one commit sends a few notifications, not one
#: per line (measured: 66 µs a line with a notification each, on a local server).
RANGE_OVER = 20

# Statement-level triggers with transition tables: one pass per INSERT statement, however many
# rows it carries (SQLAlchemy sends a bulk insert as multi-row statements).
_PG_FUNCTIONS = (
    """
    CREATE OR REPLACE FUNCTION reglament_history_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO change_log (ticket_id, tid, what, field, new, actor, at)
        SELECT n.ticket_id, t.tid, n.action, n.field, left(n.new, 200), n.actor, n.at
        FROM new_rows n LEFT JOIN tickets t ON t.id = n.ticket_id
        ORDER BY n.id;
        RETURN NULL;
    END $$
    """,
    f"""
    CREATE OR REPLACE FUNCTION reglament_change_notify() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
        lines integer;
        line record;
    BEGIN
        SELECT count(*) INTO lines FROM new_rows;
        IF lines > {RANGE_OVER} THEN
            PERFORM pg_notify('{CHANNEL}', json_build_object(
                'from', (SELECT min(seq) FROM new_rows), 'to', (SELECT max(seq) FROM new_rows))::text);
        ELSE
            FOR line IN SELECT * FROM new_rows ORDER BY seq LOOP
                PERFORM pg_notify('{CHANNEL}', json_build_object(
                    'seq', line.seq, 'ticket', line.ticket_id, 'tid', line.tid, 'what', line.what,
                    'field', line.field, 'new', line.new, 'who', line.actor)::text);
            END LOOP;
        END IF;
        RETURN NULL;
    END $$
    """,
    """
    CREATE TRIGGER history_change AFTER INSERT ON history REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION reglament_history_change()
    """,
    """
    CREATE TRIGGER change_notify AFTER INSERT ON change_log REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION reglament_change_notify()
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
        op.execute("DROP TRIGGER IF EXISTS change_notify ON change_log")
        op.execute("DROP FUNCTION IF EXISTS reglament_history_change()")
        op.execute("DROP FUNCTION IF EXISTS reglament_change_notify() CASCADE")
    else:
        op.execute("DROP TRIGGER IF EXISTS history_change")
    op.drop_table("presence")
    op.drop_index(op.f("ix_change_log_xid"), table_name="change_log")
    op.drop_table("change_log")
