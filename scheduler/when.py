"""Days and times as officers type them: one grammar for personal reminders (scheduler/remind_parse.py) and
for the dates of case events (`parse_case_date`).

Days: 2026-12-01 · 2026/12/1 · 2026.12.1 · 2026年12月1日 · 20261201 · 12月1日 / 十二月一日 · 12-1 · 12/1 · 3号 ·
今天 今早 今晚 明天 明早 明晚 后天 大后天 昨天 昨晚 前天 大前天 · 周三 / 星期三 / 礼拜三 with 本 这 下 下下 上 上上.
Times: 9点 · 9点半 · 9点15分 · 十点一刻 · 9:30 · 14时, with 上午 下午 中午 晚上 凌晨 …; 晚上12点 (and 24点) is
midnight at the end of that day, 中午12点 is noon.

What a bare weekday, 3号 or 12月1日 means (the coming one or the last one) is the caller's choice: a reminder
looks ahead, a case event looks back; `DayRef.roll` says which kind of day it was.
"""

from __future__ import annotations

import calendar as _stdcal
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from knowledge.cnnum import cn_to_int

NUM = r"[0-9零〇一二两三四五六七八九十]+"
FULLWIDTH = str.maketrans("０１２３４５６７８９：／－．　，", "0123456789:/-. ,")
WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6, "末": 5}

DAY_WORDS = {"今天": 0, "今日": 0, "今早": 0, "今晚": 0, "今夜": 0, "明天": 1, "明日": 1, "明早": 1, "明晚": 1,
             "后天": 2, "大后天": 3, "昨天": -1, "昨日": -1, "昨晚": -1, "前天": -2, "大前天": -3}
PERIOD_OF_DAY_WORD = {"今早": "上午", "今晚": "晚上", "今夜": "晚上", "明早": "上午", "明晚": "晚上", "昨晚": "晚上"}
DEFAULT_HOUR = {"上午": 9, "早上": 8, "早晨": 8, "清晨": 7, "早": 8, "中午": 12, "下午": 15, "傍晚": 18,
                "晚上": 20, "夜里": 22, "夜间": 22, "晚": 20, "凌晨": 6}
EVENING = ("下午", "傍晚", "晚上", "夜里", "夜间", "晚")
NIGHT = ("晚上", "夜里", "夜间", "晚")

_ISO_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?")
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})(?!\d)")
_MONTH_DAY = re.compile(rf"^({NUM})\s*月\s*({NUM})\s*[日号]?")
_SHORT_DATE = re.compile(r"^(\d{1,2})\s*[-/.]\s*(\d{1,2})(?![\d.:])\s*[日号]?")
_DAY_ONLY = re.compile(rf"^({NUM})\s*[日号](?![后])")
_DAY_WORD = re.compile("^(" + "|".join(sorted(DAY_WORDS, key=len, reverse=True)) + ")")
_WEEKDAY = re.compile(r"^(下下|下个?|上上|上个?|本|这个?|这)?\s*(?:周|星期|礼拜)([一二三四五六日天末1-7])")
_PERIOD = re.compile(r"^(上午|早上|早晨|清晨|早|中午|下午|傍晚|晚上|夜里|夜间|晚|凌晨)")
# minutes attach to 点 directly and must end there (9点30 / 九点十五分), so “8点 三季度报表” keeps its text
_CLOCK = re.compile(
    rf"^({NUM})\s*(?::\s*(\d{{1,2}})|(?:点|时)(?:(半)|(一刻)|(三刻)|({NUM})(?:分|(?=[\s,，]|$))|整(?=[\s,，]|$))?)"
)


class WhenError(ValueError):
    """A day or time that cannot be: the message says what, for the officer."""


def number(text: str) -> int:
    """Arabic or Chinese numerals (三, 十二, 二十五, 两)."""
    value = cn_to_int(text)
    if value is None:
        raise WhenError(f"看不懂数字：{text}。")
    return value


class Cursor:
    """What is left of the text; `take` consumes a match at its start (and the spaces after it)."""

    def __init__(self, text: str):
        self.rest = text

    def take(self, pattern: re.Pattern[str]) -> re.Match[str] | None:
        m = pattern.match(self.rest)
        if m:
            self.rest = self.rest[m.end():].lstrip()
        return m


@dataclass(frozen=True)
class DayRef:
    day: date
    roll: str | None = None  # week (bare 周三) | month (3号) | year (12月1日, 12-1): the caller may move it
    period: str | None = None  # 今晚 → 晚上: a part of the day the day word implies
    relative: int | None = None  # 今天 0, 明天 1, 昨天 -1 …; 上周/下周 give the weeks in `weeks`
    weeks: int | None = None
    shown: str = ""  # as written (for messages)


@dataclass(frozen=True)
class Clock:
    at: time
    next_day: bool = False  # 晚上12点 / 24点: midnight at the end of the day
    fixed: bool = False  # a period word or a 24-hour clock decided am / pm
    explicit: bool = True  # an hour was written (not only 上午)


