"""``reglament sync [--once]`` and ``reglament outbox …`` (``reglament account …`` is in
:mod:`desktop.cli.mail_accounts`).

The names and options are the R-CLI contract (PRODUCT.md).
"""

from __future__ import annotations

import argparse
import sys
import threading

from desktop.cli import mail_accounts
from desktop.cli import outbox as outbox_cli
from desktop.cli.common import workspace
from desktop.cli.progress_bar import TerminalBar
from desktop.errors import ReglamentError, ValidationError
from desktop.services.background.mail_jobs import SharedWorker
from desktop.services.background.outbox import DrainReport, drain_outbox
from desktop.services.background.stopping import SyncStopped, stop_at_checkpoint, stop_on_signals
from desktop.services.background.sync import SyncReport, sync_all_once
from desktop.services.background.sync_forever import run_sync_forever
from desktop.services.workspace import Workspace

Sub = argparse._SubParsersAction


def register(sub: Sub[argparse.ArgumentParser]) -> None:
    mail_accounts.register(sub)

    s = sub.add_parser("sync", help="sync all mail accounts (keeps running unless --once)")
    s.add_argument("--once", action="store_true", help="one pass, send the outbox, then exit")
    s.set_defaults(handler=cmd_sync)

    o = sub.add_parser(
        "outbox", help="send everything waiting now (back-off or not); list, retry or drop messages",
        description="Without an action: send every waiting message now, over one connection per "
        "server. Exit 1 when a server cannot be reached or a message was refused.",
    )
    o.add_argument("--retry", action="store_true", help="put failed messages back in the queue first")
    o.add_argument("--json", action="store_true")
    o.set_defaults(handler=cmd_outbox)
    osub = o.add_subparsers(dest="outbox_command", metavar="ACTION")
    ol = osub.add_parser("list", help="messages waiting, backing off or failed (with the server's words)")
    ol.add_argument("--all", action="store_true", help="also sent and dropped messages")
    ol.add_argument("--json", action="store_true")
    ol.set_defaults(handler=outbox_cli.cmd_list)
    orr = osub.add_parser("retry", help="put failed messages back in the queue (then run `reglament outbox`)")
    target = orr.add_mutually_exclusive_group(required=True)
    target.add_argument("id", nargs="?", type=outbox_cli.item_id, help="the message's id (from `outbox list`)")
    target.add_argument("--all", action="store_true", help="every failed message")
    orr.set_defaults(handler=outbox_cli.cmd_retry)
    od = osub.add_parser("drop", help="take a message out of the outbox unsent (it stays in its ticket)")
    od.add_argument("id", type=outbox_cli.item_id)
    od.add_argument("--yes", action="store_true", help="do not ask")
    od.set_defaults(handler=outbox_cli.cmd_drop)


def _print_report(report: SyncReport) -> None:
    print(report.summary(), file=sys.stderr if report.error else sys.stdout, flush=True)


def cmd_sync(args: argparse.Namespace) -> int:
    ws = workspace(args)
    try:
        if args.once:
            stop = threading.Event()
            bar = TerminalBar(sys.stderr)  # drawn on a terminal only
            # One helper process parses the mail and then builds the acknowledgements.
            shared = SharedWorker(ws.paths.blobs)
            try:
                with stop_on_signals(stop) as received:
                    try:
                        reports = sync_all_once(ws, stop_at_checkpoint(stop, bar), shared=shared)
                    except SyncStopped:
                        raise ReglamentError(
                            "stopped by {signal}; the mail fetched so far is stored, the next sync "
                            "goes on from there", signal="/".join(received) or "request") from None
                    finally:
                        bar.close()
                if not reports:
                    raise ValidationError("no mail account is set up; add one with `reglament account add`")
                for r in reports:
                    _print_report(r)
                drained = drain_outbox(ws, force=True, shared=shared)
            finally:
                shared.close()
            print(drained.summary(), flush=True)
            failures = [f"{r.account}: {r.error}" for r in reports if r.error]
            if drained.verdict:
                failures.append(drained.verdict)
            if failures:
                raise ReglamentError("{failures}", failures="; ".join(failures))
            return 0
        return _sync_forever(ws)
    finally:
        ws.close()


def _sync_forever(ws: Workspace) -> int:
    stop = threading.Event()

    def on_report(report: SyncReport) -> None:
        if report.error or report.fetched or report.uidvalidity_changed:
            _print_report(report)

    def on_outbox(drained: DrainReport) -> None:
        if drained.sent or drained.failed or drained.retrying or drained.interrupted or drained.waiting:
            print(drained.summary(), flush=True)
        if drained.verdict:
            print(f"reglament: {drained.verdict}", file=sys.stderr, flush=True)

    print("syncing; stop with Ctrl+C", flush=True)
    # SIGTERM and Ctrl+C stop it at the next checkpoint, releasing the mailboxes and helpers.
    with stop_on_signals(stop) as received:
        run_sync_forever(ws, stop, on_report=on_report, on_outbox=on_outbox)
    if received:
        print(f"stopped by {'/'.join(received)}", flush=True)
    return 0


def cmd_outbox(args: argparse.Namespace) -> int:
    return outbox_cli.cmd_send(args)
