"""Case tracker service on a real SQLite file: opening and editing cases, who may see them, bad input,
re-planning of reminders (idempotent, cancelled when done or closed, back on reopen), escalation
recipients, the open-case list, and delivery of a case reminder through the real sweep and the local
Bot API server."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select
from support.botrun import TOKEN
from telegram import Bot

from bot.app import api_urls
from bot.services.audit import recent
from bot.services.users import Member, UserService
from bot.storage import Role, Unit, User
from bot.storage.cases import CaseEvent, CaseState
from bot.storage.reminders import Reminder, ReminderState
from handlers import texts
from handlers.common import error_text
from scheduler.case_tracker import (
    TRACKED_EVENTS,
    BadCaseInput,
    BadEventDate,
    CaseClosed,
    CaseNotFound,
    CaseService,
)
from scheduler.deadlines import Status, UnknownEventError, default_rules
from scheduler.reminders import ReminderService, sweep

TZ = ZoneInfo("Asia/Shanghai")
HANDLER, COLLEAGUE, CHIEF, OTHER_CHIEF, ADMIN, LONE_CHIEF = 501, 502, 601, 602, 900, 603


def at(y: int, m: int, d: int, h: int = 10, mi: int = 0) -> datetime:
    """A local Shanghai moment, as the service's `now` (aware)."""
    return datetime(y, m, d, h, mi, tzinfo=TZ)


NOW = at(2026, 3, 2)  # Monday


@pytest.fixture
async def people(db) -> dict[int, Member]:
    """总队 → 一支队 → 一大队; 二支队. The handler works in 一大队, whose only unit admin sits in 一支队."""
    async with db.session() as s:
        top = Unit(name="总队")
        s.add(top)
        await s.flush()
        first, second = Unit(name="一支队", parent_id=top.id), Unit(name="二支队", parent_id=top.id)
        s.add_all([first, second])
        await s.flush()
        squad = Unit(name="一大队", parent_id=first.id)
        s.add(squad)
        await s.flush()
        s.add_all([
            User(id=HANDLER, name="张三", role=Role.officer, unit_id=squad.id),
            User(id=COLLEAGUE, name="李四", role=Role.officer, unit_id=squad.id),
            User(id=CHIEF, name="王内勤", role=Role.unit_admin, unit_id=first.id),
            User(id=OTHER_CHIEF, name="赵内勤", role=Role.unit_admin, unit_id=second.id),
            User(id=LONE_CHIEF, name="钱内勤", role=Role.unit_admin, unit_id=top.id),
            User(id=ADMIN, name="局管理员", role=Role.admin),
        ])
    users = UserService(db)
    return {uid: await users.get(uid) for uid in (HANDLER, COLLEAGUE, CHIEF, OTHER_CHIEF, ADMIN, LONE_CHIEF)}


@pytest.fixture
def svc(db) -> CaseService:
    return CaseService(db, admin_ids=frozenset({ADMIN, 999}))  # 999 is configured but never registered


async def reminders(db, case_id: int, state: ReminderState | None = ReminderState.pending) -> dict[str, Reminder]:
    async with db.session() as s:
        q = select(Reminder).where(Reminder.case_id == case_id)
        if state is not None:
            q = q.where(Reminder.state == state)
        return {r.dedupe_key: r for r in await s.scalars(q)}


# --- opening, reading, editing -----------------------------------------------------------------------
async def test_open_get_record_remove(db, svc, people) -> None:
    me = people[HANDLER]
    case = await svc.open_case(me, "  某化工公司超标排放废气案 ", " 某化工有限公司", date(2026, 2, 20), now=NOW)
    assert (case.name, case.party, case.handler_name, case.unit_name) == ("某化工公司超标排放废气案", "某化工有限公司",
                                                                        "张三", "一大队")
    assert case.state is CaseState.open and case.events == {"立案": date(2026, 2, 20)}
    case = await svc.record_event(me, case.id, "事先告知书送达", date(2026, 3, 2), now=NOW)  # an alias
    assert case.events["告知书送达"] == date(2026, 3, 2)
    case = await svc.record_event(me, case.id, "告知书送达", date(2026, 2, 27), now=NOW)  # again: replaces
    assert case.events["告知书送达"] == date(2026, 2, 27)
    assert await svc.get(me, case.id) == case
    case = await svc.remove_event(me, case.id, "告知书送达", now=NOW)
    assert "告知书送达" not in case.events
    with pytest.raises(BadCaseInput):
        await svc.remove_event(me, case.id, "告知书送达", now=NOW)
    with pytest.raises(BadCaseInput) as exc:
        await svc.remove_event(me, case.id, "立案", now=NOW)
    assert "不能删除" in error_text(exc.value)
    assert [a.action for a in await recent(db)] == ["case.event_removed", "case.event", "case.event", "case.open"]


