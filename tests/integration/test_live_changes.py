"""Two workstations on one PostgreSQL see each other's changes as they happen (R-TEAM-2).

Workstation B is a real ``reglament watch --json`` process; workstation A changes tickets from
another process and from this one. The feed's connection is ended by the server in between
(``pg_terminate_backend``) and kept out while more changes commit — one of them a transaction
begun before the drop and committed during it, numbered below changes B already printed — and
B prints every one of them once it is back.
"""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg
import pytest
from sqlalchemy import insert

from desktop.services import tickets
from desktop.services.background import presence
from desktop.services.background.changes import APPLICATION_NAME
from desktop.services.background.ingest import ingest_batch
from desktop.services.background.ingest_batch import IncomingMail
from desktop.services.upkeep.history import history_values, record
from desktop.services.upkeep.lookup import get_ticket
from desktop.services.workspace import Workspace, open_workspace
from desktop.store.models import HistoryEvent
from tests.conftest import FixedClock

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
WAIT_S = 20.0


@pytest.fixture
def anna(tmp_path: Path, postgres_url: str) -> Iterator[Workspace]:
    clock = FixedClock(datetime(2026, 11, 17, 7, 0, tzinfo=UTC))
    ws = open_workspace(home=tmp_path / "a", db_url=postgres_url, clock=clock, actor="anna")
    yield ws
    ws.close()


