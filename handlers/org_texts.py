"""Chinese sentences of the organisational dates feature (/orgdates, /orgdate, the 报送 reminders).

HTML messages: callers escape inserted values. NUDGE_* lines are the plain text stored in a planned
reminder (the delivery sweep escapes it)."""

from __future__ import annotations

SOURCE_DEFAULT = "单位工作安排（默认值）"
SOURCE_UNIT = "本单位设置"

RULE_MONTHLY = "每月{day}日前报送"
RULE_YEARLY = "每年{month}月{day}日前报送"
MONTH_END_NOTE = "（小月为月末）"
NOTIFY = {"unit_admins": "本单位管理员（内勤）", "members": "本单位全体人员"}
REMIND_BEFORE = "截止前{days}"  # days: "3天、1天"
REMIND_SAME_DAY = "当天"
REMIND_JOIN = "和"
REMIND_SUFFIX = "提醒"

# --- the reminder an officer receives (plain text; the sweep adds the heading) -----------------------------
NUDGE_TITLE = "{name}（{unit}）"
NUDGE_DUE_IN = "截止日期：{date}，还有{days}天，请按时报送。"
NUDGE_DUE_TODAY = "截止日期：{date}，今天截止，请在今天内报送。"
NUDGE_WHO = "负责报送：{who}"
NUDGE_SOURCE = "日期依据：{source}"
NUDGE_SEE = "查看本单位报送日期：/orgdates"

# --- /orgdates ----------------------------------------------------------------------------------------
LIST_TITLE = "<b>{unit} · 报送日期</b>"
LIST_ITEM = "{n}. <b>{name}</b>：{rule}"
LIST_NEXT = "　下次截止：{date}；{remind}"
LIST_OFF = "　已关闭，不再提醒"
LIST_WHO = "　提醒：{notify}　{state}　{source}"
STATE_ON = "已开启"
STATE_OFF = "已关闭"
LIST_HELP = (
    "修改：/orgdate 编号 日，如 /orgdate 1 5（每月5日）；每年一次的写月-日，如 /orgdate 3 11-20。\n"
    "关闭、开启或恢复默认：/orgdate 编号 关闭 | 开启 | 默认"
)
LIST_HELP_OTHER_UNIT = "（在命令最后加上单位名称，修改的就是该单位，如 /orgdate 1 5 {unit}）"
BUTTON_OFF = "关闭{n}"
BUTTON_ON = "开启{n}"
BUTTON_DEFAULT = "默认{n}"

OFFICERS_REFUSED = (
    "单位的报送日期（如每月报送统计数据、简报的日子）由本单位管理员（内勤）设置，到期前会提醒负责报送的同事。"
    "如需调整，请联系本单位管理员。"
)
NEED_UNIT = "请在命令后写上单位名称，例如：/orgdates 一大队（发送 /units 查看单位列表）。"
UNIT_NOT_FOUND = "找不到单位“{name}”。发送 /units 查看单位列表，例如：/orgdates 一大队"

# --- /orgdate -----------------------------------------------------------------------------------------
USAGE = (
    "用法：/orgdate 编号 日期，例如：\n"
    "• /orgdate 1 5 —— 改为每月5日前报送\n"
    "• /orgdate 3 11-20 —— 改为每年11月20日前报送\n"
    "• /orgdate 2 关闭 | 开启 | 默认\n"
    "发送 /orgdates 查看编号。"
)
CHANGED_RULE = "{name}，{rule}"
CHANGED = "已修改：{rule}\n下次截止：{date}。"
CHANGED_OFF = "已关闭：{name}，不再提醒。"
CHANGED_ON = "已开启：{rule}\n下次截止：{date}。"
CHANGED_RESET = "已恢复默认：{rule}\n下次截止：{date}。"
CHANGED_FOR = "（{unit}）"
BUTTON_EXPIRED = "这个按钮已失效，请重新发送 /orgdates。"

ERRORS = {
    "org_unknown_item": "没有编号为 {n} 的报送事项。发送 /orgdates 查看编号，例如：/orgdate 1 5",
    "org_bad_day": "日期应在 1–31 之间，例如：/orgdate 1 5",
    "org_bad_month": "月份应在 1–12 之间，例如：/orgdate 3 11-20",
    "org_bad_month_day": "{month}月没有{day}日，例如：/orgdate 3 11-20",
    "org_monthly_no_month": "“{name}”每月报送，只写日即可，例如：/orgdate {n} 5",
}
