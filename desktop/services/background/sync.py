"""Mail sync: from the IMAP server into tickets, without losing or duplicating a message (R-MAIL-2).

What makes it safe is not here but in the order of things:

* the checkpoint (``SyncState.last_uid``) is committed by :func:`ingest_batch` in the *same*
  transaction as the messages of its batch — a crash anywhere leaves both or neither, and the next
  run simply fetches the same batch again;
* the identity of a message is (account, UIDVALIDITY, UID); when the server renumbers a folder
  (UIDVALIDITY changed) we start again from UID 0 and ingest recognises what it already has by its
  content hash;
* exactly one process syncs a mailbox at a time (R-TEAM-2): a lease on the ``SyncState`` row, taken
  with one conditional UPDATE (atomic on SQLite and PostgreSQL alike), renewed while the sync runs,
  expiring by itself when its holder dies. A holder on *this* machine whose process is gone is
  treated as expired at once, so a crashed sync does not block the next one for minutes.

Fetching overlaps with storing: a helper thread fetches batch *n+1* while batch *n* is parsed and
committed (the IMAP session is only ever used by one thread at a time).

Everything here is a plain blocking callable; the GUI runs it in a worker thread and gets
``progress(done, total)`` and :class:`SyncReport` objects back.
"""

from __future__ import annotations

import contextlib
import logging
import queue
import threading
import time
from collections.abc import Callable, Generator, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from desktop.errors import NotFound, Phrase, ReglamentError
from desktop.mail import imap
from desktop.mail.imap import FetchedMessage, ImapSession
from desktop.mail.transport_errors import backoff_delay
from desktop.services.accounts import imap_password, imap_settings
from desktop.services.background.ingest import ingest_batch
from desktop.services.background.ingest_batch import IncomingMail, IngestReport
from desktop.services.background.mail_jobs import Intake, MailWorker
from desktop.services.background.outbox import DrainReport, drain_outbox
from desktop.services.background.timers import run_timers
from desktop.services.workspace import Workspace
from desktop.store.leases import holder_gone, holder_id
from desktop.store.models import MailAccount, SyncState

__all__ = [
    "LEASE_TTL",
    "SYNC_BATCH_SIZE",
    "Progress",
    "SyncReport",
    "acquire_sync_lease",
    "holder_id",
    "release_sync_lease",
    "run_sync_forever",
    "sync_account_once",
    "sync_all_once",
]

log = logging.getLogger("reglament.sync")

Progress = Callable[[int, int], None]

#: Messages per FETCH and per committed transaction. Bigger batches pay fewer round trips and
#: commits; 250 messages of up to 200 KB stay well under 100 MB in memory even with one batch
#: being fetched while the previous one is stored (see tests/bench/bench_sync.py).
SYNC_BATCH_SIZE = 250
#: A lease not renewed for this long is free: a holder that died stops blocking others.
LEASE_TTL = timedelta(minutes=5)
_RENEW_EVERY = LEASE_TTL.total_seconds() / 5


@dataclass
class SyncReport:
    """What one sync of one mailbox did; ``error``/``skipped`` are plain sentences for people."""

    account_id: int
    account: str
    folder: str = "INBOX"
    found: int = 0
    fetched: int = 0
    new_tickets: list[str] = field(default_factory=list)
    joined: list[str] = field(default_factory=list)
    quarantined: int = 0
    duplicates: int = 0
    acknowledged: int = 0
    archived: int = 0
    suppressed: dict[str, int] = field(default_factory=dict)
    uidvalidity_changed: bool = False
    error: str | None = None
    skipped: str | None = None
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.error is None

    def add(self, ingested: IngestReport) -> None:
        self.new_tickets += ingested.new_tickets
        self.joined += ingested.joined
        self.quarantined += ingested.quarantined
        self.duplicates += ingested.skipped
        self.acknowledged += ingested.acknowledged
        self.archived += ingested.archived
        for reason, count in ingested.suppressed.items():
            self.suppressed[reason] = self.suppressed.get(reason, 0) + count

    def summary(self) -> str:
        if self.error is not None:
            return f"{self.account}: {self.error}"
        if self.skipped is not None:
            return f"{self.account}: {self.skipped}"
        parts = [
            f"{self.fetched} new messages",
            f"{len(self.new_tickets)} new tickets",
            f"{len(self.joined)} joined existing tickets",
        ]
        if self.archived:
            parts.append(f"{self.archived} of them from the mailbox's archive (closed, no deadlines)")
        if self.quarantined:
            parts.append(f"{self.quarantined} quarantined")
        if self.duplicates:
            parts.append(f"{self.duplicates} already stored")
        if self.uidvalidity_changed:
            parts.append("the server renumbered the folder (UIDVALIDITY changed)")
        return f"{self.account}: " + ", ".join(parts)


