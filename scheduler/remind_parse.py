"""Personal reminder times written in Chinese, relative to `now` (Asia/Shanghai).

    parse_reminder("明天上午9点 报送简报", now) -> ParsedReminder(due, recurrence, text)
                                              |  ReminderParseError(message)   (never raises)

Understood: 10分钟后 / 半小时后 / 2小时后 / 3天后 [时间]; 今天 今晚 明天 明早 后天 大后天 [时间];
周一…周日 / 星期X / 下周X / 下下周X [时间]; 12月1日、1号、2026-12-01、2026/12/1、2026年12月1日 [时间];
recurring 每天 / 每个工作日 / 每周X / 每月N日 / 每年M月D日 [时间]. A time is 9点、9点半、9点15分、
9:30、十点一刻、下午3点半、晚上8点…; a day without a time means 9:00.
"""

from __future__ import annotations

import calendar as _stdcal
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from scheduler.calendar import WorkCalendar, default_calendar

TZ = ZoneInfo("Asia/Shanghai")
DEFAULT_TIME = time(9, 0)
MAX_AHEAD_DAYS = 366 * 5

EXAMPLES = (
    "明天上午9点 报送简报",
    "10分钟后 回电话",
    "3天后 复查某公司整改情况",
    "下周一 14:00 案审会",
    "今晚8点 整理笔录",
    "后天下午3点半 听证",
    "12月1日 9:00 报送月报",
    "2026-12-01 09:00 提交自评",
    "每月3日 9:00 报送上月数据",
    "每个工作日 8:30 查看待办",
)
HELP = "可以这样写：\n" + "\n".join(f"· {e}" for e in EXAMPLES)

WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6, "末": 5}
NUM = r"[0-9零〇一二两三四五六七八九十]+"
_CN = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def _num(text: str) -> int:
    """Arabic or Chinese numerals up to 99 (三, 十二, 二十五, 两)."""
    if text.isdigit():
        return int(text)
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (_CN[tens] if tens else 1) * 10 + (_CN[ones] if ones else 0)
    return int("".join(str(_CN[c]) for c in text))


# --- results ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Recurrence:
    """A repeating reminder. kind: daily | workdays | weekly | monthly | yearly."""

    kind: str
    at: time
    weekday: int | None = None  # weekly: 0 = Monday
    day: int | None = None  # monthly / yearly; a day missing from a month means its last day
    month: int | None = None  # yearly

    def describe(self) -> str:
        hm = self.at.strftime("%H:%M")
        if self.kind == "daily":
            return f"每天 {hm}"
        if self.kind == "workdays":
            return f"每个工作日 {hm}"
        if self.kind == "weekly":
            return f"每周{'一二三四五六日'[self.weekday or 0]} {hm}"
        if self.kind == "monthly":
            return f"每月{self.day}日 {hm}"
        return f"每年{self.month}月{self.day}日 {hm}"

    def to_spec(self) -> str:
        """Compact text for storage: monthly:3@09:00, weekly:0@14:00, yearly:11-20@09:00, daily@08:30."""
        arg = {"weekly": self.weekday, "monthly": self.day}.get(self.kind)
        if self.kind == "yearly":
            arg = f"{self.month}-{self.day}"
        return f"{self.kind}{'' if arg is None else f':{arg}'}@{self.at.strftime('%H:%M')}"

    @classmethod
    def from_spec(cls, spec: str) -> Recurrence:
        head, _, hm = spec.partition("@")
        kind, _, arg = head.partition(":")
        at = time.fromisoformat(hm)
        if kind == "weekly":
            return cls(kind, at, weekday=int(arg))
        if kind == "monthly":
            return cls(kind, at, day=int(arg))
        if kind == "yearly":
            m, d = arg.split("-")
            return cls(kind, at, day=int(d), month=int(m))
        if kind in ("daily", "workdays"):
            return cls(kind, at)
        raise ValueError(f"unknown recurrence {spec!r}")

    def next_after(self, after: datetime, calendar: WorkCalendar | None = None) -> datetime:
        """The first occurrence strictly after `after` (Asia/Shanghai)."""
        after = _local(after)
        cal = calendar or default_calendar()
        cal = WorkCalendar(cal.extra_holidays, cal.extra_workdays, cal.extra_years, fallback=True)
        day = after.date()
        for _ in range(800):  # enough for a yearly rule on 29 Feb
            if self._matches(day, cal):
                moment = datetime.combine(day, self.at, TZ)
                if moment > after:
                    return moment
            day += timedelta(days=1)
        raise ValueError("no occurrence found")  # unreachable for valid rules

    def _matches(self, day: date, cal: WorkCalendar) -> bool:
        if self.kind == "daily":
            return True
        if self.kind == "workdays":
            return cal.is_workday(day)
        if self.kind == "weekly":
            return day.weekday() == self.weekday
        last = _stdcal.monthrange(day.year, day.month)[1]
        dom = min(self.day or 1, last)
        if self.kind == "monthly":
            return day.day == dom
        return day.month == self.month and day.day == dom


