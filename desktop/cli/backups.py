"""``reglament backup [--to FILE]``, ``reglament restore FILE`` and ``reglament db status|upgrade``.

None of them opens the workspace the usual way: a backup must be possible of a database this
release would not start on (a team database awaiting its upgrade), and a restore must be
possible over a damaged one.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from desktop.cli.common import print_json
from desktop.config import Paths, ensure_home, resolve_db_url, resolve_home
from desktop.store.db import open_database, redact_url, schema_state
from desktop.store.safekeeping import backup_workspace, restore_workspace
from desktop.store.schema_version import refuse_newer

Sub = argparse._SubParsersAction


def register(sub: Sub) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("backup", help="back up the database and its attachments now")
    p.add_argument("--to", metavar="FILE", type=Path,
                   help="where to write it (attachments go beside it, in FILE.blobs); default: the data folder's backups")
    p.set_defaults(handler=cmd_backup)
    p = sub.add_parser("restore", help="put a backup back in place of the database (the current one is kept aside)")
    p.add_argument("file", metavar="FILE", type=Path, help="a backup made by `reglament backup` or automatically")
    p.set_defaults(handler=cmd_restore)
    p = sub.add_parser("db", help="the database's schema version and its upgrade")
    dsub = p.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    s = dsub.add_parser("status", help="which schema the database is at, against this Reglament")
    s.add_argument("--json", action="store_true")
    s.set_defaults(handler=cmd_db_status)
    s = dsub.add_parser("upgrade", help="upgrade the database's schema (a backup is taken first)")
    s.set_defaults(handler=cmd_db_upgrade)


def _where(args: argparse.Namespace) -> tuple[Paths, str]:
    paths = ensure_home(resolve_home(args.home))
    return paths, resolve_db_url(paths, args.db)


def cmd_backup(args: argparse.Namespace) -> int:
    paths, url = _where(args)
    made = backup_workspace(paths, url, args.to)
    print(f"backed up {redact_url(url)} to {made}")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    paths, url = _where(args)
    kept = restore_workspace(paths, url, args.file.resolve())
    print(f"restored {args.file} into {redact_url(url)}")
    if kept is not None:
        print(f"the database it replaced is kept at {kept}")
    return 0


def cmd_db_status(args: argparse.Namespace) -> int:
    _paths, url = _where(args)
    db = open_database(url, migrate=False)
    try:
        state = schema_state(db.engine, release=True)
    finally:
        db.dispose()
    if args.json:
        print_json({"database": state.where, "schema": state.current, "written_by": state.release,
                    "this_schema": state.head, "newer": state.newer, "behind": state.behind})
        return 0
    verdict = ("newer than this Reglament" if state.newer else
               "needs `reglament db upgrade`" if state.behind else "up to date" if state.current else "empty")
    print(f"{state.describe()} — {verdict}")
    return 0


def cmd_db_upgrade(args: argparse.Namespace) -> int:
    paths, url = _where(args)
    db = open_database(url, migrate=False)
    try:
        state = schema_state(db.engine)
    finally:
        db.dispose()
    refuse_newer(state)
    if state.current == state.head:
        print(f"{state.where} is already at schema {state.head}; nothing to do")
        return 0
    if state.current is not None:
        made = backup_workspace(paths, url, kind="before-upgrade")
        print(f"backed up to {made}")
    open_database(url, upgrade_team=True).dispose()
    print(f"upgraded {state.where} from schema {state.current or 'none'} to {state.head}")
    return 0
