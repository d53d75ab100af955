"""Chinese sentences of the case tracker service and its reminders (plain text: the reminder sweep and the
handlers escape them). Error sentences around these reasons live in bot/texts.py ERRORS."""

from __future__ import annotations

WEEKDAYS = "一二三四五六日"

# --- reasons for BadCaseInput / BadEventDate ------------------------------------------------------------
NAME_EMPTY = "案件名称不能为空，例如：某某公司超标排放废气案。"
NAME_TOO_LONG = "案件名称不能超过 {max} 个字（现有 {n} 个字），请精简。"
PARTY_EMPTY = "当事人不能为空，例如：某某化工有限公司。"
PARTY_TOO_LONG = "当事人名称不能超过 {max} 个字（现有 {n} 个字），请精简。"
DATE_IN_FUTURE = "{event}的日期 {day} 晚于今天（{today}），请填写已经发生的日期，例如 {today}。"
DATE_TOO_FAR_AHEAD = "{event}的日期 {day} 距今超过一年，请核对，例如 {example}。"
DATE_TOO_OLD = "{event}的日期 {day} 早于 {earliest}，请核对年份。"
DATE_BEFORE_OPENING = "{event}的日期 {day} 早于立案日期 {opened}，请核对；如立案日期有误，请先重新记录立案日期。"
OPENING_AFTER_EVENTS = "立案日期 {day} 晚于已记录的{event}（{other}），请先核对或删除该事件。"
CANNOT_REMOVE_OPENING = "立案是案件的起点，不能删除；日期有误时请重新记录立案日期。"
EVENT_NOT_RECORDED = "本案尚未记录“{event}”，无需删除。"

# --- reminders -----------------------------------------------------------------------------------------
CASE_LINE = "📁 {name}（{party}）#{id}"
DUE_LINE = "{rule}：截止 {day}，{left}"
DUE_AT_LINE = "{rule}：截止 {day} {time}，{left}"
OPEN_LINE = "{rule}：最早 {day}，今天起可以办理。"
OPEN_LATE_LINE = "{rule}：最早 {day}，已经可以办理。"
EXPIRED_LINE = "{rule}：当事人的期限已于 {day} 届满，可以进行下一步。"
LEFT_DAYS = "还有{n}天"
LEFT_TODAY = "今天到期"
LEFT_OVERDUE = "已逾期{n}天"
LEFT_HOURS = "还有约{n}小时"
LEFT_MINUTES = "还有约{n}分钟"
LEFT_NOW = "已到截止时刻"
LEFT_PAST = "已超过截止时刻"
OVERDUE_NOTE = "尚未记录办结，请尽快处理（已同时提醒管理员）。"
OVERDUE_NOTE_ALONE = "尚未记录办结，请尽快处理。"
ESCALATION_HEAD = "⚠️ 案件期限已过，尚未记录办结"
HANDLER_LINE = "办案人：{name}"
CONDITION_LINE = "适用条件：{condition}"
BASIS_LINE = "依据：{citation}"
APPROXIMATE = "（节假日安排未收录，日期为估算）"
EXTENSION_LINE = "可延长至 {day}（{condition}）"
