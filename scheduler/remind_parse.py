"""Personal reminder times written in Chinese, relative to `now` (Asia/Shanghai).

    parse_reminder("明天上午9点 报送简报", now) -> ParsedReminder(due, recurrence, text)
                                              |  ReminderParseError(message)   (never raises)

Understood: 10分钟后 / 半小时后 / 2小时后 / 3天后 [时间]; 今天 今晚 明天 明早 后天 大后天 [时间];
周一…周日 / 星期X / 下周X / 下下周X [时间]; 12月1日、1号、2026-12-01、2026/12/1、2026年12月1日 [时间];
recurring 每天 / 每个工作日 / 每周X / 每月N日 / 每年M月D日 [时间]. A time is 9点、9点半、9点15分、
9:30、十点一刻、下午3点半、晚上8点…; a day without a time means 9:00. Days and times are read by the grammar
the case tracker shares (scheduler/when.py); this module adds durations, recurrences and looking ahead.
"""

from __future__ import annotations

import calendar as _stdcal
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from scheduler.calendar import WorkCalendar, default_calendar
from scheduler.when import (
    FULLWIDTH,
    NUM,
    Cursor,
    WhenError,
    add_months,
    day_of_month,
    make_date,
    number,
    read_clock,
    read_day,
    weekday_number,
)

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


def _local(moment: datetime) -> datetime:
    return moment.replace(tzinfo=TZ) if moment.tzinfo is None else moment.astimezone(TZ)


# --- parsing ---------------------------------------------------------------------------------------
_LEAD = re.compile(r"^(?:请|麻烦)?(?:在)?")
_FILLER = re.compile(r"^[\s,，:：、。.\-—]*(?:(?:的时候|时)?(?:提醒我?|叫我|通知我|记得)[\s,，:：、]*)?")
_RELATIVE = re.compile(rf"^({NUM}|半)\s*(?:个)?\s*(半)?\s*(分钟|分|小时|钟头|天|日|周|星期|礼拜|个月|月)\s*(?:以)?后")
_EVERY = re.compile(
    rf"^每(?:(天|日)|个?工作日|(?:周|星期|礼拜)([一二三四五六日天1-7])|个?月\s*({NUM})\s*[日号]|年\s*({NUM})\s*月\s*({NUM})\s*[日号]?)"
)


def _clock(cur: Cursor, period: str | None) -> tuple[time | None, bool, bool]:
    """(time of day, whether am/pm is fixed, whether it is midnight at the end of the day)."""
    clock = read_clock(cur, period)
    return (None, False, False) if clock is None else (clock.at, clock.fixed, clock.next_day)


