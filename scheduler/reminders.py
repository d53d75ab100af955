"""Reminders: storage service and the delivery sweep (personal, case, escalation and org reminders).

The database is the source of truth: every reminder has a due time and a delivery state. The sweep
(through PTB's JobQueue, every few seconds and at the next due moment) sends what is due:

1. claim one due reminder with a conditional UPDATE (pending → sending, claimed_by = this process),
   so two instances or two overlapping sweeps never both send it;
2. send it to Telegram;
3. mark it sent, in its own transaction, only after Telegram returned the message. A transient
   failure (429, 5xx, timeout, network) puts it back to pending with a back-off; a permanent one
   (bot blocked, chat gone) marks it failed.

Each reminder is claimed right before it is sent, so only messages in flight are `sending` when the
process dies: one per lane. By default there is one lane (due order across chats, one message in flight);
`lanes` > 1 sends to different chats in parallel (a chat's reminders stay in order), for bursts larger
than one Telegram round trip per message allows (bench/reminder_bench.py measures both).

Exactly once, with one exception. Telegram has no idempotency key, so one window can produce a second
copy: the process dies (kill -9, power loss) AFTER Telegram accepted the message and BEFORE the
sent-mark committed. The row is then still `sending` and nobody can tell whether the officer got it;
losing a deadline reminder is worse than a duplicate, so it is sent again, flagged `possibly_sent`,
and that copy says so (texts.REMINDER_RESENT: “如已收到，请忽略本条”). A death before the send (the row
is re-sent, flagged, and it is the only copy) or after the mark (nothing to redo) never duplicates;
two live sweeps never duplicate (the claim); a retry after a refusal (429, 5xx, 400) never duplicates.
The same window seen by a live process is a timeout on sendMessage (Telegram may have accepted it):
the transport does not repeat it, the sweep retries later and flags that copy the same way.

Who takes over an orphaned `sending` row:
- SQLite (one bot process per database file): at start-up, in this process's first sweep, every
  `sending` row not claimed by this process belongs to a dead process; it goes back to pending at once,
  flagged possibly_sent;
- PostgreSQL (several instances may run): a live instance may still be sending it, so it is taken over
  only after LEASE, also flagged possibly_sent.

Reminders that fell due while the bot was down are sent once after the restart, with a line saying
they are late; a recurring reminder then moves to its next future occurrence, so missed repetitions
are not replayed.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import warnings
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import and_, case, func, or_, select, update
from telegram import Bot
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, RetryAfter, TelegramError, TimedOut
from telegram.warnings import PTBDeprecationWarning

from bot.render import Reply, esc
from bot.storage import Database
from bot.storage.reminders import CANCELLED_BY_SYSTEM, CANCELLED_BY_USER, Reminder, ReminderState
from scheduler import texts
from scheduler.remind_parse import TZ, ParsedReminder, Recurrence

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=5)  # longer than a send with all its retries can take
MAX_ATTEMPTS = 8
MAX_PENDING_PER_USER = 50
LATE_AFTER = timedelta(minutes=2)  # a delivery later than this says it is late
ACTIVE = (ReminderState.pending, ReminderState.sending)
SEND_LANES = 1  # parallel sends to different chats; Telegram allows about 30 messages/s in all


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
    kind: str = "personal"  # personal | case | escalation | org | quiz | quiz_week
    case_id: int | None = None
    possibly_sent: bool = False  # a crash or timeout may have delivered it already
    key: str | None = None  # the planned row's dedupe key


    @classmethod
    def of(cls, r: Reminder) -> ReminderView:
        rec = Recurrence.from_spec(r.recurrence) if r.recurrence else None
        return cls(
            r.id, r.user_id, r.chat_id, r.text, _utc(r.due_at).astimezone(TZ), rec, r.state, r.attempts,
            r.kind or "personal", r.case_id, bool(r.possibly_sent), r.dedupe_key,
        )


# A sender delivers one claimed reminder of its kind and returns the Telegram message id; Telegram errors
# propagate, so the sweep's retry / fail rules and its sent-mark apply to every kind alike.
Sender = Callable[[Bot, "ReminderView", datetime], Awaitable[int]]


class TooManyReminders(Exception):
    pass


class ReminderService:
    def __init__(self, db: Database, instance: str | None = None, *, late_after: timedelta = LATE_AFTER,
                 recover_at_start: bool | None = None, lanes: int | None = None, lease: timedelta = LEASE):
        self.db = db
        self.lease = lease  # a claim older than this belongs to a dead instance: another may take it over
        self.instance = instance or secrets.token_hex(4)  # in claimed_by; one per running Application
        self.late_after = late_after
        self.lanes = lanes  # None: SEND_LANES
        # SQLite: one process per database file, so another process's claim is an orphan (see the docstring)
        self.recover_at_start = db.is_sqlite if recover_at_start is None else recover_at_start
        self.started = False
        self.sweep_lock = asyncio.Lock()  # the regular sweep and a wake-up never overlap in one process
        self.stopping = False  # set on shutdown: a running sweep finishes the send in hand and stops
        self.stop_when: Callable[[], bool] | None = None  # e.g. the application is stopping
        # sweep now (set by scheduler.jobs): after a change that may have planned a reminder due at once
        self.wake: Callable[[], None] = lambda: None
        # how a kind is delivered when it is not a text message (quiz rows are polls): kind → sender
        self.senders: dict[str, Sender] = {}
        self.running: set[asyncio.Task] = set()  # sweeps in progress, for drain()

    @property
    def halted(self) -> bool:
        return self.stopping or bool(self.stop_when and self.stop_when())

    async def drain(self, timeout: float = 15.0) -> None:
        """On shutdown: let a sweep in progress finish the message in hand and its sent-mark, so a stop
        (SIGTERM, Ctrl-C) never leaves a delivered reminder unmarked."""
        self.stopping = True
        if self.running:
            await asyncio.wait(set(self.running), timeout=timeout)

    # --- the officer's side --------------------------------------------------------------------
    async def create(self, user_id: int, chat_id: int, parsed: ParsedReminder, kind: str = "personal") -> ReminderView:
        async with self.db.session() as s:
            count = await s.scalar(
                select(func.count()).select_from(Reminder).where(  # planned ones (cases, 报送) do not count
                    Reminder.user_id == user_id, Reminder.kind == kind, Reminder.state.in_(ACTIVE))
            )
            if (count or 0) >= MAX_PENDING_PER_USER:
                raise TooManyReminders()
            r = Reminder(
                user_id=user_id, chat_id=chat_id, text=parsed.text, kind=kind, due_at=_utc(parsed.due),
                recurrence=parsed.recurrence.to_spec() if parsed.recurrence else None,
                state=ReminderState.pending, attempts=0, sent_count=0, possibly_sent=False,
            )
            s.add(r)
            await s.flush()
            return ReminderView.of(r)

    async def pending(self, user_id: int) -> list[ReminderView]:
        async with self.db.session() as s:
            rows = await s.scalars(
                select(Reminder)
                .where(Reminder.user_id == user_id, Reminder.state.in_(ACTIVE))
                .order_by(Reminder.due_at, Reminder.id)
            )
            return [ReminderView.of(r) for r in rows]

    async def cancel(self, user_id: int, reminder_id: int) -> bool:
        """Only the owner cancels, and only what has not been delivered."""
        if not 0 < reminder_id < 2**63:  # a mistyped number SQLite cannot even compare
            return False
        async with self.db.session() as s:
            result = await s.execute(
                update(Reminder)
                .where(Reminder.id == reminder_id, Reminder.user_id == user_id, Reminder.state == ReminderState.pending)
                .values(state=ReminderState.cancelled, cancelled_by=CANCELLED_BY_USER)
            )
            return result.rowcount == 1

    async def snooze(self, user_id: int, reminder_id: int, due: datetime) -> tuple[ReminderView, bool] | None:
        """A one-off copy of a delivered reminder, due again at `due` (its kind and case kept). Keyed on the
        delivery it answers, so a double tap on 稍后提醒 makes one copy: (copy, created?). None if not the
        owner's or never delivered."""
        async with self.db.session() as s:
            r = await s.get(Reminder, reminder_id)
            if r is None or r.user_id != user_id or r.sent_count == 0:
                return None
            key = f"snooze:{r.id}:{r.sent_count}"
            existing = await s.scalar(select(Reminder).where(Reminder.dedupe_key == key))
            if existing is not None:
                return ReminderView.of(existing), False
            copy = Reminder(
                user_id=r.user_id, chat_id=r.chat_id, text=r.text, kind=r.kind, case_id=r.case_id, dedupe_key=key,
                due_at=_utc(due), state=ReminderState.pending, attempts=0, sent_count=0, possibly_sent=False,
            )
            s.add(copy)
            await s.flush()
            return ReminderView.of(copy), True

    async def get(self, reminder_id: int) -> ReminderView | None:
        async with self.db.session() as s:
            r = await s.get(Reminder, reminder_id)
            return ReminderView.of(r) if r else None

    # --- delivery ------------------------------------------------------------------------------
    def _claimable(self, now: datetime):
        due = and_(
            Reminder.state == ReminderState.pending,
            Reminder.due_at <= now,
            or_(Reminder.next_attempt_at.is_(None), Reminder.next_attempt_at <= now),
        )
        abandoned = and_(Reminder.state == ReminderState.sending, Reminder.claimed_at < now - self.lease)
        return or_(due, abandoned)

    async def supersede(self, now: datetime) -> int:
        """Several nudges of one deadline due at once (the bot was down over the 3-day and the 1-day one,
        or over the day and the overdue notice): only the latest goes out, the earlier ones would say
        less and arrive together. Returns how many were set aside (cancelled by the system)."""
        now = _utc(now)
        async with self.db.session() as s:
            rows = (await s.execute(select(Reminder.id, Reminder.dedupe_key, Reminder.due_at).where(
                Reminder.state == ReminderState.pending, Reminder.due_at <= now, Reminder.dedupe_key.is_not(None)
            ))).all()
            groups: dict[str, list[tuple[datetime, int]]] = {}
            for rid, key, due_at in rows:
                if (group := nudge_group(key)) is not None:
                    groups.setdefault(group, []).append((_utc(due_at), rid))
            stale = [rid for items in groups.values() if len(items) > 1 for _, rid in sorted(items)[:-1]]
            if stale:
                await s.execute(
                    update(Reminder)
                    .where(Reminder.id.in_(stale), Reminder.state == ReminderState.pending)
                    .values(state=ReminderState.cancelled, cancelled_by=CANCELLED_BY_SYSTEM,
                            last_error="superseded by a later nudge of the same deadline")
                    .execution_options(synchronize_session=False)
                )
            return len(stale)

    async def due(self, now: datetime, limit: int = 50) -> list[tuple[int, int]]:
        """(id, chat_id) of reminders claimable at `now`, oldest due first (pending and due, or a claim
        past its lease)."""
        async with self.db.session() as s:
            query = select(Reminder.id, Reminder.chat_id).where(self._claimable(_utc(now)))
            rows = await s.execute(query.order_by(Reminder.priority.desc(), Reminder.due_at, Reminder.id).limit(limit))
            return [(rid, chat) for rid, chat in rows]

    async def claim(self, reminder_id: int, now: datetime) -> ReminderView | None:
        """Take one reminder for this instance; None if another sweep was first or it is not due."""
        now = _utc(now)
        async with self.db.session() as s:  # one short transaction per claim: other writers are not blocked
            result = await s.execute(
                update(Reminder)
                .where(Reminder.id == reminder_id, self._claimable(now))
                .values(
                    state=ReminderState.sending, claimed_at=now, claimed_by=self.instance,
                    attempts=Reminder.attempts + 1,
                    # taking over an expired claim: the dead holder may have delivered it
                    possibly_sent=case((Reminder.state == ReminderState.sending, True), else_=Reminder.possibly_sent),
                )
                .execution_options(synchronize_session=False)
            )
            if result.rowcount != 1:
                return None
            return ReminderView.of(await s.get(Reminder, reminder_id))

    async def claim_due(self, now: datetime, limit: int = 50) -> list[ReminderView]:
        """Claim up to `limit` due reminders at once (the sweep claims one at a time instead)."""
        claimed = [await self.claim(rid, now) for rid, _chat in await self.due(now, limit)]
        return [r for r in claimed if r is not None]

    async def recover_orphans(self) -> int:
        """Put every claim of another process back to pending, flagged possibly_sent. Only correct when no
        other process can be sending (SQLite, at start-up): the sweep calls it once, before its first claim."""
        async with self.db.session() as s:
            result = await s.execute(
                update(Reminder)
                .where(Reminder.state == ReminderState.sending,
                       or_(Reminder.claimed_by.is_(None), Reminder.claimed_by != self.instance))
                .values(state=ReminderState.pending, possibly_sent=True, claimed_at=None, claimed_by=None,
                        next_attempt_at=None)
                .execution_options(synchronize_session=False)
            )
            count = result.rowcount or 0
        if count:
            log.warning("%d reminder(s) left in flight by a stopped process will be re-sent", count)
        return count

    async def start(self) -> None:
        """Once per process, before the first claim."""
        if not self.started:
            if self.recover_at_start:
                await self.recover_orphans()
            self.started = True

    async def next_due(self) -> datetime | None:
        """When the earliest pending reminder becomes claimable (UTC); may be in the past."""
        # the later of due_at and next_attempt_at (a retry waits past its due time): exactly when it is claimable
        when = case((Reminder.next_attempt_at > Reminder.due_at, Reminder.next_attempt_at), else_=Reminder.due_at)
        async with self.db.session() as s:
            first = await s.scalar(select(func.min(when)).where(Reminder.state == ReminderState.pending))
        return _utc(first) if first else None

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
            r.possibly_sent = False
            if r.recurrence:
                after = max(now, _utc(r.due_at))  # skip occurrences missed while the bot was down
                r.due_at = Recurrence.from_spec(r.recurrence).next_after(after).astimezone(UTC)
                r.state = ReminderState.pending
            else:
                r.state = ReminderState.sent
            return True

    async def retry_later(self, reminder_id: int, error: str, at: datetime, possibly_sent: bool = False) -> None:
        async with self.db.session() as s:
            r = await s.get(Reminder, reminder_id)
            if r is None or r.state != ReminderState.sending or r.claimed_by != self.instance:
                return
            r.last_error = error[:300]
            r.claimed_at = r.claimed_by = None
            r.possibly_sent = r.possibly_sent or possibly_sent
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


