"""The Alembic migrations build exactly the schema the models describe, and go down and up again."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

import bot.storage.cases  # noqa: F401
import bot.storage.reminders  # noqa: F401
from bot.storage.db import Database, alembic_config, head_revision
from bot.storage.models import Base


def _diff(sync_conn) -> list:
    ctx = MigrationContext.configure(sync_conn, opts={"compare_type": True})
    return compare_metadata(ctx, Base.metadata)


async def test_migrated_schema_matches_models(db_url) -> None:
    db = Database(db_url)
    await db.migrate()
    async with db.engine.connect() as conn:
        diff = await conn.run_sync(_diff)
    await db.dispose()
    assert diff == []


async def test_downgrade_to_previous_and_up_again_keeps_data(db_url) -> None:
    db = Database(db_url)
    await db.migrate()
    async with db.engine.begin() as conn:
        await conn.execute(sa.text("INSERT INTO units (id, name, created_at) VALUES (1, '一大队', CURRENT_TIMESTAMP)"))

    def down_up(sync_conn) -> None:
        cfg = alembic_config()
        cfg.attributes["connection"] = sync_conn
        command.downgrade(cfg, "0002_reminders")
        assert "cases" not in sa.inspect(sync_conn).get_table_names()
        command.upgrade(cfg, "head")

    async with db.engine.begin() as conn:
        await conn.run_sync(down_up)
        names = await conn.run_sync(lambda c: sa.inspect(c).get_table_names())
        assert {"cases", "case_events", "unit_org_deadlines", "reminders"} <= set(names)
        assert (await conn.execute(sa.text("SELECT name FROM units"))).scalar_one() == "一大队"
    await db.dispose()


async def test_the_previous_release_with_data_upgrades_and_its_invites_still_work(db_url) -> None:
    """A bureau's database at 0007 (the previous release) with units, users and an open invite in it."""
    from bot.services.users import UserService

    db = Database(db_url)

    def to(revision: str):
        def run(sync_conn) -> None:
            cfg = alembic_config()
            cfg.attributes["connection"] = sync_conn
            command.upgrade(cfg, revision)
        return run

    async with db.engine.begin() as conn:
        await conn.run_sync(to("0007_stats"))
        await conn.execute(sa.text("INSERT INTO units (id, name, created_at) VALUES (1, '蓬江大队', CURRENT_TIMESTAMP)"))
        await conn.execute(sa.text("INSERT INTO users (id, name, unit_id, role, registered_at) "
                                   "VALUES (900, '局管理员', NULL, 'admin', CURRENT_TIMESTAMP)"))
        await conn.execute(sa.text("INSERT INTO invites (code, unit_id, role, created_by, created_at, expires_at) "
                                   "VALUES ('OLDCODE2', 1, 'officer', 900, :now, :later)"),
                           {"now": datetime.now(UTC), "later": datetime.now(UTC) + timedelta(days=3)})
    assert await db.migrate() == head_revision()
    users = UserService(db)
    assert [i.code for i in await users.open_invites(900)] == ["OLDCODE2"]
    member = await users.redeem("OLDCODE2", 501, "李四")
    assert member.unit_name == "蓬江大队"
    await db.dispose()


async def test_a_database_newer_than_the_code_is_refused_untouched(db_url) -> None:
    from bot.storage.db import SchemaTooNew, head_revision

    db = Database(db_url)
    assert await db.revision() is None  # empty database
    assert await db.migrate() == head_revision()
    async with db.engine.begin() as conn:  # as a newer release would leave it
        await conn.execute(sa.text("UPDATE alembic_version SET version_num = '9999_future'"))
    try:
        await db.migrate()
        raise AssertionError("a schema from a newer release was accepted")
    except SchemaTooNew as err:
        assert "9999_future" in str(err) and head_revision() in str(err) and "请先升级程序" in str(err)
    assert await db.revision() == "9999_future"  # nothing was changed
    await db.dispose()


def test_operator_upgrade_command_and_the_refusal_as_a_sentence(tmp_path) -> None:
    import subprocess
    import sys

    from support.paths import REPO
    from support.process import lawbot_env

    database = tmp_path / "bureau.sqlite3"
    env = lawbot_env(LAWBOT_DATA_DIR=str(tmp_path), LAWBOT_DB_URL=f"sqlite:///{database}")
    run = [sys.executable, "-m", "bot.cli", "db"]
    first = subprocess.run([*run, "upgrade"], cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    from bot.storage.db import head_revision

    head = head_revision()
    assert first.returncode == 0 and f"数据库结构已升级到 {head}" in first.stdout
    shown = subprocess.run([*run, "revision"], cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    assert f"数据库结构版本：{head}" in shown.stdout
    import sqlite3

    with sqlite3.connect(database) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999_future'")
    refused = subprocess.run([sys.executable, "-m", "bot.cli", "console"], cwd=REPO, env=env, input="",
                             capture_output=True, text=True, timeout=300)
    assert refused.returncode == 3 and f"比本程序认识的最新版本 {head} 新" in refused.stderr
    assert "Traceback" not in refused.stderr
