"""A possible duplicate and its likely original side by side (R-TICKET-5): both threads in one
non-modal window, so the agent can read, scroll and decide while the queue stays usable.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.tickets import status_name
from desktop.services.reads.ticket_page import TicketPage, read_ticket_page
from desktop.services.workspace import Workspace
from ui import i18n
from ui.errors import show_error
from ui.thread_html import local_time, render_thread
from ui.workers import Runner


def head_html(page: TicketPage, lang: str) -> str:
    tr = QCoreApplication.translate
    facts = " · ".join([
        status_name(page.status, lang, page.archived),
        page.client or tr("Compare", "client not identified"),
        tr("Compare", "received {0}").format(local_time(page.received_at)),
        tr("Compare", "{0} messages").format(len(page.thread)),
    ])
    return f"<b>{html.escape(page.tid)}</b> — {html.escape(page.subject)}<br><span>{html.escape(facts)}</span>"


class CompareWindow(QDialog):
    """The duplicate on the left, the original on the right; "Merge" asks to merge them."""

    mergeRequested = Signal(str)  # the original's TID

    def __init__(self, parent: QWidget | None, runner: Runner, ws: Workspace, tid: str, original: str) -> None:
        super().__init__(parent)
        self.setObjectName("compare_window")
        self.setModal(False)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.runner, self.ws, self.tids = runner, ws, (tid, original)
        self.pages: dict[str, TicketPage] = {}
        tr = QCoreApplication.translate
        self.setWindowTitle(tr("Compare", "{0} and {1} side by side").format(tid, original))
        lay = QVBoxLayout(self)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        self.heads: list[QLabel] = []
        self.threads: list[QTextBrowser] = []
        for name in ("duplicate", "original"):
            side = QWidget(split)
            side_lay = QVBoxLayout(side)
            side_lay.setContentsMargins(0, 0, 0, 0)
            head = QLabel(side)
            head.setObjectName(f"compare_{name}_head")
            head.setWordWrap(True)
            head.setTextFormat(Qt.TextFormat.RichText)
            view = QTextBrowser(side)
            view.setObjectName(f"compare_{name}")
            view.setOpenLinks(False)
            side_lay.addWidget(head)
            side_lay.addWidget(view, 1)
            split.addWidget(side)
            self.heads.append(head)
            self.threads.append(view)
        lay.addWidget(split, 1)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.merge_button = QPushButton(tr("Compare", "Merge {0} into {1}…").format(tid, original), self)
        self.merge_button.setObjectName("compare_merge")
        self.buttons.addButton(self.merge_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.rejected.connect(self.close)
        self.merge_button.clicked.connect(self._merge)
        lay.addWidget(self.buttons)
        self.resize(1100, 640)
        for n, t in enumerate(self.tids):
            self.heads[n].setText(html.escape(tr("Compare", "Reading {0}…").format(t)))
            self._read(n, t)

    def _read(self, n: int, tid: str) -> None:
        ws, lang = self.ws, i18n.current()

        def shown(page: TicketPage) -> None:
            self._shown(n, page)

        def failed(exc: BaseException) -> None:
            show_error(self, exc)

        self.runner.read(lambda: read_ticket_page(ws, tid, lang), shown, failed)

    def _merge(self) -> None:
        self.mergeRequested.emit(self.tids[1])
        self.close()

    def _shown(self, n: int, page: TicketPage) -> None:
        self.pages[page.tid] = page
        self.heads[n].setText(head_html(page, i18n.current()))
        markup, _ = render_thread(page.thread, page.html_bodies)
        self.threads[n].setHtml(markup)
