"""The work queue as the window sees it: saved views, filters, search, order and countdowns.

The queue model in the window keeps only ticket ids; it calls :func:`fetch_ids` (off the GUI
thread) when the view, filter, search or sort changes and :func:`fetch_rows` for the handful of
rows on screen. Countdowns are computed here from the rows' stored facts with the domain's SLA
arithmetic, so the window can refresh the visible ones every few seconds without a query.
"""

from __future__ import annotations

import math
import re
import sqlite3
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from desktop.domain.calendar import WorkingCalendar
from desktop.domain.sla import (
    PRIORITIES,
    SlaState,
    Target,
    TicketClockFacts,
    ticket_sla,
)
from desktop.domain.sla_format import format_countdown, format_state
from desktop.domain.tickets import OPEN_STATUSES, Status
from desktop.errors import ValidationError
from desktop.services.upkeep.deadlines import calendar_of, targets_of
from desktop.services.workspace import Workspace
from desktop.store import queue as q
from desktop.store.models import (
    Agent,
    Department,
    MailAccount,
    OutboxItem,
    Plan,
    ReasonRow,
    SyncState,
    Ticket,
)

#: The saved views of R-UI-1, in the order the window lists them.
VIEWS = ("mine", "unassigned", "waiting", "breaching", "acceptance", "all")
#: SLA states a user can filter by.
SLA_FILTERS = ("ok", "warning", "breached", "paused")

OPEN = tuple(sorted(s.value for s in OPEN_STATUSES))


@dataclass(frozen=True)
class QueueSpec:
    """What the user asked the queue to show; plain values, so it can cross threads."""

    view: str = "all"
    status: str | None = None
    department: str | None = None
    assignee: str | None = None  # an agent's login; "" means unassigned
    plan: str | None = None
    sla: str | None = None
    search: str = ""
    sort: str = "default"
    descending: bool = False


@dataclass(frozen=True)
class QueueRow:
    """One queue line: what the columns show plus the facts its countdown needs."""

    id: int
    tid: str
    subject: str
    requester: str
    requester_name: str
    client: str | None
    plan_id: int | None
    plan_en: str | None
    plan_ru: str | None
    status: str
    department_en: str | None
    department_ru: str | None
    assignee_login: str | None
    assignee_name: str | None
    received_at: datetime
    priority: str
    priority_rank: int
    flags: tuple[str, ...]
    paid: bool
    first_reply_at: datetime | None
    resolved_at: datetime | None
    channel: str
    version: int
    pauses: tuple[tuple[datetime, datetime | None], ...] = ()
    archived: bool = False  # from the mailbox's archive: no clock (deadlines.ticket_targets)

    def facts(self) -> TicketClockFacts:
        return TicketClockFacts(self.received_at, self.first_reply_at, self.resolved_at, self.pauses)


@dataclass(frozen=True)
class Countdown:
    """What the countdown cell shows: a state (for the colour), a text and the deadline."""

    state: str  # ok | warning | breached | paused | met | missed | none
    text: str
    deadline: datetime | None = None


