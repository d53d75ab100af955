"""Every sentence the officer reads, in one place for review. HTML: callers escape inserted values."""

from __future__ import annotations

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
    ("help", "使用说明"),
]
ADMIN_COMMANDS = COMMANDS + [
    ("invite", "生成邀请码：/invite 单位"),
    ("units", "单位列表"),
    ("addunit", "新增单位：/addunit 名称 [上级单位]"),
    ("promote", "设为单位管理员：/promote 用户ID"),
    ("orgdates", "本单位报送日期：查看和调整"),
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
ROLE_NAMES = {"admin": "总队管理员", "unit_admin": "单位管理员", "officer": "执法队员"}
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
PROMOTE_USAGE = "用法：/promote 用户ID（对方可发送 /start 查看自己的ID）"
PROMOTED = "已将 {name}（{id}）设为{role}。"
YOUR_ID = "您的用户ID：<code>{id}</code>"

ERRORS = {
    "not_allowed": "您没有这项操作的权限。",
    "invite_not_found": "邀请码无效，请核对后重试，或向单位管理员重新索取。",
    "invite_expired": "邀请码已过期，请向单位管理员重新索取。",
    "invite_used": "该邀请码已被使用，请向单位管理员重新索取。",
    "already_registered": "您已经注册过了，直接发问题即可。",
    "unit_not_found": "找不到单位“{name}”。发送 /units 查看单位列表。",
    "unit_exists": "单位“{name}”已存在。",
    "user_not_found": "找不到该用户，请确认对方已注册。",
    "case_not_found": "找不到案件 #{id}（或您无权查看）。请核对案件编号。",
    "case_closed": "案件 #{id} 已结案，不能再修改。如需继续办理，请先重新打开案件。",
    "bad_event_date": "日期有误：{reason}",
    "bad_case_input": "{reason}",
    "error": "操作未能完成，请稍后再试。",
}

# --- answers -----------------------------------------------------------------------------------------
STATUS_REPEALED_BY_CODE = "已废止（{date} 起由《生态环境法典》替代）"
EFFECTIVE = "{date} 起施行"
NOTE = "⚠️ 说明：{note}"
PENALTY_LINE = "💰 罚则：{text}"
SUCCESSOR_LINE = "➡️ 法典对应：{text}"
EXEMPTION_LINE = "🟢 免罚清单：{text}"
CASE_LINE = "📂 典型案例：{text}（/cases 查看更多）"
PAGE = "第 {n}/{total} 条结果"
TRUNCATED = "……（条文较长，已截取前部分，点“全文”查看完整内容）"
FULL_TEXT_PART = "（{i}/{n}）"
NO_RESULTS = "没有找到相关条文。可以换个说法，或直接引用条文，如：大气法99条"
LAW_USAGE = "用法：/law 条文引用，例如 /law 大气法99条、/law 处罚法第三十三条"
RELATED_TITLE = "<b>{title} 的相关条文</b>"
RELATED_NONE = "没有找到相关条文。"
RESULTS_EXPIRED = "这条结果已过期，请重新提问。"
ARTICLE_GONE = "找不到该条文，可能条文库已更新，请重新提问。"
SEARCH_UNAVAILABLE = "条文库正在加载，请稍后再试。"

BUTTON_MORE = "更多结果"
BUTTON_PREV = "上一条"
BUTTON_FULL = "全文"
BUTTON_RELATED = "相关条文"

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
SOMETHING_WRONG = "抱歉，处理时出了点问题，已记录。请稍后再试。"
UNKNOWN_COMMAND = "不认识这个命令。发送 /help 查看使用说明。"
NO_TOKEN = "未设置 LAWBOT_TOKEN，无法连接 Telegram；可用 `lawbot console` 在本机离线对话。"
