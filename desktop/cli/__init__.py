"""The ``reglament`` command (PRODUCT.md R-CLI).

Sub-commands live in small modules that each register themselves; this module owns the global
options and the error contract: exit 0 on success, 2 on a usage error, 1 with a one-line cause on
stderr for anything else — never a traceback (it goes to the log file in the data folder).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

from desktop import __version__
from desktop.errors import ReglamentError

log = logging.getLogger("reglament.cli")


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error never repeats kilobytes of what was typed (an "invalid
    choice" quotes the value whole): the line is cut, with the input's length said."""

    def error(self, message: str) -> NoReturn:
        if len(message) > 400:
            message = f"{' '.join(message[:200].split())}… ({len(message):,} characters)"
        super().error(message)


def build_parser() -> argparse.ArgumentParser:
    from desktop.cli import core, gui

    parser: argparse.ArgumentParser = _Parser(
        prog="reglament",
        description="Reglament — the support agent's workstation. Without a command, opens the window.",
    )
    parser.add_argument("--version", action="version", version=f"reglament {__version__}")
    parser.add_argument("--home", help="data folder (env REGLAMENT_HOME)")
    parser.add_argument("--db", help="SQLAlchemy database URL (env REGLAMENT_DB_URL)")
    parser.add_argument(
        "--demo", action="store_true", help="open the window on a throw-away workspace with sample data"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    gui.register(sub)
    core.register(sub)
    for name in ("mail", "acts", "timers", "admin", "reports", "watch", "backups", "ticket_edit",
                 "ticket_contact", "ticket_paid"):
        module = _optional(name)
        if module is not None:
            module.register(sub)
    return parser


def _optional(name: str):  # type: ignore[no-untyped-def]
    """Command groups of areas that may not be installed in a trimmed build."""
    import importlib

    try:
        return importlib.import_module(f"desktop.cli.{name}")
    except ModuleNotFoundError as exc:
        if exc.name == f"desktop.cli.{name}":
            return None
        raise


def _global_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="reglament", add_help=False)
    parser.add_argument("--home")
    parser.add_argument("--db")
    parser.add_argument("--demo", action="store_true")
    return parser


def _window_only(argv: Sequence[str]) -> argparse.Namespace | None:
    """The global options when the command line asks for nothing but the window.

    ``reglament`` and ``reglament --demo`` are what people start from a menu: building the whole
    command tree imports every command's module (the engine among them, ~0.5 s) before the
    window can even begin to paint. Anything else — a command, ``--help``, ``--version``, a
    typo — goes through the full parser and its messages.
    """
    args, rest = _global_parser().parse_known_args(list(argv))
    return None if rest else args


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    quick = _window_only(argv)
    args = quick if quick is not None else build_parser().parse_args(argv)
    handler = getattr(args, "handler", None)
    if handler is None:
        from desktop.cli.gui import run_gui

        handler = run_gui
    try:
        return int(handler(args) or 0)
    except ReglamentError as exc:
        log.info("command failed: %s", _one_line(exc))
        print(f"reglament: {_one_line(exc)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("reglament: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (``reglament tickets | head``): nothing is wrong and nothing is
        # left to say. Python would complain again flushing stdout at exit, so point it at null.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as exc:
        log.exception("unexpected error")
        where = _log_path(args)
        print(
            f"reglament: unexpected error ({type(exc).__name__}); details are in {where}",
            file=sys.stderr,
        )
        return 1


def _one_line(exc: ReglamentError) -> str:
    """The error as one line, with any value longer than a line cut short (a refused reason of
    120 KB is named, not echoed); the message's own words are kept whole."""
    from desktop.cli.common import shorten
    from desktop.domain.errors import render
    from desktop.errors import Phrase

    phrase = exc.phrase
    params = {k: shorten(v) if isinstance(v, str) and not isinstance(v, Phrase) and len(v) > 300 else v
              for k, v in phrase.params.items()}
    text = render(phrase.template, params) if params != phrase.params else str(exc)
    return " ".join(text.split())


def _log_path(args: argparse.Namespace) -> str:
    from desktop.config import Paths, resolve_home

    try:
        return str(Paths(resolve_home(args.home)).log_file)
    except Exception:
        return "the log file"


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