def nudge_group(key: str | None) -> str | None:
    """The deadline and recipient a planned countdown nudge belongs to, or None for other reminders.
    Keys (scheduler/case_plan.py, scheduler/org_service.py): case:{id}:{rule}:{due}:{d3|h2|over…}:{user},
    org:{unit}:{item}:{due}:d{n}:{user}; escalations and one-off notes are not countdowns."""
    parts = (key or "").split(":")
    if len(parts) != 6 or parts[0] not in ("case", "org"):
        return None
    step = parts[4]
    if step == "over" or (step[:1] in ("d", "h") and step[1:].isdigit()):
        return ":".join(parts[:4] + parts[5:])
    return None


# --- rendering -------------------------------------------------------------------------------------
def render(reminder: ReminderView, now: datetime, late_after: timedelta = LATE_AFTER) -> Reply:
    """The delivered message: a heading by kind, the stored text (escaped), then late / re-sent / repeat
    notes; a case reminder carries a button to the case card."""
    template = texts.REMINDER_BY_KIND.get(reminder.kind, texts.REMINDER_MESSAGE)
    lines = [template.format(text=esc(reminder.text))]
    if _utc(now) - _utc(reminder.due_at) > late_after:
        lines.append(texts.REMINDER_LATE.format(when=format_when(reminder.due_at)))
    if reminder.possibly_sent:
        lines.append(texts.REMINDER_RESENT)
    if reminder.recurrence:
        lines.append(texts.REMINDER_REPEATS.format(rule=esc(reminder.recurrence.describe())))
    buttons = [[(label, f"{SNOOZE_PREFIX}:{reminder.id}:{code}") for code, label in texts.SNOOZE_LABELS.items()]]
    if reminder.case_id:
        buttons.append([(texts.REMINDER_CASE_BUTTON, f"ck:v:{reminder.case_id}")])
    return Reply("\n".join(lines), buttons)


