"""Mail sync in the background with its state always in the status bar (R-UI-5, R-MAIL-2).

The engine's ``desktop.services.background.sync.run_sync_forever`` is a plain blocking loop with callbacks.
It runs in a process of its own (``desktop.services.background.sync_process``: a large sync in a thread of
this process took the interpreter from the window for up to 200 ms at a time); a QThread here
waits for its events (``desktop.services.background.events``) and posts them to the window's
``ui.bridge.EngineBridge``, which delivers each as a typed signal on the GUI thread, so nothing
of the sync touches a widget. A packaged build, which cannot start a copy of itself as a child, runs the
loop in that QThread instead. In a demo workspace, or with no account set up, nothing runs and
the status bar says so.
"""

from __future__ import annotations

import importlib.util
import logging
import threading
import time
import traceback
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, QThread, Signal
from PySide6.QtWidgets import QWidget

from desktop import times
from desktop.services.background.events import (
    MailboxSynced,
    OutboxDrained,
    SyncEventSink,
    SyncFailed,
    SyncFinished,
    SyncProgress,
)
from desktop.services.reads.queue import MailStatus
from desktop.services.workspace import Workspace
from ui.bridge import EngineBridge
from ui.errors import engine_text
from ui.workers import Runner

if TYPE_CHECKING:
    from desktop.services.background.sync_process import SyncProcess
    from ui.progress import ProgressModel

SYNC_MODULE = "desktop.services.background.sync"

log = logging.getLogger("reglament.ui.sync")

#: A sync that failed (say, the keyring is locked) is tried again after this long at the
#: earliest, when the window's periodic refresh next reports the mail state.
RETRY_AFTER_FAILURE_S = 60.0
#: How often the queue follows a large sync while it stores batch after batch (seconds).
PROGRESS_REFRESH_S = 2.0
#: How long a closing window lets the sync finish what it has in hand before ending it.
STOP_GRACE_MS = 1_800
#: A sync of at least this many messages shows its progress (n of N, time left, Cancel) in
#: the status bar; a handful of new messages comes and goes without it.
SHOW_PROGRESS_FROM = 200


def sync_available() -> bool:
    """Whether this build has the mail sync, without importing it on the GUI thread (the import
    pulls in the IMAP stack and takes a noticeable fraction of a second)."""
    try:
        return importlib.util.find_spec(SYNC_MODULE) is not None
    except ImportError:
        return False


class _SyncThread(QThread):
    def __init__(self, ws: Workspace, bridge: EngineBridge) -> None:
        super().__init__()
        self.ws, self.bridge = ws, bridge
        self.stop_event = threading.Event()
        self.nudge_event = threading.Event()  # the in-thread fallback's "check now"
        self.process: SyncProcess | None = None  # once started
        self._lock = threading.Lock()

    def run(self) -> None:
        try:
            # Imported here, off the GUI thread: the sync brings the IMAP stack along.
            from desktop.services.background import sync_process

            if sync_process.usable():
                self._in_process()
            else:
                from desktop.services.background.sync_forever import run_sync_forever

                sink = SyncEventSink(self.bridge.post)
                run_sync_forever(self.ws, self.stop_event, nudge=self.nudge_event,
                                 on_report=sink.report, on_outbox=sink.outbox, progress=sink.progress)
        except Exception as exc:  # e.g. the keyring is locked: said in the status bar, logged
            log.error("mail sync could not start:\n%s", traceback.format_exc())
            self.bridge.post(SyncFailed(str(exc) or type(exc).__name__))
        finally:
            self.bridge.post(SyncFinished())

    def _in_process(self) -> None:
        from desktop.services.background.sync_process import SyncProcess

        while True:
            with self._lock:
                if self.stop_event.is_set():
                    return
                process = self.process = SyncProcess(self.ws)
                process.start()
            again = False
            for event in process.events():
                if isinstance(event, SyncFinished):
                    break  # said once, by run(), when the thread is done (a restart goes on)
                self.bridge.post(event)
                # A failing mailbox may fail on a password fixed meanwhile: the child has the
                # old one, so it is started again with what the keyring holds now.
                if (isinstance(event, MailboxSynced) and event.report.error and not again
                        and process.secrets_changed()):
                    again = True
                    process.request_stop()
            process.stop(timeout=10)  # it has finished: reap it (and end it if it has not)
            if not again:
                return

    def nudge(self) -> None:
        """Check every mailbox now instead of at the end of the current wait."""
        self.nudge_event.set()
        with self._lock:
            process = self.process
        if process is not None:
            process.nudge()

    def request_stop(self) -> None:
        """Ask the sync to stop without waiting; ``finished`` follows once it has."""
        with self._lock:
            self.stop_event.set()
            process = self.process
        if process is not None:
            process.request_stop()

    def end(self, grace_ms: int) -> None:
        """Stop within ``grace_ms``: the child process is ended after that (the thread
        fallback, which cannot be ended, is waited for as long as its IDLE slice takes)."""
        self.request_stop()
        if self.wait(grace_ms):
            return
        with self._lock:
            process = self.process
        if process is not None:
            process.terminate()
            self.wait(10_000)
        else:
            self.wait(45_000)


