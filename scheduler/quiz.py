"""The daily practice quiz: sessions of Telegram quiz polls, answers, review schedules, the daily push.

    quiz = QuizService(db, tz=tz, size=5, open_seconds=3600, default_time=time(9), default_days="workdays")
    quiz.pool = build_pool(corpus)                       # at start-up (scheduler/quiz_pool.py)
    await quiz.start_practice(member, chat_id, now)     # /quiz: plans the first poll
    await quiz.answer(poll_id, user_id, [2], now)       # a PollAnswer: counts it, plans the next poll
    await quiz.close_expired(now)                       # polls whose open period ended: missed, next planned
    await quiz.plan_push(now)                           # the daily push: one planned row per (day, officer)

Every poll goes out through the one reminder sweep, as a planned row of kind "quiz" that `deliver` (the
sweep's sender for the kind) turns into a sendPoll: claimed, sent, marked after Telegram accepted it, so a
crash or a second instance never loses nor doubles one, except a poll in flight at a kill -9 (Telegram has no
idempotency key): it is sent again and logged. Rows keys:
- ``quizpush:<day>:<user>`` the day's push: creates the day's session (one per officer and day) and sends
  its first poll;
- ``quiz:<session>:<position>`` the next poll of a session (priority: before a push in progress);
- ``quiz:<session>:end`` the summary: score, streak, the articles to read as buttons.
The poll id → (session, question) map is stored, so an answer after a restart still counts.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import and_, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Bot, Poll

from bot import callbacks
from bot.render import Reply, esc
from bot.services import audit
from bot.services.errors import NotAllowed, ServiceError
from bot.services.users import Member, may_manage_unit
from bot.storage import Database, User
from bot.storage.quiz import QuizCard, QuizPoll, QuizPreference, QuizSchedule, QuizSession
from bot.storage.reminders import CANCELLED_BY_USER, Reminder, ReminderState
from knowledge.quiz.bank import Question
from scheduler import quiz_learning
from scheduler.calendar import WorkCalendar, default_calendar
from scheduler.planned import PlannedReminder, sync_planned
from scheduler.quiz_pool import QuizPool
from scheduler.reminders import ReminderView
from scheduler.texts import quiz as T

log = logging.getLogger(__name__)

PUSH_GRACE = timedelta(hours=6)  # a push planned later than this after its time (the bot was down) is skipped
RECENT = timedelta(days=3)  # a question asked this recently is not asked again as a new one
HISTORY = timedelta(days=60)  # answers that weigh the topics
NEXT_PRIORITY = 1  # the officer is waiting: before a push in progress
MAX_READ_BUTTONS = 5
DAYS = ("workdays", "daily")


class BadQuizTime(ServiceError):
    key = "quiz_bad_time"


@dataclass(frozen=True)
class Schedule:
    at: time
    days: str  # workdays | daily
    enabled: bool
    own: bool  # the unit changed the default


@dataclass(frozen=True)
class Outcome:
    counted: bool  # False: an unknown, closed or already answered poll
    right: bool = False
    question: Question | None = None
    unknown: bool = False  # no such poll (yet: its row is written right after Telegram returns the poll id)


@dataclass(frozen=True)
class SessionResult:
    session_id: int
    kind: str
    total: int
    right: int
    missed: int
    wrong: tuple[Question, ...]  # wrong or missed, in the order asked


def _utc(dt: datetime) -> datetime:
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)


def parse_time(text: str) -> time | None:
    """08:30, 8:30, 8点半, 8点 → a time of day (None when it is not one)."""
    text = text.strip().replace("：", ":").replace("点半", ":30").replace("点", ":00").replace("时", ":00")
    parts = text.split(":")
    if len(parts) != 2 or not all(p.isdigit() for p in parts):
        return None
    hour, minute = int(parts[0]), int(parts[1] or 0)
    return time(hour, minute) if 0 <= hour <= 23 and 0 <= minute <= 59 else None


class QuizService:
    def __init__(self, db: Database, *, tz: ZoneInfo, size: int, open_seconds: int, default_time: time,
                 default_days: str, calendar: WorkCalendar | None = None):
        self.db = db
        self.tz = tz
        self.size = size
        self.open_period = timedelta(seconds=open_seconds)
        off = default_days == "off"  # the operator switched the push off; a unit may still set its own
        self.default = Schedule(default_time, "workdays" if off else default_days, not off, False)
        base = calendar or default_calendar()
        # a year without holiday data counts weekends only (the push goes on; the calendar module says so)
        self.calendar = WorkCalendar(base.extra_holidays, base.extra_workdays, base.extra_years, fallback=True)
        self.pool: QuizPool | None = None  # set at start-up: the questions need the corpus
        self.law_ids: dict[str, str] = {}  # law name → corpus law id, for the article buttons

    # --- clock --------------------------------------------------------------------------------------
    def _today(self, now: datetime) -> date:
        return _utc(now).astimezone(self.tz).date()

    # --- preferences and schedules -----------------------------------------------------------------
    async def set_enabled(self, member: Member, enabled: bool, now: datetime | None = None) -> None:
        now = _utc(now or datetime.now(UTC))
        async with self.db.session() as s:
            pref = await s.get(QuizPreference, member.id)
            if pref is None:
                s.add(QuizPreference(user_id=member.id, enabled=enabled, updated_at=now))
            else:
                pref.enabled, pref.updated_at = enabled, now
            audit.record(s, member.id, "quiz.push_on" if enabled else "quiz.push_off")
        await self.plan_push(now)  # a switched-off officer's pending push goes at once, a new one comes

    async def enabled(self, user_id: int) -> bool:
        async with self.db.session() as s:
            pref = await s.get(QuizPreference, user_id)
            return pref is None or pref.enabled

    async def schedule_for(self, unit_id: int | None) -> Schedule:
        if unit_id is None:
            return self.default
        async with self.db.session() as s:
            return self._schedule(await s.get(QuizSchedule, unit_id))

    def _schedule(self, row: QuizSchedule | None) -> Schedule:
        if row is None:
            return self.default
        hour, minute = (int(x) for x in row.at.split(":"))
        return Schedule(time(hour, minute), row.days, row.enabled, True)

    async def set_schedule(self, member: Member, unit_id: int, *, at: time | None = None, days: str | None = None,
                           enabled: bool | None = None, reset: bool = False, now: datetime | None = None) -> Schedule:
        """A unit admin's change for their unit (or a unit below it); admins any unit."""
        now = _utc(now or datetime.now(UTC))
        if days is not None and days not in DAYS:
            raise BadQuizTime(text=days)
        async with self.db.session() as s:
            if not await may_manage_unit(s, member, unit_id):
                raise NotAllowed()
            row = await s.get(QuizSchedule, unit_id)
            if reset:
                if row is not None:
                    await s.delete(row)
                audit.record(s, member.id, "quiz.schedule_reset", unit=unit_id)
                result = self.default
            else:
                current = self._schedule(row)
                at, days = at or current.at, days or (current.days if row else self.default.days)
                enabled = current.enabled if enabled is None else enabled
                if row is None:
                    row = QuizSchedule(unit_id=unit_id)
                    s.add(row)
                row.at, row.days, row.enabled, row.updated_by, row.updated_at = at.strftime("%H:%M"), days, enabled, \
                    member.id, now
                audit.record(s, member.id, "quiz.schedule", unit=unit_id, at=row.at, days=days, enabled=enabled)
                result = Schedule(at, days, enabled, True)
        await self.plan_push(now)
        return result

    def is_push_day(self, schedule: Schedule, day: date) -> bool:
        return schedule.days == "daily" or self.calendar.is_workday(day)

    # --- the daily push ------------------------------------------------------------------------------
    async def plan_push(self, now: datetime) -> int:
        """One planned row per (day, officer) for today and tomorrow, at the unit's time; officers who said
        /quiz_off and units that switched it off get none (their pending rows are cancelled)."""
        now = _utc(now)
        today = self._today(now)
        added = 0
        async with self.db.session() as s:
            users = list(await s.scalars(select(User)))
            off = set(await s.scalars(select(QuizPreference.user_id).where(QuizPreference.enabled.is_(False))))
            schedules = {r.unit_id: self._schedule(r) for r in await s.scalars(select(QuizSchedule))}
            for day in (today, today + timedelta(days=1)):
                planned = []
                for user in users:
                    schedule = schedules.get(user.unit_id, self.default) if user.unit_id else self.default
                    if user.id in off or not schedule.enabled or not self.is_push_day(schedule, day):
                        continue
                    due = datetime.combine(day, schedule.at, self.tz)
                    if now - due > PUSH_GRACE:
                        continue
                    planned.append(PlannedReminder(f"quizpush:{day.isoformat()}:{user.id}", user.id, user.id, due,
                                                   T.PUSH_TEXT, "quiz"))
                result = await sync_planned(s, planned, scope_prefix=f"quizpush:{day.isoformat()}:",
                                            cancel_from=now, revive=True)
                added += result.added + result.revived
        return added

    # --- sessions ------------------------------------------------------------------------------------
    async def start_practice(self, member: Member, chat_id: int, now: datetime | None = None) -> int | None:
        """A session of its own (/quiz); None while a poll of the officer is still open."""
        now = _utc(now or datetime.now(UTC))
        async with self.db.session() as s:
            waiting = await s.scalar(select(func.count()).select_from(QuizPoll).where(
                QuizPoll.user_id == member.id, QuizPoll.state == "open", QuizPoll.closes_at > now))
            coming = await s.scalar(select(func.count()).select_from(Reminder).where(
                Reminder.user_id == member.id, Reminder.kind == "quiz", Reminder.dedupe_key.startswith("quiz:"),
                Reminder.state.in_((ReminderState.pending, ReminderState.sending))))
            if waiting or coming:  # a poll is open or on its way: one session at a time
                return None
            session = await self._new_session(s, member.id, chat_id, "practice", self._today(now), None, now)
            await self._plan(s, session, 0, now)
            return session.id

    async def abandon(self, member: Member, now: datetime | None = None) -> int:
        """The officer ends the session in hand (/quiz → 结束这一组): its open polls are closed without a
        review and outside the topic weights (they were not attempted), and the polls still to come are not sent.
        How many polls were open."""
        now = _utc(now or datetime.now(UTC))
        async with self.db.session() as s:
            polls = list(await s.scalars(select(QuizPoll).where(QuizPoll.user_id == member.id,
                                                                 QuizPoll.state == "open")))
            for poll in polls:
                poll.state, poll.correct = "abandoned", False
            await s.execute(update(Reminder).where(
                Reminder.user_id == member.id, Reminder.kind == "quiz", Reminder.dedupe_key.startswith("quiz:"),
                Reminder.state == ReminderState.pending,
            ).values(state=ReminderState.cancelled, cancelled_by=CANCELLED_BY_USER))
            audit.record(s, member.id, "quiz.abandon", open_polls=len(polls))
        return len(polls)

    async def _new_session(self, s: AsyncSession, user_id: int, chat_id: int, kind: str, day: date,
                           key: str | None, now: datetime) -> QuizSession:
        # the day's session is one per officer; practice sessions are told apart by how many came before
        count = 0 if key else await s.scalar(select(func.count()).select_from(QuizSession).where(
            QuizSession.user_id == user_id))
        ids = await self._select(s, user_id, seed=f"{user_id}:{day.isoformat()}:{kind}:{count}", now=now)
        session = QuizSession(user_id=user_id, chat_id=chat_id, day=day, kind=kind, dedupe_key=key,
                              question_ids=ids, started_at=now)
        s.add(session)
        await s.flush()
        return session

    async def _select(self, s: AsyncSession, user_id: int, seed: str, now: datetime) -> list[str]:
        pool = self._pool()
        cards = list(await s.execute(select(QuizCard.question_id, QuizCard.due).where(QuizCard.user_id == user_id)))
        due = [qid for qid, when in sorted(cards, key=lambda c: _utc(c[1])) if _utc(when) <= now]
        asked = list(await s.execute(select(QuizPoll.question_id, QuizPoll.topic, QuizPoll.correct, QuizPoll.state,
                                            QuizPoll.sent_at).where(QuizPoll.user_id == user_id,
                                                                    QuizPoll.sent_at >= now - HISTORY)))
        recent = {qid for qid, _t, _c, _s, sent in asked if _utc(sent) >= now - RECENT}
        history = [(topic, bool(correct)) for _q, topic, correct, state, _s in asked if state in ("answered", "missed")]
        weights = quiz_learning.topic_weights(history, pool.topics)
        return quiz_learning.select(pool.questions, self.size, due_reviews=due, seen={c[0] for c in cards},
                                    recent=recent, weights=weights, seed=seed)

    def _pool(self) -> QuizPool:
        if self.pool is None:
            raise RuntimeError("the quiz pool is not loaded yet")
        return self.pool

    async def _plan(self, s: AsyncSession, session: QuizSession, position: int, now: datetime) -> None:
        """The row that sends the session's poll at `position` (or its summary after the last)."""
        step = "end" if position >= len(session.question_ids) else str(position)
        key = f"quiz:{session.id}:{step}"
        await sync_planned(s, [PlannedReminder(key, session.user_id, session.chat_id, now, T.PUSH_TEXT, "quiz",
                                               priority=NEXT_PRIORITY)], scope_prefix=key)

    # --- delivery: the sweep's sender for kind "quiz" --------------------------------------------------
    async def deliver(self, bot: Bot, reminder: ReminderView, now: datetime) -> int:
        now = _utc(now)  # stored times are UTC (SQLite compares them as text)
        key = reminder.key or ""
        if reminder.possibly_sent:
            log.warning("quiz row %s may have been sent already (in flight at a crash): sending it again", key)
        parts = key.split(":")
        if parts[0] == "quizpush" and len(parts) == 3:
            return await self._push(bot, reminder, date.fromisoformat(parts[1]), now)
        if parts[0] == "quiz" and len(parts) == 3:
            async with self.db.session() as s:
                session = await s.get(QuizSession, int(parts[1]))
            if session is None:
                return 0
            if parts[2] == "end":
                return await self._send_summary(bot, session, now)
            return await self._send_poll(bot, session, int(parts[2]), now)
        raise ValueError(f"not a quiz row: {key!r}")

    async def _push(self, bot: Bot, reminder: ReminderView, day: date, now: datetime) -> int:
        key = f"daily:{day.isoformat()}:{reminder.user_id}"
        created = False
        try:
            async with self.db.session() as s:
                session = await s.scalar(select(QuizSession).where(QuizSession.dedupe_key == key))
                if session is None:
                    session = await self._new_session(s, reminder.user_id, reminder.chat_id, "daily", day, key, now)
                    created = True
        except IntegrityError:  # another instance made it meanwhile
            created = False
            async with self.db.session() as s:
                session = await s.scalar(select(QuizSession).where(QuizSession.dedupe_key == key))
        return await self._send_poll(bot, session, 0, now, fresh=created)

    async def _send_poll(self, bot: Bot, session: QuizSession, position: int, now: datetime,
                         fresh: bool = False) -> int:
        if not fresh:  # a session just made has no polls yet
            async with self.db.session() as s:
                answered = await s.scalar(select(QuizPoll.message_id).where(
                    QuizPoll.session_id == session.id, QuizPoll.position == position, QuizPoll.state != "open"))
            if answered is not None:  # re-sent after a crash, but the officer had answered it already
                return int(answered)
        ids = session.question_ids
        question = self._pool().get(ids[position]) if position < len(ids) else None
        if question is None:  # left the bank since the session began: go on with the next
            async with self.db.session() as s:
                await self._plan(s, session, position + 1, now)
            return 0
        poll = poll_params(question, position, len(ids), self.open_period)
        message = await bot.send_poll(session.chat_id, **poll)
        async with self.db.session() as s:
            s.add(QuizPoll(poll_id=message.poll.id, session_id=session.id, user_id=session.user_id, position=position,
                           question_id=question.id, topic=question.topic, message_id=message.message_id, sent_at=now,
                           closes_at=now + self.open_period, state="open"))
        return message.message_id

    async def _send_summary(self, bot: Bot, session: QuizSession, now: datetime) -> int:
        result = await self.result(session.id)
        streak = await self.streak(session.user_id, self._today(now))
        reply = summary_reply(result, streak, self.law_ids)
        message = await bot.send_message(session.chat_id, reply.text, reply_markup=reply.markup)
        async with self.db.session() as s:
            row = await s.get(QuizSession, session.id)
            if row is not None and row.finished_at is None:
                row.finished_at = now
        return message.message_id

    # --- answers -------------------------------------------------------------------------------------
    async def answer(self, poll_id: str, user_id: int, option_ids: list[int], now: datetime | None = None) -> Outcome:
        """Count an answer (the first one for its question and session), update the review schedule, plan
        the next poll. Anything else (someone else's poll, a closed one, a repeat) changes nothing."""
        now = _utc(now or datetime.now(UTC))
        if not option_ids:  # a retracted vote (quiz polls do not allow it)
            return Outcome(False)
        async with self.db.session() as s:
            poll = await s.get(QuizPoll, poll_id)
            if poll is None:
                return Outcome(False, unknown=True)
            if poll.user_id != user_id or poll.state != "open":
                return Outcome(False)
            twin = await s.scalar(select(func.count()).select_from(QuizPoll).where(
                QuizPoll.session_id == poll.session_id, QuizPoll.position == poll.position, QuizPoll.state != "open"))
            question = self._pool().get(poll.question_id)
            right = question is not None and sorted(option_ids) == sorted(question.answer)
            poll.state, poll.chosen, poll.correct, poll.answered_at = "answered", list(option_ids), right, now
            if twin:  # the same question sent twice (in flight at a crash) and answered already
                return Outcome(False)
            await self._review(s, user_id, poll.question_id, right, now)
            session = await s.get(QuizSession, poll.session_id)
            await self._plan(s, session, poll.position + 1, now)
            return Outcome(True, right, question)

    async def _review(self, s: AsyncSession, user_id: int, question_id: str, right: bool, now: datetime) -> None:
        card = await s.get(QuizCard, (user_id, question_id))
        reviewed = quiz_learning.review(card.card if card else None, right, now)
        if card is None:
            card = QuizCard(user_id=user_id, question_id=question_id, reviews=0, lapses=0)
            s.add(card)
        card.card, card.due, card.updated_at = reviewed.card, reviewed.due, now
        card.reviews = (card.reviews or 0) + 1
        card.lapses = (card.lapses or 0) + int(reviewed.lapsed)

    async def close_expired(self, now: datetime | None = None) -> int:
        """Polls whose open period ended unanswered: missed (reviewed as Again), and the session goes on."""
        now = _utc(now or datetime.now(UTC))
        closed = 0
        async with self.db.session() as s:
            polls = list(await s.scalars(select(QuizPoll).where(QuizPoll.state == "open", QuizPoll.closes_at <= now)))
            for poll in polls:
                poll.state, poll.correct = "missed", False
                settled = await s.scalar(select(func.count()).select_from(QuizPoll).where(
                    QuizPoll.session_id == poll.session_id, QuizPoll.position == poll.position,
                    QuizPoll.poll_id != poll.poll_id, QuizPoll.state == "answered"))
                if settled:
                    continue
                await self._review(s, poll.user_id, poll.question_id, False, now)
                session = await s.get(QuizSession, poll.session_id)
                await self._plan(s, session, poll.position + 1, now)
                closed += 1
        return closed

    # --- results -------------------------------------------------------------------------------------
    async def result(self, session_id: int) -> SessionResult:
        async with self.db.session() as s:
            session = await s.get(QuizSession, session_id)
            polls = list(await s.scalars(select(QuizPoll).where(QuizPoll.session_id == session_id)))
        pool = self._pool()
        by_position: dict[int, QuizPoll] = {}
        for p in sorted(polls, key=lambda p: (p.state != "answered", _utc(p.sent_at))):
            by_position.setdefault(p.position, p)  # the answered copy of a question sent twice counts
        right = sum(1 for p in by_position.values() if p.correct)
        missed = sum(1 for p in by_position.values() if p.state == "missed")
        wrong = tuple(q for pos in sorted(by_position) if by_position[pos].state != "open"
                      and not by_position[pos].correct and (q := pool.get(by_position[pos].question_id)) is not None)
        return SessionResult(session_id, session.kind if session else "practice", len(by_position), right, missed, wrong)

    async def answered_days(self, user_id: int, since: date) -> set[date]:
        async with self.db.session() as s:
            stamps = await s.scalars(select(QuizPoll.answered_at).where(
                QuizPoll.user_id == user_id, QuizPoll.state == "answered",
                QuizPoll.answered_at >= datetime.combine(since, time(), self.tz)))
            return {_utc(t).astimezone(self.tz).date() for t in stamps}

    async def streak(self, user_id: int, today: date) -> int:
        """Consecutive push days (the officer's unit's: working days, or every day) with an answer, up to today
        (a day not over yet does not break it)."""
        async with self.db.session() as s:
            user = await s.get(User, user_id)
            schedule = self._schedule(await s.get(QuizSchedule, user.unit_id)) if user and user.unit_id else self.default
        days = await self.answered_days(user_id, today - timedelta(days=400))
        count, day = 0, today
        if day not in days:
            day -= timedelta(days=1)
        for _ in range(400):
            if self.is_push_day(schedule, day):
                if day not in days:
                    break
                count += 1
            day -= timedelta(days=1)
        return count

    async def answers_between(self, start: datetime, end: datetime) -> list[tuple[int, bool]]:
        """(user id, right) of every counted answer in [start, end)."""
        async with self.db.session() as s:
            rows = await s.execute(select(QuizPoll.user_id, QuizPoll.correct).where(and_(
                QuizPoll.state == "answered", QuizPoll.answered_at >= _utc(start), QuizPoll.answered_at < _utc(end))))
            return [(uid, bool(c)) for uid, c in rows]

    async def pending_rows(self, user_id: int) -> int:
        async with self.db.session() as s:
            return await s.scalar(select(func.count()).select_from(Reminder).where(
                Reminder.user_id == user_id, Reminder.kind == "quiz", Reminder.state == "pending")) or 0


