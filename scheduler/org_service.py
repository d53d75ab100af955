"""Per-unit organisational dates: the admins' settings and the planner that turns them into reminders.

    service = OrgDeadlineService(db, tz="Asia/Shanghai", remind_hour=9)
    await service.items_for(unit_id)                      # defaults merged with the unit's own settings
    await service.set_day(member, unit_id, "monthly_figures", 5)
    await service.plan(datetime.now(UTC))                 # every 30 minutes, from handlers/orgdates.py

Defaults come from scheduler/data/org_deadlines.yaml; a unit's changes are rows of UnitOrgDeadline.
Planned reminders go into the reminders table (scheduler/planned.py) and are delivered by the ordinary
reminder sweep.
"""

from __future__ import annotations

import calendar as _stdcal
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import audit
from bot.services.errors import NotAllowed, ServiceError, UnitNotFound
from bot.services.users import Member, may_manage_unit
from bot.storage import Database, Role, Unit, User
from bot.storage.cases import UnitOrgDeadline
from scheduler.org_deadlines import OrgItem, due_dates, load_org_deadlines
from scheduler.planned import PlannedReminder, sync_planned
from scheduler.texts import format_day
from scheduler.texts import org as t

# Reminders are planned this far ahead. Rows exist before their time, so a bot that is down at the
# reminder hour still has them and sends them (late, once) after the restart; a planner that only
# looked at "today at 09:00" would lose every nudge that fell into the downtime.
PLAN_AHEAD = timedelta(days=7)


class UnknownOrgItem(ServiceError):
    key = "org_unknown_item"


class BadOrgDay(ServiceError):
    key = "org_bad_day"


class BadOrgMonth(ServiceError):
    key = "org_bad_month"


class BadOrgMonthDay(ServiceError):
    key = "org_bad_month_day"


class MonthForMonthlyItem(ServiceError):
    key = "org_monthly_no_month"


def is_unit_setting(item: OrgItem) -> bool:
    return item.unit_setting


@dataclass(frozen=True)
class UnitPlan:
    unit_id: int
    added: int
    cancelled: int
    revived: int = 0


