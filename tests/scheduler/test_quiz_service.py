"""The quiz service on both databases with a controlled clock, its polls sent by the real sweep and Bot
through the local Bot API test server: sessions, answers, missed polls, the review schedule (FSRS), streaks on
working days, the daily push (opt-out, unit schedules, 调休 Saturdays), rankings checked by hand."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from support.botrun import TOKEN
from telegram import Bot

from bot.app import api_urls
from bot.services.errors import NotAllowed
from bot.services.users import UserService
from bot.storage import Role, Unit, User
from bot.storage.quiz import QuizCard, QuizPoll, QuizSession
from bot.storage.reminders import Reminder, ReminderState
from knowledge.quiz.bank import Question
from knowledge.records import Cite
from scheduler import quiz_learning
from scheduler.quiz import QuizService, poll_params
from scheduler.quiz_pool import QuizPool
from scheduler.quiz_rank import PersonScore, UnitScore, plan_weekly, rank_people, rank_units, ranking
from scheduler.reminders import ReminderService, sweep

TZ = ZoneInfo("Asia/Shanghai")
ME, MATE, CHIEF, OTHER, LONER = 701, 702, 703, 704, 705


def at(y: int, m: int, d: int, h: int = 10, mi: int = 0) -> datetime:
    return datetime(y, m, d, h, mi, tzinfo=TZ)


def _question(n: int, topic: str = "罚则", kind: str = "single") -> Question:
    answer = (0, 2) if kind == "multiple" else (1,)
    return Question(id=f"t{n:02d}", topic=topic, difficulty=1, kind=kind, question=f"第{n}题：罚款幅度？",
                    options=("一万元", "二万元", "三万元", "四万元"), answer=answer,
                    cite=(Cite("中华人民共和国生态环境法典", 1107),), proof=("处十万元以上一百万元以下的罚款",),
                    explanation="法典第一千一百零七条。")


POOL = QuizPool({q.id: q for q in [_question(n, "罚则" if n % 2 else "执法程序") for n in range(1, 13)]
                 + [_question(13, kind="multiple")]})


@pytest.fixture
async def people(db) -> dict:
    """总队 → 一支队 (王内勤) → 一大队 (me, mate), 二大队 (other); a member without unit."""
    async with db.session() as s:
        top = Unit(name="总队")
        s.add(top)
        await s.flush()
        first = Unit(name="一支队", parent_id=top.id)
        s.add(first)
        await s.flush()
        squad, squad2 = Unit(name="一大队", parent_id=first.id), Unit(name="二大队", parent_id=first.id)
        s.add_all([squad, squad2])
        await s.flush()
        s.add_all([
            User(id=ME, name="张三", role=Role.officer, unit_id=squad.id),
            User(id=MATE, name="李四", role=Role.officer, unit_id=squad.id),
            User(id=CHIEF, name="王内勤", role=Role.unit_admin, unit_id=first.id),
            User(id=OTHER, name="赵六", role=Role.officer, unit_id=squad2.id),
            User(id=LONER, name="钱七", role=Role.officer),
        ])
    users = UserService(db)
    return {"units": {"top": top.id, "first": first.id, "squad": squad.id, "squad2": squad2.id},
            **{uid: await users.get(uid) for uid in (ME, MATE, CHIEF, OTHER, LONER)}}


@pytest.fixture
def quiz(db) -> QuizService:
    service = QuizService(db, tz=TZ, size=5, open_seconds=600, default_time=time(9), default_days="workdays")
    service.pool = POOL
    service.law_ids = {"中华人民共和国生态环境法典": "code"}
    return service


@pytest.fixture
async def telegram(server):
    base_url, file_url = api_urls(server.base_url)
    async with Bot(TOKEN, base_url=base_url, base_file_url=file_url) as bot:
        yield bot


def _reminders(db, quiz: QuizService) -> ReminderService:
    service = ReminderService(db, instance="quiz-test")
    service.senders["quiz"] = quiz.deliver
    return service


async def _polls(db, user_id: int) -> list[QuizPoll]:
    async with db.session() as s:
        return list(await s.scalars(select(QuizPoll).where(QuizPoll.user_id == user_id).order_by(QuizPoll.sent_at)))


async def _answer_all(db, quiz, reminders, bot, server, user_id: int, start: datetime, right: bool = True,
                      count: int | None = None) -> datetime:
    """Answer the session's polls (`count` of them, default all) as they come; returns the clock after the
    summary."""
    now = start
    for _ in range(count or quiz.size):
        await sweep(bot, reminders, now=now)
        poll = (await _polls(db, user_id))[-1]
        question = POOL.get(poll.question_id)
        chosen = list(question.answer) if right else [i for i in range(4) if i not in question.answer][:1]
        now += timedelta(seconds=20)
        assert (await quiz.answer(poll.poll_id, user_id, chosen, now)).counted
    await sweep(bot, reminders, now=now)  # the summary
    return now


# --- a session end to end through the sweep ------------------------------------------------------------------
async def test_a_practice_session_sends_polls_one_after_the_other_and_ends_with_a_summary(
        db, quiz, people, server, telegram) -> None:
    reminders = _reminders(db, quiz)
    now = at(2026, 12, 2)
    assert await quiz.start_practice(people[ME], ME, now) is not None
    assert await quiz.start_practice(people[ME], ME, now) is None  # the first poll is on its way: one at a time
    await sweep(telegram, reminders, now=now)
    [first] = server.api.sent(ME, method="sendPoll")
    assert first["type"] == "quiz" and first["is_anonymous"] is False and first["open_period"] == 600
    assert first["question"].startswith("第1/5题 ")
    assert await quiz.start_practice(people[ME], ME, now) is None  # a poll is open: finish it first
    polls = await _polls(db, ME)
    await quiz.answer(polls[0].poll_id, ME, list(POOL.get(polls[0].question_id).answer), now)
    assert not (await quiz.answer(polls[0].poll_id, ME, [0], now)).counted  # a second answer changes nothing
    assert not (await quiz.answer(polls[0].poll_id, MATE, [0], now)).counted  # nor someone else's
    end = await _answer_all(db, quiz, reminders, telegram, server, ME, now + timedelta(seconds=5), count=4)
    sent = server.api.sent(ME, method="sendPoll")
    assert len(sent) == 5 and len({p["question"] for p in sent}) == 5  # five different questions, once each
    [summary] = [m for m in server.api.sent(ME) if "完成" in m["text"]]
    assert "答对 5/5 题" in summary["text"] and "全部答对" in summary["text"]
    async with db.session() as s:
        session = await s.scalar(select(QuizSession).where(QuizSession.user_id == ME))
        assert session.finished_at is not None and session.kind == "practice"
    assert end > now


async def test_a_wrong_answer_is_listed_with_a_button_to_its_article(db, quiz, people, server, telegram) -> None:
    reminders = _reminders(db, quiz)
    await quiz.start_practice(people[ME], ME, at(2026, 12, 2))
    await _answer_all(db, quiz, reminders, telegram, server, ME, at(2026, 12, 2), right=False)
    [summary] = [m for m in server.api.sent(ME) if "完成" in m["text"]]
    assert "答对 0/5 题" in summary["text"] and "建议复习" in summary["text"]
    buttons = [b for row in summary["reply_markup"]["inline_keyboard"] for b in row]
    assert buttons == [{"text": "《生态环境法典》第一千一百零七条", "callback_data": "a:code:1107"}]  # once per article


async def test_an_unanswered_poll_is_missed_when_it_closes_and_the_session_goes_on(
        db, quiz, people, server, telegram) -> None:
    reminders = _reminders(db, quiz)
    now = at(2026, 12, 2)
    await quiz.start_practice(people[ME], ME, now)
    await sweep(telegram, reminders, now=now)
    assert await quiz.close_expired(now + timedelta(seconds=599)) == 0
    assert await quiz.close_expired(now + timedelta(seconds=600)) == 1
    [missed] = await _polls(db, ME)
    assert missed.state == "missed" and missed.correct is False
    assert not (await quiz.answer(missed.poll_id, ME, [1], now + timedelta(seconds=601))).counted
    await sweep(telegram, reminders, now=now + timedelta(seconds=601))
    assert len(server.api.sent(ME, method="sendPoll")) == 2  # the next question came
    result = await quiz.result(missed.session_id)
    assert (result.missed, result.right, len(result.wrong)) == (1, 0, 1)


async def test_ending_a_session_closes_its_poll_unscored_and_a_new_one_can_start(
        db, quiz, people, server, telegram) -> None:
    reminders = _reminders(db, quiz)
    now = at(2026, 12, 2)
    await quiz.start_practice(people[ME], ME, now)
    await sweep(telegram, reminders, now=now)
    assert await quiz.start_practice(people[ME], ME, now) is None
    assert await quiz.abandon(people[ME], now) == 1
    [left] = await _polls(db, ME)
    assert left.state == "abandoned"
    assert not (await quiz.answer(left.poll_id, ME, list(POOL.get(left.question_id).answer), now)).counted
    async with db.session() as s:
        assert await s.get(QuizCard, (ME, left.question_id)) is None  # not attempted: no review
    assert await quiz.start_practice(people[ME], ME, now) is not None
    await sweep(telegram, reminders, now=now)
    assert len(server.api.sent(ME, method="sendPoll")) == 2
    assert not [m for m in server.api.sent(ME) if "完成" in m.get("text", "")]  # no summary for the one ended


async def test_a_multiple_answer_question_asks_for_all_its_right_options(db, quiz, people) -> None:
    q = POOL.get("t13")
    params = poll_params(q, 2, 5, timedelta(minutes=10))
    assert params["allows_multiple_answers"] and params["correct_option_ids"] == [0, 2]
    assert "correct_option_id" not in params and params["question"].startswith("第3/5题 （多选）")
    single = poll_params(POOL.get("t01"), 0, 5, timedelta(minutes=10))
    assert single["correct_option_ids"] == [1] and "allows_multiple_answers" not in single


# --- learning --------------------------------------------------------------------------------------------------
def test_fsrs_brings_a_wrong_answer_back_soon_and_a_right_one_later() -> None:
    t0 = datetime(2026, 12, 2, 1, 0, tzinfo=UTC)
    wrong = quiz_learning.review(None, False, t0)
    right = quiz_learning.review(None, True, t0)
    assert wrong.due - t0 <= timedelta(minutes=10) and wrong.lapsed
    assert right.due > wrong.due
    again = quiz_learning.review(right.card, True, right.due)  # right twice: days, then longer
    later = quiz_learning.review(again.card, True, again.due)
    assert later.due - again.due > again.due - right.due >= timedelta(days=1)


def test_selection_takes_due_reviews_first_then_weighted_new_questions() -> None:
    weights = quiz_learning.topic_weights([("罚则", False)] * 4 + [("执法程序", True)] * 4, ["罚则", "执法程序"])
    assert weights == {"罚则": 3.0, "执法程序": 1.0}
    picked = quiz_learning.select(POOL.questions, 5, due_reviews=["t04", "t02", "t06", "t08"], seen={"t02", "t04", "t06", "t08"},
                                  recent=set(), weights=weights, seed="x")
    assert picked[:2] == ["t04", "t02"] and len(set(picked)) == 5  # at most half reviews, oldest due first
    assert picked == quiz_learning.select(POOL.questions, 5, due_reviews=["t04", "t02", "t06", "t08"],
                                          seen={"t02", "t04", "t06", "t08"}, recent=set(), weights=weights, seed="x")
    # over many draws, the topic the officer keeps missing comes about three times as often
    counts = {"罚则": 0, "执法程序": 0}
    for n in range(300):
        for qid in quiz_learning.select(POOL.questions, 1, due_reviews=[], seen=set(), recent=set(), weights=weights,
                                        seed=str(n)):
            counts[POOL.get(qid).topic] += 1
    assert counts["罚则"] > 2 * counts["执法程序"]


async def test_a_wrong_answer_comes_back_in_the_next_session(db, quiz, people, server, telegram) -> None:
    reminders = _reminders(db, quiz)
    now = at(2026, 12, 2)
    await quiz.start_practice(people[ME], ME, now)
    await _answer_all(db, quiz, reminders, telegram, server, ME, now, right=False)
    async with db.session() as s:
        cards = list(await s.scalars(select(QuizCard).where(QuizCard.user_id == ME)))
    assert len(cards) == 5 and all(c.lapses == 1 and c.reviews == 1 for c in cards)
    missed = {c.question_id for c in cards}
    tomorrow = now + timedelta(days=1)
    async with db.session() as s:
        again = await quiz._select(s, ME, seed="next", now=tomorrow)
    assert len(set(again) & missed) >= 2  # due reviews lead the next session


# --- streaks, the push -----------------------------------------------------------------------------------------
async def _answered_on(db, user_id: int, days: list[date]) -> None:
    async with db.session() as s:
        session = QuizSession(user_id=user_id, chat_id=user_id, day=days[0], kind="practice", question_ids=["t01"])
        s.add(session)
        await s.flush()
        for n, day in enumerate(days):
            moment = datetime.combine(day, time(10), TZ)
            s.add(QuizPoll(poll_id=f"p{user_id}-{n}", session_id=session.id, user_id=user_id, position=0,
                           question_id="t01", topic="罚则", message_id=n, sent_at=moment, closes_at=moment,
                           state="answered", correct=True, answered_at=moment))


async def test_a_streak_counts_working_days_and_a_weekend_does_not_break_it(db, quiz, people) -> None:
    # Thu 26 Nov, Fri 27 Nov, (weekend), Mon 30 Nov, Tue 1 Dec answered; Wed 2 Dec not yet
    await _answered_on(db, ME, [date(2026, 11, 26), date(2026, 11, 27), date(2026, 11, 30), date(2026, 12, 1)])
    assert await quiz.streak(ME, date(2026, 12, 2)) == 4  # today is not over: yesterday's streak stands
    assert await quiz.streak(ME, date(2026, 12, 3)) == 0  # Wednesday passed without an answer
    assert await quiz.streak(MATE, date(2026, 12, 2)) == 0


async def test_the_push_plans_one_row_per_officer_and_day_on_working_days(db, quiz, people) -> None:
    monday = at(2026, 11, 30, 6)
    await quiz.plan_push(monday)
    async with db.session() as s:
        rows = {r.dedupe_key: r for r in await s.scalars(select(Reminder).where(Reminder.kind == "quiz"))}
    assert set(rows) == {f"quizpush:{d}:{u}" for d in ("2026-11-30", "2026-12-01") for u in (ME, MATE, CHIEF, OTHER, LONER)}
    assert rows[f"quizpush:2026-11-30:{ME}"].due_at.replace(tzinfo=UTC) == at(2026, 11, 30, 9).astimezone(UTC)
    await quiz.plan_push(monday)  # planning twice adds nothing
    async with db.session() as s:
        assert len(list(await s.scalars(select(Reminder).where(Reminder.kind == "quiz")))) == 10
    # an officer who says /quiz_off gets none; their pending rows are cancelled
    await quiz.set_enabled(people[MATE], False, monday)
    async with db.session() as s:
        mate = list(await s.scalars(select(Reminder).where(Reminder.user_id == MATE, Reminder.kind == "quiz")))
    assert {r.state for r in mate} == {ReminderState.cancelled}


async def test_a_unit_schedule_moves_the_push_and_a_weekend_or_holiday_has_none(db, quiz, people) -> None:
    squad = people["units"]["squad"]
    await quiz.set_schedule(people[CHIEF], squad, at=time(8, 30), days="daily", now=at(2026, 12, 4, 6))
    friday = at(2026, 12, 4, 6)
    await quiz.plan_push(friday)
    async with db.session() as s:
        keys = set(await s.scalars(select(Reminder.dedupe_key).where(Reminder.kind == "quiz",
                                                                      Reminder.state == ReminderState.pending)))
    assert f"quizpush:2026-12-05:{ME}" in keys  # daily: Saturday too
    assert f"quizpush:2026-12-05:{OTHER}" not in keys  # the other squad keeps working days
    async with db.session() as s:
        due = await s.scalar(select(Reminder.due_at).where(Reminder.dedupe_key == f"quizpush:2026-12-04:{ME}"))
    assert due.replace(tzinfo=UTC) == at(2026, 12, 4, 8, 30).astimezone(UTC)
    # 国庆: no push on 1 October; the 调休 Saturday 10 October is a working day
    await quiz.plan_push(at(2026, 9, 30, 6))
    await quiz.plan_push(at(2026, 10, 10, 6))
    async with db.session() as s:
        keys = set(await s.scalars(select(Reminder.dedupe_key).where(Reminder.kind == "quiz")))
    assert f"quizpush:2026-10-01:{OTHER}" not in keys and f"quizpush:2026-10-10:{OTHER}" in keys


async def test_only_a_unit_admin_of_the_tree_changes_its_schedule(db, quiz, people) -> None:
    with pytest.raises(NotAllowed):
        await quiz.set_schedule(people[ME], people["units"]["squad"], at=time(8))
    with pytest.raises(NotAllowed):  # 王内勤 manages 一支队 and below, not 总队
        await quiz.set_schedule(people[CHIEF], people["units"]["top"], enabled=False)
    schedule = await quiz.set_schedule(people[CHIEF], people["units"]["squad2"], enabled=False)
    assert not schedule.enabled and (await quiz.schedule_for(people["units"]["squad2"])).own
    assert (await quiz.set_schedule(people[CHIEF], people["units"]["squad2"], reset=True)).enabled


async def test_the_push_row_opens_the_days_session_once(db, quiz, people, server, telegram) -> None:
    reminders = _reminders(db, quiz)
    monday = at(2026, 11, 30, 6)
    await quiz.plan_push(monday)
    await sweep(telegram, reminders, now=at(2026, 11, 30, 9))
    assert {int(p["chat_id"]) for p in server.api.sent(method="sendPoll")} == {ME, MATE, CHIEF, OTHER, LONER}
    async with db.session() as s:
        sessions = list(await s.scalars(select(QuizSession).where(QuizSession.kind == "daily")))
    assert len(sessions) == 5 and {x.day for x in sessions} == {date(2026, 11, 30)}


# --- rankings --------------------------------------------------------------------------------------------------
def test_units_rank_by_participation_times_accuracy_not_headcount() -> None:
    big = UnitScore(1, "大队A", members=20, active=5, answered=100, right=90)  # 0.25 × 0.9 = 0.225
    small = UnitScore(2, "大队B", members=4, active=3, answered=20, right=12)  # 0.75 × 0.6 = 0.45
    assert [u.name for u in rank_units([big, small])] == ["大队B", "大队A"]
    assert round(big.score, 3) == 0.225 and round(small.score, 3) == 0.45
    people = [PersonScore(1, "甲", 1, 10, 8), PersonScore(2, "乙", 1, 8, 8), PersonScore(3, "丙", 1, 20, 8)]
    assert [p.name for p in rank_people(people)] == ["乙", "甲", "丙"]  # same right: the more accurate first


async def test_rank_shows_my_place_and_the_units_of_my_supervisors_tree(db, quiz, people) -> None:
    week = at(2026, 11, 30, 10)
    async with db.session() as s:
        session = QuizSession(user_id=ME, chat_id=ME, day=week.date(), kind="practice", question_ids=["t01"])
        s.add(session)
        await s.flush()
        answers = [(ME, True), (ME, True), (ME, False), (MATE, True), (OTHER, True), (OTHER, True)]
        for n, (uid, right) in enumerate(answers):
            s.add(QuizPoll(poll_id=f"r{n}", session_id=session.id, user_id=uid, position=n, question_id="t01",
                           topic="罚则", message_id=n, sent_at=week, closes_at=week, state="answered", correct=right,
                           answered_at=week + timedelta(minutes=n)))
    board = await ranking(db, quiz, people[ME], at(2026, 12, 2), "week")
    assert board.start == date(2026, 11, 30) and board.my_rank == 1  # 2 right vs 李四's 1
    assert [(p.name, p.right, p.answered) for p in board.people] == [("张三", 2, 3), ("李四", 1, 1)]
    assert board.tree_name == "一支队"
    # 一大队: 2/2 active, 3/4 right → 0.75; 二大队: 1/1, 2/2 → 1.0; 一支队 itself: 王内勤 0/1 → 0
    assert [(u.name, round(u.score, 2)) for u in board.units] == [("二大队", 1.0), ("一大队", 0.75), ("一支队", 0.0)]
    lone = await ranking(db, quiz, people[LONER], at(2026, 12, 2), "month")
    assert lone.units == [] and lone.my_rank is None


async def test_the_monday_summary_goes_to_each_unit_admin_once(db, quiz, people) -> None:
    last_week = at(2026, 11, 25, 10)
    async with db.session() as s:
        session = QuizSession(user_id=ME, chat_id=ME, day=last_week.date(), kind="practice", question_ids=["t01"])
        s.add(session)
        await s.flush()
        for n, right in enumerate((True, True, False)):
            s.add(QuizPoll(poll_id=f"w{n}", session_id=session.id, user_id=ME, position=n, question_id="t01",
                           topic="罚则", message_id=n, sent_at=last_week, closes_at=last_week, state="answered",
                           correct=right, answered_at=last_week))
    assert await plan_weekly(db, quiz, at(2026, 12, 1, 8), hour=9) == 0  # a Tuesday: nothing
    monday = at(2026, 11, 30, 7)
    assert await plan_weekly(db, quiz, monday, hour=9) == 1  # the one unit admin (王内勤, 一支队)
    assert await plan_weekly(db, quiz, monday, hour=9) == 0  # once
    async with db.session() as s:
        [row] = list(await s.scalars(select(Reminder).where(Reminder.kind == "quiz_week")))
    assert row.user_id == CHIEF and row.due_at.replace(tzinfo=UTC) == at(2026, 11, 30, 9).astimezone(UTC)
    assert "上周练习" in row.text and "2026年11月23日（周一）" in row.text and "没有人参加练习" in row.text
