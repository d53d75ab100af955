"""End to end: the case tracker (/newcase, the case card and its buttons, /event, /case, /mycases, a case
deadline reminder) through the real Application polling the local Bot API server, against the real case
service and SQLite file. Expected dates are worked out here from the statute's periods, not read back from
the bot: 作出行政处罚决定 = 立案 + 90 days (行政处罚法第六十条), 当事人要求听证 = 告知书送达 + 5 working days
(第六十四条, 第八十五条: “五日” are working days)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from support.botrun import (
    ADMIN_ID,
    OFFICER,
    RunningBot,
    assert_clean_html,
    assert_short_callbacks,
    buttons,
    register,
)

from bot.render import strip_html
from bot.storage.cases import CaseState
from handlers.casetracker import card_text, rule_ids
from scheduler.calendar import default_calendar
from scheduler.case_plan import CaseView
from scheduler.deadlines import compute_deadlines
from scheduler.reminders import sweep
from scheduler.services import KEY

OTHER = 502  # an officer of the same unit
UNIT_ADMIN = 503  # the unit's admin
TZ = ZoneInfo("Asia/Shanghai")
REMINDER_HEADS = ("⏰", "🚨", "📅")  # messages the reminder sweep may deliver at any moment


def today() -> date:
    return datetime.now(TZ).date()


def cn_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日（周{'一二三四五六日'[day.weekday()]}）"


def is_reminder(params: dict) -> bool:
    return params.get("text", "").startswith(REMINDER_HEADS)


def labels(message: dict) -> list[str]:
    return [label for label, _ in buttons(message)]


def case_id(message: dict) -> int:
    m = re.search(r"📁 <b>#(\d+) ", message["text"])
    assert m, message["text"]
    return int(m.group(1))


async def ask(bot: RunningBot, uid: int, text: str) -> dict:
    """Send a message; the bot's first answer that is not a reminder, as Telegram holds it."""
    before = len(bot.api.sent(uid))
    bot.api.queue(bot.api.message_update(bot.api.user(uid, "李四"), text))
    await bot.wait(lambda _: any(not is_reminder(m) for m in bot.api.sent(uid)[before:]))
    reply = next(m for m in bot.api.sent(uid)[before:] if not is_reminder(m))
    return bot.stored(uid, reply)


async def press_edit(bot: RunningBot, uid: int, message: dict, label: str) -> dict:
    """Press a button that edits its own message; the message as it is now."""
    before = len(bot.api.sent(uid, method="editMessageText"))
    await bot.press(uid, message, label)
    await bot.wait(lambda _: len(bot.api.sent(uid, method="editMessageText")) > before)
    return bot.api.messages[(uid, message["message_id"])]


async def press_send(bot: RunningBot, uid: int, message: dict, label: str) -> dict:
    """Press a button that answers with a new message (not a reminder); that message."""
    before = len(bot.api.sent(uid))
    await bot.press(uid, message, label)
    await bot.wait(lambda _: any(not is_reminder(m) for m in bot.api.sent(uid)[before:]))
    return bot.stored(uid, next(m for m in bot.api.sent(uid)[before:] if not is_reminder(m)))


def alerts(bot: RunningBot) -> list[dict]:
    return bot.api.sent(None, method="answerCallbackQuery")


async def press_data(bot: RunningBot, uid: int, message: dict, data: str) -> dict:
    """Press a button with this callback data (an old or forged one); the bot's answerCallbackQuery."""
    before = len(alerts(bot))
    bot.api.queue(bot.api.callback_update(bot.api.user(uid), message, data))
    await bot.wait(lambda _: len(alerts(bot)) > before)
    return alerts(bot)[-1]


async def team(bot: RunningBot) -> None:
    """OFFICER and OTHER in 蓬江大队, UNIT_ADMIN its unit admin."""
    await register(bot)
    await register(bot, OTHER)
    await register(bot, UNIT_ADMIN)
    [reply] = await bot.send(ADMIN_ID, f"/promote {UNIT_ADMIN}", name="局管理员")
    assert "单位管理员" in reply["text"]


