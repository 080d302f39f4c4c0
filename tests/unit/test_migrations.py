"""Migrations (R-TEAM-3): an empty database is upgraded, again is a no-op, and the migrated
schema is exactly what the models declare (so nobody changes a model without a migration)."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text

from desktop.store.db import open_database, table_names
from desktop.store.models import Base


def test_upgrade_empty_then_again(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'r.db'}"
    db = open_database(url)
    first = table_names(db.engine)
    with db.engine.connect() as c:
        head = c.execute(text("SELECT version_num FROM alembic_version")).scalar()
    db.dispose()
    db = open_database(url)
    assert table_names(db.engine) == first and "tickets" in first
    with db.engine.connect() as c:
        assert c.execute(text("SELECT version_num FROM alembic_version")).scalar() == head
        assert c.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert c.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert c.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL: a commit is on the disk
    db.dispose()


def test_models_match_migrations(tmp_path: Path) -> None:
    db = open_database(f"sqlite:///{tmp_path / 'm.db'}")
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    db.dispose()
    # FTS shadow tables and the like are the queue's own business, not models'.
    relevant = [d for d in diff if not (d[0] == "remove_table" and "fts" in d[1].name)]
    assert relevant == []


def test_file_names_carry_their_revision() -> None:
    """Start-up skips alembic when the stored revision equals the newest file's prefix."""
    import re

    from desktop.store.db import MIGRATIONS, head_revision

    files = sorted((MIGRATIONS / "versions").glob("*.py"))
    for f in files:
        revision = re.search(r'^revision = "(\w+)"', f.read_text(encoding="utf-8"), re.M)
        assert revision and revision.group(1) == f.name[:4], f.name
    assert head_revision() == files[-1].name[:4]


def test_an_older_workspace_with_tickets_upgrades_with_its_foreign_keys_on(tmp_path: Path) -> None:
    """An agent's SQLite file from an older release, whose tickets refer to a department and
    have messages and a draft, opens on this one: every column added since is added in place
    (a rebuild of a table others refer to is refused by SQLite with foreign keys on, and copying
    every message of a large workspace would hold the window for minutes) and nothing is lost."""
    from alembic import command

    from desktop.store.db import alembic_config

    url = f"sqlite:///{tmp_path / 'old.db'}"
    command.upgrade(alembic_config(url), "0012")
    import sqlite3

    con = sqlite3.connect(tmp_path / "old.db")
    con.execute("INSERT INTO departments (id, code, name_en, name_ru) VALUES (7, 'web', 'Web', 'Веб')")
    con.execute("INSERT INTO tickets (id, number, tid, subject, requester, requester_name, channel, category, "
                "department_id, priority, priority_rank, status, reason_note, paid, paid_reason, paid_confirmed, "
                "written_only, password_reminder, archived, flags, received_at, created_at, updated_at, version) "
                "VALUES (1, 1, 'TID-000001', 'Сайт', 'a@b.ru', '', 'email', 'other', 7, 'normal', 1, 'new', '', "
                "0, '', 0, 0, 0, 0, '[]', '2026-11-17 07:00:00', '2026-11-17 07:00:00', "
                "'2026-11-17 07:00:00', 1)")
    con.execute("INSERT INTO messages (id, ticket_id, direction, from_addr, from_name, subject, received_at, text, "
                "threaded_by, created_at, size, \"references\", to_addrs, cc_addrs) VALUES (1, 1, 'in', 'a@b.ru', "
                "'', 'Сайт', '2026-11-17 07:00:00', 'Не открывается', 'new_ticket', '2026-11-17 07:00:00', 0, "
                "'[]', '[]', '[]')")
    con.commit()
    con.close()

    db = open_database(url)
    with db.engine.connect() as c:
        assert c.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert c.execute(text("SELECT code, active, position FROM departments")).one() == ("web", 1, 7)
        assert c.execute(text("SELECT department_id FROM tickets")).scalar() == 7
        assert c.execute(text("SELECT text, bcc_addrs FROM messages")).one() == ("Не открывается", None)
    db.dispose()