async def test_audit_trail(db, svc, people) -> None:
    me = people[HANDLER]
    case = await svc.open_case(me, "甲案", "甲公司", date(2026, 2, 20), now=NOW)
    await svc.record_event(me, case.id, "告知书送达", date(2026, 2, 27), now=NOW)
    await svc.record_event(me, case.id, "告知书送达", date(2026, 2, 26), now=NOW)
    await svc.close(me, case.id, now=NOW)
    await svc.reopen(me, case.id, now=NOW)
    log = list(reversed(await recent(db)))
    assert [a.action for a in log] == ["case.open", "case.event", "case.event", "case.close", "case.reopen"]
    assert all(a.actor == HANDLER and a.detail["case"] == case.id for a in log)
    assert log[2].detail == {"case": case.id, "event": "告知书送达", "on": "2026-02-26", "previous": "2026-02-27"}


async def test_timed_event_keeps_its_time_and_opening_moves(svc, people) -> None:
    me = people[HANDLER]
    case = await svc.open_case(me, "乙案", "乙公司", date(2026, 2, 20), now=NOW)
    case = await svc.record_event(me, case.id, "当场查封扣押", datetime(2026, 3, 2, 8, 45), now=NOW)
    assert case.events["当场查封扣押"] == datetime(2026, 3, 2, 8, 45)
    # read back in a new session: the local wall time, naive, on SQLite and PostgreSQL alike
    assert (await svc.get(me, case.id)).events["当场查封扣押"] == datetime(2026, 3, 2, 8, 45)
    urgent = next(d for d in svc.deadlines(case, NOW) if d.rule.id == "qz_seal_urgent")
    assert urgent.due_at == datetime(2026, 3, 3, 8, 45)
    case = await svc.record_event(me, case.id, "决定书送达", datetime(2026, 3, 2, 9, 30), now=NOW)
    assert case.events["决定书送达"] == date(2026, 3, 2)  # the time of day does not matter for day periods
    case = await svc.record_event(me, case.id, "立案", date(2026, 2, 18), now=NOW)
    assert case.opened_on == date(2026, 2, 18) and case.events["立案"] == date(2026, 2, 18)
    with pytest.raises(BadEventDate) as exc:  # 立案 after an event already recorded
        await svc.record_event(me, case.id, "立案", date(2026, 3, 3), now=at(2026, 3, 4))
    assert "晚于已记录的" in error_text(exc.value)


async def test_close_and_reopen(svc, people) -> None:
    me = people[HANDLER]
    case = await svc.open_case(me, "丙案", "丙公司", date(2026, 2, 20), now=NOW)
    closed = await svc.close(me, case.id, now=NOW)
    assert closed.state is CaseState.closed and closed.closed_at == NOW.astimezone(UTC)
    assert (await svc.close(me, case.id, now=NOW)).state is CaseState.closed  # twice: no error
    with pytest.raises(CaseClosed) as exc:
        await svc.record_event(me, case.id, "告知书送达", date(2026, 3, 1), now=NOW)
    assert error_text(exc.value) == texts.ERRORS["case_closed"].format(id=case.id)
    with pytest.raises(CaseClosed):
        await svc.remove_event(me, case.id, "告知书送达", now=NOW)
    reopened = await svc.reopen(me, case.id, now=NOW)
    assert reopened.state is CaseState.open and reopened.closed_at is None
    assert (await svc.record_event(me, case.id, "告知书送达", date(2026, 3, 1), now=NOW)).events["告知书送达"]


# --- permissions ---------------------------------------------------------------------------------------
async def test_who_sees_and_edits_a_case(svc, people) -> None:
    case = await svc.open_case(people[HANDLER], "丁案", "丁公司", date(2026, 2, 20), now=NOW)
    assert (await svc.get(people[CHIEF], case.id)).id == case.id  # unit admin of the unit above
    assert (await svc.get(people[LONE_CHIEF], case.id)).id == case.id  # unit admin of the root unit
    assert (await svc.get(people[ADMIN], case.id)).id == case.id
    edited = await svc.record_event(people[CHIEF], case.id, "告知书送达", date(2026, 3, 2), now=NOW)
    assert edited.events["告知书送达"] == date(2026, 3, 2)
    for outsider in (people[COLLEAGUE], people[OTHER_CHIEF]):
        with pytest.raises(CaseNotFound) as exc:
            await svc.get(outsider, case.id)
        with pytest.raises(CaseNotFound):
            await svc.record_event(outsider, case.id, "告知书送达", date(2026, 3, 2), now=NOW)
        with pytest.raises(CaseNotFound):
            await svc.close(outsider, case.id, now=NOW)
    # the same answer as for a case that does not exist: the number reveals nothing
    with pytest.raises(CaseNotFound) as missing:
        await svc.get(people[COLLEAGUE], 424242)
    assert error_text(exc.value) == texts.ERRORS["case_not_found"].format(id=case.id)
    assert error_text(missing.value) == texts.ERRORS["case_not_found"].format(id=424242)


