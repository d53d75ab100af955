"""Recurring organisational due dates (monthly figures, 简报, annual self-evaluation) from data.

    items = load_org_deadlines()                       # defaults, optionally with per-unit overrides
    upcoming(date(2026, 11, 25), items)                 # -> [OrgDue(item, due, remind_on)], soonest first
"""

from __future__ import annotations

import calendar as _stdcal
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from scheduler.calendar import CalendarRangeError, WorkCalendar, default_calendar

ON_HOLIDAY = ("keep", "previous_workday", "next_workday")
NOTIFY = ("unit_admins", "members")  # who is reminded: the unit's admins (内勤) or everyone in the unit


@dataclass(frozen=True)
class OrgItem:
    id: str
    name: str
    kind: str  # monthly | yearly
    day: int
    month: int | None = None
    who: str = ""
    on_holiday: str = "keep"
    remind_before_days: tuple[int, ...] = (0,)
    source: str = ""  # where the default comes from (the data file says)
    enabled: bool = True
    unit_setting: bool = False  # the unit changed the default (day, month or on/off)
    notify: str = "unit_admins"

    def describe(self) -> str:
        when = f"每月{self.day}日" if self.kind == "monthly" else f"每年{self.month}月{self.day}日"
        return f"{self.name}（{when}前）"


@dataclass(frozen=True)
class OrgDue:
    item: OrgItem
    due: date
    remind_on: tuple[date, ...]


def _item(raw: Mapping[str, Any]) -> OrgItem:
    rec = raw.get("recurrence") or {}
    kind, day, month = rec.get("kind"), rec.get("day"), rec.get("month")
    where = f"org_deadlines.{raw.get('id')}"
    if not raw.get("id") or not raw.get("name"):
        raise ValueError(f"{where}: 需要 id 和 name")
    if kind not in ("monthly", "yearly") or not isinstance(day, int) or not 1 <= day <= 31:
        raise ValueError(f"{where}: recurrence 应为 monthly/yearly，day 为 1–31")
    if kind == "yearly" and (not isinstance(month, int) or not 1 <= month <= 12):
        raise ValueError(f"{where}: yearly 需要 month 1–12")
    if raw.get("on_holiday", "keep") not in ON_HOLIDAY:
        raise ValueError(f"{where}: on_holiday 应为 {ON_HOLIDAY}")
    if raw.get("notify", "unit_admins") not in NOTIFY:
        raise ValueError(f"{where}: notify 应为 {NOTIFY}")
    return OrgItem(
        id=str(raw["id"]),
        name=str(raw["name"]),
        kind=kind,
        day=day,
        month=month if kind == "yearly" else None,
        who=str(raw.get("who") or ""),
        on_holiday=raw.get("on_holiday", "keep"),
        remind_before_days=tuple(sorted({int(d) for d in raw.get("remind_before_days") or [0]}, reverse=True)),
        source=str(raw.get("source") or ""),
        enabled=bool(raw.get("enabled", True)),
        notify=raw.get("notify", "unit_admins"),
        unit_setting=bool(raw.get("unit_setting", False)),
    )


def load_org_deadlines(
    path: Path | None = None, overrides: Mapping[str, Mapping[str, Any]] | None = None
) -> list[OrgItem]:
    """Default items, with a unit's overrides by id: {"monthly_brief": {"day": 28}, "x": {"enabled": False}}."""
    path = path or Path(str(resources.files("scheduler") / "data" / "org_deadlines.yaml"))
    raw_items = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("items") or []
    items = []
    for raw in raw_items:
        change = dict((overrides or {}).get(raw.get("id"), {}))
        merged = {**raw, **change}
        rec = dict(raw.get("recurrence") or {})
        for key in ("day", "month", "kind"):
            if key in change:
                rec[key] = change[key]
        merged["recurrence"] = rec
        items.append(_item(merged))
    ids = [i.id for i in items]
    if len(ids) != len(set(ids)):
        raise ValueError("org_deadlines: id 重复")
    return items


def _nominal(item: OrgItem, year: int, month: int) -> date:
    return date(year, month, min(item.day, _stdcal.monthrange(year, month)[1]))


def _adjust(item: OrgItem, day: date, cal: WorkCalendar) -> date:
    if item.on_holiday == "keep":
        return day
    step = timedelta(days=-1 if item.on_holiday == "previous_workday" else 1)
    try:
        while not cal.is_workday(day):
            day += step
    except CalendarRangeError:
        return _adjust(item, day, replace(cal, fallback=True))
    return day


def due_dates(item: OrgItem, start: date, cal: WorkCalendar | None = None) -> Iterable[date]:
    """The item's due dates on or after `start`, in order (endless)."""
    cal = cal or default_calendar()
    year, month = start.year, start.month
    if item.kind == "yearly":
        month = item.month or 1
    while True:
        due = _adjust(item, _nominal(item, year, month), cal)
        if due >= start:
            yield due
        if item.kind == "monthly":
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        else:
            year += 1


def next_due(item: OrgItem, today: date, cal: WorkCalendar | None = None) -> date:
    return next(iter(due_dates(item, today, cal)))


def upcoming(
    today: date, items: Iterable[OrgItem] | None = None, within_days: int | None = None, cal: WorkCalendar | None = None
) -> list[OrgDue]:
    """The next due date of every enabled item (all of them within `within_days`, if given), soonest first."""
    items = load_org_deadlines() if items is None else list(items)
    out = []
    for item in items:
        if not item.enabled:
            continue
        for due in due_dates(item, today, cal):
            if within_days is not None and (due - today).days > within_days:
                break
            remind = tuple(due - timedelta(days=d) for d in item.remind_before_days)
            out.append(OrgDue(item, due, remind))
            if within_days is None:
                break
    return sorted(out, key=lambda d: (d.due, d.item.id))


def reminders_on(day: date, items: Iterable[OrgItem] | None = None, cal: WorkCalendar | None = None) -> list[OrgDue]:
    """Items whose reminder falls on `day` (for the daily nudge job)."""
    horizon = max((max(i.remind_before_days) for i in (items or load_org_deadlines())), default=0)
    return [d for d in upcoming(day, items, within_days=horizon, cal=cal) if day in d.remind_on]
