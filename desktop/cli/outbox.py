"""``reglament outbox [list|retry|drop]``: send now, see what waits, decide about what failed.

``reglament outbox`` sends every waiting message at once, back-off or not (that is what asking
means), over one connection per server. When a server cannot be reached it prints the one verdict
and exits 1; a message the server refused is listed with the server's words and the exit is 1 too,
so a script notices. The counts it prints are the outbox's one definition
(desktop/services/reads/outbox.py), the same as ``stats --json`` and the window's.
"""

from __future__ import annotations

import argparse
import sys

from desktop.cli.common import opened, print_json, table
from desktop.cli.common import shown_time as when
from desktop.errors import ReglamentError
from desktop.services.background.outbox import drain_outbox
from desktop.services.background.outbox_manage import drop_item, retry_items
from desktop.services.reads.outbox import OPEN_STATUSES, outbox_counts, outbox_rows


def item_id(text: str) -> int:
    """An outbox message id as argparse checks it: a usage error (exit 2) when it is not one."""
    if not text.isdigit() or len(text) > 18:
        raise argparse.ArgumentTypeError(f"{text[:40]!r} is not an outbox message id (a number from `outbox list`)")
    return int(text)


def cmd_send(args: argparse.Namespace) -> int:
    with opened(args) as ws:
        requeued = retry_items(ws) if args.retry else 0
        drained = drain_outbox(ws, force=True)
        counts = outbox_counts(ws)
    if args.json:
        print_json({
            "requeued": requeued, "sent": drained.sent, "retrying": drained.retrying,
            "failed": drained.failed, "interrupted": drained.interrupted, "waiting": drained.waiting,
            "verdict": drained.verdict, "connections": drained.connections,
            "errors": {str(k): v for k, v in drained.errors.items()}, "counts": counts.as_json(),
        })
    else:
        if requeued:
            print(f"{requeued} failed messages put back in the queue")
        print(f"{drained.summary()}; now {counts.line().removeprefix('outbox: ')}")
        for item, error in drained.errors.items():
            print(f"  message {item}: {error}", file=sys.stderr)
    if drained.verdict:
        raise ReglamentError("{verdict}", verdict=drained.verdict)
    if drained.failed:
        raise ReglamentError(
            "{count} messages were not sent; see `reglament outbox list`", count=len(drained.failed)
        )
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    statuses = (*OPEN_STATUSES, "sent", "dropped") if args.all else OPEN_STATUSES
    with opened(args) as ws:
        rows = outbox_rows(ws, statuses)
        counts = outbox_counts(ws)
    if args.json:
        print_json({"counts": counts.as_json(), "messages": [r.as_json() for r in rows]})
        return 0
    print(counts.line())
    if rows:
        table(
            [[str(r.id), r.state.replace("_", " "), r.tid or "-", ", ".join(r.recipients)[:40],
              str(r.attempts),
              when(r.next_try_at),
              r.error or ""] for r in rows],
            ["ID", "STATE", "TICKET", "TO", "TRIES", "NEXT TRY", "SERVER SAID / NOTE"],
        )
    return 0


def cmd_retry(args: argparse.Namespace) -> int:
    with opened(args) as ws:
        count = retry_items(ws, None if args.all else [args.id])
    print(f"{count} messages put back in the queue; `reglament outbox` sends them now")
    return 0


def cmd_drop(args: argparse.Namespace) -> int:
    if not args.yes:
        if not sys.stdin.isatty():
            raise ReglamentError(
                "dropping a message needs a yes: run it in a terminal, or add --yes"
            )
        answer = input(f"Drop outbox message {args.id} unsent? It stays in its ticket. [y/N] ")
        if answer.strip().lower() not in ("y", "yes", "д", "да"):
            print("nothing dropped")
            return 1
    with opened(args) as ws:
        tid = drop_item(ws, args.id)
    where = f"; it stays in ticket {tid}" if tid else ""
    print(f"outbox message {args.id} dropped unsent{where}")
    return 0