@dataclass
class SlaBook:
    """Every plan's calendar and targets, loaded once per refresh (plans are few)."""

    calendars: dict[int, WorkingCalendar] = field(default_factory=dict)
    targets: dict[tuple[int, str], tuple[Target, ...]] = field(default_factory=dict)

    def states(self, row: QueueRow, now: datetime) -> dict[Any, SlaState] | None:
        """The row's SLA targets at ``now``; None when no clock runs for it at all (no plan, or
        from a mailbox's archive, as :func:`deadlines.ticket_targets` has it)."""
        if row.plan_id is None or row.plan_id not in self.calendars or row.archived:
            return None
        targets = self.targets.get((row.plan_id, row.priority), ())
        return ticket_sla(self.calendars[row.plan_id], targets, row.facts(), now)

    def countdown(self, row: QueueRow, now: datetime, lang: str = "en") -> Countdown:
        states = self.states(row, now)
        if states is None:
            return Countdown("none", "")
        return pick_countdown(states, row.status, lang)

    def thresholds(self, now: datetime) -> list[q.WarnThreshold]:
        """For each plan, priority and target: the latest deadline already in the warning zone."""
        out = []
        for (plan_id, priority), targets in self.targets.items():
            cal = self.calendars[plan_id]
            for t in targets:
                warn_amount = timedelta(microseconds=math.ceil((t.duration // _US) * t.warn_share))
                out.append(q.WarnThreshold(plan_id, priority, t.kind, cal.add(now, t.duration - warn_amount)))
        return out


_US = timedelta(microseconds=1)
_RUNNING = ("ok", "warning", "breached", "paused")


def pick_countdown(states: dict[Any, SlaState], status: str, lang: str) -> Countdown:
    """The one countdown a queue row shows: the running clock (reaction before resolution);
    for a finished ticket, how its reaction went."""
    for kind in ("reaction", "resolution"):
        st = states.get(kind)
        if st is not None and st.status in _RUNNING:
            return Countdown(st.status, _countdown_text(st, lang), st.deadline)
    if status == Status.WAITING_CLIENT.value:
        return Countdown("paused", format_state_paused(lang))
    for kind in ("resolution", "reaction"):
        st = states.get(kind)
        if st is not None:
            return Countdown(st.status, format_state(st, lang, viewer_tz()), st.deadline)
    return Countdown("none", "")


def viewer_tz() -> tzinfo | None:
    """The agent's own zone: every time on the screen is read in it (received, due, resumes)."""
    return datetime.now().astimezone().tzinfo


def format_state_paused(lang: str) -> str:
    return "ожидание клиента" if lang.startswith("ru") else "waiting for client"


def _countdown_text(st: SlaState, lang: str) -> str:
    if st.status == "paused":
        left = format_countdown(st.remaining, lang)
        return (f"пауза · осталось {left}" if lang.startswith("ru")
                else f"paused · {left} left")
    return format_state(st, lang, viewer_tz())


def load_sla_book(session: Session) -> SlaBook:
    book = SlaBook()
    for plan in session.scalars(select(Plan)).all():
        book.calendars[plan.id] = calendar_of(session, plan)
        for priority in PRIORITIES:
            targets = targets_of(plan, priority)
            if targets:
                book.targets[(plan.id, priority)] = targets
    return book


# --- ids, rows, counts -----------------------------------------------------------------------

_TID_ONLY = re.compile(r"^\s*\[?(?:[A-Za-z][A-Za-z0-9]{0,9}-)?0*(\d{1,12})\]?\s*$")


def _tid_number(search: str) -> int | None:
    m = _TID_ONLY.match(search)
    return int(m.group(1)) if m else None


def _agent_id(session: Session, login: str) -> int:
    """The agent's id, or -1 (matches nothing) when the login has never acted."""
    agent_id = session.scalar(select(Agent.id).where(Agent.login == login))
    return agent_id if agent_id is not None else -1


def _code_id(session: Session, model: type[Plan] | type[Department], code: str, what: str) -> int:
    found = session.scalar(select(model.id).where(model.code == code))
    if found is None:
        raise ValidationError(f"there is no {what} {code!r}")
    return int(found)


def filters_for(session: Session, ws: Workspace, spec: QueueSpec) -> q.Filters:
    """Resolve a spec (codes, logins, a view name) into the store's id-based filters."""
    statuses: tuple[str, ...] | None = None
    assignee_id: int | None = None
    unassigned = False
    sla: list[str] = []
    if spec.view == "mine":
        statuses, assignee_id = OPEN, _agent_id(session, ws.actor)
    elif spec.view == "unassigned":
        statuses, unassigned = OPEN, True
    elif spec.view == "waiting":
        statuses = (Status.WAITING_CLIENT.value,)
    elif spec.view == "breaching":
        statuses = OPEN
        sla.append("at_risk")
    elif spec.view == "acceptance":
        statuses = (Status.RESOLVED.value,)
    elif spec.view != "all":
        raise ValidationError(f"there is no saved view {spec.view!r}")
    if spec.status:
        try:
            wanted = Status(spec.status).value
        except ValueError:
            raise ValidationError(f"unknown status {spec.status!r}") from None
        statuses = (wanted,) if statuses is None or wanted in statuses else ()
    if spec.assignee is not None:
        if spec.assignee == "":
            unassigned = True
        else:
            wanted_id = _agent_id(session, spec.assignee)
            if assignee_id is not None and assignee_id != wanted_id:
                statuses = ()  # "my tickets" of someone else: nothing
            assignee_id = wanted_id
    if spec.sla:
        if spec.sla not in SLA_FILTERS:
            raise ValidationError(f"unknown SLA state {spec.sla!r}")
        sla.append(spec.sla)
    return q.Filters(
        statuses=statuses,
        assignee_id=assignee_id,
        unassigned=unassigned,
        department_id=_code_id(session, Department, spec.department, "department")
        if spec.department else None,
        plan_id=_code_id(session, Plan, spec.plan, "plan") if spec.plan else None,
        sla=tuple(sla),
        search=spec.search.strip(),
    )


def fetch_ids(ws: Workspace, spec: QueueSpec, now: datetime | None = None) -> list[int]:
    """The ordered ids of everything the spec selects (sorted and filtered in SQL)."""
    now = now or ws.now()
    with ws.db.session() as s:
        filters = filters_for(s, ws, spec)
        thresholds = load_sla_book(s).thresholds(now) if filters.sla else []
        query = q.ids_query(
            s, filters, spec.sort, spec.descending, now, OPEN, thresholds, _tid_number(spec.search)
        )
        return list(s.execute(query).scalars())


def fetch_rows(ws: Workspace, ids: Sequence[int]) -> dict[int, QueueRow]:
    """The columns of the given tickets, keyed by id (a missing id was deleted meanwhile)."""
    if not ids:
        return {}
    with ws.db.session() as s:
        return rows_in(s, ids)


def rows_in(session: Session, ids: Sequence[int]) -> dict[int, QueueRow]:
    return _rows(session, session.execute(q.ROWS, {"ids": list(ids)}), ids)


def _rows(session: Session, result: Iterable[Any], ids: Sequence[int]) -> dict[int, QueueRow]:
    """Queue rows from ``rows_query``-shaped result rows, with the SLA pauses of ``ids``."""
    pauses: dict[int, list[tuple[datetime, datetime | None]]] = {}
    if ids:
        for tid, start, end in session.execute(q.PAUSES, {"ids": list(ids)}):
            pauses.setdefault(tid, []).append((start, end))
    out: dict[int, QueueRow] = {}
    for r in result:
        out[r[0]] = QueueRow(
            id=r[0], tid=r[1], subject=r[2], requester=r[3], requester_name=r[4], client=r[5],
            plan_id=r[6], plan_en=r[7], plan_ru=r[8], status=r[9], department_en=r[10],
            department_ru=r[11], assignee_login=r[12], assignee_name=r[13], received_at=r[14],
            priority=r[15], priority_rank=r[16], flags=tuple(r[17] or ()), paid=bool(r[18]),
            first_reply_at=r[19], resolved_at=r[20], channel=r[21], version=r[22],
            pauses=tuple(pauses.get(r[0], ())), archived=bool(r[23]),
        )
    return out


def view_counts(ws: Workspace, now: datetime | None = None) -> dict[str, int]:
    """How many tickets each saved view holds (shown beside the view's name)."""
    now = now or ws.now()
    out: dict[str, int] = {}
    with ws.db.session() as s:
        thresholds = load_sla_book(s).thresholds(now)
        for view in VIEWS:
            filters = filters_for(s, ws, QueueSpec(view=view))
            out[view] = int(s.scalar(q.count_query(s, filters, now, OPEN, thresholds)) or 0)
    return out


def sla_book(ws: Workspace) -> SlaBook:
    with ws.db.session() as s:
        return load_sla_book(s)


# --- choices for the filter bar and dialogs ---------------------------------------------------


@dataclass(frozen=True)
class Choice:
    code: str
    en: str
    ru: str

    def label(self, lang: str) -> str:
        return self.ru if lang.startswith("ru") and self.ru else self.en


@dataclass(frozen=True)
class Choices:
    departments: tuple[Choice, ...]
    plans: tuple[Choice, ...]
    agents: tuple[Choice, ...]
    reasons: tuple[tuple[Choice, str], ...]  # (reason, use: refuse | postpone | both)


def choices(ws: Workspace) -> Choices:
    with ws.db.session() as s:
        return Choices(
            departments=tuple(
                Choice(d.code, d.name_en, d.name_ru)
                for d in s.scalars(select(Department).order_by(Department.id))
            ),
            plans=tuple(
                Choice(p.code, p.name, p.name_ru) for p in s.scalars(select(Plan).order_by(Plan.position))
            ),
            agents=tuple(
                Choice(a.login, a.name, a.name)
                for a in s.scalars(select(Agent).where(Agent.active.is_(True)).order_by(Agent.name))
            ),
            reasons=tuple(
                (Choice(r.code, r.title_en, r.title_ru), r.use)
                for r in s.scalars(
                    select(ReasonRow).where(ReasonRow.active.is_(True)).order_by(ReasonRow.position)
                )
            ),
        )


def tids_after(ws: Workspace, ticket_id: int) -> list[str]:
    """TIDs of tickets newer than ``ticket_id`` (what arrived since the last look)."""
    with ws.db.session() as s:
        return list(s.scalars(select(Ticket.tid).where(Ticket.id > ticket_id).order_by(Ticket.id)))


def latest_ticket_id(ws: Workspace) -> int:
    """The newest ticket id: the window compares it between refreshes to notice arrivals."""
    with ws.db.session() as s:
        return int(s.scalar(select(func.max(Ticket.id))) or 0)


@dataclass(frozen=True)
class MailStatus:
    """What the status bar says about mail: accounts, last sync, the last error, the outbox."""

    accounts: int
    last_sync_at: datetime | None
    last_error: str | None
    outbox_pending: int
    outbox_failed: int


def mail_status(ws: Workspace) -> MailStatus:
    with ws.db.session() as s:
        accounts = int(s.scalar(select(func.count(MailAccount.id)).where(MailAccount.enabled.is_(True))) or 0)
        last = s.execute(
            select(SyncState.last_sync_at, SyncState.last_error)
            .order_by(SyncState.last_sync_at.desc().nulls_last())
            .limit(1)
        ).first()
        error = s.scalar(select(SyncState.last_error).where(SyncState.last_error.is_not(None)).limit(1))
        pending = int(s.scalar(select(func.count(OutboxItem.id)).where(OutboxItem.status == "pending")) or 0)
        failed = int(s.scalar(select(func.count(OutboxItem.id)).where(OutboxItem.status == "failed")) or 0)
    return MailStatus(accounts, last[0] if last else None, error, pending, failed)


@dataclass(frozen=True)
class Head:
    """The first screen of a view without reading the whole id list: how many rows the view
    has and the first ``limit`` of them with their columns. The window paints this at once and
    swaps in the full id list when it arrives."""

    total: int
    ids: list[int]
    rows: dict[int, QueueRow]
    #: The plans' calendars and targets the countdowns of these rows are computed with.
    book: SlaBook = field(default_factory=SlaBook)


class OverBudget(Exception):
    """A head asked for with a time budget did not finish within it and was abandoned; not a
    failure (nothing for a person to read): the caller asks again off its thread."""


def head_is_quick(ws: Workspace, spec: QueueSpec) -> bool:
    """Whether this view's head is an index walk on a local SQLite file (no search, an order
    an index serves): a millisecond or two, short enough to ask for on the GUI thread under
    a time budget. PostgreSQL is never asked there: a network round trip can take any time."""
    return ws.db.is_sqlite and not spec.search.strip() and spec.sort in q.INDEXED_SORTS


def fetch_head(ws: Workspace, spec: QueueSpec, limit: int, now: datetime | None = None,
               book: SlaBook | None = None, budget: float | None = None) -> Head:
    """Count and first rows of a view: one count and one row query (ids, columns and order in
    the same statement), plus the pauses of those rows.

    ``book`` is the caller's SLA book if it has one (plans and calendars rarely change and the
    full pass right after reloads it); without it the book is read here. With ``budget``
    (seconds, SQLite only) the reads are abandoned once it is spent: :class:`OverBudget`.
    """
    now = now or ws.now()
    with ws.db.session() as s, _time_budget(s, budget):
        filters = filters_for(s, ws, spec)
        if book is None:
            book = load_sla_book(s)
        thresholds = book.thresholds(now) if filters.sla else []
        number = _tid_number(spec.search)
        total = int(s.scalar(q.count_query(s, filters, now, OPEN, thresholds, number)) or 0)
        result = s.execute(
            q.head_query(s, filters, spec.sort, spec.descending, now, OPEN, limit, thresholds, number)
        ).all()
        ids = [r[0] for r in result]
        return Head(total, ids, _rows(s, result, ids), book)


@contextmanager
def _time_budget(session: Session, seconds: float | None) -> Iterator[None]:
    """Abandon SQLite's work on this session once it has cost ``seconds`` since entry.

    SQLite calls the progress handler every thousand virtual-machine steps; returning true
    interrupts the running statement. The budget counts this thread's CPU time, so a query is
    abandoned because it is big, not because other programs had the processor meanwhile (which
    would send even the quickest head to the background on a busy machine); a cap on wall time
    (``_WALL_FACTOR`` times the budget) still bounds a read stuck on the disk. The lock wait is
    switched off meanwhile, so a writer's lock fails at once instead of waiting (the caller
    then asks off its thread, where waiting is harmless). Both settings are put back before
    the connection returns to the pool.
    """
    raw = session.connection().connection.dbapi_connection if seconds is not None else None
    if not isinstance(raw, sqlite3.Connection):
        yield
        return
    budget = seconds or 0.0
    cpu_deadline = time.thread_time() + budget
    wall_deadline = time.perf_counter() + budget * _WALL_FACTOR
    spent = False

    def check() -> bool:
        nonlocal spent
        spent = time.thread_time() > cpu_deadline or time.perf_counter() > wall_deadline
        return spent

    wait = int(raw.execute("PRAGMA busy_timeout").fetchone()[0])
    raw.execute("PRAGMA busy_timeout = 0")
    raw.set_progress_handler(check, _PROGRESS_STEPS)
    try:
        yield
    except DBAPIError:
        if spent:
            raise OverBudget from None
        raise
    finally:
        raw.set_progress_handler(None, 0)
        raw.execute(f"PRAGMA busy_timeout = {wait}")


#: Virtual-machine steps between budget checks: ~10-50 µs of SQLite work, a check costs ~1 µs.
_PROGRESS_STEPS = 1000
#: Wall time a budgeted read may take, in budgets, however little of it was its own work.
_WALL_FACTOR = 4
