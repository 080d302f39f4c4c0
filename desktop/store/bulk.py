"""Many rows into one table in one statement, for the large write transactions of mail intake.

Why not ``session.execute(insert(table), rows)``: for every row SQLAlchemy builds its parameter
set anew (column keys, defaults, type processing through several layers), which in a sync of
thousands of messages cost more than SQLite's own work of storing them. Here the statement and
each column's bind processor — the same processors SQLAlchemy itself would apply, so the stored
values are identical — are prepared once per table and set of columns, and the rows go to the
driver's ``executemany`` as plain tuples, inside the session's transaction.

On SQLite only, where the driver call is all the work there is. PostgreSQL keeps SQLAlchemy's
``insertmanyvalues`` path, which batches rows into multi-row statements that this would lose.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, insert
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session

Processor = Callable[[Any], Any] | None


@dataclass(frozen=True)
class _Plan:
    sql: str
    keys: tuple[str, ...]
    processors: tuple[Processor, ...]
    defaults: tuple[Callable[[], Any], ...]


_plans: dict[tuple[int, str, tuple[str, ...]], _Plan] = {}


def insert_rows(session: Session, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert ``rows`` (column name → value) into ``table`` in the session's transaction.

    A column a row leaves out gets the column's default, as with SQLAlchemy's insert.
    """
    if not rows:
        return
    connection = session.connection()
    dialect = connection.dialect
    if dialect.name != "sqlite":
        session.execute(insert(table), list(rows))
        return
    keys = tuple(sorted({k for row in rows for k in row}))
    plan = _plan(table, dialect, keys)
    params = [_values(plan, row) for row in rows]
    connection.exec_driver_sql(plan.sql, params)


def _values(plan: _Plan, row: dict[str, Any]) -> tuple[Any, ...]:
    out = []
    for key, process, default in zip(plan.keys, plan.processors, plan.defaults, strict=True):
        value = row[key] if key in row else default()
        # None goes through the processor too: JSON stores it as 'null', as SQLAlchemy does.
        out.append(process(value) if process is not None else value)
    return tuple(out)


def _plan(table: Table, dialect: Dialect, keys: tuple[str, ...]) -> _Plan:
    cache_key = (id(table), dialect.name, keys)
    plan = _plans.get(cache_key)
    if plan is not None:
        return plan
    given = set(keys)
    unknown = given - {c.name for c in table.columns}
    if unknown:
        raise KeyError(f"{table.name} has no column {sorted(unknown)[0]!r}")
    defaults = {c.name: column_default(c) for c in table.columns}
    columns = [c for c in table.columns if c.name in given or defaults[c.name] is not None]
    quote = dialect.identifier_preparer.quote
    sql = (f"INSERT INTO {quote(table.name)} ({', '.join(quote(c.name) for c in columns)}) "
           f"VALUES ({', '.join('?' for _ in columns)})")
    plan = _Plan(
        sql=sql,
        keys=tuple(c.name for c in columns),
        processors=tuple(c.type._cached_bind_processor(dialect) for c in columns),
        defaults=tuple(defaults[c.name] or _none for c in columns),
    )
    _plans[cache_key] = plan
    return plan


def _none() -> None:
    return None


def column_default(column: Any) -> Callable[[], Any] | None:
    """The column's Python-side default as a function of nothing (``default=list``, ``0``…)."""
    default = column.default
    if default is None:
        return None
    if default.is_scalar:
        value = default.arg
        return lambda: value
    if default.is_callable:
        fn = default.arg
        return lambda: fn(None)
    return None
