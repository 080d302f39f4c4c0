"""File ▸ Log phone/chat consultation…: a call or chat written down after the fact (R-TICKET-8).

The caller is a client picked from the list or an e-mail address; the dialog says who answered
and when (the agent at the keyboard, now, by default). The service opens the ticket in work with
the reaction met at that moment; an account change asked by phone keeps "only in writing".
"""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import QCoreApplication, QDateTime
from PySide6.QtWidgets import QComboBox, QDateTimeEdit, QDialog

from desktop.domain.tickets import Channel
from desktop.services import tickets
from ui.dialogs.edit_ticket import ActionHost, _client_names
from ui.dialogs.form import FormDialog

#: The client combo's entry for "identify by the address below".
BY_ADDRESS = ""


class LogContactDialog(FormDialog):
    def __init__(self, parent: object, agents: list[tuple[str, str]], actor: str, now: datetime) -> None:
        super().__init__(
            parent,  # type: ignore[arg-type]
            QCoreApplication.translate("Actions", "Log a phone or chat consultation"),
            QCoreApplication.translate("LogContact", "The ticket opens in work, assigned to whoever answered, "
                                                     "with the reaction met when they answered. Changes to "
                                                     "accounts are accepted only in writing: tick the box if "
                                                     "the client asked for one, and the ticket will say so."),
            QCoreApplication.translate("Actions", "Create ticket"))
        self.setObjectName("log_contact_dialog")
        self.add_combo("channel", QCoreApplication.translate("Actions", "Channel:"), [
            (Channel.PHONE.value, QCoreApplication.translate("Actions", "Phone")),
            (Channel.CHAT.value, QCoreApplication.translate("Actions", "Chat"))])
        self.client_combo: QComboBox = self.add_combo("client", QCoreApplication.translate("LogContact", "Client:"), [])
        self.set_clients([])
        self.add_line("requester", QCoreApplication.translate("Actions", "Client's e-mail:"),
                      placeholder="name@example.ru")
        self.add_line("requester_name", QCoreApplication.translate("Actions", "Name:"))
        self.add_line("subject", QCoreApplication.translate("Actions", "Subject:"))
        self.add_text("text", QCoreApplication.translate("Actions", "What was asked and answered:"), min_height=100)
        if all(login != actor for login, _ in agents):
            agents = [*agents, (actor, actor)]
        self.add_combo("answered_by", QCoreApplication.translate("LogContact", "Answered by:"), agents, actor)
        minute = int(now.timestamp()) // 60 * 60
        when = QDateTimeEdit(QDateTime.fromSecsSinceEpoch(minute), self)
        when.setCalendarPopup(True)
        when.setDisplayFormat("dd.MM.yyyy HH:mm")
        when.setMaximumDateTime(QDateTime.fromSecsSinceEpoch(int(now.timestamp())))
        self.form.addRow(QCoreApplication.translate("LogContact", "Answered at:"), when)  # read by answered_at()
        self.when = when
        self.add_check("account_change", QCoreApplication.translate("Actions", "The client asked to change an account"))

    def set_clients(self, names: list[str]) -> None:
        combo = self.client_combo
        chosen = combo.currentData() if combo.count() else BY_ADDRESS
        combo.clear()
        combo.addItem(QCoreApplication.translate("LogContact", "(find by the e-mail address below)"), BY_ADDRESS)
        for name in sorted(names, key=str.casefold):
            combo.addItem(name, name)
        combo.setCurrentIndex(max(combo.findData(chosen), 0))

    def answered_at(self) -> datetime:
        """The moment chosen on the agent's own clock, as an aware time."""
        return datetime.fromtimestamp(self.when.dateTime().toSecsSinceEpoch(), tz=UTC)


def open_log_contact(actions: ActionHost) -> QDialog:
    ws = actions.ws
    agents = [(a.code, a.label(actions._lang())) for a in (actions.choices.agents if actions.choices else ())]
    dlg = LogContactDialog(actions.window, agents, ws.actor, ws.now())
    actions.runner.read(lambda: _client_names(ws), dlg.set_clients, actions._failed)

    def create() -> None:
        v = dlg.values()
        at = dlg.answered_at()
        actions._run(lambda: tickets.log_contact(
            ws, channel=Channel(v["channel"]), requester=v["requester"], subject=v["subject"],
            text=v["text"], requester_name=v["requester_name"], client=v["client"] or None,
            account_change=v["account_change"], answered_by=v["answered_by"], answered_at=at),
            "", created=True)

    return actions._open(dlg, create)
