"""Alembic environment. Used programmatically (a connection in config.attributes) or from the CLI."""

from __future__ import annotations

import asyncio

from alembic import context

from bot.storage import Base  # the package imports every table module, so Base.metadata is complete

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
    # bot.storage.db runs this file (env.py) through Alembic: imported here, not at the top, so that
    # loading env.py from inside bot.storage.db does not import that module again half-initialised
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