# --- bad input -----------------------------------------------------------------------------------------
async def test_bad_inputs(svc, people) -> None:
    me = people[HANDLER]
    with pytest.raises(BadCaseInput) as exc:
        await svc.open_case(me, "   ", "某公司", date(2026, 2, 20), now=NOW)
    assert "案件名称不能为空，例如" in error_text(exc.value)
    with pytest.raises(BadCaseInput) as exc:
        await svc.open_case(me, "某案", "某" * 101, date(2026, 2, 20), now=NOW)
    assert "不能超过 100 个字" in error_text(exc.value)
    with pytest.raises(BadEventDate) as exc:
        await svc.open_case(me, "某案", "某公司", date(2026, 3, 3), now=NOW)
    assert error_text(exc.value).startswith("日期有误：立案的日期 2026-03-03 晚于今天（2026-03-02）")
    with pytest.raises(BadEventDate):
        await svc.open_case(me, "某案", "某公司", date(2021, 3, 1), now=NOW)  # more than 5 years back
    case = await svc.open_case(me, "某案", "某公司", date(2021, 3, 2), now=NOW)  # exactly 5 years: accepted

    case = await svc.open_case(me, "某案", "某公司", date(2026, 2, 20), now=NOW)
    with pytest.raises(BadEventDate) as exc:
        await svc.record_event(me, case.id, "告知书送达", date(2026, 2, 19), now=NOW)
    assert "早于立案日期 2026-02-20" in error_text(exc.value)
    with pytest.raises(BadEventDate):
        await svc.record_event(me, case.id, "决定作出", date(2026, 3, 3), now=NOW)
    with pytest.raises(BadEventDate):  # later today
        await svc.record_event(me, case.id, "当场查封扣押", datetime(2026, 3, 2, 11, 0), now=NOW)
    with pytest.raises(BadEventDate):  # the hearing may be planned ahead, but not beyond a year
        await svc.record_event(me, case.id, "听证举行", date(2027, 3, 3), now=NOW)
    case = await svc.record_event(me, case.id, "听证举行", date(2026, 3, 20), now=NOW)
    case = await svc.record_event(me, case.id, "违法行为终了", date(2025, 12, 1), now=NOW)  # before 立案: fine
    assert set(case.events) == {"立案", "听证举行", "违法行为终了"}
    with pytest.raises(UnknownEventError) as unknown:
        await svc.record_event(me, case.id, "开会", date(2026, 3, 2), now=NOW)
    assert "未知的案件事件“开会”" in str(unknown.value) and "告知书送达" in str(unknown.value)
    with pytest.raises(UnknownEventError):
        await svc.remove_event(me, case.id, "开会", now=NOW)


def test_tracked_events_are_known() -> None:
    rules = default_rules()
    assert all(rules.event(e) == e for e in TRACKED_EVENTS)
    assert TRACKED_EVENTS[:3] == ("告知书送达", "听证申请", "听证举行") and "立案" not in TRACKED_EVENTS


# --- reminders -----------------------------------------------------------------------------------------
async def test_replanning_is_idempotent_and_follows_the_events(db, svc, people) -> None:
    me = people[HANDLER]
    case = await svc.open_case(me, "戊案", "戊公司", date(2026, 3, 2), now=NOW)  # decision due 31 May 2026
    first = await reminders(db, case.id)
    assert sorted(k.removeprefix(f"case:{case.id}:") for k in first) == [
        "cf_decision:2026-05-31:d0:501", "cf_decision:2026-05-31:d1:501", "cf_decision:2026-05-31:d3:501",
        f"cf_decision:2026-05-31:esc:{CHIEF}", "cf_decision:2026-05-31:over:501",
    ]
    assert first[f"case:{case.id}:cf_decision:2026-05-31:d3:501"].due_at.replace(tzinfo=UTC) == at(2026, 5, 28, 9)
    # the same event recorded again: nothing new, nothing cancelled
    await svc.record_event(me, case.id, "立案", date(2026, 3, 2), now=NOW)
    await svc.record_event(me, case.id, "立案", date(2026, 3, 2), now=NOW)
    assert set(await reminders(db, case.id)) == set(first)
    assert len(await reminders(db, case.id, state=None)) == len(first)

    # 告知书送达 adds the party's hearing-request note; 听证申请 makes it done and cancels it
    await svc.record_event(me, case.id, "告知书送达", date(2026, 3, 2), now=NOW)
    assert f"case:{case.id}:cf_hearing_request:2026-03-09:expired:501" in await reminders(db, case.id)
    await svc.record_event(me, case.id, "听证申请", date(2026, 3, 2), now=NOW)
    assert not any(":cf_hearing_request:" in k for k in await reminders(db, case.id))

    # inside the window: the d3 nudge is due (at 28 May 09:00); recording the decision late cancels the rest
    late = at(2026, 5, 30, 10)
    await svc.record_event(me, case.id, "决定作出", date(2026, 5, 30), now=late)
    pending = await reminders(db, case.id)
    assert not any(":cf_decision:" in k for k in pending)  # even the d3 one that fell due while we were away
    cancelled = await reminders(db, case.id, ReminderState.cancelled)
    assert f"case:{case.id}:cf_decision:2026-05-31:d3:501" in cancelled


