"""``reglament account …``, ``reglament sync [--once]`` and ``reglament outbox [--retry]``.

The names and options are the R-CLI contract (PRODUCT.md). The password is read from standard
input only (``--password-stdin``): a password on the command line would sit in the shell history
and in every process listing.
"""

from __future__ import annotations

import argparse
import sys
import threading

from desktop.cli.common import print_json, table, workspace
from desktop.errors import ReglamentError, ValidationError
from desktop.services import accounts
from desktop.services.background.outbox import (
    DrainReport,
    drain_outbox,
    outbox_counts,
    retry_failed,
)
from desktop.services.background.stopping import SyncStopped, stop_at_checkpoint, stop_on_signals
from desktop.services.background.sync import SyncReport, sync_all_once
from desktop.services.background.sync_forever import run_sync_forever
from desktop.services.workspace import Workspace

Sub = argparse._SubParsersAction


def register(sub: Sub[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("account", help="mail accounts (IMAP/SMTP)")
    asub = p.add_subparsers(dest="account_command", metavar="ACTION", required=True)

    a = asub.add_parser("add", help="add a mailbox; the password is read from standard input")
    a.add_argument("--name", required=True)
    a.add_argument("--email", required=True)
    a.add_argument("--imap-host", required=True)
    a.add_argument("--imap-port", type=int)
    a.add_argument("--smtp-host")
    a.add_argument("--smtp-port", type=int)
    a.add_argument("--security", choices=["ssl", "starttls", "none"], default="ssl")
    a.add_argument("--user", help="login name (default: the e-mail address)")
    a.add_argument("--smtp-user", help="SMTP login, when it differs from the IMAP one")
    a.add_argument(
        "--smtp-password-stdin", action="store_true",
        help="the SMTP login has its own password: read it from the second line of standard input",
    )
    a.add_argument("--ca-file", help="a company CA certificate (PEM) to trust besides the system's")
    a.add_argument(
        "--password-stdin", action="store_true", required=True,
        help="read the password from standard input (it goes to the system keyring)",
    )
    a.add_argument(
        "--allow-insecure", action="store_true",
        help="allow --security none for a host that is not this machine",
    )
    a.set_defaults(handler=cmd_account_add)

    ls = asub.add_parser("list", help="list mail accounts")
    ls.add_argument("--json", action="store_true")
    ls.set_defaults(handler=cmd_account_list)

    rm = asub.add_parser("remove", help="remove an account and its keyring entry")
    rm.add_argument("name")
    rm.set_defaults(handler=cmd_account_remove)

    t = asub.add_parser("test", help="try to log in to IMAP and SMTP and say what happened")
    t.add_argument("name")
    t.set_defaults(handler=cmd_account_test)

    s = sub.add_parser("sync", help="sync all mail accounts (keeps running unless --once)")
    s.add_argument("--once", action="store_true", help="one pass, send the outbox, then exit")
    s.set_defaults(handler=cmd_sync)

    o = sub.add_parser("outbox", help="send queued mail now; --retry requeues failed items")
    o.add_argument("--retry", action="store_true", help="put failed items back in the queue first")
    o.add_argument("--json", action="store_true")
    o.set_defaults(handler=cmd_outbox)


def _read_password(prompt: str = "Password: ") -> str:
    if sys.stdin is None or sys.stdin.closed:
        raise ValidationError("no password on standard input (use --password-stdin with a pipe)")
    if sys.stdin.isatty():
        import getpass

        text = getpass.getpass(prompt)
    else:
        text = sys.stdin.readline()
    password = text.rstrip("\r\n")
    if not password:
        raise ValidationError("the password on standard input is empty")
    return password


def cmd_account_add(args: argparse.Namespace) -> int:
    password = _read_password()
    smtp_password = _read_password("SMTP password: ") if args.smtp_password_stdin else None
    ws = workspace(args)
    try:
        info = accounts.add_account(
            ws,
            name=args.name,
            email=args.email,
            imap_host=args.imap_host,
            imap_port=args.imap_port,
            smtp_host=args.smtp_host,
            smtp_port=args.smtp_port,
            security=args.security,
            user=args.user,
            allow_insecure=args.allow_insecure,
            password=password,
            smtp_user=args.smtp_user,
            smtp_password=smtp_password,
            ca_file=args.ca_file,
        )
    finally:
        ws.close()
    print(
        f"account {info.name} added: IMAP {info.imap_host}:{info.imap_port}, "
        f"SMTP {info.smtp_host}:{info.smtp_port} ({info.security}); "
        "the password is in the system keyring"
    )
    return 0


def cmd_account_list(args: argparse.Namespace) -> int:
    ws = workspace(args)
    try:
        infos = accounts.list_accounts(ws)
    finally:
        ws.close()
    if args.json:
        print_json([i.as_json() for i in infos])
        return 0
    rows = [
        [
            i.name, i.email, f"{i.imap_host}:{i.imap_port}", f"{i.smtp_host}:{i.smtp_port}",
            i.security, i.last_sync_at or "never", i.last_error or "",
        ]
        for i in infos
    ]
    table(rows, ["NAME", "EMAIL", "IMAP", "SMTP", "SECURITY", "LAST SYNC", "LAST ERROR"])
    return 0


def cmd_account_remove(args: argparse.Namespace) -> int:
    ws = workspace(args)
    try:
        info = accounts.remove_account(ws, args.name)
    finally:
        ws.close()
    print(f"account {info.name} removed (its tickets and messages are kept)")
    return 0


def cmd_account_test(args: argparse.Namespace) -> int:
    ws = workspace(args)
    try:
        verdicts = accounts.test_account(ws, args.name)
    finally:
        ws.close()
    for v in verdicts:
        if v.ok:
            print(f"{v.protocol}: {v.verdict} ({v.detail})" if v.detail else f"{v.protocol}: {v.verdict}")
    failed = [v for v in verdicts if not v.ok]
    if failed:
        raise ReglamentError(
            "{failures}", failures="; ".join(f"{v.protocol}: {v.verdict}" for v in failed)
        )
    return 0


def _print_report(report: SyncReport) -> None:
    print(report.summary(), file=sys.stderr if report.error else sys.stdout, flush=True)


def cmd_sync(args: argparse.Namespace) -> int:
    ws = workspace(args)
    try:
        if args.once:
            stop = threading.Event()
            with stop_on_signals(stop) as received:
                try:
                    reports = sync_all_once(ws, stop_at_checkpoint(stop))
                except SyncStopped:
                    raise ReglamentError(
                        "stopped by {signal}; the mail fetched so far is stored, the next sync "
                        "goes on from there", signal="/".join(received) or "request") from None
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

    def on_report(report: SyncReport) -> None:
        if report.error or report.fetched or report.uidvalidity_changed:
            _print_report(report)

    def on_outbox(drained: DrainReport) -> None:
        if drained.sent or drained.failed or drained.retrying or drained.interrupted:
            print(drained.summary(), flush=True)

    print("syncing; stop with Ctrl+C", flush=True)
    # SIGTERM and Ctrl+C stop it at the next checkpoint, releasing the mailboxes and helpers.
    with stop_on_signals(stop) as received:
        run_sync_forever(ws, stop, on_report=on_report, on_outbox=on_outbox)
    if received:
        print(f"stopped by {'/'.join(received)}", flush=True)
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
