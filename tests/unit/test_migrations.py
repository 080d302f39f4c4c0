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
