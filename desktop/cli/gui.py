"""``reglament`` / ``reglament gui`` / ``reglament --demo``: open the workstation window."""

from __future__ import annotations

import argparse
import importlib
import shutil
import tempfile
from pathlib import Path

from desktop.config import Paths
from desktop.errors import ReglamentError


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("gui", help="open the workstation window (the default)")
    p.set_defaults(handler=run_gui)


def run_gui(args: argparse.Namespace) -> int:
    """Open the window; ``--demo`` opens it on a throw-away folder, removed when it closes
    (closing the window, Ctrl+C or SIGTERM alike)."""
    demo = bool(getattr(args, "demo", False))
    try:
        app = importlib.import_module("ui.app")
    except ImportError as exc:
        raise ReglamentError("the window cannot start: {exc}", exc=exc) from None
    if not demo:
        return int(app.run(home=args.home, db_url=args.db))
    home = tempfile.mkdtemp(prefix="reglament-demo-")
    # The demo's own SQLite file unless a database is named on the command line: a
    # REGLAMENT_DB_URL in the environment names the real (perhaps a team's) database, which
    # sample tickets must never fill.
    db_url = args.db or f"sqlite:///{Paths(Path(home)).database}"
    try:
        return int(app.run(home=home, db_url=db_url, demo=True))
    finally:
        shutil.rmtree(home, ignore_errors=True)