async def test_close_cancels_all_and_reopen_replans(db, svc, people) -> None:
    me = people[HANDLER]
    case = await svc.open_case(me, "己案", "己公司", date(2026, 3, 2), now=NOW)
    await svc.record_event(me, case.id, "告知书送达", date(2026, 3, 2), now=NOW)
    planned = set(await reminders(db, case.id))
    assert len(planned) == 6
    await svc.close(me, case.id, now=NOW)
    assert await reminders(db, case.id) == {}
    await svc.reopen(me, case.id, now=NOW)
    assert set(await reminders(db, case.id)) == planned  # the same keys, back to pending
    async with db.session() as s:
        keys = list(await s.scalars(select(Reminder.dedupe_key).where(Reminder.case_id == case.id)))
    assert len(keys) == len(set(keys)) == 6
    # removing the event that was just recorded and recording it again brings its reminder back too
    await svc.remove_event(me, case.id, "告知书送达", now=NOW)
    assert len(await reminders(db, case.id)) == 5
    await svc.record_event(me, case.id, "告知书送达", date(2026, 3, 2), now=NOW)
    assert set(await reminders(db, case.id)) == planned


async def test_a_changed_date_moves_the_reminders(db, svc, people) -> None:
    me = people[HANDLER]
    case = await svc.open_case(me, "庚案", "庚公司", date(2026, 3, 2), now=NOW)
    await svc.record_event(me, case.id, "立案", date(2026, 3, 1), now=NOW)  # 1 March + 90 → 30 May
    keys = {k.removeprefix(f"case:{case.id}:") for k in await reminders(db, case.id)}
    assert keys == {"cf_decision:2026-05-30:d3:501", "cf_decision:2026-05-30:d1:501", "cf_decision:2026-05-30:d0:501",
                    "cf_decision:2026-05-30:over:501", f"cf_decision:2026-05-30:esc:{CHIEF}"}


async def test_opening_inside_the_window_nudges_at_once(db, svc, people) -> None:
    now = at(2026, 5, 29, 15)
    case = await svc.open_case(people[HANDLER], "辛案", "辛公司", date(2026, 3, 2), now=now)
    pending = await reminders(db, case.id)
    d3 = pending[f"case:{case.id}:cf_decision:2026-05-31:d3:501"]
    assert d3.due_at.replace(tzinfo=UTC) == now.astimezone(UTC) and d3.kind == "case"


async def test_escalation_recipients(db, svc, people) -> None:
    case = await svc.open_case(people[HANDLER], "壬案", "壬公司", date(2026, 3, 2), now=NOW)
    async with db.session() as s:  # 一大队 has no unit admin → the one of 一支队
        assert await svc.escalation_recipients(s, case) == [CHIEF]
    # the unit admin's own case: nobody else in 一支队 → 总队's unit admin
    own = await svc.open_case(people[CHIEF], "癸案", "癸公司", date(2026, 3, 2), now=NOW)
    assert own.unit_name == "一支队"
    async with db.session() as s:
        assert await svc.escalation_recipients(s, own) == [LONE_CHIEF]
    # the root's unit admin's own case: nobody above → admins (registered ones only; 999 is not a user)
    top = await svc.open_case(people[LONE_CHIEF], "子案", "子公司", date(2026, 3, 2), now=NOW)
    async with db.session() as s:
        assert await svc.escalation_recipients(s, top) == [ADMIN]
    esc = [r for r in (await reminders(db, top.id)).values() if r.kind == "escalation"]
    assert [r.user_id for r in esc] == [ADMIN]
    assert "办案人：钱内勤" in esc[0].text
    # an admin without a unit: other admins only, never themself
    mine = await svc.open_case(people[ADMIN], "丑案", "丑公司", date(2026, 3, 2), now=NOW)
    async with db.session() as s:
        assert await svc.escalation_recipients(s, mine) == []
    assert all(r.user_id == ADMIN for r in (await reminders(db, mine.id)).values())


