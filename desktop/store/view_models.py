"""Saved views of the queue an agent made (R-UI-1): a named filter, private or the team's."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from desktop.store.base import Base


class SavedView(Base):
    """One agent's filter kept under a name. ``spec`` holds the filter bar's values (the fixed
    view it narrows, status, department, assignee, plan, SLA state, search, sort) as plain
    JSON; ``shared`` shows it to every agent of the database, in ``position`` order."""

    __tablename__ = "saved_views"
    __table_args__ = (UniqueConstraint("owner", "name", name="uq_saved_views_owner"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    owner: Mapped[str] = mapped_column(String(100), index=True)  # the agent's login
    shared: Mapped[bool] = mapped_column(Boolean, default=False)
    position: Mapped[int] = mapped_column(Integer, default=0)
    spec: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime]
