"""Every ticket action as a QAction with a shortcut, a dialog when it needs words, and one call
into ``desktop.services`` in the write lane (R-UI-2).

An action is enabled only when the lifecycle allows it for the ticket on screen; the service
checks again (a colleague may have moved the ticket meanwhile) and its plain message is shown.
Each change is made with the version the agent saw, so an overwrite becomes a conflict message.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QListWidget, QListWidgetItem, QWidget

from desktop.domain.tickets import TRANSITIONS, Status
from desktop.services import tickets
from desktop.services.reads.queue import Choices
from desktop.services.reads.ticket_page import TicketPage
from desktop.services.workspace import Workspace
from ui import i18n
from ui.act_actions import ActActions
from ui.dialogs.form import FormDialog
from ui.dialogs.merge import ReasonOffer, open_merge
from ui.errors import show_error
from ui.thread_html import local_time
from ui.workers import Runner

if TYPE_CHECKING:
    from desktop.services.acts import IssuedAct


# The acts service brings PDF and DOCX rendering along and the replies service the mail
# composer, which start-up does not need (``ui.app`` preloads them in the background after the
# first paint): each is imported here, in the lane that runs the call, the first time it is made.


def _issue_act(ws: Workspace, tid: str) -> IssuedAct:
    from desktop.services import acts

    return acts.issue_act(ws, tid)


def _send_act(ws: Workspace, tid: str) -> str:
    from desktop.services import acts

    return acts.send_act(ws, tid)


def _accept_act(ws: Workspace, tid: str) -> str:
    from desktop.services import acts

    return acts.accept_act(ws, tid)


def _reason_template(ws: Workspace, tid: str, code: str) -> str:
    from desktop.services import replies

    return replies.reason_template(ws, tid, code)


@dataclass(frozen=True)
class Spec:
    key: str
    shortcut: str
    needs: tuple[Status, ...] | None = None  # a target status that must be allowed


SPECS = (
    Spec("take", "Ctrl+T", (Status.IN_PROGRESS,)),
    Spec("reply", "Ctrl+R"),
    Spec("request_info", "Ctrl+I", (Status.WAITING_CLIENT,)),
    Spec("escalate", "Ctrl+E", (Status.ESCALATED,)),
    Spec("postpone", "Ctrl+P", (Status.POSTPONED,)),
    Spec("refuse", "Ctrl+Shift+R", (Status.REFUSED,)),
    Spec("resolve", "Ctrl+D", (Status.RESOLVED,)),
    Spec("close", "Ctrl+Shift+D", (Status.CLOSED,)),
    Spec("reopen", "Ctrl+Shift+O"),
    Spec("assign", "Ctrl+Shift+A"),
    Spec("paid", "Ctrl+Shift+P"),
    Spec("note", "Ctrl+N"),
    Spec("log_work", "Ctrl+W"),
    Spec("merge", "Ctrl+M"),
    Spec("split", "Ctrl+Shift+S"),
    Spec("issue_act", "Ctrl+Shift+K"),
    Spec("send_act", "Ctrl+Shift+J"),
    Spec("accept_act", "Ctrl+Shift+U"),
    Spec("explain", "F2"),
    Spec("edit", "Ctrl+Shift+E"),
)


def action_title(key: str) -> str:
    return {
        "take": QCoreApplication.translate("Actions", "Take into work"),
        "reply": QCoreApplication.translate("Actions", "Reply…"),
        "request_info": QCoreApplication.translate("Actions", "Request information…"),
        "escalate": QCoreApplication.translate("Actions", "Escalate…"),
        "postpone": QCoreApplication.translate("Actions", "Postpone…"),
        "refuse": QCoreApplication.translate("Actions", "Refuse…"),
        "resolve": QCoreApplication.translate("Actions", "Resolve…"),
        "close": QCoreApplication.translate("Actions", "Close"),
        "reopen": QCoreApplication.translate("Actions", "Reopen…"),
        "assign": QCoreApplication.translate("Actions", "Assign…"),
        "paid": QCoreApplication.translate("Actions", "Paid work…"),
        "note": QCoreApplication.translate("Actions", "Internal note…"),
        "log_work": QCoreApplication.translate("Actions", "Log work…"),
        "merge": QCoreApplication.translate("Actions", "Merge into…"),
        "split": QCoreApplication.translate("Actions", "Split…"),
        "issue_act": QCoreApplication.translate("Actions", "Issue acceptance act"),
        "send_act": QCoreApplication.translate("Actions", "Send act to client"),
        "accept_act": QCoreApplication.translate("Actions", "Act accepted by client"),
        "explain": QCoreApplication.translate("Actions", "Why this deadline?"),
        "edit": QCoreApplication.translate("Actions", "Edit ticket…"),
        "log_contact": QCoreApplication.translate("Actions", "Log phone/chat consultation…"),
    }[key]


#: Characters of a message's text the split dialog shows beside it, and in its tooltip.
SPLIT_PREVIEW = 180
SPLIT_TOOLTIP = 2000

#: Shown on the detail toolbar, in this order; the rest live in the Ticket menu.
TOOLBAR = ("take", "reply", "request_info", "escalate", "postpone", "refuse", "resolve", "reopen",
           "assign", "edit", "note")


class TicketActions(QObject):
    """Owns the actions; ``changed(tid)`` after a successful change, ``created(tid)`` for new."""

    changed = Signal(str)
    created = Signal(str)
    notice = Signal(str)
    dialogOpened = Signal(object)

    def __init__(self, parent: QWidget, runner: Runner, ws: Workspace) -> None:
        super().__init__(parent)
        self.window = parent
        self.runner, self.ws = runner, ws
        self.data: TicketPage | None = None
        self.choices: Choices | None = None
        self.explain_handler: Callable[[str, str], None] | None = None
        self.reply_handler: Callable[[], QWidget | None] | None = None
        self.actions: dict[str, QAction] = {}
        for spec in SPECS:
            act = QAction(self)
            act.setObjectName(f"action_{spec.key}")
            if spec.shortcut:
                act.setShortcut(QKeySequence(spec.shortcut))
            act.triggered.connect(getattr(self, f"do_{spec.key}"))
            self.actions[spec.key] = act
        contact = QAction(self)
        contact.setObjectName("action_log_contact")
        contact.setShortcut(QKeySequence("Ctrl+L"))
        contact.triggered.connect(self.do_log_contact)
        self.actions["log_contact"] = contact
        self.acts = ActActions(self, self.actions)  # refuse act, save as, paid, rework (ui.act_actions)
        self.retranslate()
        self.set_ticket(None)

    def retranslate(self) -> None:
        self.acts.retranslate()
        for key, act in self.actions.items():
            if key in self.acts.actions:
                continue
            act.setText(action_title(key))
            if not act.shortcut().isEmpty():
                act.setToolTip(f"{action_title(key).rstrip('…')} ({act.shortcut().toString(QKeySequence.SequenceFormat.NativeText)})")

    def set_ticket(self, data: TicketPage | None) -> None:
        self.data = data
        status = Status(data.status) if data is not None else None
        for spec in SPECS:
            act = self.actions[spec.key]
            if status is None:
                act.setEnabled(False)
                continue
            ok = True
            if spec.needs:
                ok = all(t in TRANSITIONS[status] for t in spec.needs)
            if spec.key == "reopen":
                ok = status in (Status.RESOLVED, Status.CLOSED, Status.INACTIVE, Status.REFUSED, Status.POSTPONED)
            if spec.key in ("merge", "split", "edit"):
                ok = status is not Status.DUPLICATE
            if spec.key in ("issue_act", "send_act", "accept_act"):
                ok = status in (Status.RESOLVED, Status.IN_PROGRESS, Status.ESCALATED) if spec.key == "issue_act" \
                    else status is Status.RESOLVED
            if spec.key == "reply":
                ok = status is not Status.DUPLICATE
            act.setEnabled(ok)
        self.acts.set_ticket(data)

    # --- plumbing --------------------------------------------------------------------------

    def _tid_version(self) -> tuple[str, int] | None:
        if self.data is None:
            return None
        return self.data.tid, self.data.version

    def _run(self, fn: Callable[[], Any], tid: str, created: bool = False,
             notice: Callable[[Any], str] | None = None) -> None:
        def done(result: Any) -> None:
            if created and isinstance(result, str):
                self.created.emit(result)
            if notice is not None:
                self.notice.emit(notice(result))
            if tid:
                self.changed.emit(tid)

        self.runner.write(fn, done, self._failed)

    def _failed(self, exc: BaseException) -> None:
        show_error(self.window, exc)
        if self.data is not None:  # show what changed under us
            self.changed.emit(self.data.tid)

    def _open(self, dialog: QDialog, on_accept: Callable[[], None]) -> QDialog:
        dialog.accepted.connect(on_accept)
        dialog.open()
        self.dialogOpened.emit(dialog)
        return dialog

    def _lang(self) -> str:
        return i18n.current()

    # --- the actions -----------------------------------------------------------------------

    def do_take(self) -> None:
        tv = self._tid_version()
        if tv:
            tid, v = tv
            self._run(lambda: tickets.take_into_work(self.ws, tid, expected_version=v), tid)

    def do_reply(self) -> QWidget | None:
        """The reply composer, inline under the thread (``ui.composer``; the window sets
        ``reply_handler`` to open it)."""
        if self.data is None or self.reply_handler is None:
            return None
        composer = self.reply_handler()
        if composer is not None:
            self.dialogOpened.emit(composer)
        return composer

    def do_request_info(self) -> QDialog | None:
        tv = self._tid_version()
        if not tv:
            return None
        tid, v = tv
        dlg = FormDialog(self.window, QCoreApplication.translate("Actions", "Request information — {0}").format(tid),
                         QCoreApplication.translate("Actions", "The message goes to the client and the SLA clock pauses until they answer."),
                         QCoreApplication.translate("Actions", "Send and wait"))
        dlg.add_text("text", QCoreApplication.translate("Actions", "Message:"))
        return self._open(dlg, lambda: self._run(
            lambda: tickets.request_information(self.ws, tid, dlg.value("text"), expected_version=v), tid))

    def do_escalate(self) -> QDialog | None:
        tv = self._tid_version()
        if not tv:
            return None
        tid, v = tv
        dlg = FormDialog(self.window, QCoreApplication.translate("Actions", "Escalate — {0}").format(tid), ok_text=QCoreApplication.translate("Actions", "Escalate"))
        depts: list[tuple[str | None, str]] = [(None, QCoreApplication.translate("Actions", "(same department)"))]
        if self.choices:
            depts += [(c.code, c.label(self._lang())) for c in self.choices.departments]
        dlg.add_combo("department", QCoreApplication.translate("Actions", "Hand to:"), depts)
        dlg.add_text("note", QCoreApplication.translate("Actions", "Note for colleagues:"), min_height=90)
        return self._open(dlg, lambda: self._run(lambda: tickets.escalate(
            self.ws, tid, to_department=dlg.value("department"), note=dlg.value("note"), expected_version=v), tid))

    def _reason_dialog(self, use: str) -> QDialog | None:
        tv = self._tid_version()
        if not tv:
            return None
        tid, v = tv
        title = QCoreApplication.translate("Actions", "Postpone — {0}") if use == "postpone" else QCoreApplication.translate("Actions", "Refuse — {0}")
        dlg = FormDialog(self.window, title.format(tid),
                         QCoreApplication.translate("Actions", "The reply is filled from the reason's template; edit it or clear it "
                                      "to send nothing."),
                         QCoreApplication.translate("Actions", "Postpone") if use == "postpone" else QCoreApplication.translate("Actions", "Refuse"))
        reasons = [(c.code, c.label(self._lang())) for c, u in (self.choices.reasons if self.choices else ())
                   if u in ("both", use)]
        combo = dlg.add_combo("reason", QCoreApplication.translate("Actions", "Reason:"), reasons)
        reply_box = dlg.add_text("reply", QCoreApplication.translate("Actions", "Reply to the client:"), min_height=160)
        dlg.add_line("note", QCoreApplication.translate("Actions", "Internal note:"))
        dlg.resize(640, 480)

        def fill(_i: int = 0) -> None:
            code = combo.currentData()
            if code:
                self.runner.read(lambda: _reason_template(self.ws, tid, code),
                                 reply_box.setPlainText, self._failed)

        combo.currentIndexChanged.connect(fill)
        fill()
        # "Several unrelated problems" offers the split instead, "duplicate" the merge.
        dlg.offer = ReasonOffer(self, dlg, combo)  # type: ignore[attr-defined]
        fn = tickets.postpone if use == "postpone" else tickets.refuse
        return self._open(dlg, lambda: self._run(lambda: fn(
            self.ws, tid, dlg.value("reason"), note=dlg.value("note"), reply=dlg.value("reply"),
            expected_version=v), tid))

    def do_postpone(self) -> QDialog | None:
        return self._reason_dialog("postpone")

    def do_refuse(self) -> QDialog | None:
        return self._reason_dialog("refuse")

    def do_resolve(self) -> QDialog | None:
        tv = self._tid_version()
        if not tv:
            return None
        tid, v = tv
        dlg = FormDialog(self.window, QCoreApplication.translate("Actions", "Resolve — {0}").format(tid), ok_text=QCoreApplication.translate("Actions", "Resolve"))
        dlg.add_text("summary", QCoreApplication.translate("Actions", "What was done:"), min_height=90)
        dlg.add_check("notify", QCoreApplication.translate("Actions", "Tell the client"), True)
        return self._open(dlg, lambda: self._run(lambda: tickets.resolve(
            self.ws, tid, summary=dlg.value("summary"), notify=dlg.value("notify"), expected_version=v), tid))

    def do_close(self) -> None:
        tv = self._tid_version()
        if tv:
            tid, v = tv
            self._run(lambda: tickets.close(self.ws, tid, expected_version=v), tid)

    def do_reopen(self) -> QDialog | None:
        tv = self._tid_version()
        if not tv:
            return None
        tid, v = tv
        dlg = FormDialog(self.window, QCoreApplication.translate("Actions", "Reopen — {0}").format(tid), ok_text=QCoreApplication.translate("Actions", "Reopen"))
        dlg.add_line("note", QCoreApplication.translate("Actions", "Why:"))
        return self._open(dlg, lambda: self._run(
            lambda: tickets.reopen(self.ws, tid, note=dlg.value("note"), expected_version=v), tid))

    def do_assign(self) -> QDialog | None:
        tv = self._tid_version()
        if not tv:
            return None
        tid, v = tv
        dlg = FormDialog(self.window, QCoreApplication.translate("Actions", "Assign — {0}").format(tid), ok_text=QCoreApplication.translate("Actions", "Assign"))
        agents: list[tuple[Any, str]] = [("", QCoreApplication.translate("Actions", "Nobody"))]
        if self.choices:
            agents += [(a.code, a.label(self._lang())) for a in self.choices.agents]
        if not any(code == self.ws.actor for code, _ in agents):
            agents.append((self.ws.actor, self.ws.actor))
        dlg.add_combo("agent", QCoreApplication.translate("Actions", "Agent:"), agents, self.data.assignee if self.data else None)
        return self._open(dlg, lambda: self._run(
            lambda: tickets.assign(self.ws, tid, dlg.value("agent") or None, expected_version=v), tid))

    def do_paid(self) -> QDialog | None:
        from ui.dialogs.paid import open_paid

        return open_paid(self)

    def do_note(self) -> QDialog | None:
        tv = self._tid_version()
        if not tv:
            return None
        tid, _v = tv
        dlg = FormDialog(self.window, QCoreApplication.translate("Actions", "Internal note — {0}").format(tid),
                         QCoreApplication.translate("Actions", "Notes are seen by support only."), QCoreApplication.translate("Actions", "Add note"))
        dlg.add_text("text", QCoreApplication.translate("Actions", "Note:"))
        return self._open(dlg, lambda: self._run(lambda: tickets.add_note(self.ws, tid, dlg.value("text")), tid))

    def do_log_work(self) -> QDialog | None:
        tv = self._tid_version()
        if not tv:
            return None
        tid, _v = tv
        dlg = FormDialog(self.window, QCoreApplication.translate("Actions", "Log work — {0}").format(tid), ok_text=QCoreApplication.translate("Actions", "Log"))
        dlg.add_line("description", QCoreApplication.translate("Actions", "Work done:"))
        dlg.add_spin("minutes", QCoreApplication.translate("Actions", "Time:"), 0, 100_000, 30, QCoreApplication.translate("Actions", " min"))
        dlg.add_line("amount", QCoreApplication.translate("Actions", "Amount (paid work):"), placeholder="0.00")
        return self._open(dlg, lambda: self._run(lambda: tickets.log_work(
            self.ws, tid, dlg.value("description"), dlg.value("minutes"), dlg.value("amount") or None), tid))

    def do_merge(self) -> QDialog | None:
        return open_merge(self)  # the likely original filled in

    def do_split(self) -> QDialog | None:
        if self.data is None:
            return None
        tid, v = self.data.tid, self.data.version
        dlg = FormDialog(self.window, QCoreApplication.translate("Actions", "Split — {0}").format(tid),
                         QCoreApplication.translate("Actions", "Tick the messages that make a new ticket (one question per ticket)."),
                         QCoreApplication.translate("Actions", "Split"))
        dlg.setMinimumWidth(700)
        listing = QListWidget(dlg)
        listing.setObjectName("split_messages")
        # Each message as its header and the start of its text, wrapped, with the whole text
        # on hover: which question a message asks is what the agent splits by (one line cut
        # at 60 characters behind a horizontal scroll bar told too little).
        listing.setWordWrap(True)
        listing.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        for m in self.data.thread:
            text = " ".join((m.text or "").split())
            preview = text if len(text) <= SPLIT_PREVIEW else text[: SPLIT_PREVIEW - 1].rstrip() + "…"
            head = f"{local_time(m.date)} · {m.from_name or m.sender}"
            item = QListWidgetItem(f"{head}\n{preview}" if preview else head)
            item.setToolTip((m.text or "").strip()[:SPLIT_TOOLTIP])
            item.setData(Qt.ItemDataRole.UserRole, m.id)
            item.setCheckState(Qt.CheckState.Unchecked)
            listing.addItem(item)
        dlg.fields["messages"] = listing
        dlg.form.addRow(QCoreApplication.translate("Actions", "Messages:"), listing)
        dlg.add_line("subject", QCoreApplication.translate("Actions", "Subject of the new ticket:"))

        def chosen() -> list[int]:
            return [int(listing.item(i).data(Qt.ItemDataRole.UserRole)) for i in range(listing.count())
                    if listing.item(i).checkState() == Qt.CheckState.Checked]

        return self._open(dlg, lambda: self._run(
            lambda: tickets.split(self.ws, tid, chosen(), dlg.value("subject") or None, expected_version=v),
            tid, created=True))

    def do_issue_act(self) -> None:
        if self.data is not None:
            tid, ws = self.data.tid, self.ws
            self._run(lambda: _issue_act(ws, tid), tid,
                      notice=lambda act: QCoreApplication.translate("Actions", "Act {0} saved to {1}").format(
                          act.number, act.path))

    def do_send_act(self) -> None:
        if self.data is not None:
            tid, ws = self.data.tid, self.ws
            self._run(lambda: _send_act(ws, tid), tid,
                      notice=lambda number: QCoreApplication.translate("Actions", "Act {0} queued to the client").format(number))

    def do_accept_act(self) -> None:
        if self.data is not None:
            tid, ws = self.data.tid, self.ws
            self._run(lambda: _accept_act(ws, tid), tid,
                      notice=lambda number: QCoreApplication.translate("Actions", "Act {0} accepted").format(number))

    def do_explain(self) -> None:
        if self.data is not None and self.explain_handler is not None:
            kinds = [k for k, _ in self.data.countdowns]
            self.explain_handler(self.data.tid, kinds[0] if kinds else "reaction")

    def do_edit(self) -> QDialog | None:
        from ui.dialogs.edit_ticket import open_edit

        return open_edit(self)

    def do_log_contact(self) -> QDialog:
        from ui.dialogs.log_contact import open_log_contact

        return open_log_contact(self)
