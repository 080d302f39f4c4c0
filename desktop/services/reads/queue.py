"""The work queue's reads, gathered where the window and the command line look for them.

Each part lives in a room named for what it holds: ``queue_spec`` (views, filters, search and
the ordered ids), ``queue_page`` (a page of rows prepared for painting, the head of a view),
``queue_clock`` (the rows' facts, the plans' SLA book, countdowns) and ``arrivals`` (new tickets,
the mail status). This module names them together, so callers keep one import; it also holds
the detail pane's extra reads (client card, message bodies, work log, countdowns).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select

from desktop.domain.sla import format_state
from desktop.mail.sanitize import sanitize_html
from desktop.services.reads.arrivals import MailStatus, latest_ticket_id, mail_status, tids_after
from desktop.services.reads.queue_clock import RUNNING as _RUNNING
from desktop.services.reads.queue_clock import (
    Countdown,
    QueueRow,
    SlaBook,
    format_state_paused,
    load_sla_book,
    pick_countdown,
    sla_book,
    viewer_tz,
)
from desktop.services.reads.queue_clock import countdown_text as _countdown_text
from desktop.services.reads.queue_page import (
    COLUMNS,
    Head,
    QueueLine,
    count_view,
    fetch_head,
    fetch_page,
    fetch_rows,
    prepare,
    rows_in,
    ticket_id_of,
)
from desktop.services.reads.queue_spec import (
    OPEN,
    SLA_FILTERS,
    VIEWS,
    Choice,
    Choices,
    QueueSpec,
    choices,
    fetch_ids,
    filters_for,
    view_counts,
)
from desktop.services.upkeep.lookup import get_ticket
from desktop.services.workspace import Workspace
from desktop.store.models import Client, ClientAddress, Message, Plan, Ticket, WorkLog

__all__ = [
    "COLUMNS", "OPEN", "SLA_FILTERS", "VIEWS", "Choice", "Choices", "ClientCard", "Countdown", "Head",
    "MailStatus", "QueueLine", "QueueRow", "QueueSpec", "SlaBook", "WorkLine", "choices", "client_card", "count_view",
    "fetch_head", "fetch_ids", "fetch_page", "fetch_rows", "filters_for", "format_state_paused",
    "latest_ticket_id", "load_sla_book", "mail_status", "message_html", "pick_countdown", "prepare",
    "rows_in", "sla_book", "ticket_countdowns", "ticket_id_of", "tids_after", "view_counts",
    "viewer_tz", "work_log",
]


# --- the detail pane's extra reads -------------------------------------------------------------


@dataclass(frozen=True)
class ClientCard:
    name: str
    plan_en: str | None
    plan_ru: str | None
    contract_no: str | None
    contract_date: date | None
    active_until: date | None
    service_active: bool
    priority_support: bool
    inn: str | None
    address: str | None
    addresses: tuple[str, ...]
    open_tickets: int


def client_card(ws: Workspace, tid: str) -> ClientCard | None:
    """The client of a ticket as the agent needs it: plan, contract, is the service active."""
    with ws.db.session() as s:
        t = get_ticket(s, ws, tid)
        if t.client_id is None:
            return None
        c = s.get(Client, t.client_id)
        if c is None:
            return None
        plan = s.get(Plan, c.plan_id) if c.plan_id else None
        today = ws.now().date()
        open_count = s.scalar(
            select(func.count(Ticket.id)).where(Ticket.client_id == c.id, Ticket.status.in_(OPEN))
        )
        addresses = s.scalars(
            select(ClientAddress.value).where(ClientAddress.client_id == c.id).order_by(ClientAddress.value)
        ).all()
        return ClientCard(
            name=c.name,
            plan_en=plan.name if plan else None,
            plan_ru=plan.name_ru if plan else None,
            contract_no=c.contract_no,
            contract_date=c.contract_date,
            active_until=c.active_until,
            service_active=(c.active_from is None or c.active_from <= today)
            and (c.active_until is None or c.active_until >= today),
            priority_support=c.priority_support or bool(plan and plan.priority_support),
            inn=c.inn,
            address=c.address,
            addresses=tuple(addresses),
            open_tickets=int(open_count or 0),
        )


def message_html(ws: Workspace, message_ids: Iterable[int]) -> dict[int, str]:
    """The sanitized HTML bodies of messages that have one (R-MAIL-8: no scripts, no remote
    content), for the thread view; plain text stays the preferred rendering elsewhere."""
    ids = list(message_ids)
    if not ids:
        return {}
    with ws.db.session() as s:
        rows = s.execute(
            select(Message.id, Message.html).where(Message.id.in_(ids), Message.html.is_not(None))
        ).all()
    return {mid: sanitize_html(html) for mid, html in rows if html}


@dataclass(frozen=True)
class WorkLine:
    at: datetime
    agent: str
    description: str
    minutes: int
    amount: str | None


def work_log(ws: Workspace, tid: str) -> list[WorkLine]:
    with ws.db.session() as s:
        t = get_ticket(s, ws, tid)
        rows = s.scalars(select(WorkLog).where(WorkLog.ticket_id == t.id).order_by(WorkLog.at)).all()
        return [
            WorkLine(w.at, w.agent_login, w.description, w.minutes,
                     None if w.amount is None else str(w.amount))
            for w in rows
        ]


def ticket_countdowns(ws: Workspace, tid: str, lang: str = "en") -> list[tuple[str, Countdown]]:
    """Each SLA target of one ticket at now (the detail header shows them all)."""
    with ws.db.session() as s:
        t = get_ticket(s, ws, tid)
        row = rows_in(s, [t.id]).get(t.id)
        book = load_sla_book(s)
    states = book.states(row, ws.now()) if row is not None else None
    if states is None:
        return []
    out = []
    for kind in ("reaction", "resolution"):
        st = states.get(kind)
        if st is not None:
            text = _countdown_text(st, lang) if st.status in _RUNNING else format_state(st, lang, viewer_tz())
            out.append((kind, Countdown(st.status, text, st.deadline)))
    return out
