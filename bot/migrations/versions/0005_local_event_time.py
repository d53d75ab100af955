"""case_events.occurred_at holds the local wall time of a timed event (当场查封扣押 14:30): a column without
a time zone. PostgreSQL had read the naive value into `timestamp with time zone` as UTC; the wall time is what
was meant, so it is taken back as it was written (AT TIME ZONE 'UTC'). SQLite stores the same text either way.

Revision ID: 0005_local_event_time
Revises: 0004_cancelled_by
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_local_event_time"
down_revision = "0004_cancelled_by"
branch_labels = None
depends_on = None


def _retype(timezone: bool, using: str) -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.alter_column("case_events", "occurred_at", type_=sa.DateTime(timezone=timezone), postgresql_using=using)
    else:
        with op.batch_alter_table("case_events", schema=None) as batch_op:
            batch_op.alter_column("occurred_at", type_=sa.DateTime(timezone=timezone))


def upgrade() -> None:
    _retype(False, "occurred_at AT TIME ZONE 'UTC'")


def downgrade() -> None:
    _retype(True, "occurred_at AT TIME ZONE 'UTC'")