class SyncController(QObject):
    stateChanged = Signal(str)
    synced = Signal()
    #: Batches were stored while a sync goes on (at most every ``PROGRESS_REFRESH_S``): the
    #: queue can show them before the whole mailbox is in.
    progressed = Signal()

    def __init__(self, window: QWidget, runner: Runner, ws: Workspace, enabled: bool = True) -> None:
        super().__init__(window)
        self.window, self.runner, self.ws = window, runner, ws
        self.enabled = enabled
        self.bridge = EngineBridge(self)
        self.bridge.mailboxSynced.connect(self._report)
        self.bridge.progressed.connect(self._progress)
        self.bridge.outboxDrained.connect(self._drained)
        self.bridge.failed.connect(self._failed)
        self.bridge.finished.connect(self._finished)
        self.worker: _SyncThread | None = None
        self.last_text = ""
        self._mail: MailStatus | None = None
        self._live: str | None = None
        self._closed = False  # the window is closing: nothing starts again
        self._restart = False  # a stop was asked for to start again with changed accounts
        self._retry_at = 0.0  # after a failed start, no new attempt before this (monotonic)
        self._progress_shown = 0.0  # when ``progressed`` was last emitted (monotonic)
        #: Where a large sync's progress is shown (the window's status bar), if anywhere.
        self.progress: ProgressModel | None = None
        #: The agent cancelled a sync: it stopped at a checkpoint and stays stopped until
        #: "Check mail now" (or a change of accounts); nothing starts it by itself meanwhile.
        self.paused = False
        self._last_progress: dict[str, SyncProgress] = {}  # by account

    # --- lifecycle ---------------------------------------------------------------------------

    def start(self) -> bool:
        if not self.enabled or self._closed or not sync_available() or self.worker is not None:
            return False
        if self._mail is not None and self._mail.accounts == 0:
            return False
        self.worker = _SyncThread(self.ws, self.bridge)
        self.worker.start()
        self._live = QCoreApplication.translate("Sync", "Mail: connecting…")
        self._render()
        return True

    def stop(self) -> None:
        """Stop syncing for good (the window closes): the sync gets a few seconds to finish
        the batch or send in hand, then it is ended."""
        self._closed = True
        if self.worker is not None:
            self.worker.end(STOP_GRACE_MS)
            self.worker = None

    def sync_now(self) -> None:
        """Check mail now: start the sync, or have the running one look at once (a paused
        sync goes on from its last checkpoint)."""
        self.paused = False
        if self.worker is None:
            self.start()
        else:
            self.worker.nudge()
            self._live = QCoreApplication.translate("Sync", "Mail: checking…")
            self._render()

    def open_accounts(self) -> None:
        from ui.dialogs.accounts import AccountsDialog

        dlg = AccountsDialog(self.window, self.runner, self.ws)
        dlg.finished.connect(lambda _r: self._accounts_changed())
        dlg.open()
        self.last_dialog = dlg

    def _accounts_changed(self) -> None:
        """Restart with the accounts as they are now (and the passwords just stored), without
        waiting here: the running sync is asked to stop and a new one starts when it has."""
        self._retry_at = 0.0
        self.paused = False
        if self.worker is not None:
            self._restart = True
            self.worker.request_stop()
        self.synced.emit()  # the refresh brings the new mail state, which starts a sync if none runs

    # --- state -------------------------------------------------------------------------------

    def show_status(self, mail: MailStatus) -> None:
        self._mail = mail
        if (mail.accounts and self.enabled and self.worker is None and not self._closed
                and not self.paused and time.monotonic() >= self._retry_at):
            self.start()
        self._render()

    def _report(self, event: MailboxSynced) -> None:
        report = event.report
        if self.progress is not None and not self.paused:
            self.progress.finish(_task_key(report.account))
        if report.error:
            self._live = QCoreApplication.translate("Sync", "Mail: {0}").format(engine_text(report.error))
        else:
            self._live = QCoreApplication.translate("Sync", "Mail: connected, checked at {0}").format(
                times.clock_time(datetime.now(UTC)))
            if report.new_tickets or report.joined:
                self.synced.emit()
        self._render()

    def _drained(self, event: OutboxDrained) -> None:
        """A server the outbox could not reach is said once, in the breaker's own words."""
        verdict = event.report.verdict
        if verdict:
            self._live = QCoreApplication.translate("Sync", "Mail: {0}").format(engine_text(verdict))
            self._render()
        self.synced.emit()

    def _progress(self, event: SyncProgress) -> None:
        self._last_progress[event.account] = event
        if self.paused:
            return  # the last batch of a cancelled sync, stored before it stops
        if self.progress is not None and event.total >= SHOW_PROGRESS_FROM:
            if event.done < event.total:
                self.progress.update(_task_key(event.account),
                                     QCoreApplication.translate("Sync", "Mail: {0}").format(event.account),
                                     event.done, event.total, cancel=self.cancel)
                self._live = QCoreApplication.translate("Sync", "Mail: receiving…")
            else:
                self.progress.finish(_task_key(event.account))
        else:
            self._live = QCoreApplication.translate("Sync", "Mail: {0} — {1} of {2}").format(
                event.account, event.done, event.total)
        self._render()
        now = time.monotonic()
        if 0 < event.done < event.total and now - self._progress_shown >= PROGRESS_REFRESH_S:
            self._progress_shown = now
            self.progressed.emit()

    def _failed(self, event: SyncFailed) -> None:
        self._live = QCoreApplication.translate("Sync", "Mail: {0}").format(engine_text(event.message))
        self._retry_at = time.monotonic() + RETRY_AFTER_FAILURE_S
        self._render()

    def cancel(self) -> None:
        """Stop receiving mail at the next checkpoint and stay stopped until "Check mail
        now". Safe at any moment: the sync is asked, not killed, and stops between two
        batches, each stored with its checkpoint — nothing fetched is lost, and the next sync
        goes on from there."""
        if self.worker is None or self.paused:
            return
        self.paused = True
        self.worker.request_stop()
        self._live = QCoreApplication.translate("Sync", "Mail: stopping after the current batch…")
        self._render()

    def _paused_text(self) -> str:
        unfinished = [p for p in self._last_progress.values() if p.total > 0 and p.done < p.total]
        last = unfinished[0] if unfinished else None
        if last is None:
            return QCoreApplication.translate(
                "Sync", "Mail: paused; nothing is lost — Check mail now goes on")
        from ui.progress import number

        return QCoreApplication.translate(
            "Sync", "Mail: paused at {0} of {1}; nothing is lost — Check mail now goes on").format(
            number(last.done), number(last.total))

    def _finished(self, _event: SyncFinished) -> None:
        if self.worker is not None:  # stop() clears it first: this one ended by itself or to restart
            self.worker.wait(2_000)
            self.worker = None
        if self.progress is not None:
            for task in self.progress.tasks():
                if task.key.startswith(_TASK):
                    self.progress.finish(task.key)
        if self.paused and not self._restart:
            self._live = self._paused_text()
            self._render()
            self.synced.emit()  # the queue shows what the last batch brought
            return
        if self._restart and not self._closed:
            self._restart = False
            self._live = None
            self.start()
            return
        if time.monotonic() >= self._retry_at:
            self._live = None  # else a failure stays in the status bar until the retry
        self._render()

    def _render(self) -> None:
        m = self._mail
        if self._live is not None:
            text = self._live
        elif not sync_available():
            text = QCoreApplication.translate("Sync", "Mail sync is not available in this build")
        elif m is None:
            text = ""
        elif m.accounts == 0:
            text = QCoreApplication.translate("Sync", "Mail: no account set up")
        elif m.last_error:
            text = QCoreApplication.translate("Sync", "Mail: {0}").format(engine_text(m.last_error))
        elif not self.enabled:
            text = QCoreApplication.translate("Sync", "Mail: not syncing (demo)")
        elif m.last_sync_at is not None:
            text = QCoreApplication.translate("Sync", "Mail: last checked {0}").format(
                times.short_date_time(m.last_sync_at))
        else:
            text = QCoreApplication.translate("Sync", "Mail: not synced yet")
        if m is not None and (m.outbox_pending or m.outbox_failed):
            # The outbox's one definition of its counts, worded as in File ▸ Outbox….
            box = m.outbox
            if box is not None:
                counts = QCoreApplication.translate("Sync", "outbox: {0} waiting, {1} backing off, {2} failed").format(
                    box.waiting + box.sending, box.backing_off, box.failed)
            else:
                counts = QCoreApplication.translate("Sync", "outbox: {0} waiting, {1} failed").format(
                    m.outbox_pending, m.outbox_failed)
            text += " · " + counts
        self.last_text = text
        self.stateChanged.emit(text)


_TASK = "sync:"


def _task_key(account: str) -> str:
    return _TASK + account