async def open_case(bot: RunningBot, name: str, party: str, opened: date, uid: int = OFFICER) -> dict:
    card = await ask(bot, uid, f"/newcase {name}；{party}；{opened.isoformat()}")
    assert f"{name}</b>" in card["text"] and "已登记案件" in card["text"], card["text"]
    return card


def assert_card(card: dict) -> None:
    assert_clean_html(card["text"])
    assert_short_callbacks(card)
    assert all(data.startswith("ck:") for _, data in buttons(card))


# --- /newcase ------------------------------------------------------------------------------------------------
async def test_newcase_dialog_to_card(bot):
    await register(bot)
    prompt = await ask(bot, OFFICER, "/newcase")
    assert "案件名称" in prompt["text"] and labels(prompt) == ["取消"]
    prompt = await ask(bot, OFFICER, "某某公司超标排放大气污染物案")
    assert "当事人" in prompt["text"] and "某某公司超标排放大气污染物案" in prompt["text"]
    assert labels(prompt) == ["取消"]
    prompt = await ask(bot, OFFICER, "某某化工有限公司")
    assert "立案日期" in prompt["text"] and "11月20日" in prompt["text"]
    assert labels(prompt) == ["今天", "昨天", "取消"]

    card = await press_edit(bot, OFFICER, prompt, "今天")
    assert_card(card)
    text = strip_html(card["text"])
    assert "已登记案件" in text and "某某公司超标排放大气污染物案" in text
    assert "当事人：某某化工有限公司" in text and f"立案日：{cn_date(today())}" in text
    assert "承办人：李四（蓬江大队）" in text
    decision = today() + timedelta(days=90)
    block = text[text.index("作出行政处罚决定"):]
    assert f"截止 {cn_date(decision)}，还有90天" in block
    assert "依据：《行政处罚法》第六十条" in block
    assert "⚪ 未到期 · 作出行政处罚决定" in text
    assert labels(card) == ["记录事件", "刷新", "结案"]

    # the dialog is over: a question is a question again
    answer = await ask(bot, OFFICER, "大气法99条")
    assert "《大气污染防治法》第九十九条" in answer["text"]
    # the card is the officer's case now
    again = await ask(bot, OFFICER, f"/case {case_id(card)}")
    assert "某某公司超标排放大气污染物案" in again["text"]


async def test_newcase_one_line_bad_date_and_cancel(bot):
    await register(bot)
    opened = today() - timedelta(days=10)
    card = await open_case(bot, "甲公司废水超标案", "甲公司", opened)
    assert f"立案日：{cn_date(opened)}" in strip_html(card["text"])
    assert f"截止 {cn_date(opened + timedelta(days=90))}，还有80天" in strip_html(card["text"])

    # other separators; no date yet → the date question
    prompt = await ask(bot, OFFICER, "/newcase 乙公司无证排污案|乙公司")
    assert "立案日期" in prompt["text"] and "乙公司无证排污案" in prompt["text"]
    card = await ask(bot, OFFICER, "3天前")  # not a date
    assert "没看懂" in card["text"] and "2026-11-20" in card["text"] and "昨天" in card["text"]
    card = await ask(bot, OFFICER, "昨天")
    assert f"立案日：{cn_date(today() - timedelta(days=1))}" in strip_html(card["text"])
    assert "乙公司无证排污案" in card["text"]

    # a bad date in the one-line form: examples, and the date can be typed again
    reply = await ask(bot, OFFICER, "/newcase 丙案；丙公司；下周三")  # read as a date (the reminders' grammar) …
    assert "晚于今天" in reply["text"]  # … which has not come yet
    reply = await ask(bot, OFFICER, "/newcase 丙案；丙公司；下个季度")
    assert "没看懂" in reply["text"] and "11月20日" in reply["text"]
    assert labels(reply) == ["今天", "昨天", "取消"]
    # a future date: the service says why
    reply = await ask(bot, OFFICER, (today() + timedelta(days=2)).isoformat())
    assert "晚于今天" in reply["text"]
    reply = await ask(bot, OFFICER, "/newcase 丁案；丁公司；2026-01-01；多余")
    assert "格式不对" in reply["text"]

    # cancel: the prompt says so, and what is typed next is a question again
    prompt = await ask(bot, OFFICER, "/newcase")
    cancelled = await press_edit(bot, OFFICER, prompt, "取消")
    assert "已取消" in cancelled["text"] and not labels(cancelled)
    answer = await ask(bot, OFFICER, "大气法99条")
    assert "《大气污染防治法》第九十九条" in answer["text"]
    # a date button of the finished dialog is stale
    answer = await press_data(bot, OFFICER, prompt, "ck:n:0")
    assert answer.get("show_alert") and "/newcase" in answer["text"]

    reply = await ask(bot, OFFICER, f"/newcase {'长' * 101}；丁公司；今天")
    assert "太长了（101字）" in reply["text"]
    # /newcase after a bare /exempt: the next text is the case name, not the situation for /exempt
    await ask(bot, OFFICER, "/exempt")
    await ask(bot, OFFICER, "/newcase")
    prompt = await ask(bot, OFFICER, "寅公司案")
    assert "请发送<b>当事人</b>" in prompt["text"] and "寅公司案" in prompt["text"]

    # another command abandons the dialog
    await ask(bot, OFFICER, "/newcase")
    await ask(bot, OFFICER, "/mycases")
    answer = await ask(bot, OFFICER, "大气法99条")
    assert "《大气污染防治法》第九十九条" in answer["text"]


