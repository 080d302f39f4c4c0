"""What the background mail sync tells whoever listens, as frozen dataclasses.

The window's sync runs in a child process (``sync_process``) or, in a packaged build, in a
thread; either way its news crosses to the window as these events — pickled down the process
pipe, or handed over in the same process — and ``ui/bridge.py`` turns each kind into a typed
Qt signal on the GUI thread. One closed set of types instead of ``("report", payload)`` tuples
means a listener is checked by mypy and a new kind of news cannot be silently ignored.

The reports are imported for the type checker only: the window names these events at start-up,
and the sync module behind the reports brings the IMAP stack along.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from desktop.services.background.changes import Change
    from desktop.services.background.outbox import DrainReport
    from desktop.services.background.sync import SyncReport


@dataclass(frozen=True)
class MailboxSynced:
    """One mailbox was looked at; ``report.error`` says in plain words when that failed."""

    report: SyncReport


@dataclass(frozen=True)
class OutboxDrained:
    """Waiting replies were handed to the mail server (or kept for a retry)."""

    report: DrainReport


@dataclass(frozen=True)
class SyncProgress:
    """A large sync stored another batch: ``done`` of ``total`` messages of ``account``."""

    account: str
    done: int
    total: int


@dataclass(frozen=True)
class SyncFailed:
    """The sync could not run at all (say, the keyring is locked); a sentence for people."""

    message: str


@dataclass(frozen=True)
class SyncFinished:
    """The sync has stopped, asked to or not: always the last event."""


SyncEvent = MailboxSynced | OutboxDrained | SyncProgress | SyncFailed | SyncFinished


@dataclass(frozen=True)
class ChangesCommitted:
    """Other workstations (or this one) committed these changes; a burst comes as one event."""

    changes: tuple[Change, ...]


@dataclass(frozen=True)
class FeedState:
    """The change feed is following the database (True) or waiting to reach it again."""

    following: bool


LiveEvent = ChangesCommitted | FeedState


class SyncEventSink:
    """The sync loop's callbacks, each turning what it reports into an event for ``send``:
    ``run_sync_forever(ws, stop, on_report=sink.report, on_outbox=sink.outbox,
    progress=sink.progress)``."""

    def __init__(self, send: Callable[[SyncEvent], object]) -> None:
        self._send = send

    def report(self, report: SyncReport) -> None:
        self._send(MailboxSynced(report))

    def outbox(self, report: DrainReport) -> None:
        self._send(OutboxDrained(report))

    def progress(self, account: str, done: int, total: int) -> None:
        self._send(SyncProgress(account, done, total))
