"""Templates (R-UI-2, R-TICKET-4, R-MAIL-4): what agents insert and what goes out on its own.

Three kinds, in one tree:

* **Reply templates** — the canned responses of the reply editor. The administrator's own are
  added, edited and deleted here; the built-in ones are read-only and can be copied to edit.
* **Refusal and postponement replies** — one per reason and language, stored in the database.
* **Automatic mails** (acknowledgement, reminder …) — shipped files; the workspace's own wording
  of one is stored in the database and sent instead (an empty text goes back to the shipped one).

Every text can be previewed with its placeholders filled from a real ticket (the newest one, or
the TID typed beside the button).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.services import replies
from desktop.services.replies import (
    BUILT_IN,
    PLACEHOLDERS,
    CannedRecord,
    MailTemplateFile,
    ReasonReply,
)
from desktop.services.workspace import Workspace
from ui.countdown import MUTED
from ui.dialogs.page import SettingsPage, confirm_discard
from ui.workers import Runner

translate = QCoreApplication.translate

ROLE = Qt.ItemDataRole.UserRole


def mail_title(kind: str) -> str:
    titles = {
        "ack": translate("Templates", "New ticket acknowledged"),
        "taken": translate("Templates", "Taken into work"),
        "reminder": translate("Templates", "Reminder before auto-close"),
        "inactive": translate("Templates", "Closed as inactive"),
        "resolved": translate("Templates", "Work done"),
        "closed": translate("Templates", "Ticket closed"),
    }
    return titles.get(kind, kind)


class TemplatesPage(SettingsPage):
    def __init__(self, parent: QWidget | None, runner: Runner, ws: Workspace) -> None:
        super().__init__(parent, runner, ws)
        self.setObjectName("templates_page")
        self.stored: list[CannedRecord] = []
        self.reasons: list[ReasonReply] = []
        self.files: list[MailTemplateFile] = []
        self.kind = ""  # "canned" | "built_in" | "reason" | "mail" | "new"
        self.current: Any = None
        self.loaded_text = ("", "", "")
        body = QHBoxLayout(self)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        left = QWidget(split)
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        self.tree = QTreeWidget(left)
        self.tree.setObjectName("templates")
        self.tree.setHeaderHidden(True)
        self.tree.currentItemChanged.connect(self._chosen)
        ll.addWidget(self.tree, 1)
        row = QHBoxLayout()
        self.new_button = QPushButton(translate("Templates", "New template"), left)
        self.new_button.clicked.connect(self.new_template)
        self.copy_button = QPushButton(translate("Templates", "Copy"), left)
        self.copy_button.setToolTip(translate("Templates", "A new reply template from this text"))
        self.copy_button.clicked.connect(self.copy_template)
        row.addWidget(self.new_button)
        row.addWidget(self.copy_button)
        ll.addLayout(row)

        right = QWidget(split)
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        form = QFormLayout()
        self.name = QLineEdit(right)
        self.name.setObjectName("template_name")
        form.addRow(translate("Templates", "Name:"), self.name)
        self.language = QComboBox(right)
        self.language.setObjectName("template_language")
        self.language.addItem("Русский", "ru")
        self.language.addItem("English", "en")
        self.language.currentIndexChanged.connect(self._language_changed)
        form.addRow(translate("Templates", "Language:"), self.language)
        rl.addLayout(form)
        ph = QHBoxLayout()
        ph.addWidget(QLabel(translate("Templates", "Insert placeholder:"), right))
        self.placeholder = QComboBox(right)
        self.placeholder.setObjectName("placeholder")
        for p in PLACEHOLDERS:
            self.placeholder.addItem("{{ " + p + " }}", p)
        self.placeholder.activated.connect(self._insert_placeholder)
        ph.addWidget(self.placeholder, 1)
        rl.addLayout(ph)
        self.body = QPlainTextEdit(right)
        self.body.setObjectName("template_body")
        self.body.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        rl.addWidget(self.body, 3)
        self.where = QLabel(right)
        self.where.setObjectName("template_where")
        self.where.setWordWrap(True)
        self.where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.where.setStyleSheet(MUTED)
        rl.addWidget(self.where)
        actions = self.save_revert_row("Templates", "save_template")
        self.delete_button = QPushButton(translate("Templates", "Delete"), right)
        self.delete_button.clicked.connect(self.delete)
        actions.insertWidget(1, self.delete_button)
        actions.addStretch(1)
        self.sample_tid = QLineEdit(right)
        self.sample_tid.setObjectName("sample_tid")
        self.sample_tid.setPlaceholderText(translate("Templates", "newest ticket"))
        self.sample_tid.setMaximumWidth(140)
        self.preview_button = QPushButton(translate("Templates", "Preview"), right)
        self.preview_button.setObjectName("preview_template")
        self.preview_button.clicked.connect(self.preview)
        actions.addWidget(QLabel(translate("Templates", "for"), right))
        actions.addWidget(self.sample_tid)
        actions.addWidget(self.preview_button)
        rl.addLayout(actions)
        rl.addWidget(self.status)
        self.preview_label = QLabel(translate("Templates", "Preview"), right)
        rl.addWidget(self.preview_label)
        self.preview_text = QPlainTextEdit(right)
        self.preview_text.setObjectName("template_preview")
        self.preview_text.setReadOnly(True)
        rl.addWidget(self.preview_text, 2)
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 5)
        split.setSizes([300, 700])
        body.addWidget(split)
        self._editable(False, False)

    # --- reading ----------------------------------------------------------------------------

    def reload(self, select: tuple[str, Any] | None = None) -> None:
        ws = self.ws
        keep = select or self._key()
        self.runner.read(lambda: (replies.stored_canned(ws), replies.reason_replies(ws), replies.mail_template_files(ws)),
                         lambda r: self._listed(r, keep), self.failed)

    def _key(self) -> tuple[str, Any] | None:
        if self.kind == "canned" and self.current is not None:
            return ("canned", self.current.id)
        if self.kind == "reason" and self.current is not None:
            return ("reason", self.current.code)
        if self.kind in ("built_in", "mail"):
            return (self.kind, self.current)
        return None

    def _listed(self, result: tuple[list[CannedRecord], list[ReasonReply], list[MailTemplateFile]],
                keep: tuple[str, Any] | None) -> None:
        self.stored, self.reasons, self.files = (list(x) for x in result)  # type: ignore[assignment]
        dirty = self.is_dirty()
        self.tree.blockSignals(True)
        self.tree.clear()
        ours = QTreeWidgetItem(self.tree, [translate("Templates", "Reply templates")])
        for c in self.stored:
            item = QTreeWidgetItem(ours, [f"{c.name} ({c.language})"])
            item.setData(0, ROLE, ("canned", c.id))
        for i, b in enumerate(BUILT_IN):
            item = QTreeWidgetItem(ours, [f"{b.name} ({b.language}) — " + translate("Templates", "built in")])
            item.setData(0, ROLE, ("built_in", i))
            item.setForeground(0, Qt.GlobalColor.darkGray)
        reasons = QTreeWidgetItem(self.tree, [translate("Templates", "Refusal and postponement replies")])
        from ui import i18n

        for r in self.reasons:
            item = QTreeWidgetItem(reasons, [r.title_ru if i18n.current() == "ru" else r.title_en])
            item.setData(0, ROLE, ("reason", r.code))
        mails = QTreeWidgetItem(self.tree, [translate("Templates", "Automatic mails")])
        for n, f in enumerate(self.files):
            label = f"{mail_title(f.kind)} ({f.language})"
            if f.override is not None:
                label += " — " + translate("Templates", "own wording")
            item = QTreeWidgetItem(mails, [label])
            item.setData(0, ROLE, ("mail", n))
        self.tree.expandItem(ours)
        self.tree.expandItem(reasons)
        self.tree.expandItem(mails)
        self.tree.blockSignals(False)
        if dirty:
            self._mark(self._key())
            return
        if keep is not None and self._mark(keep):
            self._open(keep)

    def _mark(self, key: tuple[str, Any] | None) -> bool:
        it = self._find(key)
        if it is None:
            return False
        self.tree.blockSignals(True)
        self.tree.setCurrentItem(it)
        self.tree.blockSignals(False)
        return True

    def _find(self, key: tuple[str, Any] | None) -> QTreeWidgetItem | None:
        for i in range(self.tree.topLevelItemCount()):
            top = self.tree.topLevelItem(i)
            for j in range(top.childCount() if top is not None else 0):
                child = top.child(j) if top is not None else None
                if child is not None and child.data(0, ROLE) == key:
                    return child
        return None

    def _chosen(self, item: QTreeWidgetItem | None, _previous: QTreeWidgetItem | None) -> None:
        key = item.data(0, ROLE) if item is not None else None
        if key is None:
            return
        if self.is_dirty() and not confirm_discard(self, self.name.text()):
            self._mark(self._key())
            return
        self.status.clear()
        self._open(tuple(key))

    def _open(self, key: tuple[str, Any]) -> None:
        kind, ident = key
        self.preview_text.clear()
        if kind == "canned":
            rec = next((c for c in self.stored if c.id == ident), None)
            if rec is None:
                return
            self.kind, self.current = kind, rec
            self._show(rec.name, rec.language, rec.body, True, True)
            self.where.setText(translate("Templates", "Offered in the reply editor's template list."))
        elif kind == "built_in":
            b = BUILT_IN[int(ident)]
            self.kind, self.current = kind, int(ident)
            self._show(b.name, b.language, b.body, False, False)
            self.where.setText(translate(
                "Templates", "Built into Reglament and always offered; use Copy to make an editable version."))
        elif kind == "reason":
            r = next((x for x in self.reasons if x.code == ident), None)
            if r is None:
                return
            self.kind, self.current = kind, r
            lang = str(self.language.currentData() or "ru")
            self._show(r.title_ru if lang == "ru" else r.title_en, lang,
                       r.template_ru if lang == "ru" else r.template_en, True, False, name_editable=False)
            self.where.setText(translate(
                "Templates", "Sent when a ticket is refused or postponed with this reason ({0}). "
                "Save an empty text to go back to the shipped one.").format(r.code))
        elif kind == "mail":
            f = self.files[int(ident)]
            self.kind, self.current = kind, f
            self._show(f.kind, f.language, f.text, True, False, name_editable=False)
            self.where.setText(translate(
                "Templates", "Sent by Reglament on its own. The first line is the subject. Save an empty "
                "text to go back to the shipped wording ({0}).").format(f.path))

    def _show(self, name: str, lang: str, body: str, editable: bool, deletable: bool,
              name_editable: bool = True) -> None:
        self.name.setText(name)
        self.language.blockSignals(True)
        self.language.setCurrentIndex(max(self.language.findData(lang), 0))
        self.language.blockSignals(False)
        self.body.setPlainText(body)
        self.loaded_text = (name, lang, body)
        self._editable(editable, deletable, name_editable)

    def _editable(self, editable: bool, deletable: bool, name_editable: bool = True) -> None:
        self.name.setReadOnly(not (editable and name_editable))
        self.body.setReadOnly(not editable)
        self.language.setEnabled(self.kind in ("canned", "reason", "new"))
        self.placeholder.setEnabled(editable)
        self.save_button.setEnabled(editable)
        self.revert_button.setEnabled(editable)
        self.delete_button.setEnabled(deletable)
        self.copy_button.setEnabled(self.kind in ("canned", "built_in", "reason"))

    def _language_changed(self, _i: int) -> None:
        if self.kind == "reason" and self.current is not None:
            # One reason, two texts: switching the language shows the other one.
            if self.is_dirty(previous_language=True) and not confirm_discard(self, self.name.text()):
                self.language.blockSignals(True)
                self.language.setCurrentIndex(self.language.findData(self.loaded_text[1]))
                self.language.blockSignals(False)
                return
            self._open(("reason", self.current.code))

    def _insert_placeholder(self, _i: int) -> None:
        if not self.body.isReadOnly():
            self.body.insertPlainText("{{ " + str(self.placeholder.currentData()) + " }}")
            self.body.setFocus()

    def new_template(self, body: str = "", name: str = "", lang: str | None = None) -> None:
        if self.is_dirty() and not confirm_discard(self, self.name.text()):
            return
        self.tree.blockSignals(True)
        self.tree.clearSelection()
        self.tree.setCurrentIndex(self.tree.rootIndex())
        self.tree.blockSignals(False)
        self.kind, self.current = "new", None
        self.status.clear()
        self._show(name, lang or str(self.language.currentData() or "ru"), body, True, False)
        self.loaded_text = ("", "", "")
        self.where.setText(translate("Templates", "Offered in the reply editor's template list once saved."))
        self.name.setFocus()

    def copy_template(self) -> None:
        name = translate("Templates", "{0} (copy)").format(self.name.text())
        self.new_template(self.body.toPlainText(), name, str(self.language.currentData()))

    def is_dirty(self, previous_language: bool = False) -> bool:
        if self.kind == "new":
            return bool(self.name.text().strip() or self.body.toPlainText().strip())
        if self.kind not in ("canned", "reason", "mail"):
            return False
        lang = self.loaded_text[1] if previous_language else str(self.language.currentData())
        return (self.name.text(), lang, self.body.toPlainText()) != self.loaded_text

    def revert(self) -> None:
        name, _lang, body = self.loaded_text
        self.name.setText(name)
        self.body.setPlainText(body)

    # --- saving -----------------------------------------------------------------------------

    def save(self) -> None:
        ws, name, body = self.ws, self.name.text(), self.body.toPlainText()
        lang = str(self.language.currentData())
        self.save_button.setEnabled(False)
        if self.kind == "new":
            self.runner.write(lambda: replies.add_canned(ws, name, lang, body),
                              lambda rec: self._saved(("canned", rec.id)), self._save_failed)
        elif self.kind == "canned":
            expected = self.current
            self.runner.write(lambda: replies.update_canned(ws, expected, name, lang, body),
                              lambda rec: self._saved(("canned", rec.id)), self._save_failed)
        elif self.kind == "reason":
            expected = self.current
            self.runner.write(lambda: replies.set_reason_reply(ws, expected, lang, body),
                              lambda rec: self._saved(("reason", rec.code)), self._save_failed)
        elif self.kind == "mail":
            wording = self.current
            index = self.files.index(wording)
            self.runner.write(lambda: replies.set_mail_template(ws, wording, body),
                              lambda _rec: self._saved(("mail", index)), self._save_failed)

    def _saved(self, key: tuple[str, Any]) -> None:
        self.save_button.setEnabled(True)
        self.kind, self.current = "", None
        self.changed.emit()
        self.reload(key)
        self.note(translate("Templates", "Saved."))

    def delete(self) -> None:
        if self.kind != "canned" or self.current is None:
            return
        expected, ws = self.current, self.ws
        self.runner.write(lambda: replies.delete_canned(ws, expected), lambda _r: self._deleted(), self._save_failed)

    def _deleted(self) -> None:
        self.kind, self.current = "", None
        self._show("", "ru", "", False, False)
        self.where.clear()
        self.changed.emit()
        self.reload()
        self.note(translate("Templates", "Deleted."))

    def _save_failed(self, exc: BaseException) -> None:
        self.save_button.setEnabled(self.kind in ("new", "canned", "reason", "mail"))
        self.failed(exc)
        from desktop.errors import ConflictError

        if not isinstance(exc, ConflictError):
            return
        ws = self.ws
        if self.kind == "canned" and self.current is not None:
            ident = self.current.id

            def adopt(stored: list[CannedRecord]) -> None:
                found = next((c for c in stored if c.id == ident), None)
                if found is None:  # deleted meanwhile: what was typed becomes a new template
                    self.kind, self.current = "new", None
                else:
                    self.current = found

            self.runner.read(lambda: replies.stored_canned(ws), adopt, self.failed)
        elif self.kind == "reason" and self.current is not None:
            code = self.current.code

            def adopt_reason(stored: list[ReasonReply]) -> None:
                self.current = next((r for r in stored if r.code == code), self.current)

            self.runner.read(lambda: replies.reason_replies(ws), adopt_reason, self.failed)
        elif self.kind == "mail" and self.current is not None:
            mine = (self.current.kind, self.current.language)

            def adopt_wording(files: list[MailTemplateFile]) -> None:
                self.current = next((f for f in files if (f.kind, f.language) == mine), self.current)

            self.runner.read(lambda: replies.mail_template_files(ws), adopt_wording, self.failed)

    # --- preview ----------------------------------------------------------------------------

    def preview(self) -> None:
        ws, body, tid = self.ws, self.body.toPlainText(), self.sample_tid.text().strip() or None
        if self.kind == "mail":
            # An automatic mail's first line is its subject; the rest renders like any template.
            body = body.partition("\n")[2]
        self.runner.read(lambda: replies.preview_canned(ws, body, tid), self._previewed, self.failed)

    def _previewed(self, p: replies.Preview) -> None:
        self.preview_text.setPlainText(p.text)
        self.preview_label.setText(
            translate("Templates", "Preview for {0}").format(p.tid) if p.tid
            else translate("Templates", "Preview with sample values"))
