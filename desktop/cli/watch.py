"""``reglament watch``: each change the team commits, printed as it arrives (R-TEAM-2).

For scripts and for checking a team set-up: one line per change — the ticket, what changed and
who — or one JSON object per line with ``--json``. It follows the same feed as the window
(LISTEN/NOTIFY on PostgreSQL, the change counter on SQLite) and runs until interrupted.
"""

from __future__ import annotations

import argparse
import json
import sys
import threading

from desktop.cli.common import opened
from desktop.services.background.changes import Change, follow


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("watch", help="print each change of a ticket as the team commits it")
    p.add_argument("--json", action="store_true", help="one JSON object per line")
    p.add_argument("--since", type=int, default=None,
                   help="also print the changes after this change number (from an earlier --json)")
    p.set_defaults(handler=cmd_watch)


def line_of(c: Change) -> str:
    """``TID-000008  status: in_progress  (anna)``: what a person reads in a terminal."""
    what = c.field if c.what in ("change", "flag") and c.field else c.what
    value = f": {c.new}" if c.new not in (None, "") else ""
    return f"{c.tid or '-'}  {what}{value}  ({c.who})"


def cmd_watch(args: argparse.Namespace) -> int:
    stop = threading.Event()

    def deliver(changes: list[Change]) -> None:
        out = sys.stdout
        for c in changes:
            out.write((json.dumps(c.as_dict(), ensure_ascii=False) if args.json else line_of(c)) + "\n")
        out.flush()

    def state(up: bool) -> None:
        # On stderr, so the changes on stdout stay clean for a script; "watching" also tells
        # a script (and the tests) that nothing committed from now on will be missed.
        print("reglament: watching" if up else "reglament: the database is not reachable; waiting for it",
              file=sys.stderr, flush=True)

    with opened(args) as ws:
        try:
            follow(ws, stop, deliver, state, since=args.since)
        except KeyboardInterrupt:
            stop.set()
    return 0
