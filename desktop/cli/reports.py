"""``reglament report``: the team lead's dashboard numbers, as text, JSON or CSV files."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from desktop.cli.common import opened
from desktop.services.reads.dashboard import build_dashboard, export_csv
from desktop.services.reads.dashboard_sla import Exclusion


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("report", help="backlog, tickets at risk, reaction times, SLA compliance")
    p.add_argument("--from", dest="start", type=date.fromisoformat, help="first day (default: 30 days ago)")
    p.add_argument("--to", dest="end", type=date.fromisoformat, help="last day (default: today)")
    p.add_argument("--forecast-hours", type=int, default=8, help="breaches expected within N business hours")
    p.add_argument("--json", action="store_true")
    p.add_argument("--csv", type=Path, metavar="DIR", help="write one CSV per section into DIR")
    p.set_defaults(handler=cmd_report)


def cmd_report(args: argparse.Namespace) -> int:
    with opened(args) as ws:
        today = ws.now().date()
        dash = build_dashboard(ws, args.start or today - timedelta(days=29), args.end or today,
                               args.forecast_hours)
    if args.csv:
        for path in export_csv(dash, args.csv):
            print(path)
        return 0
    if args.json:
        print_report_json(dash.to_json())
        return 0
    print(f"Period {dash.start} – {dash.end}")
    print("Backlog: " + ", ".join(f"{k} {v}" for k, v in sorted(dash.backlog_by_status.items())))
    print(f"Open: {dash.counts.get('open', 0)}; breached now: {dash.counts.get('breached', 0)}; "
          f"in the warning zone: {dash.counts.get('warning', 0)}; "
          f"will breach within {dash.forecast_hours} business hours: {len(dash.forecast)}")
    if dash.first_reaction_median_minutes is not None:
        print(f"First reaction, median: {dash.first_reaction_median_minutes} min of working time · "
              f"{dash.first_reaction_median_clock_minutes} min by the clock; 90th percentile "
              f"{dash.first_reaction_p90_minutes} min of working time · {dash.first_reaction_p90_clock_minutes} "
              f"min by the clock; over {dash.reactions_measured} of {dash.received_in_period} tickets received")
    print("  " + _left_out(dash.reaction_excluded))
    if dash.sla_compliance_pct is not None:
        print(f"Reaction SLA compliance: {dash.sla_compliance_pct}% ({dash.sla_met} met, {dash.sla_missed} missed)")
    print("  " + _left_out(dash.compliance_excluded))
    print(f"Awaiting acceptance: {dash.counts.get('awaiting_acceptance', 0)} "
          f"(acts sent and not answered: {len(dash.acts_awaiting)}); closed as inactive: {dash.auto_closed_inactive}")
    if dash.refusals_by_reason:
        print("Refusals: " + ", ".join(f"{k} {v}" for k, v in dash.refusals_by_reason.items()))
    return 0


def _left_out(excluded: list[Exclusion]) -> str:
    """The line under a number: what it did not count, and why."""
    parts = []
    for x in excluded:
        if not x.tickets:
            continue
        held = f", {x.working_minutes} working min" if x.working_minutes is not None else ""
        parts.append(f"{x.key.replace('_', ' ')} {x.tickets}{held} ({x.why})")
    return "not counted: " + "; ".join(parts) if parts else "nothing left out"


def print_report_json(data: dict[str, Any]) -> None:
    """The report as JSON with each list item on a line of its own: as readable as an indented
    document, and written by the C encoder (indenting thousands of risk rows took Python's
    pure-Python encoder half a second)."""
    out = sys.stdout
    # One encoder for every item: ``json.dumps`` with options builds a new one per call, which
    # for 8,000 risk rows cost more than encoding them.
    encode = json.JSONEncoder(ensure_ascii=False, default=str).encode
    out.write("{\n")
    for i, (key, value) in enumerate(data.items()):
        out.write(f"  {json.dumps(key)}: ")
        if isinstance(value, list) and value:
            out.write("[\n" + ",\n".join("    " + encode(item) for item in value) + "\n  ]")
        else:
            out.write(encode(value))
        out.write(",\n" if i < len(data) - 1 else "\n")
    out.write("}\n")
