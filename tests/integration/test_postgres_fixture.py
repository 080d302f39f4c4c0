"""The PostgreSQL fixture gives a working, isolated database for team-mode tests."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.servers.postgres import PostgresServer

pytestmark = pytest.mark.integration


def test_url_works_with_sqlalchemy_and_psycopg(postgres_url: str) -> None:
    assert postgres_url.startswith("postgresql+psycopg://postgres@127.0.0.1:")
    engine = sa.create_engine(postgres_url)
    try:
        with engine.connect() as conn:
            assert conn.execute(sa.text("SELECT 1")).scalar_one() == 1
            version = conn.execute(sa.text("SHOW server_version_num")).scalar_one()
            encoding = conn.execute(sa.text("SHOW server_encoding")).scalar_one()
            text = conn.execute(sa.text("SELECT 'Заявка №1 — Ёж'")).scalar_one()
    finally:
        engine.dispose()
    assert int(version) // 10000 == 15
    assert encoding == "UTF8"
    assert text == "Заявка №1 — Ёж"


def test_each_test_gets_an_empty_database(
    postgres_server: PostgresServer, postgres_url: str
) -> None:
    other_url = postgres_server.create_database()
    engines = [sa.create_engine(postgres_url), sa.create_engine(other_url)]
    try:
        with engines[0].begin() as conn:
            conn.execute(sa.text("CREATE TABLE ticket (id serial PRIMARY KEY, subject text)"))
            conn.execute(sa.text("INSERT INTO ticket (subject) VALUES ('Не работает')"))
        with engines[1].connect() as conn:
            tables = conn.execute(
                sa.text("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
            ).scalar_one()
        assert tables == 0
    finally:
        for engine in engines:
            engine.dispose()
        postgres_server.drop_database(other_url.rsplit("/", 1)[1])
