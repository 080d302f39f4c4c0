"""Whether this program can start helper processes of its own (``multiprocessing`` "spawn").

From a source tree or an installed package it always can. A packaged (frozen) program starts
*itself* as the child, which only works when its entry script handed the child over to
``multiprocessing`` first (``freeze_support``); otherwise every helper would open another
window. ``packaging/launcher.py`` calls :func:`enable_frozen_children`; until something has,
a frozen program keeps all its work in threads of its one process.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import multiprocessing.connection
import os
import signal
import sys
import threading
import time
from collections.abc import Callable

_frozen_children = False


def enable_frozen_children() -> None:
    """Call first thing in a frozen entry script: a child process started from the bundle
    runs its task and exits here instead of starting the program again."""
    global _frozen_children
    multiprocessing.freeze_support()
    _frozen_children = True


def children_supported() -> bool:
    return not getattr(sys, "frozen", False) or _frozen_children


#: What a helper receives from the kernel when the thread that started it goes away (Linux).
PARENT_DEATH_SIGNAL = signal.SIGKILL


def exit_with_parent(grace: float = 0.0, on_orphaned: Callable[[], object] | None = None,
                     death_signal: int = PARENT_DEATH_SIGNAL) -> None:
    """Run first thing in a helper process (a pool's ``initializer``, the sync child's entry):
    end it the moment its parent ends, on every system.

    A pool's helper waits on a queue whose writing end it holds itself, so when the parent is
    killed (a crash, the task manager, SIGKILL) it would wait forever — an orphan holding the
    data folder's files, and keeping its resource tracker alive beside it. Two guards:

    * the pipe every ``spawn`` child holds to its parent (``parent_process().sentinel``) reads
      end-of-file once the parent is gone, on every system: a small thread waits on it, calls
      ``on_orphaned`` (a clean stop: the sync finishes its batch and checkpoint), and ends the
      process after ``grace`` seconds if it has not ended by then;
    * on Linux the kernel sends ``death_signal`` (``PR_SET_PDEATHSIG``) too, which needs no
      thread of ours to be scheduled — a helper stuck in C code still ends. The kernel ties it
      to the *thread* that started the helper, so every helper is started by a thread that
      waits for it to end (the sync's own thread, the sync session that owns the pool).
    """
    parent = multiprocessing.parent_process()
    if parent is None:
        return
    _die_with_parent_thread(parent.pid, death_signal)
    sentinel = parent.sentinel

    def watch() -> None:
        multiprocessing.connection.wait([sentinel])
        if on_orphaned is not None:
            with contextlib.suppress(Exception):  # ending is what matters now
                on_orphaned()
            time.sleep(grace)
        os._exit(0)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


_PR_SET_PDEATHSIG = 1


def _die_with_parent_thread(parent_pid: int | None, death_signal: int) -> None:
    if not sys.platform.startswith("linux"):
        return
    import ctypes
    import ctypes.util

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, int(death_signal), 0, 0, 0)
    except (OSError, AttributeError):  # an unusual libc: the pipe still guards
        return
    if parent_pid is not None and os.getppid() != parent_pid:
        os._exit(0)  # the parent went away before the guard was set
