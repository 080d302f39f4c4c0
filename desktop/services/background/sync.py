"""Mail sync: from the IMAP server into tickets, without losing or duplicating a message (R-MAIL-2).

What makes it safe is not here but in the order of things:

* the checkpoint (``SyncState.last_uid``) is committed by :func:`ingest_batch` in the *same*
  transaction as the messages of its batch — a crash anywhere leaves both or neither, and the next
  run simply fetches the same batch again;
* the identity of a message is (account, UIDVALIDITY, UID); when the server renumbers a folder
  (UIDVALIDITY changed) we start again from UID 0 and ingest recognises what it already has by its
  content hash, and mail that comes back under new UIDs (a restored mailbox, a copy with a header
  added) by its identity — Message-ID and what the author wrote (R-MAIL-11);
* exactly one process syncs a mailbox at a time (R-TEAM-2): a lease on the ``SyncState`` row, taken
  with one conditional UPDATE (atomic on SQLite and PostgreSQL alike), renewed while the sync runs,
  expiring by itself when its holder dies. A holder on *this* machine whose process is gone is
  treated as expired at once, so a crashed sync does not block the next one for minutes.

Fetching overlaps with storing: a helper thread fetches batch *n+1* while batch *n* is parsed and
committed (the IMAP session is only ever used by one thread at a time).

Everything here is a plain blocking callable; the GUI runs it in a worker thread and gets
``progress(done, total)`` and :class:`SyncReport` objects back. This module holds one pass over a
mailbox; the lease is in ``sync_lease``, and the loop that keeps every mailbox in sync (IDLE,
reconnection with back-off, the outbox and timers between rounds) in ``sync_forever``.
"""

from __future__ import annotations

import contextlib
import logging
import queue
import threading
import time
from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass, field

from sqlalchemy import select, update

from desktop.errors import NotFound, ReglamentError
from desktop.mail import imap
from desktop.mail.imap import FetchedMessage, ImapSession
from desktop.services.accounts import imap_password, imap_settings
from desktop.services.background.ingest import ingest_batch
from desktop.services.background.ingest_batch import IncomingMail, IngestReport
from desktop.services.background.mail_jobs import Intake, MailWorker, SharedWorker
from desktop.services.background.sync_lease import (
    LeaseKeeper,
    acquire_sync_lease,
    in_process_turn,
    release_sync_lease,
)
from desktop.services.workspace import Workspace
from desktop.store.leases import holder_id
from desktop.store.models import MailAccount, SyncState

__all__ = [
    "SYNC_BATCH_SIZE",
    "Progress",
    "SyncReport",
    "enabled_account_ids",
    "load_account",
    "record_error",
    "sync_account_once",
    "sync_all_once",
    "sync_session",
]


log = logging.getLogger("reglament.sync")


Progress = Callable[[int, int], None]


#: Messages per FETCH and per committed transaction. Bigger batches pay fewer round trips and
#: commits; 250 messages of up to 200 KB stay well under 100 MB in memory even with one batch
#: being fetched while the previous one is stored (see tests/bench/bench_sync.py).
SYNC_BATCH_SIZE = 250


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
    seen_again: int = 0  # of those fetched: stored mail come back under new UIDs (a restore)
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
        self.seen_again += ingested.seen_again
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
        if self.seen_again:
            parts.append(f"{self.seen_again} seen again (stored mail restored or copied back)")
        if self.uidvalidity_changed:
            parts.append("the server renumbered the folder (UIDVALIDITY changed)")
        return f"{self.account}: " + ", ".join(parts)


def load_account(ws: Workspace, account_id: int) -> MailAccount:
    with ws.db.session() as s:
        acc = s.get(MailAccount, account_id)
        if acc is None:
            raise NotFound("mail account {id} does not exist (any more)", id=account_id)
        s.expunge(acc)
    return acc


def record_error(ws: Workspace, account_id: int, folder: str, message: str) -> None:
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


def sync_session(
    ws: Workspace,
    acc: MailAccount,
    session: ImapSession,
    report: SyncReport,
    progress: Progress | None,
    batch_size: int,
    keeper: LeaseKeeper,
    shared: SharedWorker | None = None,
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
    # A large sync parses batch n+1 in a helper process while batch n is stored: fetch, parse
    # and store each keep a core busy. The helper starts now, while the first batch is fetched.
    if shared is not None:
        worker = shared.get(len(uids))
    else:
        worker = MailWorker(ws.paths.blobs) if MailWorker.usable(len(uids)) else None
        if worker is not None:
            worker.start()
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
        if worker is not None and shared is None:
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
    shared: SharedWorker | None = None,
) -> SyncReport:
    """Fetch what is new in one account's folder and ingest it; returns what happened.

    Transport and configuration problems do not raise: they come back as ``report.error`` (and
    are stored in ``SyncState.last_error``) so a caller syncing several accounts goes on with the
    next. A mailbox another workstation is syncing is skipped (``report.skipped``).
    """
    started = time.monotonic()
    acc = load_account(ws, account_id)
    folder = acc.folder or "INBOX"
    report = SyncReport(account_id=acc.id, account=acc.name, folder=folder)
    me = holder or holder_id()
    with in_process_turn(ws, acc.id) as mine:
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
                sync_session(
                    ws, acc, session, report, progress, batch_size,
                    LeaseKeeper(ws, acc.id, folder, me), shared,
                )
        except ReglamentError as error:
            report.error = str(error)
            record_error(ws, acc.id, folder, report.error)
        except Exception as error:
            record_error(
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
    shared: SharedWorker | None = None,
) -> list[SyncReport]:
    """One pass over every enabled account, one after another; ``progress(account, done, total)``.
    ``shared``: the helper process to parse with, kept open for the caller (its outbox drain)."""
    reports = []
    for account_id in enabled_account_ids(ws):
        name = load_account(ws, account_id).name

        def each(done: int, total: int, name: str = name) -> None:
            if progress is not None:
                progress(name, done, total)

        reports.append(sync_account_once(ws, account_id, each, batch_size=batch_size, shared=shared))
    return reports