def make_date(year: int, month: int, day: int, shown: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise WhenError(f"日期不存在：{shown}。") from None


def day_of_month(month_start: date, dom: int) -> date:
    last = _stdcal.monthrange(month_start.year, month_start.month)[1]
    if dom > last:
        raise WhenError(f"{month_start.month}月没有{dom}日。")
    return month_start.replace(day=dom)


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, _stdcal.monthrange(year, month + 1)[1]))


def weekday_number(token: str) -> int:
    return int(token) - 1 if token.isdigit() else WEEKDAYS[token]


def read_day(cur: Cursor, today: date) -> DayRef | None:
    """A day at the start of the cursor, or None (the cursor is left as it was)."""
    if m := cur.take(_ISO_DATE):
        return DayRef(make_date(int(m.group(1)), int(m.group(2)), int(m.group(3)), m.group(0).strip()))
    if m := cur.take(_COMPACT_DATE):
        return DayRef(make_date(int(m.group(1)), int(m.group(2)), int(m.group(3)), m.group(0)))
    if (m := cur.take(_MONTH_DAY)) or (m := cur.take(_SHORT_DATE)):
        month, dom = number(m.group(1)), number(m.group(2))
        if not 1 <= month <= 12:
            raise WhenError(f"日期不存在：{m.group(0).strip()}。")
        if (month, dom) == (2, 29):  # this year's, or the next leap year's
            year = today.year
            while not _stdcal.isleap(year):
                year += 1
            return DayRef(date(year, 2, 29), roll="year")
        return DayRef(make_date(today.year, month, dom, m.group(0).strip()), roll="year")
    if m := cur.take(_DAY_ONLY):
        dom = number(m.group(1))
        if not 1 <= dom <= 31:
            raise WhenError(f"日期不存在：{m.group(0).strip()}。")
        return DayRef(day_of_month(today.replace(day=1), dom), roll="month")
    if m := cur.take(_DAY_WORD):
        word = m.group(1)
        offset = DAY_WORDS[word]
        return DayRef(today + timedelta(days=offset), period=PERIOD_OF_DAY_WORD.get(word), relative=offset)
    if m := cur.take(_WEEKDAY):
        prefix, wd = m.group(1) or "", m.group(2)
        monday = today - timedelta(days=today.weekday())
        weeks = {"下下": 2, "下": 1, "上上": -2, "上": -1}.get(prefix[:2], None)
        if weeks is None:
            weeks = {"下": 1, "上": -1}.get(prefix[:1], 0)
        day = monday + timedelta(days=7 * weeks + weekday_number(wd))
        return DayRef(day, roll=None if prefix else "week", weeks=weeks, shown=m.group(0).strip())
    return None


def hour_for_period(hour: int, period: str | None) -> tuple[int, bool]:
    """(hour on the 24-hour clock, whether it is midnight at the end of the day)."""
    if hour == 24 or (hour == 12 and period in NIGHT):
        return 0, True
    if period in EVENING and hour < 12:
        return hour + 12, False
    if period == "中午" and hour < 6:
        return hour + 12, False
    if period == "凌晨" and hour == 12:
        return 0, False
    return hour, False


def read_clock(cur: Cursor, period: str | None = None) -> Clock | None:
    """A time of day at the start of the cursor (a part of the day alone gives its usual hour), or None."""
    if m := cur.take(_PERIOD):
        period = m.group(1)
    c = cur.take(_CLOCK)
    if not c:
        return Clock(time(DEFAULT_HOUR[period], 0), fixed=True, explicit=False) if period else None
    hour = number(c.group(1))
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
        minute = number(c.group(6))
    if hour > 24 or minute > 59 or (hour == 24 and minute):
        raise WhenError(f"时间不对：{c.group(0).strip()}。")
    hour, next_day = hour_for_period(hour, period)
    # 9:30 reads as a 24-hour clock; a bare 9点 may still mean the evening
    fixed = bool(period) or bool(c.group(2)) or hour >= 13 or hour == 0
    return Clock(time(hour, minute), next_day=next_day, fixed=fixed)


# --- case events: a day that has happened (or a planned hearing), optionally with a time ----------------
# A year-less date more than this far ahead is taken as last year's (an event is recorded after it happened;
# only a planned hearing lies ahead, and not by half a year).
FUTURE_WINDOW = timedelta(days=183)


def parse_case_date(text: str, today: date) -> date | datetime | None:
    """The date (or naive local date and time) of a case event, or None when the text is not one.

    It does not judge whether the date is allowed (future, before 立案): the case service does, with its own
    message. A time without a day is today's; `today` is the caller's local date.
    """
    cur = Cursor((text or "").translate(FULLWIDTH).strip())
    if not cur.rest:
        return None
    try:
        ref = read_day(cur, today)
        day = today if ref is None else ref.day
        if ref is not None and ref.roll == "year" and day - today > FUTURE_WINDOW:
            day = make_date(day.year - 1, day.month, day.day, "")
        cur.rest = cur.rest.lstrip(",，").strip()
        if not cur.rest:
            return day if ref is not None else None
        clock = read_clock(cur, ref.period if ref else None)
        if clock is None or not clock.explicit or cur.rest:
            return None
        return datetime.combine(day + timedelta(days=int(clock.next_day)), clock.at)
    except (WhenError, OverflowError):  # 2月30日, 25点, 9999-12-31 晚上12点
        return None
