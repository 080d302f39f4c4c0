"""``reglament ticket paid``: confirm the paid-work suggestion, clear it, or mark the work paid by
hand with a reason (R-TICKET-7, R-CLI).

Registered under the ``ticket`` command, like ``ticket set``. Without ``--confirm``, ``--clear``
or ``--set``, a ``--reason`` marks the work paid (what scripts written before the three
choices existed ask for).
"""

from __future__ import annotations

import argparse
import sys

from desktop.cli.common import opened
from desktop.cli.ticket_edit import ticket_actions
from desktop.domain.paid import PaidBasis
from desktop.services import tickets

Sub = argparse._SubParsersAction


def register(sub: Sub[argparse.ArgumentParser]) -> None:
    s = ticket_actions(sub).add_parser(
        "paid", help="confirm the paid-work suggestion, clear it, or mark the work paid with a reason")
    s.add_argument("tid")
    mode = s.add_mutually_exclusive_group()
    mode.add_argument("--confirm", action="store_true", help="agree with the suggestion: the work is paid")
    mode.add_argument("--clear", action="store_true", help="the work is free (a suggestion is dismissed)")
    mode.add_argument("--set", action="store_true", help="mark the work paid by hand (give --reason)")
    s.add_argument("--reason", default="", help="why (required with --set)")
    s.add_argument("--basis", choices=[b.value for b in PaidBasis],
                   help="the rule behind a paid mark: unrelated (not about the client's services), "
                        "outside_hours, contract_expired or other (default)")
    s.set_defaults(handler=cmd_ticket_paid)


def cmd_ticket_paid(args: argparse.Namespace) -> int:
    if not (args.confirm or args.clear or args.set or args.reason):
        print("reglament: say what to do: --confirm, --clear, or --set with --reason", file=sys.stderr)
        return 2
    if args.basis and (args.confirm or args.clear):
        print("reglament: --basis goes with --set", file=sys.stderr)
        return 2
    with opened(args) as ws:
        if args.confirm:
            reason = tickets.confirm_paid(ws, args.tid)
            print(f"{args.tid.upper()}: paid work confirmed" + (f" ({reason})" if reason else ""))
        elif args.clear:
            tickets.clear_paid(ws, args.tid, args.reason)
            print(f"{args.tid.upper()}: free work (paid mark cleared)")
        else:
            tickets.set_paid(ws, args.tid, True, args.reason, basis=args.basis)
            print(f"{args.tid.upper()}: marked as paid work ({args.reason.strip() or args.basis})")
    return 0
