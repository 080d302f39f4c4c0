"""The change feed on SQLite and presence (R-TEAM-2): what a second workstation on the same
database file learns, and when."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest
from sqlalchemy import func, select

from desktop.cli.watch import line_of
from desktop.services import tickets
from desktop.services.background import presence
from desktop.services.background.changes import Change, changes_after, follow, latest_seq, prune
from desktop.services.tickets.create import NewTicket, create_ticket_in
from desktop.services.upkeep.history import record
from desktop.services.upkeep.lookup import get_ticket
from desktop.services.workspace import Workspace, open_workspace
from desktop.store.models import ChangeLog, Presence

WAIT_S = 10.0


def _new(ws: Workspace, subject: str = "Не работает форма") -> str:
    with ws.db.session() as s:
        return create_ticket_in(s, ws, NewTicket(subject=subject, requester="m.ivanova@romashka.ru",
                                                 received_at=ws.now())).tid


@pytest.fixture
def boris(ws: Workspace) -> Iterator[Workspace]:
    other = open_workspace(home=ws.paths.home, clock=ws.clock, actor="boris")
    with other.db.session() as s:
        other.agent(s).name = "Boris"
    yield other
    other.close()


class Follower:
    """:func:`follow` in a thread, as the window and ``reglament watch`` run it."""

    def __init__(self, ws: Workspace, since: int | None = None) -> None:
        self.batches: list[list[Change]] = []
        self.states: list[bool] = []
        self.stop = threading.Event()
        self.thread = threading.Thread(target=follow, args=(ws, self.stop, self.batches.append,
                                                           self.states.append, since))
        self.thread.start()
        self.until(lambda: self.states == [True])

    def until(self, pred, timeout: float = WAIT_S) -> None:  # type: ignore[no-untyped-def]
        deadline = time.monotonic() + timeout
        while not pred():
            assert time.monotonic() < deadline, "the feed did not deliver in time"
            time.sleep(0.02)

    def changes(self) -> list[Change]:
        return [c for b in list(self.batches) for c in b]

    def close(self) -> None:
        self.stop.set()
        self.thread.join(timeout=WAIT_S)


def test_every_history_line_lands_in_the_change_log_with_ticket_what_and_who(ws, boris) -> None:
    tid = _new(ws)
    before = latest_seq(ws.db)
    tickets.take_into_work(boris, tid)
    lines = changes_after(ws.db, before)
    assert {(c.tid, c.what, c.new, c.who) for c in lines} >= {
        (tid, "status", "in_progress", "boris"), (tid, "assign", "boris", "boris")}
    assert [c.seq for c in lines] == sorted(c.seq for c in lines)
    assert line_of(next(c for c in lines if c.what == "status")) == f"{tid}  status: in_progress  (boris)"


def test_a_second_workstation_on_the_file_hears_each_change_once_and_a_burst_together(ws, boris) -> None:
    tid = _new(ws)
    feed = Follower(ws)  # Anna's workstation, from now on
    try:
        tickets.add_note(boris, tid, "Посмотрю после обеда")
        feed.until(lambda: any(c.what == "note" for c in feed.changes()))
        note = next(c for c in feed.changes() if c.what == "note")
        assert (note.tid, note.who) == (tid, "boris")
        # A burst: 500 lines in one commit arrive in one batch, not 500.
        batches = len(feed.batches)
        with boris.db.session() as s:
            t = get_ticket(s, boris, tid)
            for _ in range(500):
                record(s, t, boris.now(), "boris", "work")
        feed.until(lambda: sum(c.what == "work" for c in feed.changes()) == 500)
        assert len(feed.batches) == batches + 1
        seqs = [c.seq for c in feed.changes()]
        assert len(seqs) == len(set(seqs))
    finally:
        feed.close()


def test_following_from_a_known_number_hands_over_what_came_after_it(ws, boris) -> None:
    tid = _new(ws)
    since = latest_seq(ws.db)
    tickets.add_note(boris, tid, "Пока вас не было")
    feed = Follower(ws, since=since)
    try:
        feed.until(lambda: [c.what for c in feed.changes()] == ["note"])
    finally:
        feed.close()


def test_presence_appears_for_colleagues_and_goes_on_close_lapse_or_a_vanished_process(ws, boris) -> None:
    tid = _new(ws)
    ticket_id = get_ticket_id(ws, tid)
    presence.start_replying(boris, tid)
    assert presence.replying(ws) == {ticket_id: ("Boris",)}
    assert presence.replying(boris) == {}  # not told of his own reply
    presence.start_replying(boris, tid)  # the heartbeat: one claim, one line in the log
    assert [c.what for c in changes_after(ws.db, 0) if c.what in ("replying", "reply_closed")] == ["replying"]
    presence.stop_replying(boris, tid)
    assert presence.replying(ws) == {}
    assert changes_after(ws.db, 0)[-1].what == "reply_closed"

    presence.start_replying(boris, tid)
    ws.clock.advance(seconds=presence.TTL.total_seconds() + 1)  # type: ignore[attr-defined]
    assert presence.replying(ws) == {}  # no heartbeat: the claim lapsed
    assert presence.sweep(ws) == 1

    presence.start_replying(boris, tid)
    with ws.db.session() as s:  # his process is gone (a pid no process of this machine has)
        row = s.get(Presence, (ticket_id, "boris"))
        assert row is not None
        row.holder = row.holder.rpartition(":")[0] + ":999999999"
    assert presence.replying(ws) == {}


def get_ticket_id(ws: Workspace, tid: str) -> int:
    with ws.db.session() as s:
        return get_ticket(s, ws, tid).id


def test_the_log_keeps_its_newest_lines(ws) -> None:
    tid = _new(ws)
    for n in range(5):
        tickets.add_note(ws, tid, f"заметка {n}")
    top = latest_seq(ws.db)
    assert prune(ws.db, keep=3) > 0
    with ws.db.session() as s:
        assert s.scalar(select(func.min(ChangeLog.seq))) == top - 2
    assert prune(ws.db, keep=3) == 0


def test_an_idle_feed_reads_the_log_only_after_someone_commits(ws, boris, monkeypatch) -> None:
    from desktop.services.background import changes

    reads: list[int] = []
    real = changes.changes_after

    def counted(db, seq, limit=changes.READ_LIMIT):  # type: ignore[no-untyped-def]
        reads.append(seq)
        return real(db, seq, limit)

    monkeypatch.setattr(changes, "POLL_S", 0.02)
    monkeypatch.setattr(changes, "changes_after", counted)
    tid = _new(ws)
    feed = Follower(ws)
    try:
        time.sleep(0.3)  # about fifteen looks at the counter with nothing committed
        assert len(reads) == 1
        tickets.add_note(boris, tid, "Коллега ответил")  # another workstation's commit
        feed.until(lambda: any(c.what == "note" for c in feed.changes()))
        looked = len(reads)
        tickets.add_note(ws, tid, "И я тоже")  # this process's own commit, on another connection
        feed.until(lambda: sum(c.what == "note" for c in feed.changes()) == 2)
        assert len(reads) > looked
    finally:
        feed.close()
