"""The database away (issue 15): locked (SQLite) or refusing connections (PostgreSQL) while officers write; the
bot says it is busy, in a sentence, and once the database is back the same request succeeds by itself — no
restart, no traceback to the officer."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from datetime import UTC, datetime, timedelta

import asyncpg
import pytest
from support.botrun import OFFICER, RunningBot, make_settings, register, start_bot, stop_bot
from support.databases import create_pg_database, drop_pg_database, postgres_problem, postgres_required

from bot.storage.reminders import Reminder, ReminderState
from handlers.texts import DATABASE_BUSY, SOMETHING_WRONG
from scheduler.services import KEY

pytestmark = pytest.mark.faults

REQUEST = "/remind 10分钟后 报送月报"


async def _outage_then_recovery(bot: RunningBot, take_away, bring_back) -> None:
    await register(bot)
    [ok] = await bot.send(OFFICER, REQUEST)
    assert "好的，将在" in ok["text"]
    await take_away()
    try:
        [busy] = await bot.send(OFFICER, REQUEST)
        assert busy["text"] == DATABASE_BUSY
    finally:
        await bring_back()
    [again] = await bot.send(OFFICER, REQUEST)
    assert "好的，将在" in again["text"] and SOMETHING_WRONG not in again["text"]
    [listed] = await bot.send(OFFICER, "/reminders")
    assert listed["text"].count("报送月报") == 2  # the one asked while the database was away was not half-done


async def test_sqlite_locked_by_another_writer(tmp_path, server, kb) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'lawbot.sqlite3'}"
    bot = await start_bot(make_settings(tmp_path, server.base_url, db_url=url), kb, server.api)
    holder: dict = {}
    release = threading.Event()

    def hold() -> None:  # another process holding the write lock longer than the busy timeout (5 s)
        conn = sqlite3.connect(tmp_path / "lawbot.sqlite3", timeout=10)
        conn.execute("BEGIN EXCLUSIVE")
        holder["locked"] = True
        release.wait(30)
        conn.rollback()
        conn.close()

    async def take_away() -> None:
        thread = threading.Thread(target=hold, daemon=True)
        thread.start()
        holder["thread"] = thread
        while not holder.get("locked"):
            await asyncio.sleep(0.01)

    async def bring_back() -> None:
        release.set()
        await asyncio.to_thread(holder["thread"].join, 10)

    try:
        await _outage_then_recovery(bot, take_away, bring_back)
    finally:
        await stop_bot(bot)


def _pg_switch(url: str):
    """take_away / bring_back for a PostgreSQL database: as a failover or restart does, every connection cut and
    new ones refused, then allowed again."""
    name = url.rsplit("/", 1)[-1]
    admin_dsn = url.replace("postgresql+asyncpg://", "postgresql://").rsplit("/", 1)[0] + "/postgres"

    async def take_away() -> None:
        conn = await asyncpg.connect(admin_dsn)
        try:
            await conn.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
            await conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1", name)
        finally:
            await conn.close()

    async def bring_back() -> None:
        conn = await asyncpg.connect(admin_dsn)
        try:
            await conn.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
        finally:
            await conn.close()

    return take_away, bring_back


async def _pg_url() -> str:
    problem = postgres_problem()
    if problem:
        if postgres_required():
            pytest.fail(f"PostgreSQL required: {problem}")
        pytest.skip(problem)
    return await create_pg_database()


@pytest.mark.postgresql
async def test_postgres_refusing_connections(tmp_path, server, kb) -> None:
    url = await _pg_url()
    take_away, bring_back = _pg_switch(url)
    bot = await start_bot(make_settings(tmp_path, server.base_url, db_url=url), kb, server.api)
    try:
        await _outage_then_recovery(bot, take_away, bring_back)
    finally:
        await stop_bot(bot)
        await drop_pg_database(url)


@pytest.mark.postgresql
async def test_thirty_seconds_away_a_reminder_due_meanwhile_arrives_once_after(tmp_path, server, kb) -> None:
    """The database gone for 30 s: the sweeps in between fail quietly, an officer is told the bot is busy, and
    the reminder that fell due during the outage arrives once after it, with nobody restarting anything."""
    url = await _pg_url()
    take_away, bring_back = _pg_switch(url)
    bot = await start_bot(make_settings(tmp_path, server.base_url, db_url=url), kb, server.api)
    try:
        await register(bot)
        async with bot.app.bot_data[KEY].db.session() as s:
            s.add(Reminder(user_id=OFFICER, chat_id=OFFICER, kind="personal", text="停电期间到期的提醒",
                           due_at=datetime.now(UTC) + timedelta(seconds=4), state=ReminderState.pending,
                           attempts=0, sent_count=0, possibly_sent=False))
        await take_away()
        try:
            await asyncio.sleep(8)  # due now; the sweeps cannot claim it
            [busy] = await bot.send(OFFICER, REQUEST)
            assert busy["text"] == DATABASE_BUSY
            await asyncio.sleep(22)
            assert not delivered(bot)
        finally:
            await bring_back()
        await bot.wait(lambda _: delivered(bot), timeout=30)
        [again] = await bot.send(OFFICER, REQUEST)
        assert "好的，将在" in again["text"]
        await asyncio.sleep(2)
        assert len(delivered(bot)) == 1
        assert not [c for c in bot.api.calls if SOMETHING_WRONG in str(c.params)]
    finally:
        await stop_bot(bot)
        await drop_pg_database(url)


def delivered(bot: RunningBot) -> list[dict]:
    return [m for m in bot.api.sent(OFFICER) if "停电期间到期的提醒" in m["text"]]
