"""Fixing a thread and merging a duplicate on a team's PostgreSQL (R-TEAM-2, R-MAIL-3, R-TICKET-5):
the same use cases as on SQLite, so no SQLite-only SQL creeps into them."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from desktop.services import clients, tickets
from desktop.services.background.ingest import ingest_batch
from desktop.services.background.ingest_batch import IncomingMail
from desktop.services.reads import listing
from desktop.services.reads.message_moves import move_choices
from desktop.services.workspace import open_workspace
from tests.conftest import FixedClock

pytestmark = pytest.mark.integration


@pytest.fixture
def pg_ws(tmp_path: Path, postgres_url: str):
    ws = open_workspace(home=tmp_path / "a", db_url=postgres_url,
                        clock=FixedClock(datetime(2026, 11, 17, 7, 0, tzinfo=UTC)), actor="anna")
    yield ws
    ws.close()


def _in(ws, subject: str, sender: str, body: str, n: int) -> list[str]:
    raw = (f"From: {sender}\r\nSubject: {subject}\r\nMessage-ID: <fix{n}@example.org>\r\n"
           "Content-Type: text/plain; charset=utf-8\r\n\r\n" + body).encode()
    r = ingest_batch(ws, None, "INBOX", None, [IncomingMail(None, ws.now(), raw)])
    return r.new_tickets or r.joined


def test_the_stranger_case_and_a_merge_on_postgres(pg_ws) -> None:
    ws = pg_ws
    clients.add_client(ws, "ООО «Ромашка»", domains=["romashka.ru"], plan="premium")
    clients.add_client(ws, "ООО «Лютик»", domains=["lutik.ru"], plan="commercial")
    (tid,) = _in(ws, "Не работает оплата", "m@romashka.ru", "Оплата картой падает с ошибкой.", 1)
    _in(ws, f"Re: [{tid}] оплата", "ivan@lutik.ru", "У нас тоже.", 2)
    _in(ws, f"Re: [{tid}] оплата", "petr@lutik.ru", "И у нас.", 3)
    d = listing.ticket_detail(ws, tid)
    ivan, petr = (m["id"] for m in d["messages"] if m["threaded_by"] == "tid_unconfirmed")
    assert "thread_confirm" in d["flags"]
    choices = move_choices(ws, ivan)
    assert (choices.client, choices.found_by) == ("ООО «Лютик»", "domain")

    new_tid = tickets.move_to_new(ws, ivan, expected_version=d["version"])
    tickets.confirm_thread(ws, tid, petr)
    tickets.move_message(ws, petr, new_tid)
    new, old = listing.ticket_detail(ws, new_tid), listing.ticket_detail(ws, tid)
    assert (new["client"], new["plan"]) == ("ООО «Лютик»", "commercial")
    assert [m["from"] for m in new["messages"] if m["direction"] == "in"] == ["ivan@lutik.ru", "petr@lutik.ru"]
    assert "thread_confirm" not in old["flags"] and old["client"] == "ООО «Ромашка»"

    (dup,) = _in(ws, "Не работает оплата!", "a@romashka.ru", "Оплата картой снова падает с ошибкой.", 4)
    assert listing.ticket_detail(ws, dup)["duplicate_candidate"]["tid"] == tid
    tickets.merge(ws, dup, tid, notify=False)
    assert listing.ticket_detail(ws, dup)["status"] == "duplicate"
    assert listing.ticket_detail(ws, tid)["reaction_due_at"] == old["reaction_due_at"]
