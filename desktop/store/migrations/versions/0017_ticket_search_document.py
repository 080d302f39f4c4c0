"""search on PostgreSQL: one search document per ticket, kept by triggers; dashboard risk index

A body search on a team's PostgreSQL went through the GIN index of every message (300,000 at
100,000 tickets) and then folded the hits to their tickets: 2.6× the bare full-text query. Each
ticket now has one search document — its subject and sender and the words of every message a
client or an agent wrote (not the mail Reglament sends on its own, migration 0004) — as a
stripped ``tsvector`` in ``ticket_search`` with a GIN index of its own, so a search is one index
lookup on tickets. Words are stemmed by the ``russian`` configuration (English stems for Latin
words), as in migration 0010.

Triggers keep the document whatever writes (mail ingest, services, scripts, ``COPY``):

* new messages add their words (statement-level, so a bulk insert is one upsert per ticket;
  a stripped vector joined with ``||`` is a set union, so adding twice changes nothing);
* a message edited, moved to another ticket or deleted rebuilds the documents of the tickets
  it left and joined (statement-level over the transition tables: a merge of a long thread is
  one rebuild, not one per message);
* a new ticket gets its document; a ticket whose subject or sender changes is rebuilt;
  a deleted ticket's document goes with it (``ON DELETE CASCADE``).

A ``tsvector`` holds at most 1 MB. A ticket whose mail together exceeds it (pasted logs,
encoded blobs) keeps a document of its own fields only, marked ``partial``: the search reads
those few tickets' messages one by one instead, and the write that crossed the limit is never
refused. The per-message and per-ticket expression indexes of 0010 are no longer read by the
search and are dropped (each message insert paid for them); the trigram index stays.

SQLite keeps its FTS5 tables (0002, 0004), which its triggers already keep. On both engines one
index serves the team lead's dashboard: the open tickets at risk, picked by status, plan and
their running deadlines from the index alone (at 100,000 tickets SQLite walked every ticket in
order of arrival to find them: 0.2–0.5 s of a 0.6 s report).

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07 07:20:00
"""

from __future__ import annotations

from alembic import op
from sqlalchemy.exc import DBAPIError

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

# Literal, as migration 0010's: a migration must not change with the code.
_TICKET_TEXT = "coalesce(t.subject, '') || ' ' || coalesce(t.requester, '') || ' ' || coalesce(t.requester_name, '')"
_MESSAGE_TEXT = (
    "coalesce(m.subject, '') || ' ' || coalesce(m.text, '') || ' ' || coalesce(m.from_addr, '') || ' ' "
    "|| coalesce(m.from_name, '')"
)
_NOT_AUTOMATIC = "m.author IS DISTINCT FROM 'system'"

# The whole document of the tickets ``ids``, written (or rewritten) in one statement.
_REBUILD = f"""
    INSERT INTO ticket_search (ticket_id, document, partial)
    SELECT t.id, strip(to_tsvector('russian', {_TICKET_TEXT} || ' ' || coalesce(
               (SELECT string_agg({_MESSAGE_TEXT}, ' ') FROM messages AS m
                WHERE m.ticket_id = t.id AND {_NOT_AUTOMATIC}), ''))), false
    FROM tickets AS t WHERE t.id = ANY(ids)
    ON CONFLICT (ticket_id) DO UPDATE SET document = excluded.document, partial = false
"""

