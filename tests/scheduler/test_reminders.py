"""Reminder storage and delivery: claims, marking only after Telegram accepted, retries, late delivery
exactly once, recurrences, rendering by kind, crash recovery (SQLite at start-up, lease elsewhere), the
precise wake-up; end to end through the real Application and the local Bot API server.
The kill -9 test of the real process is tests/test_reminder_crash.py."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select, update
from support.botrun import ADMIN_ID, make_settings, start_bot, stop_bot
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.storage import Role, User
from bot.storage.cases import Case
from bot.storage.reminders import Reminder, ReminderState
from handlers.reminders import _summary
from scheduler.jobs import SWEEP_JOB
from scheduler.planned import PlannedReminder, sync_planned
from scheduler.remind_parse import TZ, ParsedReminder, Recurrence, parse_reminder
from scheduler.reminders import LEASE, MAX_ATTEMPTS, ReminderService, ReminderView, render, sweep
from scheduler.services import KEY
from scheduler.texts import REMINDER_RESENT as RESENT
from scheduler.texts import case as case_texts

T0 = datetime(2026, 11, 25, 1, 0, tzinfo=UTC)  # 09:00 in Shanghai
USER = 4242


class FakeBot:
    """send_message that fails as told, then succeeds; records what was delivered."""

    def __init__(self, *failures: Exception):
        self.failures = list(failures)
        self.delivered: list[tuple[int, str]] = []

    async def send_message(self, chat_id: int, text: str, **_kw) -> SimpleNamespace:
        if self.failures:
            raise self.failures.pop(0)
        self.delivered.append((chat_id, text))
        return SimpleNamespace(message_id=1000 + len(self.delivered))


@pytest.fixture
async def svc(db) -> ReminderService:
    async with db.session() as s:
        s.add(User(id=USER, name="王五", role=Role.officer))
    return ReminderService(db, instance="test-a")


def one_off(minutes: int, text: str = "报送简报") -> ParsedReminder:
    return ParsedReminder(T0 + timedelta(minutes=minutes), None, text)


async def test_create_list_cancel(svc: ReminderService) -> None:
    a = await svc.create(USER, USER, one_off(10, "甲"))
    b = await svc.create(USER, USER, one_off(5, "乙"))
    assert [r.text for r in await svc.pending(USER)] == ["乙", "甲"]
    assert a.due_at == datetime(2026, 11, 25, 9, 10, tzinfo=TZ)
    assert not await svc.cancel(USER + 1, a.id)  # not someone else's
    assert await svc.cancel(USER, a.id)
    assert not await svc.cancel(USER, a.id)
    assert [r.id for r in await svc.pending(USER)] == [b.id]


async def test_sent_once_and_only_when_due(svc: ReminderService) -> None:
    r = await svc.create(USER, USER, one_off(10))
    fake = FakeBot()
    assert (await sweep(fake, svc, now=T0)).sent == 0
    assert (await sweep(fake, svc, now=T0 + timedelta(minutes=10))).sent == 1
    assert (await sweep(fake, svc, now=T0 + timedelta(minutes=11))).sent == 0
    assert fake.delivered == [(USER, "⏰ 提醒：报送简报")]
    assert (await svc.get(r.id)).state is ReminderState.sent


async def test_two_instances_never_both_send(db, svc: ReminderService) -> None:
    for i in range(20):
        await svc.create(USER, USER, one_off(0, f"第{i}条"))
    # several live instances share a PostgreSQL database: no start-up recovery, only the lease
    one = ReminderService(db, instance="test-a", recover_at_start=False)
    other = ReminderService(db, instance="test-b", recover_at_start=False)
    fake_a, fake_b = FakeBot(), FakeBot()
    ra, rb = await asyncio.gather(sweep(fake_a, one, now=T0), sweep(fake_b, other, now=T0))
    assert ra.sent + rb.sent == 20
    texts = [t for _, t in fake_a.delivered + fake_b.delivered]
    assert len(texts) == len(set(texts)) == 20


async def test_transient_failures_retry_later(svc: ReminderService) -> None:
    r = await svc.create(USER, USER, one_off(0))
    fake = FakeBot(RetryAfter(30), TimedOut(), NetworkError("boom"))
    assert (await sweep(fake, svc, now=T0)).retried == 1
    assert (await sweep(fake, svc, now=T0 + timedelta(seconds=10))).retried == 0  # waits for retry_after
    assert (await sweep(fake, svc, now=T0 + timedelta(seconds=31))).retried == 1
    assert (await sweep(fake, svc, now=T0 + timedelta(minutes=5))).retried == 1
    assert (await svc.get(r.id)).state is ReminderState.pending and fake.delivered == []
    assert (await sweep(fake, svc, now=T0 + timedelta(hours=1))).sent == 1
    assert len(fake.delivered) == 1


async def test_permanent_failures(svc: ReminderService) -> None:
    blocked = await svc.create(USER, USER, one_off(0, "甲"))
    gone = await svc.create(USER, USER, one_off(0, "乙"))
    result = await sweep(FakeBot(Forbidden("bot was blocked by the user"), BadRequest("Chat not found")), svc, now=T0)
    assert result.failed == 2
    assert (await svc.get(blocked.id)).state is ReminderState.failed
    assert (await svc.get(gone.id)).state is ReminderState.failed


async def test_gives_up_after_max_attempts(svc: ReminderService) -> None:
    r = await svc.create(USER, USER, one_off(0))
    fake = FakeBot(*[NetworkError("down")] * MAX_ATTEMPTS)
    for hour in range(MAX_ATTEMPTS):
        await sweep(fake, svc, now=T0 + timedelta(hours=2 * hour))
    assert (await svc.get(r.id)).state is ReminderState.failed and fake.delivered == []


async def test_crash_between_send_and_mark_several_instances(db, svc: ReminderService) -> None:
    """PostgreSQL (several instances): a claim left by a dead process is taken over after the lease, not
    before, and that copy says it may be a repeat."""
    r = await svc.create(USER, USER, one_off(0))
    assert [c.id for c in await svc.claim_due(T0)] == [r.id]  # …and the process dies here
    survivor = ReminderService(db, instance="test-b", recover_at_start=False)
    fake = FakeBot()
    assert (await sweep(fake, survivor, now=T0 + LEASE / 2)).sent == 0
    assert (await sweep(fake, survivor, now=T0 + LEASE + timedelta(seconds=1))).sent == 1
    assert not await svc.mark_sent(r.id, 1, T0 + LEASE * 2)  # the dead claim cannot mark it again
    [(_, text)] = fake.delivered
    assert text.startswith("⏰ 提醒：报送简报") and RESENT in text
    assert not (await svc.get(r.id)).possibly_sent and (await svc.get(r.id)).state is ReminderState.sent


async def test_sqlite_restart_takes_over_orphans_at_once(sqlite_db) -> None:
    """SQLite (one process per file): the restarted process re-sends a dead process's claim in its first
    sweep, flagged; reminders nobody had claimed are sent without the flag; later sweeps never steal.
    (On PostgreSQL several instances share the database: a claim is taken over after the lease, above.)"""
    db = sqlite_db
    async with db.session() as s:
        s.add(User(id=USER, name="王五", role=Role.officer))
    svc = ReminderService(db, instance="test-a")
    in_flight = await svc.create(USER, USER, one_off(0, "在途的"))
    untouched = await svc.create(USER, USER, one_off(0, "未领取的"))
    assert await svc.claim(in_flight.id, T0)  # …and the process is killed during the send
    restarted = ReminderService(db, instance="test-b")
    fake = FakeBot()
    assert (await sweep(fake, restarted, now=T0 + timedelta(seconds=5))).sent == 2
    assert fake.delivered == [(USER, f"⏰ 提醒：在途的\n{RESENT}"), (USER, "⏰ 提醒：未领取的")]
    assert not await svc.mark_sent(in_flight.id, 1, T0)
    assert {(await svc.get(i)).state for i in (in_flight.id, untouched.id)} == {ReminderState.sent}
    # once started, another instance's fresh claim is left alone (only the lease would take it over)
    third = await svc.create(USER, USER, one_off(1, "第三条"))
    assert await ReminderService(db, instance="test-c").claim(third.id, T0 + timedelta(minutes=1))
    assert (await sweep(fake, restarted, now=T0 + timedelta(minutes=2))).sent == 0


async def test_timeout_is_resent_with_the_note(svc: ReminderService) -> None:
    """A timeout on sendMessage may hide a delivered message: the retry says it may be a repeat."""
    r = await svc.create(USER, USER, one_off(0))
    fake = FakeBot(TimedOut())
    assert (await sweep(fake, svc, now=T0)).retried == 1
    assert (await svc.get(r.id)).possibly_sent
    assert (await sweep(fake, svc, now=T0 + timedelta(minutes=1))).sent == 1
    assert fake.delivered == [(USER, f"⏰ 提醒：报送简报\n{RESENT}")]


async def test_claimed_just_before_sending_in_lanes_and_backlog_beyond_a_batch(db, svc: ReminderService) -> None:
    """A sweep claims each reminder just before sending it (a kill leaves only the messages in flight
    claimed: one per lane), keeps a chat's reminders in order, and goes on past its batch size until
    nothing is due."""
    chats = [USER, USER + 1, USER + 2]  # USER + 1 and USER + 2 fall in different lanes, USER + 4 with USER
    async with db.session() as s:
        for uid in chats[1:]:
            s.add(User(id=uid, name="同事", role=Role.officer))
        await s.flush()
        planned = [PlannedReminder(f"org:test:{i}", chats[i % 3], chats[i % 3], T0, f"积压{i:03d}", "org")
                   for i in range(120)]
        await sync_planned(s, planned, scope_prefix="org:test:")
    in_flight: list[int] = []

    class CountingBot(FakeBot):
        async def send_message(self, chat_id: int, text: str, **kw) -> SimpleNamespace:
            async with db.session() as s:
                in_flight.append(await s.scalar(
                    select(func.count()).select_from(Reminder).where(Reminder.state == ReminderState.sending)))
            await asyncio.sleep(0.001)  # let the other lanes run meanwhile
            return await super().send_message(chat_id, text, **kw)

    fake = CountingBot()
    assert (await sweep(fake, svc, now=T0, limit=50, lanes=4)).sent == 120
    assert max(in_flight) <= 3 and 3 in in_flight  # three chats in three lanes
    assert len({t for _, t in fake.delivered}) == 120
    for chat in chats:
        mine = [t for c, t in fake.delivered if c == chat]
        assert mine == sorted(mine) and len(mine) == 40
    in_flight.clear()
    async with db.session() as s:
        await sync_planned(s, [PlannedReminder(f"org:one:{i}", chats[i % 3], chats[i % 3], T0, f"单道{i:03d}", "org")
                               for i in range(12)], scope_prefix="org:one:")
    await sweep(fake, svc, now=T0)  # the default: one lane, due order across chats
    assert in_flight == [1] * 12 and [t.split("\n")[1] for _, t in fake.delivered[120:]] == [f"单道{i:03d}" for i in range(12)]


async def test_next_due_sees_pending_and_retries(svc: ReminderService) -> None:
    assert await svc.next_due() is None
    soon = await svc.create(USER, USER, one_off(10))
    await svc.create(USER, USER, one_off(30))
    assert await svc.next_due() == T0 + timedelta(minutes=10)
    await sweep(FakeBot(NetworkError("down")), svc, now=T0 + timedelta(minutes=10))  # retried in 30 s
    assert await svc.next_due() == T0 + timedelta(minutes=10, seconds=30)
    async with svc.db.session() as s:  # a planner moved the due time past the pending retry
        await s.execute(update(Reminder).where(Reminder.id == soon.id).values(due_at=T0 + timedelta(minutes=20)))
    assert await svc.next_due() == T0 + timedelta(minutes=20)  # claimable then, not at the old retry time
    assert await svc.cancel(USER, soon.id)
    assert await svc.next_due() == T0 + timedelta(minutes=30)


def _view(kind: str, text: str, case_id: int | None = None, **kw) -> ReminderView:
    values = dict(id=1, user_id=USER, chat_id=USER, text=text, due_at=T0.astimezone(TZ), recurrence=None,
                  state=ReminderState.sending, kind=kind, case_id=case_id)
    values.update(kw)
    return ReminderView(**values)


def test_render_by_kind_escapes_and_links_the_case() -> None:
    body = "（2026）环罚字第7号 <某化工厂>\n陈述申辩期限：11月27日 & 届满"
    escaped = "（2026）环罚字第7号 &lt;某化工厂&gt;\n陈述申辩期限：11月27日 &amp; 届满"
    assert render(_view("personal", "喝水 <b>"), T0).text == "⏰ 提醒：喝水 &lt;b&gt;"
    case = render(_view("case", body, case_id=17), T0)
    assert case.text == f"⏰ 办案期限提醒\n{escaped}"
    snooze = [("10分钟后再提醒", "rm:z:1:10m"), ("1小时后", "rm:z:1:1h"), ("明天上午", "rm:z:1:tm")]
    assert case.buttons == [snooze, [("查看案件", "ck:v:17")]]
    assert render(_view("escalation", body, case_id=17), T0).text.startswith("🚨 期限逾期报告\n（2026）")
    org = render(_view("org", "季度执法数据报送"), T0)
    assert org.text == "📅 报送提醒\n季度执法数据报送" and org.buttons == [snooze]
    late = render(_view("org", "季度执法数据报送", possibly_sent=True), T0 + timedelta(hours=3)).text
    assert late.splitlines() == ["📅 报送提醒", "季度执法数据报送", "（原定 2026年11月25日（周三）09:00，系统暂停后延迟送达）",
                                 RESENT]
    assert render(_view("org", "x"), T0 + timedelta(seconds=30), late_after=timedelta(seconds=10)).text.count("延迟") == 1


async def test_late_delivery_once_and_recurrence_skips_missed(svc: ReminderService) -> None:
    parsed = parse_reminder("每天 9:00 查看待办", T0 - timedelta(days=3))
    assert parsed.ok and parsed.recurrence == Recurrence.from_spec("daily@09:00")
    r = await svc.create(USER, USER, parsed)
    fake = FakeBot()
    back = T0 + timedelta(hours=2)  # bot down for three days, back at 11:00
    assert (await sweep(fake, svc, now=back)).sent == 1
    assert (await sweep(fake, svc, now=back + timedelta(minutes=1))).sent == 0
    [(_, text)] = fake.delivered
    assert "延迟送达" in text and "🔁 每天 09:00" in text
    again = await svc.get(r.id)
    assert again.state is ReminderState.pending and again.due_at == datetime(2026, 11, 26, 9, 0, tzinfo=TZ)


async def test_cancelled_while_sending_is_not_marked(db, svc: ReminderService) -> None:
    r = await svc.create(USER, USER, one_off(0))
    await svc.claim_due(T0)
    async with db.session() as s:
        await s.execute(update(Reminder).where(Reminder.id == r.id).values(state=ReminderState.cancelled))
    assert not await svc.mark_sent(r.id, 1, T0)
    assert (await svc.get(r.id)).state is ReminderState.cancelled


# --- end to end -------------------------------------------------------------------------------------
def _reminders(bot) -> ReminderService:
    return bot.app.bot_data[KEY].reminders


async def _make_due(bot, reminder_id: int, when: datetime) -> None:
    async with bot.app.bot_data[KEY].db.session() as s:
        await s.execute(update(Reminder).where(Reminder.id == reminder_id).values(due_at=when))


def _delivered(api, chat_id: int, needle: str) -> list[dict]:
    return [m for m in api.sent(chat_id) if m["text"].startswith("⏰") and needle in m["text"]]


async def test_e2e_remind_list_cancel_deliver(bot) -> None:
    [reply] = await bot.send(ADMIN_ID, "/remind 10分钟后 喝水", name="局管理员")
    assert "好的，将在" in reply["text"] and "喝水" in reply["text"]
    [reply] = await bot.send(ADMIN_ID, "提醒我每月3日 9:00 报送上月数据", name="局管理员")
    assert "每月3日 09:00" in reply["text"]
    [reply] = await bot.send(ADMIN_ID, "/remind 明天", name="局管理员")
    assert "请在时间后面写上提醒内容" in reply["text"] and "可以这样写" in reply["text"]
    [reply] = await bot.send(ADMIN_ID, "/reminders", name="局管理员")
    assert "喝水" in reply["text"] and "报送上月数据" in reply["text"]
    pending = await _reminders(bot).pending(ADMIN_ID)
    water = next(r for r in pending if r.text == "喝水")
    monthly = next(r for r in pending if r.recurrence)
    [reply] = await bot.send(ADMIN_ID, f"/unremind {monthly.id}", name="局管理员")
    assert "已取消" in reply["text"]

    await _make_due(bot, water.id, datetime.now(UTC) - timedelta(seconds=1))
    bot.api.fail_next(1, status=429, retry_after=1)  # the transport waits and retries
    await sweep(bot.app.bot, _reminders(bot))  # the job may sweep at the same moment: still one message
    await bot.wait(lambda _: len(_delivered(bot.api, ADMIN_ID, "喝水")) >= 1)
    await sweep(bot.app.bot, _reminders(bot))
    await asyncio.sleep(0.2)
    assert len(_delivered(bot.api, ADMIN_ID, "喝水")) == 1
    assert (await _reminders(bot).get(water.id)).state is ReminderState.sent


async def test_e2e_unregistered_cannot_remind(bot) -> None:
    [reply] = await bot.send(778, "/remind 10分钟后 喝水")
    assert "邀请码" in reply["text"] and "好的" not in reply["text"]


async def test_e2e_server_errors_then_delivery(bot) -> None:
    await bot.send(ADMIN_ID, "/remind 10分钟后 复核笔录", name="局管理员")
    [r] = await _reminders(bot).pending(ADMIN_ID)
    await _make_due(bot, r.id, datetime.now(UTC) - timedelta(seconds=1))
    bot.api.fail_next(5, status=502)  # more than the transport retries
    now = datetime.now(UTC)
    first = await sweep(bot.app.bot, _reminders(bot), now=now)
    assert first.retried == 1 and not _delivered(bot.api, ADMIN_ID, "复核笔录")
    later = await sweep(bot.app.bot, _reminders(bot), now=now + timedelta(minutes=2))
    assert later.sent == 1 and len(_delivered(bot.api, ADMIN_ID, "复核笔录")) == 1


async def test_e2e_due_while_down_delivered_once_after_restart(tmp_path, server, kb, db_url) -> None:
    settings = make_settings(tmp_path, server.base_url, db_url=db_url)
    first = await start_bot(settings, kb, server.api)
    await first.send(ADMIN_ID, "/remind 明天上午9点 报送简报", name="局管理员")
    [r] = await _reminders(first).pending(ADMIN_ID)
    await stop_bot(first)
    # the bot is down when the reminder falls due
    first_db = first.app.bot_data[KEY].db
    async with first_db.session() as s:
        await s.execute(update(Reminder).where(Reminder.id == r.id).values(due_at=datetime.now(UTC) - timedelta(hours=1)))
    await first_db.dispose()

    second = await start_bot(settings, kb, server.api)  # its sweep job runs a second after start
    try:
        await second.wait(lambda _: len(_delivered(server.api, ADMIN_ID, "报送简报")) >= 1)
        [msg] = _delivered(server.api, ADMIN_ID, "报送简报")
        assert "延迟送达" in msg["text"]
    finally:
        await stop_bot(second)
    third = await start_bot(settings, kb, server.api)
    try:
        await sweep(third.app.bot, _reminders(third))
        await asyncio.sleep(1.5)  # let the job's first run happen too
        assert len(_delivered(server.api, ADMIN_ID, "报送简报")) == 1
    finally:
        await stop_bot(third)


async def _insert(bot, **values) -> int:
    row = dict(user_id=ADMIN_ID, chat_id=ADMIN_ID, kind="personal", state=ReminderState.pending, attempts=0,
               sent_count=0, possibly_sent=False)
    row.update(values)
    async with bot.app.bot_data[KEY].db.session() as s:
        r = Reminder(**row)
        s.add(r)
        await s.flush()
        return r.id


async def test_e2e_kinds_case_button_and_late_with_controlled_clock(bot) -> None:
    """Planned case/escalation/org reminders as an officer receives them, judged at a fixed clock three
    hours after they fell due: heading by kind, text escaped, late line, a button to the case card."""
    await bot.send(ADMIN_ID, "/start", name="局管理员")
    async with bot.app.bot_data[KEY].db.session() as s:
        case = Case(name="某化工厂超标排放案", party="某化工厂 <有限公司>", handler_id=ADMIN_ID, opened_on=date(2026, 11, 2))
        s.add(case)
        await s.flush()
        case_id = case.id
    due = datetime(2026, 11, 24, 1, 0, tzinfo=UTC)  # 09:00 in Shanghai
    body = "某化工厂 <有限公司>\n陈述申辩期限：2026年11月27日届满"
    await _insert(bot, kind="case", case_id=case_id, text=body, due_at=due)
    await _insert(bot, kind="escalation", case_id=case_id, text=body, due_at=due)
    await _insert(bot, kind="org", text="季度执法数据报送", due_at=due)
    assert (await sweep(bot.app.bot, _reminders(bot), now=due + timedelta(hours=3))).sent == 3
    sent = [m for m in bot.api.sent(ADMIN_ID) if "延迟送达" in m["text"]]
    assert [m["text"].split("\n")[0] for m in sent] == ["⏰ 办案期限提醒", "🚨 期限逾期报告", "📅 报送提醒"]
    case_msg = bot.stored(ADMIN_ID, sent[0])
    assert "某化工厂 &lt;有限公司&gt;\n陈述申辩期限" in sent[0]["text"]  # HTML as sent; Telegram shows “<有限公司>”
    assert "原定 2026年11月24日（周二）09:00" in sent[0]["text"]
    assert bot.api.button(case_msg, "查看案件") == f"ck:v:{case_id}"
    assert bot.api.button(bot.stored(ADMIN_ID, sent[1]), "查看案件") == f"ck:v:{case_id}"
    assert bot.api.button(bot.stored(ADMIN_ID, sent[2]), "查看案件") is None
    assert bot.api.button(bot.stored(ADMIN_ID, sent[2]), "1小时后") is not None


async def test_e2e_precise_wakeup_delivers_on_time(bot) -> None:
    """Due between two regular sweeps (10 s apart): the wake-up job sends it within a fraction of a second."""
    async with bot.app.bot_data[KEY].db.session() as s:
        s.add(User(id=ADMIN_ID, name="局管理员", role=Role.admin))
    due = datetime.now(UTC) + timedelta(seconds=2.5)
    await _insert(bot, text="准时的提醒", due_at=due)  # the first regular sweep (1 s after start) plans the wake-up
    [regular] = bot.app.job_queue.get_jobs_by_name(SWEEP_JOB)
    await bot.wait(lambda _: _delivered(bot.api, ADMIN_ID, "准时的提醒"), timeout=12)
    [call] = [c for c in bot.api.calls if c.method == "sendMessage" and "准时的提醒" in c.params["text"]]
    delay = datetime.now(UTC) - due - timedelta(seconds=time.monotonic() - call.at)
    assert timedelta(0) <= delay < timedelta(seconds=1), delay  # the regular sweep would be 8–9 s late
    assert regular.next_t > due + timedelta(seconds=5)


async def test_e2e_restart_resends_the_one_in_flight_with_the_note(tmp_path, server, kb) -> None:
    """SQLite (one process per file): a process killed mid-send left a claim; the next start sends it within
    seconds (not after the 5-minute lease that PostgreSQL's shared database needs), saying it may be a repeat;
    the ones never claimed come without the note."""
    settings = make_settings(tmp_path, server.base_url)
    first = await start_bot(settings, kb, server.api)
    await first.send(ADMIN_ID, "/start", name="局管理员")
    now = datetime.now(UTC)
    in_flight = await _insert(first, text="被中断的", due_at=now - timedelta(seconds=20),
                              state=ReminderState.sending, claimed_by="dead1234", claimed_at=now, attempts=1)
    await stop_bot(first)
    await first.app.bot_data[KEY].db.dispose()
    second = await start_bot(settings, kb, server.api)
    try:
        await _insert(second, text="新到期的", due_at=datetime.now(UTC))
        await second.wait(lambda _: _delivered(server.api, ADMIN_ID, "新到期的"), timeout=5)
        [resent] = _delivered(server.api, ADMIN_ID, "被中断的")
        assert resent["text"] == f"⏰ 提醒：被中断的\n{RESENT}"
        [fresh] = _delivered(server.api, ADMIN_ID, "新到期的")
        assert RESENT not in fresh["text"]
        assert (await _reminders(second).get(in_flight)).state is ReminderState.sent
    finally:
        await stop_bot(second)


async def test_planned_reminders_do_not_count_against_the_personal_limit(db, svc: ReminderService) -> None:
    from scheduler.reminders import MAX_PENDING_PER_USER, TooManyReminders

    planned = [
        PlannedReminder(f"org:1:monthly_figures:2026-12-{d:02d}:d0:{USER}", USER, USER, T0 + timedelta(days=d),
                        "报送上月执法统计数据（一大队）\n截止日期：…", "org")
        for d in range(1, MAX_PENDING_PER_USER + 2)
    ]
    async with db.session() as s:
        await sync_planned(s, planned, scope_prefix="org:1:")
    for n in range(MAX_PENDING_PER_USER):
        await svc.create(USER, USER, one_off(10 + n, f"事项{n}"))
    with pytest.raises(TooManyReminders):
        await svc.create(USER, USER, one_off(99, "再多一条"))


async def test_e2e_reminders_list_groups_planned_ones_in_one_line_each(bot) -> None:
    await bot.send(ADMIN_ID, "/remind 明天上午9点 报送简报", name="局管理员")
    opened = datetime.now(TZ).date() - timedelta(days=60)  # the decision is due in 30 days
    [card] = await bot.send(ADMIN_ID, f"/newcase 某公司超标排放案；某公司；{opened.isoformat()}", name="局管理员")
    assert "#1" in card["text"]
    [reply] = await bot.send(ADMIN_ID, "/reminders", name="局管理员")
    text = reply["text"]
    personal, planned = text.split("自动提醒")
    assert "报送简报" in personal and "某公司超标排放案" not in personal
    assert "某公司超标排放案（某公司）#1 · 作出行政处罚决定" in planned
    assert "依据" not in planned  # one line per planned reminder, the card has the details


async def test_e2e_snooze_and_cancel_from_buttons(bot) -> None:
    """稍后提醒 on a delivered reminder makes one copy however often it is tapped, and it comes again;
    the /reminders list cancels with a button and shows the list without it."""
    await bot.send(ADMIN_ID, "/remind 10分钟后 复核笔录", name="局管理员")
    await bot.send(ADMIN_ID, "/remind 明天上午9点 报送简报", name="局管理员")
    first, brief = sorted(await _reminders(bot).pending(ADMIN_ID), key=lambda r: r.text != "复核笔录")
    now = datetime.now(UTC)
    await _make_due(bot, first.id, now - timedelta(seconds=1))
    await sweep(bot.app.bot, _reminders(bot), now=now)
    [delivered] = _delivered(bot.api, ADMIN_ID, "复核笔录")
    message = bot.stored(ADMIN_ID, delivered)
    for _ in range(2):  # a double tap
        await bot.press(ADMIN_ID, message, "10分钟后再提醒")
        await bot.wait(lambda calls: sum(c.method == "answerCallbackQuery" for c in calls) >= 1)
    await asyncio.sleep(0.3)
    copies = [r for r in await _reminders(bot).pending(ADMIN_ID) if r.text == "复核笔录"]
    assert len(copies) == 1 and timedelta(minutes=9) < copies[0].due_at - now <= timedelta(minutes=11)
    edited = bot.api.messages[(ADMIN_ID, message["message_id"])]
    assert "已推迟，将在" in edited["text"] and bot.api.button(edited, "1小时后") is None
    await sweep(bot.app.bot, _reminders(bot), now=now + timedelta(minutes=11))
    assert len(_delivered(bot.api, ADMIN_ID, "复核笔录")) == 2

    [listing] = await bot.send(ADMIN_ID, "/reminders", name="局管理员")
    listing = bot.stored(ADMIN_ID, listing)
    await bot.press(ADMIN_ID, listing, f"取消 {brief.id}")
    await bot.wait(lambda _: "没有待发的提醒" in bot.api.messages[(ADMIN_ID, listing["message_id"])]["text"])
    assert (await _reminders(bot).get(brief.id)).state is ReminderState.cancelled


async def test_e2e_stopping_mid_send_finishes_and_marks_it(tmp_path, server, kb, db_url) -> None:
    """A stop (SIGTERM, Ctrl-C) while Telegram is answering a reminder: the send completes and is marked
    sent before the database closes, the rest waits for the next start; nothing is sent twice."""
    settings = make_settings(tmp_path, server.base_url, db_url=db_url)
    running = await start_bot(settings, kb, server.api)
    await running.send(ADMIN_ID, "/start", name="局管理员")
    server.delays["sendMessage"] = 1.5  # accepted at once, answered slowly
    ids = [await _insert(running, text=f"停机前到期{n}", due_at=datetime.now(UTC) - timedelta(seconds=1)) for n in range(5)]
    await running.wait(lambda _: any("停机前到期" in m["text"] for m in server.api.sent(ADMIN_ID)), timeout=20)
    await running.app.updater.stop()
    await running.app.stop()  # what run_polling does on a signal, then post_stop
    await running.app.post_stop(running.app)
    states = [(await _reminders(running).get(i)).state for i in ids]
    await running.app.shutdown()
    await running.app.post_shutdown(running.app)
    server.delays.clear()
    delivered = [m for m in server.api.sent(ADMIN_ID) if "停机前到期" in m["text"]]
    assert set(states) == {ReminderState.sent, ReminderState.pending}  # none left half-way in "sending"
    assert len(delivered) == states.count(ReminderState.sent) < 5

    again = await start_bot(settings, kb, server.api)
    try:
        await again.wait(lambda _: len([m for m in server.api.sent(ADMIN_ID) if "停机前到期" in m["text"]]) >= 5)
        await asyncio.sleep(0.5)
        texts_sent = sorted(m["text"] for m in server.api.sent(ADMIN_ID) if "停机前到期" in m["text"])
        assert texts_sent == [f"⏰ 提醒：停机前到期{n}" for n in range(5)]  # each once, no 补发 line
    finally:
        await stop_bot(again)


def test_planned_summary_names_the_deadline_of_an_escalation() -> None:
    """/reminders of a unit admin: a pending escalation says which case and which deadline (its heading
    “案件期限已过” is not true yet while it waits), like a case reminder does."""
    lines = [case_texts.ESCALATION_HEAD, "📁 某案（某公司）#3", "作出行政处罚决定：截止 2026年5月31日（周日），已逾期1天",
             "办案人：张三", "依据：《行政处罚法》第六十条"]
    summary = _summary(_view("escalation", "\n".join(lines), case_id=3))
    assert "📁 某案（某公司）#3 · 作出行政处罚决定" in summary and "期限已过" not in summary
    assert _summary(_view("case", "\n".join(lines[1:]), case_id=3)) == "📁 某案（某公司）#3 · 作出行政处罚决定"


async def test_e2e_unremind_with_a_huge_number_says_not_found(bot) -> None:
    """A mistyped, very long number is no reminder of the officer's: a clear answer, not “出错了”."""
    [reply] = await bot.send(ADMIN_ID, "/unremind 99999999999999999999", name="局管理员")
    assert "找不到可取消的提醒" in reply["text"]


async def test_after_downtime_only_the_latest_nudge_of_a_deadline_goes_out(db, svc: ReminderService) -> None:
    """Down over the 3-day, 1-day and day-of nudges of one deadline: one message (the latest), not three;
    another deadline's nudge, an escalation and a personal reminder due meanwhile still go out."""
    async with db.session() as s:
        s.add(Case(id=7, name="某案", party="某公司", handler_id=USER, opened_on=date(2026, 9, 1)))
    due = "2026-11-30"
    plan = [
        PlannedReminder(f"case:7:cf_decision:{due}:d3:{USER}", USER, USER, T0 - timedelta(days=3), "还有3天", "case", 7),
        PlannedReminder(f"case:7:cf_decision:{due}:d1:{USER}", USER, USER, T0 - timedelta(days=1), "还有1天", "case", 7),
        PlannedReminder(f"case:7:cf_decision:{due}:d0:{USER}", USER, USER, T0 - timedelta(hours=1), "今天到期", "case", 7),
        PlannedReminder(f"case:7:cf_decision:{due}:d0:{USER + 1}", USER, USER, T0 + timedelta(days=1), "未来", "case", 7),
        PlannedReminder(f"case:7:qz_seal:{due}:d3:{USER}", USER, USER, T0 - timedelta(days=2), "查封还有3天", "case", 7),
        PlannedReminder(f"case:7:cf_decision:{due}:esc:{USER}", USER, USER, T0 - timedelta(hours=2), "逾期报告",
                        "escalation", 7),
    ]
    async with db.session() as s:
        await sync_planned(s, plan, scope_prefix="case:7:")
    await svc.create(USER, USER, one_off(-30, "个人提醒"))
    bot = FakeBot()
    await sweep(bot, svc, now=T0)
    bodies = [text for _, text in bot.delivered]
    assert len(bodies) == 4
    assert all(sum(needle in b for b in bodies) == 1 for needle in ("今天到期", "查封还有3天", "逾期报告", "个人提醒"))
    async with db.session() as s:
        stale = list(await s.scalars(select(Reminder).where(Reminder.last_error.like("superseded%"))))
    assert sorted(r.text for r in stale) == ["还有1天", "还有3天"] and {r.cancelled_by for r in stale} == {"system"}
