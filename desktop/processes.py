"""Whether this program can start helper processes of its own (``multiprocessing`` "spawn").

From a source tree or an installed package it always can. A packaged (frozen) program starts
*itself* as the child, which only works when its entry script handed the child over to
``multiprocessing`` first (``freeze_support``); otherwise every helper would open another
window. ``packaging/launcher.py`` calls :func:`enable_frozen_children`; until something has,
a frozen program keeps all its work in threads of its one process.
"""

from __future__ import annotations

import multiprocessing
import sys

_frozen_children = False


def enable_frozen_children() -> None:
    """Call first thing in a frozen entry script: a child process started from the bundle
    runs its task and exits here instead of starting the program again."""
    global _frozen_children
    multiprocessing.freeze_support()
    _frozen_children = True


def children_supported() -> bool:
    return not getattr(sys, "frozen", False) or _frozen_children
