"""The ticket pane: header with status, plan and deadlines, the thread, client card, history,
notes and work log (R-UI-1, R-SLA-4a).

Everything shown is the ticket's page (``desktop.services.reads.ticket_page``), read in one
background task in a few statements and handed over as frozen, typed data; the pane only paints
it — the header through ``ui.detail_header``, the client card and history through
``ui.detail_side``, the thread through ``ui.thread_html`` — and opens or saves attachments.
"""

from __future__ import annotations

import html
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QPoint, Qt, QUrl, Signal
from PySide6.QtGui import QCursor, QDesktopServices
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QStyle,
    QTabWidget,
    QTextBrowser,
    QToolBar,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.mail.sanitize import safe_filename
from desktop.services import attachments as attachment_files
from desktop.services.reads.ticket_page import (
    Countdowns,
    TicketPage,
    read_ticket_page,
    read_ticket_page_of,
)
from desktop.services.workspace import Workspace
from ui import i18n
from ui.countdown import MUTED, is_dark
from ui.detail_acts import ActsPanel
from ui.detail_header import deadlines_html, meta_html, title_text
from ui.detail_side import autoreply_text, card_html, history_text
from ui.errors import show_error
from ui.thread_html import AttachmentRef, local_time, render_thread
from ui.thread_notices import TicketNotices
from ui.workers import Runner


def replying_text(names: tuple[str, ...]) -> str:
    """"Anna is replying" / "Anna, Boris are replying", for the detail and the queue row."""
    if len(names) == 1:
        return QCoreApplication.translate("Detail", "{0} is replying").format(names[0])
    return QCoreApplication.translate("Detail", "{0} are replying").format(", ".join(names))


