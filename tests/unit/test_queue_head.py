"""The head of a view (count + first rows in one statement) agrees with the full id list for
every order and filter, reuses the caller's SLA book, and gives up cleanly on a time budget."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.services.reads import queue as qs
from desktop.store import queue as store_queue
from tests.conftest import DEMO_NOW, FixedClock


@pytest.fixture(scope="module")
def dws(tmp_path_factory: pytest.TempPathFactory, demo_template: Path) -> Iterator[object]:
    """Read-only tests share one copy of the demo."""
    from desktop.services.workspace import open_workspace

    home = tmp_path_factory.mktemp("queue-head") / "home"
    shutil.copytree(demo_template, home)
    ws = open_workspace(home=home, clock=FixedClock(DEMO_NOW), actor="anna")
    yield ws
    ws.close()


@pytest.mark.parametrize("sort", ("default", *store_queue.SORT_KEYS))
@pytest.mark.parametrize("descending", [False, True])
def test_head_is_the_start_of_the_full_list_in_every_order(dws, sort, descending):
    spec = qs.QueueSpec(sort=sort, descending=descending)
    full = qs.fetch_ids(dws, spec)
    head = qs.fetch_head(dws, spec, 7)
    assert head.total == len(full) > 7
    assert head.ids == full[:7]
    assert head.rows == qs.fetch_rows(dws, head.ids)  # same columns, pauses included


@pytest.mark.parametrize("spec", [
    qs.QueueSpec(view="mine"),
    qs.QueueSpec(view="unassigned", sort="client"),
    qs.QueueSpec(view="breaching"),
    qs.QueueSpec(view="waiting"),
    qs.QueueSpec(sla="ok", sort="due", descending=True),
    qs.QueueSpec(search="заказ"),
    qs.QueueSpec(status="new", sort="assignee"),
])
def test_head_agrees_with_the_full_list_under_filters(dws, spec):
    full = qs.fetch_ids(dws, spec)
    head = qs.fetch_head(dws, spec, 5)
    assert head.total == len(full)
    assert head.ids == full[:5]
    assert set(head.rows) == set(head.ids)


def test_head_reuses_the_book_it_is_given(dws):
    book = qs.sla_book(dws)
    head = qs.fetch_head(dws, qs.QueueSpec(view="breaching"), 5, book=book)
    assert head.book is book
    fresh = qs.fetch_head(dws, qs.QueueSpec(), 5)
    assert set(fresh.book.calendars) == set(book.calendars) and fresh.book is not book


def test_only_indexed_heads_without_search_count_as_quick(dws):
    assert qs.head_is_quick(dws, qs.QueueSpec())
    assert qs.head_is_quick(dws, qs.QueueSpec(view="mine", sort="received", descending=True))
    assert qs.head_is_quick(dws, qs.QueueSpec(sort="tid"))
    assert not qs.head_is_quick(dws, qs.QueueSpec(search="заказ"))
    assert not qs.head_is_quick(dws, qs.QueueSpec(sort="client"))
    assert not qs.head_is_quick(dws, qs.QueueSpec(sort="due"))


def _connection_settings(ws) -> tuple[int, object]:
    with ws.db.session() as s:
        raw = s.connection().connection.dbapi_connection
        wait = raw.execute("PRAGMA busy_timeout").fetchone()[0]
        return int(wait), raw


def test_a_head_over_its_budget_is_abandoned_and_the_connection_left_clean(dws, monkeypatch):
    wait_before, raw_before = _connection_settings(dws)
    assert wait_before > 0
    # Check the clock at every SQLite step, with no time at all: the first statement stops.
    monkeypatch.setattr(qs, "_PROGRESS_STEPS", 1)
    with pytest.raises(qs.OverBudget):
        qs.fetch_head(dws, qs.QueueSpec(), 5, budget=0.0)
    monkeypatch.undo()
    wait_after, raw_after = _connection_settings(dws)
    assert raw_after is raw_before  # the same pooled connection: its lock wait is back
    assert wait_after == wait_before
    # and its progress handler is gone: a long read on it runs to the end
    assert len(qs.fetch_ids(dws, qs.QueueSpec())) == qs.fetch_head(dws, qs.QueueSpec(), 5).total


def test_a_head_within_its_budget_is_the_same_head(dws):
    spec = qs.QueueSpec(view="all", sort="received", descending=True)
    assert qs.fetch_head(dws, spec, 9, budget=5.0) == qs.fetch_head(dws, spec, 9)
