"""``reglament`` / ``reglament gui`` / ``reglament --demo``: open the workstation window."""

from __future__ import annotations

import argparse
import importlib
import tempfile

from desktop.errors import ReglamentError


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("gui", help="open the workstation window (the default)")
    p.set_defaults(handler=run_gui)


def run_gui(args: argparse.Namespace) -> int:
    home = args.home
    if getattr(args, "demo", False):
        home = tempfile.mkdtemp(prefix="reglament-demo-")
    try:
        app = importlib.import_module("ui.app")
    except ImportError as exc:
        raise ReglamentError("the window cannot start: {exc}", exc=exc) from None
    return int(app.run(home=home, db_url=args.db, demo=bool(getattr(args, "demo", False))))
