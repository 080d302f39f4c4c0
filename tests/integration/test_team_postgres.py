"""The engine on PostgreSQL (R-TEAM-2, R-TEAM-3): the same services, migrations and queries.

A representative path — migrations, seed, ticket lifecycle, merge/split, ingest, timers, acts
numbering, TID allocation from several processes and optimistic versioning between two
workstations — runs against a real PostgreSQL so no SQLite-only SQL can creep in.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from desktop.errors import ConflictError
from desktop.services import tickets
from desktop.services.background.ingest import ingest_batch
from desktop.services.background.ingest_batch import IncomingMail
from desktop.services.background.timers import run_timers
from desktop.services.reads import listing
from desktop.services.workspace import open_workspace
from desktop.store.models import Ticket
from tests.conftest import FixedClock

pytestmark = pytest.mark.integration


@pytest.fixture
def pg_ws(tmp_path: Path, postgres_url: str):
    clock = FixedClock(datetime(2026, 11, 17, 7, 0, tzinfo=UTC))
    ws = open_workspace(home=tmp_path / "a", db_url=postgres_url, clock=clock, actor="anna")
    yield ws
    ws.close()


def _mail(subject: str, sender: str, n: int) -> bytes:
    return (f"From: {sender}\r\nSubject: {subject}\r\nMessage-ID: <pg{n}@example.org>\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n\r\nТекст письма").encode()


def test_lifecycle_ingest_and_timers_on_postgres(pg_ws) -> None:
    ws = pg_ws
    r = ingest_batch(ws, None, "INBOX", None, [
        IncomingMail(None, ws.now(), _mail("Не работает форма", "x@example.org", 1)),
        IncomingMail(None, ws.now(), _mail("Не работает форма снова", "x@example.org", 2)),
    ])
    a, b = r.new_tickets
    assert r.acknowledged == 2
    reply = ingest_batch(ws, None, "INBOX", None, [
        IncomingMail(None, ws.now(), _mail(f"Re: [{a}] форма", "x@example.org", 3))])
    assert reply.joined == [a]
    tickets.merge(ws, b, a)
    tickets.take_into_work(ws, a)
    tickets.request_information(ws, a, "Уточните браузер")
    ws.clock.advance(days=3)  # type: ignore[attr-defined]
    assert run_timers(ws).closed_inactive == [a]
    d = listing.ticket_detail(ws, a)
    assert d["status"] == "inactive" and len([m for m in d["messages"] if m["direction"] == "in"]) == 3
    assert listing.stats(ws)["tickets"] == 2


def test_two_workstations_never_lose_an_update(pg_ws, tmp_path: Path, postgres_url: str) -> None:
    ws = pg_ws
    tid = ingest_batch(ws, None, "INBOX", None,
                       [IncomingMail(None, ws.now(), _mail("Вопрос", "y@example.org", 9))]).new_tickets[0]
    other = open_workspace(home=tmp_path / "b", db_url=postgres_url, actor="dmitry")
    try:
        seen_by_anna = listing.ticket_detail(ws, tid)["version"]
        tickets.update_fields(other, tid, priority="urgent")  # Dmitry saves first
        with pytest.raises(ConflictError):
            tickets.update_fields(ws, tid, priority="low", expected_version=seen_by_anna)
        assert listing.ticket_detail(ws, tid)["priority"] == "urgent"
    finally:
        other.close()


def test_tid_allocation_across_processes_on_postgres(pg_ws, tmp_path: Path, postgres_url: str) -> None:
    code = (
        "import sys\nfrom datetime import UTC, datetime\n"
        "from desktop.services.workspace import open_workspace\n"
        "from desktop.services.tickets.create import NewTicket, create_ticket_in\n"
        "ws = open_workspace(home=sys.argv[1], db_url=sys.argv[2])\n"
        "for i in range(10):\n"
        "    with ws.db.session() as s:\n"
        "        create_ticket_in(s, ws, NewTicket(subject=f'q{i}', requester='a@b.ru',"
        " received_at=datetime.now(UTC)))\n"
    )
    procs = [subprocess.Popen([sys.executable, "-c", code, str(tmp_path / f"h{i}"), postgres_url])
             for i in range(3)]
    assert all(p.wait(timeout=120) == 0 for p in procs)
    with pg_ws.db.session() as s:
        numbers = list(s.scalars(select(Ticket.number)))
    assert len(numbers) == 30 and len(set(numbers)) == 30


def test_migrations_idempotent_on_postgres(pg_ws, postgres_url: str) -> None:
    again = open_workspace(home=pg_ws.paths.home, db_url=postgres_url)
    try:
        assert [p["code"] for p in listing.plans(again)] == ["free", "commercial", "premium", "priority"]
    finally:
        again.close()


def test_two_processes_ingest_into_one_postgres_database(pg_ws, tmp_path: Path, postgres_url: str) -> None:
    """The ids ingest draws come from PostgreSQL's sequences in blocks: two workstations
    ingesting at once never collide."""
    from tests.unit.test_ingest_concurrent import (
        check_everything_landed_once,
        run_two_ingesting_processes,
    )

    run_two_ingesting_processes(tmp_path / "shared", 40, postgres_url)
    check_everything_landed_once(pg_ws, 40)


def test_a_read_sends_no_transaction_and_survives_a_dropped_connection(pg_ws, postgres_url: str, monkeypatch) -> None:
    """The window's reads on a team database: no BEGIN/COMMIT round trips, and a pooled
    connection the server dropped while idle is replaced before a read meets it."""
    from sqlalchemy import create_engine, text

    from desktop.services.reads.ticket_page import read_ticket_page
    from desktop.store import db as store_db

    ws = pg_ws
    tid = ingest_batch(ws, None, "INBOX", None,
                       [IncomingMail(None, ws.now(), _mail("Чтение", "z@example.org", 21))]).new_tickets[0]
    with ws.db.reading() as s:  # psycopg sends no BEGIN/COMMIT in autocommit
        assert s.connection().connection.dbapi_connection.autocommit is True
    with ws.db.session() as s:  # a writer still gets its transaction
        assert s.connection().connection.dbapi_connection.autocommit is False
    assert read_ticket_page(ws, tid).tid == tid

    # The server ends every other connection (a restart, an idle timeout on the VPN's far side).
    admin = create_engine(postgres_url)
    try:
        with admin.connect() as conn:
            ended = conn.execute(text("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                                      "WHERE datname = current_database() AND pid <> pg_backend_pid()")).scalar()
    finally:
        admin.dispose()
    assert ended and ended >= 1
    monkeypatch.setattr(store_db, "IDLE_PING_S", 0.0)
    assert read_ticket_page(ws, tid).tid == tid


def test_the_pool_is_warmed_for_the_windows_readers(pg_ws) -> None:
    """Readers side by side find a connection open: none has to sign in mid-read."""
    pool = pg_ws.db.engine.pool
    pg_ws.db.warm_pool(3)
    assert pool.checkedin() >= 3


def test_no_statement_is_prepared_on_the_server(pg_ws) -> None:
    """psycopg prepares a statement the sixth time a connection runs it, at one round trip
    more each: the window's reads repeat the same few statements all day."""
    from sqlalchemy import select as sql_select
    from sqlalchemy import text

    with pg_ws.db.reading() as s:
        for _ in range(10):
            s.execute(sql_select(Ticket.id).where(Ticket.id == 1)).all()
        assert s.execute(text("SELECT count(*) FROM pg_prepared_statements")).scalar() == 0
