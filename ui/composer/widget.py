"""The reply composer: inline under the thread, the way Thunderbird and Help Scout answer.

To/Cc/Bcc complete from the ticket's correspondents and the client's people and say what is
wrong with an address as it is typed; the message being answered is quoted below the text
(switchable); canned replies insert with their placeholders filled; files are attached with
their size against the limit. Everything is kept as a draft a moment after the agent stops
typing, in the write lane (never on the window's thread, never racing the send), and comes back
after a crash or a restart. Ctrl+Enter sends; Esc asks before a typed reply is thrown away.
While it is open, colleagues see "… is replying" (a presence claim renewed by a heartbeat).

Sending goes through ``desktop.services.replies.reply`` with the newest message the agent had
on screen: if the client or a colleague wrote since, the service refuses, the composer says who
wrote, the ticket reloads, and the draft stays untouched — a second Send goes through.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QDragEnterEvent, QDropEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.errors import ConflictError
from desktop.services import replies
from desktop.services.composer import addresses, drafts
from desktop.services.composer.quote import Quote, quote_for
from desktop.services.reads.ticket_page import TicketPage
from desktop.services.workspace import Workspace
from ui.composer import canned
from ui.composer.claim import ReplyingClaim
from ui.composer.fields import AddressField
from ui.composer.files import FileList
from ui.countdown import MUTED, state_style
from ui.errors import show_error
from ui.workers import Runner

DRAFT_DELAY_MS = 800

tr = QCoreApplication.translate


class ReplyComposer(QWidget):
    sent = Signal(str)
    collision = Signal(str)
    closed = Signal(str)  # the composer is done (sent, discarded or put away with its draft)
    manageCanned = Signal()

    def __init__(self, parent: QWidget | None, runner: Runner, ws: Workspace, page: TicketPage) -> None:
        super().__init__(parent)
        self.setObjectName("reply_composer")
        self.runner, self.ws, self.tid = runner, ws, page.tid
        self.requester, self.subject = page.requester, page.subject
        self.seen_message_id, self.version = page.newest_message_id, page.version
        self.quote: Quote | None = None
        self.confirm_box: QMessageBox | None = None
        self._canned: list[replies.Canned] = []
        self.language = "ru"  # of the mail to the client; read with the draft
        self._loading, self._finished, self._sending = True, False, False
        self.setAcceptDrops(True)

        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 4, 0, 0)
        lay.setSpacing(4)
        # No title line of its own: the ticket's header above names it, and every line here is
        # a line less for the text at 1280×720. Cc and Bcc open from the end of the To line.
        self.cc_button = QPushButton(self)
        self.cc_button.setObjectName("composer_show_cc")
        self.cc_button.setFlat(True)
        self.cc_button.clicked.connect(lambda: self._show_row("cc", True))
        self.bcc_button = QPushButton(self)
        self.bcc_button.setObjectName("composer_show_bcc")
        self.bcc_button.setFlat(True)
        self.bcc_button.clicked.connect(lambda: self._show_row("bcc", True))

        grid = QGridLayout()
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setVerticalSpacing(2)
        self.fields: dict[str, AddressField] = {}
        self.labels: dict[str, QLabel] = {}
        for row, key in enumerate(("to", "cc", "bcc")):
            label = QLabel(self)
            field = AddressField(self)
            field.setObjectName(f"composer_{key}")
            label.setBuddy(field)
            grid.addWidget(label, row, 0)
            grid.addWidget(field, row, 1)
            field.textChanged.connect(self._changed)
            field.problemChanged.connect(self._check_addresses)
            self.fields[key], self.labels[key] = field, label
        grid.addWidget(self.cc_button, 0, 2)
        grid.addWidget(self.bcc_button, 0, 3)
        grid.setColumnStretch(1, 1)
        lay.addLayout(grid)
        self.problems = QLabel(self)
        self.problems.setObjectName("composer_problems")
        self.problems.setWordWrap(True)
        self.problems.hide()
        lay.addWidget(self.problems)

        tools = QHBoxLayout()
        self.templates = QComboBox(self)
        self.templates.setObjectName("templates")
        self.templates.setMinimumContentsLength(18)
        self.templates.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        tools.addWidget(self.templates, 1)
        self.insert_button = QPushButton(self)
        self.insert_button.clicked.connect(self.insert_template)
        tools.addWidget(self.insert_button)
        self.manage_button = QPushButton(self)
        self.manage_button.setObjectName("composer_manage_canned")
        self.manage_button.clicked.connect(self.manageCanned)
        tools.addWidget(self.manage_button)
        self.placeholders = QPushButton(self)
        menu = QMenu(self.placeholders)
        for name in replies.PLACEHOLDERS:
            act = QAction(f"{{{{ {name} }}}}", menu)
            act.triggered.connect(lambda _c=False, n=name: self._insert(f"{{{{ {n} }}}}"))
            menu.addAction(act)
        self.placeholders.setMenu(menu)
        tools.addWidget(self.placeholders)
        self.quote_box = QCheckBox(self)
        self.quote_box.setObjectName("composer_quote")
        self.quote_box.setChecked(True)
        self.quote_box.toggled.connect(self._quote_toggled)
        tools.addWidget(self.quote_box)
        self.attach_button = QPushButton(self)
        self.attach_button.setObjectName("composer_attach")
        self.attach_button.clicked.connect(self._choose_files)
        tools.addWidget(self.attach_button)
        lay.addLayout(tools)

        self.editor = QPlainTextEdit(self)
        self.editor.setObjectName("reply_text")
        self.editor.setTabChangesFocus(True)
        self.editor.textChanged.connect(self._changed)
        canned.install(self)
        lay.addWidget(self.editor, 3)
        self.quote_view = QPlainTextEdit(self)
        self.quote_view.setObjectName("quote_view")
        self.quote_view.setReadOnly(True)
        self.quote_view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.quote_view.setStyleSheet(MUTED)
        self.quote_view.setMaximumHeight(self.fontMetrics().lineSpacing() * 3 + 12)
        self.quote_view.hide()
        lay.addWidget(self.quote_view, 1)
        self.file_list = FileList(self)
        self.file_list.removed.connect(self.remove_file)

        # The files share the line of the buttons: one line more for the text at 1280×720.
        bottom = QHBoxLayout()
        bottom.addWidget(self.file_list, 2)
        bottom.addSpacing(8)
        self.status = QLabel(self)
        self.status.setObjectName("draft_status")
        self.status.setStyleSheet(MUTED)
        bottom.addWidget(self.status, 1)
        self.discard_button = QPushButton(self)
        self.discard_button.setObjectName("composer_discard")
        self.discard_button.clicked.connect(self.ask_discard)
        bottom.addWidget(self.discard_button)
        self.close_button = QPushButton(self)
        self.close_button.setObjectName("composer_close")
        self.close_button.clicked.connect(self.close_keep)
        bottom.addWidget(self.close_button)
        self.send_button = QPushButton(self)
        self.send_button.setObjectName("send")
        self.send_button.setDefault(True)
        self.send_button.clicked.connect(self.send)
        bottom.addWidget(self.send_button)
        lay.addLayout(bottom)

        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, self.send, context=context)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.escape, context=context)

        self._draft_timer = QTimer(self)
        self._draft_timer.setSingleShot(True)
        self._draft_timer.setInterval(DRAFT_DELAY_MS)
        self._draft_timer.timeout.connect(self.save_draft)
        self.claim = ReplyingClaim(self, runner, ws, self.tid)  # "… is replying" for colleagues
        self._show_row("cc", False)
        self._show_row("bcc", False)
        self.retranslate()
        self._load()

    def retranslate(self) -> None:
        self.cc_button.setText(tr("Composer", "Cc"))
        self.cc_button.setToolTip(tr("Composer", "Add a copy recipient"))
        self.bcc_button.setText(tr("Composer", "Bcc"))
        self.bcc_button.setToolTip(tr("Composer", "Add a blind copy recipient: the others do not see it"))
        for key, text in (("to", tr("Composer", "&To:")), ("cc", tr("Composer", "&Cc:")),
                          ("bcc", tr("Composer", "&Bcc:"))):
            self.labels[key].setText(text)
            self.fields[key].setPlaceholderText(tr("Composer", "addresses, separated by commas"))
        self.templates.setToolTip(tr("Composer", "Canned replies of the team"))
        self.insert_button.setText(tr("Composer", "Insert"))
        self.manage_button.setText(tr("Composer", "Manage…"))
        self.placeholders.setText(tr("Composer", "Placeholder"))
        self.quote_box.setText(tr("Composer", "Quote the message"))
        self.attach_button.setText(tr("Composer", "Attach…"))
        self.editor.setPlaceholderText(tr("Composer", "Write your reply… (Ctrl+Enter sends, Esc closes)"))
        self.discard_button.setText(tr("Composer", "Discard"))
        self.close_button.setText(tr("Composer", "Close"))
        self.close_button.setToolTip(tr("Composer", "Close the reply; the draft is kept for later"))
        self.send_button.setText(tr("Composer", "Send"))
        self.send_button.setToolTip(QKeySequence("Ctrl+Return").toString(QKeySequence.SequenceFormat.NativeText))
        self.file_list.retranslate()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
            self._check_addresses()
        super().changeEvent(event)

    def focus_body(self) -> None:
        self.editor.setFocus(Qt.FocusReason.OtherFocusReason)

    def _show_row(self, key: str, shown: bool) -> None:
        self.labels[key].setVisible(shown)
        self.fields[key].setVisible(shown)
        (self.cc_button if key == "cc" else self.bcc_button).setVisible(not shown)
        if shown and not self._loading:
            self.fields[key].setFocus()

    # --- loading -----------------------------------------------------------------------------

    def _load(self) -> None:
        ws, tid = self.ws, self.tid

        def load() -> tuple[Any, ...]:
            return (drafts.load(ws, tid), replies.canned_responses(ws), replies.ticket_language_of(ws, tid),
                    addresses.contacts(ws, tid), quote_for(ws, tid))

        self.runner.read(load, self._loaded, self._failed)

    def _loaded(self, result: tuple[Any, ...]) -> None:
        if self._finished:
            return
        draft, responses, lang, contacts, quote = result
        self.language = lang
        self._fill_canned(responses, lang)
        for field in self.fields.values():
            field.set_contacts(contacts)
        self._set_quote(quote)
        if draft is not None:
            self.fields["to"].set_addresses(draft.to if draft.to is not None else (self.requester,))
            self.fields["cc"].set_addresses(draft.cc)
            self.fields["bcc"].set_addresses(draft.bcc)
            self.quote_box.setChecked(draft.quote)
            self.file_list.set_files(list(draft.files))
            if not self.editor.toPlainText():
                self.editor.setPlainText(draft.body)
                self.editor.moveCursor(self.editor.textCursor().MoveOperation.End)
            self.status.setText(tr("Composer", "Draft restored"))
        else:
            self.fields["to"].set_addresses((self.requester,) if self.requester else ())
        for key in ("cc", "bcc"):
            if self.fields[key].text():
                self._show_row(key, True)
        self._loading = False
        self._check_addresses()

    def _fill_canned(self, canned: list[replies.Canned], lang: str) -> None:
        # The client's language first: an agent answering in Russian sees Russian ones on top.
        self._canned = sorted(canned, key=lambda c: c.language != lang)
        self.templates.clear()
        for c in self._canned:
            self.templates.addItem(f"{c.name} ({c.language})", c.body)

    def reload_canned(self) -> None:
        ws, tid = self.ws, self.tid
        self.runner.read(lambda: (replies.canned_responses(ws), replies.ticket_language_of(ws, tid)),
                         lambda r: None if self._finished else self._fill_canned(*r))

    def _set_quote(self, quote: Quote) -> None:
        self.quote = quote
        self.quote_view.setPlainText(quote.block)
        self.quote_box.setEnabled(bool(quote.block))
        self._quote_toggled(self.quote_box.isChecked())

    def _quote_toggled(self, on: bool) -> None:
        self.quote_view.setVisible(on and self.quote is not None and bool(self.quote.block))
        self._changed()

    # --- drafts -----------------------------------------------------------------------------

    def draft(self) -> drafts.ReplyDraft:
        return drafts.ReplyDraft(
            body=self.editor.toPlainText(), to=tuple(self.fields["to"].addresses()),
            cc=tuple(self.fields["cc"].addresses()), bcc=tuple(self.fields["bcc"].addresses()),
            quote=self.quote_box.isChecked(), files=tuple(self.file_list.files))

    def is_empty(self) -> bool:
        return self.draft().is_empty()

    def _changed(self) -> None:
        if not self._loading and not self._finished:
            self._draft_timer.start()

    def save_draft(self) -> None:
        self._draft_timer.stop()
        if self._loading:
            return  # nothing of the agent's yet: the stored draft stays as it is
        d, ws, tid = self.draft(), self.ws, self.tid
        self.runner.write(lambda: drafts.save(ws, tid, d), self._draft_saved, self._failed)

    def _draft_saved(self, _r: object) -> None:
        if not self._finished:
            now = self.ws.now().astimezone().strftime("%H:%M")
            self.status.setText(tr("Composer", "Draft saved at {0}").format(now))

    def escape(self) -> None:
        """Esc: an empty composer just closes; a typed reply is not thrown away unasked."""
        if self.is_empty():
            self.discard()
        else:
            self.ask_discard()

    def ask_discard(self) -> QMessageBox:
        box = QMessageBox(QMessageBox.Icon.Question, tr("Composer", "Discard this reply?"),
                          tr("Composer", "What you wrote to {0} will be lost.").format(self.requester),
                          QMessageBox.StandardButton.NoButton, self)
        box.setObjectName("discard_confirm")
        discard = box.addButton(tr("Composer", "Discard"), QMessageBox.ButtonRole.DestructiveRole)
        keep = box.addButton(tr("Composer", "Keep as draft"), QMessageBox.ButtonRole.AcceptRole)
        go_on = box.addButton(tr("Composer", "Continue writing"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(go_on)
        box.setEscapeButton(go_on)

        def chosen(button: object) -> None:
            if button is discard:
                self.discard()
            elif button is keep:
                self.close_keep()
            else:
                self.focus_body()

        box.buttonClicked.connect(chosen)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.destroyed.connect(lambda _o=None: setattr(self, "confirm_box", None))
        box.open()
        self.confirm_box = box
        return box

    def discard(self) -> None:
        self._draft_timer.stop()
        ws, tid = self.ws, self.tid
        self.runner.write(lambda: drafts.discard(ws, tid), None, self._failed)
        self._finish()

    def close_keep(self) -> None:
        """Put the composer away; what was typed stays as the draft (a ticket switch, the window
        closing, Close)."""
        if self._finished:
            return
        if not self._loading:
            self.save_draft()
        self._finish()

    def _finish(self) -> None:
        if self._finished:
            return
        self._finished = True
        self._draft_timer.stop()
        self.claim.release()
        self.closed.emit(self.tid)

    # --- canned replies and files ---------------------------------------------------------------

    def insert_template(self) -> None:
        body = self.templates.currentData()
        if not body:
            return
        ws, tid = self.ws, self.tid
        self.runner.read(lambda: replies.render_canned(ws, tid, str(body)), self._insert, self._failed)

    def _insert(self, text: str) -> None:
        if not self._finished:
            self.editor.insertPlainText(text)
            self.focus_body()

    def _choose_files(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(self, tr("Composer", "Attach files"))
        for name in names:
            self.add_file(Path(name))

    def add_file(self, path: Path) -> None:
        """Read the file into the store in the write lane (it may be large); the limit is checked
        against the files already attached."""
        ws, have = self.ws, tuple(self.file_list.files)
        self.runner.write(lambda: drafts.stash_file(ws, path, have), self._file_added, self._failed)

    def _file_added(self, f: drafts.DraftFile) -> None:
        if self._finished:
            return
        try:
            drafts.check_size([*self.file_list.files, f])  # two added at once
        except Exception as exc:
            show_error(self, exc)
            return
        self.file_list.set_files([*self.file_list.files, f])
        self._changed()

    def remove_file(self, index: int) -> None:
        files = list(self.file_list.files)
        if 0 <= index < len(files):
            del files[index]
            self.file_list.set_files(files)
            self._changed()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls() and all(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        for url in event.mimeData().urls():
            self.add_file(Path(url.toLocalFile()))
        event.acceptProposedAction()

    # --- addresses ----------------------------------------------------------------------------

    def _check_addresses(self) -> str:
        names = {"to": tr("Composer", "To"), "cc": tr("Composer", "Cc"), "bcc": tr("Composer", "Bcc")}
        found = [p for key, field in self.fields.items() if (p := field.problem_text(names[key]))]
        if not self.fields["to"].addresses() and not self._loading:
            found.insert(0, tr("Composer", "To: add at least one recipient"))
        self.problems.setStyleSheet(state_style("breached", self))  # readable on a dark window too
        self.problems.setText("\n".join(found))
        self.problems.setVisible(bool(found))
        return self.problems.text()

    # --- sending ---------------------------------------------------------------------------

    def send(self) -> None:
        if self._sending or self._finished or self._loading:
            return
        if self._check_addresses():
            self.fields["to" if not self.fields["to"].addresses() else "cc"].setFocus()
            return
        d = self.draft()
        self._draft_timer.stop()
        self._sending = True
        self.send_button.setEnabled(False)
        ws, tid = self.ws, self.tid
        seen, version = self.seen_message_id, self.version

        def work() -> int:
            body = replies.render_canned(ws, tid, d.body) if "{{" in d.body else d.body
            files = drafts.outgoing_files(ws, d.files)
            return replies.reply(ws, tid, body, version, files, seen_message_id=seen,
                                 to=list(d.to or ()), cc=list(d.cc), bcc=list(d.bcc), quote=d.quote)

        self.runner.write(work, self._sent, self._send_failed)

    def _sent(self, _message_id: object) -> None:
        self._sending = False
        self._finish()
        self.sent.emit(self.tid)

    def _send_failed(self, exc: BaseException) -> None:
        self._sending = False
        self.send_button.setEnabled(True)
        if isinstance(exc, ConflictError):
            # Keep the draft, show the newcomer, and let a second Send go through on purpose.
            self.save_draft()
            ws, tid = self.ws, self.tid
            self.runner.read(lambda: (replies.newest_message_id(ws, tid), quote_for(ws, tid)), self._seen_now)
            self.collision.emit(self.tid)
            self.status.setText(tr("Composer", "Not sent: the ticket has a new message. Read it, then press Send again."))
        show_error(self, exc)

    def _seen_now(self, result: tuple[int, Quote]) -> None:
        self.seen_message_id = int(result[0])
        if not self._finished:
            self._set_quote(result[1])

    def _failed(self, exc: BaseException) -> None:
        show_error(self, exc)
