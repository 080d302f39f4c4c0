"""The head of the ticket pane: the title, the line of facts (status, plan, priority, assignee,
sender, received, paid, flags) and the deadlines with their "why" links (R-UI-1, R-SLA-4a).

Pure painting of a :class:`~desktop.services.reads.ticket_page.TicketPage` into rich text, kept
apart from the pane's widgets so the countdown tick can redraw the deadlines alone.
"""

from __future__ import annotations

import html
from datetime import tzinfo

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QColor

from desktop import times
from desktop.domain.tickets import status_name
from desktop.services.reads.ticket_page import Countdowns, TicketPage
from ui import i18n
from ui.countdown import blend, priority_foreground, state_background, state_foreground


def flag_text(flag: str) -> str:
    return {
        "client_not_identified": QCoreApplication.translate("Detail", "Client not identified"),
        "empty_subject": QCoreApplication.translate("Detail", "Empty subject"),
        "several_questions": QCoreApplication.translate("Detail", "Several questions"),
        "possible_duplicate": QCoreApplication.translate("Detail", "Possible duplicate"),
        "thread_confirm": QCoreApplication.translate("Detail", "Confirm the thread"),
        "paid_suggested": QCoreApplication.translate("Detail", "Paid work?"),
        "written_confirmation_required": QCoreApplication.translate("Detail", "Needs written confirmation"),
        "act_overdue": QCoreApplication.translate("Detail", "Act not answered"),
        "change_password_reminder": QCoreApplication.translate("Detail", "Remind to change password"),
    }.get(flag, flag)


def kind_text(kind: str) -> str:
    return {
        "reaction": QCoreApplication.translate("Detail", "Reaction"),
        "resolution": QCoreApplication.translate("Detail", "Resolution"),
    }.get(kind, kind)


def priority_text(p: str) -> str:
    return {
        "low": QCoreApplication.translate("Detail", "low"),
        "normal": QCoreApplication.translate("Detail", "normal"),
        "high": QCoreApplication.translate("Detail", "high"),
        "urgent": QCoreApplication.translate("Detail", "urgent"),
    }.get(p, p)


def calendar_zone(countdowns: Countdowns) -> tzinfo | None:
    """The plan's calendar zone, which deadlines are computed (and returned) in; None without one."""
    for _kind, cd in countdowns:
        if cd.deadline is not None:
            return cd.deadline.tzinfo
    return None


def title_text(page: TicketPage) -> str:
    subject = page.subject or QCoreApplication.translate("Detail", "(no subject)")
    return f"{page.tid} — {subject}"


def meta_html(page: TicketPage, lang: str, dark: bool) -> str:
    """The line of facts under the title, and the ticket's flags as chips below it."""
    ru = lang == "ru"
    plan = ""
    if page.card is not None:
        plan = (page.card.plan_ru if ru and page.card.plan_ru else page.card.plan_en) or ""
    if not plan:  # no client card (sender not identified): the ticket's own plan
        plan = page.plan_name(lang) or ""
    status = status_name(page.status, lang, page.archived)
    chips = [
        f"<b>{html.escape(status)}</b>",
        html.escape(QCoreApplication.translate("Detail", "Plan: {0}").format(plan or page.plan or "—")),
        html.escape(QCoreApplication.translate("Detail", "Priority: {0}").format(priority_text(page.priority))),
        html.escape(QCoreApplication.translate("Detail", "Assignee: {0}").format(page.assignee or "—")),
        html.escape(QCoreApplication.translate("Detail", "From: {0}").format(
            f"{page.requester_name or ''} <{page.requester}>".strip())),
        html.escape(QCoreApplication.translate("Detail", "Received: {0}").format(
            times.dual(page.received_at, calendar_zone(page.countdowns), lang))),
    ]
    if page.paid:
        chips.append(f"<span style='color:{priority_foreground(dark).name()}'><b>"
                     + html.escape(QCoreApplication.translate("Detail", "Paid")) + "</b></span>")
    def chip(flag: str) -> str:  # a possible duplicate names its likely original
        if flag == "possible_duplicate" and page.duplicate_candidate is not None:
            return QCoreApplication.translate("Detail", "Possible duplicate of {0}").format(page.duplicate_candidate.tid)
        return flag_text(flag)

    flag_html = "".join(
        f"&nbsp;<span style='background-color:#fff0c2; color:#6b4f00'>&nbsp;{html.escape(chip(str(f)))}&nbsp;</span>"
        for f in page.flags if f
    )
    return " &nbsp;·&nbsp; ".join(chips) + (f"<br>{flag_html}" if flag_html else "")


def deadlines_html(countdowns: Countdowns, archived: bool, dark: bool, window: QColor) -> str:
    """Each running or finished target in its state's colours, with a link to its explanation;
    ``window`` is the label's background, which a tinted state is blended into."""
    parts = []
    for kind, cd in countdowns:
        fg = state_foreground(cd.state, dark)
        bg = state_background(cd.state)
        style = f"color:{fg.name()};" if fg is not None else ""
        if bg is not None:
            style += f"background-color:{blend(bg, window).name()};"
        due = times.dual(cd.deadline, cd.deadline.tzinfo, i18n.current()) if cd.deadline else ""
        link = html.escape(QCoreApplication.translate("Detail", "why this deadline?"))
        due_text = QCoreApplication.translate("Detail", "due {0}").format(due) if due else ""
        parts.append(
            f"{html.escape(kind_text(kind))}: <span style='{style}'><b>{html.escape(cd.text)}</b></span>"
            + (f" ({html.escape(due_text)})" if due_text else "")
            + f" <a href='explain:{kind}'>{link}</a>"
        )
    if parts:
        return " &nbsp;&nbsp; ".join(parts)
    if archived:
        return html.escape(QCoreApplication.translate("Detail", "From the mailbox's archive: no SLA deadline"))
    return html.escape(QCoreApplication.translate("Detail", "No SLA deadline on this plan"))
