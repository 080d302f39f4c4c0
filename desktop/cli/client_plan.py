"""``reglament client set-plan NAME PLAN [--open-tickets] [--dry-run] [--json]``."""

from __future__ import annotations

import argparse

from desktop.cli.common import opened
from desktop.cli.preview import print_moves
from desktop.services import client_plan


def register(csub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    a = csub.add_parser("set-plan", help="move a client to another plan ('-' for none)")
    a.add_argument("name")
    a.add_argument("plan")
    a.add_argument("--open-tickets", action="store_true",
                   help="move the client's open tickets too (their deadlines are recomputed)")
    a.add_argument("--dry-run", action="store_true", help="show the deadlines that would move; change nothing")
    a.add_argument("--json", action="store_true")
    a.set_defaults(handler=cmd_set_plan)


def cmd_set_plan(args: argparse.Namespace) -> int:
    plan = None if args.plan == "-" else args.plan
    with opened(args) as ws:
        moves = client_plan.preview_client_plan(ws, args.name, plan, open_tickets=args.open_tickets)
        if not args.dry_run:
            client_plan.set_client_plan(ws, args.name, plan, open_tickets=args.open_tickets)
    print_moves(moves, applied=not args.dry_run, as_json=args.json,
                extra={"client": args.name, "plan": plan, "open_tickets_moved": args.open_tickets})
    if not args.open_tickets and not args.json:
        print("open tickets keep the plan they were opened under (--open-tickets moves them too)")
    return 0
