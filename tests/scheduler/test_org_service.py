"""Per-unit organisational dates on a real SQLite file: settings merged over the defaults, who may change
them, validation messages, and the planner (remind days and hours, recipients, cancelling on change,
idempotence) with delivery through the ordinary reminder sweep."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from types import SimpleNamespace

import pytest
from sqlalchemy import select, update
from support.paths import REPO

from bot.services import audit
from bot.services.errors import NotAllowed, UnitNotFound
from bot.services.units import UnitNode
from bot.services.users import UserService
from bot.storage import Role, Unit, User
from bot.storage.reminders import Reminder, ReminderState
from handlers.common import error_text
from handlers.orgdates import listing
from scheduler.org_service import (
    BadOrgDay,
    BadOrgMonth,
    BadOrgMonthDay,
    MonthForMonthlyItem,
    OrgDeadlineService,
    UnknownOrgItem,
)
from scheduler.remind_parse import TZ
from scheduler.reminders import ReminderService, sweep

ADMIN, PARENT_ADMIN, CHILD_ADMIN, OFFICER, OFFICER2, LONE_OFFICER = 900, 10, 20, 21, 22, 31
PARENT, CHILD, SIBLING, EMPTY = 1, 2, 3, 4  # 江门支队 → 蓬江大队; 新会大队 (no unit admin); 空大队 (nobody)


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=TZ)


@pytest.fixture
async def org(db) -> OrgDeadlineService:
    async with db.session() as s:
        s.add(Unit(id=PARENT, name="江门支队"))
        await s.flush()
        s.add_all([Unit(id=CHILD, name="蓬江大队", parent_id=PARENT), Unit(id=SIBLING, name="新会大队", parent_id=PARENT),
                   Unit(id=EMPTY, name="空大队", parent_id=PARENT)])
        await s.flush()
        s.add_all([
            User(id=ADMIN, name="局管理员", role=Role.admin),
            User(id=PARENT_ADMIN, name="支队内勤", role=Role.unit_admin, unit_id=PARENT),
            User(id=CHILD_ADMIN, name="大队内勤", role=Role.unit_admin, unit_id=CHILD),
            User(id=OFFICER, name="李四", role=Role.officer, unit_id=CHILD),
            User(id=OFFICER2, name="王五", role=Role.officer, unit_id=CHILD),
            User(id=LONE_OFFICER, name="赵六", role=Role.officer, unit_id=SIBLING),
        ])
    return OrgDeadlineService(db, tz="Asia/Shanghai", remind_hour=9)


async def member(db, user_id: int):
    return await UserService(db).get(user_id)


async def rows(db, unit_id: int | None = None) -> list[Reminder]:
    async with db.session() as s:
        q = select(Reminder).where(Reminder.kind == "org").order_by(Reminder.dedupe_key)
        if unit_id is not None:
            q = q.where(Reminder.dedupe_key.startswith(f"org:{unit_id}:"))
        return list(await s.scalars(q))


def pending(reminders: list[Reminder]) -> list[tuple[str, int, datetime]]:
    """(key without unit and recipient, recipient, local due time) of the pending rows."""
    out = []
    for r in reminders:
        if r.state == ReminderState.pending:
            _, _, item, due, offset, user = r.dedupe_key.split(":")
            out.append((f"{item}:{due}:{offset}", r.user_id, r.due_at.replace(tzinfo=UTC).astimezone(TZ)))
    return out


# --- settings -----------------------------------------------------------------------------------------------
async def test_unit_settings_merge_over_defaults(db, org) -> None:
    admin = await member(db, CHILD_ADMIN)
    item = await org.set_day(admin, CHILD, "monthly_figures", 5)
    assert (item.day, item.unit_setting) == (5, True)  # the unit's own setting (state, not a display text)
    await org.set_enabled(admin, CHILD, "monthly_brief", False)
    mine = {i.id: i for i in await org.items_for(CHILD)}
    assert mine["monthly_figures"].day == 5 and not mine["monthly_brief"].enabled
    assert not mine["annual_self_evaluation"].unit_setting
    assert mine["annual_self_evaluation"].source == "单位工作安排（默认值）"  # the data file's own words
    other = {i.id: i for i in await org.items_for(SIBLING)}  # another unit keeps the defaults
    assert other["monthly_figures"].day == 3 and other["monthly_brief"].enabled
    assert not other["monthly_figures"].unit_setting

    yearly = await org.set_day(admin, CHILD, "annual_self_evaluation", 15, 12)
    assert (yearly.month, yearly.day) == (12, 15)
    yearly = await org.set_day(admin, CHILD, "annual_self_evaluation", 1)  # day only: the month stays
    assert (yearly.month, yearly.day) == (12, 1)

    reset = await org.reset(admin, CHILD, "monthly_figures")
    assert (reset.day, reset.enabled, reset.unit_setting) == (3, True, False)
    actions = [(e.action, e.actor, e.detail["item"]) for e in reversed(await audit.recent(db, action=None))
               if e.action.startswith("orgdate.")]
    assert actions == [
        ("orgdate.day", CHILD_ADMIN, "monthly_figures"),
        ("orgdate.enabled", CHILD_ADMIN, "monthly_brief"),
        ("orgdate.day", CHILD_ADMIN, "annual_self_evaluation"),
        ("orgdate.day", CHILD_ADMIN, "annual_self_evaluation"),
        ("orgdate.reset", CHILD_ADMIN, "monthly_figures"),
    ]


async def test_who_may_change_what(db, org) -> None:
    parent_admin, child_admin = await member(db, PARENT_ADMIN), await member(db, CHILD_ADMIN)
    admin, officer = await member(db, ADMIN), await member(db, OFFICER)
    assert (await org.set_day(parent_admin, CHILD, "monthly_figures", 6)).day == 6  # a unit below theirs
    assert (await org.set_day(admin, SIBLING, "monthly_figures", 7)).day == 7  # admins: any unit
    for who, unit in ((child_admin, PARENT), (child_admin, SIBLING), (officer, CHILD)):
        with pytest.raises(NotAllowed):
            await org.set_day(who, unit, "monthly_figures", 8)
        with pytest.raises(NotAllowed):
            await org.set_enabled(who, unit, "monthly_figures", False)
        with pytest.raises(NotAllowed):
            await org.reset(who, unit, "monthly_figures")
        assert not await org.can_manage(who, unit)
    assert await org.can_manage(child_admin, CHILD) and await org.can_manage(admin, EMPTY)
    with pytest.raises(UnitNotFound):
        await org.set_day(admin, 999, "monthly_figures", 8)
    assert {i.id: i.day for i in await org.items_for(PARENT)}["monthly_figures"] == 3  # refused: unchanged


async def test_validation_with_clear_messages(db, org) -> None:
    admin = await member(db, CHILD_ADMIN)
    cases = [
        (UnknownOrgItem, dict(item_id="weekly_report", day=5), "没有编号为"),
        (BadOrgDay, dict(item_id="monthly_figures", day=0), "1–31"),
        (BadOrgDay, dict(item_id="monthly_figures", day=32), "1–31"),
        (MonthForMonthlyItem, dict(item_id="monthly_figures", day=5, month=11), "每月报送，只写日即可"),
        (BadOrgMonth, dict(item_id="annual_self_evaluation", day=5, month=13), "1–12"),
        (BadOrgMonthDay, dict(item_id="annual_self_evaluation", day=30, month=2), "2月没有30日"),
    ]
    for error, kwargs, words in cases:
        with pytest.raises(error) as caught:
            await org.set_day(admin, CHILD, **kwargs)
        message = error_text(caught.value)
        assert words in message and "例如：/orgdate" in message, message
    assert (await org.set_day(admin, CHILD, "annual_self_evaluation", 29, 2)).day == 29  # leap years have it
    assert error_text(NotAllowed()) == "您没有这项操作的权限。"


async def test_listing_shows_rule_next_date_and_source(db, org) -> None:
    await org.set_day(await member(db, CHILD_ADMIN), CHILD, "monthly_figures", 31)
    await org.set_enabled(await member(db, CHILD_ADMIN), CHILD, "monthly_brief", False)
    node = UnitNode(CHILD, "蓬江大队", PARENT, 1)
    reply = listing(node, await org.items_for(CHILD), date(2026, 11, 25), other_unit=False)
    text = reply.text
    assert "1. <b>报送上月执法统计数据</b>：每月31日前报送（小月为月末）" in text
    assert "下次截止：2026年11月30日（周一）；截止前2天和当天提醒" in text  # November has 30 days
    assert "已关闭，不再提醒" in text
    assert "3. <b>报送年度执法工作自评</b>：每年11月20日前报送" in text
    assert "下次截止：2027年11月20日（周六）；截止前10天、3天和当天提醒" in text
    assert text.count("本单位设置") == 2 and "提醒：本单位管理员（内勤）" in text
    labels = [label for row in reply.buttons for label, _ in row]
    assert labels == ["关闭1", "默认1", "开启2", "默认2", "关闭3"]
    assert all(len(data.encode()) <= 64 for row in reply.buttons for _, data in row)


# --- planning ---------------------------------------------------------------------------------------------
async def test_plan_remind_days_hours_and_recipients(db, org) -> None:
    result = await org.plan(local(2026, 11, 30, 10, 0))
    assert result == {"units": 3, "added": 6, "cancelled": 0}  # 空大队 has nobody to remind
    expected = [
        ("monthly_figures:2026-12-03:d0", local(2026, 12, 3, 9, 0)),
        ("monthly_figures:2026-12-03:d2", local(2026, 12, 1, 9, 0)),
    ]
    # unit admins only; a unit without one reminds everyone in it
    assert pending(await rows(db, CHILD)) == [(k, CHILD_ADMIN, at) for k, at in expected]
    assert pending(await rows(db, SIBLING)) == [(k, LONE_OFFICER, at) for k, at in expected]
    assert pending(await rows(db, PARENT)) == [(k, PARENT_ADMIN, at) for k, at in expected]

    text = next(r.text for r in await rows(db, CHILD) if r.dedupe_key.endswith(":d2:20"))
    assert text.splitlines() == [
        "报送上月执法统计数据（蓬江大队）",
        "截止日期：2026年12月3日（周四），还有2天，请按时报送。",
        "负责报送：各大队、中队内勤",
        "日期依据：单位工作安排（默认值）",
        "查看本单位报送日期：/orgdates",
    ]
    today = next(r.text for r in await rows(db, CHILD) if r.dedupe_key.endswith(":d0:20"))
    assert "今天截止，请在今天内报送" in today


async def test_notify_members_reminds_everyone(db, tmp_path: Path) -> None:
    data = REPO / "scheduler" / "data" / "org_deadlines.yaml"
    custom = tmp_path / "org.yaml"
    custom.write_text(data.read_text(encoding="utf-8").replace("notify: unit_admins", "notify: members"), "utf-8")
    async with db.session() as s:
        s.add(Unit(id=CHILD, name="蓬江大队"))
        await s.flush()
        s.add_all([User(id=CHILD_ADMIN, name="内勤", role=Role.unit_admin, unit_id=CHILD),
                   User(id=OFFICER, name="李四", role=Role.officer, unit_id=CHILD)])
    org = OrgDeadlineService(db, tz="Asia/Shanghai", remind_hour=8, data=custom)
    await org.plan(local(2026, 11, 30, 7, 0))
    assert pending(await rows(db)) == [
        ("monthly_figures:2026-12-03:d0", CHILD_ADMIN, local(2026, 12, 3, 8, 0)),
        ("monthly_figures:2026-12-03:d0", OFFICER, local(2026, 12, 3, 8, 0)),
        ("monthly_figures:2026-12-03:d2", CHILD_ADMIN, local(2026, 12, 1, 8, 0)),
        ("monthly_figures:2026-12-03:d2", OFFICER, local(2026, 12, 1, 8, 0)),
    ]


async def test_yearly_item_and_todays_passed_hour(db, org) -> None:
    now = local(2026, 11, 10, 10, 30)  # after 09:00 on the first reminder day (ten days before 11-20)
    await org.plan(now)
    assert pending(await rows(db, CHILD)) == [
        ("annual_self_evaluation:2026-11-20:d10", CHILD_ADMIN, now),  # today's hour passed: at once
        ("annual_self_evaluation:2026-11-20:d3", CHILD_ADMIN, local(2026, 11, 17, 9, 0)),
    ]
    # the next day, yesterday's sent nudge is not planned again and nothing new is in reach
    assert (await org.plan(local(2026, 11, 11, 10, 0)))["added"] == 0


async def test_31st_in_a_30_day_month(db, org) -> None:
    await org.set_day(await member(db, CHILD_ADMIN), CHILD, "monthly_figures", 31)
    now = local(2026, 11, 28, 8, 0)
    await org.plan_unit(CHILD, now)
    assert pending(await rows(db, CHILD)) == [
        ("monthly_figures:2026-11-30:d0", CHILD_ADMIN, local(2026, 11, 30, 9, 0)),
        ("monthly_figures:2026-11-30:d2", CHILD_ADMIN, local(2026, 11, 28, 9, 0)),
    ]
    text = next(r.text for r in await rows(db, CHILD) if ":d2:" in r.dedupe_key)
    assert "2026年11月30日（周一），还有2天" in text and "日期依据：本单位设置" in text


async def test_planning_twice_adds_nothing(db, org) -> None:
    first = await org.plan(local(2026, 11, 30, 10, 0))
    assert first["added"] == 6
    assert await org.plan(local(2026, 11, 30, 10, 0)) == {"units": 3, "added": 0, "cancelled": 0}
    assert await org.plan(local(2026, 11, 30, 16, 0)) == {"units": 3, "added": 0, "cancelled": 0}
    assert len(await rows(db)) == 6


async def test_changed_day_replans(db, org) -> None:
    now = local(2026, 11, 30, 10, 0)
    await org.plan(now)
    await org.set_day(await member(db, CHILD_ADMIN), CHILD, "monthly_figures", 5)
    result = await org.plan_unit(CHILD, now)
    assert (result.added, result.cancelled) == (2, 2)
    assert pending(await rows(db, CHILD)) == [
        ("monthly_figures:2026-12-05:d0", CHILD_ADMIN, local(2026, 12, 5, 9, 0)),
        ("monthly_figures:2026-12-05:d2", CHILD_ADMIN, local(2026, 12, 3, 9, 0)),
    ]
    assert len(pending(await rows(db, SIBLING))) == 2  # other units untouched
    # moved to tomorrow: the two-days-before reminder day has passed and is not made up for
    await org.set_day(await member(db, CHILD_ADMIN), CHILD, "monthly_figures", 1)
    await org.plan_unit(CHILD, now)
    assert pending(await rows(db, CHILD)) == [
        ("monthly_figures:2026-12-01:d0", CHILD_ADMIN, local(2026, 12, 1, 9, 0)),
    ]


async def test_disabling_cancels_future_nudges_but_not_one_already_due(db, org) -> None:
    await org.plan(local(2026, 11, 30, 10, 0))
    # the bot was down at 12-01 09:00; at 12:00 the unit admin switches the item off
    now = local(2026, 12, 1, 12, 0)
    await org.set_enabled(await member(db, CHILD_ADMIN), CHILD, "monthly_figures", False)
    result = await org.plan_unit(CHILD, now)
    assert (result.added, result.cancelled) == (0, 1)
    states = {r.dedupe_key.split(":")[4]: r.state for r in await rows(db, CHILD)}
    assert states == {"d2": ReminderState.pending, "d0": ReminderState.cancelled}

    delivered = FakeBot()
    reminders = ReminderService(db, instance="test")
    assert (await sweep(delivered, reminders, now=now)).sent == 3  # one per unit, sent late once
    assert [chat for chat, _ in delivered.sent] == [PARENT_ADMIN, CHILD_ADMIN, LONE_OFFICER]
    assert (await sweep(delivered, reminders, now=local(2026, 12, 3, 9, 30))).sent == 2  # not 蓬江大队's


async def test_switching_back_on_revives_the_cancelled_nudges(db, org) -> None:
    now = local(2026, 11, 30, 10, 0)
    admin = await member(db, CHILD_ADMIN)
    await org.plan(now)
    await org.set_enabled(admin, CHILD, "monthly_figures", False)
    assert (await org.plan_unit(CHILD, now)).cancelled == 2
    await org.set_enabled(admin, CHILD, "monthly_figures", True)
    assert (await org.plan_unit(CHILD, now)).revived == 0  # the periodic run leaves cancelled rows alone
    assert pending(await rows(db, CHILD)) == []
    again = await org.plan_unit(CHILD, now, revive=True)  # right after the admin's change
    assert again.revived == 2 and len(pending(await rows(db, CHILD))) == 2


async def test_an_officers_cancelled_nudge_stays_cancelled_when_the_item_comes_back(db, org) -> None:
    """The unit admin cancels the two-days-before nudge (/unremind); switching the item off and on again brings
    back only the nudge the switch-off cancelled."""
    now = local(2026, 11, 30, 10, 0)
    admin = await member(db, CHILD_ADMIN)
    await org.plan(now)
    keys = {r.dedupe_key.split(":")[4]: r for r in await rows(db, CHILD)}
    assert set(keys) == {"d2", "d0"}
    assert await ReminderService(db).cancel(CHILD_ADMIN, keys["d2"].id)
    await org.set_enabled(admin, CHILD, "monthly_figures", False)
    assert (await org.plan_unit(CHILD, now, revive=True)).cancelled == 1  # d0: d2 was cancelled already
    by = {r.dedupe_key.split(":")[4]: (r.state, r.cancelled_by) for r in await rows(db, CHILD)}
    assert by == {"d2": (ReminderState.cancelled, "user"), "d0": (ReminderState.cancelled, "system")}

    await org.set_enabled(admin, CHILD, "monthly_figures", True)
    assert (await org.plan_unit(CHILD, now, revive=True)).revived == 1
    assert pending(await rows(db, CHILD)) == [("monthly_figures:2026-12-03:d0", CHILD_ADMIN, local(2026, 12, 3, 9, 0))]
    by = {r.dedupe_key.split(":")[4]: (r.state, r.cancelled_by) for r in await rows(db, CHILD)}
    assert by == {"d2": (ReminderState.cancelled, "user"), "d0": (ReminderState.pending, None)}


async def test_unit_without_admin_falls_back_and_gains_one(db, org) -> None:
    now = local(2026, 11, 30, 10, 0)
    await org.plan(now)
    async with db.session() as s:  # 新会大队 gets a unit admin: from now on only they are reminded
        await s.execute(update(User).where(User.id == LONE_OFFICER).values(role=Role.unit_admin))
        s.add(User(id=32, name="钱七", role=Role.officer, unit_id=SIBLING))
    await org.plan(now)
    assert [u for _, u, _ in pending(await rows(db, SIBLING))] == [LONE_OFFICER, LONE_OFFICER]


class FakeBot:
    def __init__(self) -> None:
        self.sent: list[tuple[int, str]] = []

    async def send_message(self, chat_id: int, text: str, **_kw) -> SimpleNamespace:
        self.sent.append((chat_id, text))
        return SimpleNamespace(message_id=len(self.sent))