# --- events ----------------------------------------------------------------------------------------------------
async def test_record_events_by_buttons_and_command(bot):
    await register(bot)
    opened = today() - timedelta(days=3)
    card = bot.stored(OFFICER, await open_case(bot, "戊公司超标排放案", "戊公司", opened))
    cid = case_id(card)

    menu = await press_edit(bot, OFFICER, card, "记录事件")
    assert_short_callbacks(menu)
    assert labels(menu)[:3] == ["告知书送达", "听证申请", "听证举行"] and labels(menu)[-1] == "返回"
    assert len(labels(menu)) == 15 and "收到起诉状副本" in labels(menu)
    prompt = await press_edit(bot, OFFICER, menu, "告知书送达")
    assert "告知书送达" in prompt["text"] and labels(prompt) == ["今天", "昨天", "前天", "返回", "取消"]
    card = await press_edit(bot, OFFICER, prompt, "今天")
    assert_card(card)
    text = strip_html(card["text"])
    assert "已记录“告知书送达”" in text and f"• 告知书送达　{cn_date(today())}" in text
    hearing = default_calendar().add_workdays(today(), 5)  # 5 working days, weekends and holidays skipped
    block = text[text.index("当事人要求听证"):]
    assert block.startswith("当事人要求听证（当事人）")
    assert f"截止 {cn_date(hearing)}，还有{(hearing - today()).days}天" in block
    assert "《行政处罚法》第六十四条" in block
    menu = await press_edit(bot, OFFICER, card, "记录事件")
    assert "告知书送达✓" in labels(menu)  # recorded events are ticked

    # a typed date after an event button
    prompt = await press_edit(bot, OFFICER, menu, "决定作出")
    card = await ask(bot, OFFICER, "昨天")
    assert "已记录“决定作出”" in card["text"] and "作出行政处罚决定" in card["text"]
    assert "✅ 已完成" in card["text"]  # the 90-day decision deadline is done now
    assert "⚪ 未到期 · <b>作出行政处罚决定" not in card["text"]

    # /event with an alias, a future date (refused), a planned hearing (accepted), bad input
    card = await ask(bot, OFFICER, f"/event {cid} 处罚决定书送达 今天")
    assert "已记录“决定书送达”" in card["text"] and "缴纳罚款" in card["text"]
    reply = await ask(bot, OFFICER, f"/event {cid} 罚款缴纳 明天")
    assert "晚于今天" in reply["text"]
    hearing_day = today() + timedelta(days=7)
    card = await ask(bot, OFFICER, f"/event {cid} 听证举行 {hearing_day.isoformat()}")
    assert f"• 听证举行　{cn_date(hearing_day)}" in strip_html(card["text"])
    reply = await ask(bot, OFFICER, f"/event {cid} 吃饭 今天")
    assert "未知的案件事件“吃饭”" in reply["text"] and "决定书送达" in reply["text"]
    reply = await ask(bot, OFFICER, f"/event {cid} 复查 下个月")
    assert "没看懂" in reply["text"] and "2026-11-20" in reply["text"]
    reply = await ask(bot, OFFICER, "/event")
    assert "/event 12 决定书送达 2026-11-20" in strip_html(reply["text"]) and "当场查封扣押" in reply["text"]

    # a timed event keeps its time: 24 hours from the moment (行政强制法第十九条)
    card = await ask(bot, OFFICER, f"/event {cid} 当场查封扣押 昨天23:30")  # always in the past
    text = strip_html(card["text"])
    assert f"• 当场查封扣押　{cn_date(today() - timedelta(days=1))} 23:30" in text
    assert f"截止 {cn_date(today())} 23:30" in text
    assert_card(card)

    # /event without a date asks for it; a button there records it
    prompt = await ask(bot, OFFICER, f"/event {cid} 责令改正")
    assert "责令改正决定书送达" in prompt["text"] and "今天" in labels(prompt)
    card = await press_edit(bot, OFFICER, prompt, "昨天")
    assert f"• 责令改正决定书送达　{cn_date(today() - timedelta(days=1))}" in strip_html(card["text"])

    # leaving a date question by another button: what is typed next is a question again
    menu = await press_edit(bot, OFFICER, card, "记录事件")
    prompt = await press_edit(bot, OFFICER, menu, "复查")
    card = await press_edit(bot, OFFICER, prompt, "取消")
    assert labels(card) == ["记录事件", "标记已办", "刷新", "结案"] and "• 复查" not in card["text"]
    answer = await ask(bot, OFFICER, "大气法99条")
    assert "《大气污染防治法》第九十九条" in answer["text"]
    # a text that is not a date while one is asked for: examples and a way out
    await ask(bot, OFFICER, f"/event {cid} 复查")
    reply = await ask(bot, OFFICER, "大气法99条")
    assert "没看懂" in reply["text"] and labels(reply) == ["取消"]
    cancelled = await press_edit(bot, OFFICER, reply, "取消")
    assert "没有记录事件" in cancelled["text"]
    answer = await ask(bot, OFFICER, "大气法99条")
    assert "《大气污染防治法》第九十九条" in answer["text"]


