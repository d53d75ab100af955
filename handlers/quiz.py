"""The daily quiz in chat: /quiz (a session of quiz polls), answers (PollAnswer), /quiz_on, /quiz_off,
/quiztime (a unit admin's push time and days), /rank. scheduler/quiz.py holds the rules; every poll goes out
through the reminder sweep, which is why a handler only plans and wakes it.

A PollAnswer carries no chat: it is handled outside any per-chat state, by the poll id the service stored.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, PollAnswerHandler

from bot.render import Reply, esc
from bot.services.errors import ServiceError
from bot.services.users import Member
from handlers.common import Context, command_argument, edit_in_place, error_text, member_or_prompt, send, svc
from handlers.texts import quiz as t
from scheduler.quiz import DAYS, QuizService, Schedule, parse_time
from scheduler.quiz_rank import Board, percent, ranking
from scheduler.texts import format_day

RESTART = "qz:new"  # button data: end the session in hand and start a new one
UNKNOWN_POLL_RETRIES = 10
UNKNOWN_POLL_WAIT = 0.3  # seconds
WORDS = {"关闭": "off", "停用": "off", "关": "off", "开启": "on", "启用": "on", "打开": "on", "开": "on",
         "默认": "reset", "恢复默认": "reset", "每天": "daily", "每日": "daily", "工作日": "workdays"}


def quiz_service(context: Context) -> QuizService:
    return svc(context).quiz


def _when(schedule: Schedule) -> str:
    days = t.DAYS_DAILY if schedule.days == "daily" else t.DAYS_WORKDAYS
    return t.SCHEDULE_ON.format(days=days, time=schedule.at.strftime("%H:%M"),
                                source=t.SOURCE_UNIT if schedule.own else t.SOURCE_DEFAULT)


# --- /quiz and answers -----------------------------------------------------------------------------------
async def start_quiz(update: Update, context: Context) -> None:
    member = await member_or_prompt(update, context)
    if member is None:
        return
    service = quiz_service(context)
    if service.pool is None:
        await send(update, t.NO_QUESTIONS)
        return
    started = await service.start_practice(member, update.effective_chat.id, datetime.now(UTC))
    if started is None:
        await send(update, Reply(t.BUSY, [[(t.BUTTON_RESTART, RESTART)]]))
        return
    await send(update, _started(service))
    svc(context).reminders.wake()  # the first poll is due now


def _started(service: QuizService) -> str:
    return t.STARTED.format(n=service.size, minutes=int(service.open_period.total_seconds() // 60))


async def restart(update: Update, context: Context) -> None:
    """结束这一组，重新开始: the open session ends (its open polls missed, unscored) and a new one starts."""
    query = update.callback_query
    await query.answer()
    member = await member_or_prompt(update, context)
    if member is None:
        return
    service = quiz_service(context)
    if service.pool is None:
        await edit_in_place(update, Reply(t.NO_QUESTIONS))
        return
    now = datetime.now(UTC)
    await service.abandon(member, now)
    started = await service.start_practice(member, update.effective_chat.id, now)
    await edit_in_place(update, Reply(t.RESTARTED + _started(service) if started is not None else t.BUSY))
    svc(context).reminders.wake()


async def poll_answer(update: Update, context: Context) -> None:
    answer = update.poll_answer
    if answer is None or answer.user is None:
        return
    service = quiz_service(context)
    for _ in range(UNKNOWN_POLL_RETRIES):
        outcome = await service.answer(answer.poll_id, answer.user.id, list(answer.option_ids), datetime.now(UTC))
        if not outcome.unknown:
            break
        # the answer can overtake the poll's own row (written when Telegram has returned the poll id)
        await asyncio.sleep(UNKNOWN_POLL_WAIT)
    if outcome.counted:
        svc(context).reminders.wake()  # the next poll (or the summary) is due now


# --- push preferences --------------------------------------------------------------------------------------
async def quiz_on(update: Update, context: Context) -> None:
    member = await member_or_prompt(update, context)
    if member is None:
        return
    service = quiz_service(context)
    await service.set_enabled(member, True)
    schedule = await service.schedule_for(member.unit_id)
    await send(update, t.ON.format(when=esc(_when(schedule)), n=service.size))


async def quiz_off(update: Update, context: Context) -> None:
    member = await member_or_prompt(update, context)
    if member is None:
        return
    await quiz_service(context).set_enabled(member, False)
    await send(update, t.OFF)


# --- /quiztime ---------------------------------------------------------------------------------------------
async def _target_unit(update: Update, context: Context, member: Member, words: list[str]) -> tuple[int, str] | None:
    """The unit named at the end of the command, else the member's own."""
    rest = [w for w in words if w not in WORDS and parse_time(w) is None]
    if rest:
        node = await svc(context).units.find(" ".join(rest))
        if node is None:
            await send(update, t.UNIT_NOT_FOUND.format(name=esc(" ".join(rest))))
            return None
        return node.id, node.name
    if member.unit_id is None:
        await send(update, t.NEED_UNIT)
        return None
    return member.unit_id, member.unit_name or ""