_FUNCTIONS = [
    # Rebuild the documents of ``ids``; a ticket whose words exceed a tsvector keeps its own
    # fields, marked partial (the search then reads its messages), and the write goes on.
    f"""CREATE OR REPLACE FUNCTION reglament_search_rebuild(ids integer[]) RETURNS void
        LANGUAGE plpgsql AS $$
    DECLARE one integer;
    BEGIN
        IF ids IS NULL OR cardinality(ids) = 0 THEN
            RETURN;
        END IF;
        BEGIN
            {_REBUILD};
        EXCEPTION WHEN program_limit_exceeded THEN
            FOREACH one IN ARRAY ids LOOP
                PERFORM reglament_search_rebuild_one(one);
            END LOOP;
        END;
    END $$""",
    f"""CREATE OR REPLACE FUNCTION reglament_search_rebuild_one(one integer) RETURNS void
        LANGUAGE plpgsql AS $$
    DECLARE ids integer[] := ARRAY[one];
    BEGIN
        BEGIN
            {_REBUILD};
        EXCEPTION WHEN program_limit_exceeded THEN
            INSERT INTO ticket_search (ticket_id, document, partial)
            SELECT t.id, strip(to_tsvector('russian', {_TICKET_TEXT})), true FROM tickets AS t WHERE t.id = one
            ON CONFLICT (ticket_id) DO UPDATE SET document = excluded.document, partial = true;
        END;
    END $$""",
    # New messages: their words joined to their tickets' documents, one upsert per ticket.
    f"""CREATE OR REPLACE FUNCTION reglament_search_messages_added() RETURNS trigger
        LANGUAGE plpgsql AS $$
    BEGIN
        -- A ticket without a document yet (or a partial one) is rebuilt whole.
        PERFORM reglament_search_rebuild(ARRAY(
            SELECT DISTINCT m.ticket_id FROM added AS m
            WHERE {_NOT_AUTOMATIC} AND NOT EXISTS (
                SELECT 1 FROM ticket_search AS s WHERE s.ticket_id = m.ticket_id AND NOT s.partial)));
        BEGIN
            UPDATE ticket_search AS s SET document = s.document || a.document
            FROM (SELECT m.ticket_id, strip(to_tsvector('russian', string_agg({_MESSAGE_TEXT}, ' '))) AS document
                  FROM added AS m WHERE {_NOT_AUTOMATIC} GROUP BY m.ticket_id) AS a
            WHERE s.ticket_id = a.ticket_id AND NOT s.partial;
        EXCEPTION WHEN program_limit_exceeded THEN
            PERFORM reglament_search_rebuild(ARRAY(SELECT DISTINCT m.ticket_id FROM added AS m));
        END;
        RETURN NULL;
    END $$""",
    # Messages edited or moved: the tickets they left and joined are rebuilt, once each.
    """CREATE OR REPLACE FUNCTION reglament_search_messages_changed() RETURNS trigger
        LANGUAGE plpgsql AS $$
    DECLARE ids integer[];
    BEGIN
        ids := ARRAY(
            SELECT o.ticket_id FROM before_rows AS o JOIN after_rows AS n ON n.id = o.id
            WHERE (o.ticket_id, o.subject, o.text, o.from_addr, o.from_name, o.author)
                  IS DISTINCT FROM (n.ticket_id, n.subject, n.text, n.from_addr, n.from_name, n.author)
            UNION
            SELECT n.ticket_id FROM before_rows AS o JOIN after_rows AS n ON n.id = o.id
            WHERE (o.ticket_id, o.subject, o.text, o.from_addr, o.from_name, o.author)
                  IS DISTINCT FROM (n.ticket_id, n.subject, n.text, n.from_addr, n.from_name, n.author));
        PERFORM reglament_search_rebuild(ids);
        RETURN NULL;
    END $$""",
    """CREATE OR REPLACE FUNCTION reglament_search_messages_removed() RETURNS trigger
        LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM reglament_search_rebuild(ARRAY(SELECT DISTINCT ticket_id FROM gone));
        RETURN NULL;
    END $$""",
    f"""CREATE OR REPLACE FUNCTION reglament_search_tickets_added() RETURNS trigger
        LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO ticket_search (ticket_id, document)
        SELECT t.id, strip(to_tsvector('russian', {_TICKET_TEXT})) FROM added AS t
        ON CONFLICT (ticket_id) DO UPDATE SET document = ticket_search.document || excluded.document;
        RETURN NULL;
    END $$""",
    """CREATE OR REPLACE FUNCTION reglament_search_ticket_changed() RETURNS trigger
        LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM reglament_search_rebuild(ARRAY[new.id]);
        RETURN NULL;
    END $$""",
]

_TRIGGERS = [
    "CREATE TRIGGER ticket_search_messages_ai AFTER INSERT ON messages REFERENCING NEW TABLE AS added "
    "FOR EACH STATEMENT EXECUTE FUNCTION reglament_search_messages_added()",
    # (PostgreSQL allows no column list beside transition tables: the function compares.)
    "CREATE TRIGGER ticket_search_messages_au AFTER UPDATE ON messages "
    "REFERENCING OLD TABLE AS before_rows NEW TABLE AS after_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION reglament_search_messages_changed()",
    "CREATE TRIGGER ticket_search_messages_ad AFTER DELETE ON messages REFERENCING OLD TABLE AS gone "
    "FOR EACH STATEMENT EXECUTE FUNCTION reglament_search_messages_removed()",
    "CREATE TRIGGER ticket_search_tickets_ai AFTER INSERT ON tickets REFERENCING NEW TABLE AS added "
    "FOR EACH STATEMENT EXECUTE FUNCTION reglament_search_tickets_added()",
    # Status changes and the like leave the document alone: only the fields it holds fire this.
    "CREATE TRIGGER ticket_search_tickets_au AFTER UPDATE OF subject, requester, requester_name ON tickets "
    "FOR EACH ROW WHEN ((old.subject, old.requester, old.requester_name) "
    "IS DISTINCT FROM (new.subject, new.requester, new.requester_name)) "
    "EXECUTE FUNCTION reglament_search_ticket_changed()",
]

