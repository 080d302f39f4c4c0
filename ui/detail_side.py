"""The side of the ticket pane: the client card and the history, in the reader's words.

Pure painting of the ticket page's parts (no widgets), so the pane's module holds only the pane.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from PySide6.QtCore import QCoreApplication

from desktop import times
from desktop.domain.tickets import status_name
from desktop.services.reads.autoreply_counts import AutoReplyCounts
from desktop.services.reads.ticket_page import ClientCard, HistoryLine
from ui.countdown import state_foreground
from ui.detail_header import flag_text, priority_text
from ui.thread_html import local_time


def history_text(e: HistoryLine, lang: str) -> str:
    """One line of the audit trail in the reader's words (never an action's stored name)."""
    action, old, new, details = e.action, e.old, e.new, e.details or {}
    tr = QCoreApplication.translate
    if action == "status":
        return tr("Detail", "Status: {0} → {1}").format(
            status_name(old, lang) if old else "—", status_name(new, lang) if new else "—")
    if action == "created":
        return tr("Detail", "Ticket created")
    if action == "assign":
        return tr("Detail", "Assignee: {0} → {1}").format(old or "—", new or "—")
    if action == "mail_queued":
        return tr("Detail", "Mail to the client queued ({0})").format(new or "")
    if action == "note":
        return tr("Detail", "Internal note added")
    if action in ("paid", "paid_suggested"):
        return paid_text(action, new, details)
    if action == "flag":
        name = flag_text(e.field or "")
        on = new in ("True", "true", "1")
        return (tr("Detail", "Marked: {0}") if on else tr("Detail", "Mark cleared: {0}")).format(name)
    if action == "change":
        return tr("Detail", "{0}: {1} → {2}").format(
            field_title(e.field or ""), _value(e.field, old), _value(e.field, new))
    if action == "contact_logged":
        return tr("Detail", "Contact logged: answered by {0} at {1}").format(
            new or "—", local_time(datetime.fromisoformat(details["answered_at"])) if details.get("answered_at") else "—")
    if action == "work":
        return tr("Detail", "Work logged: {0} min").format(details.get("minutes", ""))
    if action == "merge":
        return tr("Detail", "Merged {0} into this ticket").format(old or "")
    if action == "merged_into":
        return tr("Detail", "Merged into {0} as its duplicate").format(new or "")
    if action == "thread_confirmed":
        return tr("Detail", "Thread confirmed: the message from {0} belongs here").format(new or "—")
    if action == "split":
        return tr("Detail", "Split into {0}").format(new or "")
    if action == "split_from":
        return tr("Detail", "Split out of {0}").format(new or "")
    if action == "move_out":
        return (tr("Detail", "The message from {0} moved to {1}").format(old, new or "") if old
                else tr("Detail", "A message moved to {0}").format(new or ""))
    if action == "move_in":
        return (tr("Detail", "The message from {0} moved here from {1}").format(new, old or "") if new
                else tr("Detail", "A message moved here from {0}").format(old or ""))
    if action == "message_in":
        return tr("Detail", "Message from the client")
    if action == "reminder":
        return tr("Detail", "Reminder sent to the client: the ticket closes if they do not answer")
    if action == "act_issued":
        return tr("Detail", "Act {0} issued").format(new or "")
    if action == "act_sent":
        return tr("Detail", "Act {0} sent to the client for acceptance").format(new or "")
    if action == "act_accepted":
        return tr("Detail", "Act {0} accepted by the client").format(new or "")
    if action == "act_deemed_accepted":
        return tr("Detail", "Act {0} deemed accepted: no motivated refusal in time").format(new or "")
    if action == "act_overdue":
        return tr("Detail", "Act {0}: the time for its acceptance has run out").format(new or "")
    if action == "act_refused":
        return tr("Detail", "Act {0} refused with reasons; bilateral act {1} made").format(old or "", new or "")
    if action == "rework_done":
        return tr("Detail", "Rework done: {0}").format(new or "")
    if action == "ack_suppressed":
        return tr("Detail", "No acknowledgement sent: {0}").format(suppression_text(new or ""))
    if action == "mail_repaired":
        return tr("Detail", "The message was read with repairs: {0}").format(new or "")
    if action == "follow_up_of":
        return tr("Detail", "Follow-up of {0}").format(new or "")
    if action == "archived":
        return tr(
            "Detail", "Imported closed from the mailbox's archive: the mail was there before the mailbox "
            "was connected (no acknowledgement, no deadlines)")
    if e.field:  # something a later version records: its field and values, never its code name
        return tr("Detail", "{0}: {1} → {2}").format(field_title(e.field), old or "—", new or "—")
    return tr("Detail", "Changed")


def paid_text(action: str, new: str | None, details: Mapping[str, Any]) -> str:
    """A paid-work line: suggested (by which rule), confirmed, marked by hand or cleared."""
    from ui.dialogs.paid import basis_text

    tr = QCoreApplication.translate
    basis = str(details.get("basis") or (new if action == "paid_suggested" else "") or "")
    if action == "paid_suggested":
        return tr("Detail", "Suggested as paid work: {0}").format(basis_text(basis) if basis else "—")
    paid = new in ("True", "true", "1")
    if details.get("confirmed"):
        text = tr("Detail", "Paid work confirmed")
    elif not paid and details.get("suggested"):
        text = tr("Detail", "Paid-work suggestion cleared: free work")
    else:
        text = tr("Detail", "Marked as paid work") if paid else tr("Detail", "Marked as free work")
    reason = str(details.get("reason") or "")
    if paid and basis and not details.get("confirmed") and basis != "other":
        reason = f"{basis_text(basis)}: {reason}" if reason else basis_text(basis)
    elif details.get("confirmed") and basis:
        reason = basis_text(basis)
    return f"{text}: {reason}" if reason else text


def field_title(name: str) -> str:
    """A ticket's field as the header names it."""
    return {
        "priority": QCoreApplication.translate("Detail", "Priority"),
        "category": QCoreApplication.translate("Detail", "Category"),
        "department": QCoreApplication.translate("Detail", "Department"),
        "client": QCoreApplication.translate("Detail", "Client"),
        "client_id": QCoreApplication.translate("Detail", "Client"),
        "requester": QCoreApplication.translate("Detail", "Requester"),
        "subject": QCoreApplication.translate("Detail", "Subject"),
        "plan": QCoreApplication.translate("Detail", "Plan"),
        "assignee": QCoreApplication.translate("Detail", "Assignee"),
        "password_reminder": QCoreApplication.translate("Detail", "Remind to change password"),
    }.get(name, name)


