"""``reglament run-timers``: apply due timers once (auto-close, reminders, acceptance expiry)."""

from __future__ import annotations

import argparse

from desktop.cli.common import opened, print_json
from desktop.services.background.timers import run_timers


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("run-timers", help="apply due timers once (auto-close, reminders, act expiry, deadline warnings)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_run_timers)


def cmd_run_timers(args: argparse.Namespace) -> int:
    with opened(args) as ws:
        report = run_timers(ws)
    if args.json:
        print_json({"reminders": report.reminders, "closed_inactive": report.closed_inactive,
                    "acts_expired": report.acts_expired, "skipped": report.skipped_lease,
                    "warnings_sent": [{"tid": t, "level": lv, "to": who, "channel": ch}
                                      for t, lv, who, ch in report.warnings.sent],
                    "warnings_held": [{"tid": t, "level": lv} for t, lv in report.warnings.held],
                    "warnings_held_until": report.warnings.held_until})
    elif report.skipped_lease:
        print("another workstation is applying timers right now; nothing done here")
    else:
        print(f"reminders sent: {len(report.reminders)}, closed as inactive: "
              f"{len(report.closed_inactive)}, acceptance windows expired: {len(report.acts_expired)}")
        w = report.warnings
        line = f"deadline warnings sent: {len(w.sent)}"
        if w.held:
            line += f", held until working hours ({w.held_until:%Y-%m-%d %H:%M %z}): {len(w.held)}"
        print(line)
    return 0
