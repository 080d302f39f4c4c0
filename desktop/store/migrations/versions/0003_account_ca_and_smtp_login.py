"""mail accounts: a private CA file and an SMTP login of their own

A company mail server with a certificate from its own CA is trusted through that CA's file (the
system's store is still used besides), never by turning verification off. Some providers log in
to SMTP under another name than to IMAP; its password then has its own keyring entry.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 08:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("mail_accounts", sa.Column("ca_file", sa.String(length=1000), nullable=True))
    op.add_column("mail_accounts", sa.Column("smtp_username", sa.String(length=320), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("mail_accounts") as batch:
        batch.drop_column("smtp_username")
        batch.drop_column("ca_file")