# --------------------------------------------------------------------------- the lease


def _ensure_state(ws: Workspace, account_id: int, folder: str) -> None:
    with ws.db.session() as s:
        exists = s.scalar(
            select(SyncState.id).where(SyncState.account_id == account_id, SyncState.folder == folder)
        )
        if exists is not None:
            return
        try:
            with s.begin_nested():
                s.add(SyncState(account_id=account_id, folder=folder, last_uid=0))
        except IntegrityError:
            pass  # another process created it a moment ago: fine, it is there


def acquire_sync_lease(
    ws: Workspace, account_id: int, folder: str, holder: str, ttl: timedelta = LEASE_TTL
) -> str | None:
    """Take or renew the sync lease of a mailbox; ``None`` when taken, else the current holder.

    One conditional UPDATE is the whole decision, so two workstations racing for it cannot both
    win, on SQLite or PostgreSQL, without any engine-specific locking.
    """
    _ensure_state(ws, account_id, folder)
    where = (SyncState.account_id == account_id, SyncState.folder == folder)
    for _attempt in range(2):
        now = ws.now()
        with ws.db.session() as s:
            taken = s.execute(
                update(SyncState)
                .where(
                    *where,
                    (SyncState.lock_holder.is_(None))
                    | (SyncState.lock_holder == holder)
                    | (SyncState.lock_expires_at.is_(None))
                    | (SyncState.lock_expires_at <= now),
                )
                .values(lock_holder=holder, lock_expires_at=now + ttl)
                .execution_options(synchronize_session=False)
            )
            if taken.rowcount == 1:  # type: ignore[attr-defined]
                return None
            other = s.scalar(select(SyncState.lock_holder).where(*where))
            if other is None or not holder_gone(other):
                return other or "another workstation"
            # The holder died on this machine: take the lease over from exactly that holder.
            stolen = s.execute(
                update(SyncState)
                .where(*where, SyncState.lock_holder == other)
                .values(lock_holder=holder, lock_expires_at=now + ttl)
                .execution_options(synchronize_session=False)
            )
            if stolen.rowcount == 1:  # type: ignore[attr-defined]
                log.info("took over the sync lease of account %s from %s (gone)", account_id, other)
                return None
    return "another workstation"


def release_sync_lease(ws: Workspace, account_id: int, folder: str, holder: str) -> None:
    with ws.db.session() as s:
        s.execute(
            update(SyncState)
            .where(
                SyncState.account_id == account_id,
                SyncState.folder == folder,
                SyncState.lock_holder == holder,
            )
            .values(lock_holder=None, lock_expires_at=None)
            .execution_options(synchronize_session=False)
        )


#: Threads of *this* process syncing the same mailbox would share one holder id and both pass
#: the database lease; this keeps them apart (the GUI's "sync now" next to its background sync).
_local_busy: set[tuple[str, int]] = set()
_local_lock = threading.Lock()


@contextlib.contextmanager
def _in_process_turn(ws: Workspace, account_id: int) -> Iterator[bool]:
    key = (ws.db.url, account_id)
    with _local_lock:
        mine = key not in _local_busy
        if mine:
            _local_busy.add(key)
    try:
        yield mine
    finally:
        if mine:
            with _local_lock:
                _local_busy.discard(key)


# --------------------------------------------------------------------------- state


def _load_account(ws: Workspace, account_id: int) -> MailAccount:
    with ws.db.session() as s:
        acc = s.get(MailAccount, account_id)
        if acc is None:
            raise NotFound("mail account {id} does not exist (any more)", id=account_id)
        s.expunge(acc)
    return acc


