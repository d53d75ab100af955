"""Sentences the domain services write, in one place for review: the reminders' texts (delivered by the
sweep, which escapes them), the case tracker's reasons and reminder lines, the 报送 nudges. Plain text.

Module-level: the date format and the delivery headings; each feature's own in a namespace class
(`from scheduler.texts import case as T` → `T.NAME_EMPTY`).
"""

from __future__ import annotations

from datetime import date

WEEKDAYS = "一二三四五六日"


def format_day(day: date) -> str:
    """2026年11月25日（周三）: every date an officer reads in reminders, case cards and 报送 lists."""
    return f"{day.year}年{day.month}月{day.day}日（周{WEEKDAYS[day.weekday()]}）"


# --- delivered reminders (scheduler/reminders.py) ----------------------------------------------------------
REMINDER_MESSAGE = "⏰ 提醒：{text}"
REMINDER_LATE = "（原定 {when}，系统暂停后延迟送达）"
REMINDER_REPEATS = "🔁 {rule}"
# Delivered reminders, by Reminder.kind; {text} is the stored text, escaped (multi-line for planned kinds).
REMINDER_BY_KIND = {
    "personal": REMINDER_MESSAGE,
    "case": "⏰ 办案期限提醒\n{text}",
    "escalation": "🚨 期限逾期报告\n{text}",
    "org": "📅 报送提醒\n{text}",
    "quiz_week": "📊 每周练习排名\n{text}",
}
REMINDER_RESENT = "（系统意外中断后补发；如已收到，请忽略本条）"
REMINDER_CASE_BUTTON = "查看案件"
SNOOZE_LABELS = {"10m": "10分钟后再提醒", "1h": "1小时后", "tm": "明天上午"}


class case:  # the case tracker's reasons (BadCaseInput, BadEventDate) and reminder lines
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
    UNKNOWN_RULE = "没有“{rule}”这项期限，请在案件卡片上点“标记已办”选择。"
    PARTY_RULE_NOT_MARKABLE = "“{rule}”是当事人的期限，届满即可进行下一步，不需要标记已办理。"
    AFTER_RULE_NOT_MARKABLE = "“{rule}”是最早可以办理的日期，不是截止期限，不需要标记已办理。"
    DONE_BY_EVENT = "“{rule}”请通过记录“{events}”办结（点“记录事件”或发送 /event），这样后续期限也会自动计算。"
    RULE_NOT_IN_CASE = "本案目前没有“{rule}”这项期限（记录“{start}”后才会计算），无需标记。"
    NOT_MARKED_DONE = "“{rule}”没有标记为已办理，无需撤销。"
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
    OVERDUE_NOTE = "尚未记录办结，请尽快处理（已同时提醒管理员）。已办理的，请记录相应事件或在案件卡片点“标记已办”。"
    OVERDUE_NOTE_ALONE = "尚未记录办结，请尽快处理。已办理的，请记录相应事件或在案件卡片点“标记已办”。"
    ESCALATION_HEAD = "⚠️ 案件期限已过，尚未记录办结"
    HANDLER_LINE = "办案人：{name}"
    CONDITION_LINE = "适用条件：{condition}"
    BASIS_LINE = "依据：{citation}"
    APPROXIMATE = "（节假日安排未收录，日期为估算）"
    EXTENSION_LINE = "可延长至 {day}（{condition}）"


class org:  # the 报送 reminder an officer receives (the sweep adds the heading)
    SOURCE_DEFAULT = "单位工作安排（默认值）"
    SOURCE_UNIT = "本单位设置"
    # --- the reminder an officer receives (plain text; the sweep adds the heading) -----------------------------
    NUDGE_TITLE = "{name}（{unit}）"
    NUDGE_DUE_IN = "截止日期：{date}，还有{days}天，请按时报送。"
    NUDGE_DUE_TODAY = "截止日期：{date}，今天截止，请在今天内报送。"
    NUDGE_WHO = "负责报送：{who}"
    NUDGE_SOURCE = "日期依据：{source}"
    NUDGE_SEE = "查看本单位报送日期：/orgdates"