SNOOZE_PREFIX = "rm:z"  # rm:z:<reminder id>:<code in texts.SNOOZE_LABELS>


def snooze_due(code: str, now: datetime, morning_hour: int = 9) -> datetime | None:
    """When a snoozed reminder comes again: 10 minutes, an hour, or tomorrow morning (local)."""
    now = _utc(now)
    if code == "10m":
        return now + timedelta(minutes=10)
    if code == "1h":
        return now + timedelta(hours=1)
    if code == "tm":
        tomorrow = now.astimezone(TZ).date() + timedelta(days=1)
        return datetime.combine(tomorrow, time(morning_hour), tzinfo=TZ).astimezone(UTC)
    return None


def format_when(moment: datetime) -> str:
    local = moment.astimezone(TZ)
    return f"{texts.format_day(local.date())}{local:%H:%M}"


def _backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(30 * 2 ** max(attempts - 1, 0), 3600))


# --- the sweep ---------------------------------------------------------------------------------------
@dataclass
class SweepResult:
    sent: int = 0
    retried: int = 0
    failed: int = 0


async def sweep(bot: Bot, service: ReminderService, now: datetime | None = None, limit: int = 50,
                lanes: int | None = None) -> SweepResult:
    """Send every due reminder once, each claimed just before its send, until none is due. Safe to run
    concurrently on several instances. `now` fixes the clock (tests); otherwise each reminder is judged
    at the real time."""
    clock: Callable[[], datetime] = (lambda: now) if now is not None else (lambda: datetime.now(UTC))
    lanes = lanes or service.lanes or SEND_LANES
    result = SweepResult()
    await service.start()
    await service.supersede(clock())

    async def lane(ids: list[int]) -> int:
        claimed = 0
        for rid in ids:
            if service.halted:
                break
            r = await service.claim(rid, clock())
            if r is not None:
                claimed += 1
                await _deliver(bot, service, r, clock(), result)
        return claimed

    while True:
        batch = await service.due(clock(), limit)
        by_lane: dict[int, list[int]] = {}
        for rid, chat_id in batch:
            by_lane.setdefault(chat_id % lanes, []).append(rid)
        claimed = sum(await asyncio.gather(*(lane(ids) for ids in by_lane.values())))
        if len(batch) < limit or not claimed or service.halted:  # a full batch may hide more due reminders
            return result


