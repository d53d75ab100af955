"""Test databases: a SQLite file per test, or a fresh PostgreSQL database per test.

PostgreSQL is reached at LAWBOT_TEST_PG_URL (default: the project machines' server, trust auth). Where it is
not reachable the PostgreSQL variant of a test skips and says why; LAWBOT_REQUIRE_POSTGRES=1 (set by .ci/run)
turns that skip into a failure, so CI never passes on SQLite alone.
"""

from __future__ import annotations

import asyncio
import os
import secrets
from concurrent.futures import ThreadPoolExecutor
from functools import cache

import asyncpg
from sqlalchemy.engine import make_url

DEFAULT_PG_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"


def pg_url() -> str:
    return os.environ.get("LAWBOT_TEST_PG_URL", DEFAULT_PG_URL)


def postgres_required() -> bool:
    return os.environ.get("LAWBOT_REQUIRE_POSTGRES", "") not in ("", "0")


def _dsn(url: str, database: str | None = None) -> str:
    u = make_url(url).set(drivername="postgresql")
    if database:
        u = u.set(database=database)
    return u.render_as_string(hide_password=False)


@cache
def postgres_problem() -> str | None:
    """None when the server answers; otherwise why not (asked once per test session)."""

    async def probe() -> None:
        conn = await asyncpg.connect(_dsn(pg_url()), timeout=3)
        await conn.close()

    try:  # in a thread of its own: callers may be inside the test's event loop
        with ThreadPoolExecutor(1) as pool:
            pool.submit(asyncio.run, probe()).result()
    except Exception as err:  # connection refused, auth, unknown database …
        return f"PostgreSQL not reachable at {make_url(pg_url()).render_as_string()}: {err.__class__.__name__}: {err}"
    return None


async def create_pg_database() -> str:
    """A new empty database on the server; returns its SQLAlchemy URL."""
    name = f"lawbot_test_{secrets.token_hex(5)}"
    conn = await asyncpg.connect(_dsn(pg_url()))
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    return make_url(pg_url()).set(database=name).render_as_string(hide_password=False)


async def drop_pg_database(url: str) -> None:
    name = make_url(url).database
    conn = await asyncpg.connect(_dsn(pg_url()))
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()
