"""Every sentence the officer reads in chat, in one place for review (the handlers' texts).

HTML: callers escape the values they insert with bot.render.esc. General texts are module-level; each
feature's own are in a namespace class (`from handlers.texts import case as t` → `t.ASK_NAME`). Texts the
bot core renders (answer cards, 免罚清单 and typical-case cards) are in bot/texts.py, texts the domain
services write (reasons, reminder bodies) in scheduler/texts.py. `ERRORS` turns a ServiceError's key into
a sentence (handlers.common.error_text is the one lookup).
"""

from __future__ import annotations

from bot.texts import BUTTON_MORE, BUTTON_PREV, PAGE  # shared with the answer cards  # noqa: F401

# --- commands (menu shown by Telegram) -------------------------------------------------------------
COMMANDS = [
    ("start", "开始 / 注册"),
    ("law", "查条文，如 /law 大气法99条"),
    ("exempt", "免罚清单：能不能不予处罚，如 /exempt 危废标识没贴 首次"),
    ("cases", "典型案例：/cases 关键词、标签或地区"),
    ("remind", "设置提醒，如 /remind 明天上午9点 报送简报"),
    ("reminders", "我的提醒（/unremind 编号 取消）"),
    ("newcase", "登记案件，跟踪办案期限"),
    ("mycases", "我的在办案件（按最近期限排序）"),
    ("quiz", "每日练习：来一组题"),
    ("rank", "练习排名（本周、本月）"),
    ("stats", "填报月度执法统计（默认上月）"),
    ("report", "统计简报：/report 2026-10"),
    ("check", "核验处罚决定书、告知书（发送 Word/PDF 或拍照）"),
    ("help", "使用说明"),
]
ADMIN_COMMANDS = COMMANDS + [
    ("invite", "生成邀请码：/invite 单位"),
    ("invites", "未使用的邀请码：查看和撤销"),
    ("units", "单位列表"),
    ("addunit", "新增单位：/addunit 名称 [上级单位]"),
    ("promote", "设为单位管理员：/promote 用户ID"),
    ("orgdates", "本单位报送日期：查看和调整"),
    ("quiztime", "本单位每日练习推送时间：/quiztime 08:30"),
    ("stats_status", "各单位统计报送情况"),
]
# --- registration ------------------------------------------------------------------------------------
WELCOME = (
    "您好，{name}！我是<b>执法助手</b>。\n"
    "直接发问题即可，例如：\n"
    "• 大气法99条\n• 危废没贴标签怎么罚\n• 首违能不能不罚\n"
    "也可以在任意聊天中输入 @{bot} 加条文引用。"
)
WELCOME_BACK = "您已注册（{unit}，{role}）。直接发问题即可。"
REGISTER_FIRST = (
    "本助手仅供生态环境执法人员使用。\n"
    "请向本单位管理员索取邀请码，然后发送：<code>/start 邀请码</code>"
)
REGISTERED = "注册成功！您已加入<b>{unit}</b>（{role}）。\n\n直接发问题即可，例如：大气法99条"
ROLE_NAMES = {"admin": "总队管理员", "unit_admin": "单位管理员", "supervisor": "督查员", "officer": "执法队员"}
# the words after /invite 单位 … or /promote 用户ID … that name a role
ROLE_WORDS = {"管理员": "unit_admin", "单位管理员": "unit_admin", "督查": "supervisor", "督查员": "supervisor",
              "法制审核": "supervisor", "队员": "officer", "执法队员": "officer"}
