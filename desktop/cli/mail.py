"""``reglament sync [--once]`` and ``reglament outbox [--retry]`` (``reglament account …`` is in
:mod:`desktop.cli.mail_accounts`).

The names and options are the R-CLI contract (PRODUCT.md).
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from types import FrameType

from desktop.cli import mail_accounts
from desktop.cli.common import print_json, workspace
from desktop.errors import ReglamentError, ValidationError
from desktop.services.background.outbox import (
    DrainReport,
    drain_outbox,
    outbox_counts,
    retry_failed,
)
from desktop.services.background.sync import SyncReport, sync_all_once
from desktop.services.background.sync_forever import run_sync_forever
from desktop.services.workspace import Workspace

Sub = argparse._SubParsersAction


def register(sub: Sub[argparse.ArgumentParser]) -> None:
    mail_accounts.register(sub)

    s = sub.add_parser("sync", help="sync all mail accounts (keeps running unless --once)")
    s.add_argument("--once", action="store_true", help="one pass, send the outbox, then exit")
    s.set_defaults(handler=cmd_sync)

    o = sub.add_parser("outbox", help="send queued mail now; --retry requeues failed items")
    o.add_argument("--retry", action="store_true", help="put failed items back in the queue first")
    o.add_argument("--json", action="store_true")
    o.set_defaults(handler=cmd_outbox)


def _print_report(report: SyncReport) -> None:
    print(report.summary(), file=sys.stderr if report.error else sys.stdout, flush=True)


def cmd_sync(args: argparse.Namespace) -> int:
    ws = workspace(args)
    try:
        if args.once:
            reports = sync_all_once(ws)
            if not reports:
                raise ValidationError("no mail account is set up; add one with `reglament account add`")
            for r in reports:
                _print_report(r)
            drained = drain_outbox(ws)
            print(drained.summary(), flush=True)
            failed = [r for r in reports if r.error]
            if failed:
                raise ReglamentError(
                    "{failures}", failures="; ".join(f"{r.account}: {r.error}" for r in failed)
                )
            return 0
        return _sync_forever(ws)
    finally:
        ws.close()


def _sync_forever(ws: Workspace) -> int:
    stop = threading.Event()

    def on_signal(_signum: int, _frame: FrameType | None) -> None:
        stop.set()

    previous = signal.signal(signal.SIGTERM, on_signal)

    def on_report(report: SyncReport) -> None:
        if report.error or report.fetched or report.uidvalidity_changed:
            _print_report(report)

    def on_outbox(drained: DrainReport) -> None:
        if drained.sent or drained.failed or drained.retrying or drained.interrupted:
            print(drained.summary(), flush=True)

    print("syncing; stop with Ctrl+C", flush=True)
    try:
        run_sync_forever(ws, stop, on_report=on_report, on_outbox=on_outbox)
    except KeyboardInterrupt:
        stop.set()
    finally:
        signal.signal(signal.SIGTERM, previous)
    return 0


def cmd_outbox(args: argparse.Namespace) -> int:
    ws = workspace(args)
    try:
        requeued = retry_failed(ws) if args.retry else 0
        drained = drain_outbox(ws)
        counts = outbox_counts(ws)
    finally:
        ws.close()
    if args.json:
        print_json({
            "requeued": requeued, "sent": drained.sent, "retrying": drained.retrying,
            "failed": drained.failed, "interrupted": drained.interrupted,
            "errors": {str(k): v for k, v in drained.errors.items()}, "counts": counts,
        })
        return 0
    if requeued:
        print(f"{requeued} failed items put back in the queue")
    print(drained.summary())
    for item_id, error in drained.errors.items():
        print(f"  item {item_id}: {error}")
    return 0
