"""The change feed: what other workstations committed, as it happens (R-TEAM-2).

Every line of a ticket's history is copied by a trigger into ``change_log`` (migration 0009),
numbered in commit order; presence (someone replying) writes its own lines. This module follows
that log for one workstation:

* on PostgreSQL one connection of its own ``LISTEN``\\s on ``reglament_changes`` (the trigger's
  ``pg_notify`` carries the ticket, what changed and who, so nothing is read to learn of it; a
  bulk insert's lines come as one range of numbers, read back in one statement);
  a dropped connection is opened again after a short wait and the log is read back from where
  the feed was — by number and by PostgreSQL transaction id, so a transaction that began before
  the drop and committed after it is caught too;
* on SQLite (several processes of one machine on one file) the file's commit count is looked
  at each second (``PRAGMA data_version``) and, when anyone has committed, the new lines read.

Changes arriving together are handed over together (a burst of 1,000 becomes a few batches,
not 1,000 refreshes). :func:`follow` runs in a thread of the caller's choosing and never
touches a window: ``deliver`` gets plain :class:`Change` tuples.
"""

from __future__ import annotations

import contextlib
import json
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, select

from desktop.services.workspace import Workspace
from desktop.store.db import Database
from desktop.store.models import ChangeLog

log = logging.getLogger("reglament.changes")

CHANNEL = "reglament_changes"
APPLICATION_NAME = "reglament change feed"
#: How long the feed waits for more of a burst before handing a batch over.
COALESCE_S = 0.02
#: The SQLite change counter is looked at this often.
POLL_S = 1.0
#: Waits before opening a dropped PostgreSQL connection again (the last one repeats).
RECONNECT_S = (0.2, 0.5, 1.0, 2.0, 5.0)
#: How often the listener moves its catch-up mark forward while connected.
MARK_S = 30.0
#: Numbers remembered as already delivered, so a catch-up read hands nothing over twice.
SEEN = 50_000
#: Lines read per statement when catching up.
READ_LIMIT = 5_000
#: Lines the log keeps: a workstation away for longer than that many changes re-reads its views
#: whole when it comes back (its catch-up is then only what is left); history keeps everything.
KEEP = 100_000


@dataclass(frozen=True)
class Change:
    """One committed change: ``what`` is the history action (``status``, ``assign``,
    ``message_in``, ``note`` …) or presence (``replying``, ``reply_closed``); ``new`` the new
    value where there is one; ``who`` the agent's login (``mail`` for the mail sync)."""

    seq: int
    ticket_id: int | None
    tid: str | None
    what: str
    field: str | None
    new: str | None
    who: str

    def as_dict(self) -> dict[str, Any]:
        return {"seq": self.seq, "ticket": self.tid, "ticket_id": self.ticket_id, "what": self.what,
                "field": self.field, "new": self.new, "who": self.who}


Deliver = Callable[[list[Change]], None]
#: Told True when the feed is following, False while it waits to reconnect.
OnState = Callable[[bool], None]


def latest_seq(db: Database) -> int:
    """The change counter: the newest line's number (0 for an empty log)."""
    with db.reading() as s:
        return int(s.scalar(select(func.coalesce(func.max(ChangeLog.seq), 0))) or 0)


def changes_after(db: Database, seq: int, limit: int = READ_LIMIT) -> list[Change]:
    """Lines after ``seq`` in order (SQLite polling, tests, ``reglament watch`` start-up)."""
    with db.reading() as s:
        rows = s.execute(select(ChangeLog.seq, ChangeLog.ticket_id, ChangeLog.tid, ChangeLog.what,
                                ChangeLog.field, ChangeLog.new, ChangeLog.actor)
                         .where(ChangeLog.seq > seq).order_by(ChangeLog.seq).limit(limit)).all()
    return [Change(*row) for row in rows]


def prune(db: Database, keep: int = KEEP) -> int:
    """Drop all but the newest ``keep`` lines (a workstation does it as it starts)."""
    with db.session() as s:
        top = s.scalar(select(func.max(ChangeLog.seq)))
        if top is None or top <= keep:
            return 0
        result = s.execute(delete(ChangeLog).where(ChangeLog.seq <= top - keep))
        return int(getattr(result, "rowcount", 0) or 0)


