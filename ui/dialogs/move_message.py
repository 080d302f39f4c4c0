"""Move a message — to the ticket it belongs to, or into a new ticket of its sender's own client
(R-MAIL-3). The dialog says, before the agent decides, which client a new ticket would get:
the sender's (found by address or domain) or none — never the ticket's the message is in.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QButtonGroup, QComboBox, QLabel, QLineEdit, QRadioButton, QWidget

from desktop.mail.subjects import remove_tids, strip_reply_prefixes
from desktop.services.reads.message_moves import MoveChoices
from desktop.services.reads.ticket_page import PageMessage, TicketPage
from ui.dialogs.form import FormDialog
from ui.thread_html import local_time


def message_title(m: PageMessage) -> str:
    text = " ".join((m.text or "").split())
    return f"{local_time(m.date)} · {m.from_name or m.sender} · {text[:60]}"


def client_words(choices: MoveChoices | None) -> str:
    tr = QCoreApplication.translate
    if choices is None:
        return tr("MoveMessage", "Looking up the sender…")
    if choices.client is None:
        return tr("MoveMessage", "The new ticket will have no client: {0} is not a known client's address.").format(
            choices.sender)
    how = (tr("MoveMessage", "by the sender's address") if choices.found_by == "address"
           else tr("MoveMessage", "by the sender's domain"))
    return tr("MoveMessage", "The new ticket will belong to {0} ({1}) and take its plan.").format(choices.client, how)


class MoveMessageDialog(FormDialog):
    def __init__(self, parent: QWidget | None, page: TicketPage, message_id: int, new: bool) -> None:
        tr = QCoreApplication.translate
        super().__init__(parent, tr("MoveMessage", "Move a message — {0}").format(page.tid),
                         tr("MoveMessage", "A message of another conversation goes to its ticket; one that asks "
                                           "something new becomes a ticket of its own."),
                         tr("MoveMessage", "Move"))
        self.setObjectName("move_message_dialog")
        self.page = page
        self.choices: MoveChoices | None = None
        messages = [(m.id, message_title(m)) for m in page.thread]
        self.message_combo: QComboBox = self.add_combo("message", tr("MoveMessage", "Message:"), messages, message_id)
        self.to_ticket = QRadioButton(tr("MoveMessage", "To the ticket:"), self)
        self.to_ticket.setObjectName("to_ticket")
        self.target = QComboBox(self)
        self.target.setObjectName("target_ticket")
        self.target.setEditable(True)
        self.target.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        line = self.target.lineEdit()
        assert line is not None
        line.setPlaceholderText("TID-000123")
        self.fields["target"] = self.target
        self.form.addRow(self.to_ticket, self.target)
        self.to_new = QRadioButton(tr("MoveMessage", "Into a new ticket, subject:"), self)
        self.to_new.setObjectName("to_new")
        self.subject = QLineEdit(self)
        self.subject.setObjectName("new_subject")
        self.fields["subject"] = self.subject
        self.form.addRow(self.to_new, self.subject)
        self.client_label = QLabel(self)
        self.client_label.setObjectName("new_ticket_client")
        self.client_label.setWordWrap(True)
        self.form.addRow("", self.client_label)
        group = QButtonGroup(self)
        group.addButton(self.to_ticket)
        group.addButton(self.to_new)
        (self.to_new if new else self.to_ticket).setChecked(True)
        self.to_ticket.toggled.connect(self._mode)
        self.message_combo.currentIndexChanged.connect(self._message_chosen)
        self._message_chosen()
        self._mode()
        self.resize(max(self.sizeHint().width(), 640), self.sizeHint().height())

    def message_id(self) -> int:
        return int(self.message_combo.currentData())

    def is_new(self) -> bool:
        return self.to_new.isChecked()

    def target_tid(self) -> str:
        """The TID typed, or of the suggestion chosen ("TID-000045 — subject")."""
        return self.target.currentText().split(" — ", 1)[0].strip()

    def _mode(self) -> None:
        self.target.setEnabled(self.to_ticket.isChecked())
        self.subject.setEnabled(self.to_new.isChecked())
        (self.target if self.to_ticket.isChecked() else self.subject).setFocus(Qt.FocusReason.OtherFocusReason)

    def _message_chosen(self) -> None:
        m = next((x for x in self.page.thread if x.id == self.message_id()), None)
        if m is not None:
            self.subject.setText(strip_reply_prefixes(remove_tids(strip_reply_prefixes(m.subject))).strip()
                                 or m.subject)
        self.set_choices(None)

    def set_choices(self, choices: MoveChoices | None) -> None:
        """What the background read found for the chosen message (None: still reading)."""
        if choices is not None and choices.message_id != self.message_id():
            return  # an answer for a message the agent has since changed away from
        self.choices = choices
        self.client_label.setText(client_words(choices))
        typed = self.target.currentText()
        self.target.clear()
        for t in choices.targets if choices else ():
            self.target.addItem(f"{t.tid} — {t.subject}", t.tid)
        self.target.setCurrentIndex(-1)
        self.target.setEditText(typed)
