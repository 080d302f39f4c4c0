"""Where the composer lives: under the thread of the ticket on show, one at a time.

Reply (Ctrl+R) opens it for the ticket on show, with the cursor in the text. Choosing another
ticket, or closing the window, puts it away with its draft kept — nothing typed is lost — and
coming back to a ticket with a draft of this agent opens the composer again with the draft
(after a restart or a crash too), without taking the keyboard from the queue.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QAbstractItemView, QApplication, QSplitter

from desktop.services.composer import drafts
from desktop.services.workspace import Workspace
from ui.composer.widget import ReplyComposer
from ui.ticket_detail import TicketDetail
from ui.workers import Runner

#: The share of the queue/detail splitter the detail takes while a reply is being written.
WRITING_SHARE = 0.68


class ComposerHost(QObject):
    """Opens, restores and puts away the composer of the ticket on show."""

    #: A reply went out or collided: the ticket's TID, for the window to reload it.
    changed = Signal(str)
    #: The composer was opened (for tests and the window's "dialog opened" listeners).
    opened = Signal(object)

    def __init__(self, parent: QObject, runner: Runner, ws: Workspace, detail: TicketDetail,
                 manage_canned: Callable[[], QObject | None] | None = None) -> None:
        super().__init__(parent)
        self.runner, self.ws, self.detail = runner, ws, detail
        self.manage_canned = manage_canned
        self.composer: ReplyComposer | None = None
        self._room: tuple[list[int], list[int]] | None = None  # the sizes before, and as grown
        detail.loaded.connect(self._ticket_loaded)

    def open(self, focus: bool = True) -> ReplyComposer | None:
        """The composer for the ticket on show (the one already open, or a new one)."""
        page = self.detail.data
        if page is None:
            return None
        if self.composer is not None and self.composer.tid == page.tid:
            if focus:
                self.composer.focus_body()
            return self.composer
        self.put_away()
        composer = ReplyComposer(None, self.runner, self.ws, page)
        composer.sent.connect(self.changed)
        composer.collision.connect(self.changed)
        composer.closed.connect(lambda _tid, c=composer: self._closed(c))
        composer.manageCanned.connect(lambda c=composer: self._manage(c))
        self.composer = composer
        self._make_room()
        self.detail.add_composer(composer)
        if focus:
            composer.focus_body()
        self.opened.emit(composer)
        return composer

    def put_away(self) -> None:
        """Close the composer keeping its draft (another ticket chosen, the window closing)."""
        if self.composer is not None:
            self.composer.close_keep()

    def _closed(self, composer: ReplyComposer) -> None:
        if self.composer is composer:
            self.composer = None
        focused = QApplication.focusWidget()
        had_focus = focused is not None and composer.isAncestorOf(focused)
        composer.hide()
        composer.setParent(None)
        self._give_room_back()
        composer.deleteLater()
        if had_focus:
            self.detail.thread_view.setFocus()

    def _make_room(self) -> None:
        """Writing needs height: the detail pane grows to :data:`WRITING_SHARE` of the queue's
        splitter while the composer is open, and gets its own size back when it closes (unless
        the agent moved the splitter meanwhile)."""
        split = self.detail.parentWidget()
        if not isinstance(split, QSplitter) or self._room is not None or split.count() != 2:
            return
        sizes, at = split.sizes(), split.indexOf(self.detail)
        total = sum(sizes)
        if total <= 0 or sizes[at] >= total * WRITING_SHARE:
            return
        grown = [int(total * WRITING_SHARE) if n == at else total - int(total * WRITING_SHARE) for n in range(2)]
        split.setSizes(grown)
        self._room = (sizes, split.sizes())
        # The queue above got shorter: its chosen row stays in sight.
        above = split.widget(1 - at)
        queue = above.findChild(QAbstractItemView) if above is not None else None
        if queue is not None and queue.currentIndex().isValid():
            queue.scrollTo(queue.currentIndex())

    def _give_room_back(self) -> None:
        split, room = self.detail.parentWidget(), self._room
        self._room = None
        if isinstance(split, QSplitter) and room is not None and split.sizes() == room[1]:
            split.setSizes(room[0])

    def _ticket_loaded(self, tid: str) -> None:
        if self.composer is not None and self.composer.tid != tid:
            self.put_away()
        if self.composer is not None:
            return
        ws = self.ws
        self.runner.read(lambda: drafts.load(ws, tid), lambda d: self._restore(tid, d))

    def _restore(self, tid: str, draft: drafts.ReplyDraft | None) -> None:
        page = self.detail.data
        if draft is None or draft.is_empty() or self.composer is not None or page is None or page.tid != tid:
            return
        self.open(focus=False)

    def _manage(self, composer: ReplyComposer) -> None:
        dialog = self.manage_canned() if self.manage_canned is not None else None
        finished = getattr(dialog, "finished", None)
        if finished is not None:
            finished.connect(lambda _r=0: None if composer is not self.composer else composer.reload_canned())
