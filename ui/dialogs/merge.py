"""Ticket ▸ Merge into…: a duplicate merged into its original in one step (R-TICKET-5), with the
likely original filled in; and the offers a refusal reason makes instead of a refusal
(R-TICKET-4: "several unrelated problems" offers the split, "duplicate" the merge).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtWidgets import QComboBox, QDialog, QHBoxLayout, QLabel, QPushButton, QWidget

from desktop.services import tickets
from desktop.services.reads.ticket_page import TicketPage
from desktop.services.tickets.duplicates import reason_offer
from desktop.services.workspace import Workspace
from ui.dialogs.form import FormDialog
from ui.workers import Runner


class MergeHost(Protocol):
    """What the dialogs need of ``ui.actions.TicketActions`` (named here: no import circle)."""

    window: QWidget
    runner: Runner
    ws: Workspace
    data: TicketPage | None

    def _failed(self, exc: BaseException) -> None: ...
    def _run(self, fn: Callable[[], Any], tid: str, created: bool = False,
             notice: Callable[[Any], str] | None = None) -> None: ...
    def _open(self, dialog: QDialog, on_accept: Callable[[], None]) -> QDialog: ...
    def do_split(self) -> QDialog | None: ...


class MergeDialog(FormDialog):
    def __init__(self, parent: QWidget | None, page: TicketPage, into: str) -> None:
        tr = QCoreApplication.translate
        super().__init__(parent, tr("Merge", "Merge — {0}").format(page.tid),
                         tr("Merge", "{0} becomes a duplicate: its messages move to the original and it closes. "
                                     "The original keeps its status and deadlines.").format(page.tid),
                         tr("Merge", "Merge"))
        self.setObjectName("merge_dialog")
        self.into = self.add_line("into", tr("Merge", "Original ticket:"), into, "TID-000123")
        candidate = page.duplicate_candidate
        if candidate is not None:
            hint = QLabel(tr("Merge", "Likely original: {0} “{1}”").format(candidate.tid, candidate.subject), self)
            hint.setObjectName("merge_candidate")
            hint.setWordWrap(True)
            self.form.addRow("", hint)
        self.add_check("notify", tr("Merge", "Tell the client"), True)


def open_merge(host: MergeHost, into: str | None = None) -> QDialog | None:
    """The merge dialog on the ticket on screen, the original filled in: ``into``, else the
    likely original the ticket page names."""
    page = host.data
    if page is None:
        return None
    if into is None:
        into = page.duplicate_candidate.tid if page.duplicate_candidate is not None else ""
    dlg = MergeDialog(host.window, page, into)
    ws, tid, version = host.ws, page.tid, page.version
    return host._open(dlg, lambda: host._run(lambda: tickets.merge(
        ws, tid, dlg.value("into").strip(), notify=dlg.value("notify"), expected_version=version), tid))


def _offer_of(ws: Workspace, code: str) -> str | None:
    with ws.db.reading() as s:
        return reason_offer(s, code)


class ReasonOffer(QObject):
    """A row in the refusal dialog offering the split or the merge the chosen reason calls for."""

    def __init__(self, host: MergeHost, dlg: FormDialog, combo: QComboBox) -> None:
        super().__init__(dlg)
        tr = QCoreApplication.translate
        self.host, self.dlg, self.combo = host, dlg, combo
        self.offer: str | None = None
        self.row = QWidget(dlg)
        self.row.setObjectName("reason_offer")
        lay = QHBoxLayout(self.row)
        lay.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel(self.row)
        self.label.setWordWrap(True)
        self.button = QPushButton(self.row)
        self.button.setObjectName("reason_offer_button")
        lay.addWidget(self.label, 1)
        lay.addWidget(self.button)
        dlg.form.insertRow(1, "", self.row)
        self.row.hide()
        self.button.clicked.connect(self.take)
        combo.currentIndexChanged.connect(self.check)
        self._tr = tr
        self.check()

    def check(self, _index: int = 0) -> None:
        code = self.combo.currentData()
        if code:
            ws = self.host.ws
            self.host.runner.read(lambda: (code, _offer_of(ws, code)), self.show_offer, self.host._failed)

    def show_offer(self, found: tuple[str, str | None]) -> None:
        code, offer = found
        if code != self.combo.currentData():
            return  # the agent chose another reason meanwhile
        tr, page = self._tr, self.host.data
        self.offer = offer
        if offer == "split":
            self.label.setText(tr("Merge", "One question per ticket: split the other questions into tickets "
                                           "of their own instead of refusing."))
            self.button.setText(tr("Merge", "Split instead…"))
        elif offer == "merge":
            candidate = page.duplicate_candidate if page is not None else None
            self.label.setText(tr("Merge", "Merge it into the original instead: its messages move there."))
            self.button.setText(tr("Merge", "Merge into {0}…").format(candidate.tid) if candidate is not None
                                else tr("Merge", "Merge instead…"))
        self.row.setVisible(offer in ("split", "merge"))

    def take(self) -> None:
        """Leave the refusal unsent and open the split or the merge."""
        offer = self.offer
        self.dlg.reject()
        if offer == "split":
            self.host.do_split()
        elif offer == "merge":
            open_merge(self.host)