@dataclass(frozen=True)
class ParsedReminder:
    due: datetime  # aware, Asia/Shanghai
    recurrence: Recurrence | None
    text: str

    ok = True


@dataclass(frozen=True)
class ReminderParseError:
    message: str  # Chinese, for the officer, with examples

    ok = False


class _Fail(Exception):
    """Internal: a message for the officer."""


def _local(moment: datetime) -> datetime:
    return moment.replace(tzinfo=TZ) if moment.tzinfo is None else moment.astimezone(TZ)


# --- parsing ---------------------------------------------------------------------------------------
_FULLWIDTH = str.maketrans("０１２３４５６７８９：／－．　，", "0123456789:/-. ,")
_LEAD = re.compile(r"^(?:请|麻烦)?(?:在)?")
_FILLER = re.compile(r"^[\s,，:：、。.\-—]*(?:(?:的时候|时)?(?:提醒我?|叫我|通知我|记得)[\s,，:：、]*)?")

_RELATIVE = re.compile(rf"^({NUM}|半)\s*(?:个)?\s*(半)?\s*(分钟|分|小时|钟头|天|日|周|星期|礼拜|个月|月)\s*(?:以)?后")
_EVERY = re.compile(
    rf"^每(?:(天|日)|个?工作日|(?:周|星期|礼拜)([一二三四五六日天1-7])|个?月\s*({NUM})\s*[日号]|年\s*({NUM})\s*月\s*({NUM})\s*[日号]?)"
)
_ISO_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?")
_MONTH_DAY = re.compile(rf"^({NUM})\s*月\s*({NUM})\s*[日号]?")
_DAY_ONLY = re.compile(rf"^({NUM})\s*[日号](?![后])")
_DAY_WORD = re.compile(r"^(今天|今日|今早|今晚|今夜|明天|明日|明早|明晚|后天|大后天)")
_WEEKDAY = re.compile(r"^(下下|下个?|本|这个?|这)?\s*(?:周|星期|礼拜)([一二三四五六日天末1-7])")
_PERIOD = re.compile(r"^(上午|早上|早晨|清晨|早|中午|下午|傍晚|晚上|夜里|夜间|晚|凌晨)")
# minutes attach to 点 directly and must end there (9点30 / 九点十五分), so “8点 三季度报表” keeps its text
_CLOCK = re.compile(
    rf"^({NUM})\s*(?::\s*(\d{{1,2}})|(?:点|时)(?:(半)|(一刻)|(三刻)|({NUM})(?:分|(?=[\s,，]|$))|整(?=[\s,，]|$))?)"
)

_PERIOD_OF_DAY_WORD = {"今早": "上午", "今晚": "晚上", "今夜": "晚上", "明早": "上午", "明晚": "晚上"}
_DEFAULT_HOUR = {"上午": 9, "早上": 8, "早晨": 8, "清晨": 7, "早": 8, "中午": 12, "下午": 15, "傍晚": 18,
                 "晚上": 20, "夜里": 22, "夜间": 22, "晚": 20, "凌晨": 6}


class _Cursor:
    def __init__(self, text: str):
        self.rest = text

    def take(self, pattern: re.Pattern[str]) -> re.Match[str] | None:
        m = pattern.match(self.rest)
        if m:
            self.rest = self.rest[m.end():].lstrip()
        return m