def _record_error(ws: Workspace, account_id: int, folder: str, message: str) -> None:
    """Keep the last failure where the GUI's sync status and ``account list`` read it (R-UI-5)."""
    try:
        with ws.db.session() as s:
            s.execute(
                update(SyncState)
                .where(SyncState.account_id == account_id, SyncState.folder == folder)
                .values(last_error=message)
                .execution_options(synchronize_session=False)
            )
    except ReglamentError:
        log.exception("could not record the sync error of account %s", account_id)


def _finish(ws: Workspace, account_id: int, state: imap.FolderState) -> None:
    """A complete pass: remember when, the server's numbers, and that nothing is wrong now."""
    with ws.db.session() as s:
        row = s.scalar(
            select(SyncState).where(
                SyncState.account_id == account_id, SyncState.folder == state.folder
            )
        )
        if row is None:
            return
        if row.uidvalidity != state.uidvalidity:
            # Renumbered folder with nothing in it to ingest: remember the new numbering.
            row.uidvalidity, row.last_uid = state.uidvalidity, 0
        row.highestmodseq = state.highestmodseq
        row.last_sync_at = ws.now()
        row.last_error = None


def _checkpoint_of(ws: Workspace, account_id: int, folder: str) -> tuple[int | None, int]:
    with ws.db.session() as s:
        row = s.execute(
            select(SyncState.uidvalidity, SyncState.last_uid).where(
                SyncState.account_id == account_id, SyncState.folder == folder
            )
        ).first()
    if row is None:
        return None, 0
    return row[0], int(row[1] or 0)


# --------------------------------------------------------------------------- fetching ahead


_DONE = object()


def _prefetched(
    session: ImapSession, uids: Sequence[int], batch_size: int
) -> Generator[list[FetchedMessage], None, None]:
    """Batches of ``uids``, fetched one batch ahead by a helper thread.

    The network wait of the next FETCH overlaps with parsing and committing the current batch.
    At most two batches are in memory. If the consumer stops early (an error while storing), the
    helper finishes its current FETCH and exits; the session is then left to the caller to close.
    """
    chunks = [list(uids[i : i + batch_size]) for i in range(0, len(uids), batch_size)]
    if len(chunks) <= 1:
        for chunk in chunks:
            batch = session.fetch(chunk)
            if batch:
                yield batch
        return
    handoff: queue.Queue[object] = queue.Queue(maxsize=1)
    quit_ = threading.Event()

    def hand_over(item: object) -> None:
        while not quit_.is_set():
            try:
                handoff.put(item, timeout=0.2)
                return
            except queue.Full:
                continue

    def fetch_all() -> None:
        try:
            for chunk in chunks:
                if quit_.is_set():
                    return
                hand_over(session.fetch(chunk))
            hand_over(_DONE)
        except BaseException as error:  # handed to the consumer and raised there
            hand_over(error)

    helper = threading.Thread(target=fetch_all, name="imap-prefetch", daemon=True)
    helper.start()
    try:
        while True:
            item = handoff.get()
            if item is _DONE:
                return
            if isinstance(item, BaseException):
                raise item
            assert isinstance(item, list)
            if item:
                yield item
    finally:
        quit_.set()
        helper.join(timeout=120)


# --------------------------------------------------------------------------- one pass


class _LeaseKeeper:
    """Renews the lease every few minutes during a long sync; a lost lease stops the sync."""

    def __init__(self, ws: Workspace, account_id: int, folder: str, holder: str) -> None:
        self.ws, self.account_id, self.folder, self.holder = ws, account_id, folder, holder
        self.renewed = time.monotonic()

    def renew_if_due(self) -> None:
        if time.monotonic() - self.renewed < _RENEW_EVERY:
            return
        other = acquire_sync_lease(self.ws, self.account_id, self.folder, self.holder)
        if other is not None:
            raise ReglamentError(
                "the sync of this mailbox was taken over by {holder}; stopping here "
                "(everything fetched so far is stored)", holder=other,
            )
        self.renewed = time.monotonic()


