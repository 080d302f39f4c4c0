"""The first screen read through a statement compiled once per view shape gives exactly the rows
SQLAlchemy gives for the same statement — types converted alike — and is taken again from what
it kept; views whose SQL depends on the moment are built each time."""

from __future__ import annotations

import pytest

from desktop.services.reads.queue_spec import OPEN, QueueSpec, filters_for
from desktop.store import queue_head
from desktop.store.queue import head_query

SPECS = [QueueSpec(), QueueSpec(view="mine"), QueueSpec(view="unassigned", sort="client", descending=True),
         QueueSpec(view="waiting"), QueueSpec(status="new", sort="assignee"), QueueSpec(view="rework"),
         QueueSpec(view="breaching"), QueueSpec(sla="ok", sort="due"), QueueSpec(search="сайт")]



def same_rows_as_sqlalchemy(ws, spec: QueueSpec, limit: int = 12) -> None:
    now = ws.now()
    with ws.db.reading() as s:
        filters = filters_for(s, ws, spec)
        expected = [tuple(r) for r in s.execute(head_query(s, filters, spec.sort, spec.descending, now, OPEN, limit)).all()]
        for _ in range(2):  # compiled, then taken from what was kept
            got = queue_head.head_rows(s, filters, spec.sort, spec.descending, now, OPEN, limit)
            assert got == expected
            assert [type(v) for v in got[0]] == [type(v) for v in expected[0]] if expected else True
        ids = [r[0] for r in expected]
        pauses = queue_head.pauses_of(s, ids)
        from desktop.store.queue import PAUSES
        want: dict[int, list[tuple]] = {}
        for tid, start, end in s.execute(PAUSES, {"ids": ids}):
            want.setdefault(tid, []).append((start, end))
        assert pauses == want


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: f"{s.view}-{s.sort}-{s.sla}-{s.search}")
def test_the_compiled_head_is_the_statements_own_rows(dws, spec: QueueSpec) -> None:
    same_rows_as_sqlalchemy(dws, spec)


def test_only_timeless_views_are_kept(dws) -> None:
    queue_head._kept.clear()
    same_rows_as_sqlalchemy(dws, QueueSpec(view="mine"))
    same_rows_as_sqlalchemy(dws, QueueSpec(view="breaching"))  # its SQL holds the moment
    same_rows_as_sqlalchemy(dws, QueueSpec(search="сайт"))
    shapes = list(queue_head._kept)
    assert len(shapes) == 1 and shapes[0][1].assignee_id is not None
    assert all(isinstance(v, (int, str)) for v in next(iter(queue_head._kept.values())).params)
    # A datetime among the rows came back aware, as the column type makes it.
    with dws.db.reading() as s:
        rows = queue_head.head_rows(s, filters_for(s, dws, QueueSpec()), "default", False, dws.now(), OPEN, 5)
    assert rows and all(r[14].tzinfo is not None for r in rows)


FIXED = [QueueSpec(), QueueSpec(view="unassigned", sort="client", descending=True), QueueSpec(view="waiting"),
         QueueSpec(status="new", sort="assignee"), QueueSpec(view="rework"), QueueSpec(view="acceptance", sort="due")]


@pytest.mark.parametrize("spec", FIXED, ids=lambda s: f"{s.view}-{s.status}-{s.sort}")
def test_a_kept_first_screen_is_read_without_a_session_and_is_the_same(dws, spec: QueueSpec, monkeypatch) -> None:
    from desktop.services.reads import queue_page

    book = queue_page.fetch_head(dws, spec, 12, count=False).book
    first = queue_page.fetch_head(dws, spec, 12, book=book, count=False)  # compiled and kept
    with monkeypatch.context() as m:
        m.setattr(type(dws.db), "reading", lambda self: pytest.fail("a kept first screen opened a session"))
        again = queue_page.fetch_head(dws, spec, 12, book=book, count=False)
    assert again.ids == first.ids and again.lines == first.lines
    assert [line.row for line in again.lines.values()] == [line.row for line in first.lines.values()]


@pytest.mark.parametrize("spec", [QueueSpec(view="mine"), QueueSpec(department="support"), QueueSpec(assignee="anna"),
                                  QueueSpec(plan="basic"), QueueSpec(view="saved:1")])
def test_a_spec_naming_something_stored_is_resolved_by_the_database(dws, spec: QueueSpec) -> None:
    from desktop.services.reads.queue_spec import fixed_filters, names_stored

    assert names_stored(spec) and fixed_filters(dws, spec) is None


def test_the_fixed_filters_are_the_databases_own(dws) -> None:
    from desktop.services.reads.queue_spec import fixed_filters

    with dws.db.reading() as s:
        for spec in [*FIXED, QueueSpec(assignee=""), QueueSpec(sla="ok"), QueueSpec(view="breaching")]:
            assert fixed_filters(dws, spec) == filters_for(s, dws, spec)


def test_a_failed_driver_read_is_said_in_plain_words(dws) -> None:
    from desktop.errors import StorageError

    with pytest.raises(StorageError, match="not available: no such table"), dws.db.driver_reading() as conn:
        conn.execute("SELECT * FROM no_such_table")
