"""Upgrades a team agrees to, against a real PostgreSQL: a workstation newer than the team's
database does not migrate it unasked — it says where the database is and how to upgrade it;
``reglament db upgrade`` saves a ``pg_dump`` first and then upgrades it; a workstation older
than the database says so by release and schema and does not start on it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from desktop import __version__
from desktop.store.db import alembic_config, head_revision
from desktop.store.schema_version import SchemaBehind, SchemaTooNew

pytestmark = pytest.mark.integration


def _cli(home: Path, url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("REGLAMENT_DB_URL", "REGLAMENT_HOME")}
    return subprocess.run([sys.executable, "-m", "desktop.cli", "--home", str(home), "--db", url, *args],
                          capture_output=True, text=True, timeout=180, env=env)


def _at(url: str, revision: str, release: str) -> None:
    from alembic import command

    engine = create_engine(url)
    with engine.begin() as conn:
        cfg = alembic_config(url)
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
        conn.execute(text(f"COMMENT ON TABLE alembic_version IS 'Reglament {release}'"))
        conn.execute(text("INSERT INTO clients (name, priority_support, language, notes) VALUES ('ООО «Ромашка»', false, 'ru', '')"))
    engine.dispose()


def _revision(url: str) -> str:
    engine = create_engine(url)
    with engine.connect() as conn:
        found = conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
    engine.dispose()
    return str(found)


def test_an_older_team_database_is_left_alone_until_db_upgrade(postgres_url: str, tmp_path: Path) -> None:
    from desktop.services.workspace import open_workspace

    _at(postgres_url, "0004", "0.0.9")
    with pytest.raises(SchemaBehind) as caught:
        open_workspace(home=tmp_path / "anna", db_url=postgres_url)
    said = str(caught.value)
    assert "is at schema 0004 (Reglament 0.0.9)" in said and f"Reglament {__version__}" in said
    assert "`reglament db upgrade`" in said and "pg_dump" in said and "password" not in said
    assert _revision(postgres_url) == "0004"  # nobody's workstation changed under them

    home = tmp_path / "boris"
    status = _cli(home, postgres_url, "db", "status")
    assert status.returncode == 0 and "needs `reglament db upgrade`" in status.stdout
    tickets = _cli(home, postgres_url, "tickets")
    assert tickets.returncode == 1 and "reglament db upgrade" in tickets.stderr
    assert "\n" not in tickets.stderr.strip()

    upgraded = _cli(home, postgres_url, "db", "upgrade")
    assert upgraded.returncode == 0, upgraded.stderr
    dumps = list((home / "backups").glob("*-before-upgrade.dump"))
    assert len(dumps) == 1 and dumps[0].read_bytes().startswith(b"PGDMP")  # pg_dump's own format
    assert _revision(postgres_url) == head_revision()
    ws = open_workspace(home=tmp_path / "anna", db_url=postgres_url)
    ws.close()
    listed = subprocess.run(["pg_restore", "--list", str(dumps[0])], capture_output=True, text=True, timeout=60)
    assert listed.returncode == 0 and "TABLE DATA public clients" in listed.stdout


def test_a_workstation_older_than_the_team_database_does_not_start_on_it(postgres_url: str, tmp_path: Path) -> None:
    from desktop.services.workspace import open_workspace

    _at(postgres_url, head_revision(), "7.0.1")
    engine = create_engine(postgres_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0099'"))
    engine.dispose()
    with pytest.raises(SchemaTooNew) as caught:
        open_workspace(home=tmp_path / "anna", db_url=postgres_url)
    said = str(caught.value)
    assert "upgraded by Reglament 7.0.1 (schema 0099)" in said
    assert f"this is Reglament {__version__} (schema {head_revision()})" in said
    refused = _cli(tmp_path / "boris", postgres_url, "db", "upgrade")
    assert refused.returncode == 1 and "Reglament 7.0.1" in refused.stderr
    assert _revision(postgres_url) == "0099"


def test_an_empty_team_database_gets_its_schema_at_once(postgres_url: str, tmp_path: Path) -> None:
    from desktop.services.workspace import open_workspace

    open_workspace(home=tmp_path / "anna", db_url=postgres_url).close()
    assert _revision(postgres_url) == head_revision()


def test_a_team_database_backed_up_with_pg_dump_is_restored(postgres_url: str, tmp_path: Path) -> None:
    home = tmp_path / "lead"
    assert _cli(home, postgres_url, "client", "add", "--name", "ООО «Ромашка»").returncode == 0
    target = tmp_path / "team.dump"
    made = _cli(home, postgres_url, "backup", "--to", str(target))
    assert made.returncode == 0, made.stderr
    assert target.read_bytes().startswith(b"PGDMP") and "password" not in made.stdout
    assert _cli(home, postgres_url, "client", "add", "--name", "ООО «Лютик»").returncode == 0
    from desktop.services.workspace import open_workspace

    colleague = open_workspace(home=tmp_path / "anna", db_url=postgres_url)  # a window still open
    try:
        refused = _cli(home, postgres_url, "restore", str(target))
        assert refused.returncode == 1 and "the team database is in use" in refused.stderr
    finally:
        colleague.close()
    restored = _cli(home, postgres_url, "restore", str(target))
    assert restored.returncode == 0, restored.stderr
    listed = _cli(home, postgres_url, "client", "list").stdout
    assert "Ромашка" in listed and "Лютик" not in listed
