"""Who is replying to what: "Anna is replying" on a ticket a colleague has a reply open for.

A reply window claims a lease (a ``presence`` row: ticket, login, this process, an expiry) and
renews it by a heartbeat while it is open; sending, discarding or closing the reply gives it
back. A workstation that goes away simply stops renewing and its claim lapses after
:data:`TTL` — at once, when it was a process of this machine that no longer exists. Taking and
giving back also write a line to the change log, so other windows hear of it within the feed's
delay; a lapse is noticed by their next look (:func:`replying`, every few seconds).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, select

from desktop.services.upkeep.lookup import get_ticket
from desktop.services.workspace import Workspace
from desktop.store.leases import holder_gone, holder_id
from desktop.store.models import ChangeLog, Presence, Ticket

#: How long a claim lasts without a heartbeat.
TTL = timedelta(seconds=45)
#: How often an open reply renews its claim.
HEARTBEAT = timedelta(seconds=15)


@dataclass(frozen=True)
class Replying:
    """Colleagues with a reply open on one ticket (names, as the team knows them)."""

    ticket_id: int
    names: tuple[str, ...]


def start_replying(ws: Workspace, tid: str) -> None:
    """Claim "replying" on ``tid`` for this agent, or renew the claim (the heartbeat)."""
    now, holder = ws.now(), holder_id()
    with ws.db.session() as s:
        t = get_ticket(s, ws, tid)
        row = s.get(Presence, (t.id, ws.actor))
        fresh = row is None or row.holder != holder or row.expires <= now
        if row is None:
            agent = ws.agent(s)
            s.add(Presence(ticket_id=t.id, login=ws.actor, name=agent.name or ws.actor,
                           holder=holder, expires=now + TTL))
        else:
            row.holder, row.expires = holder, now + TTL
        if fresh:
            s.add(ChangeLog(ticket_id=t.id, tid=t.tid, what="replying", actor=ws.actor, at=now))


def stop_replying(ws: Workspace, tid: str) -> None:
    """Give the claim back (sent, discarded or closed)."""
    with ws.db.session() as s:
        t = s.scalar(select(Ticket).where(Ticket.tid == tid))
        if t is None:
            return
        gone = s.execute(delete(Presence).where(Presence.ticket_id == t.id, Presence.login == ws.actor))
        if getattr(gone, "rowcount", 0):
            s.add(ChangeLog(ticket_id=t.id, tid=t.tid, what="reply_closed", actor=ws.actor, at=ws.now()))


def replying(ws: Workspace, ticket_ids: set[int] | None = None) -> dict[int, tuple[str, ...]]:
    """Live claims by colleagues (not this agent), by ticket: ``{ticket id: names}``.

    The table holds a row per reply open in the team, so it is read whole unless ``ticket_ids``
    narrows it; lapsed claims and those of vanished processes of this machine are left out."""
    now = ws.now()
    q = select(Presence).where(Presence.login != ws.actor, Presence.expires > now)
    if ticket_ids is not None:
        q = q.where(Presence.ticket_id.in_(sorted(ticket_ids)))
    found: dict[int, list[str]] = defaultdict(list)
    with ws.db.reading() as s:
        for row in s.scalars(q.order_by(Presence.ticket_id, Presence.name)):
            if not holder_gone(row.holder):
                found[row.ticket_id].append(row.name or row.login)
    return {k: tuple(v) for k, v in found.items()}


def sweep(ws: Workspace) -> int:
    """Delete lapsed claims (any workstation may; the rows are only clutter)."""
    with ws.db.session() as s:
        result = s.execute(delete(Presence).where(Presence.expires <= ws.now()))
        return int(getattr(result, "rowcount", 0) or 0)
