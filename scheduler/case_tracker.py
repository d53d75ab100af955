"""Case tracker service: an officer's penalty cases, their procedural events, and the reminders that follow.

    svc = CaseService(db, offsets=settings.case_reminder_offsets, admin_ids=frozenset(settings.admin_id_set))
    case = await svc.open_case(member, "某公司超标排放案", "某公司", date(2026, 11, 20))
    case = await svc.record_event(member, case.id, "告知书送达", date(2026, 11, 24))
    for s in await svc.list_open(member): s.case.name, s.next_deadline, s.overdue
    case = await svc.mark_done(member, case.id, "cf_hearing_notice")  # 已办理: a deadline no event closes

Who sees a case: its handler, the unit admins of its unit and of the units above it, and admins. Anyone
else gets CaseNotFound, so a case number reveals nothing. Every change writes an audit entry and
re-plans the case's reminders (scheduler/case_plan.py) in the same transaction.

Marked done (已办理): many of the authority's deadlines have no event in deadlines.yaml that finishes them
(通知听证时间、地点, 提交答辩状 …). The officer marks them; the mark is a CaseEvent row named
"done:<rule id>" on the day it was marked (no schema change). It is kept apart from the events
(compute_deadlines does not know it) in CaseView.done_rules, and `deadlines()` turns those deadlines to
Status.DONE, so the card, the list, the planner and the cancelling of finished reminders follow.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import delete, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import audit
from bot.services.errors import ServiceError
from bot.services.units import load_tree, subtree_ids
from bot.services.users import Member
from bot.storage import Database, Role, Unit, User
from bot.storage.cases import Case, CaseEvent, CaseState
from bot.storage.reminders import CANCELLED_BY_SYSTEM, Reminder, ReminderState
from scheduler.calendar import WorkCalendar
from scheduler.case_plan import CaseView, binds_authority, is_moot, is_overdue, plan_case
from scheduler.deadlines import Deadline, RuleSet, Status, UnknownEventError, compute_deadlines, default_rules
from scheduler.planned import sync_planned
from scheduler.texts import case as T

log = logging.getLogger(__name__)

OPENING = "立案"
VIOLATION_END = "违法行为终了"  # may lie before 立案 (the limitation period runs from it)
TRACKED_EVENTS: tuple[str, ...] = (
    "告知书送达", "听证申请", "听证举行", "决定作出", "决定书送达", "罚款缴纳",
    "责令改正决定书送达", "复查", "查封扣押", "查封扣押解除", "催告书送达", "申请强制执行",
    "收到复议申请书副本", "收到起诉状副本",
)
FUTURE_EVENTS = frozenset({"听证举行"})  # the planned hearing day is recorded ahead
MAX_NAME = 100
MAX_PARTY = 100
MAX_AHEAD = timedelta(days=365)  # FUTURE_EVENTS
MAX_BACK_YEARS = 5  # 立案
VIOLATION_MAX_BACK_YEARS = 10  # 违法行为终了: a typo guard, not a legal limit
DONE_PREFIX = "done:"  # CaseEvent.event of a deadline marked done: "done:<rule id>"


def done_event(rule_id: str) -> str:
    return f"{DONE_PREFIX}{rule_id}"


class CaseNotFound(ServiceError):
    key = "case_not_found"


class CaseClosed(ServiceError):
    key = "case_closed"


class BadEventDate(ServiceError):
    key = "bad_event_date"


class BadCaseInput(ServiceError):
    key = "bad_case_input"


@dataclass(frozen=True)
class CaseSummary:
    case: CaseView
    next_deadline: Deadline | None  # soonest still ahead or overdue (not done, expired, reached or moot)
    overdue: int  # the authority's deadlines that passed undone


def markable(d: Deadline) -> bool:
    """Whether the officer may mark the deadline done: the authority's own (within/before) with no event in
    the rules that finishes it. Where an event does (决定作出 …), recording it is the way: it also starts the
    deadlines that follow."""
    return binds_authority(d) and not d.rule.done_by


def _years_back(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _day(when: date | datetime) -> date:
    return when.date() if isinstance(when, datetime) else when


def _aware_utc(dt: datetime | None) -> datetime | None:
    return None if dt is None else (dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC))


class CaseService:
    def __init__(
        self,
        db: Database,
        *,
        offsets: tuple[int, ...] = (3, 1, 0),
        remind_hour: int = 9,
        tz: ZoneInfo = ZoneInfo("Asia/Shanghai"),
        admin_ids: frozenset[int] = frozenset(),
        rules: RuleSet | None = None,
        calendar: WorkCalendar | None = None,
    ):
        self.db = db
        self.offsets = tuple(offsets)
        self.remind_hour = remind_hour
        self.tz = tz
        self.admin_ids = frozenset(admin_ids)
        self.rules = rules or default_rules()
        self.calendar = calendar
        # events whose rules count hours (当场查封扣押, …): their time of day matters
        self.timed_events = frozenset(r.trigger for r in self.rules.rules.values() if r.period.unit == "小时" and r.trigger)

    # --- clock ---------------------------------------------------------------------------------------
    def _now(self, now: datetime | None) -> datetime:
        return _aware_utc(now) if now is not None else datetime.now(UTC)

    def _local_now(self, now: datetime) -> datetime:
        """Naive local wall time, as compute_deadlines and occurred_at use it."""
        return now.astimezone(self.tz).replace(tzinfo=None)

    # --- reading -------------------------------------------------------------------------------------
    async def get(self, member: Member, case_id: int) -> CaseView:
        async with self.db.session() as s:
            case = await self._visible(s, member, case_id, write=False)
            return await self._view(s, case)

    def deadlines(self, case: CaseView, now: datetime | None = None) -> list[Deadline]:
        local = self._local_now(self._now(now))
        found = compute_deadlines(case.events, now=local, rules=self.rules, calendar=self.calendar)
        return [replace(d, status=Status.DONE) if d.rule.id in case.done_rules else d for d in found]

    async def list_open(self, member: Member, *, unit_scope: bool = False, now: datetime | None = None) -> list[CaseSummary]:
        """My open cases, or (unit_scope) every open case the member may see; soonest deadline first."""
        now = self._now(now)
        today = self._local_now(now).date()
        async with self.db.session() as s:
            q = select(Case).where(Case.state == CaseState.open)
            if not unit_scope:
                q = q.where(Case.handler_id == member.id)
            elif member.role != Role.admin:
                units = await self._units(s, member, write=False)
                q = q.where(or_(Case.handler_id == member.id, Case.unit_id.in_(units)) if units else Case.handler_id == member.id)
            views = await self._views(s, list(await s.scalars(q)))
        summaries = []
        for view in views:
            deadlines = self.deadlines(view, now)
            # a reached "after" date (may act from then on) or a moot one (the hearing took place) is no deadline
            upcoming = [d for d in deadlines
                        if d.status not in (Status.DONE, Status.EXPIRED, Status.OPEN) and not is_moot(d, today)]
            # a rule with a condition (有强制执行权的机关, 造成危害后果的 …) may not apply to this case
            upcoming = [d for d in upcoming if not d.rule.condition] or upcoming
            summaries.append(CaseSummary(view, upcoming[0] if upcoming else None,
                                         sum(is_overdue(d, today) for d in deadlines)))
        far = date.max
        return sorted(summaries, key=lambda c: (c.next_deadline.due if c.next_deadline else far, c.case.id))

    # --- changes -------------------------------------------------------------------------------------
    async def replan_open(self, now: datetime | None = None) -> int:
        """Re-plan every open case, one transaction each (the daily job). Brings reminders in line with
        what changed outside the case: a new unit admin to escalate to, holiday data for a new year, a
        new release of the deadline rules. Keys keep it from doubling anything. Returns cases re-planned."""
        now = self._now(now)
        async with self.db.session() as s:
            ids = list(await s.scalars(select(Case.id).where(Case.state == CaseState.open).order_by(Case.id)))
        done = 0
        for case_id in ids:
            try:
                async with self.db.session() as s:
                    case = await s.get(Case, case_id)
                    if case is not None and case.state is CaseState.open:
                        await self._replan(s, case, now, revive=False)
                done += 1
            except IntegrityError:  # an officer's change planned the same key meanwhile: theirs stands
                log.warning("re-plan of case %s skipped: changed concurrently", case_id)
        return done

    async def open_case(self, member: Member, name: str, party: str, opened_on: date, now: datetime | None = None) -> CaseView:
        now = self._now(now)
        name, party = self._check_text(name, T.NAME_EMPTY, T.NAME_TOO_LONG, MAX_NAME), self._check_text(
            party, T.PARTY_EMPTY, T.PARTY_TOO_LONG, MAX_PARTY)
        opened_on = _day(opened_on)
        self._check_opening_day(opened_on, now)
        async with self.db.session() as s:
            case = Case(name=name, party=party, handler_id=member.id, unit_id=member.unit_id, opened_on=opened_on,
                        state=CaseState.open, created_at=now)
            s.add(case)
            await s.flush()
            s.add(CaseEvent(case_id=case.id, event=OPENING, occurred_on=opened_on, recorded_by=member.id, recorded_at=now))
            audit.record(s, member.id, "case.open", case=case.id, name=name, party=party, opened_on=opened_on.isoformat())
            return await self._replan(s, case, now)

    async def record_event(
        self, member: Member, case_id: int, event: str, when: date | datetime, now: datetime | None = None
    ) -> CaseView:
        """Record (or re-record: the date is replaced) a procedural event by its name or alias."""
        now = self._now(now)
        canonical = self._canonical(event)
        async with self.db.session() as s:
            case = await self._visible(s, member, case_id)
            if case.state is CaseState.closed:
                raise CaseClosed(id=case.id)
            day, at = self._occurrence(canonical, when)
            rows = await s.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id))
            recorded = {e.event: e for e in rows if not e.event.startswith(DONE_PREFIX)}
            self._check_event_day(canonical, day, at, case.opened_on, recorded, now)
            row = recorded.get(canonical)
            previous = None if row is None else (row.occurred_at or row.occurred_on).isoformat()
            if row is None:
                row = CaseEvent(case_id=case.id, event=canonical)
                s.add(row)
            row.occurred_on, row.occurred_at, row.recorded_by, row.recorded_at = day, at, member.id, now
            if canonical == OPENING:
                case.opened_on = day
            audit.record(s, member.id, "case.event", case=case.id, event=canonical,
                         on=(at or day).isoformat(), previous=previous)
            await s.flush()
            return await self._replan(s, case, now)

    async def remove_event(self, member: Member, case_id: int, event: str, now: datetime | None = None) -> CaseView:
        now = self._now(now)
        canonical = self._canonical(event)
        if canonical == OPENING:
            raise BadCaseInput(reason=T.CANNOT_REMOVE_OPENING)
        async with self.db.session() as s:
            case = await self._visible(s, member, case_id)
            if case.state is CaseState.closed:
                raise CaseClosed(id=case.id)
            removed = await s.execute(delete(CaseEvent).where(CaseEvent.case_id == case.id, CaseEvent.event == canonical))
            if not removed.rowcount:
                raise BadCaseInput(reason=T.EVENT_NOT_RECORDED.format(event=canonical))
            audit.record(s, member.id, "case.event_removed", case=case.id, event=canonical)
            return await self._replan(s, case, now)

    async def mark_done(self, member: Member, case_id: int, rule_id: str, now: datetime | None = None) -> CaseView:
        """Mark one of the authority's deadlines done today (local date): no more reminders, no escalation.
        Marking a marked one again changes nothing (a double tap)."""
        now = self._now(now)
        async with self.db.session() as s:
            case = await self._visible(s, member, case_id)
            if case.state is CaseState.closed:
                raise CaseClosed(id=case.id)
            view = await self._view(s, case)
            if rule_id in view.done_rules:
                return view
            self._check_markable(view, rule_id, now)
            today = self._local_now(now).date()
            s.add(CaseEvent(case_id=case.id, event=done_event(rule_id), occurred_on=today, recorded_by=member.id,
                            recorded_at=now))
            audit.record(s, member.id, "case.done", case=case.id, rule=rule_id, on=today.isoformat())
            return await self._replan(s, case, now)

    async def unmark_done(self, member: Member, case_id: int, rule_id: str, now: datetime | None = None) -> CaseView:
        """Take a done mark back: the deadline and its reminders still ahead return."""
        now = self._now(now)
        async with self.db.session() as s:
            case = await self._visible(s, member, case_id)
            if case.state is CaseState.closed:
                raise CaseClosed(id=case.id)
            removed = await s.execute(delete(CaseEvent).where(CaseEvent.case_id == case.id,
                                                              CaseEvent.event == done_event(rule_id)))
            if not removed.rowcount:
                name = self.rules.rules[rule_id].name if rule_id in self.rules.rules else rule_id
                raise BadCaseInput(reason=T.NOT_MARKED_DONE.format(rule=name))
            audit.record(s, member.id, "case.undone", case=case.id, rule=rule_id)
            return await self._replan(s, case, now)

    async def close(self, member: Member, case_id: int, now: datetime | None = None) -> CaseView:
        """Close the case: every pending reminder of it is cancelled. Closing twice changes nothing."""
        now = self._now(now)
        async with self.db.session() as s:
            case = await self._visible(s, member, case_id)
            if case.state is not CaseState.closed:
                case.state, case.closed_at = CaseState.closed, now
                audit.record(s, member.id, "case.close", case=case.id)
                return await self._replan(s, case, now, keep_past=False)
            return await self._view(s, case)

    async def reopen(self, member: Member, case_id: int, now: datetime | None = None) -> CaseView:
        now = self._now(now)
        async with self.db.session() as s:
            case = await self._visible(s, member, case_id)
            if case.state is CaseState.closed:
                case.state, case.closed_at = CaseState.open, None
                audit.record(s, member.id, "case.reopen", case=case.id)
                return await self._replan(s, case, now)
            return await self._view(s, case)

    # --- validation ----------------------------------------------------------------------------------
    @staticmethod
    def _check_text(value: str, empty: str, too_long: str, limit: int) -> str:
        value = " ".join((value or "").split())
        if not value:
            raise BadCaseInput(reason=empty)
        if len(value) > limit:
            raise BadCaseInput(reason=too_long.format(max=limit, n=len(value)))
        return value

    def _canonical(self, event: str) -> str:
        canonical = self.rules.event(event or "")
        if canonical is None:
            raise UnknownEventError((event or "").strip(), self.rules.events)
        return canonical

    def _occurrence(self, event: str, when: date | datetime) -> tuple[date, datetime | None]:
        """(day, naive local time for timed events)."""
        if isinstance(when, datetime):
            local = when.astimezone(self.tz).replace(tzinfo=None) if when.tzinfo else when
            return local.date(), (local.replace(second=0, microsecond=0) if event in self.timed_events else None)
        return when, None

    def _check_markable(self, case: CaseView, rule_id: str, now: datetime) -> None:
        rule = self.rules.rules.get(rule_id)
        if rule is None:
            raise BadCaseInput(reason=T.UNKNOWN_RULE.format(rule=rule_id))
        if rule.binds != "机关":
            raise BadCaseInput(reason=T.PARTY_RULE_NOT_MARKABLE.format(rule=rule.name))
        if rule.direction == "after":
            raise BadCaseInput(reason=T.AFTER_RULE_NOT_MARKABLE.format(rule=rule.name))
        if rule.done_by:
            raise BadCaseInput(reason=T.DONE_BY_EVENT.format(rule=rule.name, events="”或“".join(rule.done_by)))
        deadline = next((d for d in self.deadlines(case, now) if d.rule.id == rule_id), None)
        if deadline is None:
            start = rule.trigger or "、".join(self.rules.rules[r].name for r in rule.trigger_rules)
            raise BadCaseInput(reason=T.RULE_NOT_IN_CASE.format(rule=rule.name, start=start))

    def _check_opening_day(self, day: date, now: datetime) -> None:
        today = self._local_now(now).date()
        if day > today:
            raise BadEventDate(reason=T.DATE_IN_FUTURE.format(event=OPENING, day=day.isoformat(), today=today.isoformat()))
        earliest = _years_back(today, MAX_BACK_YEARS)
        if day < earliest:
            raise BadEventDate(reason=T.DATE_TOO_OLD.format(event=OPENING, day=day.isoformat(), earliest=earliest.isoformat()))

    def _check_event_day(
        self, event: str, day: date, at: datetime | None, opened_on: date, recorded: dict[str, CaseEvent], now: datetime
    ) -> None:
        local_now = self._local_now(now)
        today = local_now.date()
        if event == OPENING:
            self._check_opening_day(day, now)
            for other, row in recorded.items():
                if other not in (OPENING, VIOLATION_END) and row.occurred_on < day:
                    raise BadEventDate(reason=T.OPENING_AFTER_EVENTS.format(
                        day=day.isoformat(), event=other, other=row.occurred_on.isoformat()))
            return
        if event in FUTURE_EVENTS:
            if day > today + MAX_AHEAD:
                raise BadEventDate(reason=T.DATE_TOO_FAR_AHEAD.format(
                    event=event, day=day.isoformat(), example=(today + timedelta(days=14)).isoformat()))
        elif day > today or (at is not None and at > local_now):
            raise BadEventDate(reason=T.DATE_IN_FUTURE.format(event=event, day=day.isoformat(), today=today.isoformat()))
        if event == VIOLATION_END:
            earliest = _years_back(today, VIOLATION_MAX_BACK_YEARS)
            if day < earliest:
                raise BadEventDate(reason=T.DATE_TOO_OLD.format(event=event, day=day.isoformat(), earliest=earliest.isoformat()))
        elif day < opened_on:
            raise BadEventDate(reason=T.DATE_BEFORE_OPENING.format(
                event=event, day=day.isoformat(), opened=opened_on.isoformat()))

    # --- permissions ---------------------------------------------------------------------------------
    async def _units(self, s: AsyncSession, member: Member, *, write: bool) -> set[int]:
        """The units whose cases a unit admin changes (write) or a unit admin or 督查 supervisor reads."""
        roles = (Role.unit_admin,) if write else (Role.unit_admin, Role.supervisor)
        if member.role not in roles or member.unit_id is None:
            return set()
        return subtree_ids(await load_tree(s), member.unit_id)

    async def _visible(self, s: AsyncSession, member: Member, case_id: int, *, write: bool = True) -> Case:
        """The case if the member may change it (write) or read it; otherwise "not found", so that another
        unit's case numbers reveal nothing."""
        case = await s.get(Case, case_id)
        if case is None:
            raise CaseNotFound(id=case_id)
        if case.handler_id == member.id or member.role == Role.admin:
            return case
        if case.unit_id is not None and case.unit_id in await self._units(s, member, write=write):
            return case
        raise CaseNotFound(id=case_id)

    async def escalation_recipients(self, s: AsyncSession, case: Case | CaseView) -> list[int]:
        """Unit admins of the case's unit, else of the nearest unit above that has one other than the
        handler; else the admins (Role.admin, or configured admin ids that are registered users)."""
        parents = {u.id: u.parent_id for u in await s.scalars(select(Unit))}
        unit, seen = case.unit_id, set()
        while unit is not None and unit not in seen:
            seen.add(unit)
            ids = await s.scalars(select(User.id).where(User.unit_id == unit, User.role == Role.unit_admin,
                                                        User.id != case.handler_id).order_by(User.id))
            found = list(ids)
            if found:
                return found
            unit = parents.get(unit)
        admins = await s.scalars(
            select(User.id)
            .where(or_(User.role == Role.admin, User.id.in_(self.admin_ids)), User.id != case.handler_id)
            .order_by(User.id)
        )
        return list(admins)

    # --- views and planning --------------------------------------------------------------------------
    async def _views(self, s: AsyncSession, cases: list[Case]) -> list[CaseView]:
        if not cases:
            return []
        ids = [c.id for c in cases]
        events: dict[int, dict[str, date | datetime]] = {i: {} for i in ids}
        done: dict[int, dict[str, date]] = {i: {} for i in ids}
        for e in await s.scalars(select(CaseEvent).where(CaseEvent.case_id.in_(ids))):
            if e.event.startswith(DONE_PREFIX):
                done[e.case_id][e.event.removeprefix(DONE_PREFIX)] = e.occurred_on
            else:
                events[e.case_id][e.event] = e.occurred_at or e.occurred_on
        users = {u.id: u.name for u in await s.scalars(select(User).where(User.id.in_({c.handler_id for c in cases})))}
        unit_ids = {c.unit_id for c in cases if c.unit_id is not None}
        units = {u.id: u.name for u in await s.scalars(select(Unit).where(Unit.id.in_(unit_ids)))} if unit_ids else {}
        return [
            CaseView(c.id, c.name, c.party, c.handler_id, users.get(c.handler_id, str(c.handler_id)), c.unit_id,
                     units.get(c.unit_id) if c.unit_id is not None else None, c.opened_on, c.state,
                     events[c.id], _aware_utc(c.closed_at), done[c.id])
            for c in cases
        ]

    async def _view(self, s: AsyncSession, case: Case) -> CaseView:
        return (await self._views(s, [case]))[0]

    async def _replan(self, s: AsyncSession, case: Case, now: datetime, *, keep_past: bool = True,
                      revive: bool = True) -> CaseView:
        """Make the case's pending reminders agree with its deadlines, in the caller's transaction.

        With `keep_past`, pending reminders that fell due before `now` are kept (they may have been due
        while the bot was down), except those of deadlines that are done or gone: those are cancelled
        whatever their time. Closing passes keep_past=False: everything pending goes. The periodic re-plan
        passes revive=False. Either way a reminder the officer cancelled (/unremind) stays cancelled.
        """
        await s.flush()
        view = await self._view(s, case)
        deadlines = self.deadlines(view, now)
        recipients = await self.escalation_recipients(s, case) if view.state is CaseState.open else []
        plan = plan_case(view, deadlines, offsets=self.offsets, remind_hour=self.remind_hour, tz=self.tz, now=now,
                         escalate_to=recipients)
        await sync_planned(s, plan, scope_prefix=f"case:{case.id}:", cancel_from=now if keep_past else None,
                           revive=revive)
        live = {d.rule.id for d in deadlines if d.status is not Status.DONE and view.state is CaseState.open}
        await self._cancel_finished(s, case.id, live)
        return view

    @staticmethod
    async def _cancel_finished(s: AsyncSession, case_id: int, live_rules: set[str]) -> None:
        """Pending reminders of deadlines that are done or gone (their event removed), whatever their time;
        snoozed copies (稍后提醒) too, by the planned reminder they copy."""
        rows = list(await s.scalars(select(Reminder).where(
            Reminder.case_id == case_id, Reminder.state == ReminderState.pending)))
        for r in rows:
            key = r.dedupe_key or ""
            while key.startswith("snooze:"):  # snooze:{copied reminder id}:{delivery}
                copied = await s.get(Reminder, int(key.split(":")[1]))
                key = (copied.dedupe_key or "") if copied else ""
            if key.startswith(f"case:{case_id}:") and key.split(":")[2] not in live_rules:  # case:{id}:{rule}:…
                r.state, r.cancelled_by = ReminderState.cancelled, CANCELLED_BY_SYSTEM
