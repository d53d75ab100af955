"""Audit log: who did what, written in the same transaction as the change it describes."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage import AuditLog, Database


def record(session: AsyncSession, actor: int | None, action: str, **detail: Any) -> None:
    session.add(AuditLog(actor=actor, action=action, detail=detail))


async def recent(db: Database, limit: int = 50, action: str | None = None) -> list[AuditLog]:
    async with db.session() as s:
        q = select(AuditLog).order_by(AuditLog.id.desc()).limit(limit)
        if action:
            q = q.where(AuditLog.action == action)
        return list((await s.scalars(q)).all())