NO_UNIT = "未分配单位"
HELP = (
    "<b>使用说明</b>\n"
    "• 引用条文：大气法99条、《大气污染防治法》第九十九条第二项、法典第1107条\n"
    "• 描述情形：危废没贴标签怎么罚、听证几天内申请\n"
    "• 结果下方按钮：更多结果 / 全文 / 相关条文\n"
    "• /exempt 描述情形：查免罚清单，逐项确认能否不予处罚\n"
    "• /cases 关键词、标签或地区：典型案例\n"
    "• /newcase 登记案件（名称；当事人；立案日期），记录送达、决定等事件后自动计算办案期限并按时提醒\n"
    "• /mycases 我的在办案件（按最近期限排序；单位管理员可用 /mycases 本单位）\n"
    "• /remind 明天上午9点 报送简报：设置提醒（也可写 10分钟后、下周一 14:00、每月3日 9:00）；/reminders 查看和取消\n"
    "• /orgdates 本单位报送日期（月报、简报、年度自评），单位管理员可调整\n"
    "• /quiz 每日练习（工作日早上自动推送，/quiz_off 关闭、/quiz_on 开启）；/rank 本周、本月排名\n"
    "• /check 核验决定书或告知书：直接发送 Word、PDF、文本文件或页面照片（可多张）\n"
    "• /stats 填报上月执法统计（逐项填，或一次粘贴多行“名称 数值”）；/report 2026-10 统计简报、Excel 和图表\n"
    "• 在其他聊天中输入 @{bot} 大气法99 可直接转发条文"
)
# --- invites, units, roles -------------------------------------------------------------------------------
INVITE_CHOOSE_UNIT = "请选择邀请码所属单位："
INVITE_NO_UNITS = "还没有可选的单位。管理员请先用 /addunit 名称 [上级单位] 新增单位。"
INVITE_CREATED = (
    "邀请码：<code>{code}</code>\n单位：{unit}\n身份：{role}\n有效期至：{expires}\n\n"
    "请对方点击链接注册：{link}\n或向机器人发送：<code>/start {code}</code>"
)
UNITS_TITLE = "<b>单位列表</b>"
UNITS_EMPTY = "还没有单位。用 /addunit 名称 [上级单位] 新增。"
UNIT_CREATED = "已新增单位：{unit}"
ADDUNIT_USAGE = "用法：/addunit 名称 [上级单位]，例如 /addunit 江门市生态环境局蓬江分局 江门市生态环境保护综合执法支队"
PROMOTE_USAGE = ("用法：/promote 用户ID [单位管理员|督查员|队员]，不写身份即设为单位管理员"
                 "（对方可发送 /start 查看自己的ID）")