# --- the list of open cases ----------------------------------------------------------------------------
async def test_list_open_order_and_overdue(svc, people) -> None:
    me, now = people[HANDLER], at(2026, 6, 10)
    quiet = await svc.open_case(me, "无期限案", "甲", date(2026, 6, 1), now=now)  # decision due 30 Aug
    await svc.record_event(me, quiet.id, "决定作出", date(2026, 6, 2), now=now)  # … done: no next deadline
    late = await svc.open_case(me, "逾期案", "乙", date(2026, 3, 2), now=now)  # decision due 31 May: overdue
    soon = await svc.open_case(me, "临近案", "丙", date(2026, 6, 1), now=now)
    await svc.record_event(me, soon.id, "收到起诉状副本", date(2026, 6, 8), now=now)  # defence due 23 June
    mid = await svc.open_case(me, "中间案", "丁", date(2026, 4, 1), now=now)  # decision due 30 June
    closed = await svc.open_case(me, "已结案", "戊", date(2026, 3, 2), now=now)
    await svc.close(me, closed.id, now=now)
    other = await svc.open_case(people[COLLEAGUE], "同事的案", "己", date(2026, 6, 1), now=now)

    mine = await svc.list_open(me, now=now)
    assert [s.case.id for s in mine] == [late.id, soon.id, mid.id, quiet.id]
    assert [s.overdue for s in mine] == [1, 0, 0, 0]
    assert mine[0].next_deadline.rule.id == "cf_decision" and mine[0].next_deadline.status is Status.OVERDUE
    assert (mine[1].next_deadline.rule.id, mine[1].next_deadline.due) == ("ss_defence", date(2026, 6, 23))
    assert mine[3].next_deadline is None
    # the unit admin above sees everyone's open cases; an officer's unit scope is still their own
    unit = await svc.list_open(people[CHIEF], unit_scope=True, now=now)
    assert {s.case.id for s in unit} == {late.id, soon.id, mid.id, quiet.id, other.id}
    assert await svc.list_open(people[CHIEF], now=now) == []
    assert {s.case.id for s in await svc.list_open(people[COLLEAGUE], unit_scope=True, now=now)} == {other.id}
    assert {s.case.id for s in await svc.list_open(people[OTHER_CHIEF], unit_scope=True, now=now)} == set()
    assert len(await svc.list_open(people[ADMIN], unit_scope=True, now=now)) == 5


# --- delivery ------------------------------------------------------------------------------------------
async def test_case_reminder_delivered_once_through_the_bot_api(db, svc, people, server) -> None:
    me = people[HANDLER]
    opened = at(2026, 5, 20)
    case = await svc.open_case(me, "寅公司超标排放案", "寅公司", date(2026, 3, 2), now=opened)
    base_url, file_url = api_urls(server.base_url)
    reminders_svc = ReminderService(db, instance="case-test")
    async with Bot(TOKEN, base_url=base_url, base_file_url=file_url) as bot:
        assert (await sweep(bot, reminders_svc, now=at(2026, 5, 28, 8, 59))).sent == 0
        due = at(2026, 5, 28, 9)
        assert (await sweep(bot, reminders_svc, now=due)).sent == 1
        assert (await sweep(bot, reminders_svc, now=due + timedelta(minutes=5))).sent == 0
        # an unrelated change re-plans the case: the delivered nudge is not planned again
        await svc.record_event(me, case.id, "告知书送达", date(2026, 5, 28), now=due + timedelta(hours=1))
        assert (await sweep(bot, reminders_svc, now=due + timedelta(hours=2))).sent == 0
    sent = server.api.sent(HANDLER)
    assert len(sent) == 1
    text = sent[0]["text"]
    assert "寅公司超标排放案（寅公司）#" in text and "作出行政处罚决定：截止 2026年5月31日（周日），还有3天" in text
    assert "依据：《行政处罚法》第六十条" in text
    async with db.session() as s:
        states = dict((await s.execute(
            select(Reminder.dedupe_key, Reminder.state).where(Reminder.case_id == case.id))).all())
        assert states[f"case:{case.id}:cf_decision:2026-05-31:d3:501"] is ReminderState.sent
        assert await s.scalar(select(func.count()).select_from(CaseEvent).where(CaseEvent.case_id == case.id)) == 2


async def test_escalation_delivered_to_the_unit_admin(db, svc, people) -> None:
    class Recorder:
        def __init__(self):
            self.sent: list[tuple[int, str]] = []

        async def send_message(self, chat_id, text, **_kw):
            self.sent.append((chat_id, text))
            return type("M", (), {"message_id": len(self.sent)})()

    case = await svc.open_case(people[HANDLER], "卯案", "卯公司", date(2026, 3, 2), now=NOW)
    fake, reminders_svc = Recorder(), ReminderService(db, instance="case-esc")
    # first sweep on the due day: d3 and d1 fell due unseen, only the latest (d0, 今天到期) goes out
    assert (await sweep(fake, reminders_svc, now=at(2026, 5, 31, 9))).sent == 1
    assert [c for c, _ in fake.sent] == [HANDLER] and "今天到期" in fake.sent[0][1]
    fake.sent.clear()
    await sweep(fake, reminders_svc, now=at(2026, 6, 1, 9))  # the morning after the due day
    to = sorted(chat for chat, _ in fake.sent)
    assert to == [HANDLER, CHIEF]
    chief_text = next(t for c, t in fake.sent if c == CHIEF)
    assert "案件期限已过" in chief_text and "办案人：张三" in chief_text and f"#{case.id}" in chief_text
    assert "已逾期1天" in chief_text


