"""``reglament ticket set``: change a ticket's priority, category, department, client, requester
or its "change your password after resolution" reminder (R-TICKET-2, R-CRED-3, R-CLI).

Registered under the ``ticket`` command that ``desktop.cli.core`` builds, so the commands a
script runs on one ticket stay together in ``reglament ticket --help``.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from desktop.cli.common import opened
from desktop.domain.tickets import Category, Priority
from desktop.services import tickets

Sub = argparse._SubParsersAction


def ticket_actions(sub: Sub[argparse.ArgumentParser]) -> Sub[argparse.ArgumentParser]:
    """The sub-commands of ``reglament ticket`` (built by ``desktop.cli.core``)."""
    ticket = sub.choices["ticket"]
    for action in ticket._actions:
        if isinstance(action, argparse._SubParsersAction):
            return action
    raise RuntimeError("the ticket command has no actions")  # pragma: no cover - a build error


def register(sub: Sub[argparse.ArgumentParser]) -> None:
    s = ticket_actions(sub).add_parser(
        "set", help="change priority, category, department, client, requester or the password reminder")
    s.add_argument("tid")
    s.add_argument("--priority", choices=[p.value for p in Priority])
    s.add_argument("--category", choices=[c.value for c in Category])
    s.add_argument("--department", help="a department's code (see 'reglament admin' for the list)")
    s.add_argument("--client", help="the client's name, or 'none' to detach the ticket from any client")
    s.add_argument("--requester", help="the requester's e-mail address")
    s.add_argument("--password-reminder", choices=["on", "off"],
                   help="remind the client to change their password after resolution")
    s.set_defaults(handler=cmd_ticket_set)


def cmd_ticket_set(args: argparse.Namespace) -> int:
    changes: dict[str, Any] = {}
    for key in ("priority", "category", "department", "requester"):
        if getattr(args, key) is not None:
            changes[key] = getattr(args, key)
    if args.client is not None:
        changes["client"] = None if args.client.strip().lower() in ("none", "-", "") else args.client
    if args.password_reminder is not None:
        changes["password_reminder"] = args.password_reminder == "on"
    if not changes:
        print("reglament: nothing to change: give at least one of --priority, --category, --department, "
              "--client, --requester, --password-reminder", file=sys.stderr)
        return 2
    with opened(args) as ws:
        changed = tickets.update_fields(ws, args.tid, **changes)
    print(f"{args.tid.upper()}: " + (", ".join(changed) + " changed" if changed else "nothing changed"))
    return 0
