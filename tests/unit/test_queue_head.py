"""The head of a view (count + first rows in one statement) agrees with the full id list for
every order and filter, and reuses the caller's SLA book."""

from __future__ import annotations

import pytest

from desktop.services.reads import queue as qs
from desktop.store import queue as store_queue


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
    assert qs.count_view(dws, spec) == len(full)  # the count the window reads beside its head
    uncounted = qs.fetch_head(dws, spec, 5, count=False)
    assert uncounted.ids == head.ids
    # On SQLite a search's first screen is read like any view's: its rows only, the list later
    # (a PostgreSQL search comes with its whole list: tests/integration/test_search_postgres.py).
    assert uncounted.total is None and uncounted.all_ids is None


def test_head_reuses_the_book_it_is_given(dws):
    book = qs.sla_book(dws)
    head = qs.fetch_head(dws, qs.QueueSpec(view="breaching"), 5, book=book)
    assert head.book is book
    fresh = qs.fetch_head(dws, qs.QueueSpec(), 5)
    assert set(fresh.book.calendars) == set(book.calendars) and fresh.book is not book
