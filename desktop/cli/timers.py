"""``reglament run-timers``: apply due timers once (auto-close, reminders, acceptance expiry),
or with ``--every`` keep applying them until interrupted — on a machine with no mailbox set up,
where no ``reglament sync`` runs to apply them between its rounds."""

from __future__ import annotations

import argparse
import threading

from desktop.cli.common import opened, print_json
from desktop.services.background.timers import TimerReport, run_timers


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("run-timers", help="apply due timers once (auto-close, reminders, act expiry, deadline warnings)")
    p.add_argument("--json", action="store_true")
    p.add_argument("--every", type=_seconds, metavar="SECONDS",
                   help="keep applying them every SECONDS until interrupted (no mailbox needed)")
    p.set_defaults(handler=cmd_run_timers)


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not 1 <= value <= 86_400:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds from 1 to 86400")
    return value


def cmd_run_timers(args: argparse.Namespace) -> int:
    with opened(args) as ws:
        if args.every:
            from desktop.services.background.timer_loop import run_timers_forever

            run_timers_forever(ws, threading.Event(), interval=args.every,
                               on_report=lambda r: _say(args, r, quiet=True))
            return 0
        _say(args, run_timers(ws))
    return 0


def _say(args: argparse.Namespace, report: TimerReport, quiet: bool = False) -> None:
    """One pass's outcome; a loop (``quiet``) speaks only of passes that did something."""
    w = report.warnings
    if args.json:
        if not quiet or report.total or w.sent:
            print_json({"reminders": report.reminders, "closed_inactive": report.closed_inactive,
                        "acts_expired": report.acts_expired, "skipped": report.skipped_lease,
                        "warnings_sent": [{"tid": t, "level": lv, "to": who, "channel": ch}
                                          for t, lv, who, ch in w.sent],
                        "warnings_held": [{"tid": t, "level": lv} for t, lv in w.held],
                        "warnings_held_until": w.held_until})
    elif report.skipped_lease:
        if not quiet:
            print("another workstation is applying timers right now; nothing done here")
    elif not quiet or report.total or w.sent:
        print(f"reminders sent: {len(report.reminders)}, closed as inactive: "
              f"{len(report.closed_inactive)}, acceptance windows expired: {len(report.acts_expired)}",
              flush=True)
        line = f"deadline warnings sent: {len(w.sent)}"
        if w.held:
            line += f", held until working hours ({w.held_until:%Y-%m-%d %H:%M %z}): {len(w.held)}"
        print(line, flush=True)
