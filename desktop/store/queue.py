"""The queue's SQL: which ticket ids a view shows, in which order, and their visible columns.

The window never loads a whole queue of ORM objects. It asks for the ordered ids of a view (one
narrow query an index can serve) and then for the columns of the few rows on screen. Everything
here is portable SQL; only full-text search differs: SQLite uses the FTS5 tables of migration
0002, PostgreSQL one full-text document per ticket and a trigram index (``fulltext``,
migrations 0017 and 0010), any other engine a ``LIKE`` scan. On every engine each word of a
search may be anywhere in the ticket: its own fields or any of its messages.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    bindparam,
    case,
    exists,
    false,
    func,
    literal,
    or_,
    select,
    text,
    true,
)
from sqlalchemy.orm import Session, aliased

from desktop.domain.rework import REWORK_WARNING
from desktop.store import fulltext
from desktop.store.models import (
    Agent,
    Client,
    Department,
    Message,
    Plan,
    ReworkItem,
    SlaPause,
    Ticket,
)

#: Sort keys the queue understands, mapped to what they order by.
SORT_KEYS = (
    "tid", "subject", "client", "plan", "status", "department", "assignee", "received", "due",
    "deadline",
)
#: Orders an index serves (``ix_tickets_order``, the unique ticket number, ``received_at``):
#: the head of such a view is an index walk that stops after the first screen.
INDEXED_SORTS = ("default", "tid", "received")


def running_kind() -> ColumnElement[str]:
    """Which target's clock is running: reaction until the first reply, then resolution."""
    return case(
        (and_(Ticket.first_reply_at.is_(None), Ticket.reaction_due_at.is_not(None)), literal("reaction")),
        else_=literal("resolution"),
    )


def running_due(open_statuses: Sequence[str]) -> ColumnElement[datetime]:
    """The deadline the countdown counts down to, NULL when no clock runs.

    Stored deadlines are empty while the client is awaited (the pause moves them), so a waiting
    ticket has no running deadline here; the SLA-state filter treats it as paused.
    """
    return case(
        (Ticket.status.not_in(list(open_statuses)), None),
        (and_(Ticket.first_reply_at.is_(None), Ticket.reaction_due_at.is_not(None)),
         Ticket.reaction_due_at),
        (Ticket.resolved_at.is_(None), Ticket.resolution_due_at),
        else_=None,
    )


@dataclass(frozen=True)
class WarnThreshold:
    """Tickets of this plan/priority whose running ``kind`` deadline is at or before ``limit``
    are in the warning zone (their remaining working time is within the warning share)."""

    plan_id: int
    priority: str
    kind: str
    limit: datetime


@dataclass(frozen=True)
class Filters:
    """Everything that narrows the queue, already resolved to ids and values."""

    statuses: tuple[str, ...] | None = None
    assignee_id: int | None = None
    unassigned: bool = False
    department_id: int | None = None
    plan_id: int | None = None
    #: SLA states, all of which must hold: ok | warning | breached | paused | at_risk.
    sla: tuple[str, ...] = ()
    search: str = ""
    #: Only tickets with rework of a refused act still to do (R-ACT-3), soonest deadline first.
    rework: bool = False


#: The soonest deadline of a ticket's rework still to do (NULL when none): the rework view's
#: order and the queue row's rework countdown.
REWORK_DUE = (
    select(func.min(ReworkItem.deadline_at))
    .where(ReworkItem.ticket_id == Ticket.id, ReworkItem.done_at.is_(None))
    .correlate(Ticket)
    .scalar_subquery()
)