def _sync_session(
    ws: Workspace,
    acc: MailAccount,
    session: ImapSession,
    report: SyncReport,
    progress: Progress | None,
    batch_size: int,
    keeper: _LeaseKeeper,
) -> None:
    folder = acc.folder or "INBOX"
    state = session.select(folder)
    known_validity, last_uid = _checkpoint_of(ws, acc.id, folder)
    if known_validity is not None and known_validity != state.uidvalidity:
        # The server renumbered the folder; ingest recognises stored mail by its content hash.
        log.warning(
            "UIDVALIDITY of %s/%s changed from %s to %s; resyncing",
            acc.name, folder, known_validity, state.uidvalidity,
        )
        report.uidvalidity_changed = True
        last_uid = 0
    elif known_validity is None:
        last_uid = 0
    nothing_new = (
        not report.uidvalidity_changed
        and state.uidnext is not None
        and state.uidnext <= last_uid + 1
    )
    uids = [] if nothing_new else session.uids_since(last_uid)
    report.found = len(uids)
    if progress is not None:
        progress(0, len(uids))
    # A large sync parses batch n+1 and composes acknowledgements in a helper process while
    # batch n is stored: fetch, parse and store each keep a core busy.
    worker = MailWorker(ws.paths.blobs) if MailWorker.usable(len(uids)) else None
    try:
        with contextlib.closing(_prefetched(session, uids, batch_size)) as batches:
            waiting: tuple[list[FetchedMessage], Callable[[], list[Intake]] | None] | None = None
            for batch in batches:
                parsed = worker.intake([m.raw for m in batch]) if worker is not None else None
                if waiting is not None:
                    _store(ws, acc, state, *waiting, report)
                    if progress is not None:
                        progress(report.fetched, len(uids))
                    keeper.renew_if_due()
                waiting = (batch, parsed)
            if waiting is not None:
                _store(ws, acc, state, *waiting, report)
                if progress is not None:
                    progress(report.fetched, len(uids))
                keeper.renew_if_due()
    finally:
        if worker is not None:
            worker.close()
    _finish(ws, acc.id, state)


def _store(
    ws: Workspace,
    acc: MailAccount,
    state: imap.FolderState,
    batch: list[FetchedMessage],
    parsed: Callable[[], list[Intake]] | None,
    report: SyncReport,
) -> None:
    """One batch and its checkpoint, in one transaction (inside :func:`ingest_batch`)."""
    incoming = [IncomingMail(m.uid, m.internaldate, m.raw) for m in batch]
    ingested = ingest_batch(
        ws, acc.id, state.folder, state.uidvalidity, incoming, checkpoint_uid=batch[-1].uid,
        parsed=parsed,
    )
    report.add(ingested)
    report.fetched += len(batch)


def sync_account_once(
    ws: Workspace,
    account_id: int,
    progress: Progress | None = None,
    *,
    batch_size: int = SYNC_BATCH_SIZE,
    timeout: float = 30.0,
    holder: str | None = None,
) -> SyncReport:
    """Fetch what is new in one account's folder and ingest it; returns what happened.

    Transport and configuration problems do not raise: they come back as ``report.error`` (and
    are stored in ``SyncState.last_error``) so a caller syncing several accounts goes on with the
    next. A mailbox another workstation is syncing is skipped (``report.skipped``).
    """
    started = time.monotonic()
    acc = _load_account(ws, account_id)
    folder = acc.folder or "INBOX"
    report = SyncReport(account_id=acc.id, account=acc.name, folder=folder)
    me = holder or holder_id()
    with _in_process_turn(ws, acc.id) as mine:
        if not mine:
            report.skipped = "a sync of this mailbox is already running in this program; skipped"
            return report
        other = acquire_sync_lease(ws, acc.id, folder, me)
        if other is not None:
            report.skipped = f"another workstation ({other}) is syncing this mailbox; skipped"
            return report
        try:
            password = imap_password(acc)
            with imap.connect(imap_settings(acc, timeout), password) as session:
                _sync_session(
                    ws, acc, session, report, progress, batch_size,
                    _LeaseKeeper(ws, acc.id, folder, me),
                )
        except ReglamentError as error:
            report.error = str(error)
            _record_error(ws, acc.id, folder, report.error)
        except Exception as error:
            _record_error(
                ws, acc.id, folder,
                f"unexpected error during sync ({type(error).__name__}); details are in the log",
            )
            raise
        finally:
            release_sync_lease(ws, acc.id, folder, me)
            report.seconds = time.monotonic() - started
    return report


