"""tickets: mail imported from a mailbox's archive

Connecting a mailbox that already holds months of mail used to open every old message as a new
ticket whose clock had run out long before Reglament saw it: the queue and the team lead's
numbers filled with breaches nobody could have prevented. Such mail is now imported as an
archived ticket — closed, with no deadlines, not counted against the regulation — and this
column marks it.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03 14:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("tickets", sa.Column("archived", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("tickets") as batch:
        batch.drop_column("archived")
