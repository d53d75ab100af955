"""Access by role and by unit (issue 15): every command and the buttons that carry an id, tried by an unregistered
person, officers of three units, a unit admin and a 督查 supervisor of one 支队, and the bureau admin.

Each unit's data carries markers — a case's party, a month's fine total, a member's name — and every answer is
searched for them: a person sees the markers of exactly the units the table allows (their own unit; a unit admin's
or supervisor's subtree; everything for the admin), never another unit's. Admin actions in chat end up in the
audit log; invite codes expire and can be revoked.
"""

from __future__ import annotations

import asyncio
import re
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from itertools import combinations

import pytest
from support.botrun import ADMIN_ID, RunningBot, buttons

from bot.services import audit
from bot.storage import Role
from bot.storage.cases import Case
from bot.storage.stats import StatsReport
from handlers.texts import ERRORS, REGISTER_FIRST
from scheduler.services import KEY

pytestmark = pytest.mark.faults

PJ, XH, NH = "蓬江大队", "新会大队", "南海大队"  # 江门支队 → 蓬江, 新会; 佛山支队 → 南海
STRANGER, OFFICER_PJ, OFFICER_XH, OFFICER_NH, UNIT_ADMIN, SUPERVISOR = 777, 501, 502, 503, 601, 602
MARKERS = {  # what only that unit's data contains: a case's party, a member's name
    PJ: ("甲化工厂", "蓬江队员"),
    XH: ("乙印染厂", "新会队员"),
    NH: ("丙电镀厂", "南海队员"),
}
FINES = {PJ: Decimal("1.01"), XH: Decimal("2.02"), NH: Decimal("4.04")}  # 万元; every sum tells its units apart
ALL = {PJ, XH, NH}
JIANGMEN = {PJ, XH}
# whose data each person may ever see
ALLOWED = {STRANGER: set(), OFFICER_PJ: {PJ}, OFFICER_XH: {XH}, OFFICER_NH: {NH}, UNIT_ADMIN: JIANGMEN,
           SUPERVISOR: JIANGMEN, ADMIN_ID: ALL}
PEOPLE = {STRANGER: "陌生人", OFFICER_PJ: "蓬江队员", OFFICER_XH: "新会队员", OFFICER_NH: "南海队员",
          UNIT_ADMIN: "江门内勤", SUPERVISOR: "江门督查", ADMIN_ID: "局管理员"}


def previous_month() -> date:
    first = datetime.now(UTC).date().replace(day=1)
    return (first - timedelta(days=1)).replace(day=1)


async def seed(bot: RunningBot) -> dict[str, int]:
    """The tree, the people (through invites), one open case and one monthly report per 大队. Returns case ids."""
    s = bot.app.bot_data[KEY]
    await s.users.identify(ADMIN_ID, PEOPLE[ADMIN_ID])
    for name, parent in (("江门支队", None), (PJ, "江门支队"), (XH, "江门支队"), ("佛山支队", None), (NH, "佛山支队")):
        await s.units.create(ADMIN_ID, name, parent)
    tree = {n.name: n.id for n in await s.units.tree()}
    for uid, unit, role in ((OFFICER_PJ, PJ, Role.officer), (OFFICER_XH, XH, Role.officer),
                            (OFFICER_NH, NH, Role.officer), (UNIT_ADMIN, "江门支队", Role.unit_admin),
                            (SUPERVISOR, "江门支队", Role.supervisor)):
        invite = await s.users.issue_invite(ADMIN_ID, tree[unit], role)
        await s.users.redeem(invite.code, uid, PEOPLE[uid])
    cases = {}
    month = previous_month()
    for uid, unit in ((OFFICER_PJ, PJ), (OFFICER_XH, XH), (OFFICER_NH, NH)):
        member = await s.users.get(uid)
        party, _name = MARKERS[unit]
        case = await s.cases.open_case(member, f"{unit}废气案", party, datetime.now(UTC).date() - timedelta(days=3))
        cases[unit] = case.id
        async with s.db.session() as session:
            session.add(StatsReport(unit_id=tree[unit], month=month, values={"fines": str(FINES[unit]), "cases_opened": "3"},
                                    submitted_by=uid, submitted_at=datetime.now(UTC)))
    return cases


async def exchange(bot: RunningBot, uid: int, text: str | None = None, press: tuple[dict, str] | None = None) -> str:
    """Everything the bot said to that chat in answer (messages, edits, captions, button answers), once it is quiet."""
    before = len(bot.api.calls)
    user = bot.api.user(uid, PEOPLE.get(uid, "新同事"))
    if text is not None:
        bot.api.queue(bot.api.message_update(user, text))
    else:
        message, data = press
        bot.api.queue(bot.api.callback_update(user, message, data))

    def mine(calls):
        return [c for c in calls[before:] if str(c.params.get("chat_id")) == str(uid)
                or (c.method == "answerCallbackQuery")]

    await bot.wait(lambda calls: any(c.method in ("sendMessage", "editMessageText", "answerCallbackQuery")
                                     for c in mine(calls)), timeout=20)
    quiet = len(bot.api.calls)
    while True:  # a report sends its text, then a spreadsheet and a chart
        await asyncio.sleep(0.3)
        if len(bot.api.calls) == quiet:
            break
        quiet = len(bot.api.calls)
    said = [str(c.params.get(k, "")) for c in mine(bot.api.calls) for k in ("text", "caption")]
    return "\n".join(said)


