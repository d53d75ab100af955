"""Chinese sentences of the reminder feature, in one place for review. HTML: callers escape values."""

from __future__ import annotations

from datetime import date

WEEKDAYS = "一二三四五六日"


def format_day(day: date) -> str:
    """2026年11月25日（周三）: every date an officer reads in reminders, case cards and 报送 lists."""
    return f"{day.year}年{day.month}月{day.day}日（周{WEEKDAYS[day.weekday()]}）"

REMIND_USAGE = "用法：/remind 时间 内容\n"
REMIND_CREATED = "好的，将在 {when} 提醒您：{text}\n编号 {id}。发送 /reminders 查看，/unremind {id} 取消。"
REMIND_CREATED_RECURRING = (
    "好的，{rule} 提醒您：{text}\n首次：{when}\n编号 {id}。发送 /reminders 查看，/unremind {id} 取消。"
)
REMIND_TOO_MANY = "您的待发提醒已达上限（{n} 条），请先用 /unremind 编号 取消一些。"
REMINDERS_TITLE = "<b>待发提醒</b>"
REMINDERS_PLANNED_TITLE = "<b>自动提醒</b>（办案期限、报送日期；/mycases 查看案件）"
REMINDERS_MORE = "……另有 {n} 条"
REMINDERS_ESCALATION = "{summary}（逾期未办结时报告）"
REMINDERS_LINE = "{id}. {when}{rule} {text}"
REMINDERS_EMPTY = "没有待发的提醒。设置：/remind 明天上午9点 报送简报"
UNREMIND_USAGE = "用法：/unremind 编号（发送 /reminders 查看编号）"
UNREMIND_DONE = "已取消提醒 {id}。"
UNREMIND_NOT_FOUND = "找不到可取消的提醒 {id}（可能已发送或不是您的提醒）。"

REMINDER_MESSAGE = "⏰ 提醒：{text}"
REMINDER_LATE = "（原定 {when}，系统暂停后延迟送达）"
REMINDER_REPEATS = "🔁 {rule}"

# Delivered reminders, by Reminder.kind; {text} is the stored text, escaped (multi-line for planned kinds).
REMINDER_BY_KIND = {
    "personal": REMINDER_MESSAGE,
    "case": "⏰ 办案期限提醒\n{text}",
    "escalation": "🚨 期限逾期报告\n{text}",
    "org": "📅 报送提醒\n{text}",
}
REMINDER_RESENT = "（系统意外中断后补发；如已收到，请忽略本条）"
REMINDER_CASE_BUTTON = "查看案件"
SNOOZE_LABELS = {"10m": "10分钟后再提醒", "1h": "1小时后", "tm": "明天上午"}
SNOOZED = "💤 已推迟，将在 {when} 再次提醒。"
SNOOZE_GONE = "这条提醒已无法推迟。"
CANCEL_BUTTON = "取消 {id}"
