"""why work is paid: tickets.paid_basis

The paid flag and its suggestion carried only a sentence; ``paid_basis`` names the rule behind it
(urgent work outside the plan's hours, an expired contract, work unrelated to the client's
services, or the agent's own reason) so the window says it in the reader's language and scripts
can tell the cases apart. Existing rows get the basis their sentence shows.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07 07:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("tickets", sa.Column("paid_basis", sa.String(length=20), nullable=True))
    tickets = sa.table("tickets", sa.column("paid_basis", sa.String), sa.column("paid_reason", sa.Text),
                       sa.column("paid", sa.Boolean), sa.column("flags", sa.JSON))
    op.execute(tickets.update().where(tickets.c.paid_reason.like("contract expired on %"))
               .values(paid_basis="contract_expired"))
    op.execute(tickets.update().where(tickets.c.paid.is_(True), tickets.c.paid_basis.is_(None))
               .values(paid_basis="other"))


def downgrade() -> None:
    with op.batch_alter_table("tickets") as batch:
        batch.drop_column("paid_basis")
