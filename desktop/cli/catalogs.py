"""``reglament departments|reasons list|add|rename|retire|restore|delete|move``: the two lists
of the regulation an administrator keeps, as the Settings window's pages keep them."""

from __future__ import annotations

import argparse

from desktop.cli.common import opened, print_json, table
from desktop.services import catalogs


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    for kind, group, what in (("department", "departments", "departments tickets are handed to"),
                              ("reason", "reasons", "refusal and postponement reasons")):
        p = sub.add_parser(group, help=what)
        gsub = p.add_subparsers(dest=f"{group}_command", metavar="ACTION", required=True)
        g = gsub.add_parser("list", help="the list in its order; retired ones marked")
        g.add_argument("--json", action="store_true")
        g.set_defaults(handler=cmd_list, kind=kind)
        g = gsub.add_parser("add", help="add one at the end of the list")
        g.add_argument("code", help="lower-case latin letters, digits and _ (what scripts name it by)")
        g.add_argument("--en", default="", help="title in English")
        g.add_argument("--ru", default="", help="title in Russian")
        if kind == "reason":
            g.add_argument("--use", choices=catalogs.USES, default="both", help="refuse, postpone or both")
        g.set_defaults(handler=cmd_add, kind=kind)
        g = gsub.add_parser("rename", help="new titles; the code stays")
        g.add_argument("code")
        g.add_argument("--en")
        g.add_argument("--ru")
        if kind == "reason":
            g.add_argument("--use", choices=catalogs.USES)
        g.set_defaults(handler=cmd_rename, kind=kind)
        for action, text in (("retire", "offer it nowhere any more; tickets that have it keep it"),
                             ("restore", "bring a retired one back into use"),
                             ("delete", "delete one no ticket carries (else retire it)")):
            g = gsub.add_parser(action, help=text)
            g.add_argument("code")
            g.set_defaults(handler=cmd_change, kind=kind, action=action)
        g = gsub.add_parser("move", help="move up (negative) or down the list")
        g.add_argument("code")
        g.add_argument("by", type=int, help="places, e.g. -1 (up one) or 2 (down two)")
        g.set_defaults(handler=cmd_change, kind=kind, action="move")


def cmd_list(args: argparse.Namespace) -> int:
    with opened(args) as ws:
        rows = catalogs.entries(ws, args.kind)
    if args.json:
        print_json([e.to_json() for e in rows])
        return 0
    headers = ["CODE", "ENGLISH", "RUSSIAN", "TICKETS", "STATE"] + (["USE"] if args.kind == "reason" else [])
    table([[e.code, e.title_en, e.title_ru, str(e.used), "in use" if e.active else "retired"]
           + ([e.use] if args.kind == "reason" else []) for e in rows], headers)
    return 0


def cmd_add(args: argparse.Namespace) -> int:
    with opened(args) as ws:
        entry = catalogs.add(ws, args.kind, args.code, args.en, args.ru, use=getattr(args, "use", "both"))
    print(f"{args.kind} {entry.code!r} added")
    return 0


def cmd_rename(args: argparse.Namespace) -> int:
    with opened(args) as ws:
        catalogs.rename(ws, args.kind, args.code, args.en, args.ru, use=getattr(args, "use", None))
    print(f"{args.kind} {args.code!r} renamed")
    return 0


def cmd_change(args: argparse.Namespace) -> int:
    with opened(args) as ws:
        if args.action == "retire":
            catalogs.retire(ws, args.kind, args.code)
        elif args.action == "restore":
            catalogs.retire(ws, args.kind, args.code, retired=False)
        elif args.action == "delete":
            catalogs.delete(ws, args.kind, args.code)
        else:
            catalogs.move(ws, args.kind, args.code, args.by)
    done = {"retire": "retired", "restore": "back in use", "delete": "deleted", "move": "moved"}[args.action]
    print(f"{args.kind} {args.code!r} {done}")
    return 0
