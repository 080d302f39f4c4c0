"""Read models for the CLI and the GUI: tickets as plain dicts in the R-CLI JSON contract.

Queries select only the columns a list needs and count messages in SQL, so listing thousands of
tickets does not load thousands of ORM graphs.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, aliased, selectinload

from desktop.domain.tickets import Status
from desktop.errors import ValidationError
from desktop.services.upkeep.lookup import get_ticket
from desktop.services.workspace import Workspace
from desktop.store.models import (
    Agent,
    Client,
    Department,
    HistoryEvent,
    Message,
    OutboxItem,
    Plan,
    Quarantined,
    Ticket,
)


def iso(dt: datetime | None) -> str | None:
    return dt.isoformat() if dt is not None else None


def _list_query(status: str | None) -> Select:
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
        "message_count": int(count),
        "flags": list(t.flags or []),
        "version": t.version,
    }


def list_tickets(ws: Workspace, status: str | None = None) -> list[dict[str, Any]]:
    with ws.db.session() as s:
        return [_summary(*row) for row in s.execute(_list_query(status)).all()]


def ticket_detail(ws: Workspace, tid: str) -> dict[str, Any]:
    with ws.db.session() as s:
        t = get_ticket(s, ws, tid)
        row = s.execute(_list_query(None).where(Ticket.id == t.id)).one()
        out = _summary(*row)
        out["requester_name"] = t.requester_name
        plan = s.get(Plan, t.plan_id) if t.plan_id is not None else None
        out["plan_names"] = {"en": plan.name, "ru": plan.name_ru or plan.name} if plan is not None else None
        out["reason"] = t.reason_code
        out["duplicate_of"] = _tid_of(s, t.duplicate_of_id)
        out["written_only"] = t.written_only
        out["password_reminder"] = t.password_reminder
        out["archived"] = t.archived
        msgs = s.scalars(
            select(Message)
            .where(Message.ticket_id == t.id)
            .options(selectinload(Message.attachments))
            .order_by(Message.received_at, Message.id)
        ).all()
        out["messages"] = [
            {
                "id": m.id,
                "direction": m.direction,
                "from": m.from_addr or m.author or "",
                "from_name": m.from_name,
                "to": list(m.to_addrs or []),
                "subject": m.subject,
                "date": iso(m.sent_date or m.received_at),
                "received_at": iso(m.received_at),
                "text": m.text,
                "has_html": bool(m.html),
                "attachments": [
                    {"filename": a.filename, "size": a.size, "sha256": a.sha256,
                     "content_type": a.content_type, "inline": a.inline}
                    for a in m.attachments
                ],
                "threaded_by": m.threaded_by,
                "message_id": m.message_id,
            }
            for m in msgs
        ]
        events = s.scalars(
            select(HistoryEvent).where(HistoryEvent.ticket_id == t.id).order_by(HistoryEvent.at, HistoryEvent.id)
        ).all()
        out["history"] = [
            {"at": iso(e.at), "actor": e.actor, "action": e.action, "field": e.field,
             "old": e.old, "new": e.new, "details": e.details}
            for e in events
        ]
        return out


def _tid_of(s: Session, ticket_id: int | None) -> str | None:
    if ticket_id is None:
        return None
    return s.scalar(select(Ticket.tid).where(Ticket.id == ticket_id))


def stats(ws: Workspace) -> dict[str, int]:
    with ws.db.session() as s:
        def count(q: Any) -> int:
            return int(s.scalar(q) or 0)

        return {
            "tickets": count(select(func.count(Ticket.id))),
            "messages": count(select(func.count(Message.id)).where(Message.direction != "note")),
            "quarantined": count(select(func.count(Quarantined.id)).where(Quarantined.resolved.is_(False))),
            "outbox_pending": count(
                select(func.count(OutboxItem.id)).where(OutboxItem.status.in_(("pending", "failed")))
            ),
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
