"""A command builds only the command groups that register it (desktop.cli.COMMAND_GROUPS), and
the tree it builds is the whole tree's branch for that command: the same options, actions and
help. ``report`` starts without the mail, OAuth and template machinery it never uses."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

from desktop.cli import COMMAND_GROUPS, build_parser

ROOT = Path(__file__).resolve().parents[2]


def _commands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def _shape(parser: argparse.ArgumentParser) -> object:
    """A parser's help and, below it, the shape of each of its own sub-commands."""
    return parser.format_help(), {name: _shape(p) for name, p in sorted(_commands(parser).items())}


def test_every_command_is_listed_with_the_groups_that_register_it() -> None:
    whole = _commands(build_parser())
    missing = sorted(set(whole) - set(COMMAND_GROUPS))
    assert not missing, f"add {missing} to desktop.cli.COMMAND_GROUPS with the modules that register them"
    for command in COMMAND_GROUPS:
        alone = _commands(build_parser(command))
        assert command in alone, command
        assert _shape(alone[command]) == _shape(whole[command]), command


def test_an_unlisted_word_builds_the_whole_tree() -> None:
    assert set(_commands(build_parser("no-such-command"))) == set(_commands(build_parser()))


def test_report_starts_without_the_parts_it_does_not_use(tmp_path: Path) -> None:
    code = (
        "import sys, io, contextlib\n"
        "from desktop.cli import main\n"
        "out = io.StringIO()\n"
        "with contextlib.redirect_stdout(out):\n"
        f"    rc = main(['--home', {str(tmp_path)!r}, 'report', '--json'])\n"
        "loaded = [m for m in ('desktop.mail.oauth2', 'authlib', 'jinja2', 'desktop.cli.mail', 'desktop.cli.core')"
        " if m in sys.modules]\n"
        "print(rc, loaded)\n"
    )
    from desktop.services.workspace import open_workspace

    open_workspace(home=tmp_path).close()  # seeded once, as every start but the first finds it
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}, timeout=120)
    rc, loaded = done.stdout.strip().split(" ", 1)
    assert rc == "0", done.stderr
    assert json.loads(loaded.replace("'", '"')) == []
