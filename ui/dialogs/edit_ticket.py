"""Ticket ▸ Edit ticket…: priority, category, department, client, requester and the R-CRED-3
"change your password after resolution" reminder, changed in one dialog (R-TICKET-2).

Only what the agent changed is sent, with the version they saw (a colleague's newer change is a
conflict, not overwritten). The plan, the paid suggestion and the deadlines follow the change in
the service (``tickets.update_fields``); the pane shows them when the ticket reloads.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QComboBox, QDialog, QWidget

from desktop.domain.tickets import Category, Priority
from desktop.services import clients, tickets
from desktop.services.reads.queue import Choices
from desktop.services.reads.ticket_page import TicketPage
from desktop.services.workspace import Workspace
from ui.detail_header import priority_text
from ui.dialogs.form import FormDialog
from ui.workers import Runner


class ActionHost(Protocol):
    """What the dialog needs of ``ui.actions.TicketActions`` (named here: no import circle)."""

    window: QWidget
    runner: Runner
    ws: Workspace
    data: TicketPage | None
    choices: Choices | None

    def _lang(self) -> str: ...
    def _failed(self, exc: BaseException) -> None: ...
    def _run(self, fn: Callable[[], Any], tid: str, created: bool = False,
             notice: Callable[[Any], str] | None = None) -> None: ...
    def _open(self, dialog: QDialog, on_accept: Callable[[], None]) -> QDialog: ...

#: The client combo's entry for "no client" (a name can never be empty).
NO_CLIENT = ""


def category_text(code: str) -> str:
    return {
        "consultation": QCoreApplication.translate("EditTicket", "Consultation"),
        "defect": QCoreApplication.translate("EditTicket", "Defect"),
        "recovery": QCoreApplication.translate("EditTicket", "Recovery"),
        "content_change": QCoreApplication.translate("EditTicket", "Content change"),
        "other": QCoreApplication.translate("EditTicket", "Other"),
    }.get(code, code)


class EditTicketDialog(FormDialog):
    """The form; :meth:`changes` is what differs from the page it was opened on."""

    def __init__(self, parent: Any, page: TicketPage, departments: list[tuple[str, str]]) -> None:
        super().__init__(
            parent, QCoreApplication.translate("EditTicket", "Edit ticket — {0}").format(page.tid),
            QCoreApplication.translate("EditTicket", "The plan, the paid-work suggestion and the deadlines "
                                                     "follow the client and the priority."),
            QCoreApplication.translate("EditTicket", "Save"))
        self.setObjectName("edit_ticket_dialog")
        self.page = page
        self.add_combo("priority", QCoreApplication.translate("EditTicket", "Priority:"),
                       [(p.value, priority_text(p.value)) for p in Priority], page.priority)
        self.add_combo("category", QCoreApplication.translate("EditTicket", "Category:"),
                       [(c.value, category_text(c.value)) for c in Category], page.category)
        if page.department and all(code != page.department for code, _ in departments):
            departments = [*departments, (page.department, page.department)]
        self.add_combo("department", QCoreApplication.translate("EditTicket", "Department:"),
                       departments, page.department)
        self.client_combo: QComboBox = self.add_combo(
            "client", QCoreApplication.translate("EditTicket", "Client:"), [])
        self.set_clients([page.client] if page.client else [])
        self.add_line("requester", QCoreApplication.translate("EditTicket", "Requester's e-mail:"),
                      page.requester, "name@example.ru")
        self.add_check("password_reminder", QCoreApplication.translate(
            "EditTicket", "Remind the client to change their password after resolution"),
            page.password_reminder)

    def set_clients(self, names: list[str]) -> None:
        """Fill the client list (read in the background once the dialog is open), keeping the
        agent's choice if they already made one."""
        combo = self.client_combo
        chosen = combo.currentData() if combo.count() else (self.page.client or NO_CLIENT)
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(QCoreApplication.translate("EditTicket", "(no client — not identified)"), NO_CLIENT)
        for name in sorted(set(names) | ({self.page.client} if self.page.client else set()), key=str.casefold):
            combo.addItem(name, name)
        combo.setCurrentIndex(max(combo.findData(chosen), 0))
        combo.blockSignals(False)

    def changes(self) -> dict[str, Any]:
        p = self.page
        out: dict[str, Any] = {}
        for key, old in (("priority", p.priority), ("category", p.category), ("department", p.department)):
            if self.value(key) is not None and self.value(key) != old:
                out[key] = self.value(key)
        client = self.value("client") or None
        if client != p.client:
            out["client"] = client
        requester = self.value("requester").strip()
        if requester.lower() != p.requester:
            out["requester"] = requester
        if self.value("password_reminder") != p.password_reminder:
            out["password_reminder"] = self.value("password_reminder")
        return out


def _client_names(ws: Any) -> list[str]:
    return [c.name for c in clients.list_clients(ws)]


def open_edit(actions: ActionHost) -> QDialog | None:
    """Open the dialog on the ticket on screen; on Save, the changes go to the write lane."""
    page = actions.data
    if page is None:
        return None
    lang = actions._lang()
    departments = [(c.code, c.label(lang)) for c in (actions.choices.departments if actions.choices else ())]
    dlg = EditTicketDialog(actions.window, page, departments)
    dlg.resize(max(dlg.sizeHint().width(), 600), dlg.sizeHint().height())
    ws, tid, version = actions.ws, page.tid, page.version
    actions.runner.read(lambda: _client_names(ws), dlg.set_clients, actions._failed)

    def save() -> None:
        changes = dlg.changes()
        if changes:
            actions._run(lambda: tickets.update_fields(ws, tid, expected_version=version, **changes), tid)

    return actions._open(dlg, save)
