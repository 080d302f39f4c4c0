"""The one way the engine's background news reaches the GUI thread (after Electrum's
``qt_event_listener``): a typed event in, a typed Qt signal out.

The engine knows nothing of Qt; it reports through plain callbacks with frozen dataclass
events (``desktop.services.background.events``), from whatever thread or process pipe reader
it runs on. :meth:`EngineBridge.post` may be called from any thread: the bridge lives on the
GUI thread, so Qt queues each emission there and the slots run where widgets may be touched.
Nothing else crosses — no tuples, no string-keyed dicts, no widget called from a worker.
"""

from __future__ import annotations

from typing import assert_never

from PySide6.QtCore import QObject, Signal

from desktop.services.background.events import (
    ChangesCommitted,
    FeedState,
    LiveEvent,
    MailboxSynced,
    OutboxDrained,
    SyncEvent,
    SyncFailed,
    SyncFinished,
    SyncProgress,
)


class EngineBridge(QObject):
    """One signal per kind of event, each carrying the event itself."""

    mailboxSynced = Signal(MailboxSynced)
    outboxDrained = Signal(OutboxDrained)
    progressed = Signal(SyncProgress)
    failed = Signal(SyncFailed)
    finished = Signal(SyncFinished)
    changesCommitted = Signal(ChangesCommitted)
    feedState = Signal(FeedState)

    def post(self, event: SyncEvent | LiveEvent) -> None:
        """Hand ``event`` to the GUI thread (callable from any thread)."""
        if isinstance(event, MailboxSynced):
            self.mailboxSynced.emit(event)
        elif isinstance(event, OutboxDrained):
            self.outboxDrained.emit(event)
        elif isinstance(event, SyncProgress):
            self.progressed.emit(event)
        elif isinstance(event, SyncFailed):
            self.failed.emit(event)
        elif isinstance(event, SyncFinished):
            self.finished.emit(event)
        elif isinstance(event, ChangesCommitted):
            self.changesCommitted.emit(event)
        elif isinstance(event, FeedState):
            self.feedState.emit(event)
        else:  # mypy fails here on a kind of event the bridge has no signal for
            assert_never(event)