class _Seen:
    """The feed's position: the highest number delivered and the recent numbers themselves."""

    def __init__(self) -> None:
        self.high = 0
        self._recent: OrderedDict[int, None] = OrderedDict()

    def fresh(self, changes: Iterable[Change]) -> list[Change]:
        out = []
        for c in changes:
            if c.seq in self._recent:
                continue
            self._recent[c.seq] = None
            self.high = max(self.high, c.seq)
            out.append(c)
        while len(self._recent) > SEEN:
            self._recent.popitem(last=False)
        return out


def follow(ws: Workspace, stop: threading.Event, deliver: Deliver, on_state: OnState | None = None,
           since: int | None = None) -> None:
    """Hand every change committed from now on (after ``since``, if given) to ``deliver``
    until ``stop`` is set. Blocks; run it in a thread."""
    if ws.db.is_sqlite:
        _poll(ws.db, stop, deliver, on_state, since)
    else:
        _listen(ws.db, stop, deliver, on_state, since)


# --- SQLite: the counter, polled ------------------------------------------------------------


class _DataVersion:
    """SQLite's own count of commits, as one connection kept for it sees them.

    Why: the log is read only when someone has committed since the last look. ``PRAGMA
    data_version`` moves whenever another connection — of this process or any other — commits
    to the file; one connection reads it in microseconds, where a read of the log through a
    session cost 10-15 ms of processor time once the machine had idled a second, most of an
    idle window's CPU. The connection is given back to the pool when the feed stops or fails.
    """

    def __init__(self, db: Database) -> None:
        self._db = db
        self._pooled: Any = None

    def read(self) -> int:
        if self._pooled is None:
            self._pooled = self._db.engine.raw_connection()
        try:
            return int(self._pooled.driver_connection.execute("PRAGMA data_version").fetchone()[0])
        except Exception:
            self.close()  # the next look opens a new one (the file may have been replaced)
            raise

    def close(self) -> None:
        if self._pooled is not None:
            pooled, self._pooled = self._pooled, None
            with contextlib.suppress(Exception):
                pooled.close()


def _poll(db: Database, stop: threading.Event, deliver: Deliver, on_state: OnState | None,
          since: int | None) -> None:
    high, up, looked_at = since, None, None
    version = _DataVersion(db)
    try:
        while not stop.is_set():
            try:
                now = version.read()  # before reading the log: a commit after it moves it again
                if now != looked_at or high is None:
                    if high is None:
                        high = latest_seq(db)
                    while True:
                        batch = changes_after(db, high)
                        if batch:
                            high = batch[-1].seq
                            deliver(batch)
                        if len(batch) < READ_LIMIT:
                            break
                    looked_at = now
                if up is not True and on_state:
                    on_state(True)
                up = True
            except Exception as exc:  # the file locked or gone for a moment: say so, try again
                log.info("change counter not read: %s", exc)
                looked_at = None
                if up is not False and on_state:
                    on_state(False)
                up = False
            stop.wait(POLL_S)
    finally:
        version.close()


# --- PostgreSQL: LISTEN/NOTIFY with a catch-up read -----------------------------------------

_CATCH_UP = """
    SELECT m.mark, c.seq, c.ticket_id, c.tid, c.what, c.field, c.new, c.actor
    FROM (SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint AS mark) m
    LEFT JOIN change_log c ON c.seq > %(high)s OR c.xid >= %(mark)s
    ORDER BY c.seq
"""
_MARK = "SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint"
_START = "SELECT coalesce(max(seq), 0), pg_snapshot_xmin(pg_current_snapshot())::text::bigint FROM change_log"


class _Marks:
    """Where a catch-up read starts: ``mark`` is the oldest transaction that may not yet have
    been seen. A transaction committing after a snapshot has an id at least that snapshot's
    xmin, so lines with ``xid >= mark`` cover everything committed after the snapshot the mark
    came from. While connected the mark moves forward every :data:`MARK_S` seconds, lagging by
    one step, so notifications of the transactions behind it have certainly arrived."""

    def __init__(self) -> None:
        self.mark: int | None = None
        self._next: int | None = None
        self._at = 0.0

    def set(self, mark: int) -> None:
        self.mark, self._next, self._at = mark, mark, time.monotonic()

    def due(self) -> bool:
        return time.monotonic() - self._at >= MARK_S

    def advance(self, candidate: int) -> None:
        if self._next is not None:
            self.mark = self._next
        self._next, self._at = candidate, time.monotonic()


