"""The async database handle: engine, session factory, SQLite pragmas, migrations on start."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import event
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"
MSG_SCHEMA_TOO_NEW = ("数据库结构版本 {db} 比本程序认识的最新版本 {code} 新（数据库已被更新版本的程序升级过）。"
                      "请先升级程序再启动；数据库未做任何改动。")


class SchemaTooNew(RuntimeError):
    """The database was migrated by a newer release: starting would run old code on a schema it does not know."""


def async_url(url: str) -> str:
    """Pick the async driver: aiosqlite for SQLite, asyncpg for PostgreSQL."""
    u = make_url(url)
    if u.drivername in ("sqlite", "sqlite+pysqlite"):
        u = u.set(drivername="sqlite+aiosqlite")
    elif u.drivername in ("postgresql", "postgres", "postgresql+psycopg2"):
        u = u.set(drivername="postgresql+asyncpg")
    return u.render_as_string(hide_password=False)


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")  # readers don't block the writer; survives kill -9
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=5000")
    cur.execute("PRAGMA synchronous=NORMAL")  # safe with WAL: a crash loses no committed transaction
    cur.close()


class Database:
    def __init__(self, url: str, echo: bool = False):
        self.url = async_url(url)
        self.is_sqlite = self.url.startswith("sqlite")
        if self.is_sqlite:
            database = make_url(self.url).database
            if database and database != ":memory:":
                Path(database).parent.mkdir(parents=True, exist_ok=True)
        # pre-ping: a connection the server dropped (restart, failover) is replaced, not handed to a handler
        self.engine: AsyncEngine = create_async_engine(self.url, echo=echo, pool_pre_ping=not self.is_sqlite)
        if self.is_sqlite:
            event.listen(self.engine.sync_engine, "connect", _sqlite_pragmas)
        self.sessionmaker = async_sessionmaker(self.engine, expire_on_commit=False)

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        """One unit of work: commits on success, rolls back on error."""
        async with self.sessionmaker() as session, session.begin():
            yield session

    async def migrate(self) -> str:
        """Bring the schema to the newest Alembic revision (idempotent; run on every start); the revision.
        Raises SchemaTooNew, touching nothing, when the database is at a revision this code does not have."""
        async with self.engine.begin() as conn:
            await conn.run_sync(_upgrade)
        return head_revision()

    async def revision(self) -> str | None:
        """The database's schema revision (None for an empty database)."""
        async with self.engine.connect() as conn:
            heads = await conn.run_sync(lambda c: MigrationContext.configure(c).get_current_heads())
        return ",".join(heads) or None

    async def dispose(self) -> None:
        await self.engine.dispose()


def alembic_config() -> Config:
    cfg = Config(str(MIGRATIONS_DIR.parent / "alembic.ini"))
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def head_revision() -> str:
    return ScriptDirectory.from_config(alembic_config()).get_current_head() or ""


def _upgrade(connection: Connection) -> None:
    cfg = alembic_config()
    script = ScriptDirectory.from_config(cfg)
    known = {rev.revision for rev in script.walk_revisions()}
    unknown = [r for r in MigrationContext.configure(connection).get_current_heads() if r not in known]
    if unknown:
        raise SchemaTooNew(MSG_SCHEMA_TOO_NEW.format(db=",".join(unknown), code=script.get_current_head()))
    cfg.attributes["connection"] = connection  # env.py uses this connection instead of making one
    command.upgrade(cfg, "head")
    log.info("database schema at head")
