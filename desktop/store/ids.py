"""Primary keys handed out by the program for the rows of one large write transaction.

Why: SQLite cannot say which new rowid belongs to which row of a many-row
``INSERT … RETURNING``, so SQLAlchemy's unit of work, which needs every new row's id back,
inserts one row per statement there — seven statements per ingested mail message (ticket,
message, attachments, acknowledgement, outbox item, history lines). Rows that already carry
their id go in with one ``executemany`` per table and flush. A sync of thousands of messages
installs an :class:`IdBlock` on its session; everything else keeps the database's own ids.

Safety: on SQLite the block takes the database's write lock before it reads the highest id, so
no other connection can insert into any table until this transaction ends (SQLite has a single
writer anyway). On PostgreSQL the ids come from the tables' own sequences, drawn a block at a
time, so they never collide with rows other workstations insert meanwhile.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Integer, event, inspect, text
from sqlalchemy.orm import Session

_KEY = "reglament.id_block"


class IdBlock:
    """Ids for the new rows of one session's transaction; see the module docstring."""

    def __init__(self, session: Session, block: int = 128) -> None:
        self.session = session
        self.block = block
        self.sqlite = session.get_bind().dialect.name == "sqlite"
        self._next: dict[str, int] = {}
        self._left: dict[str, list[int]] = {}
        self._locked = False
        session.info[_KEY] = self

    def _lock(self) -> None:
        """Take SQLite's write lock before the first id is drawn — not earlier, so a batch that is
        still waiting for its messages to be parsed does not hold up other writers. Any write
        statement takes the lock, even one that changes no row; from here to the commit no other
        connection can insert, so max(id) stays ours."""
        if not self._locked:
            self.session.execute(text("UPDATE sequences SET value = value WHERE 0"))
            self._locked = True

    def next_id(self, model: type[Any]) -> int:
        """The id for a new row of ``model``'s table."""
        name = str(model.__tablename__)
        if self.sqlite:
            self._lock()
            if name not in self._next:
                top = self.session.execute(text(f'SELECT coalesce(max(id), 0) FROM "{name}"')).scalar()
                self._next[name] = int(top or 0) + 1
            value = self._next[name]
            self._next[name] = value + 1
            return value
        left = self._left.setdefault(name, [])
        if not left:
            rows = self.session.execute(
                text("SELECT nextval(pg_get_serial_sequence(:t, 'id')) FROM generate_series(1, :n)"),
                {"t": name, "n": self.block},
            )
            left.extend(sorted((int(r[0]) for r in rows), reverse=True))
        return left.pop()


def _has_integer_id(mapper: Any) -> bool:
    pk = mapper.primary_key
    return len(pk) == 1 and pk[0].name == "id" and isinstance(pk[0].type, Integer)


@event.listens_for(Session, "before_flush")
def _assign_ids(session: Session, _context: object, _instances: object) -> None:
    block = session.info.get(_KEY)
    if block is None:
        return
    for obj in list(session.new):
        mapper = inspect(obj).mapper
        if _has_integer_id(mapper) and obj.id is None:
            obj.id = block.next_id(mapper.class_)
