"""The window's mail sync in a process of its own (R-MAIL-2: sync never freezes the window).

Run in a thread of the window's process, a large sync (a new mailbox of thousands of messages)
held the interpreter for most of its time: correlating, storing and the collector's passes over
its objects made the window miss its paints by up to 200 ms at a time, and the window's own work
slowed the sync down by a quarter (tests/bench/bench_sync_window.py). Here the same
:func:`~desktop.services.background.sync_forever.run_sync_forever` runs in a child process; the window only
receives its reports down a pipe, on a thread that sleeps in ``recv``, as the typed events of
``desktop.services.background.events``.

The child is handed what it cannot find on its own: the workspace's folder and database, and
the passwords the window read from the keyring (``desktop.secrets.export_secrets``; they cross
the pipe and stay in the child's memory). Stopping is a word down the pipe; a child whose
window went away (the pipe closed) stops by itself. Killing it at any moment is safe: the sync
commits each batch together with its checkpoint.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import signal
import sys
import threading
import traceback
from collections.abc import Iterator
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess

from desktop.processes import children_supported, exit_with_parent
from desktop.services.background.events import SyncEvent, SyncEventSink, SyncFailed, SyncFinished
from desktop.services.workspace import Workspace

log = logging.getLogger("reglament.sync")

_STOP = "stop"
_NUDGE = "nudge"


def usable() -> bool:
    """Whether the window can sync in a child process (desktop/processes.py); else in a thread."""
    return children_supported()


class SyncProcess:
    """One child process running the sync loop until :meth:`stop`."""

    def __init__(self, ws: Workspace, idle_slice: float = 10.0) -> None:
        """``idle_slice``: how long the child waits in IDLE between looks at a stop request."""
        from desktop.services.account_secrets import sync_secrets

        self._ws = ws
        self._secrets = sync_secrets(ws)
        self._args = (str(ws.paths.home), ws.db.url, ws.actor, self._secrets, idle_slice)
        self._conn: Connection | None = None
        self._process: BaseProcess | None = None

    def start(self) -> None:
        # "spawn": a Qt program's threads must not be forked. Not a daemon: the child starts a
        # parsing helper of its own for large syncs.
        ctx = multiprocessing.get_context("spawn")
        parent, child = ctx.Pipe()
        process = ctx.Process(target=serve, args=(child, *self._args), name="reglament-sync")
        process.start()
        child.close()
        self._conn, self._process = parent, process

    def events(self) -> Iterator[SyncEvent]:
        """What the child reports, as it comes, until it has finished (or died): the last
        event is always :class:`SyncFinished`."""
        conn = self._conn
        if conn is None:
            return
        while True:
            try:
                event: SyncEvent = conn.recv()
            except (EOFError, OSError):
                code = self._process.exitcode if self._process is not None else None
                if code not in (0, None):
                    yield SyncFailed(f"the sync process stopped unexpectedly (exit code {code})")
                yield SyncFinished()
                return
            yield event
            if isinstance(event, SyncFinished):
                return

    def secrets_changed(self) -> bool:
        """Whether the keyring now holds other passwords than the child was given (someone
        fixed a wrong one, say with ``reglament account`` in a terminal): then the child is
        to be started again, as it cannot read the keyring itself."""
        from desktop.errors import ReglamentError
        from desktop.services.account_secrets import sync_secrets

        try:
            return sync_secrets(self._ws) != self._secrets
        except ReglamentError:  # the keyring went away meanwhile: the child carries on as it is
            return False

    def nudge(self) -> None:
        """Check every mailbox now (the agent's Check mail now), without waiting for IDLE."""
        if self._conn is not None:
            with contextlib.suppress(OSError, ValueError):
                self._conn.send(_NUDGE)

    def request_stop(self) -> None:
        """Ask the child to stop; it finishes what it is doing (a batch, a send) and reports
        :class:`SyncFinished`, at the latest when its IDLE wait runs out (``idle_slice``)."""
        if self._conn is not None:
            with contextlib.suppress(OSError, ValueError):
                self._conn.send(_STOP)

    def terminate(self) -> None:
        """End the child now (SIGKILL; SIGTERM would only ask it to stop at its next
        checkpoint): safe at any moment for the mail (each batch commits with its checkpoint),
        and a send it interrupts is marked for the agent to check."""
        process = self._process
        if process is not None and process.is_alive():
            log.warning("ending the sync process %s, which did not stop in time", process.pid)
            process.kill()
            process.join(5)

    def stop(self, timeout: float = 45.0) -> None:
        """Ask the child to stop, wait up to ``timeout`` seconds, then end it."""
        self.request_stop()
        if self._process is not None:
            self._process.join(timeout)
        self.terminate()
        if self._conn is not None:
            self._conn.close()
        self._conn = self._process = None

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None


#: How long a sync whose window vanished may take to finish its batch before it ends anyway.
ORPHAN_GRACE_S = 15.0

#: How much lower the sync's processor priority is than the window's (POSIX nice levels).
NICENESS = 10


def _yield_to_the_window() -> None:
    """Run below the window's priority, and so does the parsing helper this process starts
    (it inherits it): with both cores busy syncing, the window still gets a core the moment
    it has something to paint."""
    nice = getattr(os, "nice", None)
    if nice is not None:
        with contextlib.suppress(OSError):
            nice(NICENESS)
    elif sys.platform == "win32":
        import ctypes

        below_normal = 0x00004000
        kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
        kernel32.SetPriorityClass(kernel32.GetCurrentProcess(), below_normal)


def serve(conn: Connection, home: str, db_url: str, actor: str, secrets_: dict[str, str],
          idle_slice: float = 10.0) -> None:
    """The child: open the workspace, sync until told to stop, report everything down ``conn``."""
    from desktop import secrets
    from desktop.services.background.sync_forever import run_sync_forever
    from desktop.services.workspace import open_workspace

    secrets.adopt_secrets(secrets_)
    _yield_to_the_window()
    # Ctrl+C in the terminal the window was started from reaches this process too: the window
    # decides, and stops it through the pipe (no traceback of an interrupted child).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    lock = threading.Lock()
    stop = threading.Event()
    nudge = threading.Event()
    # SIGTERM (a session logging out, the task manager's "end", the kernel when the window's
    # sync thread is gone) stops at the next checkpoint like the window's "stop"; a window that
    # vanished without a word is noticed on the pipe every helper holds to its parent, and the
    # child ends at the latest ORPHAN_GRACE_S after it.
    signal.signal(signal.SIGTERM, lambda _n, _f: stop.set())
    exit_with_parent(grace=ORPHAN_GRACE_S, on_orphaned=stop.set, death_signal=signal.SIGTERM)

    def send(event: SyncEvent) -> None:
        with lock:
            try:
                conn.send(event)
            except (OSError, ValueError):
                stop.set()  # the window is gone

    def listen() -> None:
        try:
            while (word := conn.recv()) != _STOP:
                if word == _NUDGE:
                    nudge.set()
        except (EOFError, OSError):
            pass  # the window closed (or died): stop as well
        stop.set()

    threading.Thread(target=listen, name="sync-parent", daemon=True).start()
    ws = None
    try:
        ws = open_workspace(home=home, db_url=db_url, actor=actor, seed=False)
        sink = SyncEventSink(send)
        run_sync_forever(ws, stop, idle_slice=idle_slice, nudge=nudge,
                         on_report=sink.report, on_outbox=sink.outbox, progress=sink.progress)
    except Exception as exc:  # reported to the window in plain words, the traceback logged
        log.error("the sync process failed:\n%s", traceback.format_exc())
        send(SyncFailed(str(exc) or type(exc).__name__))
    finally:
        if ws is not None:
            ws.close()
        send(SyncFinished())
        conn.close()
    if multiprocessing.parent_process() is not None:  # only as the child, never in a caller's process
        _leave_now()


def _leave_now() -> None:
    """End the child as soon as its work is done and reported. The interpreter's own shutdown
    (collecting a heap full of the engine's objects) took 0.8 s more, while the window waits
    to quit; everything that matters — the database, the lease, the pipe — is closed by now."""
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(0)
