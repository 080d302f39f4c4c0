"""The first screen of a view, read through a statement compiled once per shape of view.

Why: the first screen is the one read an agent waits for every time a view, filter or sort
changes. Measured after a pause (as an agent starts it), SQLAlchemy building the 25-column
statement, keying its cache and wrapping the result took three times as long as SQLite took
to answer it (1.1 ms against 0.35 ms for 16 rows of 100,000). A view's shape — its filters,
order and row count — repeats all day, so its SQL text, parameters and column converters are
kept here once compiled, and later reads only run the text. Views whose SQL depends on the
moment (SLA states) or on typed words (a search) are built each time, as before.

The converters are SQLAlchemy's own for each selected column (an aware UTC datetime, JSON),
so a row read here is the row :func:`~desktop.store.queue.head_query` would give.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Dialect
from sqlalchemy.orm import Session

from desktop.store.queue import Filters, WarnThreshold, head_query, pauses_query

#: Compiled shapes kept at most (a view, filter and sort combination each; few in a day).
KEPT = 64

Convert = Callable[[Any], Any]


@dataclass(frozen=True)
class Compiled:
    """One statement as the driver takes it, with the converters of its result columns."""

    sql: str
    params: tuple[Any, ...] | dict[str, Any]
    converters: tuple[tuple[int, Convert], ...]
    #: The parameters' names in the statement's order (to run it again with other values).
    names: tuple[str, ...] = ()

    @classmethod
    def of(cls, stmt: Any, dialect: Dialect) -> Compiled:
        compiled = stmt.compile(dialect=dialect, compile_kwargs={"render_postcompile": True})
        params: tuple[Any, ...] | dict[str, Any]
        if compiled.positional:
            names = tuple(compiled.positiontup or ())
            params = tuple(compiled.params[name] for name in names)
        else:
            names = tuple(compiled.params)
            params = dict(compiled.params)
        converters = []
        for i, column in enumerate(stmt.selected_columns):
            convert = column.type.dialect_impl(dialect).result_processor(dialect, None)
            if convert is not None:
                converters.append((i, convert))
        return cls(str(compiled), params, tuple(converters), names)

    def bound(self, values: Sequence[Any]) -> tuple[Any, ...] | dict[str, Any]:
        """Other values for the parameters, in the statement's order."""
        return tuple(values) if isinstance(self.params, tuple) else dict(zip(self.names, values, strict=True))

    def rows(self, conn: Connection, params: tuple[Any, ...] | dict[str, Any] | None = None) -> list[tuple[Any, ...]]:
        return self.converted(conn.exec_driver_sql(self.sql, self.params if params is None else params).fetchall())

    def driver_rows(self, conn: Any, params: tuple[Any, ...] | dict[str, Any] | None = None) -> list[tuple[Any, ...]]:
        """The rows through the driver's own connection (:meth:`Database.driver_reading`)."""
        return self.converted(conn.execute(self.sql, self.params if params is None else params).fetchall())

    def converted(self, raw: Sequence[Any]) -> list[tuple[Any, ...]]:
        """The driver's rows with each column as SQLAlchemy's type gives it."""
        if not self.converters:
            return [tuple(r) for r in raw]
        out = []
        for r in raw:
            row = list(r)
            for i, convert in self.converters:
                row[i] = convert(row[i])
            out.append(tuple(row))
        return out


_kept: dict[tuple[Any, ...], Compiled] = {}
#: The pauses statement by number of ids (a page of any length has one): kept apart, so
#: scrolling through pages of many lengths never pushes a view's first screen out.
_kept_pauses: dict[tuple[str, int], Compiled] = {}
_lock = threading.Lock()


def _keep(kept: dict[Any, Compiled], key: Any, found: Compiled) -> None:
    with _lock:
        if len(kept) >= KEPT:
            kept.clear()
        kept[key] = found


def _plain(params: tuple[Any, ...] | dict[str, Any]) -> bool:
    """Parameters the driver takes as they are (no type of ours converts them on the way in)."""
    values = params.values() if isinstance(params, dict) else params
    return all(v is None or type(v) in (int, str, bool) for v in values)


def head_rows(
    session: Session,
    filters: Filters,
    sort: str,
    descending: bool,
    now: datetime,
    open_statuses: Sequence[str],
    limit: int,
    thresholds: Iterable[WarnThreshold] = (),
    tid_number: int | None = None,
) -> list[tuple[Any, ...]]:
    """The rows :func:`~desktop.store.queue.head_query` selects, as plain tuples."""
    conn = session.connection()
    dialect = conn.dialect
    timeless = not filters.sla and not filters.search.strip() and tid_number is None
    key = _shape(dialect.name, filters, sort, descending, open_statuses, limit) if timeless else None
    found = _kept.get(key) if key is not None else None
    if found is None:
        stmt = head_query(session, filters, sort, descending, now, open_statuses, limit, thresholds, tid_number)
        found = Compiled.of(stmt, dialect) if key is not None else None
        if key is None or found is None or not _plain(found.params):
            # Built for this moment, or with values our column types convert (an aware
            # datetime): SQLAlchemy runs it as any statement.
            return [tuple(r) for r in session.execute(stmt).all()]
        _keep(_kept, key, found)
    return found.rows(conn)


def _shape(dialect: str, filters: Filters, sort: str, descending: bool, open_statuses: Sequence[str],
           limit: int) -> tuple[Any, ...]:
    return (dialect, filters, sort, descending, tuple(open_statuses), limit)


def kept_head(dialect: str, filters: Filters, sort: str, descending: bool, open_statuses: Sequence[str],
              limit: int) -> Compiled | None:
    """The first screen's statement of this shape of view if :func:`head_rows` has kept it:
    it runs as it is, through the driver (:meth:`Database.driver_reading`), with no session."""
    return _kept.get(_shape(dialect, filters, sort, descending, open_statuses, limit))


Pauses = dict[int, list[tuple[datetime, datetime | None]]]


def pauses_of(session: Session, ids: Sequence[int]) -> Pauses:
    """The SLA pauses of the tickets ``ids`` (the first screen's), by ticket, oldest first: the
    statement compiled once per number of ids, then run with these."""
    if not ids:
        return {}
    conn = session.connection()
    found = _pauses_statement(conn.dialect, len(ids))
    return _by_ticket(found.rows(conn, found.bound(ids)))


def driver_pauses(conn: Any, dialect: Dialect, ids: Sequence[int]) -> Pauses:
    """:func:`pauses_of` through the driver's own connection (:meth:`Database.driver_reading`)."""
    if not ids:
        return {}
    found = _pauses_statement(dialect, len(ids))
    return _by_ticket(found.driver_rows(conn, found.bound(ids)))


def _pauses_statement(dialect: Dialect, count: int) -> Compiled:
    key = (dialect.name, count)
    found = _kept_pauses.get(key)
    if found is None:
        found = Compiled.of(pauses_query(range(count)), dialect)
        _keep(_kept_pauses, key, found)
    return found


def _by_ticket(rows: Iterable[tuple[Any, ...]]) -> Pauses:
    out: Pauses = {}
    for tid, start, end in rows:
        out.setdefault(tid, []).append((start, end))
    return out
