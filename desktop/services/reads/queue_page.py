"""A page of the queue as the window paints it: each row's texts, tooltips and state decided here.

The queue table in the window holds prepared items that Qt paints by itself, so everything a
cell shows — the text in the window's language, the countdown's state (its colour), the
tooltip — is decided by this read, off the GUI thread. A page costs one read (on PostgreSQL
without BEGIN/COMMIT round trips: ``Database.reading``) of two statements, rows and SLA
pauses, plus the plans' book when the caller has none; the head of a view takes its rows in
the same statement as their order, and its count is a read of its own.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop import times
from desktop.domain.tickets import status_name
from desktop.services.reads.queue_clock import Countdown, QueueRow, SlaBook, load_sla_book
from desktop.services.reads.queue_spec import (
    OPEN,
    QueueSpec,
    filters_for,
    fixed_filters,
    tid_number,
)
from desktop.services.workspace import Workspace
from desktop.store import queue as q
from desktop.store.models import Ticket
from desktop.store.queue_head import Pauses, driver_pauses, head_rows, kept_head, pauses_of

#: Column keys in display order; the key doubles as the SQL sort key.
COLUMNS = (
    "tid", "subject", "client", "plan", "status", "department", "assignee", "received", "due",
    "deadline",
)
#: The countdown: working time left of the row's running target and the share of it used.
DUE = COLUMNS.index("due")
#: The running deadline as an instant in the agent's zone, comparable across plans.
DEADLINE = COLUMNS.index("deadline")
_NO_SUBJECT = {"en": "(no subject)", "ru": "(без темы)"}
_DEADLINE = {"en": "Deadline: {0}", "ru": "Срок: {0}"}


@dataclass(frozen=True)
class QueueLine:
    """One queue row as painted: the row's facts and what each column reads and explains.

    ``state`` is the countdown's state (ok, warning, breached, …), which the window turns into
    the colours of its palette; a new ticket's row is bold, a breached countdown too, and a
    priority client's ticket number stands out.
    """

    row: QueueRow
    texts: tuple[str, ...]
    tooltips: tuple[str | None, ...]
    state: str
    deadline: datetime | None = None

    @property
    def id(self) -> int:
        return self.row.id

    @property
    def bold(self) -> bool:
        return self.row.status == "new"

    @property
    def priority(self) -> bool:
        return self.row.priority_rank == 0

    share: float | None = None
    #: The countdown's own words, without the share the cell adds to them.
    words: str = ""

    def countdown(self) -> Countdown:
        return Countdown(self.state, self.words, self.deadline, self.share)

    def with_countdown(self, cd: Countdown, lang: str, now: datetime) -> QueueLine:
        """The same line with another countdown (the window's timer, between reads)."""
        if cd == self.countdown():
            return self
        texts = list(self.texts)
        texts[DUE] = time_left_text(cd, lang)
        texts[DEADLINE] = deadline_text(cd.deadline, now)
        tips = list(self.tooltips)
        if tips:  # none yet: they are made whole when asked for (with_tips)
            tips[DUE] = tips[DEADLINE] = _deadline_tip(cd, lang)
        return replace(self, texts=tuple(texts), tooltips=tuple(tips), state=cd.state, deadline=cd.deadline,
                       share=cd.share, words=cd.text)

    def with_tips(self, lang: str) -> QueueLine:
        """The line with its tooltips, when it was prepared without them (a first screen)."""
        if self.tooltips:
            return self
        return replace(self, tooltips=_tips(self.row, self.countdown(), lang))


def _lang(lang: str) -> str:
    return "ru" if lang.startswith("ru") else "en"


_SHARE_SEP = " · "
_SHARE_TIP = {"en": "{0} of the target's working time used", "ru": "использовано {0} рабочего времени по сроку"}


def percent(share: float, lang: str = "en") -> str:
    """A share as people read it in ``lang``: "40 %" (no-break space) in Russian, "40%" in
    English — as the window's QLocale writes percentages (``ui.numbers``)."""
    whole = round(share * 100)
    return f"{whole}\u00a0%" if _lang(lang) == "ru" else f"{whole}%"


def time_left_text(cd: Countdown, lang: str = "en") -> str:
    """The countdown cell: the time left in its unit and, for a running clock, the share of
    the target used ("2 h 30 min · 40 %"), which compares across plans."""
    if cd.share is None or cd.state not in ("ok", "warning", "breached"):
        return cd.text
    return f"{cd.text}{_SHARE_SEP}{percent(cd.share, lang)}"


def deadline_text(deadline: datetime | None, now: datetime) -> str:
    """The running deadline, as short as is clear, in the agent's zone."""
    return when_text(deadline, now) if deadline is not None else ""


def _deadline_tip(cd: Countdown, lang: str) -> str | None:
    """The countdown whole (a narrow column may cut it), its deadline and the share used."""
    if cd.deadline is None:
        return cd.text or None
    code = _lang(lang)
    tip = _DEADLINE[code].format(times.dual(cd.deadline, cd.deadline.tzinfo, code))
    if cd.text:
        tip = f"{cd.text}\n{tip}"
    if cd.share is not None and cd.state in ("ok", "warning", "breached"):
        tip += "\n" + _SHARE_TIP[code].format(percent(cd.share, code))
    return tip


def when_text(t: datetime, now: datetime) -> str:
    """When a ticket came, as short as is clear: the time today, the day this year, else the date."""
    return times.when(t, now)


def _tips(row: QueueRow, cd: Countdown, lang: str) -> tuple[str | None, ...]:
    """What each column of ``row`` explains on hover (the whole text a narrow column cuts)."""
    client_tip = f"{row.requester_name} <{row.requester}>" if row.requester_name else row.requester
    due_tip = _deadline_tip(cd, lang)
    # The deadline column explains itself as the countdown does.
    return (None, row.subject or None, client_tip or None, None, None, None, None,
            times.date_time(row.received_at), due_tip, due_tip)


def prepare(row: QueueRow, book: SlaBook, now: datetime, lang: str, tips: bool = True) -> QueueLine:
    """What each column of ``row`` reads, explains and means, in ``lang``, at ``now``.

    Without ``tips`` the line has no tooltips yet (:meth:`QueueLine.with_tips` makes them): a
    first screen is painted before anyone can hover over it, and its tooltips took a third of
    preparing it."""
    code = _lang(lang)
    ru = code == "ru"
    cd = book.countdown(row, now, lang)
    texts = (
        row.tid,
        row.subject or _NO_SUBJECT[code],
        row.client or row.requester_name or row.requester or "",
        (row.plan_ru if ru and row.plan_ru else row.plan_en) or "",
        status_name(row.status, code, row.archived),
        (row.department_ru if ru else row.department_en) or "",
        row.assignee_name or row.assignee_login or "",
        when_text(row.received_at, now),
        time_left_text(cd, lang),
        deadline_text(cd.deadline, now),
    )
    return QueueLine(row, texts, _tips(row, cd, lang) if tips else (), cd.state, cd.deadline, cd.share, cd.text)


# --- reading rows -------------------------------------------------------------------------------


def fetch_rows(ws: Workspace, ids: Sequence[int]) -> dict[int, QueueRow]:
    """The columns of the given tickets, keyed by id (a missing id was deleted meanwhile)."""
    if not ids:
        return {}
    with ws.db.reading() as s:
        return rows_in(s, ids)


def rows_in(session: Session, ids: Sequence[int]) -> dict[int, QueueRow]:
    return _rows(session, session.execute(q.ROWS, {"ids": list(ids)}), ids)


def _rows(session: Session, result: Iterable[Any], ids: Sequence[int]) -> dict[int, QueueRow]:
    """Queue rows from ``rows_query``-shaped result rows, with the SLA pauses of ``ids``."""
    return _made_rows(result, pauses_of(session, ids))


def _made_rows(result: Iterable[Any], pauses: Pauses) -> dict[int, QueueRow]:
    out: dict[int, QueueRow] = {}
    for r in result:
        out[r[0]] = QueueRow(
            id=r[0], tid=r[1], subject=r[2], requester=r[3], requester_name=r[4], client=r[5],
            plan_id=r[6], plan_en=r[7], plan_ru=r[8], status=r[9], department_en=r[10],
            department_ru=r[11], assignee_login=r[12], assignee_name=r[13], received_at=r[14],
            priority=r[15], priority_rank=r[16], flags=tuple(r[17] or ()), paid=bool(r[18]),
            first_reply_at=r[19], resolved_at=r[20], channel=r[21], version=r[22],
            pauses=tuple(pauses.get(r[0], ())), archived=bool(r[23]), rework_due=r[24],
        )
    return out


def fetch_page(ws: Workspace, ids: Sequence[int], lang: str = "en", book: SlaBook | None = None,
               now: datetime | None = None) -> dict[int, QueueLine]:
    """The given tickets as the queue paints them, keyed by id (a missing id was deleted
    meanwhile): one session, the rows and their pauses, and the book only if not given."""
    if not ids:
        return {}
    now = now or ws.now()
    with ws.db.reading() as s:
        rows = rows_in(s, ids)
        if book is None:
            book = load_sla_book(s)
    return {tid: prepare(row, book, now, lang) for tid, row in rows.items()}


def ticket_id_of(ws: Workspace, tid: str) -> int | None:
    """The id of the ticket numbered ``tid`` (to find its row in the queue), None if none."""
    with ws.db.reading() as s:
        found = s.scalar(select(Ticket.id).where(Ticket.tid == tid))
    return int(found) if found is not None else None


@dataclass(frozen=True)
class Head:
    """The first screen of a view without reading the whole id list: how many rows the view
    has and the first ``limit`` of them, prepared. The window paints this at once and takes
    over the full id list when it arrives."""

    total: int | None  # None when not counted here (see :func:`count_view`)
    ids: list[int]
    lines: dict[int, QueueLine]
    #: The plans' calendars and targets the countdowns of these rows are computed with.
    book: SlaBook = field(default_factory=SlaBook)
    #: A search's whole ordered id list, read with its head on PostgreSQL (None for other
    #: views and on SQLite): the window takes count and list from it instead of searching twice more.
    all_ids: list[int] | None = None

    @property
    def rows(self) -> dict[int, QueueRow]:
        return {tid: line.row for tid, line in self.lines.items()}


def fetch_head(ws: Workspace, spec: QueueSpec, limit: int, lang: str = "en", now: datetime | None = None,
               book: SlaBook | None = None, count: bool = True, tips: bool = True) -> Head:
    """Count and first rows of a view: one count and one row query (ids, columns and order in
    the same statement), plus the pauses of those rows, in one session.

    A search on PostgreSQL reads its whole ordered id list instead, and the head's rows by id
    (see :attr:`Head.all_ids`): there every statement is a round trip, perhaps across a VPN,
    and its hits are few next to a queue, so one search gives head, count and list. On SQLite
    a statement costs no trip, and the first screen of a search is read like any view's —
    only its rows (the search's index lookup and a walk that stops after ``limit`` hits);
    the window counts and reads the list after painting it.

    ``book`` is the caller's SLA book if it has one (plans and calendars rarely change and the
    full pass right after reloads it); without it the book is read here. Without ``count``
    the rows alone are read: the window counts beside them (:func:`count_view`), on its
    other reader, so the first screen does not wait for a count of 100,000 rows.
    """
    now = now or ws.now()
    if book is not None and not count:
        head = _kept_head(ws, spec, limit, lang, now, book, tips)
        if head is not None:
            return head
    with ws.db.reading() as s:
        filters = filters_for(s, ws, spec)
        if book is None:
            book = load_sla_book(s)
        thresholds = book.thresholds(now) if filters.sla else []
        number = tid_number(spec.search)
        if filters.search and not ws.db.is_sqlite:
            # Core, not the ORM's result machinery: 20,000 ids came 10 ms sooner.
            found = list(s.connection().execute(q.ids_query(s, filters, spec.sort, spec.descending, now, OPEN,
                                                            thresholds, number)).scalars())
            head_ids = found[:limit]
            rows = rows_in(s, head_ids) if head_ids else {}
            head_ids = [i for i in head_ids if i in rows]
            lines = {tid: prepare(rows[tid], book, now, lang, tips) for tid in head_ids}
            return Head(len(found), head_ids, lines, book, all_ids=found)
        total = int(s.scalar(q.count_query(s, filters, now, OPEN, thresholds, number)) or 0) if count else None
        result = head_rows(s, filters, spec.sort, spec.descending, now, OPEN, limit, thresholds, number)
        ids = [r[0] for r in result]
        rows = _rows(s, result, ids)
    return Head(total, ids, {tid: prepare(rows[tid], book, now, lang, tips) for tid in ids}, book)


def _kept_head(ws: Workspace, spec: QueueSpec, limit: int, lang: str, now: datetime, book: SlaBook,
               tips: bool) -> Head | None:
    """The first screen on SQLite by the statement kept for its shape of view, through the
    driver's own connection; None unless the spec names nothing stored and its statement is
    kept (the read with a session, below, compiles and keeps it). After a pause the session
    and its result set-up took as long as SQLite's answer: this is the read an agent waits
    for at every change of view, filter or sort."""
    if not ws.db.is_sqlite:
        return None
    filters = fixed_filters(ws, spec)
    if filters is None or tid_number(spec.search) is not None:
        return None
    dialect = ws.db.engine.dialect
    kept = kept_head(dialect.name, filters, spec.sort, spec.descending, OPEN, limit)
    if kept is None:
        return None
    with ws.db.driver_reading() as conn:
        result = kept.driver_rows(conn)
        ids = [r[0] for r in result]
        pauses = driver_pauses(conn, dialect, ids)
    rows = _made_rows(result, pauses)
    return Head(None, ids, {tid: prepare(rows[tid], book, now, lang, tips) for tid in ids}, book)


def count_view(ws: Workspace, spec: QueueSpec, now: datetime | None = None, book: SlaBook | None = None) -> int:
    """How many tickets a view holds (one statement; the plans' book only for an SLA filter)."""
    now = now or ws.now()
    with ws.db.reading() as s:
        filters = filters_for(s, ws, spec)
        thresholds = (book or load_sla_book(s)).thresholds(now) if filters.sla else []
        return int(s.scalar(q.count_query(s, filters, now, OPEN, thresholds, tid_number(spec.search))) or 0)