async def test_daily_replan_follows_a_new_unit_admin(db, svc, people) -> None:
    """The daily job re-plans open cases: a unit admin appointed in 一大队 after the case was opened gets
    its future escalations instead of 一支队's; closed cases are left alone; running it twice adds nothing."""
    case = await svc.open_case(people[HANDLER], "寅案", "寅公司", date(2026, 3, 2), now=NOW)
    closed = await svc.open_case(people[HANDLER], "卯案", "卯公司", date(2026, 3, 2), now=NOW)
    await svc.close(people[HANDLER], closed.id, now=NOW)
    escalated_to = {r.user_id for r in (await reminders(db, case.id)).values() if r.kind == "escalation"}
    assert escalated_to == {CHIEF}
    async with db.session() as s:
        s.add(User(id=504, name="孙内勤", role=Role.unit_admin, unit_id=(await s.get(User, HANDLER)).unit_id))
    assert await svc.replan_open(now=NOW) == 1
    pending = await reminders(db, case.id)
    assert {r.user_id for r in pending.values() if r.kind == "escalation"} == {504}
    assert not await reminders(db, closed.id)
    count = len(await reminders(db, case.id, state=None))
    assert await svc.replan_open(now=NOW) == 1
    assert len(await reminders(db, case.id, state=None)) == count


async def test_officers_own_cancel_survives_the_periodic_replan(db, svc, people) -> None:
    """/unremind of a case reminder says 已取消: the 6-hourly re-plan must not bring it back."""
    case = await svc.open_case(people[HANDLER], "丙案", "丙公司", date(2026, 3, 2), now=NOW)
    d3 = (await reminders(db, case.id))[f"case:{case.id}:cf_decision:2026-05-31:d3:501"]
    assert await ReminderService(db).cancel(HANDLER, d3.id)
    await svc.replan_open(now=NOW + timedelta(hours=6))
    cancelled = await reminders(db, case.id, ReminderState.cancelled)
    assert f"case:{case.id}:cf_decision:2026-05-31:d3:501" in cancelled


async def test_officers_own_cancel_survives_their_changes_to_the_case(db, svc, people) -> None:
    """An officer who cancelled a case nudge (/unremind, 取消) does not get it back when they record another
    event or close and reopen the case; the reminders the system cancelled (closing) do come back."""
    me = people[HANDLER]
    case = await svc.open_case(me, "甲辰案", "甲辰公司", date(2026, 3, 2), now=NOW)
    await svc.record_event(me, case.id, "告知书送达", date(2026, 3, 2), now=NOW)
    planned = set(await reminders(db, case.id))
    d3 = f"case:{case.id}:cf_decision:2026-05-31:d3:501"
    assert len(planned) == 6 and d3 in planned
    assert await ReminderService(db).cancel(HANDLER, (await reminders(db, case.id))[d3].id)
    others = planned - {d3}

    await svc.record_event(me, case.id, "立案", date(2026, 3, 2), now=NOW + timedelta(hours=1))
    assert set(await reminders(db, case.id)) == others
    assert (await reminders(db, case.id, ReminderState.cancelled))[d3].cancelled_by == "user"

    await svc.close(me, case.id, now=NOW + timedelta(hours=2))
    closed = await reminders(db, case.id, ReminderState.cancelled)
    assert set(closed) == planned
    assert {k: r.cancelled_by for k, r in closed.items()} == {k: "system" for k in others} | {d3: "user"}

    await svc.reopen(me, case.id, now=NOW + timedelta(hours=3))
    back = await reminders(db, case.id)
    assert set(back) == others  # the system's cancels are revived, the officer's is not
    assert all(r.cancelled_by is None for r in back.values())
    assert set(await reminders(db, case.id, ReminderState.cancelled)) == {d3}

    # removing an event and recording it again also brings back only what the system cancelled
    hearing = {k for k in others if ":cf_hearing_request:" in k}
    assert len(hearing) == 1
    await svc.remove_event(me, case.id, "告知书送达", now=NOW + timedelta(hours=4))
    assert set(await reminders(db, case.id)) == others - hearing
    await svc.record_event(me, case.id, "告知书送达", date(2026, 3, 2), now=NOW + timedelta(hours=5))
    assert set(await reminders(db, case.id)) == others
    async with db.session() as s:
        count = await s.scalar(select(func.count()).select_from(Reminder).where(Reminder.case_id == case.id))
    assert count == 6  # the same rows reused, nothing doubled


async def test_snoozed_case_reminder_goes_when_the_deadline_is_done_or_the_case_closed(db, svc, people) -> None:
    """稍后提醒 on a delivered case reminder makes a copy: recording the decision (or closing the case)
    before it comes must cancel it like the planned ones, not nudge about a finished deadline."""
    class Recorder:
        async def send_message(self, chat_id, text, **_kw):
            return type("M", (), {"message_id": 1})()

    me, delivered = people[HANDLER], at(2026, 5, 30, 9)
    rem = ReminderService(db, instance="snooze-test")
    done = await svc.open_case(me, "午案", "午公司", date(2026, 3, 2), now=NOW)
    closed = await svc.open_case(me, "未案", "未公司", date(2026, 3, 2), now=NOW)
    await sweep(Recorder(), rem, now=delivered)  # d3 and d1 of both cases
    copies = []
    for case in (done, closed):
        d1 = (await reminders(db, case.id, ReminderState.sent))[f"case:{case.id}:cf_decision:2026-05-31:d1:501"]
        copy, created = await rem.snooze(HANDLER, d1.id, at(2026, 5, 31, 9))
        assert created and copy.case_id == case.id
        copies.append(copy.id)
    await svc.record_event(me, done.id, "决定作出", date(2026, 5, 30), now=delivered + timedelta(hours=1))
    await svc.close(me, closed.id, now=delivered + timedelta(hours=1))
    async with db.session() as s:
        states = [(await s.get(Reminder, rid)).state for rid in copies]
    assert states == [ReminderState.cancelled, ReminderState.cancelled]