def _sla_condition(
    sla: str, now: datetime, open_statuses: Sequence[str], thresholds: Iterable[WarnThreshold]
) -> ColumnElement[bool]:
    due = running_due(open_statuses)
    kind = running_kind()
    warn_parts = [
        and_(Ticket.plan_id == t.plan_id, Ticket.priority == t.priority, kind == t.kind, due <= t.limit)
        for t in thresholds
    ]
    in_warn_zone: ColumnElement[bool] = or_(*warn_parts) if warn_parts else false()
    if sla == "paused":
        return Ticket.status == "waiting_client"
    if sla == "breached":
        return and_(due.is_not(None), due < now)
    if sla == "warning":
        return and_(due.is_not(None), due >= now, in_warn_zone)
    if sla == "at_risk":  # an SLA clock, or rework of a refused act, overdue or in its last stretch
        rework_soon = Ticket.id.in_(select(ReworkItem.ticket_id).where(
            ReworkItem.done_at.is_(None), ReworkItem.deadline_at < now + REWORK_WARNING))
        return or_(and_(due.is_not(None), or_(due < now, in_warn_zone)), rework_soon)
    if sla == "ok":
        return and_(due.is_not(None), due >= now, ~in_warn_zone)
    raise ValueError(f"unknown SLA state {sla!r}")


_WORD = re.compile(r"\w+", re.UNICODE)


def fts_query(text_: str) -> str | None:
    """The user's words as an FTS5 query: every word must appear, each as a prefix.

    Quoting each word keeps FTS5 syntax (``AND``, ``-``, ``*``, quotes) typed by a user from
    being interpreted; the prefix star lets "заказ" find "заказы" and "заказов".
    """
    words = _WORD.findall(text_)
    if not words:
        return None
    return " ".join(f'"{w}"*' for w in words)


def _like_pattern(word: str) -> str:
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def has_fts(session: Session) -> bool:
    """Whether this database carries the SQLite FTS5 tables of migration 0002."""
    bind = session.get_bind()
    if bind.dialect.name != "sqlite":
        return False
    return session.execute(
        text("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'messages_fts'")
    ).first() is not None


def _fts_hits(words: Sequence[str]) -> Any:
    """Tickets holding every word somewhere — in their own fields or in any of their messages
    — through the FTS5 tables: per word the tickets it is in, then what all words share. A
    ticket is one conversation, so "договор счёт" finds it when the contract is named in one
    message and the invoice in the next, as PostgreSQL's per-ticket document does."""
    per_word = [
        f"SELECT rowid FROM tickets_fts WHERE tickets_fts MATCH :q{i} "
        f"UNION SELECT m.ticket_id FROM messages_fts "
        f"JOIN messages AS m ON m.id = messages_fts.rowid WHERE messages_fts MATCH :q{i}"
        for i in range(len(words))
    ]
    sql = per_word[0] if len(per_word) == 1 else " INTERSECT ".join(f"SELECT * FROM ({p})" for p in per_word)
    # Each word quoted (FTS5 syntax a user types is not read) and a prefix ("заказ" → "заказов").
    return text(sql).bindparams(*(bindparam(f"q{i}", fts_query(w)) for i, w in enumerate(words))).columns(Ticket.id)


def _search_condition(session: Session, query: str, tid_number: int | None) -> ColumnElement[bool]:
    words = _WORD.findall(query)
    parts: list[ColumnElement[bool]] = []
    if tid_number is not None:
        parts.append(Ticket.number == tid_number)
    if not words:
        return or_(*parts) if parts else true()
    # Client names are few: match them in Python, where case folding knows Cyrillic (SQLite's
    # LIKE and lower() fold ASCII only), then search their tickets by client id.
    folded = [w.casefold() for w in words]
    client_ids = [
        cid for cid, name in session.execute(select(Client.id, Client.name))
        if all(w in name.casefold() for w in folded)
    ]
    if client_ids:
        parts.append(Ticket.client_id.in_(client_ids))
    if has_fts(session):
        parts.append(Ticket.id.in_(_fts_hits(words)))
        return or_(*parts)
    if session.get_bind().dialect.name == "postgresql":
        found = fulltext.search_condition(query)
        if found is not None:
            parts.append(found)
        return or_(*parts) if parts else false()
    # Portable fallback: every word somewhere in the ticket's fields or one of its messages.
    per_word = []
    for w in words:
        pat = _like_pattern(w)
        in_ticket = or_(
            Ticket.tid.ilike(pat, escape="\\"),
            Ticket.subject.ilike(pat, escape="\\"),
            Ticket.requester.ilike(pat, escape="\\"),
            Ticket.requester_name.ilike(pat, escape="\\"),
        )
        in_message = exists().where(
            Message.ticket_id == Ticket.id,
            Message.author.is_distinct_from("system"),  # not the mail sent on its own (migration 0004)
            or_(
                Message.text.ilike(pat, escape="\\"),
                Message.subject.ilike(pat, escape="\\"),
                Message.from_addr.ilike(pat, escape="\\"),
            ),
        )
        per_word.append(or_(in_ticket, in_message))
    parts.append(and_(*per_word))
    return or_(*parts)


