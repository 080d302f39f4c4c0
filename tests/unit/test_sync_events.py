"""The sync's events (desktop/services/background/events.py) cross a process pipe as they are."""

from __future__ import annotations

import multiprocessing
import pickle

from desktop.services.background.events import (
    MailboxSynced,
    OutboxDrained,
    SyncEventSink,
    SyncFailed,
    SyncFinished,
    SyncProgress,
)
from desktop.services.background.outbox import DrainReport
from desktop.services.background.sync import SyncReport


def _every_kind() -> list[object]:
    report = SyncReport(account_id=1, account="support", new_tickets=["TID-000001"], error=None)
    return [
        MailboxSynced(report),
        OutboxDrained(DrainReport(sent=[3], errors={4: "refused"})),
        SyncProgress("support", 250, 1000),
        SyncFailed("the keyring is locked"),
        SyncFinished(),
    ]


def test_every_event_survives_pickling_unchanged() -> None:
    for event in _every_kind():
        assert pickle.loads(pickle.dumps(event)) == event


def test_every_event_crosses_a_real_pipe() -> None:
    parent, child = multiprocessing.get_context("spawn").Pipe()
    try:
        for event in _every_kind():
            child.send(event)
            assert parent.recv() == event
    finally:
        parent.close()
        child.close()


def test_the_sink_turns_the_loops_callbacks_into_events() -> None:
    seen: list[object] = []
    sink = SyncEventSink(seen.append)
    report = SyncReport(account_id=1, account="support")
    drained = DrainReport()
    sink.report(report)
    sink.outbox(drained)
    sink.progress("support", 1, 2)
    assert seen == [MailboxSynced(report), OutboxDrained(drained), SyncProgress("support", 1, 2)]
