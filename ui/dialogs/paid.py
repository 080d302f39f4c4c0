"""Ticket ▸ Paid work…: mark the ticket's work paid, by the rule behind it and in the agent's own
words, or free (R-TICKET-7, WebbyMASTER 2.4).

Work unrelated to the client's services is marked here by hand with a reason; a suggestion the
system made (urgent work outside the plan's hours, an expired contract) comes in filled, and is
also confirmed or cleared in one click on the ticket pane.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QDialog

from desktop.domain.paid import PaidBasis
from desktop.services import tickets
from ui.dialogs.edit_ticket import ActionHost
from ui.dialogs.form import FormDialog


def basis_text(basis: str) -> str:
    return {
        PaidBasis.UNRELATED.value: QCoreApplication.translate("Paid", "Not related to the client's services"),
        PaidBasis.OUTSIDE_HOURS.value: QCoreApplication.translate("Paid", "Urgent, asked outside the plan's hours"),
        PaidBasis.CONTRACT_EXPIRED.value: QCoreApplication.translate("Paid", "The client's contract has expired"),
        PaidBasis.OTHER.value: QCoreApplication.translate("Paid", "Other reason"),
    }.get(basis, basis)


class PaidDialog(FormDialog):
    def __init__(self, parent: object, tid: str, paid: bool, basis: str | None, reason: str) -> None:
        super().__init__(
            parent,  # type: ignore[arg-type]
            QCoreApplication.translate("Actions", "Paid work — {0}").format(tid),
            QCoreApplication.translate("Actions", "Work is paid when it was asked outside the plan's hours and is "
                                                  "urgent, when the contract has expired, or when it is not about "
                                                  "the client's services."),
            QCoreApplication.translate("Actions", "Save"))
        self.setObjectName("paid_dialog")
        self.paid_box = self.add_check("paid", QCoreApplication.translate("Actions", "This work is paid"), True)
        order = (PaidBasis.UNRELATED, PaidBasis.OUTSIDE_HOURS, PaidBasis.CONTRACT_EXPIRED, PaidBasis.OTHER)
        self.add_combo("basis", QCoreApplication.translate("Paid", "Because:"),
                       [(b.value, basis_text(b.value)) for b in order], basis or PaidBasis.UNRELATED.value)
        self.add_line("reason", QCoreApplication.translate("Actions", "Why:"), reason,
                      QCoreApplication.translate("Paid", "e.g. setting up advertising is not part of the site's support"))
        self.paid_box.toggled.connect(self._paid_toggled)

    def _paid_toggled(self, on: bool) -> None:
        self.fields["basis"].setEnabled(on)


def open_paid(actions: ActionHost) -> QDialog | None:
    page = actions.data
    if page is None:
        return None
    dlg = PaidDialog(actions.window, page.tid, page.paid, page.acts.paid_basis, page.paid_reason)
    ws, tid, v = actions.ws, page.tid, page.version

    def save() -> None:
        paid, basis, reason = dlg.value("paid"), dlg.value("basis"), dlg.value("reason")
        if paid:
            actions._run(lambda: tickets.set_paid(ws, tid, True, reason, basis=basis, expected_version=v), tid)
        else:
            actions._run(lambda: tickets.clear_paid(ws, tid, reason, expected_version=v), tid)

    return actions._open(dlg, save)
