"""Mail sync in the background with its state always in the status bar (R-UI-5, R-MAIL-2).

The engine's ``desktop.services.sync.run_sync_forever`` is a plain blocking loop with callbacks;
here it runs in a QThread and its callbacks cross back to the GUI thread as queued signals, so
the loop never touches a widget. In a demo workspace, or with no account set up, nothing runs
and the status bar says so.
"""

from __future__ import annotations

import importlib
import importlib.util
import threading
from datetime import datetime
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QThread, Signal
from PySide6.QtWidgets import QWidget

from desktop.services.queue import MailStatus
from desktop.services.workspace import Workspace
from ui.errors import engine_text
from ui.workers import Runner

SYNC_MODULE = "desktop.services.sync"


def sync_available() -> bool:
    """Whether this build has the mail sync, without importing it on the GUI thread (the import
    pulls in the IMAP stack and takes a noticeable fraction of a second)."""
    try:
        return importlib.util.find_spec(SYNC_MODULE) is not None
    except ImportError:
        return False


class _Bridge(QObject):
    report = Signal(object)
    outbox = Signal(object)
    progress = Signal(str, int, int)
    finished = Signal()


class _SyncThread(QThread):
    def __init__(self, ws: Workspace, bridge: _Bridge) -> None:
        super().__init__()
        self.ws, self.bridge = ws, bridge
        self.stop_event = threading.Event()

    def run(self) -> None:
        try:
            module = importlib.import_module(SYNC_MODULE)
            module.run_sync_forever(
                self.ws, self.stop_event,
                on_report=self.bridge.report.emit,
                on_outbox=self.bridge.outbox.emit,
                progress=self.bridge.progress.emit,
            )
        finally:
            self.bridge.finished.emit()


class SyncController(QObject):
    stateChanged = Signal(str)
    synced = Signal()

    def __init__(self, window: QWidget, runner: Runner, ws: Workspace, enabled: bool = True) -> None:
        super().__init__(window)
        self.window, self.runner, self.ws = window, runner, ws
        self.enabled = enabled
        self.bridge = _Bridge(self)
        self.bridge.report.connect(self._report)
        self.bridge.progress.connect(self._progress)
        self.bridge.outbox.connect(lambda _r: self.synced.emit())
        self.bridge.finished.connect(self._finished)
        self.worker: _SyncThread | None = None
        self.last_text = ""
        self._mail: MailStatus | None = None
        self._live: str | None = None

    # --- lifecycle ---------------------------------------------------------------------------

    def start(self) -> bool:
        if not self.enabled or not sync_available() or self.worker is not None:
            return False
        if self._mail is not None and self._mail.accounts == 0:
            return False
        self.worker = _SyncThread(self.ws, self.bridge)
        self.worker.start()
        self._live = QCoreApplication.translate("Sync", "Mail: connecting…")
        self._render()
        return True

    def stop(self) -> None:
        if self.worker is not None:
            self.worker.stop_event.set()
            self.worker.wait(45_000)
            self.worker = None

    def sync_now(self) -> None:
        if self.worker is None:
            self.start()

    def open_accounts(self) -> None:
        from ui.dialogs.accounts import AccountsDialog

        dlg = AccountsDialog(self.window, self.runner, self.ws)
        dlg.finished.connect(lambda _r: self._accounts_changed())
        dlg.open()
        self.last_dialog = dlg

    def _accounts_changed(self) -> None:
        self.stop()
        self.synced.emit()

    # --- state -------------------------------------------------------------------------------

    def show_status(self, mail: MailStatus) -> None:
        first = self._mail is None
        self._mail = mail
        if first and mail.accounts and self.enabled:
            self.start()
        self._render()

    def _report(self, report: Any) -> None:
        if getattr(report, "error", None):
            self._live = QCoreApplication.translate("Sync", "Mail: {0}").format(engine_text(report.error))
        else:
            self._live = QCoreApplication.translate("Sync", "Mail: connected, checked at {0}").format(
                datetime.now().strftime("%H:%M"))
            if getattr(report, "new_tickets", None) or getattr(report, "joined", None):
                self.synced.emit()
        self._render()

    def _progress(self, account: str, done: int, total: int) -> None:
        self._live = QCoreApplication.translate("Sync", "Mail: {0} — {1} of {2}").format(account, done, total)
        self._render()

    def _finished(self) -> None:
        self._live = None
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
                m.last_sync_at.astimezone().strftime("%d.%m %H:%M"))
        else:
            text = QCoreApplication.translate("Sync", "Mail: not synced yet")
        if m is not None and (m.outbox_pending or m.outbox_failed):
            text += " · " + QCoreApplication.translate("Sync", "outbox: {0} waiting, {1} failed").format(
                m.outbox_pending, m.outbox_failed)
        self.last_text = text
        self.stateChanged.emit(text)
