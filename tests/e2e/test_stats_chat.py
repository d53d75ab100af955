"""Monthly statistics end to end: the real Application polling the local Bot API test server — a unit admin
invites a unit, its officer fills last month's figures with one pasted block (全角 digits, 万元), confirms,
/report returns the 简报 paragraph with the right sums, an .xlsx document and a PNG photo; the field-by-field
buttons; another unit's officer is refused; /stats_status."""

from __future__ import annotations

import io
from datetime import datetime
from zoneinfo import ZoneInfo

import openpyxl
from support.botrun import ADMIN_ID, OFFICER, RunningBot, buttons, register

from bot.render import strip_html

TZ = ZoneInfo("Asia/Shanghai")
STRANGER = 611


def last_month() -> tuple[str, str]:
    today = datetime.now(TZ).date()
    year, month = (today.year - 1, 12) if today.month == 1 else (today.year, today.month - 1)
    return f"{year}-{month:02d}", f"{year}年{month}月"


async def ask(bot: RunningBot, user_id: int, text: str) -> dict:
    [reply] = await bot.send(user_id, text)
    return reply


async def press(bot: RunningBot, user_id: int, message: dict, label: str) -> dict:
    edits = len(bot.api.sent(user_id, method="editMessageText"))
    await bot.press(user_id, bot.stored(user_id, message), label)
    await bot.wait(lambda _: len(bot.api.sent(user_id, method="editMessageText")) > edits)
    return bot.api.sent(user_id, method="editMessageText")[-1]


BLOCK = ("批次 １２\n人次：３０\n检查户次 20\n双随机 5\n非现场 3\n立案 4\n处罚决定 3\n罚款金额：3.5万\n免罚 1\n"
         "按日 0\n查封 1\n限产 0\n拘留 0\n涉嫌犯罪 0\n信访 6\n宣传 2")


async def test_an_officer_submits_a_pasted_block_and_the_report_comes_as_text_excel_and_png(bot):
    await register(bot)  # 江门支队 → 蓬江大队, the officer in 蓬江大队
    period, label = last_month()
    await ask(bot, ADMIN_ID, "/orgdate 1 31 蓬江大队")  # the 月报 date at the month's end: open whatever today is
    form = await ask(bot, OFFICER, f"/stats {period}")
    assert "蓬江大队" in form["text"] and "第1/16项" in form["text"] and "出动执法人员批次" in form["text"]
    assert [b for b, _ in buttons(form)] == ["0", "跳过", "取消"]
    summary = await ask(bot, OFFICER, BLOCK)
    text = strip_html(summary["text"])
    assert "已填入 16 项" in text and "请核对后提交" in text and "罚款金额：3.5万元" in text and "出动执法人员批次：12批次" in text
    done = await press(bot, OFFICER, summary, "确认提交")
    assert f"已提交蓬江大队{label}执法统计（第1次报送）" in strip_html(done["text"])

    before = len(bot.api.calls)
    await bot.send(OFFICER, f"/report {period}")
    await bot.wait(lambda calls: any(c.method == "sendPhoto" for c in calls[before:]))
    report = next(c.params for c in bot.api.calls[before:] if c.method == "sendMessage")
    paragraph = strip_html(report["text"])
    assert paragraph.startswith(f"{label}，共出动执法人员12批次、30人次，检查20户次污染源")
    assert "作出行政处罚决定3件，共计处罚金额3.5万元" in paragraph and "（1个单位中1个已报送）" in paragraph
    document = next(c.params for c in bot.api.calls[before:] if c.method == "sendDocument")
    name, data = document["_file_document"]
    assert name == f"{label}执法统计.xlsx"
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["汇总", "各单位", "指标", "明细"] and book["各单位"]["C2"].value == 12
    photo = next(c.params for c in bot.api.calls[before:] if c.method == "sendPhoto")
    assert photo["_file_photo"][1][:8] == b"\x89PNG\r\n\x1a\n"

    # another unit's officer sees none of it
    await ask(bot, ADMIN_ID, "/addunit 新会大队 江门支队")
    invite = await ask(bot, ADMIN_ID, "/invite 新会大队")
    code = invite["text"].split("<code>")[1].split("</code>")[0]
    await bot.send(STRANGER, f"/start {code}", name="王五")
    refused = await ask(bot, STRANGER, f"/report {period} 蓬江大队")
    assert "没有这项操作的权限" in refused["text"] and "12批次" not in refused["text"]
    status = await ask(bot, ADMIN_ID, f"/stats_status {period}")
    assert "✅ 蓬江大队" in strip_html(status["text"]) and "❌ 新会大队" in strip_html(status["text"])
    assert "逾期" not in strip_html(status["text"])


async def test_a_first_report_after_the_deadline_is_taken_and_shown_late(bot):
    await register(bot)
    today = datetime.now(TZ).date()
    year, month = divmod(today.year * 12 + today.month - 1 - 2, 12)  # the month before last: its 3rd has passed
    period = f"{year}-{month + 1:02d}"
    await ask(bot, OFFICER, f"/stats {period}")
    summary = await ask(bot, OFFICER, BLOCK)
    assert "逾期" in strip_html(summary["text"])
    done = await press(bot, OFFICER, summary, "确认提交")
    assert "蓬江大队" in strip_html(done["text"])
    status = strip_html((await ask(bot, ADMIN_ID, f"/stats_status {period}"))["text"])
    assert "✅ 蓬江大队" in status and "逾期报送" in status and "1/1 个单位已报送" in status


async def test_field_by_field_with_the_buttons_and_a_clear_error(bot):
    await register(bot)
    period, _label = last_month()
    await ask(bot, ADMIN_ID, "/orgdate 1 31 蓬江大队")
    form = await ask(bot, OFFICER, f"/stats {period}")
    wrong = await ask(bot, OFFICER, "-5")
    assert "不能是负数" in wrong["text"] and "第1/16项" in wrong["text"]
    second = await ask(bot, OFFICER, "十二")
    assert "第2/16项" in second["text"] and "出动执法人员人次" in second["text"]
    back = await press(bot, OFFICER, second, "上一项")
    assert "第1/16项" in back["text"] and "已填 12批次" in strip_html(back["text"])
    zero = await press(bot, OFFICER, back, "0")
    assert "第2/16项" in zero["text"]
    cancelled = await press(bot, OFFICER, zero, "取消")
    assert "已取消" in cancelled["text"]
    after = await ask(bot, OFFICER, "大气法99条")  # the form is closed: a question is a question again
    assert "第九十九条" in strip_html(after["text"])
    assert form is not None