def enabled_account_ids(ws: Workspace) -> list[int]:
    with ws.db.session() as s:
        return list(
            s.scalars(
                select(MailAccount.id).where(MailAccount.enabled.is_(True)).order_by(MailAccount.id)
            )
        )


def sync_all_once(
    ws: Workspace,
    progress: Callable[[str, int, int], None] | None = None,
    *,
    batch_size: int = SYNC_BATCH_SIZE,
) -> list[SyncReport]:
    """One pass over every enabled account, one after another; ``progress(account, done, total)``."""
    reports = []
    for account_id in enabled_account_ids(ws):
        name = _load_account(ws, account_id).name

        def each(done: int, total: int, name: str = name) -> None:
            if progress is not None:
                progress(name, done, total)

        reports.append(sync_account_once(ws, account_id, each, batch_size=batch_size))
    return reports


# --------------------------------------------------------------------------- forever


@dataclass
class _Loop:
    ws: Workspace
    stop: threading.Event
    wake: threading.Event
    sleep: Callable[[float], object]
    backoff: Callable[[int], float]
    poll_interval: float
    idle_slice: float
    lease_recheck: float
    batch_size: int
    on_report: Callable[[SyncReport], None] | None
    progress: Callable[[str, int, int], None] | None
    holder: str
    #: Per mailbox: "look now" (the agent's Check mail now), ends its IDLE wait or poll pause.
    nudged: dict[int, threading.Event] = field(default_factory=dict)

    def nudge_all(self) -> None:
        for event in list(self.nudged.values()):
            event.set()


def _emit(loop: _Loop, report: SyncReport) -> None:
    if loop.on_report is not None:
        try:
            loop.on_report(report)
        except Exception:  # a broken listener must not stop the mail
            log.exception("sync report listener failed")


def _account_loop(loop: _Loop, account_id: int) -> None:
    """Keep one mailbox in sync: connect, catch up, IDLE (or poll), reconnect with back-off."""
    ws = loop.ws
    session: ImapSession | None = None
    failures = 0
    folder = "INBOX"
    holding = False
    nudged = loop.nudged.setdefault(account_id, threading.Event())

    def cancelled() -> bool:
        return loop.stop.is_set() or nudged.is_set()

    def pause(seconds: float) -> None:
        """Wait between polls, or less when stopped or nudged (a caller's own ``sleep`` is
        called as it is: tests pass one that only records)."""
        if loop.sleep != loop.stop.wait:
            loop.sleep(seconds)
            return
        end = time.monotonic() + seconds
        while not cancelled() and (left := end - time.monotonic()) > 0:
            nudged.wait(min(left, 0.5))
    try:
        with _in_process_turn(ws, account_id) as mine:
            if not mine:
                return
            while not loop.stop.is_set():
                try:
                    acc = _load_account(ws, account_id)
                except NotFound:
                    return
                if not acc.enabled:
                    return
                folder = acc.folder or "INBOX"
                report = SyncReport(account_id=acc.id, account=acc.name, folder=folder)
                other = acquire_sync_lease(ws, acc.id, folder, loop.holder)
                if other is not None:
                    holding = False
                    if session is not None:
                        session.logout()
                        session = None
                    report.skipped = f"another workstation ({other}) is syncing this mailbox"
                    _emit(loop, report)
                    loop.sleep(loop.lease_recheck)
                    continue
                holding = True
                started = time.monotonic()
                try:
                    if session is None:
                        session = imap.connect(imap_settings(acc), imap_password(acc))

                    def each(done: int, total: int, name: str = acc.name) -> None:
                        if loop.progress is not None:
                            loop.progress(name, done, total)

                    keeper = _LeaseKeeper(ws, acc.id, folder, loop.holder)
                    _sync_session(ws, acc, session, report, each, loop.batch_size, keeper)
                    failures = 0
                    report.seconds = time.monotonic() - started
                    _emit(loop, report)
                    if report.fetched:
                        loop.wake.set()
                    if loop.stop.is_set():
                        break
                    if session.has_idle:
                        session.idle_wait(loop.idle_slice, cancelled)
                    else:
                        pause(loop.poll_interval)
                    nudged.clear()
                except ReglamentError as error:
                    failures += 1
                    report.error = str(error)
                    report.seconds = time.monotonic() - started
                    _record_error(ws, account_id, folder, report.error)
                    _emit(loop, report)
                    if session is not None:
                        session.logout()
                        session = None
                    delay = loop.backoff(failures)
                    log.info("sync of %s failed (%s); retrying in %.1f s", acc.name, error, delay)
                    loop.sleep(delay)
    except Exception:
        log.exception("the sync of account %s stopped on an unexpected error", account_id)
        _record_error(ws, account_id, folder, Phrase("the sync stopped on an unexpected error; see the log"))
    finally:
        if session is not None:
            session.logout()
        if holding:
            with contextlib.suppress(ReglamentError):
                release_sync_lease(ws, account_id, folder, loop.holder)


