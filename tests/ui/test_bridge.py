"""The engine-to-window bridge (ui/bridge.py): each event posted from a worker thread arrives
on the GUI thread as its own typed signal, carrying the event itself."""

from __future__ import annotations

import threading

from PySide6.QtCore import QThread

from desktop.services.background.events import (
    MailboxSynced,
    OutboxDrained,
    SyncFailed,
    SyncFinished,
    SyncProgress,
)
from desktop.services.background.outbox import DrainReport
from desktop.services.background.sync import SyncReport
from ui.bridge import EngineBridge


def test_events_from_a_worker_arrive_on_the_gui_thread_typed(qtbot) -> None:
    bridge = EngineBridge()
    gui = QThread.currentThread()
    got: list[tuple[str, object, bool]] = []

    def record(name: str):
        return lambda event: got.append((name, event, QThread.currentThread() is gui))

    bridge.mailboxSynced.connect(record("mailbox"))
    bridge.outboxDrained.connect(record("outbox"))
    bridge.progressed.connect(record("progress"))
    bridge.failed.connect(record("failed"))
    bridge.finished.connect(record("finished"))
    events = [
        MailboxSynced(SyncReport(account_id=1, account="support", joined=["TID-000002"])),
        OutboxDrained(DrainReport(sent=[1])),
        SyncProgress("support", 5, 10),
        SyncFailed("the keyring is locked"),
        SyncFinished(),
    ]
    worker = threading.Thread(target=lambda: [bridge.post(e) for e in events])
    worker.start()
    worker.join()
    assert got == []  # queued: nothing ran on the worker's thread
    qtbot.waitUntil(lambda: len(got) == len(events))
    assert [(name, event) for name, event, _ in got] == list(
        zip(["mailbox", "outbox", "progress", "failed", "finished"], events, strict=True))
    assert all(on_gui for _, _, on_gui in got)
