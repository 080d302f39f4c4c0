"""A database the workstation must not start on is explained in a window, by file and version,
and left as it was: an emptied file, a damaged one, one from a newer Reglament."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from pathlib import Path

import pytest

from desktop import __version__
from desktop.store.schema_version import encode_release

pytestmark = pytest.mark.ui


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _refused(qtbot, home: Path) -> str:
    from ui.app import start

    up = start(home=home)
    qtbot.waitUntil(lambda: up.error is not None, timeout=20_000)
    assert up.window is None and up.error_box is not None and up.error_box.isVisible()
    text = up.error_box.informativeText()
    up.error_box.close()
    assert "Traceback" not in text
    return text


def test_an_emptied_database_is_refused_in_a_window(qtbot, tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "reglament.db").write_bytes(b"")
    text = _refused(qtbot, home)
    assert str(home / "reglament.db") in text and "reglament restore" in text
    assert (home / "reglament.db").stat().st_size == 0


def test_a_database_from_a_newer_reglament_is_refused_in_a_window(qtbot, tmp_path: Path, demo_template: Path) -> None:
    home = tmp_path / "home"
    shutil.copytree(demo_template, home)
    db = home / "reglament.db"
    con = sqlite3.connect(db)
    with con:
        con.execute("UPDATE alembic_version SET version_num = '0077'")
        con.execute(f"PRAGMA user_version = {encode_release('2.0.0')}")
    con.close()
    before = _digest(db)
    text = _refused(qtbot, home)
    assert "2.0.0" in text and __version__ in text and "0077" in text
    assert _digest(db) == before