def _hour_for_period(hour: int, period: str | None) -> int:
    if period in ("下午", "傍晚", "晚上", "夜里", "夜间", "晚") and hour < 12:
        return hour + 12
    if period == "中午" and hour < 6:
        return hour + 12
    if period == "凌晨" and hour == 12:
        return 0
    return hour


def _clock(cur: _Cursor, period: str | None) -> tuple[time | None, bool]:
    """(time of day, whether an explicit period word or 24-hour clock fixed am/pm)."""
    m = cur.take(_PERIOD)
    if m:
        period = m.group(1)
    c = cur.take(_CLOCK)
    if not c:
        return (time(_DEFAULT_HOUR[period], 0), True) if period else (None, False)
    hour = _num(c.group(1))
    minute = 0
    if c.group(2):
        minute = int(c.group(2))
    elif c.group(3):
        minute = 30
    elif c.group(4):
        minute = 15
    elif c.group(5):
        minute = 45
    elif c.group(6):
        minute = _num(c.group(6))
    if hour > 24 or minute > 59 or (hour == 24 and minute):
        raise _Fail(f"时间不对：{c.group(0).strip()}。")
    hour = 0 if hour == 24 else _hour_for_period(hour, period)
    # 9:30 reads as a 24-hour clock; a bare 9点 may still mean the evening
    return time(hour, minute), bool(period) or bool(c.group(2)) or hour >= 13 or hour == 0


def _make_date(year: int, month: int, day: int, shown: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise _Fail(f"日期不存在：{shown}。") from None


def _weekday(token: str) -> int:
    return int(token) - 1 if token.isdigit() else WEEKDAYS[token]


def _parse(raw: str, now: datetime) -> ParsedReminder:
    text = raw.translate(_FULLWIDTH).strip()
    text = re.sub(r"^(?:/remind(?:@\w+)?\s*)?(?:提醒我|提醒)?", "", text).strip()
    if not text:
        raise _Fail("请写上提醒时间和内容。")
    cur = _Cursor(_LEAD.sub("", text, count=1))
    today = now.date()

    # 1. relative: 10分钟后, 半小时后, 3天后 [时间]
    m = cur.take(_RELATIVE)
    if m:
        amount = 0.5 if m.group(1) == "半" else _num(m.group(1)) + (0.5 if m.group(2) else 0)
        unit = m.group(3)
        if amount <= 0:
            raise _Fail("时间间隔要大于零。")
        if unit in ("分钟", "分"):
            return _finish(now + timedelta(minutes=amount), None, cur, now)
        if unit in ("小时", "钟头"):
            return _finish(now + timedelta(hours=amount), None, cur, now)
        days = int(amount * {"天": 1, "日": 1, "周": 7, "星期": 7, "礼拜": 7}.get(unit, 0))
        if unit in ("个月", "月"):
            target = _add_months(today, int(amount))
        else:
            target = today + timedelta(days=days)
        at, _ = _clock(cur, None)
        moment = datetime.combine(target, at, TZ) if at else now + (datetime.combine(target, now.time(), TZ) - datetime.combine(today, now.time(), TZ))
        return _finish(moment, None, cur, now)

    # 2. recurring: 每天 / 每个工作日 / 每周X / 每月N日 / 每年M月D日
    m = cur.take(_EVERY)
    if m:
        at, _ = _clock(cur, None)
        at = at or DEFAULT_TIME
        if m.group(1):
            rec = Recurrence("daily", at)
        elif m.group(2):
            rec = Recurrence("weekly", at, weekday=_weekday(m.group(2)))
        elif m.group(3):
            day = _num(m.group(3))
            if not 1 <= day <= 31:
                raise _Fail(f"每月没有{day}日。")
            rec = Recurrence("monthly", at, day=day)
        elif m.group(4):
            month, day = _num(m.group(4)), _num(m.group(5))
            _make_date(2024, month, day, f"{month}月{day}日")  # 2024: a leap year, so 2月29日 is accepted
            rec = Recurrence("yearly", at, day=day, month=month)
        else:
            rec = Recurrence("workdays", at)
        return _finish(rec.next_after(now), rec, cur, now)

    # 3. a day: explicit date, day word or weekday; then a time of day
    day: date | None = None
    period: str | None = None
    roll_year = roll_month = roll_week = False
    if m := cur.take(_ISO_DATE):
        day = _make_date(int(m.group(1)), int(m.group(2)), int(m.group(3)), m.group(0).strip())
    elif m := cur.take(_MONTH_DAY):
        month, dom = _num(m.group(1)), _num(m.group(2))
        if not 1 <= month <= 12:
            raise _Fail(f"日期不存在：{m.group(0).strip()}。")
        day = _make_date(today.year, month, dom, m.group(0).strip()) if (month, dom) != (2, 29) else None
        if day is None:  # 2月29日: the next leap year's
            year = today.year
            while not _stdcal.isleap(year) or date(year, 2, 29) < today:
                year += 1
            day = date(year, 2, 29)
        roll_year = True
    elif m := cur.take(_DAY_ONLY):
        dom = _num(m.group(1))
        if not 1 <= dom <= 31:
            raise _Fail(f"日期不存在：{m.group(0).strip()}。")
        day, roll_month = _day_of_month(today, dom), True
    elif m := cur.take(_DAY_WORD):
        word = m.group(1)
        offset = {"明": 1, "后": 2, "大": 3}.get(word[0], 0)
        day = today + timedelta(days=offset)
        period = _PERIOD_OF_DAY_WORD.get(word)
    elif m := cur.take(_WEEKDAY):
        prefix, wd = m.group(1) or "", m.group(2)
        target = _weekday(wd)
        monday = today - timedelta(days=today.weekday())
        weeks = 2 if prefix.startswith("下下") else 1 if prefix.startswith("下") else 0
        day = monday + timedelta(days=7 * weeks + target)
        roll_week = not prefix  # bare 周三: the coming one
        if prefix and day < today:
            raise _Fail(f"{m.group(0).strip()}已经过去了。")

    at, fixed = _clock(cur, period)
    if day is None and at is None:
        raise _Fail("没看懂提醒时间。")
    if day is None:  # only a time: today, or the evening / tomorrow when it has passed
        day = today
        moment = datetime.combine(day, at, TZ)
        if moment <= now and not fixed and at.hour < 12:
            moment += timedelta(hours=12)
        if moment <= now:
            moment = datetime.combine(today + timedelta(days=1), at, TZ)
        return _finish(moment, None, cur, now)
    moment = datetime.combine(day, at or DEFAULT_TIME, TZ)
    if moment <= now:
        if roll_week:
            moment += timedelta(days=7)
        elif roll_month:
            moment = datetime.combine(_day_of_month(_add_months(today.replace(day=1), 1), day.day), moment.time(), TZ)
        elif roll_year:
            moment = datetime.combine(_make_date(day.year + 1, day.month, day.day, ""), moment.time(), TZ)
    return _finish(moment, None, cur, now)


def _day_of_month(month_start: date, dom: int) -> date:
    last = _stdcal.monthrange(month_start.year, month_start.month)[1]
    if dom > last:
        raise _Fail(f"{month_start.month}月没有{dom}日。")
    return month_start.replace(day=dom)


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, _stdcal.monthrange(year, month + 1)[1]))


