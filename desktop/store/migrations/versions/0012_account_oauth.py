"""mail accounts: OAuth 2.0 sign-in and copies in Sent

An account signs in with a password (as before) or with OAuth 2.0 at a provider (Microsoft 365,
Google, Yandex 360, or a custom issuer found by OpenID discovery) under a client id the company
may have registered itself; the grant's refresh token is in the OS keyring, never here. What the
workstation sends is appended to the mailbox's Sent folder (found by SPECIAL-USE unless named),
which an account may switch off.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07 05:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("mail_accounts") as batch:
        batch.add_column(
            sa.Column("auth_method", sa.String(length=10), nullable=False, server_default="password")
        )
        batch.add_column(sa.Column("oauth_provider", sa.String(length=20), nullable=True))
        batch.add_column(sa.Column("oauth_issuer", sa.String(length=500), nullable=True))
        batch.add_column(sa.Column("oauth_client_id", sa.String(length=200), nullable=True))
        batch.add_column(sa.Column("sent_folder", sa.String(length=200), nullable=True))
        batch.add_column(
            sa.Column("sent_copies", sa.Boolean(), nullable=False, server_default=sa.true())
        )


def downgrade() -> None:
    with op.batch_alter_table("mail_accounts") as batch:
        for column in (
            "sent_copies", "sent_folder", "oauth_client_id", "oauth_issuer", "oauth_provider",
            "auth_method",
        ):
            batch.drop_column(column)