async def test_list_open_next_deadline_skips_a_moot_or_reached_date(svc, people) -> None:
    """/mycases after the hearing took place: the notice-before-the-hearing date is moot, not the next
    deadline (nor 逾期30天 at the top of the list); a reached “after” date (加处罚款 may start) is no
    deadline either."""
    me, now = people[HANDLER], at(2026, 4, 10)
    heard = await svc.open_case(me, "听证案", "乙", date(2026, 3, 2), now=NOW)
    await svc.record_event(me, heard.id, "听证举行", date(2026, 3, 20), now=NOW)
    paid = await svc.open_case(me, "缴款案", "甲", date(2026, 3, 2), now=NOW)
    await svc.record_event(me, paid.id, "决定书送达", date(2026, 3, 2), now=NOW)
    nxt = {s.case.id: (s.next_deadline.rule.id, s.next_deadline.due) for s in await svc.list_open(me, now=now)}
    assert nxt == {heard.id: ("cf_decision", date(2026, 5, 31)), paid.id: ("fy_apply", date(2026, 5, 6))}


# --- marking a deadline done (已办理) -------------------------------------------------------------------
async def test_marking_the_hearing_notice_done_cancels_its_reminders_and_escalation(db, svc, people) -> None:
    """通知听证时间、地点 has no event that finishes it: without the mark it stayed 已逾期 and escalated in
    every case with a hearing. Hearing on Friday 20 March: notify 7 working days before, by Wed 11 March
    (行政处罚法第六十四条第一款第二项, 第八十五条)."""
    me = people[HANDLER]
    case = await svc.open_case(me, "听证案", "甲公司", date(2026, 3, 2), now=NOW)
    await svc.record_event(me, case.id, "听证举行", date(2026, 3, 20), now=NOW)
    unmarked = await svc.open_case(me, "另一听证案", "乙公司", date(2026, 3, 2), now=NOW)
    await svc.record_event(me, unmarked.id, "听证举行", date(2026, 3, 20), now=NOW)
    notice = f"case:{case.id}:cf_hearing_notice:2026-03-11"
    keys = [f"{notice}:{tag}" for tag in ("d3:501", "d1:501", "d0:501", "over:501", f"esc:{CHIEF}")]
    assert set(keys) <= set(await reminders(db, case.id))

    marked_at = at(2026, 3, 9)
    view = await svc.mark_done(me, case.id, "cf_hearing_notice", now=marked_at)
    assert view.done_rules == {"cf_hearing_notice": date(2026, 3, 9)}
    assert "done:cf_hearing_notice" not in view.events and set(view.events) == {"立案", "听证举行"}
    status = {d.rule.id: d.status for d in svc.deadlines(view, marked_at)}
    assert status["cf_hearing_notice"] is Status.DONE and status["cf_decision"] is not Status.DONE
    pending = await reminders(db, case.id)
    assert not any(":cf_hearing_notice:" in k for k in pending)  # the d3 one that fell due on 8 March too
    assert set(keys) <= set(await reminders(db, case.id, ReminderState.cancelled))
    assert any(":cf_decision:" in k for k in pending)  # the others stay
    assert await svc.mark_done(me, case.id, "cf_hearing_notice", now=marked_at) == view  # a double tap
    assert (await svc.get(me, case.id)).done_rules == {"cf_hearing_notice": date(2026, 3, 9)}

    # /mycases on 12 March: the marked case is neither overdue nor led by the notice; the other one is
    listed = {s.case.id: s for s in await svc.list_open(me, now=at(2026, 3, 12))}
    assert listed[case.id].overdue == 0 and listed[case.id].next_deadline.rule.id == "cf_decision"
    assert listed[unmarked.id].overdue == 1 and listed[unmarked.id].next_deadline.rule.id == "cf_hearing_notice"

    # the same day, the officer takes it back: the deadline and its reminders still ahead return
    view = await svc.unmark_done(me, case.id, "cf_hearing_notice", now=at(2026, 3, 9, 12))
    assert view.done_rules == {}
    assert next(d for d in svc.deadlines(view, NOW) if d.rule.id == "cf_hearing_notice").status is not Status.DONE
    pending = await reminders(db, case.id)
    assert set(keys[1:]) <= set(pending)
    assert pending[keys[1]].due_at.replace(tzinfo=UTC) == at(2026, 3, 10, 9)
    assert pending[keys[-1]].kind == "escalation"
    with pytest.raises(BadCaseInput) as exc:
        await svc.unmark_done(me, case.id, "cf_hearing_notice", now=NOW)
    assert "没有标记为已办理" in error_text(exc.value)
    log = [(a.action, a.detail.get("rule")) for a in await recent(db)][:2]
    assert log == [("case.undone", "cf_hearing_notice"), ("case.done", "cf_hearing_notice")]


