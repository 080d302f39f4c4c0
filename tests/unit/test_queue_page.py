"""A page of the queue prepared off the GUI thread: every cell's text in the window's language,
the countdown's state, the tooltips — read in one session and a few statements."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import event

from desktop.domain.tickets import status_name
from desktop.services.reads import queue as qs
from desktop.services.reads.queue_page import COLUMNS, DUE, deadline_text, time_left_text, when_text
from tests.conftest import DEMO_NOW


class Statements:
    """Counts the statements sent to the database while it is entered."""

    def __init__(self, ws) -> None:
        self.engine = ws.db.engine
        self.count = 0

    def _seen(self, *_a) -> None:
        self.count += 1

    def __enter__(self) -> Statements:
        event.listen(self.engine, "before_cursor_execute", self._seen)
        return self

    def __exit__(self, *_exc) -> None:
        event.remove(self.engine, "before_cursor_execute", self._seen)


def test_a_page_says_what_each_cell_shows(dws):
    ids = qs.fetch_ids(dws, qs.QueueSpec())
    book = qs.sla_book(dws)
    rows = qs.fetch_rows(dws, ids)
    lines = qs.fetch_page(dws, ids, "en", book)
    assert set(lines) == set(ids)
    seen_states = set()
    for tid, line in lines.items():
        row = rows[tid]
        cd = book.countdown(row, DEMO_NOW, "en")
        assert line.row == row
        assert len(line.texts) == len(line.tooltips) == len(COLUMNS)
        by_key = dict(zip(COLUMNS, line.texts, strict=True))
        assert by_key["tid"] == row.tid
        assert by_key["subject"] == (row.subject or "(no subject)")
        assert by_key["client"] == (row.client or row.requester_name or row.requester)
        assert by_key["status"] == status_name(row.status, "en", row.archived)
        assert by_key["department"] == (row.department_en or "")
        assert by_key["assignee"] == (row.assignee_name or row.assignee_login or "")
        assert by_key["received"] == when_text(row.received_at, DEMO_NOW)
        assert (line.state, line.texts[DUE], line.deadline) == (cd.state, time_left_text(cd), cd.deadline)
        assert by_key["deadline"] == deadline_text(cd.deadline, DEMO_NOW)
        assert line.countdown() == cd
        assert line.bold == (row.status == "new") and line.priority == (row.priority_rank == 0)
        tips = dict(zip(COLUMNS, line.tooltips, strict=True))
        assert (tips["due"] is not None) == (cd.deadline is not None or bool(cd.text))
        if cd.deadline is not None:
            assert tips["due"].startswith(f"{cd.text}\nDeadline: ")
        assert row.requester in tips["client"]
        seen_states.add(line.state)
    assert {"ok", "breached"} <= seen_states, "the demo has running and overdue clocks"


def test_a_page_in_russian(dws):
    ids = qs.fetch_ids(dws, qs.QueueSpec())
    rows = qs.fetch_rows(dws, ids)
    lines = qs.fetch_page(dws, ids, "ru")
    for tid, line in lines.items():
        row = rows[tid]
        by_key = dict(zip(COLUMNS, line.texts, strict=True))
        assert by_key["status"] == status_name(row.status, "ru", row.archived)
        assert by_key["department"] == (row.department_ru or "")
        assert by_key["plan"] == ((row.plan_ru or row.plan_en) or "")
        if line.deadline is not None:
            assert line.tooltips[DUE].startswith(f"{line.words}\nСрок: ")
    assert any("просрочено" in line.texts[DUE] for line in lines.values())


def test_a_page_is_one_session_and_a_few_statements(dws):
    ids = qs.fetch_ids(dws, qs.QueueSpec())[:100]
    book = qs.sla_book(dws)
    with Statements(dws) as seen:
        qs.fetch_page(dws, ids, "en", book)
    assert seen.count <= 2, "the rows and their pauses"
    with Statements(dws) as seen:
        qs.fetch_head(dws, qs.QueueSpec(), 20, "en", book=book)
    assert seen.count <= 3, "the count, the rows in order and their pauses"


def test_a_line_takes_a_new_countdown_in_place(dws):
    ids = qs.fetch_ids(dws, qs.QueueSpec(view="unassigned"))
    book = qs.sla_book(dws)
    lines = qs.fetch_page(dws, ids, "en", book)
    later = DEMO_NOW + timedelta(days=3)
    moved = 0
    for line in lines.values():
        cd = book.countdown(line.row, later, "en")
        new = line.with_countdown(cd, "en", later)
        assert new.countdown() == cd
        assert new.texts[:DUE] == line.texts[:DUE] and new.row == line.row
        assert (new is line) == (cd == line.countdown())
        moved += new is not line
    assert moved, "three days on, some countdowns read differently"


def test_a_ticket_is_found_by_its_number(dws):
    ids = qs.fetch_ids(dws, qs.QueueSpec())
    row = qs.fetch_rows(dws, ids[:1])[ids[0]]
    assert qs.ticket_id_of(dws, row.tid) == row.id
    assert qs.ticket_id_of(dws, "TID-999999") is None
