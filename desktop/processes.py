"""Whether this program can start helper processes of its own (``multiprocessing`` "spawn").

From a source tree or an installed package it always can. A packaged (frozen) program starts
*itself* as the child, which only works when its entry script handed the child over to
``multiprocessing`` first (``freeze_support``); otherwise every helper would open another
window. ``packaging/launcher.py`` calls :func:`enable_frozen_children`; until something has,
a frozen program keeps all its work in threads of its one process.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import os
import sys
import threading

_frozen_children = False


def enable_frozen_children() -> None:
    """Call first thing in a frozen entry script: a child process started from the bundle
    runs its task and exits here instead of starting the program again."""
    global _frozen_children
    multiprocessing.freeze_support()
    _frozen_children = True


def children_supported() -> bool:
    return not getattr(sys, "frozen", False) or _frozen_children


def exit_with_parent() -> None:
    """Run in a helper process (as its pool ``initializer``): end it the moment its parent ends.

    A pool's helper waits on a queue whose writing end it holds itself, so when the parent is
    killed (a crash, the task manager, SIGKILL) it would wait forever — an orphan holding the
    data folder's files. The parent's sentinel becomes ready when the parent is gone, on every
    system, so a small thread waits on it and ends the process.
    """
    parent = multiprocessing.parent_process()
    if parent is None:
        return
    sentinel = parent.sentinel

    def watch() -> None:
        multiprocessing.connection.wait([sentinel])
        os._exit(0)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()
