"""``reglament views list|save|rename|share|delete|move``: an agent's saved views of the queue,
the same ones the window's views panel lists (``reglament tickets --view NAME`` lists one)."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from desktop.cli.common import opened, print_json, table
from desktop.domain.tickets import Status
from desktop.services import saved_views
from desktop.services.reads.counts import view_counts
from desktop.services.workspace import Workspace


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("views", help="saved views of the queue (yours and the team's shared ones)")
    vsub = p.add_subparsers(dest="views_command", metavar="ACTION", required=True)
    g = vsub.add_parser("list", help="your views and the shared ones, with their counts")
    g.add_argument("--json", action="store_true")
    g.set_defaults(handler=cmd_list)
    g = vsub.add_parser("save", help="save a filter as a view of your own")
    g.add_argument("name")
    g.add_argument("--base", choices=saved_views.FIXED_VIEWS, default="all", help="the view it narrows")
    g.add_argument("--status", choices=[s.value for s in Status])
    g.add_argument("--department", help="a department's code")
    g.add_argument("--assignee", help="an agent's login; '-' for unassigned")
    g.add_argument("--plan", help="a plan's code")
    g.add_argument("--sla", choices=saved_views.SLA_FILTERS)
    g.add_argument("--search", default="", help="search text")
    g.add_argument("--shared", action="store_true", help="show it to every agent of the database")
    g.add_argument("--replace", action="store_true", help="replace your view of the same name")
    g.set_defaults(handler=cmd_save)
    g = vsub.add_parser("rename", help="rename one of your views")
    g.add_argument("name")
    g.add_argument("new_name")
    g.set_defaults(handler=cmd_rename)
    g = vsub.add_parser("share", help="share one of your views with the team, or make it private")
    g.add_argument("name")
    g.add_argument("--private", action="store_true")
    g.set_defaults(handler=cmd_share)
    g = vsub.add_parser("delete", help="delete one of your views")
    g.add_argument("name")
    g.set_defaults(handler=cmd_delete)
    g = vsub.add_parser("move", help="move a view up (negative) or down the list")
    g.add_argument("name")
    g.add_argument("by", type=int)
    g.set_defaults(handler=cmd_move)


def cmd_list(args: argparse.Namespace) -> int:
    with opened(args) as ws:
        found = saved_views.views(ws)
        counts = view_counts(ws)
    if args.json:
        print_json([{**v.to_json(), "count": counts.get(v.key)} for v in found])
        return 0
    table([[v.name, v.owner, "shared" if v.shared else "private", str(counts.get(v.key, "-")),
            _described(v.spec)] for v in found], ["NAME", "OWNER", "SHARING", "TICKETS", "FILTER"])
    return 0


def _described(spec: dict[str, object]) -> str:
    parts = [f"{spec['view']}"] + [f"{k}={'-' if v == '' else v}" for k, v in spec.items()
                                   if k not in ("view", "sort", "descending", "search") and v is not None]
    if spec.get("search"):
        parts.append(f"search={spec['search']!r}")
    return " ".join(parts)


def cmd_save(args: argparse.Namespace) -> int:
    spec = {"view": args.base, "status": args.status, "department": args.department, "plan": args.plan,
            "sla": args.sla, "search": args.search,
            "assignee": "" if args.assignee == "-" else args.assignee}
    with opened(args) as ws:
        saved = saved_views.save_view(ws, args.name, spec, shared=args.shared, replace=args.replace)
    print(f"view {saved.name!r} saved ({'shared' if saved.shared else 'private'})")
    return 0


def _change(args: argparse.Namespace, change: Callable[[Workspace, int], object], done: str) -> int:
    """One of the agent's views, found by its name, changed; then said so."""
    with opened(args) as ws:
        change(ws, saved_views.find_view(ws, args.name).id)
    print(f"view {args.name!r} {done}")
    return 0


def cmd_rename(args: argparse.Namespace) -> int:
    return _change(args, lambda ws, i: saved_views.rename_view(ws, i, args.new_name), "renamed")


def cmd_share(args: argparse.Namespace) -> int:
    return _change(args, lambda ws, i: saved_views.share_view(ws, i, not args.private),
                   "private" if args.private else "shared")


def cmd_delete(args: argparse.Namespace) -> int:
    return _change(args, saved_views.delete_view, "deleted")


def cmd_move(args: argparse.Namespace) -> int:
    return _change(args, lambda ws, i: saved_views.move_view(ws, i, args.by), "moved")
