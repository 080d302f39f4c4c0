"""saved views of the queue; departments can be retired and ordered

An agent keeps a filter of the queue under a name, privately or shared with the team
(``saved_views``). A department, like a refusal reason, is retired instead of deleted once
tickets carry it (``departments.active``), and the list has an order of its own
(``departments.position``, seeded in the order of the ids).

Revision ID: 0015
Revises: 0012
Create Date: 2026-12-07 07:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "saved_views",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("owner", sa.String(length=100), nullable=False),
        sa.Column("shared", sa.Boolean(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("spec", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_saved_views")),
        sa.UniqueConstraint("owner", "name", name="uq_saved_views_owner"),
    )
    op.create_index(op.f("ix_saved_views_owner"), "saved_views", ["owner"], unique=False)
    # Plain ADD COLUMN on both engines: a batch rebuild of ``departments`` would drop the table
    # that every ticket's department refers to, which SQLite refuses with foreign keys on.
    op.add_column("departments", sa.Column("active", sa.Boolean(), nullable=False, server_default=sa.true()))
    op.add_column("departments", sa.Column("position", sa.Integer(), nullable=False, server_default="0"))
    op.execute("UPDATE departments SET position = id")


def downgrade() -> None:
    with op.batch_alter_table("departments") as batch:
        batch.drop_column("position")
        batch.drop_column("active")
    op.drop_index(op.f("ix_saved_views_owner"), table_name="saved_views")
    op.drop_table("saved_views")
