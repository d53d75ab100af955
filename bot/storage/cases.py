"""Tables of the case tracker and of per-unit organisational dates (created by migration 0003_cases)."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Enum,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.models import Base, utcnow


class CaseState(enum.StrEnum):
    open = "open"
    closed = "closed"


class Case(Base):
    """A penalty case an officer tracks: its deadlines follow from the events recorded for it."""

    __tablename__ = "cases"
    __table_args__ = (Index("ix_cases_handler_state", "handler_id", "state"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    party: Mapped[str] = mapped_column(String(200))
    handler_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="SET NULL"), index=True)
    opened_on: Mapped[date] = mapped_column(Date)  # 立案日 (also stored as the 立案 event)
    state: Mapped[CaseState] = mapped_column(Enum(CaseState, native_enum=False, length=10), default=CaseState.open)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None]


class CaseEvent(Base):
    """One procedural event of a case (canonical name from scheduler/data/deadlines.yaml). Recording an
    event again replaces its date; the audit log keeps the history."""

    __tablename__ = "case_events"
    __table_args__ = (UniqueConstraint("case_id", "event"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    event: Mapped[str] = mapped_column(String(40))
    occurred_on: Mapped[date] = mapped_column(Date)
    # local wall time for hour periods (24小时 …): naive, in a column without a time zone (0005_local_event_time)
    occurred_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=False))
    recorded_by: Mapped[int | None] = mapped_column(BigInteger)
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)


class UnitOrgDeadline(Base):
    """A unit's change to one default organisational date (scheduler/data/org_deadlines.yaml)."""

    __tablename__ = "unit_org_deadlines"

    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"), primary_key=True)
    item_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    day: Mapped[int | None] = mapped_column(Integer)
    month: Mapped[int | None] = mapped_column(Integer)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_by: Mapped[int | None] = mapped_column(BigInteger)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