async def test_close_reopen_visibility_and_stale_buttons(bot):
    await team(bot)
    card = bot.stored(OFFICER, await open_case(bot, "己公司噪声扰民案", "己公司", today() - timedelta(days=1)))
    cid = case_id(card)

    # another officer cannot see it, not even that it exists; the unit admin can
    reply = await ask(bot, OTHER, f"/case {cid}")
    assert f"找不到案件 #{cid}" in reply["text"] and "己公司" not in reply["text"]
    reply = await ask(bot, OTHER, f"/event {cid} 告知书送达 今天")
    assert f"找不到案件 #{cid}" in reply["text"]
    seen = await ask(bot, UNIT_ADMIN, f"/case {cid}")
    assert "己公司噪声扰民案" in seen["text"] and "承办人：李四" in strip_html(seen["text"])
    card_admin = await ask(bot, UNIT_ADMIN, f"/event {cid} 告知书送达 今天")
    assert "已记录“告知书送达”" in card_admin["text"]

    # closing asks first; a closed case takes no events and can be reopened
    confirm = await press_edit(bot, OFFICER, card, "结案")
    assert "确定结案" in confirm["text"] and labels(confirm) == ["确认结案", "返回"]
    back = await press_edit(bot, OFFICER, confirm, "返回")
    assert labels(back) == ["记录事件", "刷新", "结案"] and "告知书送达" in back["text"]  # refreshed
    confirm = await press_edit(bot, OFFICER, back, "结案")
    closed = await press_edit(bot, OFFICER, confirm, "确认结案")
    assert "已结案" in closed["text"] and labels(closed) == ["重新打开", "刷新"]
    assert "作出行政处罚决定" not in closed["text"]
    reply = await ask(bot, OFFICER, f"/event {cid} 决定作出 今天")
    assert "已结案" in reply["text"] and "重新打开" in reply["text"]
    reply = await ask(bot, OFFICER, f"/event {cid} 决定作出")  # would ask for the date
    assert "已结案" in reply["text"] and not labels(reply)
    reply = await ask(bot, OFFICER, "/mycases")
    assert "己公司噪声扰民案" not in reply["text"]
    reopened = await press_edit(bot, OFFICER, closed, "重新打开")
    assert "已重新打开" in reopened["text"] and labels(reopened) == ["记录事件", "刷新", "结案"]
    assert "作出行政处罚决定" in reopened["text"]

    # stale and forged buttons answer with an alert and change nothing
    answer = await press_data(bot, OFFICER, reopened, "ck:v:999999")
    assert answer.get("show_alert") and "找不到案件 #999999" in answer["text"]
    answer = await press_data(bot, OFFICER, reopened, f"ck:d:{cid}:99")
    assert answer.get("show_alert") and "失效" in answer["text"]
    answer = await press_data(bot, OFFICER, reopened, f"ck:r:{cid}:0:zz")
    assert answer.get("show_alert") and "失效" in answer["text"]
    answer = await press_data(bot, OTHER, reopened, f"ck:X:{cid}")  # someone else's case
    assert answer.get("show_alert") and f"找不到案件 #{cid}" in answer["text"]
    still = await ask(bot, OFFICER, f"/case {cid}")
    assert "已结案" not in strip_html(still["text"]).split("已记录")[0]
    assert labels(still) == ["记录事件", "刷新", "结案"]