def in_chat_of(message: dict, uid: int) -> dict:
    """The message as if it had been sent to that person: a forged or replayed button press."""
    return {"message_id": message["message_id"], "date": int(time.time()), "chat": {"id": uid, "type": "private"},
            "text": message.get("text", ""), "reply_markup": message.get("reply_markup")}


def units_seen(said: str) -> set[str]:
    seen = {unit for unit, markers in MARKERS.items() if any(m in said for m in markers)}
    for total in re.findall(r"罚款金额：?([\d.]+)万元|处罚金额([\d.]+)万元", said):
        amount = Decimal(next(t for t in total if t))
        seen |= next((set(units) for n in (1, 2, 3) for units in combinations(FINES, n)
                      if sum(FINES[u] for u in units) == amount), set())
    return seen


# command → the units whose markers each person sees in the answer (people not named see none)
def table(period: str, case: dict[str, int]) -> dict[str, dict[int, set[str]]]:
    officers = {OFFICER_PJ: {PJ}, OFFICER_XH: {XH}, OFFICER_NH: {NH}}
    return {
        "/mycases": officers,
        "/mycases 本单位": officers | {UNIT_ADMIN: JIANGMEN, SUPERVISOR: JIANGMEN, ADMIN_ID: ALL},
        f"/case {case[PJ]}": {OFFICER_PJ: {PJ}, UNIT_ADMIN: {PJ}, SUPERVISOR: {PJ}, ADMIN_ID: {PJ}},
        f"/case {case[NH]}": {OFFICER_NH: {NH}, ADMIN_ID: {NH}},
        f"/report {period}": officers | {UNIT_ADMIN: JIANGMEN, SUPERVISOR: JIANGMEN, ADMIN_ID: ALL},
        f"/report {period} 江门支队": {UNIT_ADMIN: JIANGMEN, SUPERVISOR: JIANGMEN, ADMIN_ID: JIANGMEN},
        f"/report {period} {XH}": {OFFICER_XH: {XH}, UNIT_ADMIN: {XH}, SUPERVISOR: {XH}, ADMIN_ID: {XH}},
        f"/report {period} {NH}": {OFFICER_NH: {NH}, ADMIN_ID: {NH}},
        # case reminders: one's own; a unit's overdue reports go to its unit admin, else (佛山 has none) the admin
        "/reminders": officers | {UNIT_ADMIN: JIANGMEN, ADMIN_ID: {NH}},
        "/start": officers,  # the officer's own name
        # nothing else names another unit's case, figure or person (ranks compare units by totals only)
        f"/stats_status {period}": {}, "/orgdates": {}, "/invites": {}, "/units": {}, "/quiztime": {},
        "/rank": {}, "/help": {}, "/invite": {}, "/promote": {}, "/addunit": {},
        f"/event {case[NH]} 立案 2026-11-20": {OFFICER_NH: {NH}, ADMIN_ID: {NH}},
    }


@pytest.fixture
async def seeded(bot):
    return bot, await seed(bot)


async def test_every_command_shows_each_role_exactly_the_units_the_table_allows(seeded):
    bot, case = seeded
    period = previous_month().strftime("%Y-%m")
    rows = table(period, case)
    problems = []
    for command, expected in rows.items():
        for uid in PEOPLE:
            said = await exchange(bot, uid, command)
            seen = units_seen(said)
            if seen != expected.get(uid, set()) or not seen <= ALLOWED[uid]:
                problems.append((command, PEOPLE[uid], sorted(seen), said[:160]))
            if uid == STRANGER and command != "/start":
                assert REGISTER_FIRST in said, (command, said)
    assert not problems, "\n".join(map(str, problems))


async def test_stats_status_lists_the_units_in_scope_only(seeded):
    bot, _case = seeded
    period = previous_month().strftime("%Y-%m")
    expected = {OFFICER_PJ: {PJ}, OFFICER_NH: {NH}, UNIT_ADMIN: JIANGMEN, SUPERVISOR: JIANGMEN, ADMIN_ID: ALL}
    for uid, units in expected.items():
        said = await exchange(bot, uid, f"/stats_status {period}")
        assert {u for u in ALL if u in said} == units, (PEOPLE[uid], said)


