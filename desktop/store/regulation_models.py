"""The regulation's living data: confirmed production-calendar years and deadline warnings sent."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from desktop.store.base import Base


class CalendarYear(Base):
    """A year of Russia's production calendar the administrator confirmed: imported from a file
    (``days`` holds what it said) or confirmed by hand (the ``holidays`` package's days stand)."""

    __tablename__ = "calendar_years"
    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    source: Mapped[str] = mapped_column(String(20))  # import | hand
    file_name: Mapped[str] = mapped_column(String(300), default="")
    days: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    confirmed_at: Mapped[datetime]
    confirmed_by: Mapped[str] = mapped_column(String(100), default="")


class SlaWarning(Base):
    """A warning to a person that a ticket is near its deadline: once per ticket, target, level
    (``assignee`` at the plan's warning share, ``lead`` at the further share) and person."""

    __tablename__ = "sla_warnings"
    __table_args__ = (UniqueConstraint("ticket_id", "kind", "level", "recipient", name="uq_sla_warnings_ticket"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # reaction | resolution
    level: Mapped[str] = mapped_column(String(20))  # assignee | lead
    recipient: Mapped[str] = mapped_column(String(100))  # the agent's login
    channel: Mapped[str] = mapped_column(String(10))  # tray | mail
    due_at: Mapped[datetime]
    sent_at: Mapped[datetime] = mapped_column(index=True)
    shown_at: Mapped[datetime | None]  # when the recipient's window showed the tray notification
