"""Tables of the monthly statistics (created by migration 0007_stats).

A report is one unit's figures for one month, submitted (or a submitted one changed); a draft is what an
officer has typed so far in the /stats form, kept here so that nothing typed is lost when the bot restarts.
Values are JSON {field id: "number as text"} (money in 万元 with up to 4 decimals, kept exact).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import BigInteger, Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.models import Base, utcnow


class StatsReport(Base):
    __tablename__ = "stats_reports"
    __table_args__ = (UniqueConstraint("unit_id", "month"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"), index=True)
    month: Mapped[date] = mapped_column(Date)  # the first day of the reported month
    values: Mapped[dict[str, Any]] = mapped_column()
    submitted_by: Mapped[int] = mapped_column(BigInteger)
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_by: Mapped[int | None] = mapped_column(BigInteger)
    updated_at: Mapped[datetime | None]
    revision: Mapped[int] = mapped_column(Integer, default=1)


class StatsDraft(Base):
    """The form in progress: one per officer (a new /stats replaces it)."""

    __tablename__ = "stats_drafts"

    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"))
    month: Mapped[date] = mapped_column(Date)
    values: Mapped[dict[str, Any]] = mapped_column()  # field id → number as text; "" for skipped
    step: Mapped[int] = mapped_column(Integer, default=0)  # index of the field being asked
    stage: Mapped[str] = mapped_column(String(10), default="fields")  # fields | confirm
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