def _sort_key(sort: str, open_statuses: Sequence[str]) -> Any:
    """What a sort key orders by (``None`` for the default order); the joins it needs are the
    caller's: :func:`ids_query` adds just that one, :func:`head_query` has them all."""
    if sort not in SORT_KEYS and sort != "default":
        raise ValueError(f"unknown sort key {sort!r}")
    if sort == "tid":
        return Ticket.number
    if sort == "subject":
        return func.lower(Ticket.subject)
    if sort == "client":
        return Client.name
    if sort == "plan":
        return Plan.position
    if sort == "status":
        return Ticket.status
    if sort == "department":
        return Department.code
    if sort == "assignee":
        return _ASSIGNEE.name
    if sort == "received":
        return Ticket.received_at
    if sort in ("due", "deadline"):  # the countdown and the deadline it counts down to
        return running_due(open_statuses)
    return None


def _ordered(q: Select[*tuple[Any, ...]], sort: str, descending: bool, key: Any) -> Select[*tuple[Any, ...]]:
    tail = [Ticket.id] if sort == "received" else [Ticket.priority_rank, Ticket.received_at, Ticket.id]
    if key is None:
        return q.order_by(*([c.desc() for c in tail] if descending else tail))
    # Empty values sort last either way: an unassigned ticket is not "first" by assignee.
    first = key.desc().nulls_last() if descending else key.asc().nulls_last()
    return q.order_by(first, *tail)


def ids_query(
    session: Session,
    filters: Filters,
    sort: str,
    descending: bool,
    now: datetime,
    open_statuses: Sequence[str],
    thresholds: Iterable[WarnThreshold] = (),
    tid_number: int | None = None,
) -> Select[Any]:
    """Ordered ids of one view. Joins only what the sort needs, so the default order is an
    index walk over ``ix_tickets_order``."""
    q: Select[Any] = select(Ticket.id)
    where = _where(session, filters, now, open_statuses, thresholds, tid_number)
    if where is not None:
        q = q.where(where)
    key = _sort_key(sort, open_statuses)
    if key is None and filters.rework:
        key = REWORK_DUE
    if sort == "client":
        q = q.outerjoin(Client, Client.id == Ticket.client_id)
    elif sort == "plan":
        q = q.outerjoin(Plan, Plan.id == Ticket.plan_id)
    elif sort == "department":
        q = q.outerjoin(Department, Department.id == Ticket.department_id)
    elif sort == "assignee":
        q = q.outerjoin(_ASSIGNEE, _ASSIGNEE.id == Ticket.assignee_id)
    return _ordered(q, sort, descending, key)


def head_query(
    session: Session,
    filters: Filters,
    sort: str,
    descending: bool,
    now: datetime,
    open_statuses: Sequence[str],
    limit: int,
    thresholds: Iterable[WarnThreshold] = (),
    tid_number: int | None = None,
) -> Select[*tuple[Any, ...]]:
    """The first ``limit`` rows of a view with their columns (as :func:`rows_query`), in one
    statement: the same filter and order as :func:`ids_query`, so its ids are the head of the
    full list. One query instead of ids-then-rows is one round trip and one statement less
    on the way to the first screen."""
    q = _ROWS
    where = _where(session, filters, now, open_statuses, thresholds, tid_number)
    if where is not None:
        q = q.where(where)
    key = _sort_key(sort, open_statuses)
    return _ordered(q, sort, descending, REWORK_DUE if key is None and filters.rework else key).limit(limit)