INVITES_TITLE = "<b>未使用的邀请码</b>（点按钮撤销，撤销后立即失效）"
INVITES_LINE = "• <code>{code}</code> {unit}，{role}，有效期至 {expires}"
INVITES_NONE = "没有未使用的邀请码。发送 /invite 单位 生成新的邀请码。"
INVITE_REVOKE_BUTTON = "撤销 {code}"
INVITE_REVOKED = "已撤销邀请码 <code>{code}</code>（{unit}），该码不能再用于注册。"
REVOKE_USAGE = "用法：/revoke 邀请码，或发送 /invites 点按钮撤销。"
PROMOTED = "已将 {name}（{id}）设为{role}。"
YOUR_ID = "您的用户ID：<code>{id}</code>"
ERRORS = {
    "not_allowed": "您没有这项操作的权限。",
    "invite_not_found": "邀请码无效，请核对后重试，或向单位管理员重新索取。",
    "invite_expired": "邀请码已过期，请向单位管理员重新索取。",
    "invite_used": "该邀请码已被使用，请向单位管理员重新索取。",
    "invite_revoked": "该邀请码已被撤销，请向单位管理员重新索取。",
    "already_registered": "您已经注册过了，直接发问题即可。",
    "unit_not_found": "找不到单位“{name}”。发送 /units 查看单位列表。",
    "unit_exists": "单位“{name}”已存在。",
    "user_not_found": "找不到该用户，请确认对方已注册。",
    "case_not_found": "找不到案件 #{id}（或您无权查看）。请核对案件编号。",
    "case_closed": "案件 #{id} 已结案，不能再修改。如需继续办理，请先重新打开案件。",
    "bad_event_date": "日期有误：{reason}",
    "bad_case_input": "{reason}",
    "org_unknown_item": "没有编号为 {n} 的报送事项。发送 /orgdates 查看编号，例如：/orgdate 1 5",
    "org_bad_day": "日期应在 1–31 之间，例如：/orgdate 1 5",
    "org_bad_month": "月份应在 1–12 之间，例如：/orgdate 3 11-20",
    "org_bad_month_day": "{month}月没有{day}日，例如：/orgdate 3 11-20",
    "org_monthly_no_month": "“{name}”每月报送，只写日即可，例如：/orgdate {n} 5",
    "quiz_bad_time": "时间格式不对：“{text}”。请写成 08:30 这样的时:分。",
    "stats_no_unit": "您还没有分配单位，不能填报或查看本单位统计。管理员请写明单位，如 /stats 2026-10 蓬江大队、"
                     "/report 2026-10 江门支队；其他同志请联系管理员分配单位。",
    "stats_no_draft": "没有正在填写的统计表，请发送 /stats 开始。",
    "stats_locked": "已过报送截止日（{deadline}），已报送的数据只有本单位或上级单位管理员可以更正（记入审计日志）。",
    "stats_bad_month": "{month}还没有结束，不能填报。请填已经过去的月份，如 /stats（上月）。",
    "error": "操作未能完成，请稍后再试。",
}
NO_RESULTS = "没有找到相关条文。可以换个说法，或直接引用条文，如：大气法99条"
LAW_USAGE = "用法：/law 条文引用，例如 /law 大气法99条、/law 处罚法第三十三条"
RESULTS_EXPIRED = "这条结果已过期，请重新提问。"
ARTICLE_GONE = "找不到该条文，可能条文库已更新，请重新提问。"
SEARCH_UNAVAILABLE = "条文库正在加载，请稍后再试。"
INLINE_REGISTER = "先注册才能使用"
INLINE_EMPTY = "没有找到，试试：大气法99"
# --- /exempt (免罚清单) and /cases (典型案例) ------------------------------------------------------------
EXEMPT_ASK = (
    "请用一句话描述违法情形，我来查免罚清单，例如：\n"
    "• 危废标识没贴，首次被查\n• 在线监测掉线没报告\n• 堆场没苫盖起尘\n"
    "直接发送描述即可，或点下方示例。"
)
EXEMPT_EXAMPLES = ["危废标识没贴 首次", "在线监测掉线", "堆场没苫盖起尘"]
EXEMPT_RESULTS = "<b>可能适用的免罚清单项</b>（{query}）：\n选中后逐项确认条件，得出能否不予处罚。"
EXEMPT_NONE = "免罚清单里没有找到与“{query}”相符的条目。可以换个说法，例如：危废标识没贴 首次。"
EXEMPT_PICK = "选择此项 {n}"
EXEMPT_EXPIRED = "这一步已过期，请重新发送 /exempt。"
EXEMPT_CANCELLED = "已取消。需要时再发送 /exempt。"
BUTTON_YES = "是"
BUTTON_NO = "否"
BUTTON_BACK = "上一步"
BUTTON_CANCEL = "取消"
BUTTON_ITEM = "清单原文"
CASES_TAGS = "<b>典型案例</b>（共 {n} 件）\n点标签查看，或发送 /cases 关键词、标签或地区，例如 /cases 危废、/cases 珠海。"
CASES_TITLE = "<b>典型案例：{query}</b>（{n} 件）"
CASES_NONE = "没有找到与“{query}”相关的典型案例。发送 /cases 查看全部标签。"
CASES_GONE = "找不到这个案例，可能案例库已更新。"
CASES_PAGE = "第 {page}/{pages} 页"
CASE_OPEN = "{n}. {title}"
# --- limits and faults ---------------------------------------------------------------------------------
RATE_LIMITED = "您发送得太快了，请稍等一分钟再试。"
BUTTON_UNKNOWN = "这个按钮已失效，请重新查询或重新发送命令。"
DATABASE_BUSY = "系统繁忙（数据库暂时无法访问），刚才的操作没有完成。请过一会儿再发一次。"
SOMETHING_WRONG = "抱歉，处理时出了点问题，已记录。请稍后再试。"
UNKNOWN_COMMAND = "不认识这个命令。发送 /help 查看使用说明。"


class case:  # /newcase dialog, case cards, /event, /mycases, 标记已办
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


class org:  # /orgdates, /orgdate
    RULE_MONTHLY = "每月{day}日前报送"
    RULE_YEARLY = "每年{month}月{day}日前报送"
    MONTH_END_NOTE = "（小月为月末）"
    NOTIFY = {"unit_admins": "本单位管理员（内勤）", "members": "本单位全体人员"}
    REMIND_BEFORE = "截止前{days}"  # days: "3天、1天"
    REMIND_SAME_DAY = "当天"
    REMIND_JOIN = "和"
    REMIND_SUFFIX = "提醒"
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


