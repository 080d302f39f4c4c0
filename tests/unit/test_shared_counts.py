"""One number, one meaning (issue 19, point 7): each count that the views panel, the dashboard,
``stats --json`` and ``report --json`` share is the same number under the same name."""

from __future__ import annotations

import json
import shutil
from datetime import timedelta
from pathlib import Path

from desktop.cli import main
from desktop.services.reads.counts import SHARED, VIEW_COUNT, shared_counts, view_counts
from desktop.services.reads.dashboard import build_dashboard
from desktop.services.reads.queue_spec import VIEWS
from desktop.services.tickets import lifecycle
from desktop.services.workspace import open_workspace


def _cli_json(home: Path, capsys, *args: str) -> dict:
    capsys.readouterr()
    assert main(["--home", str(home), *args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_every_saved_view_has_its_shared_count() -> None:
    assert tuple(VIEW_COUNT) == VIEWS and set(VIEW_COUNT.values()) <= set(SHARED)


def test_views_dashboard_stats_and_report_say_the_same_numbers(tmp_path: Path, demo_template: Path, capsys) -> None:
    home = tmp_path / "home"
    shutil.copytree(demo_template, home)
    (home / "settings.json").write_text(json.dumps({"agent": "anna"}), encoding="utf-8")
    ws = open_workspace(home=home)  # the wall clock, as the command line reads it
    try:
        # Data the two old definitions disagreed on: resolved tickets with no act mailed yet
        # ("awaiting acceptance 4" beside the view, "0" on the dashboard's card).
        lifecycle.resolve(ws, "TID-000008")
        views = view_counts(ws)
        today = ws.now().date()
        dash = build_dashboard(ws, today - timedelta(days=29), today)
        shared = shared_counts(ws)
    finally:
        ws.close()
    stats = _cli_json(home, capsys, "stats")
    report = _cli_json(home, capsys, "report")
    assert views["acceptance"] >= 1 and views["waiting"] >= 1 and views["unassigned"] >= 1 and views["mine"] >= 1
    assert not dash.acts_awaiting  # the card counts the resolved tickets, not the acts mailed
    for view, name in VIEW_COUNT.items():
        assert views[view] == dash.counts[name] == shared[name] == report["counts"][name], name
        assert (stats["tickets"] if name == "all" else stats[name]) == views[view], name
    for name in ("open", "breached", "warning"):
        assert dash.counts[name] == shared[name] == stats[name] == report["counts"][name], name
    assert dash.counts["open"] == sum(dash.backlog_by_status.values())  # the chart adds up to the card
    assert dash.counts["breaching"] == dash.counts["breached"] + dash.counts["warning"]
