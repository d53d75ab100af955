"""Personal reminders: storage service and the delivery sweep.

Delivery guarantees (the sweep runs every few seconds through PTB's JobQueue, on every bot instance):
- a reminder is claimed with a conditional UPDATE (pending → sending), so two instances or two
  overlapping sweeps never send the same one;
- it is marked sent only after Telegram returned the message; a transient failure (429, 5xx,
  timeout, network) puts it back to pending with a back-off, a permanent one (bot blocked, chat gone)
  marks it failed;
- reminders that fell due while the bot was down are sent once after the restart, marked late; a
  recurring reminder then moves to its next future occurrence, so missed repetitions are not replayed;
- a claim left behind by a crash between the send and the mark is taken over after LEASE. That is
  the one window where a message may be sent twice: it would otherwise be lost.
"""

from __future__ import annotations

import logging
import secrets
import warnings
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import and_, func, or_, select, update
from telegram import Bot
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, RetryAfter, TelegramError
from telegram.warnings import PTBDeprecationWarning

from bot.render import esc
from bot.storage import Database
from scheduler import texts
from scheduler.remind_parse import TZ, ParsedReminder, Recurrence
from scheduler.reminder_model import Reminder, ReminderState

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=5)  # longer than a send with all its retries can take
MAX_ATTEMPTS = 8
MAX_PENDING_PER_USER = 50
LATE_AFTER = timedelta(minutes=2)  # a delivery later than this says it is late
INSTANCE = secrets.token_hex(4)  # this process, in claimed_by


def _utc(dt: datetime) -> datetime:
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)  # SQLite returns naive


@dataclass(frozen=True)
class ReminderView:
    id: int
    user_id: int
    chat_id: int
    text: str
    due_at: datetime  # Asia/Shanghai
    recurrence: Recurrence | None
    state: ReminderState
    attempts: int = 0

    @classmethod
    def of(cls, r: Reminder) -> ReminderView:
        rec = Recurrence.from_spec(r.recurrence) if r.recurrence else None
        return cls(r.id, r.user_id, r.chat_id, r.text, _utc(r.due_at).astimezone(TZ), rec, r.state, r.attempts)


class TooManyReminders(Exception):
    pass


class ReminderService:
    def __init__(self, db: Database, instance: str = INSTANCE):
        self.db = db
        self.instance = instance

    # --- the officer's side --------------------------------------------------------------------
    async def create(self, user_id: int, chat_id: int, parsed: ParsedReminder, kind: str = "personal") -> ReminderView:
        async with self.db.session() as s:
            count = await s.scalar(
                select(func.count()).select_from(Reminder).where(
                    Reminder.user_id == user_id, Reminder.state.in_([ReminderState.pending, ReminderState.sending])
                )
            )
            if (count or 0) >= MAX_PENDING_PER_USER:
                raise TooManyReminders()
            r = Reminder(
                user_id=user_id, chat_id=chat_id, text=parsed.text, kind=kind, due_at=_utc(parsed.due),
                recurrence=parsed.recurrence.to_spec() if parsed.recurrence else None,
                state=ReminderState.pending, attempts=0, sent_count=0,
            )
            s.add(r)
            await s.flush()
            return ReminderView.of(r)

    async def pending(self, user_id: int) -> list[ReminderView]:
        async with self.db.session() as s:
            rows = await s.scalars(
                select(Reminder)
                .where(Reminder.user_id == user_id, Reminder.state.in_([ReminderState.pending, ReminderState.sending]))
                .order_by(Reminder.due_at, Reminder.id)
            )
            return [ReminderView.of(r) for r in rows]

    async def cancel(self, user_id: int, reminder_id: int) -> bool:
        """Only the owner cancels, and only what has not been delivered."""
        async with self.db.session() as s:
            result = await s.execute(
                update(Reminder)
                .where(Reminder.id == reminder_id, Reminder.user_id == user_id, Reminder.state == ReminderState.pending)
                .values(state=ReminderState.cancelled)
            )
            return result.rowcount == 1

    async def get(self, reminder_id: int) -> ReminderView | None:
        async with self.db.session() as s:
            r = await s.get(Reminder, reminder_id)
            return ReminderView.of(r) if r else None

    # --- delivery ------------------------------------------------------------------------------
    async def claim_due(self, now: datetime, limit: int = 50) -> list[ReminderView]:
        """Take up to `limit` due reminders for this instance (pending and due, or an expired claim)."""
        now = _utc(now)
        due = and_(
            Reminder.state == ReminderState.pending,
            Reminder.due_at <= now,
            or_(Reminder.next_attempt_at.is_(None), Reminder.next_attempt_at <= now),
        )
        abandoned = and_(Reminder.state == ReminderState.sending, Reminder.claimed_at < now - LEASE)
        claimed = []
        async with self.db.session() as s:
            ids = list(await s.scalars(select(Reminder.id).where(or_(due, abandoned)).order_by(Reminder.due_at).limit(limit)))
        for rid in ids:
            async with self.db.session() as s:  # one short transaction per claim: other writers are not blocked
                result = await s.execute(
                    update(Reminder)
                    .where(Reminder.id == rid, or_(due, abandoned))
                    .values(state=ReminderState.sending, claimed_at=now, claimed_by=self.instance,
                            attempts=Reminder.attempts + 1)
                    .execution_options(synchronize_session=False)
                )
                if result.rowcount == 1:
                    claimed.append(ReminderView.of(await s.get(Reminder, rid)))
        return claimed

    async def mark_sent(self, reminder_id: int, message_id: int, now: datetime) -> bool:
        """Telegram accepted the message: a one-off is done, a recurring one moves to its next occurrence."""
        now = _utc(now)
        async with self.db.session() as s:
            r = await s.get(Reminder, reminder_id)
            if r is None or r.state != ReminderState.sending or r.claimed_by != self.instance:
                return False  # cancelled meanwhile or taken over after the lease: never mark twice
            r.sent_count += 1
            r.last_sent_at, r.message_id = now, message_id
            r.claimed_at = r.claimed_by = r.next_attempt_at = r.last_error = None
            r.attempts = 0
            if r.recurrence:
                after = max(now, _utc(r.due_at))  # skip occurrences missed while the bot was down
                r.due_at = Recurrence.from_spec(r.recurrence).next_after(after).astimezone(UTC)
                r.state = ReminderState.pending
            else:
                r.state = ReminderState.sent
            return True

    async def retry_later(self, reminder_id: int, error: str, at: datetime) -> None:
        async with self.db.session() as s:
            r = await s.get(Reminder, reminder_id)
            if r is None or r.state != ReminderState.sending or r.claimed_by != self.instance:
                return
            r.last_error = error[:300]
            r.claimed_at = r.claimed_by = None
            if r.attempts >= MAX_ATTEMPTS:
                r.state = ReminderState.failed
            else:
                r.state, r.next_attempt_at = ReminderState.pending, _utc(at)

    async def fail(self, reminder_id: int, error: str) -> None:
        async with self.db.session() as s:
            await s.execute(
                update(Reminder)
                .where(Reminder.id == reminder_id, Reminder.claimed_by == self.instance)
                .values(state=ReminderState.failed, last_error=error[:300], claimed_at=None, claimed_by=None)
            )


