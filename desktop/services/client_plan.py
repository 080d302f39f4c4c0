"""A client moves to another plan: for new tickets only, or with its open tickets too.

By default a ticket keeps the plan it was opened under (what the client had then), so changing
a client's plan moves no deadline. When the client's contract changed for work already under
way — an upgrade to Premium for an incident in progress — the administrator may move the open
tickets too; that recomputes their deadlines, so it is previewed first like any change to the
regulation (``reglament client set-plan … --open-tickets --dry-run``).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.domain.tickets import OPEN_STATUSES
from desktop.errors import NotFound, ValidationError
from desktop.services.regulation_preview import (
    Move,
    Moves,
    compare,
    facts_with,
    pauses_of,
    targets_in,
)
from desktop.services.upkeep import deadlines
from desktop.services.upkeep.history import record
from desktop.services.upkeep.lookup import touch
from desktop.services.workspace import Workspace
from desktop.store.models import Client, Plan, Ticket


def _client(s: Session, name: str) -> Client:
    row = s.scalar(select(Client).where(Client.name == name))
    if row is None:
        raise NotFound("there is no client {name!r}", name=name)
    return row


def _plan(s: Session, code: str | None) -> Plan | None:
    if code is None:
        return None
    row = s.scalar(select(Plan).where(Plan.code == code.lower()))
    if row is None:
        known = ", ".join(s.scalars(select(Plan.code).order_by(Plan.position)))
        raise ValidationError("unknown plan {plan!r}; known plans: {known}", plan=code, known=known)
    return row


def _open_tickets(s: Session, client: Client) -> list[Ticket]:
    return list(s.scalars(select(Ticket).where(
        Ticket.client_id == client.id, Ticket.archived.is_(False),
        Ticket.status.in_([x.value for x in OPEN_STATUSES])).order_by(Ticket.number)))


def preview_client_plan(ws: Workspace, name: str, plan: str | None, *, open_tickets: bool) -> Moves:
    """The deadlines moving the client to ``plan`` would move: none unless ``open_tickets``."""
    now = ws.now()
    with ws.db.session() as s:
        client = _client(s, name)
        new = _plan(s, plan)
        if not open_tickets:
            return Moves(0, (), now)  # open tickets keep the plan they were opened under
        rows = _open_tickets(s, client)
        pauses = pauses_of(s, [t.id for t in rows])
        new_cal = deadlines.calendar_of(s, new)
        found: list[Move] = []
        for t in rows:
            old = s.get(Plan, t.plan_id) if t.plan_id else None
            label = f"{old.code if old else '-'} → {new.code if new else '-'}"
            found.extend(compare(t, label, (deadlines.calendar_of(s, old), deadlines.ticket_targets(old, t)),
                                  (new_cal, targets_in(dict(new.targets or {}), t) if new else ()),
                                  facts_with(t, pauses.get(t.id, [])), now))
        s.rollback()
        return Moves(len(rows), tuple(found), now)


def set_client_plan(ws: Workspace, name: str, plan: str | None, *, open_tickets: bool) -> int:
    """Store the client's plan; with ``open_tickets`` move them too (history records it on each)
    and return how many moved."""
    with ws.db.session() as s:
        client = _client(s, name)
        new = _plan(s, plan)
        client.plan_id = new.id if new else None
        if not open_tickets:
            return 0
        now: datetime = ws.now()
        moved = 0
        for t in _open_tickets(s, client):
            if t.plan_id == client.plan_id:
                continue
            old = s.get(Plan, t.plan_id) if t.plan_id else None
            t.plan_id = client.plan_id
            record(s, t, now, ws.actor, "change", "plan", old.code if old else None, new.code if new else None)
            touch(t, now)
            deadlines.refresh(s, ws, t)
            moved += 1
        return moved
