"""``reglament act TID`` and the act follow-ups: send, accept, refuse with rework."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from desktop.cli.common import opened, print_json, shown_time, table
from desktop.services import acts


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("act", help="generate the acceptance act of a ticket; prints the path")
    p.add_argument("tid")
    p.add_argument("--format", choices=("pdf", "docx"), default="pdf")
    p.add_argument("--out", type=Path, help="folder to write the file to (default: exports/ in the data folder)")
    p.set_defaults(handler=cmd_act)
    p = sub.add_parser("act-send", help="mail the act to the client; the acceptance window starts")
    p.add_argument("tid")
    p.set_defaults(handler=cmd_send)
    p = sub.add_parser("act-accept", help="record that the client accepted the act")
    p.add_argument("tid")
    p.set_defaults(handler=cmd_accept)
    p = sub.add_parser("act-refuse", help="record a motivated refusal; makes the bilateral act")
    p.add_argument("tid")
    p.add_argument("--reason", action="append", required=True, dest="reasons")
    p.add_argument("--rework", action="append", required=True, metavar="TEXT=YYYY-MM-DD",
                   help="a rework item and its deadline")
    p.add_argument("--format", choices=("pdf", "docx"), default="pdf")
    p.add_argument("--out", type=Path)
    p.set_defaults(handler=cmd_refuse)
    p = sub.add_parser("acts", help="list the acts of a ticket")
    p.add_argument("tid")
    p.set_defaults(handler=lambda a: _list(a))
    p = sub.add_parser("act-save", help="write the ticket's newest act (acceptance or bilateral) to a file")
    p.add_argument("tid")
    p.add_argument("--format", choices=("pdf", "docx"), default="pdf")
    p.add_argument("--to", type=Path, required=True, metavar="FILE")
    p.set_defaults(handler=cmd_save)
    p = sub.add_parser("act-rework", help="list the rework items of a refused act with their deadlines")
    p.add_argument("tid")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_rework)
    p = sub.add_parser("act-rework-done", help="mark a rework item done (ITEM is its id in 'act-rework')")
    p.add_argument("tid")
    p.add_argument("item", type=int)
    p.set_defaults(handler=cmd_rework_done)


def _rework(text: str) -> tuple[str, date]:
    desc, sep, when = text.rpartition("=")
    try:
        if not sep or not desc.strip():
            raise ValueError
        return desc.strip(), date.fromisoformat(when.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not TEXT=YYYY-MM-DD") from None


def cmd_act(args: argparse.Namespace) -> int:
    with opened(args) as ws:
        print(acts.issue_act(ws, args.tid, args.format, args.out).path)
    return 0


def cmd_send(args: argparse.Namespace) -> int:
    with opened(args) as ws:
        print(f"act {acts.send_act(ws, args.tid)} queued for sending")
    return 0


def cmd_accept(args: argparse.Namespace) -> int:
    with opened(args) as ws:
        print(f"act {acts.accept_act(ws, args.tid)} accepted")
    return 0


def cmd_refuse(args: argparse.Namespace) -> int:
    try:
        items = [_rework(r) for r in args.rework]
    except argparse.ArgumentTypeError as exc:
        from desktop.errors import ValidationError

        raise ValidationError("{problem}", problem=str(exc)) from None  # argparse's words
    with opened(args) as ws:
        print(acts.refuse_act(ws, args.tid, args.reasons, items, args.format, args.out).path)
    return 0


def _list(args: argparse.Namespace) -> int:
    with opened(args) as ws:
        print_json(acts.acts_of(ws, args.tid))
    return 0


def cmd_save(args: argparse.Namespace) -> int:
    with opened(args) as ws:
        print(acts.save_act(ws, args.tid, args.format, args.to).path)
    return 0


def cmd_rework(args: argparse.Namespace) -> int:
    with opened(args) as ws:
        items = acts.rework_items(ws, args.tid)
    if args.json:
        print_json([{"id": i.id, "description": i.description, "deadline_at": i.deadline_at.isoformat(),
                     "done_at": i.done_at.isoformat() if i.done_at else None, "state": i.status} for i in items])
        return 0
    table([[str(i.id), shown_time(i.deadline_at.isoformat()), i.label("en"), i.description] for i in items],
          ["ITEM", "DUE", "STATE", "REWORK"])
    return 0


def cmd_rework_done(args: argparse.Namespace) -> int:
    with opened(args) as ws:
        done = acts.complete_rework(ws, args.item, args.tid)
    print(f"{args.tid.upper()}: rework item {args.item} done ({done})")
    return 0