# --- marking a deadline done (已办理) -----------------------------------------------------------------------------
async def test_mark_a_deadline_done_from_the_card_and_undo(bot):
    """通知听证时间、地点 and 被告提交证据和答辩状 have no event that finishes them: the officer marks them."""
    await team(bot)
    card = await open_case(bot, "丑公司废气案", "丑公司", today() - timedelta(days=10))
    cid = case_id(card)
    assert labels(card) == ["记录事件", "刷新", "结案"]  # 作出行政处罚决定 is finished by recording 决定作出
    hearing = today() + timedelta(days=20)
    await ask(bot, OFFICER, f"/event {cid} 听证举行 {hearing.isoformat()}")
    card = bot.stored(OFFICER, await ask(bot, OFFICER, f"/event {cid} 收到起诉状副本 今天"))
    assert labels(card) == ["记录事件", "标记已办", "刷新", "结案"]
    assert_card(card)

    menu = await press_edit(bot, OFFICER, card, "标记已办")
    assert_short_callbacks(menu)
    assert "已经办理完毕" in menu["text"] and "撤销已办" not in menu["text"]
    # the notice is due 7 working days before the hearing (≤ 11 days from now), the defence in 15 days
    assert labels(menu) == ["通知听证时间、地点", "被告提交证据和答辩状", "返回"]
    card = await press_edit(bot, OFFICER, menu, "通知听证时间、地点")
    assert_card(card)
    text = strip_html(card["text"])
    marked = today()
    assert text.startswith(f"✅ 已将“通知听证时间、地点”标记为已办理（{marked.year}年{marked.month}月{marked.day}日）")
    assert f"✅ 已完成 1 项：通知听证时间、地点（{marked.month}月{marked.day}日标记已办）" in text
    assert "· 通知听证时间、地点" not in text and "· 被告提交证据和答辩状" in text
    assert labels(card) == ["记录事件", "标记已办", "刷新", "结案"]
    # the unit admin sees the same card: the mark belongs to the case
    seen = strip_html((await ask(bot, UNIT_ADMIN, f"/case {cid}"))["text"])
    assert "通知听证时间、地点（" in seen and "· 通知听证时间、地点" not in seen

    # the menu now offers the other one and taking the mark back
    menu = await press_edit(bot, OFFICER, card, "标记已办")
    assert labels(menu) == ["被告提交证据和答辩状", "撤销已办：通知听证时间、地点", "返回"]
    assert "撤销已办" in menu["text"]
    card = await press_edit(bot, OFFICER, menu, "撤销已办：通知听证时间、地点")
    text = strip_html(card["text"])
    assert text.startswith("已撤销“通知听证时间、地点”的已办理标记") and "· 通知听证时间、地点" in text
    assert "标记已办）" not in text
    menu = await press_edit(bot, OFFICER, card, "标记已办")
    back = await press_edit(bot, OFFICER, menu, "返回")
    assert labels(back) == ["记录事件", "标记已办", "刷新", "结案"] and "已撤销" not in back["text"]

    # stale, forged and refused presses: an alert, nothing changes
    notice, decision = rule_ids().index("cf_hearing_notice"), rule_ids().index("cf_decision")
    answer = await press_data(bot, OFFICER, menu, f"ck:k:{cid}:99")
    assert answer.get("show_alert") and "失效" in answer["text"]
    answer = await press_data(bot, OFFICER, menu, f"ck:k:{cid}:x")
    assert answer.get("show_alert") and "失效" in answer["text"]
    answer = await press_data(bot, OFFICER, menu, f"ck:k:{cid}:{decision}")  # 作出行政处罚决定: record 决定作出
    assert answer.get("show_alert") and "决定作出" in answer["text"]
    answer = await press_data(bot, OFFICER, menu, f"ck:u:{cid}:{notice}")  # not marked any more
    assert answer.get("show_alert") and "没有标记为已办理" in answer["text"]
    answer = await press_data(bot, OTHER, menu, f"ck:k:{cid}:{notice}")  # someone else's case
    assert answer.get("show_alert") and f"找不到案件 #{cid}" in answer["text"]
    confirm = await press_edit(bot, OFFICER, back, "结案")
    await press_edit(bot, OFFICER, confirm, "确认结案")
    answer = await press_data(bot, OFFICER, menu, f"ck:a:{cid}")  # the menu of a closed case
    assert answer.get("show_alert") and "已结案" in answer["text"]
    answer = await press_data(bot, OFFICER, menu, f"ck:k:{cid}:{notice}")
    assert answer.get("show_alert") and "已结案" in answer["text"]
    shown = strip_html((await ask(bot, OFFICER, f"/case {cid}"))["text"])
    assert "标记已办）" not in shown


