"""Registered officers written straight into a bot's database, for tests that start the bot as a process."""

from __future__ import annotations

from bot.storage import Database, Role, Unit, User


async def add_unit_with_officers(url: str, unit_name: str, officers: dict[int, str], migrate: bool = True) -> None:
    """A unit and its officers (Telegram id → name); `migrate` first for an empty database."""
    database = Database(url)
    try:
        if migrate:
            await database.migrate()
        async with database.session() as s:
            unit = Unit(name=unit_name)
            s.add(unit)
            await s.flush()
            s.add_all([User(id=uid, name=name, role=Role.officer, unit_id=unit.id) for uid, name in officers.items()])
    finally:
        await database.dispose()
