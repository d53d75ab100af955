"""Every sentence of the case tracker the officer reads (/newcase, case cards, /event, /mycases).
HTML: callers escape the values they insert with bot.render.esc."""

from __future__ import annotations

DATE_EXAMPLES = "2026-11-20、11月20日、昨天"
FUTURE_DATE_EXAMPLES = "2026-12-01、12月1日、明天"  # a planned hearing
TIME_EXAMPLES = "2026-11-20 14:30、今天14:30、今天下午2点"

# --- /newcase dialog -----------------------------------------------------------------------------------
ASK_NAME = (
    "<b>登记案件</b>（第1步，共3步）\n请发送<b>案件名称</b>，例如：某某公司超标排放大气污染物案\n\n"
    "也可以一次发送：<code>/newcase 案件名称；当事人；立案日期</code>"
)
ASK_PARTY = "<b>登记案件</b>（第2步，共3步）\n案件名称：{name}\n请发送<b>当事人</b>名称，例如：某某科技有限公司"
ASK_OPENED = (
    "<b>登记案件</b>（第3步，共3步）\n案件名称：{name}\n当事人：{party}\n"
    "请选择<b>立案日期</b>，或直接输入日期，如 2026-11-20、11月20日"
)
BAD_OPENED = "没看懂这个日期：“{text}”。请点按钮，或输入日期，例如 " + DATE_EXAMPLES + "。"
DIALOG_CANCELLED = "已取消登记。需要时再发送 /newcase。"
DIALOG_EXPIRED = "这次登记已过期，请重新发送 /newcase。"
NEWCASE_TOO_MANY_PARTS = (
    "格式不对。一次登记请用分号分开三项：\n<code>/newcase 案件名称；当事人；2026-11-20</code>\n"
    "或只发 /newcase 按提示逐项填写。"
)
TOO_LONG = "太长了（{length}字），请控制在{n}字以内。"
CASE_OPENED = "✅ 已登记案件 #{id}。以后记录送达、决定等事件，期限会自动计算并按时提醒。"

# --- buttons -------------------------------------------------------------------------------------------
BUTTON_TODAY = "今天"
BUTTON_YESTERDAY = "昨天"
BUTTON_DAY_BEFORE = "前天"
BUTTON_TOMORROW = "明天"
BUTTON_AFTER_TOMORROW = "后天"
BUTTON_CANCEL = "取消"
BUTTON_RECORD = "记录事件"
BUTTON_REFRESH = "刷新"
BUTTON_CLOSE = "结案"
BUTTON_CONFIRM_CLOSE = "确认结案"
BUTTON_REOPEN = "重新打开"
BUTTON_BACK = "返回"
BUTTON_OPEN_CASE = "#{id} {name}"
BUTTON_MARK_DONE = "标记已办"
BUTTON_UNDO_DONE = "撤销已办：{rule}"
DAY_BUTTONS = {0: BUTTON_TODAY, 1: BUTTON_YESTERDAY, 2: BUTTON_DAY_BEFORE, -1: BUTTON_TOMORROW, -2: BUTTON_AFTER_TOMORROW}

# --- the case card ---------------------------------------------------------------------------------------
CARD_TITLE = "📁 <b>#{id} {name}</b>"
CARD_PARTY = "当事人：{party}"
CARD_OPENED = "立案日：{date}"
CARD_HANDLER = "承办人：{handler}（{unit}）"
CARD_HANDLER_NO_UNIT = "承办人：{handler}"
CARD_CLOSED = "🗄 已于 {date} 结案，不再提醒期限。需要时点“重新打开”。"
CARD_EVENTS = "<b>已记录</b>"
CARD_EVENT = "• {event}　{date}"
CARD_DEADLINES = "<b>期限</b>"
CARD_NO_DEADLINES = "暂无需要计算的期限。记录送达、决定等事件后，这里会列出期限。"
CARD_DONE_COUNT = "✅ 已完成 {n} 项：{names}"
CARD_DONE_MARKED = "{name}（{date}标记已办）"
CARD_MORE = "……另有 {n} 项期限未显示，可用 /case {id} 重新查看。"
CARD_BASIS = "依据：{citation}"
CARD_NOTE = "注：{note}"
CARD_PARTY_TAG = "（当事人）"
CARD_HINT = "点“记录事件”登记进展；其他事件可发送 /event {id} 事件 日期。"