def run_sync_forever(
    ws: Workspace,
    stop: threading.Event,
    sleep: Callable[[float], object] | None = None,
    *,
    poll_interval: float = 60.0,
    idle_slice: float = 10.0,
    outbox_interval: float = 30.0,
    timers_interval: float = 60.0,
    lease_recheck: float = 60.0,
    backoff: Callable[[int], float] | None = None,
    batch_size: int = SYNC_BATCH_SIZE,
    on_report: Callable[[SyncReport], None] | None = None,
    on_outbox: Callable[[DrainReport], None] | None = None,
    progress: Callable[[str, int, int], None] | None = None,
    nudge: threading.Event | None = None,
) -> None:
    """Keep every enabled account in sync until ``stop`` is set (``reglament sync``, the GUI).

    One thread per mailbox waits in IDLE (re-issued every ``idle_slice`` seconds) or polls
    every ``poll_interval`` seconds where the server has no IDLE; either wait ends within half
    a second of ``stop``, or of ``nudge`` (set by whoever wants a look now: every mailbox is
    checked, the outbox drained, and the event cleared again). A failure (server down, network gone) is reported through ``on_report`` and stored as
    ``SyncState.last_error``; the mailbox is retried after ``backoff(n)`` seconds (exponential,
    capped at five minutes). Between rounds the outbox is drained (at once after new mail, so
    acknowledgements go out promptly) and the timers are applied every ``timers_interval``.
    ``sleep`` waits (default ``stop.wait``, which returns early when stopping).
    """
    loop = _Loop(
        ws=ws,
        stop=stop,
        wake=threading.Event(),
        sleep=sleep or stop.wait,
        backoff=backoff or (lambda n: backoff_delay(n, base=2.0, cap=300.0)),
        poll_interval=poll_interval,
        idle_slice=idle_slice,
        lease_recheck=lease_recheck,
        batch_size=batch_size,
        on_report=on_report,
        progress=progress,
        holder=holder_id(),
    )
    workers = [
        threading.Thread(
            target=_account_loop, args=(loop, account_id), name=f"sync-{account_id}", daemon=True
        )
        for account_id in enabled_account_ids(ws)
    ]
    for worker in workers:
        worker.start()
    next_outbox = next_timers = 0.0
    try:
        while not stop.is_set():
            now = time.monotonic()
            if loop.wake.is_set() or now >= next_outbox:
                loop.wake.clear()
                try:
                    drained = drain_outbox(ws)
                    if on_outbox is not None:
                        on_outbox(drained)
                except ReglamentError as error:
                    log.warning("outbox drain failed: %s", error)
                next_outbox = time.monotonic() + outbox_interval
            if now >= next_timers:
                try:
                    run_timers(ws)
                except ReglamentError as error:
                    log.warning("timers failed: %s", error)
                next_timers = time.monotonic() + timers_interval
            # Wake for whichever comes first: stop, new mail (wake), a nudge, or the next job.
            until = min(next_outbox, next_timers) - time.monotonic()
            while until > 0 and not stop.is_set() and not loop.wake.is_set():
                if nudge is not None and nudge.is_set():
                    nudge.clear()
                    loop.nudge_all()
                    loop.wake.set()  # and the outbox goes out now too
                    break
                stop.wait(min(0.25, until))
                until = min(next_outbox, next_timers) - time.monotonic()
    finally:
        stop.set()
        for worker in workers:
            worker.join(timeout=loop.idle_slice + 35)
