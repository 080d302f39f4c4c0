"""Backups (R-DATA-2): ``reglament backup`` / ``restore`` round trip with attachments, a restore
refused while the workspace is open elsewhere, a backup before every schema upgrade and one a
day with a kept count, and a database from a newer Reglament refused by name and version."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine

from desktop import __version__
from desktop.store import backup
from desktop.store.db import alembic_config, head_revision
from desktop.store.schema_version import SchemaTooNew, encode_release


def _cli(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("REGLAMENT_DB_URL", "REGLAMENT_HOME")}
    return subprocess.run([sys.executable, "-m", "desktop.cli", "--home", str(home), *args],
                          capture_output=True, text=True, timeout=180, env=env)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def home(demo_template: Path, tmp_path: Path) -> Path:
    target = tmp_path / "home"
    shutil.copytree(demo_template, target)
    return target


def _files(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()}


def test_backup_then_restore_brings_back_the_tickets_and_their_attachments(home: Path, tmp_path: Path) -> None:
    before = _cli(home, "tickets", "--json")
    assert before.returncode == 0, before.stderr
    target = tmp_path / "elsewhere" / "monday.db"
    made = _cli(home, "backup", "--to", str(target))
    assert made.returncode == 0, made.stderr
    assert target.is_file() and _files(home / "blobs") <= _files(backup.blobs_beside(target))
    # the day goes on: a client is added, and an attachment is lost
    assert _cli(home, "client", "add", "--name", "ООО «Новый»").returncode == 0
    lost = next(p for p in (home / "blobs").rglob("*") if p.is_file())
    lost.unlink()
    restored = _cli(home, "restore", str(target))
    assert restored.returncode == 0, restored.stderr
    assert "kept at" in restored.stdout
    assert _cli(home, "tickets", "--json").stdout == before.stdout
    assert "Новый" not in _cli(home, "client", "list").stdout
    assert lost.is_file()
    kept = list((home / "backups").glob("*-before-restore.db"))
    assert len(kept) == 1  # the replaced database, with the new client, is not thrown away
    with sqlite3.connect(kept[0]) as con:
        assert con.execute("SELECT count(*) FROM clients WHERE name LIKE '%Новый%'").fetchone()[0] == 1


def test_restore_is_refused_while_another_process_has_the_workspace(home: Path, tmp_path: Path) -> None:
    from desktop.services.workspace import open_workspace

    target = tmp_path / "b.db"
    assert _cli(home, "backup", "--to", str(target)).returncode == 0
    ws = open_workspace(home=home)  # this test process: "the window"
    try:
        before = _digest(home / "reglament.db")
        refused = _cli(home, "restore", str(target))
        assert refused.returncode == 1
        assert "is open in another program" in refused.stderr and str(os.getpid()) in refused.stderr
        assert _digest(home / "reglament.db") == before
    finally:
        ws.close()
    assert _cli(home, "restore", str(target)).returncode == 0  # closed: now it may


def test_a_damaged_backup_is_not_restored(home: Path, tmp_path: Path) -> None:
    target = tmp_path / "b.db"
    assert _cli(home, "backup", "--to", str(target)).returncode == 0
    target.write_bytes(b"")
    before = _digest(home / "reglament.db")
    refused = _cli(home, "restore", str(target))
    assert refused.returncode == 1 and "is empty" in refused.stderr
    assert _digest(home / "reglament.db") == before


def test_an_upgrade_of_an_older_file_waits_for_its_backup(tmp_path: Path) -> None:
    from alembic import command

    from desktop.services.workspace import open_workspace

    home = tmp_path / "home"
    home.mkdir()
    url = f"sqlite:///{home / 'reglament.db'}"
    engine = create_engine(url)
    with engine.begin() as conn:
        cfg = alembic_config(url)
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0004")
    engine.dispose()
    open_workspace(home=home).close()
    made = list((home / "backups").glob("*-before-upgrade.db"))
    assert len(made) == 1
    with sqlite3.connect(made[0]) as con:
        assert con.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "0004"
    with sqlite3.connect(home / "reglament.db") as con:
        assert con.execute("SELECT version_num FROM alembic_version").fetchone()[0] == head_revision()
        assert con.execute("PRAGMA user_version").fetchone()[0] == encode_release()


def test_one_daily_backup_and_only_the_kept_count(home: Path) -> None:
    from desktop.services.workspace import open_workspace

    folder = home / "backups"
    folder.mkdir(exist_ok=True)
    for day in range(1, 11):  # ten older days
        old = backup.automatic_name(folder, backup.DAILY, datetime(2026, 1, day, 9, 0))
        old.write_bytes(b"old")
        backup.blobs_beside(old).mkdir()
    for _ in range(2):
        open_workspace(home=home).close()
    dailies = sorted(folder.glob("*-daily.db"))
    assert len(dailies) == 7  # the default kept count
    assert dailies[-1].stat().st_size > 100 and not dailies[0].name.startswith("reglament-20260101")
    assert not backup.blobs_beside(folder / "reglament-20260101-090000-daily.db").exists()


def test_a_database_from_a_newer_reglament_is_refused_naming_both_versions(home: Path) -> None:
    db = home / "reglament.db"
    con = sqlite3.connect(db)
    with con:
        con.execute("UPDATE alembic_version SET version_num = '0042'")
        con.execute(f"PRAGMA user_version = {encode_release('3.1.4')}")
    con.close()
    before = _digest(db)
    done = _cli(home, "tickets")
    assert done.returncode == 1
    line = done.stderr.strip()
    assert "\n" not in line and "CommandError" not in line
    assert "upgraded by Reglament 3.1.4 (schema 0042)" in line
    assert f"this is Reglament {__version__} (schema {head_revision()})" in line
    assert "Install Reglament 3.1.4 or newer" in line
    assert _digest(db) == before

    from desktop.services.workspace import open_workspace

    with pytest.raises(SchemaTooNew):
        open_workspace(home=home)
