"""``reglament ticket confirm-thread`` and ``reglament ticket move``: put a message in the right
ticket (R-MAIL-3, R-CLI). MSG is a message's ``id`` as ``ticket show --json`` prints it.

A message moved ``--new`` opens a ticket of its sender's own client (by address, then domain)
or of none — see :mod:`desktop.services.tickets.thread_fix`.
"""

from __future__ import annotations

import argparse
import sys

from desktop.cli.common import opened
from desktop.cli.ticket_edit import Sub, ticket_actions
from desktop.services import tickets


def register(sub: Sub[argparse.ArgumentParser]) -> None:
    actions = ticket_actions(sub)
    s = actions.add_parser(
        "confirm-thread", help="confirm that a message from an unknown sender belongs to the ticket")
    s.add_argument("tid")
    s.add_argument("message", type=int, metavar="MSG", help="the message's id (see 'ticket show --json')")
    s.set_defaults(handler=cmd_confirm_thread)
    s = actions.add_parser(
        "move", help="move a message to another ticket, or into a new ticket of its sender's own client")
    s.add_argument("message", type=int, metavar="MSG", help="the message's id (see 'ticket show --json')")
    where = s.add_mutually_exclusive_group(required=True)
    where.add_argument("--to", metavar="TID", help="the ticket the message belongs to")
    where.add_argument("--new", action="store_true", help="open a new ticket with it; prints its TID")
    s.add_argument("--subject", help="the new ticket's subject (with --new; the message's by default)")
    s.set_defaults(handler=cmd_move)


def cmd_confirm_thread(args: argparse.Namespace) -> int:
    with opened(args) as ws:
        tickets.confirm_thread(ws, args.tid, args.message)
    print(f"message {args.message} confirmed in {args.tid.upper()}")
    return 0


def cmd_move(args: argparse.Namespace) -> int:
    if args.subject is not None and not args.new:
        print("reglament: --subject goes with --new", file=sys.stderr)
        return 2
    with opened(args) as ws:
        if args.new:
            print(tickets.move_to_new(ws, args.message, args.subject))
            return 0
        tickets.move_message(ws, args.message, args.to)
    print(f"message {args.message} moved to {args.to.upper()}")
    return 0
