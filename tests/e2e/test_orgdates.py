"""End to end: /orgdates and /orgdate through the real Application polling the local Bot API server, and
the planned 报送 nudge delivered to the unit admin exactly once."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, time

from support.botrun import ADMIN_ID, RunningBot, register

from scheduler.remind_parse import TZ
from scheduler.reminders import sweep
from scheduler.services import KEY

UNIT_ADMIN, OFFICER = 601, 602
FIGURES = "报送上月执法统计数据"


async def setup_unit(bot: RunningBot) -> None:
    """蓬江大队 (under 江门支队) with a unit admin (内勤) and an officer."""
    await register(bot, UNIT_ADMIN)
    [reply] = await bot.send(ADMIN_ID, f"/promote {UNIT_ADMIN}", name="局管理员")
    assert "单位管理员" in reply["text"]
    await register(bot, OFFICER)


def nudges(bot: RunningBot, chat_id: int) -> list[dict]:
    return [m for m in bot.api.sent(chat_id) if f"{FIGURES}（蓬江大队）" in m["text"]]


async def test_unit_admin_lists_and_changes_dates_officer_is_refused(bot):
    await setup_unit(bot)
    [reply] = await bot.send(OFFICER, "/orgdates")
    assert "由本单位管理员（内勤）设置" in reply["text"] and "报送" in reply["text"]
    assert "reply_markup" not in reply
    [reply] = await bot.send(OFFICER, "/orgdate 1 5")
    assert "由本单位管理员（内勤）设置" in reply["text"] and "已修改" not in reply["text"]

    [listing] = await bot.send(UNIT_ADMIN, "/orgdates")
    text = listing["text"]
    assert "<b>蓬江大队 · 报送日期</b>" in text
    assert f"1. <b>{FIGURES}</b>：每月3日前报送" in text and "每年11月20日前报送" in text
    assert "下次截止：" in text and "提醒：本单位管理员（内勤）" in text and "本单位设置" not in text

    [reply] = await bot.send(UNIT_ADMIN, "/orgdate 1 5")
    assert f"已修改：{FIGURES}，每月5日前报送" in reply["text"] and "下次截止：" in reply["text"]
    [listing] = await bot.send(UNIT_ADMIN, "/orgdates")
    assert "每月5日前报送" in listing["text"] and "本单位设置" in listing["text"]

    [reply] = await bot.send(UNIT_ADMIN, "/orgdate 1 下周")
    assert "用法：/orgdate 编号 日期" in reply["text"] and "/orgdate 3 11-20" in reply["text"]
    [reply] = await bot.send(UNIT_ADMIN, "/orgdate 9 5")
    assert "没有编号为 9 的报送事项" in reply["text"]
    [reply] = await bot.send(UNIT_ADMIN, "/orgdate 1 11-20")
    assert "每月报送，只写日即可，例如：/orgdate 1 5" in reply["text"]
    [reply] = await bot.send(UNIT_ADMIN, "/orgdate 1 5 江门支队")  # the unit above theirs
    assert "没有这项操作的权限" in reply["text"]

    # the buttons switch an item off and back to the default, editing the list in place
    message = bot.stored(UNIT_ADMIN, listing)
    await bot.press(UNIT_ADMIN, message, "关闭2")
    await bot.wait(lambda _: "已关闭，不再提醒" in bot.api.messages[(UNIT_ADMIN, message["message_id"])]["text"])
    await bot.press(UNIT_ADMIN, bot.api.messages[(UNIT_ADMIN, message["message_id"])], "默认1")
    await bot.wait(lambda _: "每月3日前报送" in bot.api.messages[(UNIT_ADMIN, message["message_id"])]["text"])


async def test_admin_without_unit_names_the_unit(bot):
    await setup_unit(bot)
    [reply] = await bot.send(ADMIN_ID, "/orgdates", name="局管理员")
    assert "请在命令后写上单位名称" in reply["text"] and "/orgdates 一大队" in reply["text"]
    [reply] = await bot.send(ADMIN_ID, "/orgdates 一大队", name="局管理员")
    assert "找不到单位“一大队”" in reply["text"]
    [reply] = await bot.send(ADMIN_ID, "/orgdates 蓬江大队", name="局管理员")
    assert "<b>蓬江大队 · 报送日期</b>" in reply["text"] and "/orgdate 1 5 蓬江大队" in reply["text"]
    [reply] = await bot.send(ADMIN_ID, "/orgdate 3 12-1 蓬江大队", name="局管理员")
    assert "已修改：报送年度执法工作自评，每年12月1日前报送" in reply["text"] and "（蓬江大队）" in reply["text"]
    [reply] = await bot.send(ADMIN_ID, "/orgdate 2 关闭 蓬江大队", name="局管理员")
    assert "已关闭：报送月度执法工作简报" in reply["text"]
    [reply] = await bot.send(UNIT_ADMIN, "/orgdates")
    assert "每年12月1日前报送" in reply["text"] and "已关闭，不再提醒" in reply["text"]


async def test_unit_admin_gets_the_nudge_exactly_once(bot):
    await setup_unit(bot)
    org, reminders = bot.app.bot_data[KEY].org_deadlines, bot.app.bot_data[KEY].reminders
    now = datetime.now(UTC)
    today = now.astimezone(TZ).date()
    # due today: a nudge on the day itself, at 09:00 or, if that has passed, at once
    [reply] = await bot.send(UNIT_ADMIN, f"/orgdate 1 {today.day}")
    assert "已修改" in reply["text"]
    await org.plan(now)
    due = max(now, datetime.combine(today, time(9), TZ).astimezone(UTC))
    await sweep(bot.app.bot, reminders, now=due)  # the bot's own sweep job may deliver it first: still once
    await bot.wait(lambda _: len(nudges(bot, UNIT_ADMIN)) >= 1)
    [nudge] = nudges(bot, UNIT_ADMIN)
    assert "今天截止，请在今天内报送" in nudge["text"] and "日期依据：本单位设置" in nudge["text"]

    assert (await sweep(bot.app.bot, reminders, now=due)).sent == 0
    assert (await org.plan(now))["added"] == 0
    assert (await sweep(bot.app.bot, reminders, now=due)).sent == 0
    await asyncio.sleep(0.3)
    assert len(nudges(bot, UNIT_ADMIN)) == 1
    assert nudges(bot, OFFICER) == []  # officers are not the ones who 报送 these figures
