"""Administration from the command line: calendars, plan targets, settings, "why this deadline"."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from desktop import settings
from desktop.cli import calendars
from desktop.cli.common import opened, print_json
from desktop.cli.preview import print_moves
from desktop.errors import ValidationError
from desktop.services import regulation, regulation_preview
from desktop.services.upkeep.deadlines import explain_deadline
from desktop.services.workspace import open_workspace
from desktop.settings import SettingRefused, UnknownSetting


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    calendars.register(sub)

    p = sub.add_parser("plan-set", help="change a plan's calendar or targets (minutes per priority)")
    p.add_argument("code")
    p.add_argument("--calendar")
    p.add_argument("--reaction", action="append", default=[], metavar="PRIORITY=MINUTES")
    p.add_argument("--resolution", action="append", default=[], metavar="PRIORITY=MINUTES|none")
    p.add_argument("--warn-share", type=float)
    p.add_argument("--dry-run", action="store_true", help="show the deadlines that would move; change nothing")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_plan_set)

    p = sub.add_parser("sla", help="SLA deadlines")
    ssub = p.add_subparsers(dest="sla_command", metavar="ACTION", required=True)
    e = ssub.add_parser("explain", help="why a ticket's deadline is what it is")
    e.add_argument("tid")
    e.add_argument("--kind", choices=("reaction", "resolution"), default="reaction")
    e.add_argument("--lang", choices=("ru", "en"), default="en")
    e.set_defaults(handler=cmd_explain)

    p = sub.add_parser("settings", help="workspace settings")
    tsub = p.add_subparsers(dest="settings_command", metavar="ACTION", required=True)
    g = tsub.add_parser("list", help="all settings with their values, types and defaults")
    g.add_argument("--json", action="store_true")
    g.add_argument("--full", action="store_true", help="with --json: each setting's type, default, bounds and titles")
    g.set_defaults(handler=cmd_settings_list)
    g = tsub.add_parser("set", help="set one (plain text; the executor's details as a JSON object)")
    g.add_argument("key")
    g.add_argument("value")
    g.set_defaults(handler=cmd_settings_set)


def _pairs(items: list[str], allow_none: bool) -> dict[str, int | None]:
    out: dict[str, int | None] = {}
    for item in items:
        prio, sep, minutes = item.partition("=")
        if not sep:
            raise ValidationError("{item!r} is not PRIORITY=MINUTES", item=item)
        if allow_none and minutes.strip().lower() == "none":
            out[prio.strip()] = None
            continue
        try:
            out[prio.strip()] = int(minutes)
        except ValueError:
            raise ValidationError("{item!r}: minutes must be a whole number", item=item) from None
        if out[prio.strip()] is not None and int(minutes) <= 0:
            raise ValidationError("{item!r}: a target must be positive", item=item)
    return out


def cmd_plan_set(args: argparse.Namespace) -> int:
    change: dict[str, Any] = {
        "calendar": args.calendar,
        "reaction": {k: v for k, v in _pairs(args.reaction, False).items() if v is not None},
        "resolution": _pairs(args.resolution, True), "warn_share": args.warn_share,
    }
    with opened(args) as ws:
        moves = regulation_preview.preview_plan(ws, args.code, **change)
        if not args.dry_run:
            regulation.set_plan(ws, args.code, **change)
    print_moves(moves, applied=not args.dry_run, as_json=args.json, extra={"plan": args.code})
    return 0


def cmd_explain(args: argparse.Namespace) -> int:
    with opened(args) as ws:
        print(explain_deadline(ws, args.tid, args.kind, args.lang))
    return 0


def cmd_settings_list(args: argparse.Namespace) -> int:
    """Each setting's value; ``--full`` adds its type, default, bounds and titles. The plain
    ``--json`` stays the ``{key: value}`` object scripts already read."""
    with opened(args) as ws, ws.db.session() as s:
        values = {key: setting.dump(ws.setting(setting, s)) for key, setting in sorted(settings.SETTINGS.items())}
    if args.json and args.full:
        print_json([_described(settings.SETTINGS[key], value) for key, value in values.items()])
    elif args.json:
        print_json(values)
    else:
        for key, value in values.items():
            d = _described(settings.SETTINGS[key], value)
            default = json.dumps(d["default"], ensure_ascii=False)
            print(f"{key} = {json.dumps(value, ensure_ascii=False)}    # {d['type']}: {d['allowed']}; default {default}")
    return 0


def _described(setting: settings.Setting[Any], value: Any) -> dict[str, Any]:
    return {"key": setting.key, "value": value, "type": setting.kind, "default": setting.dump(setting.default),
            "allowed": str(setting.expected()), "title_en": setting.en, "title_ru": setting.ru,
            "description": setting.about}


def cmd_settings_set(args: argparse.Namespace) -> int:
    """A wrong key or value is a usage error: exit 2 with one line naming the key, its type and
    its bounds, before the workspace is even opened when the value alone decides."""
    try:
        setting = settings.declared(args.key)
        value = setting.parse(args.value)
        # Opened without the start-up check of the stored settings: this is how a bad one is
        # repaired, as the start-up check's message says.
        ws = open_workspace(home=args.home, db_url=args.db, check_settings=False)
        try:
            regulation.set_setting(ws, args.key, value)
        finally:
            ws.close()
    except (UnknownSetting, SettingRefused) as exc:
        print(f"reglament: {exc}", file=sys.stderr)
        return 2
    print(f"{args.key} set")
    return 0
