"""A damaged or emptied SQLite file is refused on open — by the CLI too — with its name and what
to do, and is left exactly as it was (R-DATA-1); a sound file opened again after a clean close
is not read page by page (the seal), one changed behind Reglament's back is."""

from __future__ import annotations

import hashlib
import random
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from desktop.errors import StorageError
from desktop.store import integrity
from desktop.store.db import open_database
from desktop.store.integrity import DamagedDatabase


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def home(demo_template: Path, tmp_path: Path) -> Path:
    target = tmp_path / "home"
    shutil.copytree(demo_template, target)
    return target


def _scribble_in_the_middle(db: Path, seed: int = 7) -> None:
    """What a failing disk or a stray program does: random bytes in the middle of the file,
    across a page boundary, the header left alone — over two pages of the tables' data, not
    of the schema (whose pages a growing schema scatters through the file; damage there is
    seen by the cheap look on open, which some tests here must not rely on)."""
    import sqlite3

    con = sqlite3.connect(db)
    try:
        page = con.execute("PRAGMA page_size").fetchone()[0]
        count = con.execute("PRAGMA page_count").fetchone()[0]
        schema = {n for (n,) in con.execute("SELECT pageno FROM dbstat WHERE name = 'sqlite_schema'")}
    finally:
        con.close()
    first = next(p for p in range(count // 2, count) if p not in schema and p + 1 not in schema)
    with db.open("r+b") as fh:
        fh.seek((first - 1) * page + 100)
        fh.write(random.Random(seed).randbytes(4096))


def _cli(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "desktop.cli", "--home", str(home), *args],
                          capture_output=True, text=True, timeout=120)


def test_random_bytes_in_the_middle_are_refused_and_the_file_is_not_touched(home: Path) -> None:
    db = home / "reglament.db"
    _scribble_in_the_middle(db)
    before = _digest(db)
    done = _cli(home, "tickets")
    assert done.returncode == 1 and done.stdout == ""
    line = done.stderr.strip()
    assert "\n" not in line and "Traceback" not in line
    assert f"the database file {db} is damaged" in line
    assert "nothing was written to it" in line and "reglament restore" in line and str(home / "backups") in line
    assert _digest(db) == before
    assert not (home / "reglament.db-wal").exists()  # read as it lay, no log made beside it

    from desktop.services.workspace import open_workspace

    with pytest.raises(DamagedDatabase):
        open_workspace(home=home)
    assert _digest(db) == before


def test_a_zero_length_file_is_refused_not_recreated(home: Path) -> None:
    db = home / "reglament.db"
    db.write_bytes(b"")
    done = _cli(home, "tickets")
    assert done.returncode == 1
    assert f"the database file {db} is empty (0 bytes)" in done.stderr and "reglament restore" in done.stderr
    assert db.stat().st_size == 0 and not (home / "reglament.db-wal").exists()


@pytest.mark.parametrize("damage", ["foreign", "cut"])
def test_a_foreign_or_cut_file_is_refused(home: Path, damage: str) -> None:
    db = home / "reglament.db"
    if damage == "foreign":
        db.write_bytes(b"PK\x03\x04" + bytes(8188))
    else:
        with db.open("r+b") as fh:
            fh.truncate(db.stat().st_size // 2 + 17)
    before = _digest(db)
    with pytest.raises(DamagedDatabase, match="is damaged"):
        open_database(f"sqlite:///{db}")
    assert _digest(db) == before


def test_a_clean_close_seals_the_file_and_a_change_behind_our_back_breaks_the_seal(home: Path) -> None:
    db = home / "reglament.db"
    from desktop.services.workspace import open_workspace

    open_workspace(home=home).close()
    assert integrity.seal_matches(db)
    look = integrity.look_at(db)
    assert look is not None and not look.checked_whole and look.revision  # the cheap path
    con = sqlite3.connect(db)  # another program writes to it
    con.execute("CREATE TABLE scratch (x)")
    con.commit()
    con.close()
    look = integrity.look_at(db)
    assert look is not None and look.checked_whole
    opened = open_database(f"sqlite:///{db}")  # read whole on the way in: nothing left to check later
    assert opened.verified_on_open
    opened.dispose()


def test_a_process_that_only_glanced_at_the_file_does_not_seal_it(home: Path) -> None:
    db = home / "reglament.db"
    _scribble_in_the_middle(db, seed=5)  # damaged while another process had it open
    opened = open_database(f"sqlite:///{db}", migrate=False, others_have_it_open=True)
    opened.dispose()  # the last one out, but it never saw the file whole
    assert not integrity.seal_matches(db)
    with pytest.raises(DamagedDatabase):
        open_database(f"sqlite:///{db}")


def test_the_background_check_still_names_damage_in_a_file_someone_else_has_open(home: Path) -> None:
    db = home / "reglament.db"
    _scribble_in_the_middle(db, seed=3)
    # another process of this workspace checked it when it opened it: only the cheap look here
    opened = open_database(f"sqlite:///{db}", migrate=False, others_have_it_open=True)
    assert not opened.verified_on_open
    try:
        with pytest.raises(StorageError, match=r"database file is damaged: .*restore it from a backup") as caught:
            opened.check_integrity()
        assert "\n" not in str(caught.value) and len(str(caught.value)) < 300
    finally:
        opened.dispose()


def test_a_refused_statement_is_not_called_damage(tmp_path: Path) -> None:
    from sqlalchemy.exc import IntegrityError

    db = open_database(f"sqlite:///{tmp_path / 'ok.db'}")
    try:
        db.check_integrity()
        with db.session() as s:
            s.execute(text("CREATE TABLE once (k TEXT PRIMARY KEY)"))
            s.execute(text("INSERT INTO once VALUES ('a')"))
        with pytest.raises(IntegrityError), db.session() as s:
            s.execute(text("INSERT INTO once VALUES ('a')"))
    finally:
        db.dispose()