def count_query(
    session: Session,
    filters: Filters,
    now: datetime,
    open_statuses: Sequence[str],
    thresholds: Iterable[WarnThreshold] = (),
    tid_number: int | None = None,
) -> Select[Any]:
    # count(*), not count(id): SQLite answers it from the narrowest index (1 ms for 100,000
    # tickets) where count(id) reads every row (5 ms).
    q = select(func.count()).select_from(Ticket)
    where = _where(session, filters, now, open_statuses, thresholds, tid_number)
    return q.where(where) if where is not None else q


def _where(
    session: Session,
    f: Filters,
    now: datetime,
    open_statuses: Sequence[str],
    thresholds: Iterable[WarnThreshold],
    tid_number: int | None,
) -> ColumnElement[bool] | None:
    parts: list[ColumnElement[bool]] = []
    if f.statuses is not None:
        parts.append(Ticket.status.in_(list(f.statuses)))
    if f.unassigned:
        parts.append(Ticket.assignee_id.is_(None))
    elif f.assignee_id is not None:
        parts.append(Ticket.assignee_id == f.assignee_id)
    if f.department_id is not None:
        parts.append(Ticket.department_id == f.department_id)
    if f.plan_id is not None:
        parts.append(Ticket.plan_id == f.plan_id)
    thresholds = tuple(thresholds)
    for state in f.sla:
        parts.append(_sla_condition(state, now, open_statuses, thresholds))
    if f.search.strip() or tid_number is not None:
        parts.append(_search_condition(session, f.search, tid_number))
    if f.rework:
        parts.append(exists().where(ReworkItem.ticket_id == Ticket.id, ReworkItem.done_at.is_(None)))
    return and_(*parts) if parts else None


#: The assignee's row, joined under its own name (the ticket has other links to agents).
_ASSIGNEE = aliased(Agent, name="assignee")

#: The visible columns (and the SLA facts) of tickets, with their joins: built once, since
#: constructing a 24-column select costs more than SQLite takes to run it (~0.4 ms vs ~0.2 ms).
_ROWS = (
    select(
        Ticket.id, Ticket.tid, Ticket.subject, Ticket.requester, Ticket.requester_name,
        Client.name, Ticket.plan_id, Plan.name, Plan.name_ru, Ticket.status,
        Department.name_en, Department.name_ru, _ASSIGNEE.login, _ASSIGNEE.name,
        Ticket.received_at, Ticket.priority, Ticket.priority_rank, Ticket.flags, Ticket.paid,
        Ticket.first_reply_at, Ticket.resolved_at, Ticket.channel, Ticket.version, Ticket.archived,
        REWORK_DUE,
    )
    .outerjoin(Client, Client.id == Ticket.client_id)
    .outerjoin(Plan, Plan.id == Ticket.plan_id)
    .outerjoin(Department, Department.id == Ticket.department_id)
    .outerjoin(_ASSIGNEE, _ASSIGNEE.id == Ticket.assignee_id)
)

#: The rows of the tickets bound to ``ids`` (an expanding parameter).
ROWS = _ROWS.where(Ticket.id.in_(bindparam("ids", expanding=True)))


def rows_query(ids: Sequence[int]) -> Select[*tuple[Any, ...]]:
    """The visible columns (and the SLA facts) of the given tickets."""
    return _ROWS.where(Ticket.id.in_(list(ids)))


#: SLA pauses of the tickets bound to ``ids`` (an expanding parameter): built once, so a page
#: of rows costs no statement construction for its pauses.
PAUSES = (
    select(SlaPause.ticket_id, SlaPause.started_at, SlaPause.ended_at)
    .where(SlaPause.ticket_id.in_(bindparam("ids", expanding=True)))
    .order_by(SlaPause.ticket_id, SlaPause.started_at)
)


def pauses_query(ids: Sequence[int]) -> Select[*tuple[Any, ...]]:
    return (
        select(SlaPause.ticket_id, SlaPause.started_at, SlaPause.ended_at)
        .where(SlaPause.ticket_id.in_(list(ids)))
        .order_by(SlaPause.ticket_id, SlaPause.started_at)
    )
