"""Stopping a sync cleanly: at a checkpoint, when asked by a signal or by the window.

A sync commits each batch together with its checkpoint, so it can be killed at any moment
without losing mail — but a kill leaves its helper process, its IMAP session and its lease on
the mailbox to time out. SIGTERM (the session logging out, ``systemctl stop``, ``kill``) and
SIGINT (Ctrl+C) therefore only ask: the sync finishes the batch it is storing, releases what it
holds and ends. A second Ctrl+C interrupts at once, for a person who does not want to wait.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Callable, Iterator
from types import FrameType


class SyncStopped(BaseException):
    """Raised between two batches of a sync that was asked to stop: everything before it is
    stored with its checkpoint. A ``BaseException``, like ``KeyboardInterrupt``, so the sync's
    own "record this error and carry on" handlers let it through."""


def stop_at_checkpoint(
    stop: threading.Event, progress: Callable[[str, int, int], None] | None = None
) -> Callable[[str, int, int], None]:
    """A sync ``progress(account, done, total)`` that also ends the sync once ``stop`` is set.

    The sync reports progress right after each batch's commit (and once before the first), so
    raising there stops it exactly at a checkpoint."""

    def each(account: str, done: int, total: int) -> None:
        if progress is not None:
            progress(account, done, total)
        if stop.is_set():
            raise SyncStopped

    return each


@contextlib.contextmanager
def stop_on_signals(stop: threading.Event) -> Iterator[list[str]]:
    """While inside, SIGTERM and SIGINT set ``stop`` (a second SIGINT raises
    ``KeyboardInterrupt``); yields the names of the signals received. Main thread only, as
    Python's signal handlers are."""
    received: list[str] = []

    def on_signal(signum: int, _frame: FrameType | None) -> None:
        name = signal.Signals(signum).name
        if name == "SIGINT" and stop.is_set() and "SIGINT" in received:
            raise KeyboardInterrupt
        received.append(name)
        stop.set()

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield received
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