def _parse(raw: str, now: datetime) -> ParsedReminder:
    text = raw.translate(FULLWIDTH).strip()
    text = re.sub(r"^(?:/remind(?:@\w+)?\s*)?(?:提醒我|提醒)?", "", text).strip()
    if not text:
        raise WhenError("请写上提醒时间和内容。")
    cur = Cursor(_LEAD.sub("", text, count=1))
    today = now.date()

    # 1. relative: 10分钟后, 半小时后, 3天后 [时间]
    m = cur.take(_RELATIVE)
    if m:
        amount = 0.5 if m.group(1) == "半" else number(m.group(1)) + (0.5 if m.group(2) else 0)
        unit = m.group(3)
        if amount <= 0:
            raise WhenError("时间间隔要大于零。")
        if unit in ("分钟", "分"):
            return _finish(now + timedelta(minutes=amount), None, cur, now)
        if unit in ("小时", "钟头"):
            return _finish(now + timedelta(hours=amount), None, cur, now)
        days = int(amount * {"天": 1, "日": 1, "周": 7, "星期": 7, "礼拜": 7}.get(unit, 0))
        target = add_months(today, int(amount)) if unit in ("个月", "月") else today + timedelta(days=days)
        at, _, next_day = _clock(cur, None)
        if at is None:
            moment = now + (datetime.combine(target, now.time(), TZ) - datetime.combine(today, now.time(), TZ))
        else:
            moment = datetime.combine(target + timedelta(days=int(next_day)), at, TZ)
        return _finish(moment, None, cur, now)

    # 2. recurring: 每天 / 每个工作日 / 每周X / 每月N日 / 每年M月D日
    m = cur.take(_EVERY)
    if m:
        at, _, _ = _clock(cur, None)
        at = at or DEFAULT_TIME
        if m.group(1):
            rec = Recurrence("daily", at)
        elif m.group(2):
            rec = Recurrence("weekly", at, weekday=weekday_number(m.group(2)))
        elif m.group(3):
            day = number(m.group(3))
            if not 1 <= day <= 31:
                raise WhenError(f"每月没有{day}日。")
            rec = Recurrence("monthly", at, day=day)
        elif m.group(4):
            month, day = number(m.group(4)), number(m.group(5))
            make_date(2024, month, day, f"{month}月{day}日")  # 2024: a leap year, so 2月29日 is accepted
            rec = Recurrence("yearly", at, day=day, month=month)
        else:
            rec = Recurrence("workdays", at)
        return _finish(rec.next_after(now), rec, cur, now)

    # 3. a day (looking ahead: a bare 周三, 3号, 12月1日 that has passed is the next one); then a time of day
    ref = read_day(cur, today)
    if ref is not None and ref.weeks is not None and ref.roll is None and ref.day < today:
        raise WhenError(f"{ref.shown}已经过去了。")
    at, fixed, next_day = _clock(cur, ref.period if ref else None)
    if ref is None and at is None:
        raise WhenError("没看懂提醒时间。")
    if ref is None:  # only a time: today, or the evening / tomorrow when it has passed
        moment = datetime.combine(today + timedelta(days=int(next_day)), at, TZ)
        if moment <= now and not fixed and at.hour < 12:
            moment += timedelta(hours=12)
        if moment <= now:
            moment = datetime.combine(today + timedelta(days=1), at, TZ)
        return _finish(moment, None, cur, now)
    moment = datetime.combine(ref.day + timedelta(days=int(next_day)), at or DEFAULT_TIME, TZ)
    if moment <= now:
        if ref.roll == "week":
            moment += timedelta(days=7)
        elif ref.roll == "month":
            moment = datetime.combine(day_of_month(add_months(today.replace(day=1), 1), ref.day.day), moment.time(), TZ)
        elif ref.roll == "year":
            moment = datetime.combine(make_date(ref.day.year + 1, ref.day.month, ref.day.day, ""), moment.time(), TZ)
    return _finish(moment, None, cur, now)


def _finish(moment: datetime, rec: Recurrence | None, cur: Cursor, now: datetime) -> ParsedReminder:
    text = _FILLER.sub("", cur.rest, count=1).strip()
    if not text:
        raise WhenError("请在时间后面写上提醒内容，例如：明天上午9点 报送简报。")
    if len(text) > 500:
        raise WhenError("提醒内容太长了，请控制在500字以内。")
    moment = _local(moment).replace(second=0, microsecond=0) if rec is None else moment
    if moment <= now:
        raise WhenError(f"这个时间已经过去了（{moment:%Y-%m-%d %H:%M}）。")
    if (moment - now).days > MAX_AHEAD_DAYS:
        raise WhenError("提醒时间太远了（最多五年以内）。")
    return ParsedReminder(moment, rec, text)


def parse_reminder(text: str, now: datetime) -> ParsedReminder | ReminderParseError:
    """Parse a reminder; bad input gives a ReminderParseError with a Chinese message and examples."""
    now = _local(now)
    try:
        return _parse(text or "", now)
    except WhenError as exc:
        return ReminderParseError(f"{exc}\n{HELP}")
    except (ValueError, KeyError, OverflowError):  # anything the patterns let through: still a message
        return ReminderParseError(f"没看懂提醒时间。\n{HELP}")
