# ruff: noqa: F811  (pytest fixtures imported from bot_fixtures are used as parameters)
"""Reminder storage and delivery: claims, marking only after Telegram accepted, retries, late delivery
exactly once, recurrences; end to end through the real Application and the local Bot API server."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from bot_fixtures import ADMIN_ID, bot, db, kb, make_settings, server, start_bot, stop_bot  # noqa: F401
from sqlalchemy import update
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.context import KEY
from bot.storage import Role, User
from scheduler.remind_parse import TZ, ParsedReminder, Recurrence, parse_reminder
from scheduler.reminder_model import Reminder, ReminderState
from scheduler.reminders import LEASE, MAX_ATTEMPTS, ReminderService, sweep

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
    other = ReminderService(db, instance="test-b")
    fake_a, fake_b = FakeBot(), FakeBot()
    ra, rb = await asyncio.gather(sweep(fake_a, svc, now=T0), sweep(fake_b, other, now=T0))
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


async def test_crash_between_send_and_mark(db, svc: ReminderService) -> None:
    """A claim left by a dead process is taken over after the lease, not before."""
    r = await svc.create(USER, USER, one_off(0))
    assert [c.id for c in await svc.claim_due(T0)] == [r.id]  # …and the process dies here
    survivor = ReminderService(db, instance="test-b")
    fake = FakeBot()
    assert (await sweep(fake, survivor, now=T0 + LEASE / 2)).sent == 0
    assert (await sweep(fake, survivor, now=T0 + LEASE + timedelta(seconds=1))).sent == 1
    assert not await svc.mark_sent(r.id, 1, T0 + LEASE * 2)  # the dead claim cannot mark it again


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
    return bot.app.bot_data["reminders"]


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


async def test_e2e_due_while_down_delivered_once_after_restart(tmp_path, server, kb) -> None:
    settings = make_settings(tmp_path, server.base_url)
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
