"""Fixing a thread and a duplicate from the window (R-MAIL-3, R-TICKET-5): confirm a stranger's
message, move a message to another ticket or into a new one, compare a possible duplicate with
its likely original and merge it, or say it is none.

Reached three ways, all by keyboard too: the notices above the thread (``ui.thread_notices``),
each message's "Message actions…" link in the thread (Tab, Enter), and the Ticket menu's
actions with their shortcuts. Every change goes to the write lane through the ticket actions'
``_run`` with the version the agent saw; nothing here touches the database on the GUI thread.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, QPoint, Qt
from PySide6.QtGui import QAction, QCursor, QKeySequence
from PySide6.QtWidgets import QDialog, QMenu

from desktop.domain.tickets import Flag, Status
from desktop.services import tickets
from desktop.services.reads.message_moves import move_choices
from desktop.services.reads.ticket_page import TicketPage
from ui.dialogs.compare import CompareWindow
from ui.dialogs.merge import open_merge
from ui.dialogs.move_message import MoveMessageDialog
from ui.thread_notices import unconfirmed

if TYPE_CHECKING:
    from ui.actions import TicketActions
    from ui.ticket_detail import TicketDetail

#: (key, shortcut) of the Ticket menu's entries, in order.
SPECS = (("confirm_thread", "Ctrl+Alt+C"), ("move_message", "Ctrl+Alt+M"),
         ("split_message", "Ctrl+Alt+N"), ("compare_duplicate", "Ctrl+Alt+D"))


def title(key: str) -> str:
    return {
        "confirm_thread": QCoreApplication.translate("ThreadFix", "Confirm thread"),
        "move_message": QCoreApplication.translate("ThreadFix", "Move message to ticket…"),
        "split_message": QCoreApplication.translate("ThreadFix", "Split message into new ticket…"),
        "compare_duplicate": QCoreApplication.translate("ThreadFix", "Compare with likely original"),
    }[key]


class ThreadFix(QObject):
    def __init__(self, host: TicketActions, detail: TicketDetail) -> None:
        super().__init__(host)
        self.host, self.detail = host, detail
        self.page: TicketPage | None = None
        self.menu: QMenu | None = None
        self.compare: CompareWindow | None = None
        self.actions: dict[str, QAction] = {}
        for key, shortcut in SPECS:
            act = QAction(host.window)
            act.setObjectName(f"action_{key}")
            act.setShortcut(QKeySequence(shortcut))
            self.actions[key] = act
        self.actions["confirm_thread"].triggered.connect(lambda: self.confirm())
        self.actions["move_message"].triggered.connect(lambda: self.move())
        self.actions["split_message"].triggered.connect(lambda: self.move(new=True))
        self.actions["compare_duplicate"].triggered.connect(lambda: self.open_compare())
        n = detail.notices
        n.confirmRequested.connect(self.confirm)
        n.moveRequested.connect(self.move)
        n.splitRequested.connect(lambda mid: self.move(mid, new=True))
        n.compareRequested.connect(self.open_compare)
        n.mergeRequested.connect(lambda tid: self.merge(tid or None))
        n.notDuplicateRequested.connect(self.not_duplicate)
        detail.messageMenuRequested.connect(self.message_menu)
        detail.loaded.connect(lambda _tid: self.set_ticket(detail.data))
        self.retranslate()
        self.set_ticket(None)

    def retranslate(self) -> None:
        for key, act in self.actions.items():
            act.setText(title(key))
            act.setToolTip(f"{title(key).rstrip('…')} ({act.shortcut().toString(QKeySequence.SequenceFormat.NativeText)})")

    def set_ticket(self, page: TicketPage | None) -> None:
        self.page = page
        live = page is not None and Status(page.status) is not Status.DUPLICATE
        self.actions["confirm_thread"].setEnabled(bool(page and unconfirmed(page)))
        self.actions["move_message"].setEnabled(live)
        self.actions["split_message"].setEnabled(live)
        self.actions["compare_duplicate"].setEnabled(bool(page and page.duplicate_candidate))

    # --- the changes -------------------------------------------------------------------------

    def confirm(self, message_id: int | None = None) -> None:
        page = self.page
        if page is None:
            return
        waiting = unconfirmed(page)
        if message_id is None and waiting:
            message_id = waiting[0].id
        if message_id is None:
            return
        ws, tid, v, mid = self.host.ws, page.tid, page.version, message_id
        self.host._run(lambda: tickets.confirm_thread(ws, tid, mid, expected_version=v), tid)

    def move(self, message_id: int | None = None, new: bool = False) -> QDialog | None:
        """The move dialog on a message: the one given, else the first waiting for confirmation,
        else the newest from the client."""
        page = self.page
        if page is None or not page.thread:
            return None
        if message_id is None:
            waiting = unconfirmed(page)
            incoming = [m for m in page.thread if m.direction == "in"]
            message_id = (waiting or incoming[-1:] or list(page.thread[-1:]))[0].id
        dlg = MoveMessageDialog(self.host.window, page, message_id, new)
        ws, tid, v = self.host.ws, page.tid, page.version

        def read_choices() -> None:
            mid = dlg.message_id()
            self.host.runner.read(lambda: move_choices(ws, mid), dlg.set_choices, self.host._failed)

        dlg.message_combo.currentIndexChanged.connect(lambda _i: read_choices())
        read_choices()

        def go() -> None:
            mid = dlg.message_id()
            if dlg.is_new():
                subject = dlg.subject.text().strip() or None
                self.host._run(lambda: tickets.move_to_new(ws, mid, subject, expected_version=v), tid, created=True)
            else:
                target = dlg.target_tid()
                self.host._run(lambda: tickets.move_message(ws, mid, target, expected_version=v), tid)

        return self.host._open(dlg, go)

    def merge(self, into: str | None = None) -> QDialog | None:
        return open_merge(self.host, into)

    def not_duplicate(self) -> None:
        if self.page is not None:
            ws, tid = self.host.ws, self.page.tid
            self.host._run(lambda: tickets.set_flag(ws, tid, Flag.POSSIBLE_DUPLICATE, False), tid)

    def open_compare(self, original: str | None = None) -> CompareWindow | None:
        page = self.page
        if page is None:
            return None
        original = original or (page.duplicate_candidate.tid if page.duplicate_candidate else None)
        if not original:
            return None
        win = CompareWindow(self.host.window, self.host.runner, self.host.ws, page.tid, original)
        win.mergeRequested.connect(lambda tid: self.merge(tid))
        win.show()
        self.compare = win
        return win

    # --- one message ---------------------------------------------------------------------------

    def message_menu(self, message_id: int, at: QPoint | None = None) -> QMenu | None:
        """What can be done with one message of the thread (its "Message actions…" link)."""
        page = self.page
        if page is None or Status(page.status) is Status.DUPLICATE:
            return None
        tr = QCoreApplication.translate
        menu = QMenu(self.detail)
        menu.setObjectName("message_menu")
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        if any(m.id == message_id for m in unconfirmed(page)):
            menu.addAction(tr("ThreadFix", "Confirm it belongs here"), lambda: self.confirm(message_id))
        menu.addAction(tr("ThreadFix", "Move to ticket…"), lambda: self.move(message_id))
        menu.addAction(tr("ThreadFix", "Split into new ticket…"), lambda: self.move(message_id, new=True))
        menu.popup(at if at is not None else self._menu_point())
        self.menu = menu
        return menu

    def _menu_point(self) -> QPoint:
        """Under the mouse when the link was clicked, under the link when Enter opened it."""
        view = self.detail.thread_view
        pointer = QCursor.pos()
        if view.viewport().rect().contains(view.viewport().mapFromGlobal(pointer)):
            return pointer
        return view.viewport().mapToGlobal(view.cursorRect().bottomLeft())
