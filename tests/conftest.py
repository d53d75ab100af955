"""Shared fixtures: the real corpus and knowledge base, a database per test on SQLite and on PostgreSQL,
the local Bot API test server and the real bot polling it.

Every test that takes `db_url` (directly or through `db` or `bot`) runs twice: on a SQLite file and on a
fresh PostgreSQL database (see support/databases.py for when the second one skips).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from support.botapi_server import BotAPIServer
from support.botrun import RunningBot, make_settings, start_bot, stop_bot
from support.databases import create_pg_database, drop_pg_database, postgres_problem, postgres_required
from support.paths import SHARED_CORPUS

from bot.storage import Database
from knowledge.corpus import Corpus, load_corpus
from knowledge.engine import KnowledgeBase


def shared_corpus_dirs() -> list[Path]:
    return [SHARED_CORPUS] if SHARED_CORPUS.is_dir() else []


@pytest.fixture(scope="session")
def corpus() -> Corpus:
    """Database laws plus every folder of ../shared/corpus, parsed in place (nothing copied)."""
    return load_corpus(extra_dirs=shared_corpus_dirs())


@pytest.fixture(scope="session")
def kb(tmp_path_factory) -> KnowledgeBase:
    return KnowledgeBase.open(tmp_path_factory.mktemp("kb"), shared_corpus_dirs())


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)])
async def db_url(request, tmp_path) -> AsyncIterator[str]:
    """An empty database of each backend, for this test alone."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}"
        return
    problem = postgres_problem()
    if problem:
        if postgres_required():
            pytest.fail(f"LAWBOT_REQUIRE_POSTGRES is set but {problem}")
        pytest.skip(problem)
    url = await create_pg_database()
    yield url
    await drop_pg_database(url)


@pytest.fixture
async def db(db_url) -> AsyncIterator[Database]:
    database = Database(db_url)
    await database.migrate()
    yield database
    await database.dispose()


@pytest.fixture
async def sqlite_db(tmp_path) -> AsyncIterator[Database]:
    """For the few tests of SQLite's own behaviour (pragmas, the single-process start-up recovery)."""
    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}")
    await database.migrate()
    yield database
    await database.dispose()


@pytest.fixture
def server() -> AsyncIterator[BotAPIServer]:
    with BotAPIServer() as s:
        yield s


@pytest.fixture
async def bot(tmp_path, server, kb, db_url) -> AsyncIterator[RunningBot]:
    running = await start_bot(make_settings(tmp_path, server.base_url, db_url=db_url), kb, server.api)
    yield running
    await stop_bot(running)