def _finish(moment: datetime, rec: Recurrence | None, cur: _Cursor, now: datetime) -> ParsedReminder:
    text = _FILLER.sub("", cur.rest, count=1).strip()
    if not text:
        raise _Fail("请在时间后面写上提醒内容，例如：明天上午9点 报送简报。")
    if len(text) > 500:
        raise _Fail("提醒内容太长了，请控制在500字以内。")
    moment = _local(moment).replace(second=0, microsecond=0) if rec is None else moment
    if moment <= now:
        raise _Fail(f"这个时间已经过去了（{moment:%Y-%m-%d %H:%M}）。")
    if (moment - now).days > MAX_AHEAD_DAYS:
        raise _Fail("提醒时间太远了（最多五年以内）。")
    return ParsedReminder(moment, rec, text)


def parse_reminder(text: str, now: datetime) -> ParsedReminder | ReminderParseError:
    """Parse a reminder; bad input gives a ReminderParseError with a Chinese message and examples."""
    now = _local(now)
    try:
        return _parse(text or "", now)
    except _Fail as exc:
        return ReminderParseError(f"{exc}\n{HELP}")
    except (ValueError, KeyError, OverflowError):  # anything the patterns let through: still a message
        return ReminderParseError(f"没看懂提醒时间。\n{HELP}")
