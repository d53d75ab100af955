"""The Alembic migrations build exactly the schema the models describe, and go down and up again."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

import bot.storage.cases  # noqa: F401
import bot.storage.reminders  # noqa: F401
from bot.storage.db import Database, alembic_config
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
