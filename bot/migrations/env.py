"""Alembic environment. Used programmatically (a connection in config.attributes) or from the CLI."""

from __future__ import annotations

import asyncio

from alembic import context

import scheduler.reminder_model  # noqa: F401  (feature tables outside bot/storage register on Base)
from bot.storage.models import Base

config = context.config
target_metadata = Base.metadata


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite needs batch mode for ALTER
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


async def _run_cli() -> None:
    from bot.settings import get_settings
    from bot.storage.db import Database

    db = Database(config.get_main_option("sqlalchemy.url") or get_settings().database_url)
    async with db.engine.begin() as conn:
        await conn.run_sync(_run)
    await db.dispose()


if context.is_offline_mode():
    context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=target_metadata)
    with context.begin_transaction():
        context.run_migrations()
elif (conn := config.attributes.get("connection")) is not None:
    _run(conn)
else:
    asyncio.run(_run_cli())
