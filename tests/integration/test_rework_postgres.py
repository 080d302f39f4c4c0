"""Rework of a refused act on a team's PostgreSQL (R-ACT-3, R-TEAM-2): the "Rework due" view's
filter and order, the queue row's rework countdown, the ticket page and the dashboard read the
same there as on SQLite."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from desktop.services import acts
from desktop.services.reads import listing
from desktop.services.reads import queue as qs
from desktop.services.reads.dashboard import build_dashboard
from desktop.services.workspace import open_workspace
from tests.conftest import FixedClock
from tests.unit.test_act_services import _resolved_ticket

pytestmark = pytest.mark.integration


@pytest.fixture
def pg_ws(tmp_path: Path, postgres_url: str, qapp):  # type: ignore[no-untyped-def]
    clock = FixedClock(datetime(2026, 11, 17, 7, 0, tzinfo=UTC))
    ws = open_workspace(home=tmp_path / "a", db_url=postgres_url, clock=clock, actor="anna")
    yield ws
    ws.close()


def test_rework_due_on_postgres(pg_ws, tmp_path) -> None:
    ws = pg_ws
    tid = _resolved_ticket(ws, ws.clock, paid=False)
    _resolved_ticket(ws, ws.clock, paid=False)
    acts.issue_act(ws, tid, out_dir=tmp_path)
    acts.send_act(ws, tid)
    acts.refuse_act(ws, tid, ["Не работает"], [("Починить", date(2026, 11, 27)), ("Проверить", date(2026, 11, 20))],
                    out_dir=tmp_path)
    ids = qs.fetch_ids(ws, qs.QueueSpec(view="rework"))
    assert len(ids) == 1 and qs.view_counts(ws)["rework"] == 1
    head = qs.fetch_head(ws, qs.QueueSpec(view="rework"), 10, "en")
    line = head.lines[ids[0]]
    assert line.row.tid == tid and line.texts[qs.COLUMNS.index("due")] == "rework · 3 d 13 h left"
    d = listing.ticket_detail(ws, tid)
    assert [r["description"] for r in d["rework"]] == ["Проверить", "Починить"]
    assert [r["state"] for r in build_dashboard(ws, date(2026, 11, 1), date(2026, 11, 30)).rework_due] == ["ok", "ok"]
    for item in acts.rework_items(ws, tid):
        acts.complete_rework(ws, item.id, tid)
    assert qs.fetch_ids(ws, qs.QueueSpec(view="rework")) == []