class Watcher:
    """``reglament watch --json`` in its own process, its lines collected by a thread."""

    def __init__(self, home: Path, url: str) -> None:
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "desktop.cli", "--home", str(home), "--db", url, "watch", "--json"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        self.lines: queue.Queue[dict[str, Any]] = queue.Queue()
        self.states: queue.Queue[str] = queue.Queue()
        self.readers = [threading.Thread(target=self._out, daemon=True),
                        threading.Thread(target=self._err, daemon=True)]
        for reader in self.readers:
            reader.start()

    def _out(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(json.loads(line))

    def _err(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self.states.put(line.strip())

    def state(self, expected: str) -> None:
        deadline = time.monotonic() + WAIT_S
        while True:
            line = self.states.get(timeout=max(deadline - time.monotonic(), 0.01))
            if expected in line:
                return

    def take(self, n: int) -> list[dict[str, Any]]:
        deadline = time.monotonic() + WAIT_S
        return [self.lines.get(timeout=max(deadline - time.monotonic(), 0.01)) for _ in range(n)]

    def drain(self, quiet: float = 1.0) -> list[dict[str, Any]]:
        """The lines that follow until none has come for ``quiet`` seconds."""
        out = []
        while True:
            try:
                out.append(self.lines.get(timeout=quiet))
            except queue.Empty:
                return out

    def close(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=10)
        for reader in self.readers:
            reader.join(timeout=10)
        for pipe in (self.proc.stdout, self.proc.stderr):
            if pipe is not None:
                pipe.close()


def _mail(subject: str, n: int) -> bytes:
    return (f"From: client@example.org\r\nSubject: {subject}\r\nMessage-ID: <live{n}@example.org>\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n\r\nТекст").encode()


def _admin(url: str) -> psycopg.Connection[Any]:
    """A connection to the cluster's own database (a database cannot close its doors to the
    connection it is asked on)."""
    base = url.replace("postgresql+psycopg", "postgresql").rsplit("/", 1)[0]
    return psycopg.connect(f"{base}/postgres", autocommit=True)


def test_two_workstations_see_each_others_changes_through_a_dropped_connection(
        anna: Workspace, tmp_path: Path, postgres_url: str) -> None:
    ws = anna
    first, second = ingest_batch(ws, None, "INBOX", None, [
        IncomingMail(None, ws.now(), _mail("Форма не работает", 1)),
        IncomingMail(None, ws.now(), _mail("Счёт не пришёл", 2))]).new_tickets
    watcher = Watcher(tmp_path / "b", postgres_url)
    dbname = postgres_url.rsplit("/", 1)[1]
    try:
        watcher.state("watching")
        # Workstation A, another process: Boris takes the first ticket into work.
        code = ("import sys\nfrom desktop.services import tickets\n"
                "from desktop.services.workspace import open_workspace\n"
                "ws = open_workspace(home=sys.argv[1], db_url=sys.argv[2], actor='boris')\n"
                "tickets.take_into_work(ws, sys.argv[3])\nws.close()\n")
        subprocess.run([sys.executable, "-c", code, str(tmp_path / "c"), postgres_url, first],
                       check=True, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=120)
        seen = watcher.take(1) + watcher.drain()  # a take assigns, moves and notifies the client
        assert {(c["ticket"], c["what"], c["new"], c["who"]) for c in seen} >= \
            {(first, "status", "in_progress", "boris"), (first, "assign", "boris", "boris")}

        # A transaction begun now, before the drop, and committed during it.
        late = ws.db.sessions()
        record(late, get_ticket(late, ws, second), ws.now(), "anna", "note")
        late.flush()
        late_seq = late.execute(psycopg_sql_last_seq()).scalar()
        tickets.add_note(ws, first, "Проверила на стенде")  # committed, numbered after it
        note = watcher.take(1)[0]
        assert (note["ticket"], note["what"], note["who"]) == (first, "note", "anna")
        assert note["seq"] > late_seq

        with _admin(postgres_url) as admin:
            admin.execute(f'ALTER DATABASE "{dbname}" WITH ALLOW_CONNECTIONS false')
            ended = admin.execute(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = %s AND application_name = %s", (dbname, APPLICATION_NAME)).fetchone()
            assert ended == (1,)
            watcher.state("not reachable")
            # While B is away: the late transaction commits, and two more changes land.
            late.commit()
            late.close()
            tickets.assign(ws, second, "boris")
            presence.start_replying(ws, second)
            time.sleep(0.5)  # B keeps knocking on a closed door meanwhile
            assert watcher.lines.empty()
            admin.execute(f'ALTER DATABASE "{dbname}" WITH ALLOW_CONNECTIONS true')
        watcher.state("watching")
        back = watcher.take(3)
        assert {(c["ticket"], c["what"]) for c in back} == \
            {(second, "note"), (second, "assign"), (second, "replying")}
        assert late_seq in {c["seq"] for c in back}
        time.sleep(0.5)
        assert watcher.lines.empty()  # nothing twice

        # Lines inserted by one multi-row statement are announced as one range and read back
        # whole; lines inserted row by row (a bulk executemany) are announced one by one.
        with ws.db.session() as s:
            t = get_ticket(s, ws, first)
            for _ in range(150):
                record(s, t, ws.now(), "mail", "message_in")
        with ws.db.session() as s:
            s.execute(insert(HistoryEvent), [history_values(t.id, ws.now(), "mail", "ack_suppressed")
                                             for _ in range(30)])
        bulk = watcher.take(180)
        assert sorted({(c["ticket"], c["what"], c["who"]) for c in bulk}) == [
            (first, "ack_suppressed", "mail"), (first, "message_in", "mail")]
        assert len({c["seq"] for c in bulk}) == 180
        with psycopg.connect(postgres_url.replace("postgresql+psycopg", "postgresql"),
                             autocommit=True) as listener:
            listener.execute("LISTEN reglament_changes")
            with ws.db.session() as s:
                t = get_ticket(s, ws, first)
                for _ in range(150):
                    record(s, t, ws.now(), "mail", "message_in")
            notes = list(listener.notifies(timeout=2))
            assert len(notes) == 1 and json.loads(notes[0].payload).keys() == {"from", "to"}
    finally:
        watcher.close()


def psycopg_sql_last_seq() -> Any:
    from sqlalchemy import text

    return text("SELECT max(seq) FROM change_log")
