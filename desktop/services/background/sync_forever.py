"""Keeping every mailbox in sync until told to stop (``reglament sync``, the GUI's sync process).

One thread per mailbox connects, catches up with :func:`~desktop.services.background.sync.sync_session`,
then waits in IDLE (or polls), reconnecting with back-off after a failure and reporting every
pass; between rounds the outbox is drained and the timers applied. Apart from the one-pass sync
because this is the long-running part: waits, nudges, retries and listeners.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from desktop.errors import NotFound, Phrase, ReglamentError
from desktop.mail import imap
from desktop.mail.imap import ImapSession
from desktop.mail.transport_errors import backoff_delay
from desktop.services.accounts import imap_password, imap_settings
from desktop.services.background.outbox import DrainReport, drain_outbox
from desktop.services.background.stopping import SyncStopped
from desktop.services.background.sync import (
    SYNC_BATCH_SIZE,
    SyncReport,
    enabled_account_ids,
    load_account,
    record_error,
    sync_session,
)
from desktop.services.background.sync_lease import (
    LeaseKeeper,
    acquire_sync_lease,
    in_process_turn,
    release_sync_lease,
)
from desktop.services.background.timers import run_timers
from desktop.services.workspace import Workspace
from desktop.store.leases import holder_id

log = logging.getLogger("reglament.sync")


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
        with in_process_turn(ws, account_id) as mine:
            if not mine:
                return
            while not loop.stop.is_set():
                try:
                    acc = load_account(ws, account_id)
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
                        if loop.stop.is_set():  # stop at this checkpoint, not after the catch-up
                            raise SyncStopped

                    keeper = LeaseKeeper(ws, acc.id, folder, loop.holder)
                    sync_session(ws, acc, session, report, each, loop.batch_size, keeper)
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
                    record_error(ws, account_id, folder, report.error)
                    _emit(loop, report)
                    if session is not None:
                        session.logout()
                        session = None
                    delay = loop.backoff(failures)
                    log.info("sync of %s failed (%s); retrying in %.1f s", acc.name, error, delay)
                    loop.sleep(delay)
    except SyncStopped:
        log.info("the sync of account %s stopped at a checkpoint", account_id)
    except Exception:
        log.exception("the sync of account %s stopped on an unexpected error", account_id)
        record_error(ws, account_id, folder, Phrase("the sync stopped on an unexpected error; see the log"))
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