async def _send_text(bot: Bot, service: ReminderService, r: ReminderView, now: datetime) -> int:
    reply = render(r, now, service.late_after)
    message = await bot.send_message(r.chat_id, reply.text, parse_mode=ParseMode.HTML, reply_markup=reply.markup)
    return message.message_id


async def _deliver(bot: Bot, service: ReminderService, r: ReminderView, now: datetime, result: SweepResult) -> None:
    sender = service.senders.get(r.kind)
    try:
        message_id = await (sender(bot, r, now) if sender else _send_text(bot, service, r, now))
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
    except TimedOut as exc:  # Telegram may have accepted it: the next copy says it may be a repeat
        log.warning("reminder %s timed out: %s", r.id, exc)
        await service.retry_later(r.id, str(exc), now + _backoff(r.attempts), possibly_sent=True)
        result.retried += 1
    except TelegramError as exc:  # 5xx after the transport's retries, network errors
        log.warning("reminder %s not delivered: %s", r.id, exc)
        await service.retry_later(r.id, str(exc), now + _backoff(r.attempts))
        result.retried += 1
    except Exception as exc:  # a bug in a sender or renderer: never leave the row claimed for ever
        log.exception("reminder %s (%s) could not be delivered", r.id, r.kind)
        await service.fail(r.id, f"{exc.__class__.__name__}: {exc}")
        result.failed += 1
    else:
        await service.mark_sent(r.id, message_id, now)
        result.sent += 1
