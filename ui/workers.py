"""Running engine calls off the GUI thread and handing results back by signal.

Two lanes, as in Anki's task manager: *writes* go through one serial lane so a draft save, a
reply and a status change reach the database in the order the agent made them; *reads* (queue
queries over 100,000 tickets, counts, the detail) use a small pool. A task never touches a
widget: it returns a value or raises, and the runner calls the caller's handler on the GUI thread.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThreadPool, Signal, Slot

from desktop.errors import ReglamentError

log = logging.getLogger("reglament.ui.workers")

Done = Callable[[Any], None]
Failed = Callable[[BaseException], None]


#: Reads the window runs side by side (the queue's pages beside the open ticket).
READ_THREADS = 2


class _Signals(QObject):
    # (task id, result) / (task id, exception, formatted traceback)
    done = Signal(int, object)
    failed = Signal(int, object, str)


class Runner(QObject):
    """Runs callables in background lanes; handlers are called on the thread that owns this."""

    def __init__(self, parent: QObject | None = None, read_threads: int = READ_THREADS) -> None:
        super().__init__(parent)
        self._reads = QThreadPool(self)
        self._reads.setMaxThreadCount(read_threads)
        self._writes = QThreadPool(self)
        self._writes.setMaxThreadCount(1)
        self._signals = _Signals(self)
        self._signals.done.connect(self._on_done)
        self._signals.failed.connect(self._on_failed)
        self._handlers: dict[int, tuple[Done | None, Failed | None]] = {}
        self._next = 0
        self.on_unhandled: Failed | None = None

    def read(self, fn: Callable[[], Any], done: Done | None = None, failed: Failed | None = None) -> int:
        return self._submit(self._reads, fn, done, failed)

    def write(self, fn: Callable[[], Any], done: Done | None = None, failed: Failed | None = None) -> int:
        return self._submit(self._writes, fn, done, failed)

    def _submit(self, pool: QThreadPool, fn: Callable[[], Any], done: Done | None,
                failed: Failed | None) -> int:
        self._next += 1
        task_id, signals = self._next, self._signals
        self._handlers[task_id] = (done, failed)

        # A plain callable, not a QRunnable subclass: the pool deletes a finished runnable on
        # its own thread, and for a Python subclass that released the object's wrapper there
        # without the interpreter lock, racing whichever thread held it (it crashed the process
        # once a worker made the queue's cells by copying one). PySide runs a callable with the
        # lock held and lets it go the same way.
        def run() -> None:
            try:
                result = fn()
            except BaseException as exc:  # handed to the GUI thread, which decides what to show
                signals.failed.emit(task_id, exc, traceback.format_exc())
                return
            signals.done.emit(task_id, result)

        pool.start(run)
        return task_id

    def pending(self) -> int:
        return len(self._handlers)

    def wait(self, msecs: int = 30_000) -> bool:
        """Block until both lanes are idle (tests and shutdown; never while the GUI runs)."""
        return self._writes.waitForDone(msecs) and self._reads.waitForDone(msecs)

    @Slot(int, object)
    def _on_done(self, task_id: int, result: object) -> None:
        done, _ = self._handlers.pop(task_id, (None, None))
        if done is not None:
            done(result)

    @Slot(int, object, str)
    def _on_failed(self, task_id: int, exc: object, tb: str) -> None:
        _, failed = self._handlers.pop(task_id, (None, None))
        assert isinstance(exc, BaseException)
        if not isinstance(exc, ReglamentError):
            log.error("background task failed:\n%s", tb)
        handler = failed or self.on_unhandled
        if handler is not None:
            handler(exc)