# --- rendering a poll and a summary (plain data for the Bot API; texts in scheduler/texts.py) -------------
def poll_params(question: Question, position: int, total: int, open_period: timedelta) -> dict:
    """sendPoll arguments: a quiz poll, not anonymous (answers must reach the bot), the right option(s), the
    explanation, and the open period after which it counts as missed."""
    mark = {"multiple": T.MULTIPLE_MARK, "judge": T.JUDGE_MARK}.get(question.kind, "")
    text = T.PROGRESS.format(n=position + 1, total=total) + mark + question.question
    if len(text) > 300:
        text = question.question
    params: dict = dict(
        question=text, options=list(question.options), type=Poll.QUIZ, is_anonymous=False,
        explanation=question.explanation, open_period=int(open_period.total_seconds()),
    )
    params["correct_option_ids"] = list(question.answer)  # Bot API 9.6: one list for single and multiple
    if question.kind == "multiple":
        params["allows_multiple_answers"] = True
    return params


def summary_reply(result: SessionResult, streak: int, law_ids: dict[str, str]) -> Reply:
    kind = T.KIND_DAILY if result.kind == "daily" else T.KIND_PRACTICE
    lines = [T.SUMMARY_TITLE.format(kind=kind, right=result.right, total=result.total)
             + (T.SUMMARY_MISSED.format(n=result.missed) if result.missed else "")]
    lines.append(T.SUMMARY_STREAK.format(n=streak) if streak > 1 else T.SUMMARY_STREAK_START)
    buttons = []
    if result.wrong:
        lines.append(T.SUMMARY_READ)
        seen: set[tuple[str, int]] = set()
        for q in result.wrong:
            cite = q.cite[0]
            lines.append(T.SUMMARY_READ_LINE.format(cite=esc(cite.label())))
            law_id = law_ids.get(cite.law)
            if law_id and (cite.law, cite.article) not in seen and len(buttons) < MAX_READ_BUTTONS:
                seen.add((cite.law, cite.article))
                buttons.append([(cite.label()[:60], callbacks.article(law_id, cite.article))])
    else:
        lines.append(T.SUMMARY_ALL_RIGHT)
    lines.append(T.SUMMARY_MORE)
    return Reply("\n".join(lines), buttons)