async def quiztime(update: Update, context: Context) -> None:
    """/quiztime [08:30] [每天|工作日] [关闭|开启|默认] [单位]: without a time or a word, the current setting."""
    member = await member_or_prompt(update, context)
    if member is None:
        return
    if not member.can_invite:  # admins and unit admins (内勤)
        await send(update, t.OFFICERS_REFUSED)
        return
    words = command_argument(update).split()
    target = await _target_unit(update, context, member, words)
    if target is None:
        return
    unit_id, unit_name = target
    service = quiz_service(context)
    ops = {WORDS[w] for w in words if w in WORDS}
    at = next((parse_time(w) for w in words if parse_time(w) is not None), None)
    if not ops and at is None:
        schedule = await service.schedule_for(unit_id)
        state = esc(_when(schedule)) if schedule.enabled else t.SCHEDULE_OFF
        await send(update, t.SCHEDULE.format(unit=esc(unit_name), state=state))
        return
    try:
        if "reset" in ops:
            schedule, reply = await service.set_schedule(member, unit_id, reset=True), t.SCHEDULE_RESET
        elif "off" in ops:
            await service.set_schedule(member, unit_id, enabled=False)
            await send(update, t.SCHEDULE_DISABLED.format(unit=esc(unit_name)))
            return
        else:
            days = next((o for o in ops if o in DAYS), None)
            schedule = await service.set_schedule(member, unit_id, at=at, days=days, enabled=True)
            reply = t.SCHEDULE_CHANGED
    except ServiceError as err:  # NotAllowed for a unit outside the admin's tree
        await send(update, error_text(err))
        return
    days_text = t.DAYS_DAILY if schedule.days == "daily" else t.DAYS_WORKDAYS
    await send(update, reply.format(unit=esc(unit_name), days=days_text, time=schedule.at.strftime("%H:%M")))


# --- /rank -------------------------------------------------------------------------------------------------
def board_text(board: Board, member: Member) -> str:
    period = t.RANK_WEEK if board.period == "week" else t.RANK_MONTH
    lines = [t.RANK_TITLE.format(period=period, start=format_day(board.start))]
    me = board.me
    if me is None or not me.answered:
        lines.append(t.RANK_ME_NONE.format(period=period))
    elif board.my_rank is not None:
        lines.append(t.RANK_ME.format(right=me.right, accuracy=percent(me.accuracy), rank=board.my_rank,
                                      of=len(board.people)))
    if member.unit_id is None:
        lines.append(t.RANK_NO_UNIT)
        return "\n".join(lines)
    top = [p for p in board.people if p.answered][:5]
    if top:
        lines.append(t.RANK_TOP.format(unit=esc(member.unit_name or ""), n=len(top)))
        lines += [t.RANK_PERSON.format(rank=i, name=esc(p.name), right=p.right, accuracy=percent(p.accuracy))
                  for i, p in enumerate(top, 1)]
    if len(board.units) > 1:
        lines.append(t.RANK_UNITS.format(tree=esc(board.tree_name or "")))
        lines += [t.RANK_UNIT.format(rank=i, unit=esc(u.name), score=f"{u.score:.2f}", active=u.active,
                                     members=u.members, accuracy=percent(u.accuracy))
                  for i, u in enumerate(board.units[:10], 1)]
    return "\n".join(lines)


async def rank(update: Update, context: Context) -> None:
    member = await member_or_prompt(update, context)
    if member is None:
        return
    now = datetime.now(UTC)
    s = svc(context)
    parts = [board_text(await ranking(s.db, s.quiz, member, now, period), member) for period in ("week", "month")]
    await send(update, "\n\n".join(parts))


def register(app: Application) -> None:
    app.add_handler(CommandHandler("quiz", start_quiz))
    app.add_handler(CommandHandler("quiz_on", quiz_on))
    app.add_handler(CommandHandler("quiz_off", quiz_off))
    app.add_handler(CommandHandler("quiztime", quiztime))
    app.add_handler(CommandHandler("rank", rank))
    app.add_handler(PollAnswerHandler(poll_answer))
    app.add_handler(CallbackQueryHandler(restart, pattern=rf"^{RESTART}$"))

