"""Two processes ingesting into one SQLite database at once: every row lands, none twice.

Ingest draws the ids of the rows it inserts itself (so SQLite can take them many per statement);
this is where two writers could collide if that were done wrong.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from sqlalchemy import func, select

from desktop.services.workspace import open_workspace
from desktop.store.models import HistoryEvent, Message, OutboxItem, Ticket

ROOT = Path(__file__).resolve().parents[2]


def run_two_ingesting_processes(home: Path, count: int, db_url: str | None = None) -> None:
    extra = [db_url] if db_url else []
    procs = [subprocess.Popen([sys.executable, "-m", "tests.unit.ingest_child", str(home), name, str(count), *extra],
                              cwd=ROOT, stderr=subprocess.PIPE, text=True)
             for name in ("north", "south")]
    errors = [p.communicate(timeout=180)[1] for p in procs]
    assert [p.returncode for p in procs] == [0, 0], errors


def check_everything_landed_once(ws: object, count: int) -> None:
    with ws.db.session() as s:  # type: ignore[attr-defined]
        numbers = list(s.scalars(select(Ticket.number)))
        assert len(numbers) == 2 * count and len(set(numbers)) == 2 * count
        incoming = s.scalar(select(func.count(Message.id)).where(Message.direction == "in"))
        acks = s.scalar(select(func.count(OutboxItem.id)).where(OutboxItem.kind == "ack"))
        assert incoming == 4 * count and acks == 2 * count
        joined = s.scalar(select(func.count(Message.id)).where(Message.threaded_by == "references"))
        assert joined == 2 * count
        # Every outbox item points at its own acknowledgement row, in its own ticket.
        pairs = s.execute(select(OutboxItem.ticket_id, Message.ticket_id)
                          .join(Message, Message.id == OutboxItem.message_row_id)).all()
        assert len(pairs) == 2 * count and all(a == b for a, b in pairs)
        created = s.scalar(select(func.count(HistoryEvent.id)).where(HistoryEvent.action == "created"))
        assert created == 2 * count


def test_two_processes_ingest_into_one_sqlite_database(tmp_path: Path) -> None:
    home = tmp_path / "shared"
    open_workspace(home=home).close()  # the schema first, as the window would have made it
    run_two_ingesting_processes(home, 60)
    ws = open_workspace(home=home)
    try:
        check_everything_landed_once(ws, 60)
    finally:
        ws.close()
