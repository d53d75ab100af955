"""monthly statistics: the units' submitted figures per month, and the /stats form in progress per officer
(bot/storage/stats.py)

Revision ID: 0007_stats
Revises: 0006_quiz
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_stats"
down_revision = "0006_quiz"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('stats_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('values', sa.JSON(), nullable=False),
    sa.Column('submitted_by', sa.BigInteger(), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by', sa.BigInteger(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_stats_reports_unit_id_units'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stats_reports')),
    sa.UniqueConstraint('unit_id', 'month', name=op.f('uq_stats_reports_unit_id'))
    )
    with op.batch_alter_table('stats_reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stats_reports_unit_id'), ['unit_id'], unique=False)

    op.create_table('stats_drafts',
    sa.Column('user_id', sa.BigInteger(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('values', sa.JSON(), nullable=False),
    sa.Column('step', sa.Integer(), nullable=False),
    sa.Column('stage', sa.String(length=10), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_stats_drafts_unit_id_units'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_stats_drafts_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_stats_drafts'))
    )


def downgrade() -> None:
    op.drop_table('stats_drafts')
    with op.batch_alter_table('stats_reports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stats_reports_unit_id'))

    op.drop_table('stats_reports')