def _value(field: str | None, value: str | None) -> str:
    if not value:
        return "—"
    if value in ("True", "False"):
        return QCoreApplication.translate("Detail", "yes") if value == "True" else QCoreApplication.translate("Detail", "no")
    if field == "category":
        from ui.dialogs.edit_ticket import category_text

        return category_text(value)
    return priority_text(value) if field == "priority" else value


def suppression_text(reason: str) -> str:
    """Why a new ticket got no acknowledgement (the reasons of desktop/mail/loops.py and ingest)."""
    return {
        "auto-submitted": QCoreApplication.translate("Detail", "the mail is an automatic reply"),
        "precedence": QCoreApplication.translate("Detail", "the mail is bulk mail"),
        "list-id": QCoreApplication.translate("Detail", "the mail came from a mailing list"),
        "x-auto-response-suppress": QCoreApplication.translate("Detail", "the sender asked for no automatic replies"),
        "x-loop": QCoreApplication.translate("Detail", "the mail is looping"),
        "bounce": QCoreApplication.translate("Detail", "the mail is a delivery report"),
        "no-sender": QCoreApplication.translate("Detail", "the mail has no sender"),
        "system-sender": QCoreApplication.translate("Detail", "the sender is a mail system"),
        "own-address": QCoreApplication.translate("Detail", "the sender is one of our own addresses"),
        "rate-limit": QCoreApplication.translate("Detail", "this sender already got the hourly limit of automatic replies"),
        "list-unsubscribe": QCoreApplication.translate("Detail", "the mail is a newsletter (List-Unsubscribe)"),
        "vacation-subject": QCoreApplication.translate("Detail", "the subject is that of an out-of-office reply"),
        "invalid-sender": QCoreApplication.translate("Detail", "the sender's address is not valid"),
        "history": QCoreApplication.translate("Detail", "the mail was in the mailbox long before it was connected"),
    }.get(reason, reason)


def autoreply_text(counts: AutoReplyCounts) -> str:
    """The loop breaker's counts for the requester, or "" when nothing was sent or held back."""
    if not counts.held_back_hour and not counts.sent_hour:
        return ""
    return QCoreApplication.translate(
        "Detail", "Automatic replies held back for this sender: {0} this hour (sent {1} of {2} allowed an hour)"
    ).format(counts.held_back_hour, counts.sent_hour, counts.limit)


def card_html(card: ClientCard | None, lang: str, dark: bool = False) -> str:
    def colour(state: str) -> str:
        fg = state_foreground(state, dark)
        return fg.name() if fg is not None else ""

    if card is None:
        return f"<p style='color:{colour('warning')}'><b>" + html.escape(
            QCoreApplication.translate("Detail", "The sender is not a known client.")) + "</b></p><p>" + html.escape(
            QCoreApplication.translate("Detail", "Identify the client (Ticket ▸ Edit ticket…, Ctrl+Shift+E) before "
                                                 "working on the ticket, or refuse it with the reason “client not "
                                                 "identified”.")) + "</p>"
    ru = lang == "ru"
    plan = (card.plan_ru if ru and card.plan_ru else card.plan_en) or "—"
    active = (
        f"<span style='color:{colour('ok')}'><b>" + html.escape(QCoreApplication.translate("Detail", "active")) + "</b></span>"
        if card.service_active else
        f"<span style='color:{colour('breached')}'><b>" + html.escape(QCoreApplication.translate("Detail", "expired"))
        + "</b></span>"
    )
    rows = [
        (QCoreApplication.translate("Detail", "Plan"), html.escape(plan)
         + (" · " + html.escape(QCoreApplication.translate("Detail", "priority support")) if card.priority_support else "")),
        (QCoreApplication.translate("Detail", "Contract"), html.escape(
            (card.contract_no or "—") + (f" ({times.dmy(card.contract_date)})" if card.contract_date else ""))),
        (QCoreApplication.translate("Detail", "Service"), active + (
            html.escape(" " + QCoreApplication.translate("Detail", "until {0}").format(
                times.dmy(card.active_until))) if card.active_until else "")),
        (QCoreApplication.translate("Detail", "Open tickets"), str(card.open_tickets)),
        (QCoreApplication.translate("Detail", "INN"), html.escape(card.inn or "—")),
        (QCoreApplication.translate("Detail", "Address"), html.escape(card.address or "—")),
        (QCoreApplication.translate("Detail", "Mail from"), html.escape(", ".join(card.addresses) or "—")),
    ]
    body = "".join(
        f"<tr><td style='color:{'#a0a0a0' if dark else '#666'}; padding:2px 10px 2px 0' valign='top'>{html.escape(k)}</td>"
        f"<td>{v}</td></tr>"
        for k, v in rows
    )
    return f"<h3 style='margin:0 0 6px 0'>{html.escape(card.name)}</h3><table>{body}</table>"