# --- /mycases --------------------------------------------------------------------------------------------------
async def test_mycases_order_and_unit_scope(bot):
    await team(bot)
    empty = await ask(bot, OFFICER, "/mycases")
    assert "还没有在办案件" in empty["text"] and "/newcase" in empty["text"]
    a = case_id(await open_case(bot, "庚案", "庚公司", today() - timedelta(days=10)))  # decision in 80 days
    b = case_id(await open_case(bot, "辛案", "辛公司", today() - timedelta(days=80)))  # in 10 days
    c = case_id(await open_case(bot, "壬案", "壬公司", today() - timedelta(days=95)))  # 5 days overdue
    other = case_id(await open_case(bot, "癸案", "癸公司", today() - timedelta(days=1), uid=OTHER))

    listing = await ask(bot, OFFICER, "/mycases")
    text = strip_html(listing["text"])
    lines = [line for line in text.split("\n") if line.lstrip("🔴 逾期0123456789项").startswith("#")]
    assert [int(re.search(r"#(\d+)", line).group(1)) for line in lines] == [c, b, a]
    assert lines[0].startswith("🔴 逾期1项 #") and "（逾期5天）" in lines[0]
    b_due = today() + timedelta(days=10)
    assert lines[1] == f"#{b} 辛案（辛公司）— 下一期限：作出行政处罚决定 {b_due.month}月{b_due.day}日（还有10天）"
    assert "癸案" not in text
    assert labels(listing) == [f"#{c} 壬案", f"#{b} 辛案", f"#{a} 庚案"]
    card = await press_send(bot, OFFICER, listing, f"#{b} 辛案")
    assert case_id(card) == b and labels(card) == ["记录事件", "刷新", "结案"]

    # the unit admin: none of their own, all of the unit with 本单位; an officer may not ask for that
    mine = await ask(bot, UNIT_ADMIN, "/mycases")
    assert "还没有在办案件" in mine["text"]
    unit = strip_html((await ask(bot, UNIT_ADMIN, "/mycases 本单位"))["text"])
    assert all(f"#{i} " in unit for i in (a, b, c, other)) and "承办：李四" in unit
    assert unit.index(f"#{c} ") < unit.index(f"#{b} ") < unit.index(f"#{a} ")
    refused = strip_html((await ask(bot, OTHER, "/mycases 本单位"))["text"])
    assert "只有单位管理员" in refused and f"#{other} 癸案" in refused and "壬案" not in refused


