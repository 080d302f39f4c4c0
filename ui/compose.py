"""The reply editor: canned responses with placeholders, drafts kept, collision warning (R-UI-2).

What the agent types is saved as a draft a moment after they stop typing (in the serial write
lane, so it never races the send). Sending goes through ``desktop.services.replies.reply`` with the
newest message the agent had on screen: if the client or a colleague wrote since, the service
refuses, the editor says who wrote, the ticket view reloads, and the draft stays untouched.
"""

from __future__ import annotations

import logging
import mimetypes
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop import times
from desktop.errors import ConflictError
from desktop.services import replies
from desktop.services.background import presence
from desktop.services.upkeep.outgoing import OutgoingFile
from desktop.services.workspace import Workspace
from ui.countdown import MUTED
from ui.errors import show_error
from ui.workers import Runner

DRAFT_DELAY_MS = 800

log = logging.getLogger("reglament.ui.compose")


class ReplyDialog(QDialog):
    sent = Signal(str)
    collision = Signal(str)

    def __init__(
        self,
        parent: QWidget | None,
        runner: Runner,
        ws: Workspace,
        tid: str,
        subject: str,
        requester: str,
        seen_message_id: int,
        version: int,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("reply_dialog")
        self.runner, self.ws, self.tid = runner, ws, tid
        self.seen_message_id, self.version = seen_message_id, version
        self.files: list[Path] = []
        self._canned: list[replies.Canned] = []
        self._loading = True
        self.setWindowTitle(QCoreApplication.translate("Reply", "Reply — {0}").format(tid))
        self.resize(760, 560)

        lay = QVBoxLayout(self)
        self.editor = QPlainTextEdit(self)
        self.editor.setObjectName("reply_text")
        self.editor.setPlaceholderText(QCoreApplication.translate("Reply", "Write your reply…"))
        head = QLabel(self)
        head.setTextFormat(Qt.TextFormat.PlainText)
        head.setText(
            QCoreApplication.translate("Reply", "To: {0}").format(requester)
            + "\n"
            + QCoreApplication.translate("Reply", "Subject: Re: [{0}] {1}").format(tid, subject)
        )
        head.setWordWrap(True)
        lay.addWidget(head)

        row = QHBoxLayout()
        row.addWidget(QLabel(QCoreApplication.translate("Reply", "Template:"), self))
        self.templates = QComboBox(self)
        self.templates.setObjectName("templates")
        self.templates.setMinimumWidth(260)
        row.addWidget(self.templates, 1)
        self.insert_button = QPushButton(QCoreApplication.translate("Reply", "Insert"), self)
        self.insert_button.clicked.connect(self.insert_template)
        row.addWidget(self.insert_button)
        # A push button with a menu leaves room for its arrow; a tool button's arrow covered
        # the end of "Подстановка".
        self.placeholders = QPushButton(QCoreApplication.translate("Reply", "Placeholder"), self)
        menu = QMenu(self.placeholders)
        for name in replies.PLACEHOLDERS:
            act = QAction(f"{{{{ {name} }}}}", menu)
            act.triggered.connect(lambda _c=False, n=name: self.editor.insertPlainText(f"{{{{ {n} }}}}"))
            menu.addAction(act)
        self.placeholders.setMenu(menu)
        row.addWidget(self.placeholders)
        lay.addLayout(row)

        lay.addWidget(self.editor, 1)

        files_row = QHBoxLayout()
        self.file_list = QListWidget(self)
        self.file_list.setMaximumHeight(64)
        files_row.addWidget(self.file_list, 1)
        col = QVBoxLayout()
        attach = QPushButton(QCoreApplication.translate("Reply", "Attach file…"), self)
        attach.clicked.connect(self._choose_files)
        remove = QPushButton(QCoreApplication.translate("Reply", "Remove"), self)
        remove.clicked.connect(self._remove_file)
        col.addWidget(attach)
        col.addWidget(remove)
        files_row.addLayout(col)
        lay.addLayout(files_row)

        bottom = QHBoxLayout()
        self.status = QLabel("", self)
        self.status.setObjectName("draft_status")
        self.status.setStyleSheet(MUTED)
        bottom.addWidget(self.status, 1)
        self.discard_button = QPushButton(QCoreApplication.translate("Reply", "Discard draft"), self)
        self.discard_button.clicked.connect(self.discard)
        bottom.addWidget(self.discard_button)
        self.close_button = QPushButton(QCoreApplication.translate("Reply", "Close (keep draft)"), self)
        self.close_button.clicked.connect(self.close_keep)
        bottom.addWidget(self.close_button)
        self.send_button = QPushButton(QCoreApplication.translate("Reply", "Send"), self)
        self.send_button.setObjectName("send")
        self.send_button.setDefault(True)
        self.send_button.setToolTip(
            QKeySequence("Ctrl+Return").toString(QKeySequence.SequenceFormat.NativeText)
        )
        self.send_button.clicked.connect(self.send)
        bottom.addWidget(self.send_button)
        lay.addLayout(bottom)
        send_shortcut = QShortcut(QKeySequence("Ctrl+Return"), self)
        send_shortcut.activated.connect(self.send)

        self._draft_timer = QTimer(self)
        self._draft_timer.setSingleShot(True)
        self._draft_timer.setInterval(DRAFT_DELAY_MS)
        self._draft_timer.timeout.connect(self.save_draft)
        self.editor.textChanged.connect(self._typed)
        # Colleagues see "… is replying" on the ticket while this is open: a claim renewed by
        # a heartbeat, given back however the dialog closes (sent, discarded, kept).
        self._claim_timer = QTimer(self)
        self._claim_timer.setInterval(int(presence.HEARTBEAT.total_seconds() * 1000))
        self._claim_timer.timeout.connect(self._claim)
        self._claim_timer.start()
        self.finished.connect(lambda _r: self._release())
        self._claim()
        self._load()

    # --- presence ----------------------------------------------------------------------------

    def _claim(self) -> None:
        ws, tid = self.ws, self.tid
        self.runner.write(lambda: presence.start_replying(ws, tid), None,
                          lambda exc: log.info("presence on %s not claimed: %s", tid, exc))

    def _release(self) -> None:
        if not self._claim_timer.isActive():
            return
        self._claim_timer.stop()
        ws, tid = self.ws, self.tid
        self.runner.write(lambda: presence.stop_replying(ws, tid), None,
                          lambda exc: log.info("presence on %s not given back: %s", tid, exc))

    # --- loading -----------------------------------------------------------------------------

    def _load(self) -> None:
        ws, tid = self.ws, self.tid

        def load() -> tuple[str, list[replies.Canned], str]:
            return (replies.load_draft(ws, tid), replies.canned_responses(ws),
                    replies.ticket_language_of(ws, tid))

        self.runner.read(load, self._loaded, self._failed)

    def _loaded(self, result: tuple[str, list[replies.Canned], str]) -> None:
        draft, canned, lang = result
        # The client's language first: an agent answering in Russian sees Russian templates on top.
        self._canned = sorted(canned, key=lambda c: c.language != lang)
        self.templates.clear()
        for c in self._canned:
            self.templates.addItem(f"{c.name} ({c.language})", c.body)
        if draft and not self.editor.toPlainText():
            self.editor.setPlainText(draft)
            self.status.setText(QCoreApplication.translate("Reply", "Draft restored"))
        self._loading = False

    # --- drafts -----------------------------------------------------------------------------

    def _typed(self) -> None:
        if not self._loading:
            self._draft_timer.start()

    def save_draft(self) -> None:
        self._draft_timer.stop()
        body, ws, tid = self.editor.toPlainText(), self.ws, self.tid
        self.runner.write(lambda: replies.save_draft(ws, tid, body), self._draft_saved, self._failed)

    def _draft_saved(self, _r: object) -> None:
        now = times.clock_time(self.ws.now())
        self.status.setText(QCoreApplication.translate("Reply", "Draft saved at {0}").format(now))

    def discard(self) -> None:
        self._draft_timer.stop()
        self._loading = True
        self.editor.clear()
        self._loading = False
        ws, tid = self.ws, self.tid
        self.runner.write(lambda: replies.discard_draft(ws, tid), lambda _r: self.reject(), self._failed)

    def close_keep(self) -> None:
        self.save_draft()
        self.reject()

    def reject(self) -> None:
        if self._draft_timer.isActive():
            self.save_draft()
        super().reject()

    # --- templates and files -------------------------------------------------------------------

    def insert_template(self) -> None:
        body = self.templates.currentData()
        if not body:
            return
        ws, tid = self.ws, self.tid
        self.runner.read(lambda: replies.render_canned(ws, tid, str(body)),
                         self.editor.insertPlainText, self._failed)

    def _choose_files(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(self, QCoreApplication.translate("Reply", "Attach files"))
        for name in names:
            self.add_file(Path(name))

    def add_file(self, path: Path) -> None:
        self.files.append(path)
        self.file_list.addItem(path.name)

    def _remove_file(self) -> None:
        row = self.file_list.currentRow()
        if row >= 0:
            self.file_list.takeItem(row)
            del self.files[row]

    # --- sending ---------------------------------------------------------------------------

    def send(self) -> None:
        text = self.editor.toPlainText()
        self._draft_timer.stop()
        self.send_button.setEnabled(False)
        ws, tid, files = self.ws, self.tid, list(self.files)
        seen, version = self.seen_message_id, self.version

        def work() -> int:
            body = replies.render_canned(ws, tid, text) if "{{" in text else text
            attached = [
                OutgoingFile(p.name, mimetypes.guess_type(p.name)[0] or "application/octet-stream",
                             p.read_bytes())
                for p in files
            ]
            return replies.reply(ws, tid, body, version, attached, seen_message_id=seen)

        self.runner.write(work, self._sent, self._send_failed)

    def _sent(self, _message_id: object) -> None:
        self.sent.emit(self.tid)
        self.accept()

    def _send_failed(self, exc: BaseException) -> None:
        self.send_button.setEnabled(True)
        if isinstance(exc, ConflictError):
            # Keep the draft, show the newcomer, and let a second Send go through on purpose.
            self.save_draft()
            ws, tid = self.ws, self.tid
            self.runner.read(lambda: replies.newest_message_id(ws, tid), self._seen_now)
            self.collision.emit(self.tid)
            self.status.setText(QCoreApplication.translate(
                "Reply", "Not sent: the ticket has a new message. Read it, then press Send again."))
        show_error(self, exc)

    def _seen_now(self, newest: object) -> None:
        self.seen_message_id = int(newest)  # type: ignore[call-overload]

    def _failed(self, exc: BaseException) -> None:
        show_error(self, exc)
