"""The ``reglament`` command (PRODUCT.md R-CLI).

Sub-commands live in small modules that each register themselves; this module owns the global
options and the error contract: exit 0 on success, 2 on a usage error, 1 with a one-line cause on
stderr for anything else — never a traceback (it goes to the log file in the data folder).
"""

from __future__ import annotations

import argparse
import gc
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


#: The command groups that register each command (``ticket`` gathers actions from three).
#: A command line naming one of these builds only its groups: every group's module imports the
#: engine parts it serves (mail, acts, OAuth …), and ``reglament report --json`` waited ~0.4 s
#: for modules it never used. Anything else (``--help``, a typo, a command added without an
#: entry here) builds the whole tree, so a missing entry costs time, never a wrong answer; a
#: test holds each entry to what the whole tree registers.
COMMAND_GROUPS: dict[str, tuple[str, ...]] = {
    "gui": ("gui",),
    **dict.fromkeys(("client", "demo", "plan", "stats", "tickets"), ("core",)),
    "ticket": ("core", "ticket_edit", "ticket_contact", "ticket_threads", "ticket_paid"),
    **dict.fromkeys(("account", "outbox", "sync"), ("mail",)),
    **dict.fromkeys(("act", "act-accept", "act-refuse", "act-send", "acts", "act-save", "act-rework",
                        "act-rework-done"), ("acts",)),
    "run-timers": ("timers",),
    **dict.fromkeys(("calendar", "plan-set", "settings", "sla"), ("admin",)),
    "report": ("reports",),
    "watch": ("watch",),
    **dict.fromkeys(("backup", "db", "restore"), ("backups",)),
    **dict.fromkeys(("departments", "reasons"), ("catalogs",)),
    "views": ("views",),
}
_ALL_GROUPS = ("gui", "core", "mail", "acts", "timers", "admin", "reports", "watch", "backups", "ticket_edit",
               "ticket_contact", "ticket_threads", "ticket_paid", "catalogs", "views")


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The command tree; with ``command``, only the groups that register it (see
    :data:`COMMAND_GROUPS`), the whole tree when it is not listed there."""
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
    for name in COMMAND_GROUPS.get(command or "", _ALL_GROUPS):
        module = _optional(name)
        if module is not None:
            module.register(sub)
    return parser


def _command(argv: Sequence[str]) -> str | None:
    """The command a command line names (the first word after the global options), if any."""
    _args, rest = _global_parser().parse_known_args(list(argv))
    return rest[0] if rest and not rest[0].startswith("-") else None


def _optional(name: str):  # type: ignore[no-untyped-def]
    """A command group's module; None for an area not installed in a trimmed build."""
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
    whole_process = argv is None  # run as ``reglament``, not called by another program
    argv = sys.argv[1:] if argv is None else argv
    quick = _window_only(argv)
    args = quick if quick is not None else build_parser(_command(argv)).parse_args(argv)
    if quick is None and whole_process:
        # The command's modules are imported now, and their objects (SQLAlchemy's, the models')
        # live until the process ends: kept out of the collector's sight, they are not walked
        # again by each full collection a long read triggers (0.12 s of `report --json` on
        # 100,000 tickets). Not when called in-process: the caller's objects are not ours to pin.
        gc.freeze()
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
