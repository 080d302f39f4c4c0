"""``reglament calendar …``: working-time calendars, their exceptions, the production calendar.

Every command that changes a calendar takes ``--dry-run`` (print the deadlines that would move,
change nothing) and ``--json``.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import Any

from desktop.cli.common import opened, print_json, table
from desktop.cli.preview import print_moves
from desktop.domain.calendar_years import unconfirmed_warning
from desktop.services import calendar_import, regulation, regulation_preview


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-12-31") from None


def _year(text: str) -> int:
    if not text.isdigit() or not 1971 <= int(text) <= 2199:
        raise argparse.ArgumentTypeError(f"{text!r} is not a year like 2028")
    return int(text)


def _changing(p: argparse.ArgumentParser) -> None:
    p.add_argument("--dry-run", action="store_true", help="show the deadlines that would move; change nothing")
    p.add_argument("--json", action="store_true")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("calendar", help="working-time calendars and the production calendar")
    csub = p.add_subparsers(dest="calendar_command", metavar="ACTION", required=True)
    c = csub.add_parser("list", help="list calendars and the confirmed years of the production calendar")
    c.add_argument("--json", action="store_true")
    c.set_defaults(handler=cmd_calendars)
    for name, working, text in (("day-off", False, "add a company day off"),
                                ("working-day", True, "add a company extra working day"),
                                ("remove-day", None, "take a company day off or working day away")):
        c = csub.add_parser(name, help=text)
        c.add_argument("code")
        c.add_argument("date", type=_date)
        _changing(c)
        c.set_defaults(handler=lambda a, w=working: _calendar_day(a, w))
    c = csub.add_parser("import", help="import a year of the production calendar (XML, JSON or CSV)")
    c.add_argument("file", type=Path)
    _changing(c)
    c.set_defaults(handler=cmd_import)
    c = csub.add_parser("confirm", help="confirm a year's holidays and transfers as the calendars know them")
    c.add_argument("year", type=_year)
    c.set_defaults(handler=cmd_confirm)


def cmd_calendars(args: argparse.Namespace) -> int:
    with opened(args) as ws:
        rows = regulation.calendars(ws)
        today = ws.now().date()
        records = calendar_import.year_records(ws, today.year - 1, today.year + 1)
        known = calendar_import.years_known(ws)
    first = known.first_unconfirmed(today.year - 1)
    warning = unconfirmed_warning(first, "en")
    if args.json:
        print_json({"calendars": rows,
                    "confirmed_years": [{"year": r.year, "source": r.source, "file": r.file_name or None,
                                         "confirmed_by": r.confirmed_by or None} for r in records],
                    "first_unconfirmed_year": first, "warning": warning})
        return 0
    table([[r["code"], r["name"], r["spec"]["timezone"], str(len(r["spec"].get("days_off", []))),
            str(len(r["spec"].get("working_days", []))),
            ", ".join(sorted(r["spec"].get("national") or {})) or "-"] for r in rows],
          ["CODE", "NAME", "TIME ZONE", "DAYS OFF", "EXTRA WORKING DAYS", "IMPORTED YEARS"])
    words = {"package": "holidays package", "import": "imported", "hand": "confirmed by hand"}
    print("confirmed years: " + ", ".join(f"{r.year} ({words[r.source]})" for r in records))
    print(f"first year not confirmed: {first}")
    print(f"warning: {warning}", file=sys.stderr)
    return 0


def _calendar_day(args: argparse.Namespace, working: bool | None) -> int:
    with opened(args) as ws:
        moves = regulation_preview.preview_calendar_day(ws, args.code, args.date, working)
        if not args.dry_run:
            if working is None:
                regulation.remove_calendar_day(ws, args.code, args.date)
            else:
                regulation.add_calendar_day(ws, args.code, args.date, working)
    print_moves(moves, applied=not args.dry_run, as_json=args.json, extra={"calendar": args.code})
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    years = calendar_import.read_calendar_file(args.file)
    with opened(args) as ws:
        preview = calendar_import.preview_import(ws, years)
        if not args.dry_run:
            calendar_import.apply_import(ws, years, args.file.name)
    if args.json:
        print_moves(preview.moves, applied=not args.dry_run, as_json=True,
                    extra={"years": [d.to_dict() for d in preview.diffs]})
        return 0
    for diff in preview.diffs:
        print(f"production calendar {diff.year}: {diff.changes} days change against the calendars' current days")
        rows: list[list[Any]] = [[d.isoformat(), before, after] for d, before, after in diff.rows()]
        if rows:
            table(rows, ["DATE", "NOW", "AFTER IMPORT"])
        if diff.shortened:
            print(f"shortened pre-holiday days (shown, not counted): {', '.join(d.isoformat() for d in diff.shortened)}")
    print_moves(preview.moves, applied=not args.dry_run, as_json=False)
    if not args.dry_run:
        print(f"imported {', '.join(str(y.year) for y in years)}; company days off and working days stay on top")
    return 0


def cmd_confirm(args: argparse.Namespace) -> int:
    with opened(args) as ws:
        calendar_import.confirm_year(ws, args.year)
    print(f"{args.year} confirmed: the calendars' holidays and transfers for it are taken as decreed")
    return 0
