"""Chinese working-day calendar and period arithmetic for statutory deadlines.

Counting conventions (see scheduler/data/deadlines.yaml `counting` for the citations):
- the day of the event is not counted: a period of n days from day D ends on D + n;
- n working days from D end on the n-th working day after D (weekends and statutory holidays skipped,
  调休 weekend working days counted);
- months and years end on the corresponding day of the final month, or on that month's last day
  when it has no such day (31 Jan + 1 month → 28/29 Feb);
- a period ending on a non-working day moves to the next working day only when the caller asks
  (`roll=True`), because only some laws say so.

Holiday data come from `chinese_calendar` (2004–2026 in version 1.11) plus operator-maintained years in
scheduler/data/holidays.yaml. For a year in neither, `is_workday` raises CalendarRangeError rather
than guess; a calendar built with `fallback=True` treats Monday–Friday as working days instead and
callers mark such results as approximate.
"""

from __future__ import annotations

import calendar as _stdcal
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from importlib import resources
from pathlib import Path

import chinese_calendar
import yaml
from chinese_calendar import constants as _cc

UNITS = ("日", "工作日", "月", "年")


class CalendarRangeError(ValueError):
    """A working-day question about a year whose holiday arrangement is not known."""

    def __init__(self, year: int):
        self.year = year
        super().__init__(
            f"{year}年的法定节假日安排尚未收录（chinese_calendar 仅到 {max(_package_years())} 年），"
            "无法准确计算工作日。请在 scheduler/data/holidays.yaml 中补充该年放假安排，或升级 chinese-calendar。"
        )


@lru_cache(maxsize=1)
def _package_years() -> frozenset[int]:
    return frozenset(d.year for d in _cc.holidays) | frozenset(d.year for d in _cc.workdays)


@dataclass
class WorkCalendar:
    """chinese_calendar plus extra years; `fallback` lets unknown years count weekends only."""

    extra_holidays: set[date] = field(default_factory=set)
    extra_workdays: set[date] = field(default_factory=set)
    extra_years: set[int] = field(default_factory=set)
    fallback: bool = False

    # --- single days ---------------------------------------------------------------------------
    def covers(self, day: date) -> bool:
        return day.year in self.extra_years or day.year in _package_years()

    def is_workday(self, day: date) -> bool:
        if day.year in self.extra_years:
            if day in self.extra_workdays:
                return True
            return day.weekday() < 5 and day not in self.extra_holidays
        if day.year in _package_years():
            return chinese_calendar.is_workday(day)
        if self.fallback:
            return day.weekday() < 5
        raise CalendarRangeError(day.year)

    def next_workday(self, day: date) -> date:
        """`day` itself when it is a working day, else the first working day after it."""
        while not self.is_workday(day):
            day += timedelta(days=1)
        return day

    # --- periods -------------------------------------------------------------------------------
    def add_workdays(self, start: date, n: int) -> date:
        """The n-th working day after `start` (n < 0: before it); `start` itself is not counted."""
        step = timedelta(days=1 if n >= 0 else -1)
        day, left = start, abs(n)
        while left:
            day += step
            if self.is_workday(day):
                left -= 1
        return day

    def add_period(self, start: date, n: int, unit: str, *, roll: bool = False) -> date:
        """Last day of a period of n `unit`s counted from `start` (excluded); n < 0 counts back.

        roll=True moves a last day that is not a working day to the next working day
        (民事诉讼法第八十五条第三款 and the rules that follow it); working-day periods never need it.
        """
        if unit == "工作日":
            return self.add_workdays(start, n)
        if unit == "日":
            end = start + timedelta(days=n)
        elif unit == "月":
            end = add_months(start, n)
        elif unit == "年":
            end = add_months(start, 12 * n)
        else:
            raise ValueError(f"未知的期间单位：{unit}（可用：{'、'.join(UNITS)}）")
        return self.next_workday(end) if roll else end

    def span_covered(self, start: date, end: date) -> bool:
        """Whether every year between the two dates has real holiday data."""
        lo, hi = sorted((start, end))
        return all(self.covers(date(y, 1, 1)) for y in range(lo.year, hi.year + 1))


def add_months(day: date, months: int) -> date:
    """Same day `months` later, clamped to the month's last day (民法典第二百零二条)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, _stdcal.monthrange(year, month)[1]))


# --- the default calendar ------------------------------------------------------------------------
def _data_file(name: str) -> Path:
    return Path(str(resources.files("scheduler") / "data" / name))


def load_calendar(path: Path | None = None, *, fallback: bool = False) -> WorkCalendar:
    """chinese_calendar plus the years listed in holidays.yaml (or `path`)."""
    data = yaml.safe_load((path or _data_file("holidays.yaml")).read_text(encoding="utf-8")) or {}
    cal = WorkCalendar(fallback=fallback)
    for year, spec in (data.get("years") or {}).items():
        cal.extra_years.add(int(year))
        spec = spec or {}
        cal.extra_holidays.update(_as_date(d) for d in spec.get("holidays") or [])
        cal.extra_workdays.update(_as_date(d) for d in spec.get("workdays") or [])
    return cal


def _as_date(value: object) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


@lru_cache(maxsize=1)
def default_calendar() -> WorkCalendar:
    return load_calendar()


def is_workday(day: date) -> bool:
    return default_calendar().is_workday(day)


def add_period(start: date, n: int, unit: str, *, roll: bool = False) -> date:
    """See WorkCalendar.add_period; uses the default calendar (raises CalendarRangeError for unknown years)."""
    return default_calendar().add_period(start, n, unit, roll=roll)
