"""What other workstations follow live: the change log and who is replying (R-TEAM-2)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from desktop.store.base import Base


class ChangeLog(Base):
    """Every committed change of a ticket, in commit order, for the other workstations (R-TEAM-2).

    Rows are written by triggers (``0009_change_log``) from the history table, so no writer —
    a use case, the bulk ingest, a script — can change a ticket without its line here; presence
    (someone replying) is written by ``services.background.presence``. ``seq`` is the change
    counter a workstation polls on SQLite and reads back after a dropped connection; ``xid``
    (PostgreSQL's transaction id) lets that catch-up read prove nothing committed late was missed.
    """

    __tablename__ = "change_log"
    __table_args__ = {"sqlite_autoincrement": True}
    seq: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    ticket_id: Mapped[int | None] = mapped_column(Integer)
    tid: Mapped[str | None] = mapped_column(String(30))
    what: Mapped[str] = mapped_column(String(50))
    field: Mapped[str | None] = mapped_column(String(50))
    new: Mapped[str | None] = mapped_column(String(200))
    actor: Mapped[str] = mapped_column(String(100), default="")
    at: Mapped[datetime]
    xid: Mapped[int | None] = mapped_column(BigInteger, index=True)


class Presence(Base):
    """Someone has a reply open on a ticket: a lease renewed by a heartbeat, so a workstation
    that goes away stops claiming it within a minute (shown as "Anna is replying")."""

    __tablename__ = "presence"
    ticket_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    login: Mapped[str] = mapped_column(String(100), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    holder: Mapped[str] = mapped_column(String(200), default="")
    expires: Mapped[datetime]
