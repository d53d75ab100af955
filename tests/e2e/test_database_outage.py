"""The database away (issue 15): locked (SQLite) or refusing connections (PostgreSQL) while officers write; the
bot says it is busy, in a sentence, and once the database is back the same request succeeds by itself — no
restart, no traceback to the officer."""

from __future__ import annotations

import asyncio
import sqlite3
import threading

import asyncpg
import pytest
from support.botrun import OFFICER, RunningBot, make_settings, register, start_bot, stop_bot
from support.databases import create_pg_database, drop_pg_database, postgres_problem, postgres_required

from handlers.texts import DATABASE_BUSY, SOMETHING_WRONG

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


@pytest.mark.postgresql
async def test_postgres_refusing_connections(tmp_path, server, kb) -> None:
    problem = postgres_problem()
    if problem:
        if postgres_required():
            pytest.fail(f"PostgreSQL required: {problem}")
        pytest.skip(problem)
    url = await create_pg_database()
    name = url.rsplit("/", 1)[-1]
    admin_dsn = url.replace("postgresql+asyncpg://", "postgresql://").rsplit("/", 1)[0] + "/postgres"
    bot = await start_bot(make_settings(tmp_path, server.base_url, db_url=url), kb, server.api)

    async def take_away() -> None:  # as a failover or restart does: every connection cut, new ones refused
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

    try:
        await _outage_then_recovery(bot, take_away, bring_back)
    finally:
        await stop_bot(bot)
        await drop_pg_database(url)