async def test_buttons_of_a_case_card_do_nothing_for_people_outside_its_unit(seeded):
    bot, case = seeded
    await exchange(bot, OFFICER_NH, f"/case {case[NH]}")
    card = bot.stored(OFFICER_NH, next(m for m in reversed(bot.api.sent(OFFICER_NH)) if buttons(m)))
    data = [d for _label, d in buttons(card)]
    assert data, "the case card has buttons"
    for uid in (OFFICER_PJ, UNIT_ADMIN, SUPERVISOR, STRANGER):
        for d in data:
            said = await exchange(bot, uid, press=(in_chat_of(card, uid), d))
            assert units_seen(said) <= ALLOWED[uid], (PEOPLE[uid], d, said[:200])
    async with bot.app.bot_data[KEY].db.session() as s:
        row = await s.get(Case, case[NH])
        assert row.state.value == "open" and row.name == f"{NH}废气案"
    actors = {e.actor for e in await audit.recent(bot.app.bot_data[KEY].db, limit=200) if e.action.startswith("case.")}
    assert actors <= {OFFICER_PJ, OFFICER_XH, OFFICER_NH}  # only the handlers opened their cases; nobody else wrote


async def test_a_supervisor_reads_but_changes_nothing(seeded):
    bot, case = seeded
    refused = ERRORS["not_allowed"]
    for command in (f"/invite {PJ}", "/addunit 督查新增 江门支队", f"/promote {OFFICER_PJ} 单位管理员", "/invites",
                    "/revoke ABCDEFGH"):
        said = await exchange(bot, SUPERVISOR, command)
        assert refused in said, (command, said)
    said = await exchange(bot, SUPERVISOR, f"/event {case[PJ]} 立案 2026-11-20")
    assert ERRORS["case_not_found"].format(id=case[PJ]) in said
    said = await exchange(bot, SUPERVISOR, "/orgdate 1 5")
    assert "由本单位管理员（内勤）设置" in said
    said = await exchange(bot, SUPERVISOR, "/quiztime 08:30")
    assert "由本单位管理员（内勤）设置" in said
    entries = await audit.recent(bot.app.bot_data[KEY].db, limit=200)
    assert [e.action for e in entries if e.actor == SUPERVISOR] == ["user.register"]  # and nothing since


async def test_admin_actions_in_chat_are_in_the_audit_log_and_a_revoked_code_no_longer_registers(seeded):
    bot, _case = seeded
    db = bot.app.bot_data[KEY].db
    await exchange(bot, ADMIN_ID, "/addunit 鹤山大队 江门支队")
    issued = await exchange(bot, UNIT_ADMIN, "/invite 鹤山大队")
    code = issued.split("邀请码：<code>")[1].split("</code>")[0]
    listed = await exchange(bot, UNIT_ADMIN, "/invites")
    assert code in listed
    message = bot.stored(UNIT_ADMIN, next(m for m in reversed(bot.api.sent(UNIT_ADMIN)) if buttons(m)))
    [(_label, data)] = [(lbl, d) for lbl, d in buttons(message) if code in lbl]
    # an officer pressing the same button (forged into their chat) revokes nothing
    assert ERRORS["not_allowed"] in await exchange(bot, OFFICER_PJ, press=(in_chat_of(message, OFFICER_PJ), data))
    revoked = await exchange(bot, UNIT_ADMIN, press=(in_chat_of(message, UNIT_ADMIN), data))
    assert f"已撤销邀请码 <code>{code}</code>" in revoked
    assert code not in await exchange(bot, UNIT_ADMIN, "/invites")
    said = await exchange(bot, 888, f"/start {code}")
    assert ERRORS["invite_revoked"] in said and await bot.app.bot_data[KEY].users.get(888) is None

    await exchange(bot, ADMIN_ID, f"/promote {OFFICER_XH} 督查员")
    await exchange(bot, UNIT_ADMIN, "/orgdate 1 5 蓬江大队")
    await exchange(bot, UNIT_ADMIN, "/quiztime 08:45")
    actions = {(e.actor, e.action) for e in await audit.recent(db, limit=200)}
    assert {(ADMIN_ID, "unit.create"), (UNIT_ADMIN, "invite.create"), (UNIT_ADMIN, "invite.revoke"),
            (ADMIN_ID, "user.role"), (UNIT_ADMIN, "orgdate.day"), (UNIT_ADMIN, "quiz.schedule")} <= actions
    assert (await bot.app.bot_data[KEY].users.get(OFFICER_XH)).role == Role.supervisor


async def test_an_expired_code_no_longer_registers(seeded):
    bot, _case = seeded
    s = bot.app.bot_data[KEY]
    tree = {n.name: n.id for n in await s.units.tree()}
    invite = await s.users.issue_invite(ADMIN_ID, tree[PJ], ttl=timedelta(seconds=-1))
    said = await exchange(bot, 889, f"/start {invite.code}")
    assert ERRORS["invite_expired"] in said and await s.users.get(889) is None
