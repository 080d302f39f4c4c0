"""Opening the demo from a running window: ``reglament --demo`` as a program of its own.

The demo is started as a separate, detached process (``QProcess.startDetached``): not a child
this window waits for or ends, and not this window switching workspaces in place. Of the ways
to show the demo from a running window this is the one that cannot touch the real workspace:

* nothing is shared — the demo makes its own throw-away data folder with its own SQLite file
  (``desktop.cli.gui``), and is started without ``REGLAMENT_DB_URL``/``REGLAMENT_HOME``, so even a
  window working on a team's PostgreSQL never fills *that* with sample tickets;
* this window keeps its workspace, its sync process and its drafts exactly as they are — an
  in-place switch would have to stop and reopen all of them, and a worker still finishing a
  write against the old workspace while the demo is filled is precisely the mistake to avoid;
* the two windows live independently: closing the demo removes its folder and leaves this
  window open; closing this window leaves the demo running until it is closed.
"""

from __future__ import annotations

import logging
import sys

from PySide6.QtCore import QProcess, QProcessEnvironment

log = logging.getLogger("reglament.ui")

#: What the demo must not inherit: the real workspace's folder and database.
WORKSPACE_VARIABLES = ("REGLAMENT_DB_URL", "REGLAMENT_HOME")


def demo_command() -> tuple[str, list[str]]:
    """The program and arguments that open the demo: the packaged program itself, or this
    interpreter running the ``reglament`` command."""
    if getattr(sys, "frozen", False):
        return sys.executable, ["--demo"]
    return sys.executable, ["-m", "desktop.cli", "--demo"]


def demo_environment() -> QProcessEnvironment:
    env = QProcessEnvironment.systemEnvironment()
    for name in WORKSPACE_VARIABLES:
        env.remove(name)
    return env


def open_demo() -> bool:
    """Start the demo window; whether it started."""
    program, arguments = demo_command()
    process = QProcess()
    process.setProgram(program)
    process.setArguments(arguments)
    process.setProcessEnvironment(demo_environment())
    process.setStandardOutputFile(QProcess.nullDevice())
    process.setStandardErrorFile(QProcess.nullDevice())
    # PySide6 gives a bare bool here (its signature says "(bool, pid)"): either is taken.
    result = process.startDetached()
    started = result[0] if isinstance(result, tuple) else result
    if not started:
        log.error("the demo could not be started: %s %s", program, " ".join(arguments))
    return bool(started)