class OrgDeadlineService:
    def __init__(self, db: Database, *, tz: tzinfo | str, remind_hour: int, data: Path | None = None):
        self.db = db
        self.tz = ZoneInfo(tz) if isinstance(tz, str) else tz
        self.remind_hour = remind_hour
        self.data = data  # the defaults file; None: scheduler/data/org_deadlines.yaml
        self.defaults = load_org_deadlines(data)
        # (unit, item, due) → already done, so its nudges stop (the statistics set it for the 月报 item)
        self.done: Callable[[int, str, date], Awaitable[bool]] | None = None

    # --- settings ------------------------------------------------------------------------------------
    def default_item(self, item_id: str) -> OrgItem:
        for item in self.defaults:
            if item.id == item_id:
                return item
        raise UnknownOrgItem(n=item_id)

    def number_of(self, item_id: str) -> int:
        """The item's number in /orgdates (its place in the data file)."""
        return next(n for n, item in enumerate(self.defaults, 1) if item.id == item_id)

    async def items_for(self, unit_id: int) -> list[OrgItem]:
        async with self.db.session() as s:
            rows = await s.scalars(select(UnitOrgDeadline).where(UnitOrgDeadline.unit_id == unit_id))
            return self._merge(list(rows))

    def _merge(self, rows: Iterable[UnitOrgDeadline]) -> list[OrgItem]:
        """Defaults with the unit's rows applied; an item the unit changed says so in `source`."""
        overrides: dict[str, dict[str, Any]] = {}
        for row in rows:
            change: dict[str, Any] = {"enabled": row.enabled, "unit_setting": True}
            if row.day is not None:
                change["day"] = row.day
            if row.month is not None:
                change["month"] = row.month
            overrides[row.item_id] = change
        return load_org_deadlines(self.data, overrides=overrides)

    async def can_manage(self, member: Member | None, unit_id: int) -> bool:
        """Admins: every unit; unit admins: their unit and the units below it; officers: none."""
        async with self.db.session() as s:
            return await may_manage_unit(s, member, unit_id)

    async def set_day(self, member: Member, unit_id: int, item_id: str, day: int, month: int | None = None) -> OrgItem:
        """Change the due day (and, for a yearly item, the month) of one item for the unit."""
        item = self.default_item(item_id)
        if item.kind == "monthly" and month is not None:
            raise MonthForMonthlyItem(name=item.name, n=self.number_of(item_id))
        if month is not None and not 1 <= month <= 12:
            raise BadOrgMonth(month=month)
        if not 1 <= day <= 31:
            raise BadOrgDay(day=day)
        async with self.db.session() as s:
            await self._check(s, member, unit_id)
            row = await self._row(s, unit_id, item_id)
            effective_month = month or row.month or item.month
            if item.kind == "yearly" and day > _stdcal.monthrange(2024, effective_month)[1]:  # a leap year: 2-29 is fine
                raise BadOrgMonthDay(month=effective_month, day=day)
            old = (row.day, row.month)
            row.day = day
            if item.kind == "yearly":
                row.month = effective_month
            self._touch(row, member)
            audit.record(s, member.id, "orgdate.day", unit=unit_id, item=item_id, day=day, month=row.month,
                         old_day=old[0], old_month=old[1])
            await s.flush()
            return await self._effective(s, unit_id, item_id)

    async def set_enabled(self, member: Member, unit_id: int, item_id: str, enabled: bool) -> OrgItem:
        self.default_item(item_id)
        async with self.db.session() as s:
            await self._check(s, member, unit_id)
            row = await self._row(s, unit_id, item_id)
            row.enabled = enabled
            self._touch(row, member)
            audit.record(s, member.id, "orgdate.enabled", unit=unit_id, item=item_id, enabled=enabled)
            await s.flush()
            return await self._effective(s, unit_id, item_id)

    async def reset(self, member: Member, unit_id: int, item_id: str) -> OrgItem:
        """Back to the default date, switched on."""
        self.default_item(item_id)
        async with self.db.session() as s:
            await self._check(s, member, unit_id)
            await s.execute(
                delete(UnitOrgDeadline).where(UnitOrgDeadline.unit_id == unit_id, UnitOrgDeadline.item_id == item_id)
            )
            audit.record(s, member.id, "orgdate.reset", unit=unit_id, item=item_id)
            return await self._effective(s, unit_id, item_id)

    async def _check(self, s: AsyncSession, member: Member, unit_id: int) -> None:
        if await s.get(Unit, unit_id) is None:
            raise UnitNotFound(name=str(unit_id))
        if not await may_manage_unit(s, member, unit_id):
            raise NotAllowed()

    async def _row(self, s: AsyncSession, unit_id: int, item_id: str) -> UnitOrgDeadline:
        row = await s.get(UnitOrgDeadline, (unit_id, item_id))
        if row is None:
            row = UnitOrgDeadline(unit_id=unit_id, item_id=item_id, enabled=True)
            s.add(row)
        return row

    @staticmethod
    def _touch(row: UnitOrgDeadline, member: Member) -> None:
        row.updated_by, row.updated_at = member.id, datetime.now(UTC)

    async def _effective(self, s: AsyncSession, unit_id: int, item_id: str) -> OrgItem:
        rows = await s.scalars(select(UnitOrgDeadline).where(UnitOrgDeadline.unit_id == unit_id))
        return next(i for i in self._merge(list(rows)) if i.id == item_id)

    # --- planning ------------------------------------------------------------------------------------
    async def plan(self, now: datetime) -> dict[str, int]:
        """Plan the next days' reminders of every unit that has members; one transaction per unit."""
        async with self.db.session() as s:
            unit_ids = sorted(set(await s.scalars(select(User.unit_id).where(User.unit_id.is_not(None)))))
        totals = {"units": 0, "added": 0, "cancelled": 0}
        for unit_id in unit_ids:
            result = await self.plan_unit(unit_id, now)
            totals["units"] += 1
            totals["added"] += result.added
            totals["cancelled"] += result.cancelled
        return totals

    async def plan_unit(self, unit_id: int, now: datetime, *, revive: bool = False) -> UnitPlan:
        """Make the unit's pending 'org' reminders agree with its settings.

        revive=True (right after an admin changed the unit's dates): nudges cancelled by an earlier
        change and planned again now (switched off, then on) become pending again; a nudge the officer
        cancelled (/unremind) stays cancelled. The periodic run leaves cancelled rows alone."""
        now = now.astimezone(UTC)
        async with self.db.session() as s:
            unit = await s.get(Unit, unit_id)
            if unit is None:
                return UnitPlan(unit_id, 0, 0)
            members = list(await s.scalars(select(User).where(User.unit_id == unit_id).order_by(User.id)))
            rows = await s.scalars(select(UnitOrgDeadline).where(UnitOrgDeadline.unit_id == unit_id))
            items = [i for i in self._merge(list(rows)) if i.enabled]
            planned = [p for item in items for p in self._planned(unit, item, members, now)]
            if self.done is not None:  # e.g. the month's figures are in: no more nudges for that date
                dues = {(p.key.split(":")[2], p.key.split(":")[3]) for p in planned}
                finished = {d for d in dues if await self.done(unit_id, d[0], date.fromisoformat(d[1]))}
                planned = [p for p in planned if (p.key.split(":")[2], p.key.split(":")[3]) not in finished]
            result = await sync_planned(s, planned, scope_prefix=f"org:{unit_id}:", cancel_from=now, revive=revive)
            return UnitPlan(unit_id, result.added, result.cancelled, result.revived)

    def _planned(self, unit: Unit, item: OrgItem, members: list[User], now: datetime) -> list[PlannedReminder]:
        today = now.astimezone(self.tz).date()
        last = today + PLAN_AHEAD
        recipients = recipients_for(item, members)
        out = []
        for due in due_dates(item, today):
            if due - timedelta(days=max(item.remind_before_days)) > last:
                break
            for before in item.remind_before_days:
                day = due - timedelta(days=before)
                if not today <= day <= last:
                    continue  # past reminder days are never re-created
                at = datetime.combine(day, time(self.remind_hour), self.tz)
                if at < now:  # today's hour has passed (first planning today, or a new setting)
                    at = now
                text = self.nudge_text(unit.name, item, due, before)
                for user in recipients:
                    key = f"org:{unit.id}:{item.id}:{due.isoformat()}:d{before}:{user.id}"
                    out.append(PlannedReminder(key=key, user_id=user.id, chat_id=user.id, due_at=at, text=text,
                                               kind="org"))
        return out

    @staticmethod
    def nudge_text(unit_name: str, item: OrgItem, due: date, days_left: int) -> str:
        when = (t.NUDGE_DUE_IN.format(date=format_day(due), days=days_left) if days_left
                else t.NUDGE_DUE_TODAY.format(date=format_day(due)))
        lines = [t.NUDGE_TITLE.format(name=item.name, unit=unit_name), when]
        if item.who:
            lines.append(t.NUDGE_WHO.format(who=item.who))
        source = t.SOURCE_UNIT if item.unit_setting else (item.source or t.SOURCE_DEFAULT)
        lines += [t.NUDGE_SOURCE.format(source=source), t.NUDGE_SEE]
        return "\n".join(lines)


def recipients_for(item: OrgItem, members: list[User]) -> list[User]:
    """The unit's admins (内勤) for notify=unit_admins (everyone, when the unit has none), else everyone."""
    if item.notify == "unit_admins":
        admins = [u for u in members if u.role == Role.unit_admin]
        if admins:
            return admins
    return list(members)
