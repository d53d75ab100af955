"""Dates an officer types for a case event: 2026-11-20, 11月20日, 昨天, 今天14:30, 下午2点 …

`parse_case_date(text, today)` returns a date, a naive local datetime when a time of day was given, or None
when the text is not a date. It does not judge whether the date is allowed (future, before 立案): the case
service does, with its own message. Pure: `today` is the caller's Asia/Shanghai date.

A time without a day (下午2点, 14:30) is today's. 晚上12点 is midnight at the end of that day, as it is said:
00:00 of the next day (今天晚上12点 → tomorrow 00:00); 中午12点 is noon.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

RELATIVE_DAYS = {
    "今天": 0, "今日": 0, "昨天": -1, "昨日": -1, "前天": -2, "明天": 1, "明日": 1, "后天": 2,
}
# A year-less date more than this far ahead is taken as last year's (an event is recorded after it happened;
# only a planned hearing lies ahead, and not by half a year).
FUTURE_WINDOW = timedelta(days=183)

_FULLWIDTH = str.maketrans("０１２３４５６７８９：－／．　", "0123456789:-/. ")
_RELATIVE = re.compile("|".join(RELATIVE_DAYS))
_FULL_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?")
_COMPACT_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})(?!\d)")
_SHORT_DATE = re.compile(r"(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?")
_TIME = re.compile(
    r"(?P<part>上午|早上|凌晨|中午|下午|晚上)?\s*(?P<h>\d{1,2})\s*"
    r"(?:[:](?P<m>\d{2})|[点时]\s*(?:(?P<m2>\d{1,2})\s*分?|(?P<half>半))?)"
)


def _date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _yearless(month: int, day: int, today: date) -> date | None:
    found = _date(today.year, month, day)
    if found is not None and found - today > FUTURE_WINDOW:
        found = _date(today.year - 1, month, day)
    return found


def _parse_day(text: str, today: date) -> tuple[date | None, str]:
    """The date at the start of `text` and what follows it."""
    if m := _RELATIVE.match(text):
        return today + timedelta(days=RELATIVE_DAYS[m.group()]), text[m.end():]
    if m := _FULL_DATE.match(text):
        return _date(*map(int, m.groups())), text[m.end():]
    if m := _COMPACT_DATE.match(text):
        return _date(*map(int, m.groups())), text[m.end():]
    if m := _SHORT_DATE.match(text):
        month, day = map(int, m.groups())
        return _yearless(month, day, today), text[m.end():]
    return None, text


def _parse_time(text: str) -> tuple[time, int] | None:
    """(time of day, days to add: 1 for 晚上12点, midnight at the end of the day)."""
    m = _TIME.fullmatch(text)
    if m is None:
        return None
    hour = int(m["h"])
    minute = 30 if m["half"] else int(m["m"] or m["m2"] or 0)
    part, next_day = m["part"], 0
    if part == "晚上" and hour == 12:
        hour, next_day = 0, 1
    elif part in ("下午", "晚上") and hour < 12:
        hour += 12
    elif part == "中午" and hour < 6:  # 中午1点 = 13:00; 中午12点 stays
        hour += 12
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        return None
    return time(hour, minute), next_day


def parse_case_date(text: str, today: date) -> date | datetime | None:
    """The date (or local date and time) the officer typed, or None when it is not one."""
    text = (text or "").translate(_FULLWIDTH).strip()
    if not text:
        return None
    day, rest = _parse_day(text, today)
    if day is None:  # a time alone is today's
        day, rest = today, text
    rest = rest.strip().lstrip(",，").strip()
    if not rest:
        return day
    parsed = _parse_time(rest)
    if parsed is None:
        return None
    moment, next_day = parsed
    try:
        return datetime.combine(day + timedelta(days=next_day), moment)
    except OverflowError:  # 9999-12-31 晚上12点
        return None