class reminders:  # /remind, /reminders, /unremind, snooze buttons
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
    SNOOZED = "💤 已推迟，将在 {when} 再次提醒。"
    SNOOZE_GONE = "这条提醒已无法推迟。"
    CANCEL_BUTTON = "取消 {id}"



class quiz:  # /quiz, /quiz_on, /quiz_off, /quiztime, /rank
    STARTED = "📝 开始练习：共 {n} 题，每题 {minutes} 分钟内作答。答完一题自动出下一题。"
    BUSY = "上一组练习还没做完：请先回答上面的题目（超时未答的会自动跳过），或者结束这一组重新开始。"
    BUTTON_RESTART = "结束这一组，重新开始"
    RESTARTED = "已结束上一组（未答的题不计分）。\n"
    NO_QUESTIONS = "题库正在加载，请稍后再试。"
    ON = "已开启每日练习推送：{when}，每次 {n} 题。关闭：/quiz_off"
    OFF = "已关闭每日练习推送。随时可以发送 /quiz 自己练习；重新开启：/quiz_on"
    SCHEDULE = "<b>{unit} · 每日练习推送</b>\n{state}\n修改：/quiztime 08:30、/quiztime 08:30 每天、/quiztime 关闭 | 开启 | 默认"
    SCHEDULE_ON = "每{days} {time} 推送（{source}）"
    SCHEDULE_OFF = "已关闭推送（本单位设置）"
    SOURCE_DEFAULT = "默认设置"
    SOURCE_UNIT = "本单位设置"
    DAYS_WORKDAYS = "个工作日"
    DAYS_DAILY = "天"
    SCHEDULE_CHANGED = "已修改：{unit}每{days} {time} 推送每日练习。"
    SCHEDULE_DISABLED = "已关闭：{unit}不再推送每日练习（成员仍可发送 /quiz 自己练习）。"
    SCHEDULE_RESET = "已恢复默认：{unit}每{days} {time} 推送。"
    USAGE = "用法：/quiztime 08:30（工作日）、/quiztime 08:30 每天、/quiztime 关闭、/quiztime 开启、/quiztime 默认；管理员可在最后写单位名称。"
    OFFICERS_REFUSED = "每日练习的推送时间由本单位管理员（内勤）设置。不想收推送，发送 /quiz_off 即可。"
    NEED_UNIT = "请在命令后写上单位名称，例如：/quiztime 08:30 一大队（发送 /units 查看单位列表）。"
    UNIT_NOT_FOUND = "找不到单位“{name}”。发送 /units 查看单位列表。"
    RANK_TITLE = "<b>练习排名</b>（{period}：{start}起）"
    RANK_WEEK = "本周"
    RANK_MONTH = "本月"
    RANK_ME = "我：答对 {right} 题，正确率 {accuracy}，本单位第 {rank}/{of} 名"
    RANK_ME_NONE = "我：{period}还没有答题。发送 /quiz 开始练习。"
    RANK_TOP = "<b>{unit} 前{n}名</b>"
    RANK_PERSON = "{rank}. {name}　答对 {right} 题（正确率 {accuracy}）"
    RANK_UNITS = "<b>{tree} 各单位</b>（参与率×正确率）"
    RANK_UNIT = "{rank}. {unit}　{score}（{active}/{members} 人参与，正确率 {accuracy}）"
    RANK_NO_UNIT = "您还没有分配单位，只显示个人成绩。"
    BUTTON_AGAIN = "再来一组"


