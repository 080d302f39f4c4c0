"""The notices above the thread: a stranger's message to confirm, and the likely original of a
possible duplicate — each saying *why*, with its buttons (R-MAIL-3, R-TICKET-5).

Pure widgets painting the ticket page they are given; what a button does is decided by whoever
listens to the signals (``ui.thread_fix``), so the pane itself stays a pane.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QCoreApplication, Qt, Signal, SignalInstance
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from desktop.domain.tickets import Status, status_name
from desktop.services.reads.ticket_page import PageMessage, TicketPage
from ui import i18n
from ui.thread_html import local_time

#: Readable on a light and on a dark window alike: the box sets its own text colour.
NOTICE_STYLE = ("QFrame#{name} {{ background: #fff4d6; border: 1px solid #e0c060; border-radius: 4px; }}"
                " QFrame#{name} QLabel {{ color: #3d2f00; }}")


def unconfirmed(page: TicketPage) -> list[PageMessage]:
    """The messages of the thread still waiting for the agent's confirmation, oldest first."""
    return [m for m in page.thread if m.threaded_by == "tid_unconfirmed"]


def why_unconfirmed(page: TicketPage, m: PageMessage, waiting: int) -> str:
    """Why the message is in this ticket and why it is not taken as the client's, in words."""
    tr = QCoreApplication.translate
    who = f"{m.from_name} <{m.sender}>" if m.from_name and m.from_name != m.sender else m.sender
    text = tr("Notices", "A message from {0} ({1}) joined this ticket because its subject “{2}” names "
                         "{3}, but the sender is neither the requester ({4})").format(
        who or "—", local_time(m.date), m.subject, page.tid, page.requester)
    text += (tr("Notices", " nor an address of the client {0}.").format(page.client) if page.client
             else tr("Notices", " nor of a known client."))
    text += " " + tr("Notices", "Confirm that it belongs here, move it to the ticket it belongs to, or split it "
                                "into a new ticket of its sender's own client.")
    if waiting > 1:
        text += " " + tr("Notices", "({0} messages to check.)").format(waiting)
    return text


def _button(parent: QWidget, name: str) -> QPushButton:
    b = QPushButton(parent)
    b.setObjectName(name)
    b.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    return b


def _box(parent: QWidget, name: str) -> tuple[QFrame, QLabel, QHBoxLayout]:
    box = QFrame(parent)
    box.setObjectName(name)
    box.setStyleSheet(NOTICE_STYLE.format(name=name))
    lay = QVBoxLayout(box)
    lay.setContentsMargins(8, 6, 8, 6)
    lay.setSpacing(4)
    label = QLabel(box)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.RichText)
    lay.addWidget(label)
    row = QHBoxLayout()
    row.setSpacing(6)
    lay.addLayout(row)
    box.hide()
    return box, label, row


class TicketNotices(QWidget):
    """Both notices; hidden when the ticket needs neither."""

    confirmRequested = Signal(int)  # message id
    moveRequested = Signal(int)
    splitRequested = Signal(int)
    compareRequested = Signal(str)  # the likely original's TID
    mergeRequested = Signal(str)  # the likely original's TID, or "" when none is known
    notDuplicateRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ticket_notices")
        self.page: TicketPage | None = None
        self.message: PageMessage | None = None
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(4)
        self.thread_box, self.thread_label, row = _box(self, "thread_notice")
        self.confirm_button = _button(self.thread_box, "confirm_thread")
        self.move_button = _button(self.thread_box, "move_message")
        self.split_button = _button(self.thread_box, "split_message")
        for b in (self.confirm_button, self.move_button, self.split_button):
            row.addWidget(b)
        row.addStretch(1)
        self.confirm_button.clicked.connect(lambda: self._message_signal(self.confirmRequested))
        self.move_button.clicked.connect(lambda: self._message_signal(self.moveRequested))
        self.split_button.clicked.connect(lambda: self._message_signal(self.splitRequested))
        lay.addWidget(self.thread_box)
        self.dup_box, self.dup_label, row = _box(self, "duplicate_notice")
        self.compare_button = _button(self.dup_box, "compare_duplicate")
        self.merge_button = _button(self.dup_box, "merge_duplicate")
        self.not_dup_button = _button(self.dup_box, "not_duplicate")
        for b in (self.compare_button, self.merge_button, self.not_dup_button):
            row.addWidget(b)
        row.addStretch(1)
        self.compare_button.clicked.connect(lambda: self._candidate_signal(self.compareRequested))
        self.merge_button.clicked.connect(lambda: self._candidate_signal(self.mergeRequested))
        self.not_dup_button.clicked.connect(self.notDuplicateRequested)
        lay.addWidget(self.dup_box)
        self.hide()

    def _message_signal(self, signal: SignalInstance) -> None:
        if self.message is not None:
            signal.emit(self.message.id)

    def _candidate_signal(self, signal: SignalInstance) -> None:
        candidate = self.page.duplicate_candidate if self.page is not None else None
        signal.emit(candidate.tid if candidate is not None else "")

    def show_for(self, page: TicketPage) -> None:
        """Paint the notices ``page`` needs (in the current language)."""
        tr = QCoreApplication.translate
        self.page = page
        waiting = unconfirmed(page)
        self.message = waiting[0] if waiting else None
        if self.message is not None:
            self.thread_label.setText("<b>" + html.escape(tr("Notices", "Confirm the thread")) + "</b> — "
                                      + html.escape(why_unconfirmed(page, self.message, len(waiting))))
            self.confirm_button.setText(tr("Notices", "Confirm thread"))
            self.move_button.setText(tr("Notices", "Move to ticket…"))
            self.split_button.setText(tr("Notices", "Split into new ticket…"))
        self.thread_box.setVisible(self.message is not None)

        marked = "possible_duplicate" in page.flags and Status(page.status) is not Status.DUPLICATE
        candidate = page.duplicate_candidate
        if marked:
            if candidate is not None:
                lang = i18n.current()
                text = tr("Notices", "Possible duplicate of {0} “{1}” ({2}, received {3}): the same client, a "
                                     "similar subject and a similar text.").format(
                    candidate.tid, candidate.subject, status_name(candidate.status, lang),
                    local_time(candidate.received_at))
                self.merge_button.setText(tr("Notices", "Merge into {0}…").format(candidate.tid))
            else:
                text = tr("Notices", "Marked as a possible duplicate, but no open ticket of this client is "
                                     "like it now.")
                self.merge_button.setText(tr("Notices", "Merge into…"))
            self.dup_label.setText(html.escape(text))
            self.compare_button.setText(tr("Notices", "Compare side by side"))
            self.not_dup_button.setText(tr("Notices", "Not a duplicate"))
        self.compare_button.setVisible(candidate is not None)
        self.dup_box.setVisible(marked)
        self.setVisible(self.message is not None or marked)
