"""invite codes can be revoked before they are used (/invites, /revoke), and the 督查 role (Role.supervisor)

The role column is a plain VARCHAR(20) without a check constraint (native_enum=False), so the new role value
needs no change to the schema.

Revision ID: 0008_invite_revocation
Revises: 0007_stats
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_invite_revocation"
down_revision = "0007_stats"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("invites", schema=None) as batch_op:
        batch_op.add_column(sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("revoked_by", sa.BigInteger(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("invites", schema=None) as batch_op:
        batch_op.drop_column("revoked_by")
        batch_op.drop_column("revoked_at")
