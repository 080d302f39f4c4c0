"""calendar years confirmed, warnings to people, agents' presence

The production calendar of a year the ``holidays`` package has no transfers for is a guess;
``calendar_years`` records the years the administrator imported or confirmed by hand.
``sla_warnings`` records each warning a person was sent about a ticket near its deadline, so it
goes once per ticket and level; ``agents.seen_at`` says whether the agent is at the workstation
(a warning to the tray) or away (by mail).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 05:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import desktop.store.types

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "calendar_years",
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("file_name", sa.String(length=300), nullable=False),
        sa.Column("days", sa.JSON(), nullable=True),
        sa.Column("confirmed_at", desktop.store.types.UTCDateTime(), nullable=False),
        sa.Column("confirmed_by", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("year", name=op.f("pk_calendar_years")),
    )
    op.create_table(
        "sla_warnings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("level", sa.String(length=20), nullable=False),
        sa.Column("recipient", sa.String(length=100), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("due_at", desktop.store.types.UTCDateTime(), nullable=False),
        sa.Column("sent_at", desktop.store.types.UTCDateTime(), nullable=False),
        sa.Column("shown_at", desktop.store.types.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["ticket_id"], ["tickets.id"], name=op.f("fk_sla_warnings_ticket_id_tickets"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sla_warnings")),
        sa.UniqueConstraint("ticket_id", "kind", "level", "recipient", name="uq_sla_warnings_ticket"),
    )
    op.create_index(op.f("ix_sla_warnings_ticket_id"), "sla_warnings", ["ticket_id"], unique=False)
    op.create_index(op.f("ix_sla_warnings_sent_at"), "sla_warnings", ["sent_at"], unique=False)
    op.add_column("agents", sa.Column("seen_at", desktop.store.types.UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("agents") as batch:
        batch.drop_column("seen_at")
    op.drop_index(op.f("ix_sla_warnings_sent_at"), table_name="sla_warnings")
    op.drop_index(op.f("ix_sla_warnings_ticket_id"), table_name="sla_warnings")
    op.drop_table("sla_warnings")
    op.drop_table("calendar_years")