# --- the sweep ---------------------------------------------------------------------------------------
@dataclass
class SweepResult:
    sent: int = 0
    retried: int = 0
    failed: int = 0


def render(reminder: ReminderView, now: datetime) -> str:
    lines = [texts.REMINDER_MESSAGE.format(text=esc(reminder.text))]
    if _utc(now) - _utc(reminder.due_at) > LATE_AFTER:
        lines.append(texts.REMINDER_LATE.format(when=format_when(reminder.due_at)))
    if reminder.recurrence:
        lines.append(texts.REMINDER_REPEATS.format(rule=esc(reminder.recurrence.describe())))
    return "\n".join(lines)


def format_when(moment: datetime) -> str:
    local = moment.astimezone(TZ)
    return f"{local.year}年{local.month}月{local.day}日（周{'一二三四五六日'[local.weekday()]}）{local:%H:%M}"


def _backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(30 * 2 ** max(attempts - 1, 0), 3600))


async def sweep(bot: Bot, service: ReminderService, now: datetime | None = None, limit: int = 50) -> SweepResult:
    """Send every due reminder once. Safe to run concurrently on several instances."""
    now = now or datetime.now(UTC)
    result = SweepResult()
    for r in await service.claim_due(now, limit):
        try:
            message = await bot.send_message(r.chat_id, render(r, now), parse_mode=ParseMode.HTML)
        except RetryAfter as exc:  # flood control beyond what the transport waited for
            with warnings.catch_warnings():  # PTB 22 warns that retry_after becomes a timedelta
                warnings.simplefilter("ignore", PTBDeprecationWarning)
                retry_after = exc.retry_after
            delay = retry_after if isinstance(retry_after, timedelta) else timedelta(seconds=retry_after)
            await service.retry_later(r.id, str(exc), now + delay)
            result.retried += 1
        except Forbidden as exc:  # the officer blocked the bot: retrying cannot help
            await service.fail(r.id, str(exc))
            result.failed += 1
        except BadRequest as exc:
            if "not found" in str(exc).lower() or "deactivated" in str(exc).lower():
                await service.fail(r.id, str(exc))
                result.failed += 1
            else:
                await service.retry_later(r.id, str(exc), now + _backoff(r.attempts))
                result.retried += 1
        except TelegramError as exc:  # 5xx after the transport's retries, timeouts, network errors
            log.warning("reminder %s not delivered: %s", r.id, exc)
            await service.retry_later(r.id, str(exc), now + _backoff(r.attempts))
            result.retried += 1
        else:
            await service.mark_sent(r.id, message.message_id, now)
            result.sent += 1
    return result
