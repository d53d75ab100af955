"""who cancelled a reminder: "user" (/unremind, 取消) or "system" (no longer planned) — re-planning revives only
the system's cancels (bot/storage/reminders.py)

Revision ID: 0004_cancelled_by
Revises: 0003_cases
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_cancelled_by"
down_revision = "0003_cases"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Rows cancelled before this revision keep NULL: the code treats them as the system's (see Reminder.cancelled_by).
    with op.batch_alter_table("reminders", schema=None) as batch_op:
        batch_op.add_column(sa.Column("cancelled_by", sa.String(length=10), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("reminders", schema=None) as batch_op:
        batch_op.drop_column("cancelled_by")
