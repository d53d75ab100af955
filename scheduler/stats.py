"""Monthly statistics: units submit their figures through a form; the bot checks, keeps, nudges, aggregates.

    stats = StatsService(db, tz=tz, org=org_service, remind_hour=9)
    form = await stats.begin(member, date(2026, 10, 1), now)      # /stats 2026-10 (a draft kept in the database)
    form = await stats.enter(member, "12", now)                    # the field being asked
    form, problems = await stats.paste(member, "批次 12\\n罚款：3.5万", now)
    outcome = await stats.submit(member, now, confirmed=True)

Who may: a member of the unit submits, and changes the submitted figures until the unit's 月报 deadline (the
报送上月执法统计数据 date of /orgdates, in the month after the reported one; a deadline on a holiday is kept as the
unit set it, as the organisational dates do). After it a first report is still taken (marked late in the audit
log), but a change only from a unit admin of the unit or above, or an admin, and audited.
Nudges: the organisational date's own reminders (before and on the deadline) go to units that have not
submitted — a submission cancels the rest (`OrgDeadlineService.skip_due`) — and the day after the deadline the
parent unit's admins are told who is still missing (a planned row, kind org).
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import audit
from bot.services.errors import NotAllowed, ServiceError, UnitNotFound
from bot.services.units import UnitNode, load_tree, subtree_ids
from bot.services.users import Member, may_manage_unit, may_oversee_unit
from bot.storage import Database, Role, Unit, User
from bot.storage.stats import StatsDraft, StatsReport
from scheduler.org_deadlines import OrgItem, due_dates
from scheduler.org_service import OrgDeadlineService
from scheduler.planned import PlannedReminder, sync_planned
from scheduler.stats_fields import Field, FieldSet, ValueProblem, load_fields
from scheduler.texts import format_day
from scheduler.texts import stats as T

FIGURES_ITEM = "monthly_figures"  # scheduler/data/org_deadlines.yaml: 报送上月执法统计数据
HISTORY_MONTHS = 6  # the unit's own months a new value is compared with
FAR = 3  # a value more than FAR × the usual (+ a small slack) or under usual / (FAR + 2) is worth a second look


@dataclass(frozen=True)
class UnitStatus:
    unit: UnitNode
    report: StatsReport | None
    deadline: date
    late: bool  # first submitted after the deadline


class NoUnit(ServiceError):
    key = "stats_no_unit"


class NoDraft(ServiceError):
    key = "stats_no_draft"


class Locked(ServiceError):
    key = "stats_locked"


class BadMonth(ServiceError):
    key = "stats_bad_month"


@dataclass
class Form:
    unit_id: int
    unit_name: str
    month: date
    values: dict[str, Decimal | int | None]  # None: skipped
    step: int
    stage: str  # fields | confirm
    deadline: date
    problems: list[str] = field(default_factory=list)  # of the last input
    warnings: list[str] = field(default_factory=list)  # plausibility, asked before submitting
    submitted: StatsReport | None = None  # the report already there (the form changes it)

    def current(self, fields: FieldSet) -> Field | None:
        return fields.fields[self.step] if self.stage == "fields" and self.step < len(fields.fields) else None


@dataclass(frozen=True)
class Submitted:
    month: date
    unit_name: str
    revision: int
    late: bool  # after the deadline, by a unit admin: audited


def month_start(day: date) -> date:
    return day.replace(day=1)


def previous_month(day: date) -> date:
    first = month_start(day)
    return month_start(first - timedelta(days=1))


def next_month(day: date) -> date:
    first = month_start(day)
    return month_start(first + timedelta(days=32))


def parse_month(text: str, today: date) -> date | None:
    """2026-10, 2026年10月, 10月 (this year's, or last year's when that is ahead) → the month's first day."""
    text = text.strip().replace("年", "-").replace("月", "").replace("/", "-").replace(".", "-")
    parts = [p for p in text.split("-") if p]
    try:
        if len(parts) == 2:
            year, month = int(parts[0]), int(parts[1])
        elif len(parts) == 1:
            year, month = today.year, int(parts[0])
            if date(year, month, 1) > today:
                year -= 1
        else:
            return None
        return date(year, month, 1) if 1 <= month <= 12 and 2000 <= year <= 2100 else None
    except ValueError:
        return None


def parse_period(text: str, today: date) -> tuple[date, date] | None:
    """2026-10, or 2026-01..2026-10 (also 到, ～, -- between)."""
    for sep in ("..", "到", "至", "～", "~", "—"):
        if sep in text:
            a, b = text.split(sep, 1)
            start, end = parse_month(a, today), parse_month(b, today)
            return (start, end) if start and end and start <= end else None
    month = parse_month(text, today)
    return (month, month) if month else None


