"""Reminders planned from data (case deadlines, organisational dates, quiz polls) rather than typed by an officer.

A planner computes the whole set of reminders a case or a unit should have; `sync_planned` makes the
reminders table agree with it inside the caller's transaction:
- each planned reminder has a `key` (e.g. ``case:12:cf_decision:2026-12-01:d3:900``); a key already in
  the table is left alone (it may be sent already), so planning twice, or after a crash, never doubles
  a nudge;
- pending rows in the planner's scope whose key is no longer planned are cancelled (the event was
  recorded, the date changed, the item was switched off), marked cancelled_by="system": a planner may
  revive them when the key is planned again, never a reminder the officer cancelled.
Delivery is the ordinary reminder sweep (scheduler/reminders.py): claim, send, mark after Telegram
accepted.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.reminders import CANCELLED_BY_SYSTEM, Reminder, ReminderState, cancelled_by_system

KINDS = ("case", "escalation", "org", "quiz", "quiz_week")


@dataclass(frozen=True)
class PlannedReminder:
    key: str  # unique; ≤160 characters
    user_id: int  # recipient (registered user)
    chat_id: int
    due_at: datetime  # aware
    text: str  # plain text body, escaped when rendered
    kind: str  # one of KINDS; quiz rows are delivered as polls (ReminderService.senders)
    case_id: int | None = None
    priority: int = 0  # higher goes first among due rows (an officer waiting for the next poll)


@dataclass(frozen=True)
class SyncResult:
    added: int
    cancelled: int
    revived: int = 0


def _utc(dt: datetime) -> datetime:
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)


async def sync_planned(
    session: AsyncSession,
    planned: Iterable[PlannedReminder],
    *,
    scope_prefix: str,
    cancel_from: datetime | None = None,
    revive: bool = False,
) -> SyncResult:
    """Insert planned reminders whose key is new; cancel pending ones under `scope_prefix` not planned
    any more (only those due at or after `cancel_from`, when given: a planner that looks ahead from
    today must not cancel what fell due while the bot was down).

    With `revive` (a change the officer or admin made: case reopened, event recorded again, item switched
    back on), a planned key whose row the system cancelled earlier is pending again with the planned time
    and text: the key is unique, so the row is reused; it was never sent, so this cannot double a nudge.
    A row the officer cancelled (/unremind, 取消) stays cancelled."""
    planned = list(planned)
    for p in planned:
        if not p.key.startswith(scope_prefix) or p.kind not in KINDS or len(p.key) > 160:
            raise ValueError(f"planned reminder outside its scope or malformed: {p.key!r}")
    keys = {p.key for p in planned}
    existing = set(await session.scalars(select(Reminder.dedupe_key).where(Reminder.dedupe_key.in_(keys)))) if keys else set()
    revived = 0
    if revive and keys:
        by_key = {p.key: p for p in planned}
        for r in await session.scalars(select(Reminder).where(Reminder.dedupe_key.in_(keys), cancelled_by_system())):
            p = by_key[r.dedupe_key]
            r.state, r.due_at, r.text = ReminderState.pending, _utc(p.due_at), p.text[:500]
            r.attempts, r.next_attempt_at, r.cancelled_by = 0, None, None
            revived += 1
    added = 0
    for p in planned:
        if p.key in existing:
            continue
        existing.add(p.key)
        session.add(Reminder(
            user_id=p.user_id, chat_id=p.chat_id, text=p.text[:500], kind=p.kind, case_id=p.case_id,
            dedupe_key=p.key, due_at=_utc(p.due_at), state=ReminderState.pending, attempts=0, sent_count=0,
            possibly_sent=False, priority=p.priority,
        ))
        added += 1
    stale = (
        update(Reminder)
        .where(Reminder.dedupe_key.startswith(scope_prefix, autoescape=True), Reminder.state == ReminderState.pending)
        .values(state=ReminderState.cancelled, cancelled_by=CANCELLED_BY_SYSTEM)
        .execution_options(synchronize_session=False)
    )
    if keys:
        stale = stale.where(Reminder.dedupe_key.not_in(keys))
    if cancel_from is not None:
        stale = stale.where(Reminder.due_at >= _utc(cancel_from))
    cancelled = (await session.execute(stale)).rowcount or 0
    await session.flush()
    return SyncResult(added, cancelled, revived)
