"""Gap-tolerant counters that never hand out the same value twice.

The increment is one UPDATE … RETURNING inside the caller's transaction, so two workstations
creating tickets at once serialise on the row (PostgreSQL row lock, SQLite write lock); a rolled
back transaction may leave a gap, which R-TICKET-1 allows, but never a duplicate.
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from desktop.store.models import Sequence


def next_value(session: Session, name: str) -> int:
    stmt = (
        update(Sequence)
        .where(Sequence.name == name)
        .values(value=Sequence.value + 1)
        .returning(Sequence.value)
    )
    value = session.execute(stmt).scalar()
    if value is not None:
        return int(value)
    try:
        with session.begin_nested():
            session.add(Sequence(name=name, value=1))
        return 1
    except IntegrityError:  # another writer created the row first: increment theirs
        value = session.execute(stmt).scalar_one()
        return int(value)


def current_value(session: Session, name: str) -> int:
    value = session.execute(select(Sequence.value).where(Sequence.name == name)).scalar()
    return int(value or 0)
