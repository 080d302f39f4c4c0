"""The ticket actions of acts and of paid work (R-ACT-2..3, R-TICKET-7, R-UI-2): the client's
refusal with rework, saving the act as PDF or DOCX, a rework item done, the paid suggestion
confirmed or cleared — each a QAction (a shortcut where an agent does it often) or a button of
the ticket pane, and one call into ``desktop.services`` in the write lane.

Kept beside ``ui.actions`` (which owns the ticket's other actions and hands these the same
plumbing) so neither grows past a screenful of reading.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QFileDialog

from desktop.mail.sanitize import safe_filename
from desktop.services import tickets
from desktop.services.reads.ticket_page import TicketPage
from ui.dialogs.edit_ticket import ActionHost

#: The actions of this module and their shortcuts ("" for none).
SHORTCUTS = {"refuse_act": "Ctrl+Shift+X", "save_act_pdf": "", "save_act_docx": "",
             "confirm_paid": "", "clear_paid": ""}



def act_action_title(key: str) -> str:
    return {
        "refuse_act": QCoreApplication.translate("Actions", "Act refused by client…"),
        "save_act_pdf": QCoreApplication.translate("Actions", "Save act as PDF…"),
        "save_act_docx": QCoreApplication.translate("Actions", "Save act as DOCX…"),
        "confirm_paid": QCoreApplication.translate("Actions", "Confirm paid work"),
        "clear_paid": QCoreApplication.translate("Actions", "Free work (clear paid)"),
    }[key]


def _save_act(ws: Any, tid: str, fmt: str, target: Path) -> Any:
    # the renderers come with it: loaded in the lane, on first use
    from desktop.services import acts

    return acts.save_act(ws, tid, fmt, target)  # type: ignore[arg-type]


def _rework_done(ws: Any, tid: str, item_id: int) -> str:
    from desktop.services import acts

    return acts.complete_rework(ws, item_id, tid)


class ActActions(QObject):
    """Adds its actions to ``host.actions``; ``host`` is ``ui.actions.TicketActions``."""

    def __init__(self, host: ActionHost, actions: dict[str, QAction]) -> None:
        super().__init__(host.window)
        self.host = host
        self.actions: dict[str, QAction] = {}
        for key, shortcut in SHORTCUTS.items():
            act = QAction(self)
            act.setObjectName(f"action_{key}")
            if shortcut:
                act.setShortcut(QKeySequence(shortcut))
            self.actions[key] = act
            actions[key] = act
        self.actions["refuse_act"].triggered.connect(self.do_refuse_act)
        self.actions["save_act_pdf"].triggered.connect(lambda: self.do_save_act("pdf"))
        self.actions["save_act_docx"].triggered.connect(lambda: self.do_save_act("docx"))
        self.actions["confirm_paid"].triggered.connect(self.do_confirm_paid)
        self.actions["clear_paid"].triggered.connect(self.do_clear_paid)
        self.file_dialog: QFileDialog | None = None

    def retranslate(self) -> None:
        for key, act in self.actions.items():
            act.setText(act_action_title(key))
            if not act.shortcut().isEmpty():
                act.setToolTip(f"{act_action_title(key).rstrip('…')} "
                               f"({act.shortcut().toString(QKeySequence.SequenceFormat.NativeText)})")

    def set_ticket(self, data: TicketPage | None) -> None:
        a = self.actions
        if data is None:
            for act in a.values():
                act.setEnabled(False)
            return
        a["refuse_act"].setEnabled(data.acts.open_acceptance is not None)
        can_issue = data.status in ("resolved", "in_progress", "escalated")
        for key in ("save_act_pdf", "save_act_docx"):
            a[key].setEnabled(data.acts.latest is not None or can_issue)
        suggested = "paid_suggested" in data.flags
        a["confirm_paid"].setEnabled(suggested)
        a["clear_paid"].setEnabled(suggested or data.paid)

    # --- the actions -------------------------------------------------------------------------

    def do_refuse_act(self) -> QDialog | None:
        from ui.dialogs.refuse_act import open_refuse_act

        return open_refuse_act(self.host, self.host.ws.now())

    def do_save_act(self, fmt: str) -> QFileDialog | None:
        """Ask where (without blocking the window), then write the file in the write lane: an act
        not yet made in this format is rendered and kept."""
        page = self.host.data
        if page is None:
            return None
        latest = page.acts.latest
        name = safe_filename(f"act-{latest.number if latest else page.tid}.{fmt}")
        folder = self.host.ws.paths.exports
        dlg = QFileDialog(self.host.window, QCoreApplication.translate("Actions", "Save act as PDF") if fmt == "pdf" else QCoreApplication.translate("Actions", "Save act as DOCX"),
                          str(folder / name))
        dlg.setObjectName("save_act_dialog")
        dlg.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dlg.setDefaultSuffix(fmt)
        dlg.setNameFilter(QCoreApplication.translate("Actions", "PDF document (*.pdf)") if fmt == "pdf" else QCoreApplication.translate("Actions", "Word document (*.docx)"))
        dlg.setOption(QFileDialog.Option.DontUseNativeDialog, True)  # a native one would block the window
        ws, tid = self.host.ws, page.tid

        def chosen(path: str) -> None:
            target = Path(path)
            self.host._run(lambda: _save_act(ws, tid, fmt, target), tid,
                           notice=lambda act: QCoreApplication.translate("Actions", "Act {0} saved to {1}").format(act.number, act.path))

        dlg.fileSelected.connect(chosen)
        dlg.open()
        self.file_dialog = dlg
        return dlg

    def do_confirm_paid(self) -> None:
        page = self.host.data
        if page is not None:
            ws, tid, v = self.host.ws, page.tid, page.version
            self.host._run(lambda: tickets.confirm_paid(ws, tid, expected_version=v), tid,
                           notice=lambda _r: QCoreApplication.translate("Actions", "{0}: paid work confirmed").format(tid))

    def do_clear_paid(self) -> None:
        page = self.host.data
        if page is not None:
            ws, tid, v = self.host.ws, page.tid, page.version
            self.host._run(lambda: tickets.clear_paid(ws, tid, expected_version=v), tid,
                           notice=lambda _r: QCoreApplication.translate("Actions", "{0}: free work").format(tid))

    def do_rework_done(self, item_id: int) -> None:
        page = self.host.data
        if page is not None:
            ws, tid = self.host.ws, page.tid
            self.host._run(lambda: _rework_done(ws, tid, item_id), tid,
                           notice=lambda what: QCoreApplication.translate("Actions", "Rework done: {0}").format(what))
