"""Team lead numbers (R-LEAD-1/2) agree with the tickets they summarise."""

from __future__ import annotations

import csv
from datetime import timedelta

from desktop.services import tickets
from desktop.services.demo import fill_demo
from desktop.services.reads import listing
from desktop.services.reads.dashboard import SECTIONS, build_dashboard, export_csv
from desktop.services.tickets.create import NewTicket, create_ticket_in


def test_dashboard_on_demo_matches_the_queue(ws, clock, tmp_path) -> None:
    fill_demo(ws)
    today = clock().date()
    dash = build_dashboard(ws, today - timedelta(days=20), today, forecast_hours=8)
    rows = listing.list_tickets(ws)
    open_rows = [r for r in rows if r["status"] in ("new", "in_progress", "waiting_client", "escalated", "postponed")]
    assert sum(dash.backlog_by_status.values()) == len(open_rows)
    assert sum(dash.backlog_by_agent.values()) == len(open_rows)
    assert sum(dash.backlog_by_department.values()) == len(open_rows)
    assert sum(n for _, n in dash.incoming_per_day) == len(rows)
    assert dash.breached, "the demo has a breached 24/7 ticket"
    assert all(r.remaining_minutes < 0 for r in dash.breached)
    assert dash.auto_closed_inactive == len([r for r in rows if r["status"] == "inactive"])
    assert sum(dash.refusals_by_reason.values()) == len([r for r in rows if r["status"] == "refused"])
    assert dash.sla_compliance_pct is not None and 0 <= dash.sla_compliance_pct <= 100
    files = export_csv(dash, tmp_path / "csv")
    with (tmp_path / "csv" / "breached.csv").open(encoding="utf-8-sig") as fh:
        assert len(list(csv.DictReader(fh))) == len(dash.breached)
    assert len(files) == len(SECTIONS) == 9  # rework.csv among them


def test_reaction_times_in_working_minutes(ws, clock) -> None:
    tids = []
    for i in range(3):
        with ws.db.session() as s:
            tids.append(create_ticket_in(s, ws, NewTicket(subject=f"q{i}", requester="a@b.ru",
                                                          received_at=clock())).tid)
    for minutes, tid in zip((10, 20, 60), tids, strict=True):
        clock.advance(minutes=minutes)
        tickets.take_into_work(ws, tid)  # notified: the reaction
    dash = build_dashboard(ws, clock().date(), clock().date())
    # 10, 30 and 90 working minutes after receipt (Tuesday morning, working hours)
    assert dash.first_reaction_median_minutes == 30.0
    assert dash.first_reaction_p90_minutes is not None and 30 < dash.first_reaction_p90_minutes <= 90
    assert (dash.sla_met, dash.sla_missed, dash.sla_compliance_pct) == (3, 0, 100.0)
