"""Search and the dashboard on a team's PostgreSQL (issue 20.3): PostgreSQL's own full-text
search (Russian and English stems) and trigrams, through their indexes; the dashboard's numbers
read in a few statements, the same as each ticket's own state."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import event, text

from desktop.services import tickets
from desktop.services.demo import fill_demo
from desktop.services.reads import queue as qs
from desktop.services.reads.dashboard import build_dashboard
from desktop.services.tickets.create import NewTicket, create_ticket_in
from desktop.services.workspace import open_workspace
from desktop.store import fulltext
from tests.conftest import FixedClock
from tests.unit.test_dashboard_honest import _keys, _reference_risk

pytestmark = pytest.mark.integration


@pytest.fixture
def pg_ws(tmp_path: Path, postgres_url: str):
    clock = FixedClock(datetime(2026, 11, 17, 7, 0, tzinfo=UTC))
    ws = open_workspace(home=tmp_path / "a", db_url=postgres_url, clock=clock, actor="anna")
    yield ws
    ws.close()


_MESSAGE = text(
    "INSERT INTO messages (ticket_id, direction, from_addr, from_name, subject, received_at, text, "
    "threaded_by, author, created_at, size, \"references\", to_addrs, cc_addrs) SELECT id, :direction, "
    "requester, '', subject, received_at, :body, 'new_ticket', :author, received_at, 0, '[]', '[]', '[]' "
    "FROM tickets WHERE tid = :tid")


def _ticket(ws, subject: str, body: str, requester: str = "client@example.org") -> str:
    """A ticket with the client's message, as mail ingest stores one."""
    with ws.db.session() as s:
        tid = create_ticket_in(s, ws, NewTicket(subject=subject, requester=requester,
                                                received_at=ws.now())).tid
        s.execute(_MESSAGE, {"tid": tid, "body": body, "direction": "in", "author": None})
    return tid


def _search(ws, words: str) -> set[str]:
    ids = qs.fetch_ids(ws, qs.QueueSpec(search=words))
    return {line.row.tid for line in qs.fetch_page(ws, ids).values()}


def test_words_are_found_by_their_stems_in_both_languages(pg_ws) -> None:
    ws = pg_ws
    contract = _ticket(ws, "Вопрос", "Пришлите, пожалуйста, копию договора и счёта.")
    invoice = _ticket(ws, "Question", "Where are the invoices for October?")
    other = _ticket(ws, "Сайт", "Не открывается страница каталога", requester="ivan.petrov@shop.example")
    assert _search(ws, "договор") == {contract}            # "договора" in the body
    assert _search(ws, "договоры") == {contract}
    assert _search(ws, "invoice") == {invoice}             # "invoices"
    assert _search(ws, "каталог страница") == {other}      # every word, any order
    assert _search(ws, "каталог договор") == set()
    assert _search(ws, "petrov@shop") == {other}            # a substring of the sender
    number = int(other.split("-")[1])
    assert _search(ws, f"{number:06d}"[-4:]) >= {other}     # part of the ticket number
    assert _search(ws, other) == {other}
    assert _search(ws, "ВОПРОС") == {contract}              # case folds in Cyrillic


def test_mail_reglament_sends_on_its_own_is_not_searched(pg_ws) -> None:
    ws = pg_ws
    tid = _ticket(ws, "Форма", "Не работает форма")
    with ws.db.session() as s:
        s.execute(_MESSAGE, {"tid": tid, "body": "Ваше обращение зарегистрировано", "direction": "out",
                             "author": "system"})
    assert _search(ws, "зарегистрировано") == set()
    assert _search(ws, "форма") == {tid}


def _plan(ws, stmt) -> str:
    sql = str(stmt.compile(dialect=ws.db.engine.dialect, compile_kwargs={"literal_binds": True}))
    with ws.db.engine.connect() as con:
        con.exec_driver_sql("SET enable_seqscan = off")  # a few rows: make the planner show its choice
        return "\n".join(r[0] for r in con.exec_driver_sql("EXPLAIN " + sql))


def test_the_search_uses_the_full_text_and_trigram_indexes(pg_ws) -> None:
    ws = pg_ws
    _ticket(ws, "Вопрос", "Пришлите копию договора")
    stmt = fulltext.matching_ids("договора 0001")
    assert stmt is not None
    plan = _plan(ws, stmt)
    assert "ix_ticket_search" in plan, plan  # one document per ticket, its GIN index
    assert "ix_tickets_trigrams" in plan, plan
    assert "Seq Scan on messages" not in plan, plan
    # and the queue's own statement (the head of a search) goes through them
    with ws.db.reading() as s:
        filters = qs.filters_for(s, ws, qs.QueueSpec(search="договора"))
        from desktop.store import queue as store_queue
        query = store_queue.ids_query(s, filters, "default", False, ws.now(), qs.OPEN)
    plan = _plan(ws, query)
    assert "ix_ticket_search" in plan and "Seq Scan on messages" not in plan, plan


def test_the_dashboard_reads_per_report_and_agrees_with_each_tickets_state(pg_ws) -> None:
    ws = pg_ws
    fill_demo(ws)
    statements: list[str] = []
    listener = lambda *a: statements.append(a[2])  # noqa: E731
    event.listen(ws.db.engine, "before_cursor_execute", listener)
    try:
        dash = build_dashboard(ws, ws.now().date() - timedelta(days=29), ws.now().date(), 8)
    finally:
        event.remove(ws.db.engine, "before_cursor_execute", listener)
    assert len(statements) < 25, len(statements)
    breached, warning, forecast = _reference_risk(ws, 8)
    assert breached
    assert (_keys(dash.breached), _keys(dash.at_risk), _keys(dash.forecast)) == (breached, warning, forecast)
    tid = _ticket(ws, "Ночью", "текст")
    ws.clock.advance(minutes=25)  # type: ignore[attr-defined]
    tickets.take_into_work(ws, tid)
    again = build_dashboard(ws, ws.now().date(), ws.now().date(), 8)
    assert again.first_reaction_median_clock_minutes is not None
    assert again.compliance_excluded and again.reaction_excluded
