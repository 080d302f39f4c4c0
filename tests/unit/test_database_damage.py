"""A damaged SQLite file: start-up does not wait for a check of every page, the check runs on
its own (the window starts it in the background), and a query meeting the damage says so in
words instead of a raw driver error."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from desktop.errors import StorageError
from desktop.store.db import open_database


def _damaged_database(tmp_path: Path) -> str:
    path = tmp_path / "r.db"
    url = f"sqlite:///{path}"
    open_database(url).dispose()  # the real schema
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE notes_archive (id INTEGER PRIMARY KEY, body TEXT)")
    con.executemany("INSERT INTO notes_archive (body) VALUES (?)", [("x" * 200,) for _ in range(2000)])
    con.commit()
    root = con.execute("SELECT rootpage FROM sqlite_master WHERE name = 'notes_archive'").fetchone()[0]
    page = con.execute("PRAGMA page_size").fetchone()[0]
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    with path.open("r+b") as fh:  # the table's root page overwritten, the header left alone
        fh.seek((root - 1) * page)
        fh.write(b"\xde\xad\xbe\xef" * (page // 4))
    return url


def test_a_damaged_file_opens_and_the_check_names_the_damage(tmp_path: Path) -> None:
    db = open_database(_damaged_database(tmp_path))  # no whole-file check on the way in
    try:
        with pytest.raises(StorageError, match=r"database file is damaged: Page .*restore it from a backup") as caught:
            db.check_integrity()
        assert "\n" not in str(caught.value) and len(str(caught.value)) < 300  # a sentence, not SQLite's page list
        with pytest.raises(StorageError, match="database file is damaged"), db.session() as s:
            s.execute(text("SELECT count(*) FROM notes_archive")).scalar()
        with db.session() as s:  # the rest of the file is still read as before
            assert s.execute(text("SELECT count(*) FROM tickets")).scalar() == 0
    finally:
        db.dispose()


def test_a_sound_file_passes_the_check(tmp_path: Path) -> None:
    db = open_database(f"sqlite:///{tmp_path / 'ok.db'}")
    try:
        db.check_integrity()
    finally:
        db.dispose()


def test_a_refused_statement_is_not_called_damage(tmp_path: Path) -> None:
    from sqlalchemy.exc import IntegrityError

    db = open_database(f"sqlite:///{tmp_path / 'ok.db'}")
    try:
        with db.session() as s:
            s.execute(text("CREATE TABLE once (k TEXT PRIMARY KEY)"))
            s.execute(text("INSERT INTO once VALUES ('a')"))
        with pytest.raises(IntegrityError), db.session() as s:
            s.execute(text("INSERT INTO once VALUES ('a')"))
    finally:
        db.dispose()
