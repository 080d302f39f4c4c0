"""mail accounts: a stable key for their keyring entries

A mailbox's password used to be filed in the keyring under its login (``user@host:port``), so a
second account with the same login on the same server silently replaced the first one's
password. Each account now has a key of its own, made once and never changed (a random UUID, the
same on every workstation of a team database), and its keyring entries are filed under it. The
entries of existing accounts are moved to the new key the first time they are read
(desktop/services/accounts.py).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07 06:00:00
"""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("mail_accounts", sa.Column("key_id", sa.String(36), nullable=True))
    bind = op.get_bind()
    accounts = sa.table("mail_accounts", sa.column("id", sa.Integer), sa.column("key_id", sa.String))
    for (account_id,) in bind.execute(sa.select(accounts.c.id)).all():
        bind.execute(
            sa.update(accounts).where(accounts.c.id == account_id).values(key_id=str(uuid.uuid4()))
        )


def downgrade() -> None:
    with op.batch_alter_table("mail_accounts") as batch:
        batch.drop_column("key_id")
