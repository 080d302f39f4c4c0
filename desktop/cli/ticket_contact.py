"""``reglament ticket log-contact``: a phone call or chat, logged after the fact, printing the
new TID (R-TICKET-8, R-CLI). The ticket opens in work with the reaction met when it was
answered; see :mod:`desktop.services.tickets.contact`.
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime

from desktop.cli.common import opened
from desktop.cli.ticket_edit import Sub, ticket_actions
from desktop.domain.tickets import Channel
from desktop.services import tickets


def _moment(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a time like 2026-11-17T10:30+03:00") from None
    return moment if moment.tzinfo is not None else moment.astimezone()  # this computer's zone


def register(sub: Sub[argparse.ArgumentParser]) -> None:
    s = ticket_actions(sub).add_parser(
        "log-contact", help="log a phone call or chat after the fact; prints the new TID")
    s.add_argument("--channel", required=True, choices=[Channel.PHONE.value, Channel.CHAT.value])
    who = s.add_mutually_exclusive_group(required=True)
    who.add_argument("--client", help="the client's name")
    who.add_argument("--requester", help="the caller's e-mail address")
    s.add_argument("--name", default="", help="the caller's name")
    s.add_argument("--subject", required=True)
    s.add_argument("--text", required=True, help="what was asked and answered ('-' reads stdin)")
    s.add_argument("--account-change", action="store_true",
                   help="the caller asked to change an account: accepted only in writing")
    s.add_argument("--answered-by", help="login of the agent who answered (you by default)")
    s.add_argument("--at", type=_moment, help="when it was answered, ISO 8601 (now by default)")
    s.set_defaults(handler=cmd_log_contact)


def cmd_log_contact(args: argparse.Namespace) -> int:
    text = sys.stdin.read() if args.text == "-" else args.text
    with opened(args) as ws:
        tid = tickets.log_contact(
            ws, channel=Channel(args.channel), subject=args.subject, text=text,
            requester=args.requester or "", requester_name=args.name, client=args.client,
            account_change=args.account_change, answered_by=args.answered_by, answered_at=args.at,
        )
    print(tid)
    return 0
