"""The counts shown in more than one place, each defined once (issue 19, "one number, one
meaning").

"Awaiting acceptance 4" beside the saved view and "0" on the dashboard card for the same data:
the view counted resolved tickets, the card counted acts mailed and unanswered. Each count that
the views panel, the dashboard's cards, ``stats --json`` and ``report --json`` share is named
here by a :class:`~desktop.services.reads.queue_spec.QueueSpec`, and every one of them is the
same SQL count of the queue's own filter — so a number beside a view is always the number of
rows that view shows, and the dashboard says the same number under the same name.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.errors import ReglamentError
from desktop.services import saved_views
from desktop.services.reads.queue_clock import SlaBook, load_sla_book
from desktop.services.reads.queue_spec import OPEN, QueueSpec, filters_for, saved_spec, tid_number
from desktop.services.workspace import Workspace
from desktop.store import queue as q

#: Each shared count by name: what it counts, as the queue's own filter.
SHARED: dict[str, QueueSpec] = {
    # the saved views (their counts stand beside their names)
    "mine": QueueSpec(view="mine"),
    "unassigned": QueueSpec(view="unassigned"),
    "waiting": QueueSpec(view="waiting"),
    "breaching": QueueSpec(view="breaching"),  # overdue or in the warning zone
    "awaiting_acceptance": QueueSpec(view="acceptance"),  # resolved: the client's acceptance is awaited
    "rework_due": QueueSpec(view="rework"),  # tickets with rework of a refused act still to do
    "all": QueueSpec(view="all"),
    # the dashboard's cards ("open", the backlog, is every open ticket: see _filters)
    "open": QueueSpec(view="all"),
    "breached": QueueSpec(view="breaching", sla="breached"),
    "warning": QueueSpec(view="breaching", sla="warning"),
}

#: Which shared count stands beside each saved view.
VIEW_COUNT = {"mine": "mine", "unassigned": "unassigned", "waiting": "waiting", "breaching": "breaching",
              "acceptance": "awaiting_acceptance", "rework": "rework_due", "all": "all"}


def _filters(s: Session, ws: Workspace, name: str) -> q.Filters:
    filters = filters_for(s, ws, SHARED[name])
    if name == "open":  # the open backlog: every ticket still being worked on, of anyone
        filters = replace(filters, statuses=OPEN)
    return filters


def shared_counts(ws: Workspace, now: datetime | None = None,
                  names: tuple[str, ...] | None = None) -> dict[str, int]:
    """The shared counts by name (all, or ``names``), each by its one definition."""
    now = now or ws.now()
    with ws.db.reading() as s:
        return counts_in(s, ws, now, names)


def counts_in(s: Session, ws: Workspace, now: datetime, names: tuple[str, ...] | None = None,
              book: SlaBook | None = None) -> dict[str, int]:
    """:func:`shared_counts` inside a caller's session (the dashboard reads them with the rest),
    all in one statement; ``book``: the plans' SLA book when the caller has it already."""
    thresholds = (book or load_sla_book(s)).thresholds(now)
    wanted = names or tuple(SHARED)
    row = s.execute(select(*(
        q.count_query(s, _filters(s, ws, name), now, OPEN, thresholds).scalar_subquery().label(name)
        for name in wanted))).one()
    return {name: int(value or 0) for name, value in zip(wanted, row, strict=True)}


def view_counts(ws: Workspace, now: datetime | None = None) -> dict[str, int]:
    """How many tickets each view holds, shown beside the view's name: the fixed views by their
    shared count, the agent's saved views (by their ``saved:<id>`` key) by the filter they keep."""
    now = now or ws.now()
    with ws.db.reading() as s:
        book = load_sla_book(s)
        counts = counts_in(s, ws, now, tuple(VIEW_COUNT.values()), book=book)
        out = {view: counts[name] for view, name in VIEW_COUNT.items()}
        thresholds = book.thresholds(now)
        for spec in (saved_spec(v) for v in saved_views.visible_in(s, ws.actor)):
            try:
                filters = filters_for(s, ws, spec)
            except ReglamentError:  # a department or plan it names was deleted since: none match
                out[spec.view] = 0
                continue
            out[spec.view] = int(s.scalar(q.count_query(s, filters, now, OPEN, thresholds,
                                                        tid_number(spec.search))) or 0)
    return out
