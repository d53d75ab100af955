"""the daily quiz: preferences, unit push schedules, sessions, polls (poll id → question), FSRS cards; and
reminders.priority, so the next poll an officer waits for goes before a morning push (bot/storage/quiz.py)

Revision ID: 0006_quiz
Revises: 0005_local_event_time
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_quiz"
down_revision = "0005_local_event_time"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('quiz_schedules',
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.String(length=5), nullable=False),
    sa.Column('days', sa.String(length=10), nullable=False),
    sa.Column('enabled', sa.Boolean(), nullable=False),
    sa.Column('updated_by', sa.BigInteger(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_quiz_schedules_unit_id_units'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('unit_id', name=op.f('pk_quiz_schedules'))
    )
    op.create_table('quiz_cards',
    sa.Column('user_id', sa.BigInteger(), nullable=False),
    sa.Column('question_id', sa.String(length=80), nullable=False),
    sa.Column('card', sa.JSON(), nullable=False),
    sa.Column('due', sa.DateTime(timezone=True), nullable=False),
    sa.Column('reviews', sa.Integer(), nullable=False),
    sa.Column('lapses', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_quiz_cards_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'question_id', name=op.f('pk_quiz_cards'))
    )
    with op.batch_alter_table('quiz_cards', schema=None) as batch_op:
        batch_op.create_index('ix_quiz_cards_user_due', ['user_id', 'due'], unique=False)

    op.create_table('quiz_preferences',
    sa.Column('user_id', sa.BigInteger(), nullable=False),
    sa.Column('enabled', sa.Boolean(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_quiz_preferences_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_quiz_preferences'))
    )
    op.create_table('quiz_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.BigInteger(), nullable=False),
    sa.Column('chat_id', sa.BigInteger(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('dedupe_key', sa.String(length=60), nullable=True),
    sa.Column('question_ids', sa.JSON(), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_quiz_sessions_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quiz_sessions')),
    sa.UniqueConstraint('dedupe_key', name=op.f('uq_quiz_sessions_dedupe_key'))
    )
    with op.batch_alter_table('quiz_sessions', schema=None) as batch_op:
        batch_op.create_index('ix_quiz_sessions_user_day', ['user_id', 'day'], unique=False)

    op.create_table('quiz_polls',
    sa.Column('poll_id', sa.String(length=64), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.BigInteger(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.String(length=80), nullable=False),
    sa.Column('topic', sa.String(length=20), nullable=False),
    sa.Column('message_id', sa.BigInteger(), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('closes_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('chosen', sa.JSON(), nullable=True),
    sa.Column('correct', sa.Boolean(), nullable=True),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['session_id'], ['quiz_sessions.id'], name=op.f('fk_quiz_polls_session_id_quiz_sessions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_quiz_polls_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('poll_id', name=op.f('pk_quiz_polls'))
    )
    with op.batch_alter_table('quiz_polls', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_quiz_polls_session_id'), ['session_id'], unique=False)
        batch_op.create_index('ix_quiz_polls_state_closes', ['state', 'closes_at'], unique=False)
        batch_op.create_index('ix_quiz_polls_user_answered', ['user_id', 'answered_at'], unique=False)

    with op.batch_alter_table('reminders', schema=None) as batch_op:
        batch_op.add_column(sa.Column('priority', sa.Integer(), server_default='0', nullable=False))



def downgrade() -> None:
    with op.batch_alter_table('reminders', schema=None) as batch_op:
        batch_op.drop_column('priority')

    with op.batch_alter_table('quiz_polls', schema=None) as batch_op:
        batch_op.drop_index('ix_quiz_polls_user_answered')
        batch_op.drop_index('ix_quiz_polls_state_closes')
        batch_op.drop_index(batch_op.f('ix_quiz_polls_session_id'))

    op.drop_table('quiz_polls')
    with op.batch_alter_table('quiz_sessions', schema=None) as batch_op:
        batch_op.drop_index('ix_quiz_sessions_user_day')

    op.drop_table('quiz_sessions')
    op.drop_table('quiz_preferences')
    with op.batch_alter_table('quiz_cards', schema=None) as batch_op:
        batch_op.drop_index('ix_quiz_cards_user_due')

    op.drop_table('quiz_cards')
    op.drop_table('quiz_schedules')
