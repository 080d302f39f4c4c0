"""``reglament`` / ``reglament gui`` / ``reglament --demo``: open the workstation window."""

from __future__ import annotations

import argparse
import importlib
import shutil
import tempfile

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
    try:
        return int(app.run(home=home, db_url=args.db, demo=True))
    finally:
        shutil.rmtree(home, ignore_errors=True)