class quiz:  # the daily quiz: what the polls and the session's summary say, the weekly ranking
    PUSH_TEXT = "每日练习"  # the planned row's text (never shown: the row is delivered as a poll)
    MULTIPLE_MARK = "（多选）"
    JUDGE_MARK = "（判断）"
    PROGRESS = "第{n}/{total}题 "
    SUMMARY_TITLE = "📝 <b>{kind}完成</b>：答对 {right}/{total} 题"
    SUMMARY_MISSED = "（{n} 题超时未答）"
    KIND_DAILY = "今日练习"
    KIND_PRACTICE = "练习"
    SUMMARY_STREAK = "🔥 连续练习 {n} 天"
    SUMMARY_STREAK_START = "明天继续，就能连续练习了。"
    SUMMARY_READ = "<b>建议复习</b>（点按钮看条文）："
    SUMMARY_READ_LINE = "• {cite}"
    SUMMARY_ALL_RIGHT = "全部答对！"
    SUMMARY_MORE = "再来一组：/quiz　排名：/rank"
    WEEK_TITLE = "{unit} · 上周练习（{start}—{end}）"
    WEEK_UNIT = "本单位：{active}/{members} 人参与，答题 {answered} 道，正确率 {accuracy}"
    WEEK_PLACE = "在{tree}的 {n} 个单位中排第 {rank}（参与率×正确率 {score}）"
    WEEK_TOP = "本单位前{n}名：{names}"
    WEEK_NOBODY = "上周本单位没有人参加练习。"
    WEEK_SEE = "查看本周排名：/rank"
    PERCENT = "{p}%"


class stats:  # the monthly statistics: value problems, checks, nudges, the 简报 paragraph
    NOT_FILLED = "未填"
    EMPTY = "没有填写数值。"
    NEGATIVE = "{name}不能是负数。"
    TOO_LARGE = "{name}填的是{value}，超过了合理范围（上限{max}），请核对是否多打了位数。"
    NOT_A_NUMBER = "“{text}”不是数字。{name}请填{unit}数，例如 12、十二、1,200。"
    NOT_WHOLE = "{name}应为整数{unit}（填的是“{value}”）。"
    TOO_PRECISE = "{name}以万元为单位，最多保留4位小数（填的是“{value}”）。"
    UNKNOWN_LINE = "没认出这一行：“{line}”（请写“名称 数值”，如：批次 12）"
    BAD_LINE = "“{line}”：{problem}"
    FAR_FROM_USUAL = "{name}填了{value}，与本单位近几个月（常见约{usual}）相差很大，请核对。"
    # reminders (plain text: the sweep escapes it)
    NUDGE = "{unit}尚未报送{month}执法统计数据，截止{date}。请发送 /stats {period} 填报（可一次粘贴多行“名称 数值”）。"
    NUDGE_TODAY = "{unit}尚未报送{month}执法统计数据，今天截止。请发送 /stats {period} 填报。"
    MISSING = "{month}执法统计：截至{date}，下列单位尚未报送：{units}。查看：/stats_status {period}"
    # the 简报 paragraph (the bureaus' model sentence)
    PERIOD_MONTH = "{y}年{m}月"
    PERIOD_RANGE = "{y}年{m1}-{m2}月份"
    PERIOD_RANGE_YEARS = "{y1}年{m1}月至{y2}年{m2}月"
    PARAGRAPH = "{period}，{parts}"
    COVERAGE = "（{n}个单位中{k}个已报送{missing}）"
    COVERAGE_MISSING = "，未报送：{units}"
    COMPARE = "同比（去年同期）：处罚决定{last}件，罚款{last_fines}万元。"
    YEAR_TO_DATE = "{y}年1-{m}月累计：作出行政处罚决定{decisions}件，罚款{fines}万元。"