# --- a deadline reminder ----------------------------------------------------------------------------------------
async def test_case_deadline_reminder_fires_once_and_opens_the_card(bot):
    await register(bot)
    opened = today() - timedelta(days=88)  # the 90-day decision deadline is the day after tomorrow
    card = await open_case(bot, "子公司危废案", "子公司", opened)
    cid = case_id(card)
    assert "🟠 即将到期 · <b>作出行政处罚决定" in card["text"]

    def delivered() -> list[dict]:
        return [m for m in bot.api.sent(OFFICER) if m["text"].startswith("⏰ 办案期限提醒")
                and "子公司危废案" in m["text"] and "作出行政处罚决定" in m["text"]]

    # the 3-days-before nudge was yesterday: planned for now, so the sweep (ours or the bot's job) sends it
    now = datetime.now(UTC) + timedelta(minutes=1)
    await sweep(bot.app.bot, bot.app.bot_data[KEY].reminders, now=now)
    await bot.wait(lambda _: len(delivered()) >= 1)
    await sweep(bot.app.bot, bot.app.bot_data[KEY].reminders, now=now + timedelta(minutes=1))
    assert len(delivered()) == 1
    [reminder] = delivered()
    assert f"#{cid}" in reminder["text"] and "《行政处罚法》第六十条" in reminder["text"]

    message = bot.stored(OFFICER, reminder)
    assert labels(message) == ["10分钟后再提醒", "1小时后", "明天上午", "查看案件"]  # the sweep's buttons
    shown = await press_send(bot, OFFICER, message, "查看案件")
    assert case_id(shown) == cid and "作出行政处罚决定" in shown["text"]
    assert bot.api.messages[(OFFICER, message["message_id"])]["text"] == message["text"]  # reminder kept


# --- the card's length (pure rendering, no bot) ------------------------------------------------------------------
def _busy_case() -> tuple[CaseView, list]:
    events = {"立案": date(2026, 9, 1), "决定作出": date(2026, 10, 20), "告知书送达": date(2026, 10, 10),
              "决定书送达": date(2026, 10, 22), "查封扣押": date(2026, 11, 2), "收到起诉状副本": date(2026, 11, 20),
              "收到复议申请书副本": date(2026, 11, 18), "催告书送达": date(2026, 11, 10)}
    case = CaseView(7, "某" * 100, "甲" * 100, OFFICER, "李四", 1, "蓬江大队", date(2026, 9, 1), CaseState.open,
                    events, None)
    return case, compute_deadlines(events, now=datetime(2026, 11, 25, 10, 0))


def test_card_fits_by_dropping_done_then_notes_then_the_latest():
    case, deadlines = _busy_case()
    day = date(2026, 11, 25)
    full = card_text(case, deadlines, day)
    active = [d for d in deadlines if d.status.value != "已完成"]
    assert "✅ 已完成" in full and all(d.rule.name in full for d in deadlines) and "注：" in full
    no_done = card_text(case, deadlines, day, limit=len(full) - 1)
    assert "✅ 已完成" not in no_done and "注：" in no_done and len(no_done) < len(full)
    no_notes = card_text(case, deadlines, day, limit=len(no_done) - 1)
    assert "注：" not in no_notes and all(d.rule.name in no_notes for d in active)
    cut = card_text(case, deadlines, day, limit=len(no_notes) - 1)
    assert "另有 1 项期限未显示" in cut and active[0].rule.name in cut and active[-1].rule.name not in cut
    assert len(cut) < len(no_notes)


async def test_case_number_with_superscript_digits_gets_the_usage(bot):
    """“²” is a digit to str.isdigit() but not to int(): the command must answer, not crash."""
    await register(bot)
    reply = await ask(bot, OFFICER, "/case ²")
    assert "用法：/case 案件编号" in reply["text"]
    reply = await ask(bot, OFFICER, "/event ³ 决定书送达 今天")
    assert "/event 12 决定书送达 2026-11-20" in strip_html(reply["text"])
    reply = await ask(bot, OFFICER, "/case １２３４５")  # full-width digits typed with an IME are a number
    assert "找不到案件 #12345" in reply["text"]
