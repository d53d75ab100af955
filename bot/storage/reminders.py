"""The reminders table: personal reminders and every planned message (case deadlines, 报送 dates …), created by
migration 0002_reminders (case_id, dedupe_key, possibly_sent: 0003_cases; cancelled_by: 0004_cancelled_by)."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import BigInteger, Boolean, ColumnElement, Enum, ForeignKey, Index, Integer, String, and_, or_
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage import cases  # noqa: F401  (the cases table that reminders.case_id refers to)
from bot.storage.models import Base, utcnow


class ReminderState(enum.StrEnum):
    pending = "pending"  # waiting for due_at (or for next_attempt_at after a failed send)
    sending = "sending"  # claimed by a sweep; Telegram has not confirmed yet
    sent = "sent"  # one-off reminder delivered (recurring ones go back to pending with the next due_at)
    cancelled = "cancelled"  # cancelled_by says whether the officer or the system did it
    failed = "failed"  # Telegram refused for good (blocked bot, chat gone) or too many attempts


# Reminder.cancelled_by: the officer (/unremind, 取消) or the system (a planned reminder no longer planned).
CANCELLED_BY_USER = "user"
CANCELLED_BY_SYSTEM = "system"


class Reminder(Base):
    __tablename__ = "reminders"
    __table_args__ = (Index("ix_reminders_state_due_at", "state", "due_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"), index=True)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    text: Mapped[str] = mapped_column(String(500))
    kind: Mapped[str] = mapped_column(String(20), default="personal")  # personal | case | escalation | org | quiz | …
    # Case and organisational reminders are planned from data; the key makes re-planning idempotent
    # (one row per case/rule/due day/offset/recipient), so a crash while planning never doubles a nudge.
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    dedupe_key: Mapped[str | None] = mapped_column(String(160), unique=True)
    due_at: Mapped[datetime]  # UTC; for recurring reminders the next occurrence
    recurrence: Mapped[str | None] = mapped_column(String(40))  # Recurrence.to_spec()
    state: Mapped[ReminderState] = mapped_column(
        Enum(ReminderState, native_enum=False, length=12), default=ReminderState.pending
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None]  # back-off after a transient failure
    claimed_at: Mapped[datetime | None]
    claimed_by: Mapped[str | None] = mapped_column(String(40))
    sent_count: Mapped[int] = mapped_column(Integer, default=0)
    last_sent_at: Mapped[datetime | None]
    message_id: Mapped[int | None] = mapped_column(BigInteger)  # of the last delivered message
    last_error: Mapped[str | None] = mapped_column(String(300))
    # Re-sent after a crash that may have come after Telegram accepted it: the message says so.
    possibly_sent: Mapped[bool] = mapped_column(Boolean, default=False)
    # Set with state=cancelled. Re-planning revives only "system" cancels (a case reopened, an org item switched
    # back on); an officer's cancel stays. NULL: cancelled before migration 0004, treated as the system's.
    cancelled_by: Mapped[str | None] = mapped_column(String(10))
    # Higher goes first among due rows (0006): the next quiz poll an officer is waiting for is not queued
    # behind a morning push to the whole bureau.
    priority: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


def cancelled_by_system() -> ColumnElement[bool]:
    """Cancelled rows that re-planning may revive: those the system cancelled. NULL counts as the system: such
    rows were cancelled before migration 0004, when every cancel looked alike and re-planning revived them
    all; keeping that, a case closed then and reopened now gets its deadline nudges back (missing a legal
    deadline is worse than one nudge an officer had cancelled)."""
    return and_(Reminder.state == ReminderState.cancelled,
                or_(Reminder.cancelled_by.is_(None), Reminder.cancelled_by == CANCELLED_BY_SYSTEM))
