"""Read models for the CLI and the GUI: tickets as plain dicts in the R-CLI JSON contract.

Queries select only the columns a list needs and count messages in SQL, so listing thousands of
tickets does not load thousands of ORM graphs.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import aliased, selectinload

from desktop.domain.tickets import Status
from desktop.errors import ValidationError
from desktop.services.reads.ticket_page import iso, read_ticket_page
from desktop.services.workspace import Workspace
from desktop.store.models import (
    Agent,
    Client,
    Department,
    Message,
    Plan,
    Quarantined,
    Ticket,
)


def _list_query(status: str | None) -> Select[Ticket, str, str, str, str, Any]:
    counts = (
        select(Message.ticket_id, func.count(Message.id).label("n"))
        .where(Message.direction != "note")
        .group_by(Message.ticket_id)
        .subquery()
    )
    assignee = aliased(Agent)
    q = (
        select(
            Ticket,
            Client.name,
            Plan.code,
            Department.code,
            assignee.login,
            func.coalesce(counts.c.n, 0),
        )
        .outerjoin(Client, Client.id == Ticket.client_id)
        .outerjoin(Plan, Plan.id == Ticket.plan_id)
        .outerjoin(Department, Department.id == Ticket.department_id)
        .outerjoin(assignee, assignee.id == Ticket.assignee_id)
        .outerjoin(counts, counts.c.ticket_id == Ticket.id)
        .order_by(Ticket.priority_rank, Ticket.received_at, Ticket.id)
    )
    if status:
        try:
            q = q.where(Ticket.status == Status(status).value)
        except ValueError:
            known = ", ".join(s.value for s in Status)
            raise ValidationError("unknown status {status!r}; known: {known}", status=status, known=known) from None
    return q


def _summary(t: Ticket, client: str | None, plan: str | None, dept: str | None,
             assignee: str | None, count: int) -> dict[str, Any]:
    return {
        "tid": t.tid,
        "status": t.status,
        "subject": t.subject,
        "requester": t.requester,
        "client": client,
        "plan": plan,
        "department": dept,
        "assignee": assignee,
        "channel": t.channel,
        "category": t.category,
        "priority": t.priority,
        "received_at": iso(t.received_at),
        "reaction_due_at": iso(t.reaction_due_at),
        "resolution_due_at": iso(t.resolution_due_at),
        "paid": t.paid,
        "paid_reason": t.paid_reason or None,
        "paid_basis": t.paid_basis,
        "message_count": int(count),
        "flags": list(t.flags or []),
        "version": t.version,
    }


def list_tickets(ws: Workspace, status: str | None = None, view: str | None = None) -> list[dict[str, Any]]:
    """Every ticket (of ``status``); with ``view`` (a fixed view's key or a saved view's name)
    those of that view, in the view's order."""
    if view is None:
        with ws.db.session() as s:
            return [_summary(*row) for row in s.execute(_list_query(status)).all()]
    from desktop.services.reads.queue_spec import fetch_ids, view_spec

    ids = fetch_ids(ws, view_spec(ws, view))
    place = {tid: n for n, tid in enumerate(ids)}
    rows: list[Any] = []
    with ws.db.session() as s:
        for start in range(0, len(ids), 500):
            rows += s.execute(_list_query(status).where(Ticket.id.in_(ids[start:start + 500]))).all()
    rows.sort(key=lambda row: place[row[0].id])
    return [_summary(*row) for row in rows]


def ticket_detail(ws: Workspace, tid: str) -> dict[str, Any]:
    """``reglament ticket show --json``: the ticket page's own read, in the R-CLI contract."""
    return read_ticket_page(ws, tid).to_json()


def stats(ws: Workspace) -> dict[str, int]:
    """``stats --json``: the counts of R-CLI and the shared ticket counts (open, unassigned,
    waiting, breaching, breached, warning, awaiting_acceptance, mine); the outbox ones are the outbox's own definition
    (desktop/services/reads/outbox.py): pending is what will still go out, failed is not in it."""
    from desktop.services.reads.counts import SHARED, counts_in
    from desktop.services.reads.outbox import outbox_counts

    box = outbox_counts(ws)
    with ws.db.session() as s:
        def count(q: Any) -> int:
            return int(s.scalar(q) or 0)

        # The ticket counts the views panel and the dashboard show, by their one definition
        # (desktop/services/reads/counts.py); "tickets" is the "all" view's.
        shared = counts_in(s, ws, ws.now())
        return {
            "tickets": shared["all"],
            **{name: shared[name] for name in SHARED if name != "all"},
            "messages": count(select(func.count(Message.id)).where(Message.direction != "note")),
            "quarantined": count(select(func.count(Quarantined.id)).where(Quarantined.resolved.is_(False))),
            "outbox_pending": box.pending,
            "outbox_waiting": box.waiting,
            "outbox_backing_off": box.backing_off,
            "outbox_failed": box.failed,
        }


def plans(ws: Workspace) -> list[dict[str, Any]]:
    with ws.db.session() as s:
        rows = s.scalars(select(Plan).options(selectinload(Plan.calendar)).order_by(Plan.position)).all()
        return [
            {
                "code": p.code,
                "name": p.name,
                "name_ru": p.name_ru,
                "calendar": p.calendar.code,
                "calendar_name": p.calendar.name,
                "priority_support": p.priority_support,
                "targets": p.targets,
            }
            for p in rows
        ]