async def test_only_the_authoritys_own_deadlines_of_the_case_can_be_marked(svc, people) -> None:
    me = people[HANDLER]
    case = await svc.open_case(me, "标记案", "丙公司", date(2026, 3, 2), now=NOW)
    await svc.record_event(me, case.id, "告知书送达", date(2026, 3, 2), now=NOW)
    await svc.record_event(me, case.id, "决定书送达", date(2026, 3, 2), now=NOW)
    refused = {
        "cf_hearing_request": "当事人的期限",  # the party's
        "cf_surcharge": "不是截止期限",  # an earliest day (after)
        "cf_decision": "请通过记录“决定作出”或“决定宣告”或“决定书送达”办结",  # an event finishes it
        "ss_defence": "本案目前没有“被告提交证据和答辩状”这项期限（记录“收到起诉状副本”后才会计算）",
        "no_such_rule": "没有“no_such_rule”这项期限",
    }
    for rule_id, reason in refused.items():
        with pytest.raises(BadCaseInput) as exc:
            await svc.mark_done(me, case.id, rule_id, now=NOW)
        assert reason in error_text(exc.value), (rule_id, error_text(exc.value))
    assert (await svc.get(me, case.id)).done_rules == {}

    await svc.record_event(me, case.id, "收到起诉状副本", date(2026, 3, 2), now=NOW)
    # who may: as for events. Outsiders learn nothing; the unit admin above may mark and unmark
    for outsider in (people[COLLEAGUE], people[OTHER_CHIEF]):
        with pytest.raises(CaseNotFound):
            await svc.mark_done(outsider, case.id, "ss_defence", now=NOW)
    view = await svc.mark_done(people[CHIEF], case.id, "ss_defence", now=NOW)
    assert view.done_rules == {"ss_defence": date(2026, 3, 2)}
    with pytest.raises(CaseNotFound):
        await svc.unmark_done(people[COLLEAGUE], case.id, "ss_defence", now=NOW)
    # a closed case takes no marks, and none are taken back
    await svc.close(me, case.id, now=NOW)
    with pytest.raises(CaseClosed):
        await svc.unmark_done(me, case.id, "ss_defence", now=NOW)
    with pytest.raises(CaseClosed):
        await svc.mark_done(me, case.id, "cf_hearing_notice", now=NOW)
    assert (await svc.get(me, case.id)).done_rules == {"ss_defence": date(2026, 3, 2)}


async def test_done_marks_survive_events_and_replanning(db, svc, people) -> None:
    me = people[HANDLER]
    case = await svc.open_case(me, "答辩案", "丁公司", date(2026, 3, 1), now=at(2026, 3, 1))
    await svc.record_event(me, case.id, "收到起诉状副本", date(2026, 3, 3), now=at(2026, 3, 3))
    await svc.mark_done(me, case.id, "ss_defence", now=at(2026, 3, 3))  # marked on 3 March
    later = at(2026, 3, 6)
    await svc.record_event(me, case.id, "收到起诉状副本", date(2026, 3, 5), now=later)  # the date corrected
    view = await svc.record_event(me, case.id, "立案", date(2026, 3, 4), now=later)  # after the mark's day: fine
    await svc.record_event(me, case.id, "告知书送达", date(2026, 3, 6), now=later)
    view = await svc.remove_event(me, case.id, "告知书送达", now=later)
    assert await svc.replan_open(now=later) == 1
    await svc.close(me, case.id, now=later)
    view = await svc.reopen(me, case.id, now=later)
    assert view.done_rules == {"ss_defence": date(2026, 3, 3)} and not any(e.startswith("done") for e in view.events)
    defence = next(d for d in svc.deadlines(view, later) if d.rule.id == "ss_defence")
    assert defence.status is Status.DONE and defence.due == date(2026, 3, 20)
    assert not any(":ss_defence:" in k for k in await reminders(db, case.id))
    # the trigger removed: no such deadline, the mark waits; recorded again: it is done again
    view = await svc.remove_event(me, case.id, "收到起诉状副本", now=later)
    assert "ss_defence" not in {d.rule.id for d in svc.deadlines(view, later)}
    view = await svc.record_event(me, case.id, "收到起诉状副本", date(2026, 3, 5), now=later)
    assert next(d for d in svc.deadlines(view, later) if d.rule.id == "ss_defence").status is Status.DONE
    assert not any(":ss_defence:" in k for k in await reminders(db, case.id))