def _text(value: Decimal | int | None) -> str:
    return "" if value is None else format(value, "f") if isinstance(value, Decimal) else str(value)


def _value(fields: FieldSet, field_id: str, text: str) -> Decimal | int | None:
    if text == "":
        return None
    return Decimal(text) if fields.get(field_id).kind == "money" else int(text)


class StatsService:
    def __init__(self, db: Database, *, tz: ZoneInfo, org: OrgDeadlineService, remind_hour: int,
                 fields: FieldSet | None = None):
        self.db = db
        self.tz = tz
        self.org = org
        self.remind_hour = remind_hour
        self.fields = fields or load_fields()
        self.active: set[int] = set()  # officers with a form open (the handler routes their typing here)

    def _today(self, now: datetime) -> date:
        return now.astimezone(self.tz).date()

    async def load_active(self) -> None:
        """At start-up: forms open before a restart are still open."""
        async with self.db.session() as s:
            self.active = set(await s.scalars(select(StatsDraft.user_id)))

    # --- deadlines -----------------------------------------------------------------------------------
    async def figures_item(self, unit_id: int) -> OrgItem | None:
        return next((i for i in await self.org.items_for(unit_id) if i.id == FIGURES_ITEM), None)

    async def deadline(self, unit_id: int, month: date) -> date:
        """The unit's 月报 date in the month after `month` (its /orgdates setting, default the 3rd)."""
        item = await self.figures_item(unit_id)
        after = next_month(month)
        if item is None:
            return after.replace(day=3)
        return next(iter(due_dates(item, after)))

    async def submitted_for_due(self, unit_id: int, due: date) -> bool:
        """For the organisational planner: the figures the 月报 date `due` asks for are in."""
        async with self.db.session() as s:
            return await self._report(s, unit_id, previous_month(due)) is not None

    # --- the form ------------------------------------------------------------------------------------
    async def begin(self, member: Member, month: date, now: datetime, unit_name: str | None = None) -> Form:
        """The member's own unit's form, or (a unit admin, an admin) the form of a unit they manage."""
        month = month_start(month)
        if month > month_start(self._today(now)):
            raise BadMonth(month=f"{month.year}年{month.month}月")
        async with self.db.session() as s:
            unit_id = member.unit_id
            if unit_name:
                unit = await s.scalar(select(Unit).where(Unit.name == unit_name))
                if unit is None:
                    raise UnitNotFound(name=unit_name)
                if unit.id != member.unit_id and not await may_manage_unit(s, member, unit.id):
                    raise NotAllowed()
                unit_id = unit.id
            if unit_id is None:
                raise NoUnit()
            report = await self._report(s, unit_id, month)
            values = dict(report.values) if report else {}
            draft = await s.get(StatsDraft, member.id)
            if draft is None:
                draft = StatsDraft(user_id=member.id)
                s.add(draft)
            draft.unit_id, draft.month, draft.values, draft.step, draft.stage, draft.updated_at = \
                unit_id, month, values, 0, "fields", now
        self.active.add(member.id)
        return await self.form(member)

    async def form(self, member: Member) -> Form:
        async with self.db.session() as s:
            draft = await s.get(StatsDraft, member.id)
            if draft is None:
                raise NoDraft()
            unit = await s.get(Unit, draft.unit_id)
            report = await self._report(s, draft.unit_id, draft.month)
            values = {fid: _value(self.fields, fid, text) for fid, text in draft.values.items()
                      if fid in self.fields.ids()}
            history = await self._history(s, draft.unit_id, draft.month)
        form = Form(draft.unit_id, unit.name if unit else "", draft.month, values, draft.step, draft.stage,
                    await self.deadline(draft.unit_id, draft.month), submitted=report)
        form.warnings = self._warnings(values, history)
        return form

    async def _save(self, member: Member, form: Form, now: datetime) -> None:
        async with self.db.session() as s:
            draft = await s.get(StatsDraft, member.id)
            if draft is None:
                raise NoDraft()
            draft.values = {fid: _text(v) for fid, v in form.values.items()}
            draft.step, draft.stage, draft.updated_at = form.step, form.stage, now

    def _advance(self, form: Form) -> None:
        form.step += 1
        if form.step >= len(self.fields.fields):
            form.step, form.stage = len(self.fields.fields), "confirm"

    async def enter(self, member: Member, raw: str, now: datetime) -> Form:
        """A value typed for the field being asked (a pasted block is `paste`)."""
        form = await self.form(member)
        current = form.current(self.fields)
        if current is None:
            return form
        try:
            form.values[current.id] = self.fields.parse_value(current, raw)
        except ValueProblem as problem:
            form.problems = [str(problem)]
            return form
        self._advance(form)
        await self._save(member, form, now)
        return await self.form(member)

    async def skip(self, member: Member, now: datetime) -> Form:
        form = await self.form(member)
        if (current := form.current(self.fields)) is not None:
            form.values.setdefault(current.id, None)
            self._advance(form)
            await self._save(member, form, now)
        return await self.form(member)

    async def back(self, member: Member, now: datetime) -> Form:
        form = await self.form(member)
        form.step, form.stage = max(0, min(form.step, len(self.fields.fields)) - 1), "fields"
        await self._save(member, form, now)
        return await self.form(member)

    async def paste(self, member: Member, text: str, now: datetime) -> Form:
        """Every `名称 数值` line fills its field; then the first field still empty is asked (or the summary)."""
        form = await self.form(member)
        values, problems = self.fields.parse_block(text)
        form.values.update(values)
        missing = [i for i, f in enumerate(self.fields.fields) if f.id not in form.values]
        form.step, form.stage = (missing[0], "fields") if missing else (len(self.fields.fields), "confirm")
        await self._save(member, form, now)
        form = await self.form(member)
        form.problems = problems
        return form

    async def cancel(self, member: Member) -> None:
        async with self.db.session() as s:
            draft = await s.get(StatsDraft, member.id)
            if draft is not None:
                await s.delete(draft)
        self.active.discard(member.id)

    async def submit(self, member: Member, now: datetime) -> Submitted:
        form = await self.form(member)
        late = self._today(now) > form.deadline
        async with self.db.session() as s:
            report = await self._report(s, form.unit_id, form.month)
            # a late first report is welcome (marked late); changing a report after the deadline is a unit
            # admin's correction, audited
            if late and report is not None and not await may_manage_unit(s, member, form.unit_id):
                raise Locked(deadline=format_day(form.deadline))
            values = {fid: _text(v) for fid, v in form.values.items()}
            if report is None:
                report = StatsReport(unit_id=form.unit_id, month=form.month, values=values, submitted_by=member.id,
                                     submitted_at=now, revision=1)
                s.add(report)
            else:
                report.values, report.updated_by, report.updated_at = values, member.id, now
                report.revision += 1
            action = "stats.submit" if not late else "stats.late_submit" if report.revision == 1 else "stats.late_change"
            audit.record(s, member.id, action, unit=form.unit_id,
                         month=form.month.isoformat(), revision=report.revision, values=values)
            draft = await s.get(StatsDraft, member.id)
            if draft is not None:
                await s.delete(draft)
            await s.flush()
            revision = report.revision
        self.active.discard(member.id)
        await self.org.plan_unit(form.unit_id, now)  # the 月报 nudges still ahead for this unit are cancelled
        return Submitted(form.month, form.unit_name, revision, late)

    # --- checks --------------------------------------------------------------------------------------
    def _warnings(self, values: dict[str, Decimal | int | None], history: dict[str, list[Decimal]]) -> list[str]:
        filled = {k: v for k, v in values.items() if v is not None}
        out = [text for _level, text in self.fields.check(filled)]
        for fid, value in filled.items():
            past = history.get(fid) or []
            if len(past) < 3:
                continue
            usual = Decimal(str(statistics.median(past)))
            slack = Decimal(10 if self.fields.get(fid).kind == "count" else 1)
            if Decimal(value) > FAR * usual + slack or (usual >= slack and Decimal(value) < usual / (FAR + 2)):
                f = self.fields.get(fid)
                out.append(T.FAR_FROM_USUAL.format(name=f.name, value=f.format(value), usual=f.format(usual)))
        return out

    async def _history(self, s: AsyncSession, unit_id: int, month: date) -> dict[str, list[Decimal]]:
        start = month
        for _ in range(HISTORY_MONTHS):
            start = previous_month(start)
        rows = await s.scalars(select(StatsReport).where(
            StatsReport.unit_id == unit_id, StatsReport.month >= start, StatsReport.month < month))
        out: dict[str, list[Decimal]] = {}
        for r in rows:
            for fid, text in r.values.items():
                if text not in ("", None) and fid in self.fields.ids():
                    out.setdefault(fid, []).append(Decimal(text))
        return out

    @staticmethod
    async def _report(s: AsyncSession, unit_id: int, month: date) -> StatsReport | None:
        return await s.scalar(select(StatsReport).where(StatsReport.unit_id == unit_id, StatsReport.month == month))

    # --- reading -------------------------------------------------------------------------------------
    async def scope(self, member: Member, unit_name: str | None = None) -> tuple[list[UnitNode], UnitNode | None]:
        """The units whose figures the member may read (own unit; a unit admin's subtree; admins all), and the
        unit asked for (or the member's own; None for an admin who named none: all units)."""
        async with self.db.session() as s:
            tree = await load_tree(s)
            if unit_name:
                root = next((n for n in tree if n.name == unit_name), None)
                if root is None:
                    raise UnitNotFound(name=unit_name)
                if not (root.id == member.unit_id or await may_oversee_unit(s, member, root.id)):
                    raise NotAllowed()
            elif member.role == Role.admin:
                return tree, None
            elif member.unit_id is None:
                raise NoUnit()
            else:
                root = next(n for n in tree if n.id == member.unit_id)
        if not member.can_oversee and root.id == member.unit_id:
            return [root], root
        ids = subtree_ids(tree, root.id)
        return [n for n in tree if n.id in ids], root

    async def reports(self, unit_ids: set[int], start: date, end: date) -> list[StatsReport]:
        """Submitted reports of the units for months in [start, end] (first days)."""
        async with self.db.session() as s:
            return list(await s.scalars(select(StatsReport).where(
                StatsReport.unit_id.in_(unit_ids), StatsReport.month >= start, StatsReport.month <= end)))

    async def status(self, member: Member, month: date) -> list[UnitStatus]:
        """/stats_status: each unit with members in the member's scope, its report, its own deadline."""
        units, _root = await self.scope(member, None)
        reported = {r.unit_id: r for r in await self.reports({u.id for u in units}, month, month)}
        out = []
        for unit in units:
            if not await self.has_members(unit.id):
                continue
            report, deadline = reported.get(unit.id), await self.deadline(unit.id, month)
            late = report is not None and report.submitted_at.astimezone(self.tz).date() > deadline
            out.append(UnitStatus(unit, report, deadline, late))
        return out

    async def has_members(self, unit_id: int) -> bool:
        async with self.db.session() as s:
            return await s.scalar(select(User.id).where(User.unit_id == unit_id).limit(1)) is not None

    async def members_by_unit(self, unit_ids: set[int]) -> dict[int, set[int]]:
        async with self.db.session() as s:
            rows = await s.execute(select(User.unit_id, User.id).where(User.unit_id.in_(unit_ids)))
        out: dict[int, set[int]] = {}
        for unit_id, user_id in rows:
            out.setdefault(unit_id, set()).add(user_id)
        return out

    async def figures_done(self, unit_id: int, item_id: str, due: date) -> bool:
        """For the organisational planner (OrgDeadlineService.done): the 月报 date's figures are in."""
        return item_id == FIGURES_ITEM and await self.submitted_for_due(unit_id, due)

    # --- the day after the deadline: who is still missing, to the parent unit's admins ------------------------
    async def plan_missing(self, now: datetime) -> int:
        today = self._today(now)
        month = previous_month(today)
        added = 0
        async with self.db.session() as s:
            tree = await load_tree(s)
            users = list(await s.scalars(select(User)))
            reported = set(await s.scalars(select(StatsReport.unit_id).where(StatsReport.month == month)))
        with_members = {u.unit_id for u in users if u.unit_id is not None}
        for parent in tree:
            children = [n for n in tree if n.parent_id == parent.id and n.id in with_members]
            if not children:
                continue
            deadline = await self.deadline(parent.id, month)
            due = datetime.combine(deadline + timedelta(days=1), time(self.remind_hour), self.tz)
            if now < due or today > deadline + timedelta(days=3):  # computed when due, so the list is current
                continue
            missing = [c.name for c in children if c.id not in reported]
            admins = [u for u in users if u.unit_id == parent.id and u.role == Role.unit_admin]
            if not missing or not admins:
                continue
            text = T.MISSING.format(month=f"{month.year}年{month.month}月", date=format_day(deadline),
                                    units="、".join(missing), period=f"{month.year}-{month.month:02d}")
            planned = [PlannedReminder(f"statsmiss:{month:%Y-%m}:{parent.id}:{a.id}", a.id, a.id, due, text, "org")
                       for a in admins]
            async with self.db.session() as s:
                added += (await sync_planned(s, planned, scope_prefix=f"statsmiss:{month:%Y-%m}:{parent.id}:")).added
        return added