class TicketDetail(QWidget):
    explainRequested = Signal(str, str)  # tid, target kind
    messageMenuRequested = Signal(int)  # a message's "Message actions…" link (ui.thread_fix)
    loaded = Signal(str)

    def __init__(self, runner: Runner, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner, self.ws = runner, ws
        self.data: TicketPage | None = None
        self._attachments: list[AttachmentRef] = []
        self._pending: str | int | None = None  # the TID, or a queue row's ticket id
        #: The last non-blocking notice (no viewer, refused type), kept for tests and to close it.
        self.notice: QMessageBox | None = None
        self.attachment_menu: QMenu | None = None

        self.stack = QStackedWidget(self)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.stack)

        self.empty = QLabel(self)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setStyleSheet(MUTED + "; font-size: 12pt")
        self.stack.addWidget(self.empty)

        page = QWidget(self)
        lay = QVBoxLayout(page)
        lay.setContentsMargins(8, 6, 8, 4)
        lay.setSpacing(4)
        # A colleague changed the ticket while the agent writes about it: said, not reloaded.
        self.changed_label = QLabel(page)
        self.changed_label.setObjectName("detail_changed")
        self.changed_label.setTextFormat(Qt.TextFormat.RichText)
        self.changed_label.setStyleSheet("background: palette(highlight); color: palette(highlighted-text);"
                                         " padding: 3px 6px; border-radius: 3px")
        self.changed_label.linkActivated.connect(lambda _link: self.reload())
        self.changed_label.hide()
        lay.addWidget(self.changed_label)
        self.replying_label = QLabel(page)
        self.replying_label.setObjectName("detail_replying")
        self.replying_label.setStyleSheet("font-weight: 600")
        self.replying_label.hide()
        lay.addWidget(self.replying_label)
        self.replying: tuple[str, ...] = ()
        self.title = QLabel(page)
        self.title.setObjectName("detail_title")
        self.title.setWordWrap(True)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.title.setStyleSheet("font-size: 13pt; font-weight: 600")
        lay.addWidget(self.title)
        self.out_of_view = QLabel(page)
        self.out_of_view.setObjectName("out_of_view")
        self.out_of_view.setWordWrap(True)
        self.out_of_view.setStyleSheet(MUTED)
        self.out_of_view.hide()
        lay.addWidget(self.out_of_view)
        self.meta = QLabel(page)
        self.meta.setObjectName("detail_meta")
        self.meta.setWordWrap(True)
        self.meta.setTextFormat(Qt.TextFormat.RichText)
        lay.addWidget(self.meta)
        self.loop_counts = QLabel(page)  # the loop breaker's counts for this sender (R-MAIL-4)
        self.loop_counts.setObjectName("detail_autoreplies")
        self.loop_counts.setWordWrap(True)
        self.loop_counts.hide()
        lay.addWidget(self.loop_counts)
        self.deadlines = QLabel(page)
        self.deadlines.setObjectName("detail_deadlines")
        self.deadlines.setTextFormat(Qt.TextFormat.RichText)
        self.deadlines.setWordWrap(True)
        self.deadlines.linkActivated.connect(self._deadline_link)
        lay.addWidget(self.deadlines)
        self.acts_panel = ActsPanel(page)  # paid work, the act, rework countdowns (ui.detail_acts)
        lay.addWidget(self.acts_panel)
        self.toolbar = QToolBar(page)
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.toolbar.setObjectName("ticket_toolbar")
        lay.addWidget(self.toolbar)

        self.notices = TicketNotices(page)  # a thread to confirm, a likely original (ui.thread_fix)
        lay.addWidget(self.notices)
        self.split = QSplitter(Qt.Orientation.Horizontal, page)
        self.split.setObjectName("detail_split")
        left = QWidget(self.split)
        left_lay = QVBoxLayout(left)
        left_lay.setContentsMargins(0, 0, 0, 0)
        left_lay.setSpacing(2)
        self.thread_view = QTextBrowser(left)
        self.thread_view.setObjectName("thread")
        self.thread_view.setOpenLinks(False)
        self.thread_view.setOpenExternalLinks(False)
        self.thread_view.anchorClicked.connect(self._anchor)
        # The reply composer (ui.composer) opens under the thread, resizable against it.
        self.thread_split = QSplitter(Qt.Orientation.Vertical, left)
        self.thread_split.setObjectName("thread_split")
        self.thread_split.setChildrenCollapsible(False)
        self.thread_split.addWidget(self.thread_view)
        left_lay.addWidget(self.thread_split, 1)
        self.attachment_bar = QWidget(left)
        bar = QHBoxLayout(self.attachment_bar)
        bar.setContentsMargins(0, 0, 0, 0)
        self.attachment_list = QListWidget(self.attachment_bar)
        self.attachment_list.setObjectName("attachments")
        self.attachment_list.setFlow(QListWidget.Flow.LeftToRight)
        self.attachment_list.setWrapping(False)
        self.attachment_list.setFixedHeight(self.fontMetrics().height() * 2 + 14)
        self.attachment_list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.attachment_list.itemDoubleClicked.connect(
            lambda item: self.open_attachment(int(item.data(Qt.ItemDataRole.UserRole))))
        self.attachment_list.customContextMenuRequested.connect(self._attachment_context_menu)
        self.attachment_list.currentRowChanged.connect(self._attachment_selected)
        bar.addWidget(self.attachment_list, 1)
        self.open_button = QPushButton(self.attachment_bar)
        self.open_button.setObjectName("open_attachment")
        self.open_button.clicked.connect(lambda: self.open_attachment(self._selected_attachment()))
        bar.addWidget(self.open_button)
        self.save_button = QPushButton(self.attachment_bar)
        self.save_button.setObjectName("save_attachment")
        self.save_button.clicked.connect(lambda: self.ask_save_attachment(self._selected_attachment()))
        bar.addWidget(self.save_button)
        left_lay.addWidget(self.attachment_bar)
        self.attachment_bar.hide()
        self.tabs = QTabWidget(self.split)
        self.client_view = QTextBrowser(self.tabs)
        self.client_view.setObjectName("client_card")
        self.history = QTreeWidget(self.tabs)
        self.history.setObjectName("history")
        self.history.setRootIsDecorated(False)
        self.history.setColumnCount(3)
        self.notes = QTextBrowser(self.tabs)
        self.notes.setObjectName("notes")
        self.work = QTreeWidget(self.tabs)
        self.work.setRootIsDecorated(False)
        self.work.setColumnCount(4)
        self.tabs.addTab(self.client_view, "")
        self.tabs.addTab(self.history, "")
        self.tabs.addTab(self.notes, "")
        self.tabs.addTab(self.work, "")
        self.split.addWidget(left)
        self.split.addWidget(self.tabs)
        self.split.setStretchFactor(0, 3)
        self.split.setStretchFactor(1, 2)
        lay.addWidget(self.split, 1)
        self.stack.addWidget(page)
        self.retranslate()
        # Copies opened in an earlier session are no longer needed (read-only, under the data folder).
        self.runner.read(lambda: attachment_files.clean_open_folder(ws))

    def add_composer(self, composer: QWidget) -> None:
        """Show the reply composer under the thread, taking most of the height: the agent
        writes while the newest messages stay in view above."""
        self.thread_split.addWidget(composer)
        total = max(self.thread_split.height(), 300)
        self.thread_split.setSizes([total // 4, total - total // 4])

    def retranslate(self) -> None:
        self.empty.setText(QCoreApplication.translate("Detail", "Choose a ticket in the queue"))
        self.out_of_view.setText(QCoreApplication.translate(
            "Detail", "No longer in this view: it stays here until you choose another ticket"))
        self.tabs.setTabText(0, QCoreApplication.translate("Detail", "Client"))
        self.tabs.setTabText(1, QCoreApplication.translate("Detail", "History"))
        self.tabs.setTabText(2, QCoreApplication.translate("Detail", "Notes"))
        self.tabs.setTabText(3, QCoreApplication.translate("Detail", "Work"))
        self.open_button.setText(QCoreApplication.translate("Detail", "Open"))
        self.save_button.setText(QCoreApplication.translate("Detail", "Save as…"))
        self.attachment_list.setToolTip(QCoreApplication.translate(
            "Detail", "Double-click an attachment to open it"))
        self.history.setHeaderLabels([
            QCoreApplication.translate("Detail", "When"),
            QCoreApplication.translate("Detail", "Who"),
            QCoreApplication.translate("Detail", "What"),
        ])
        self.work.setHeaderLabels([
            QCoreApplication.translate("Detail", "When"),
            QCoreApplication.translate("Detail", "Who"),
            QCoreApplication.translate("Detail", "Work"),
            QCoreApplication.translate("Detail", "Minutes"),
        ])
        self.acts_panel.retranslate()
        if self.data is not None:
            self._show(self.data)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        elif (event.type() in (QEvent.Type.ApplicationPaletteChange, QEvent.Type.PaletteChange)
              and self.data is not None):
            self._show(self.data)  # the countdown colours follow the palette
        super().changeEvent(event)

    # --- loading ---------------------------------------------------------------------------

    def clear(self) -> None:
        self.data = None
        self.changed_label.hide()
        self.set_replying(())
        self._pending = None
        self.out_of_view.hide()
        self.stack.setCurrentIndex(0)

    def shown_id(self) -> int | None:
        """The ticket the agent chose, shown or on its way: the pane stays on it until they
        choose another, whatever the queue does meanwhile."""
        if isinstance(self._pending, int):
            return self._pending
        return self.data.id if self.data is not None else None

    def set_in_view(self, in_view: bool) -> None:
        """Whether the queue's view still holds the ticket on show (taken, closed or filtered
        out, it stays on show with a note instead of the pane jumping to another)."""
        self.out_of_view.setVisible(not in_view and self.shown_id() is not None)

    def load(self, tid: str) -> None:
        self._pending = tid
        ws, lang = self.ws, i18n.current()
        self.runner.read(lambda: read_ticket_page(ws, tid, lang), self._loaded, self._failed)

    def load_id(self, ticket_id: int) -> None:
        """The ticket of a queue row, by its id (known before the row's own text is read)."""
        self._pending = ticket_id
        ws, lang = self.ws, i18n.current()
        self.runner.read(lambda: read_ticket_page_of(ws, ticket_id, lang), self._loaded, self._failed)

    def reload(self) -> None:
        if self.data is not None:
            self.load(self.data.tid)

    def _loaded(self, data: TicketPage) -> None:
        if self._pending not in (data.tid, data.id):
            return  # the agent moved on to another ticket meanwhile
        if self.data is None or self.data.id != data.id:
            self.set_replying(())
        self.changed_label.hide()
        self.data = data
        self._show(data)
        self.loaded.emit(data.tid)

    def _failed(self, exc: BaseException) -> None:
        show_error(self, exc)

    # --- a live team ---------------------------------------------------------------------

    def show_changed(self, names: list[str]) -> None:
        """The ticket changed under the agent's reply or note: offer the reload, do not do it."""
        who = ", ".join(dict.fromkeys(names))
        self.changed_label.setText(QCoreApplication.translate(
            "Detail", "Changed by {0} — <a href=\"reload\">reload</a>").format(html.escape(who)))
        self.changed_label.show()

    def set_replying(self, names: tuple[str, ...]) -> None:
        """Colleagues with a reply open on this ticket ("Anna is replying")."""
        self.replying = names
        if names:
            self.replying_label.setText(replying_text(names))
        self.replying_label.setVisible(bool(names))

    # --- painting --------------------------------------------------------------------------

    def tick(self, tid: str, countdowns: Countdowns) -> None:
        """Fresh countdowns of the ticket on show (the window's tick): the header reads what the
        queue row does instead of the time it was opened."""
        if self.data is None or self.data.tid != tid:
            return
        self.acts_panel.tick(self.ws.now(), i18n.current())  # rework counts down by the clock
        if countdowns == self.data.countdowns:
            return
        self.data = replace(self.data, countdowns=countdowns)
        self._show_deadlines(self.data)

    def _show_deadlines(self, data: TicketPage) -> None:
        # The label's own palette is updated after this widget's on a change: read the window's.
        window = self.palette().color(self.deadlines.backgroundRole())
        self.deadlines.setText(deadlines_html(data.countdowns, data.archived, is_dark(self.palette()), window))

    def _show(self, data: TicketPage) -> None:
        lang = i18n.current()
        dark = is_dark(self.palette())
        self.title.setText(title_text(data))
        self.meta.setText(meta_html(data, lang, dark))
        loops = autoreply_text(data.autoreplies)
        self.loop_counts.setText(loops)
        self.loop_counts.setVisible(bool(loops))
        self._show_deadlines(data)
        self.acts_panel.show_page(data)
        scroll = self.thread_view.verticalScrollBar().value() if self.data is data else 0
        # The whole story in order: the correspondence and the team's internal notes between
        # it, each note set apart in its own colour and saying the client does not see it.
        self.notices.show_for(data)
        markup, self._attachments = render_thread(data.messages, data.html_bodies, actions=True)
        self.thread_view.setHtml(markup)
        self.thread_view.verticalScrollBar().setValue(scroll)
        self._fill_attachment_list()
        self.client_view.setHtml(card_html(data.card, lang, dark))
        self.history.clear()
        for e in reversed(data.history):
            QTreeWidgetItem(self.history, [local_time(e.at), e.actor, history_text(e, lang)])
        for col in range(2):
            self.history.resizeColumnToContents(col)
        notes = data.notes
        notes_html, _ = render_thread(notes, {})
        self.notes.setHtml(notes_html)
        self.tabs.setTabText(2, QCoreApplication.translate("Detail", "Notes ({0})").format(len(notes))
                             if notes else QCoreApplication.translate("Detail", "Notes"))
        self.work.clear()
        for w in data.work:
            QTreeWidgetItem(self.work, [local_time(w.at), w.agent, w.description, str(w.minutes)])
        self.stack.setCurrentIndex(1)

    # --- links -----------------------------------------------------------------------------

    def _deadline_link(self, link: str) -> None:
        if link.startswith("explain:") and self.data is not None:
            self.explainRequested.emit(self.data.tid, link.partition(":")[2])

    def _anchor(self, url: QUrl) -> None:
        if url.scheme() == "attachment":
            self.show_attachment_menu(int(url.path()), QCursor.pos())
        elif url.scheme() == "message":
            self.messageMenuRequested.emit(int(url.path()))
        elif url.scheme() in ("http", "https", "mailto"):
            QDesktopServices.openUrl(url)

    def attachments(self) -> list[AttachmentRef]:
        return list(self._attachments)

    def ask_save_attachment(self, n: int) -> None:
        if not 0 <= n < len(self._attachments):
            return
        ref = self._attachments[n]
        name = safe_filename(ref.filename)
        target, _ = QFileDialog.getSaveFileName(
            self, QCoreApplication.translate("Detail", "Save attachment"), str(Path.home() / name)
        )
        if target:
            self.save_attachment(n, Path(target))

    # --- attachments: open / save --------------------------------------------------------------

    def _fill_attachment_list(self) -> None:
        style = self.style()
        self.attachment_list.clear()
        for n, ref in enumerate(self._attachments):
            icon = style.standardIcon(
                QStyle.StandardPixmap.SP_MessageBoxWarning
                if attachment_files.is_runnable(ref.filename, ref.content_type)
                else QStyle.StandardPixmap.SP_FileIcon)
            item = QListWidgetItem(icon, safe_filename(ref.filename), self.attachment_list)
            item.setData(Qt.ItemDataRole.UserRole, n)
        self.attachment_bar.setVisible(bool(self._attachments))
        self._attachment_selected(self.attachment_list.currentRow())

    def _attachment_selected(self, row: int) -> None:
        self.open_button.setEnabled(row >= 0)
        self.save_button.setEnabled(row >= 0)

    def _selected_attachment(self) -> int:
        item = self.attachment_list.currentItem()
        return int(item.data(Qt.ItemDataRole.UserRole)) if item is not None else -1

    def _attachment_context_menu(self, pos: QPoint) -> None:
        item = self.attachment_list.itemAt(pos)
        if item is not None:
            self.show_attachment_menu(int(item.data(Qt.ItemDataRole.UserRole)),
                                      self.attachment_list.viewport().mapToGlobal(pos))

    def show_attachment_menu(self, n: int, at: QPoint) -> QMenu:
        """Open or Save as… for one attachment (a click on its link in the thread, a right-click
        in the list); shown without blocking, so the window keeps repainting."""
        menu = QMenu(self)
        menu.setObjectName("attachment_menu")
        menu.addAction(QCoreApplication.translate("Detail", "Open"), lambda: self.open_attachment(n))
        menu.addAction(QCoreApplication.translate("Detail", "Save as…"), lambda: self.ask_save_attachment(n))
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.popup(at)
        self.attachment_menu = menu
        return menu

    def open_attachment(self, n: int) -> None:
        """Show the attachment in the system's application for its type — never run it.

        A type that would run as a program is refused with a plain warning (save it instead);
        otherwise a read-only copy is made under the data folder in the background and handed to
        the desktop. If no application is set up for the type, the agent is offered Save as….
        """
        if not 0 <= n < len(self._attachments):
            return
        ref = self._attachments[n]
        name = safe_filename(ref.filename)
        if attachment_files.is_runnable(ref.filename, ref.content_type):
            self._notify(n, QMessageBox.Icon.Warning, QCoreApplication.translate(
                "Detail", "“{0}” could run as a program, so Reglament does not open it. "
                          "Save it and check it before opening it yourself.").format(name))
            return
        ws = self.ws

        def copy() -> Path:
            return attachment_files.copy_for_opening(ws, ref.sha256, ref.filename, ref.content_type)

        def opened(path: Path) -> None:
            if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
                self._notify(n, QMessageBox.Icon.Information, QCoreApplication.translate(
                    "Detail", "No application is set up on this computer to open “{0}”. "
                              "Save it and open it with a program of your choice.").format(name))

        self.runner.read(copy, opened, self._failed)

    def _notify(self, n: int, icon: QMessageBox.Icon, text: str) -> None:
        if self.notice is not None:
            self.notice.close()
        box = QMessageBox(icon, QCoreApplication.translate("Detail", "Attachment"), text,
                          QMessageBox.StandardButton.Cancel, self)
        box.setObjectName("attachment_notice")
        save = box.addButton(QCoreApplication.translate("Detail", "Save as…"),
                             QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(save)
        box.buttonClicked.connect(lambda b: self.ask_save_attachment(n) if b is save else None)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.destroyed.connect(lambda _o=None: setattr(self, "notice", None))
        box.open()
        self.notice = box

    def save_attachment(self, n: int, target: Path) -> None:
        """Copy an attachment out of the blob store (in the background: it may be large)."""
        ref, ws = self._attachments[n], self.ws

        def work() -> Path:
            return attachment_files.save_attachment(ws, ref.sha256, target)

        self.runner.read(work, None, self._failed)
