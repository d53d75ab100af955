"""The daily quiz end to end: the real Application polling the local Bot API test server — /quiz, quiz polls
within Telegram's limits, PollAnswer updates (no chat) bringing the next poll, the summary with its article
buttons, an answer that arrives after a restart, /quiz_off, /quiztime, /rank."""

from __future__ import annotations

import asyncio

from support.botrun import ADMIN_ID, OFFICER, RunningBot, make_settings, register, start_bot, stop_bot
from telegram.constants import PollLimit

from bot.render import strip_html
from scheduler.services import KEY


def polls(bot: RunningBot, chat_id: int) -> list[dict]:
    return bot.api.sent(chat_id, method="sendPoll")


def stored_poll(bot: RunningBot, params: dict) -> dict:
    """The poll Telegram made of a sendPoll call (its id, the right option ids)."""
    chat = int(params["chat_id"])
    for (c, _mid), msg in sorted(bot.api.messages.items()):
        if c == chat and "poll" in msg and msg["poll"]["question"] == params["question"]:
            found = msg["poll"]
    return bot.api.polls[found["id"]]


def assert_within_poll_limits(p: dict) -> None:
    options = p["options"] if isinstance(p["options"], list) else []
    assert PollLimit.MIN_QUESTION_LENGTH <= len(p["question"]) <= PollLimit.MAX_QUESTION_LENGTH
    assert 2 <= len(options) <= PollLimit.MAX_OPTION_NUMBER
    assert all(len(o["text"] if isinstance(o, dict) else o) <= PollLimit.MAX_OPTION_LENGTH for o in options)
    assert len(p["explanation"]) <= PollLimit.MAX_EXPLANATION_LENGTH
    assert p["explanation"].count("\n") <= PollLimit.MAX_EXPLANATION_LINE_FEEDS
    assert p["type"] == "quiz" and p["is_anonymous"] is False and p["open_period"] > 0


async def answer(bot: RunningBot, user_id: int, poll: dict, right: bool) -> None:
    ids = poll["correct_option_ids"] if right else [next(i for i in range(len(poll["options"]))
                                                          if i not in poll["correct_option_ids"])]
    bot.api.queue(bot.api.poll_answer_update(bot.api.user(user_id), poll["id"], ids))


async def test_quiz_from_start_to_summary_and_the_article_button(bot):
    await register(bot)
    [started] = await bot.send(OFFICER, "/quiz")
    assert "开始练习：共 5 题" in started["text"]
    for n in range(5):
        await bot.wait(lambda _, n=n: len(polls(bot, OFFICER)) > n)
        params = polls(bot, OFFICER)[n]
        assert_within_poll_limits(params)
        assert params["question"].startswith(f"第{n + 1}/5题")
        await answer(bot, OFFICER, stored_poll(bot, params), right=n != 2)  # the third one wrong
    await bot.wait(lambda _: any("完成" in m["text"] for m in bot.api.sent(OFFICER)))
    [summary] = [m for m in bot.api.sent(OFFICER) if "完成" in m["text"]]
    text = strip_html(summary["text"])
    assert "答对 4/5 题" in text and "建议复习" in text
    stored = bot.stored(OFFICER, summary)
    label = stored["reply_markup"]["inline_keyboard"][0][0]["text"]
    before = len(bot.api.sent(OFFICER))
    await bot.press(OFFICER, stored, label)
    await bot.wait(lambda _: len(bot.api.sent(OFFICER)) > before)
    card = bot.api.sent(OFFICER)[-1]
    article = label.split("》")[1].split("条")[0] + "条"
    assert article in strip_html(card["text"]).splitlines()[0]  # the article card of the missed question


async def test_an_answer_after_a_restart_still_counts(tmp_path, server, kb, db_url):
    settings = make_settings(tmp_path, server.base_url, db_url=db_url)
    first = await start_bot(settings, kb, server.api)
    try:
        await register(first)
        await first.send(OFFICER, "/quiz")
        await first.wait(lambda _: len(polls(first, OFFICER)) >= 1)
        poll = stored_poll(first, polls(first, OFFICER)[0])
    finally:
        await stop_bot(first)
        await first.app.bot_data[KEY].db.dispose()
    second = await start_bot(settings, kb, server.api)
    try:
        await answer(second, OFFICER, poll, right=True)  # the poll id → question map is in the database
        await second.wait(lambda _: len(polls(second, OFFICER)) >= 2)
    finally:
        await stop_bot(second)


async def test_quiz_off_on_quiztime_and_rank(bot):
    await register(bot)
    [off] = await bot.send(OFFICER, "/quiz_off")
    assert "已关闭每日练习推送" in off["text"]
    [on] = await bot.send(OFFICER, "/quiz_on")
    assert "已开启每日练习推送：每个工作日 09:00" in strip_html(on["text"])
    [refused] = await bot.send(OFFICER, "/quiztime 08:30")
    assert "由本单位管理员（内勤）设置" in refused["text"]
    [changed] = await bot.send(ADMIN_ID, "/quiztime 08:30 每天 蓬江大队", name="局管理员")
    assert "蓬江大队每天 08:30 推送每日练习" in changed["text"]
    [shown] = await bot.send(ADMIN_ID, "/quiztime 蓬江大队", name="局管理员")
    assert "每天 08:30 推送（本单位设置）" in strip_html(shown["text"])
    [rank] = await bot.send(OFFICER, "/rank")
    text = strip_html(rank["text"])
    assert "练习排名（本周" in text and "练习排名（本月" in text and "还没有答题" in text


async def test_a_second_quiz_waits_for_the_first(bot):
    await register(bot)
    await bot.send(OFFICER, "/quiz")
    await bot.wait(lambda _: len(polls(bot, OFFICER)) >= 1)
    [busy] = await bot.send(OFFICER, "/quiz")
    assert "上一组练习还没做完" in busy["text"]
    await asyncio.sleep(0.3)
    assert len(polls(bot, OFFICER)) == 1


async def test_a_session_in_hand_can_be_ended_and_a_new_one_started(bot):
    await register(bot)
    await bot.send(OFFICER, "/quiz")
    await bot.wait(lambda _: len(polls(bot, OFFICER)) == 1)
    [busy] = await bot.send(OFFICER, "/quiz")
    assert "还没做完" in busy["text"]
    edits = len(bot.api.sent(OFFICER, method="editMessageText"))
    await bot.press(OFFICER, bot.stored(OFFICER, busy), "结束这一组，重新开始")
    await bot.wait(lambda _: len(bot.api.sent(OFFICER, method="editMessageText")) > edits)
    restarted = bot.api.sent(OFFICER, method="editMessageText")[-1]
    assert "已结束上一组" in restarted["text"] and "开始练习：共 5 题" in restarted["text"]
    await bot.wait(lambda _: len(polls(bot, OFFICER)) == 2)
    assert polls(bot, OFFICER)[1]["question"].startswith("第1/5题")
    await answer(bot, OFFICER, stored_poll(bot, polls(bot, OFFICER)[0]), right=True)  # the ended one: nothing
    await asyncio.sleep(0.5)
    assert len(polls(bot, OFFICER)) == 2