class stats:  # /stats, /stats_status, /report
    FIELD = "<b>{unit} · {month}执法统计</b>（第{n}/{total}项）\n请填写<b>{name}</b>（{unit_name}）：{current}\n\n也可以一次粘贴多行“名称 数值”，如：\n<code>批次 12\n人次 30\n罚款金额 3.5万</code>"
    CURRENT = "已填 {value}"
    EMPTY_NOW = "尚未填写"
    PROBLEM = "⚠️ {problem}"
    PASTED = "已填入 {n} 项。"
    CONFIRM_TITLE = "<b>{unit} · {month}执法统计</b>（请核对后提交）"
    CONFIRM_LINE = "{name}：{value}"
    CONFIRM_WARNINGS = "⚠️ <b>请核对</b>："
    CONFIRM_DEADLINE = "报送截止：{date}{late}"
    CONFIRM_LATE = "（已过截止日：首次报送照常接收并记为逾期；已报送的数据只能由管理员更正，记入审计日志）"
    CONFIRM_CHANGE = "本月已报送过，提交后将覆盖原数据（第{revision}次报送）。"
    SUBMITTED = "✅ 已提交{unit}{month}执法统计（第{revision}次报送）。查看：/report {period}"
    SUBMITTED_LATE = "✅ 已提交{unit}{month}执法统计（第{revision}次报送，已过截止日，记入审计日志）。"
    CANCELLED = "已取消，本次填写未提交。需要时再发送 /stats。"
    EXPIRED = "这张表已经不是当前的填写内容了，请重新发送 /stats。"
    AT_CONFIRM = "已填写完毕，请点“确认提交”；要改哪一项，可以直接发送“名称 数值”，或点“上一项”。"
    BUTTON_ZERO = "0"
    BUTTON_SKIP = "跳过"
    BUTTON_BACK = "上一项"
    BUTTON_CANCEL = "取消"
    BUTTON_SUBMIT = "确认提交"
    BUTTON_SUBMIT_ANYWAY = "确认无误，提交"
    USAGE = ("用法：/stats（上月）或 /stats 2026-10；/report（上月）、/report 2026-10 或 /report 2026-01..2026-10，"
             "后面可写单位；/stats_status 2026-10")
    STATUS_TITLE = "<b>{month}执法统计报送情况</b>（截止{date}）"
    STATUS_DONE = "✅ {unit}（{when}{late}）"
    STATUS_LATE = "，逾期报送"
    STATUS_MISSING = "❌ {unit}{deadline}"
    STATUS_DEADLINES_DIFFER = "各单位不同"
    STATUS_OWN_DEADLINE = "（截止{date}）"
    STATUS_COUNT = "{k}/{n} 个单位已报送"
    REPORT_INDICATORS = "<b>考核指标</b>（本年累计对比去年全年）"
    REPORT_INDICATOR = "{unit}：处罚案件 {decisions}/{last}（{met}）；四个配套办法 {four}/{four_last}（{four_met}）；未破零：{zero}"
    MET = "达标"
    NOT_MET = "未达标"
    NONE_ZERO = "无"
    REPORT_QUIZ = "<b>每日练习</b>：{lines}"
    REPORT_QUIZ_LINE = "{unit} 参与{active}/{members}人、正确率{accuracy}"
    NO_FONT = "（本机没有中文字体，只发送 Excel 表，不附图表。安装说明见 README。）"
    NO_UNITS = "（范围内还没有单位：先用 /addunit 建立单位并邀请人员。）"
    REPORT_CAPTION = "{scope} · {period}"


class check:  # documents and photos sent for 案卷核验, /check
    PROMPT = ("请发送要核验的处罚决定书或事先告知书：Word（.docx）、PDF、文本文件，或把纸质页面拍照发送（多页可一次选多张）。"
              "文件只在核验时读取，核验后即删除。")
    READING = "📄 正在读取《{name}》并核验……"
    READING_PHOTOS = "📷 正在识别 {pages} 页照片并核验，每页约需几秒……"
    HEADER = "🔎 核验结果（{source}）"
    SOURCE_PHOTOS = "{pages} 页照片，识别用时 {seconds:.0f} 秒"
    CLEAN = ("✅ 未发现问题：引用的条文都存在，适用法律与违法行为发生时间相符，罚款在所引条文的法定幅度内，"
             "写明的复议、诉讼、听证期限与法律规定一致。")
    COUNT = "发现 {errors} 处错误、{hints} 条提示："
    FINDING = "{n}. {icon} {severity}：{message}"
    SENTENCE = "   原文：“{sentence}”"
    ARTICLE = "   所涉条文：{cite}"
    NOTE = "核验依据本库收录的法律文本，结论供法制审核参考，请对照原文确认。"
    TEXT_BUTTON = "🔤 查看识别文字"
    TEXT_EXPIRED = "识别文字已过期，请重新发送照片。"
    TEXT_HEADER = "识别出的文字（第 {part}/{parts} 段）：\n"
    FAILED = "核验时出错，请稍后再试，或改发 Word/PDF 文件。"