def _listen(db: Database, stop: threading.Event, deliver: Deliver, on_state: OnState | None,
            since: int | None) -> None:
    seen, marks = _Seen(), _Marks()
    if since is not None:
        seen.high = since
    failures = 0
    started = since is not None
    while not stop.is_set():
        conn = None
        try:
            conn = _connect(db)
            conn.execute(f"LISTEN {CHANNEL}")
            if not started:
                row = conn.execute(_START).fetchone()
                seen.high, started = int(row[0]), True
                marks.set(int(row[1]))
            else:
                _catch_up(conn, seen, marks, deliver)
            failures = 0
            if on_state:
                on_state(True)
            _receive(conn, stop, seen, marks, deliver)
        except Exception as exc:  # the server restarted, the VPN dropped, the backend was ended
            if stop.is_set():
                break
            log.info("change feed interrupted: %r", exc, exc_info=True)
            if on_state:
                on_state(False)
            stop.wait(RECONNECT_S[min(failures, len(RECONNECT_S) - 1)])
            failures += 1
        finally:
            if conn is not None:
                with contextlib.suppress(Exception):  # already broken: nothing left to close
                    conn.close()


def _connect(db: Database) -> Any:
    """A connection of the feed's own, made like the pool's (same address, password and
    options) and taken out of the pool: it sits in ``LISTEN`` and never runs a transaction."""
    fairy = db.engine.raw_connection()
    conn = fairy.driver_connection
    fairy.detach()
    if conn is None:
        raise RuntimeError("no connection to the database")
    conn.autocommit = True
    # Named, so an administrator sees what the long-lived idle connection is.
    conn.execute(f"SET application_name = '{APPLICATION_NAME}'")
    return conn


def _catch_up(conn: Any, seen: _Seen, marks: _Marks, deliver: Deliver) -> None:
    rows = conn.execute(_CATCH_UP, {"high": seen.high, "mark": marks.mark if marks.mark is not None else 0}
                        ).fetchall()
    if rows:
        marks.set(int(rows[0][0]))
    changes = seen.fresh(Change(*row[1:]) for row in rows if row[1] is not None)
    if changes:
        deliver(changes)


_RANGE = """
    SELECT seq, ticket_id, tid, what, field, new, actor FROM change_log
    WHERE seq BETWEEN %s AND %s ORDER BY seq
"""


def _receive(conn: Any, stop: threading.Event, seen: _Seen, marks: _Marks, deliver: Deliver) -> None:
    batch: list[Change] = []
    while not stop.is_set():
        timeout = COALESCE_S if batch else 0.5
        got = False
        ranges: list[tuple[int, int]] = []
        for note in conn.notifies(timeout=timeout, stop_after=1):
            got = True
            parsed = _parse(note.payload)
            if isinstance(parsed, Change):
                batch.append(parsed)
            elif parsed is not None:
                ranges.append(parsed)
        for low, high in ranges:  # a bulk insert's lines, announced as one range: read them back
            batch.extend(Change(*row) for row in conn.execute(_RANGE, (low, high)).fetchall())
        if batch and not got:
            fresh = seen.fresh(batch)
            batch = []
            if fresh:
                deliver(fresh)
        elif len(batch) >= READ_LIMIT:
            fresh, batch = seen.fresh(batch), []
            if fresh:
                deliver(fresh)
        if not batch and marks.due():
            marks.advance(int(conn.execute(_MARK).fetchone()[0]))


def _parse(payload: str) -> Change | tuple[int, int] | None:
    """One change, or the range of numbers of a bulk insert's lines."""
    try:
        d = json.loads(payload)
        if "from" in d:
            return int(d["from"]), int(d["to"])
        return Change(int(d["seq"]), d.get("ticket"), d.get("tid"), str(d.get("what") or ""),
                      d.get("field"), d.get("new"), str(d.get("who") or ""))
    except (ValueError, KeyError, TypeError):
        log.warning("a change announcement not understood: %.200s", payload)
        return None


def ticket_ids(changes: Sequence[Change]) -> set[int]:
    """The tickets a batch touched."""
    return {c.ticket_id for c in changes if c.ticket_id is not None}