STATUS_MARKS = {
    "已逾期": "🔴 已逾期",
    "今日到期": "⚠️ 今日到期",
    "即将到期": "🟠 即将到期",
    "未到期": "⚪ 未到期",
    "已完成": "✅ 已完成",
    "可以办理": "🔵 可以办理",
    "未到可办理日": "⏳ 未到可办理日",
    "已届满": "⚫ 已届满",
}
DUE_WITHIN = "截止 {date}"
DUE_BEFORE = "最晚 {date}"
DUE_AFTER = "最早 {date}"
DAYS_LEFT = "还有{n}天"
DUE_TODAY = "今天到期"
DAYS_OVERDUE = "逾期{n}天"
DAYS_EXPIRED = "已届满{n}天"
OVERDUE_NOW = "已逾期"
EXPIRED_NOW = "已届满"
DAYS_UNTIL_OPEN = "还有{n}天可办理"
OPEN_NOW = "已可办理"
SHORT_DATE_FORMAT = "{m}月{d}日"

# --- recording events ------------------------------------------------------------------------------------
EVENT_MENU = "<b>#{id} {name}</b>\n请选择要记录的事件（不在列表中的事件可发送 /event {id} 事件 日期）："
ASK_EVENT_DATE = (
    "<b>#{id} {name}</b>\n“{event}”是哪一天？请点按钮，或直接输入日期，如 {examples}。"
)
ASK_EVENT_TIME_HINT = "\n这个事件按小时计算期限，最好写上时刻，如 " + TIME_EXAMPLES + "。"
BAD_EVENT_DATE = "没看懂这个日期：“{text}”。请输入日期，例如 " + DATE_EXAMPLES + "；需要时刻的写 " + TIME_EXAMPLES + "。"
EVENT_CANCELLED = "已取消，没有记录事件。"
EVENT_RECORDED = "✅ 已记录“{event}”：{date}"
EVENT_USAGE = (
    "用法：<code>/event 案件编号 事件 日期</code>\n例如：<code>/event 12 决定书送达 2026-11-20</code>、"
    "<code>/event 12 告知书送达 昨天</code>\n按小时计算的事件写上时刻：<code>/event 12 当场查封扣押 今天14:30</code>\n\n"
    "<b>可记录的事件</b>：{events}"
)
EVENT_USAGE_SHORT = "请写明案件编号、事件和日期，例如：<code>/event {id} 决定书送达 2026-11-20</code>"

# --- marking a deadline done (已办理) -------------------------------------------------------------------
DONE_MENU = (
    "<b>#{id} {name}</b>\n哪一项期限已经办理完毕？点一下标记为已办理：不再提醒，也不再向管理员报告逾期。\n"
    "有对应事件的期限（如作出处罚决定）请点“记录事件”登记，后续期限才会自动计算。"
)
DONE_MENU_NONE = "\n\n目前没有可以标记的期限。"
DONE_MENU_UNDO = "\n\n标记错了，点“撤销已办”恢复提醒。"
MARKED_DONE = "✅ 已将“{rule}”标记为已办理（{date}）"
UNMARKED_DONE = "已撤销“{rule}”的已办理标记，恢复期限提醒。"
LONG_DATE_FORMAT = "{y}年{m}月{d}日"

# --- closing -----------------------------------------------------------------------------------------------
CONFIRM_CLOSE = "<b>#{id} {name}</b>\n确定结案吗？结案后不再提醒这个案件的期限，以后可以重新打开。"
CLOSED = "已结案。"
REOPENED = "已重新打开，期限提醒恢复。"

# --- /case and /mycases ------------------------------------------------------------------------------------
CASE_USAGE = "用法：/case 案件编号，例如 /case 12。发送 /mycases 查看我的在办案件。"
MYCASES_TITLE = "<b>我的在办案件</b>（{n} 件，按最近期限排序）"
UNITCASES_TITLE = "<b>可查看的在办案件</b>（{n} 件，按最近期限排序）"
MYCASES_EMPTY = (
    "您还没有在办案件。发送 /newcase 登记一个，例如：\n<code>/newcase 某某公司超标排放案；某某公司；2026-11-20</code>"
)
UNITCASES_EMPTY = "没有可查看的在办案件。"
MYCASES_LINE = "{overdue}#{id} {name}（{party}）— {next}"
MYCASES_HANDLER = "　承办：{handler}"
MYCASES_OVERDUE = "🔴 逾期{n}项 "
MYCASES_NEXT = "下一期限：{rule} {date}（{left}）"
MYCASES_NO_NEXT = "暂无待办期限"
MYCASES_MORE = "仅显示前 {shown} 件的按钮；其他案件发送 /case 编号 查看。"
MYCASES_SCOPE_WORDS = ("本单位", "全部", "所有")
MYCASES_SCOPE_REFUSED = "只有单位管理员和管理员可以查看本单位案件。下面是您自己的在办案件。"

# --- stale buttons ----------------------------------------------------------------------------------------
BUTTON_EXPIRED = "这个按钮已失效，请发送 /mycases 或 /case 编号 重新打开案件。"
