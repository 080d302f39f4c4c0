"""reply composer: drafts keep the whole reply, replies remember their blind copies

A draft used to be the body alone; the composer's draft is the whole reply being written — its
To, Cc and Bcc, whether the answered message is quoted, and the files attached (their bytes are
in the blob store, the draft names them by hash) — so a crash or a restart gives all of it back.
An outgoing message remembers whom it was sent to in blind copy: not in its headers (that is
what blind means), but in the ticket, for the team.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07 07:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN on both engines: a batch rebuild would copy every message of a large
    # workspace (and drop a table others refer to, which SQLite refuses with foreign keys on).
    op.add_column("drafts", sa.Column("to_addrs", sa.JSON(), nullable=True))
    op.add_column("drafts", sa.Column("cc_addrs", sa.JSON(), nullable=True))
    op.add_column("drafts", sa.Column("bcc_addrs", sa.JSON(), nullable=True))
    op.add_column("drafts", sa.Column("quote", sa.Boolean(), nullable=False, server_default=sa.true()))
    op.add_column("drafts", sa.Column("files", sa.JSON(), nullable=True))
    op.add_column("messages", sa.Column("bcc_addrs", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("messages") as batch:
        batch.drop_column("bcc_addrs")
    with op.batch_alter_table("drafts") as batch:
        for column in ("files", "quote", "bcc_addrs", "cc_addrs", "to_addrs"):
            batch.drop_column(column)
