"""messages: identity of a message beyond IMAP's numbering, and how often it came back

A mailbox restored from a backup, re-uploaded or copied to another folder gives every message a
new UID, and a backup tool often adds a header of its own, so neither the IMAP numbering nor a
hash of the raw bytes recognises the mail again: a restore opened every message as a new ticket
and acknowledged it again. ``identity`` is a digest of what the author wrote (Message-ID, From,
Date, Subject, body — see desktop/mail/identity.py); ``seen_again`` counts the copies recognised
by it since. Messages stored before this revision get their identity when a message with the same
Message-ID next arrives (re-read from the raw file): no slow rewrite of every row here.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07 05:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("messages", sa.Column("identity", sa.String(64), nullable=True))
    op.add_column("messages", sa.Column("seen_again", sa.Integer(), nullable=False, server_default="0"))
    op.create_index("ix_messages_identity", "messages", ["identity"])


def downgrade() -> None:
    op.drop_index("ix_messages_identity", table_name="messages")
    with op.batch_alter_table("messages") as batch:
        batch.drop_column("seen_again")
        batch.drop_column("identity")