# The backfill: every ticket's document in one grouped pass (~6 s at 100,000 tickets with
# 300,000 messages); a ticket over the limit is written by the careful path after it.
_BACKFILL = f"""
    INSERT INTO ticket_search (ticket_id, document)
    SELECT t.id, strip(to_tsvector('russian', {_TICKET_TEXT} || ' ' || coalesce(m.body, '')))
    FROM tickets AS t LEFT JOIN (
        SELECT m.ticket_id, string_agg({_MESSAGE_TEXT}, ' ') AS body FROM messages AS m
        WHERE {_NOT_AUTOMATIC} GROUP BY m.ticket_id) AS m ON m.ticket_id = t.id
"""

# As in migration 0010 (for the downgrade).
_MESSAGE_DOCUMENT = (
    "to_tsvector('russian', coalesce(subject, '') || ' ' || coalesce(text, '') || ' ' "
    "|| coalesce(from_addr, '') || ' ' || coalesce(from_name, ''))"
)
_TICKET_DOCUMENT = (
    "to_tsvector('russian', coalesce(subject, '') || ' ' || coalesce(requester, '') || ' ' "
    "|| coalesce(requester_name, ''))"
)


#: What the dashboard's tickets at risk are picked by (status, plan, running clocks): read from
#: this index alone, the open tickets' rows are fetched only for the candidates.
_RUNNING = ["status", "plan_id", "first_reply_at", "reaction_due_at", "resolved_at", "resolution_due_at", "archived"]


def upgrade() -> None:
    op.create_index("ix_tickets_running", "tickets", _RUNNING)
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        # Without statistics of its own SQLite took the new index for the most selective one
        # and counted the backlog through it instead of its covering index.
        op.execute("ANALYZE ix_tickets_running")
        return
    op.execute(
        "CREATE TABLE ticket_search ("
        " ticket_id integer PRIMARY KEY REFERENCES tickets (id) ON DELETE CASCADE,"
        " document tsvector NOT NULL,"
        " partial boolean NOT NULL DEFAULT false)"
    )
    for statement in _FUNCTIONS:
        op.execute(statement)
    try:
        with bind.begin_nested():
            op.execute(_BACKFILL)
    except DBAPIError:  # some ticket's mail exceeds a tsvector: one by one, the careful way
        op.execute("SELECT reglament_search_rebuild_one(id) FROM tickets")
    op.execute("CREATE INDEX ix_ticket_search ON ticket_search USING gin (document)")
    op.execute("CREATE INDEX ix_ticket_search_partial ON ticket_search (ticket_id) WHERE partial")
    for statement in _TRIGGERS:
        op.execute(statement)
    op.execute("DROP INDEX IF EXISTS ix_messages_fulltext")
    op.execute("DROP INDEX IF EXISTS ix_tickets_fulltext")
    op.execute("ANALYZE ticket_search")


def downgrade() -> None:
    op.drop_index("ix_tickets_running", "tickets")
    if op.get_bind().dialect.name != "postgresql":
        return
    for name, table in (("ticket_search_tickets_au", "tickets"), ("ticket_search_tickets_ai", "tickets"),
                        ("ticket_search_messages_ad", "messages"), ("ticket_search_messages_au", "messages"),
                        ("ticket_search_messages_ai", "messages")):
        op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
    for fn in ("reglament_search_ticket_changed()", "reglament_search_tickets_added()",
               "reglament_search_messages_removed()", "reglament_search_messages_changed()",
               "reglament_search_messages_added()", "reglament_search_rebuild(integer[])",
               "reglament_search_rebuild_one(integer)"):
        op.execute(f"DROP FUNCTION IF EXISTS {fn}")
    op.execute("DROP TABLE IF EXISTS ticket_search")
    op.execute(f"CREATE INDEX IF NOT EXISTS ix_messages_fulltext ON messages USING gin ({_MESSAGE_DOCUMENT}) "
               "WHERE author IS DISTINCT FROM 'system'")
    op.execute(f"CREATE INDEX IF NOT EXISTS ix_tickets_fulltext ON tickets USING gin ({_TICKET_DOCUMENT})")
