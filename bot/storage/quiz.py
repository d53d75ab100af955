"""Tables of the daily practice quiz (created by migration 0006_quiz).

A session is one run of questions for one officer (the day's pushed quiz, or one started with /quiz); each
question sent is a poll, and the poll id → (session, question) map is here, because a PollAnswer carries no
chat and must still count after a restart. A card is the officer's FSRS review state of one question.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import BigInteger, Boolean, Date, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.models import Base, utcnow


class QuizPreference(Base):
    """An officer's choice about the daily push (officers are in unless they said /quiz_off)."""

    __tablename__ = "quiz_preferences"

    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class QuizSchedule(Base):
    """A unit's push time and days, set by its unit admin (/quiztime); without a row the settings' defaults."""

    __tablename__ = "quiz_schedules"

    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"), primary_key=True)
    at: Mapped[str] = mapped_column(String(5))  # HH:MM local
    days: Mapped[str] = mapped_column(String(10))  # workdays | daily
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_by: Mapped[int | None] = mapped_column(BigInteger)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class QuizSession(Base):
    __tablename__ = "quiz_sessions"
    __table_args__ = (Index("ix_quiz_sessions_user_day", "user_id", "day"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"))
    chat_id: Mapped[int] = mapped_column(BigInteger)
    day: Mapped[date] = mapped_column(Date)  # local day
    kind: Mapped[str] = mapped_column(String(10))  # daily | practice
    dedupe_key: Mapped[str | None] = mapped_column(String(60), unique=True)  # daily:<day>:<user>: one a day
    question_ids: Mapped[list[Any]] = mapped_column()  # JSON list, in the order asked
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]


class QuizPoll(Base):
    """One question sent as a Telegram quiz poll, and what became of it."""

    __tablename__ = "quiz_polls"
    __table_args__ = (
        Index("ix_quiz_polls_user_answered", "user_id", "answered_at"),
        Index("ix_quiz_polls_state_closes", "state", "closes_at"),
    )

    poll_id: Mapped[str] = mapped_column(String(64), primary_key=True)  # Telegram's
    session_id: Mapped[int] = mapped_column(ForeignKey("quiz_sessions.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)  # 0-based place in the session
    question_id: Mapped[str] = mapped_column(String(80))
    topic: Mapped[str] = mapped_column(String(20))
    message_id: Mapped[int] = mapped_column(BigInteger)
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)
    closes_at: Mapped[datetime]
    state: Mapped[str] = mapped_column(String(10), default="open")  # open | answered | missed | abandoned
    chosen: Mapped[list[Any] | None] = mapped_column()  # option ids, JSON
    correct: Mapped[bool | None] = mapped_column(Boolean)
    answered_at: Mapped[datetime | None]


class QuizCard(Base):
    """FSRS review state of one question for one officer (the fsrs package's Card, as its dict)."""

    __tablename__ = "quiz_cards"
    __table_args__ = (Index("ix_quiz_cards_user_due", "user_id", "due"),)

    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    question_id: Mapped[str] = mapped_column(String(80), primary_key=True)
    card: Mapped[dict[str, Any]] = mapped_column()
    due: Mapped[datetime]
    reviews: Mapped[int] = mapped_column(Integer, default=0)
    lapses: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
