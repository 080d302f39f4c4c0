"""A colleague's change on this screen within a second, and who is replying to what (R-TEAM-2).

The change feed (``desktop.services.background.changes``) runs in a thread of its own —
LISTEN/NOTIFY on a team's PostgreSQL, the change counter on SQLite — and its batches reach the
GUI thread through the engine bridge. Batches arriving close together are applied together
(one pass per :data:`APPLY_MS`, however long the burst), and a pass reads only what changed:

* the changed tickets' queue rows that are loaded (one page read, only those ids);
* the view's ids and the counts (a row may have entered or left a view), without re-reading
  the rows on screen;
* the open ticket, if it changed — unless the agent is writing a reply or a note about it: then
  the detail says "Changed by Anna — reload" and leaves the text under their cursor alone;
* the dashboard, if it is open (it merges requests made while it reads).

Presence ("Anna is replying") is read when a claim is taken or given back and every
:data:`PRESENCE_MS`, which also notices a claim that lapsed because its workstation went away.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QCoreApplication, QObject, QTimer
from PySide6.QtWidgets import QDialog, QLabel, QStatusBar

from desktop.services.background import presence
from desktop.services.background.changes import Change, follow, prune
from desktop.services.background.events import ChangesCommitted, FeedState
from desktop.services.reads import queue as queue_reads
from desktop.services.reads.queue_page import QueueLine
from desktop.services.workspace import Workspace
from ui import i18n
from ui.bridge import EngineBridge
from ui.ticket_detail import TicketDetail, replying_text
from ui.workers import Runner

if TYPE_CHECKING:
    from ui.actions import TicketActions
    from ui.dashboard_menu import DashboardEntry
    from ui.queue_controller import QueueController

log = logging.getLogger("reglament.ui.live")

#: Changes arriving within this long of each other are applied in one pass.
APPLY_MS = 50
#: The view's ids and counts are read at most this often while changes keep coming (a large
#: sync on another workstation commits batch after batch); the changed rows are read at once.
VIEW_MIN_MS = 1_000
#: Presence is read again this often (a lapsed claim has no change line to announce it).
PRESENCE_MS = 5_000
#: What presence writes to the change log: not a change of the ticket itself.
PRESENCE = ("replying", "reply_closed")


class LiveWindow(Protocol):
    """What of the main window live updates touch."""

    queue: QueueController
    detail: TicketDetail
    ticket_actions: TicketActions
    dashboard_entry: DashboardEntry

    def statusBar(self) -> QStatusBar: ...


class LiveUpdates(QObject):
    def __init__(self, window: LiveWindow, ws: Workspace, runner: Runner, parent: QObject) -> None:
        super().__init__(parent)
        self.window, self.ws, self.runner = window, ws, runner
        self.bridge = EngineBridge(self)
        self.bridge.changesCommitted.connect(self._arrived)
        self.bridge.feedState.connect(self._feed_state)
        self.following = False
        #: Passes applied and changes seen (tests and the latency bench look at them).
        self.passes = 0
        self.seen: list[Change] = []
        self._pending: list[Change] = []
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._dialogs: list[QDialog] = []
        self._presence_pending = False
        self.apply_timer = QTimer(self)
        self.apply_timer.setSingleShot(True)
        self.apply_timer.setInterval(APPLY_MS)
        self.apply_timer.timeout.connect(self.apply)
        self.view_timer = QTimer(self)
        self.view_timer.setSingleShot(True)
        self.view_timer.timeout.connect(self._refresh_view)
        self._view_read_at = -VIEW_MIN_MS / 1000
        self.presence_timer = QTimer(self)
        self.presence_timer.setInterval(PRESENCE_MS)
        self.presence_timer.timeout.connect(self.read_presence)
        #: Colleagues replying, by ticket id, as last read.
        self.replying: dict[int, tuple[str, ...]] = {}
        #: Said in the status bar while the feed waits for the database (a server restarting, a
        #: VPN reconnecting); gone when it follows again and has read back what it missed.
        self.paused_label = QLabel(window.statusBar())
        self.paused_label.setObjectName("live_paused")
        self.paused_label.hide()
        window.statusBar().addWidget(self.paused_label)
        window.ticket_actions.dialogOpened.connect(self._dialog_opened)
        window.detail.loaded.connect(lambda _tid: self._show_detail_presence())
        # A window torn down without being closed still ends its feed (the thread sees the flag).
        self.destroyed.connect(lambda _o=None, stop=self._stop: stop.set())

    # --- the feed's thread ----------------------------------------------------------------

    def start(self) -> None:
        """Start following the database (once); presence is read at once and then regularly."""
        if self._thread is not None:
            return
        self._stop.clear()
        bridge, ws, stop = self.bridge, self.ws, self._stop

        def run() -> None:
            try:
                follow(ws, stop, lambda changes: bridge.post(ChangesCommitted(tuple(changes))),
                       lambda up: bridge.post(FeedState(up)))
            except Exception:  # never silently: the window falls back to its minute's refresh
                log.exception("the change feed stopped")

        self._thread = threading.Thread(target=run, name="reglament-changes", daemon=True)
        self._thread.start()
        self.presence_timer.start()
        self.read_presence()

        def tidy() -> None:
            prune(ws.db)
            presence.sweep(ws)

        self.runner.write(tidy, None, lambda exc: log.info("change log not pruned: %s", exc))

    def stop(self) -> None:
        self._stop.set()
        self.presence_timer.stop()
        self.apply_timer.stop()
        self.view_timer.stop()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def _feed_state(self, event: FeedState) -> None:
        was, self.following = self.following, event.following
        if not event.following:  # worded when shown, in the language of the moment
            self.paused_label.setText(QCoreApplication.translate(
                "Main", "Live updates paused: waiting for the database"))
        self.paused_label.setVisible(not event.following)
        if was and not event.following:
            log.info("change feed waiting for the database")

    # --- applying ---------------------------------------------------------------------------

    def _arrived(self, event: ChangesCommitted) -> None:
        self._pending.extend(event.changes)
        if not self.apply_timer.isActive():
            self.apply_timer.start()

    def apply(self) -> None:
        """One pass over everything that arrived since the last (see the module's note)."""
        changes, self._pending = self._pending, []
        if not changes:
            return
        self.passes += 1
        self.seen.extend(changes)
        del self.seen[:-1000]
        if any(c.what in PRESENCE for c in changes):
            self.read_presence()
        edits = [c for c in changes if c.what not in PRESENCE]
        if not edits:
            return
        ids = {c.ticket_id for c in edits if c.ticket_id is not None}
        self._reread_rows(ids)
        wait_ms = int(VIEW_MIN_MS - (time.monotonic() - self._view_read_at) * 1000)
        if wait_ms <= 0:
            self._refresh_view()
        elif not self.view_timer.isActive():
            self.view_timer.start(wait_ms)
        self._detail(edits)
        entry = getattr(self.window, "dashboard_entry", None)
        dashboard = entry.dashboard if entry is not None else None
        if dashboard is not None and dashboard.isVisible():
            dashboard.refresh()

    def _refresh_view(self) -> None:
        """The view's ids (a row may have entered or left it) and the counts; the rows on
        screen are not read again for it."""
        self._view_read_at = time.monotonic()
        self.window.queue.refresh(reread=False)

    def _reread_rows(self, ids: set[int]) -> None:
        queue = self.window.queue
        model = queue.model
        loaded = sorted(i for i in ids if (row := model.row_of(i)) is not None and model.line(row) is not None)
        if not loaded:
            return
        ws, lang, book = self.ws, i18n.current(), model.sla_book()

        def done(lines: dict[int, QueueLine]) -> None:
            model.put_lines(lines)

        self.runner.read(lambda: queue_reads.fetch_page(ws, loaded, lang, book), done,
                         lambda exc: log.info("changed rows not read: %s", exc))

    def _detail(self, edits: list[Change]) -> None:
        detail = self.window.detail
        data = detail.data
        if data is None:
            return
        mine = [c for c in edits if c.ticket_id == data.id]
        others = [c.who for c in mine if c.who != self.ws.actor]
        if not others:
            return  # this workstation's own action reloads the ticket itself
        if self.writing():
            detail.show_changed([self.name_of(login) for login in others])
        else:
            detail.reload()

    def name_of(self, login: str) -> str:
        """An agent's name as the team knows it ("Boris"), the login when it is not known."""
        choices = self.window.ticket_actions.choices
        for agent in choices.agents if choices is not None else ():
            if agent.code == login:
                return agent.label(i18n.current())
        return login

    # --- the agent writing ------------------------------------------------------------------

    def _dialog_opened(self, dialog: object) -> None:
        if isinstance(dialog, QDialog):
            self._dialogs.append(dialog)
            dialog.finished.connect(lambda _r, d=dialog: self._dialog_closed(d))

    def _dialog_closed(self, dialog: QDialog) -> None:
        if dialog in self._dialogs:
            self._dialogs.remove(dialog)

    def writing(self) -> bool:
        """A reply, a note or another form about the open ticket is open: its text is the
        agent's, and the ticket under it is not reloaded."""
        return any(d.isVisible() for d in self._dialogs)

    # --- presence ---------------------------------------------------------------------------

    def read_presence(self) -> None:
        if self._presence_pending:
            return
        self._presence_pending = True
        ws = self.ws

        def done(found: dict[int, tuple[str, ...]]) -> None:
            self._presence_pending = False
            self.show_presence(found)

        def failed(exc: BaseException) -> None:
            self._presence_pending = False
            log.info("presence not read: %s", exc)

        self.runner.read(lambda: presence.replying(ws), done, failed)

    def show_presence(self, found: dict[int, tuple[str, ...]]) -> None:
        self.replying = found
        self.window.queue.model.set_presence({i: replying_text(names) for i, names in found.items()})
        self._show_detail_presence()

    def _show_detail_presence(self) -> None:
        detail = self.window.detail
        if detail.data is not None:
            detail.set_replying(self.replying.get(detail.data.id, ()))
