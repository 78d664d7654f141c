"""PostgreSQL for the tests: a server, and a fresh database per test.

The server is, in this order: TEST_POSTGRES_URL; DATABASE_URL when it is postgresql://…
(CI exports the throwaway server's there); else a throwaway cluster started once for the
session by tools/pg_server.py and stopped at its end. With none of them (no PostgreSQL
binaries on the machine) PostgreSQL tests are skipped, saying why, and fail when CI is set:
CI must never pass by skipping a store.

Each test gets its own database, `crewbot_test_<random>`, dropped afterwards; migrated ones
are copies of a template migrated once per session, which costs a file copy instead of
sixteen migrations per test. Only databases of that name are ever created or dropped.

Use: `from tests.pg import any_db, pg_db, pg_url  # noqa: F401` in a test module, or
`pytest_plugins = ["tests.pg"]` in tests/conftest.py for every module.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import tempfile
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import pytest

from tools import pg_server

_ROOT = Path(__file__).resolve().parent.parent
_PREFIX = "crewbot_test_"


def configured_url() -> str | None:
    """A PostgreSQL server named by the environment, if any."""
    for name in ("TEST_POSTGRES_URL", "DATABASE_URL"):
        value = os.environ.get(name, "")
        if value.startswith(("postgresql://", "postgres://")):
            return value
    return None


def with_database(url: str, name: str) -> str:
    """The same server and credentials, another database."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


def _check_name(name: str) -> None:
    if not name.startswith(_PREFIX) or not name.replace("_", "").isalnum():
        raise ValueError(f"not a test database name: {name!r}")


async def create_database(server_url: str, template: str | None = None) -> str:
    """A new database on the server (a copy of `template` if given); its URL."""
    name = f"{_PREFIX}{uuid.uuid4().hex[:12]}"
    conn = await asyncpg.connect(server_url)
    try:
        clause = ""
        if template is not None:
            _check_name(template)
            # PostgreSQL 15's default strategy (WAL_LOG): FILE_COPY checkpoints first, which
            # writes out what every earlier test left dirty, several times slower per test.
            clause = f" TEMPLATE {template}"
        await conn.execute(f"CREATE DATABASE {name}{clause}")
    finally:
        await conn.close()
    return with_database(server_url, name)


async def drop_database(server_url: str, url: str) -> None:
    name = urlsplit(url).path.lstrip("/")
    _check_name(name)
    conn = await asyncpg.connect(server_url)
    try:
        await conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    finally:
        await conn.close()


async def _migrated_template(server_url: str) -> str:
    from storage.pg import Database

    url = await create_database(server_url)
    db = await Database.open(url, max_size=1)
    try:
        await db.migrate()
    finally:
        await db.close()
    return url


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """The URL of a PostgreSQL server (its maintenance database): see the module's doc."""
    url = configured_url()
    if url is not None:
        yield url
        return
    directory = Path(tempfile.mkdtemp(prefix="crewbot-pg-"))
    try:
        url = pg_server.start(directory)
    except pg_server.NoPostgres as exc:
        shutil.rmtree(directory, ignore_errors=True)
        message = (
            f"PostgreSQL tests need a server: {exc}; install the postgresql package or set"
            " TEST_POSTGRES_URL=postgresql://user@host:port/db"
        )
        if os.environ.get("CI"):
            pytest.fail(f"{message} (CI must run them)")
        pytest.skip(message)
    pg_server.stop_when_gone(directory, os.getpid())
    try:
        yield url
    finally:
        pg_server.stop(directory)


@pytest.fixture(scope="session")
def pg_template(pg_url: str) -> Iterator[str]:
    """The name of a database migrated to the latest version, to copy from."""
    url = asyncio.run(_migrated_template(pg_url))
    try:
        yield urlsplit(url).path.lstrip("/")
    finally:
        asyncio.run(drop_database(pg_url, url))


@pytest.fixture
def pg_empty_url(pg_url: str) -> Iterator[str]:
    """A new, empty database of its own for this test."""
    url = asyncio.run(create_database(pg_url))
    try:
        yield url
    finally:
        asyncio.run(drop_database(pg_url, url))


@pytest.fixture
def pg_migrated_url(pg_url: str, pg_template: str) -> Iterator[str]:
    """A new database of its own for this test, migrated to the latest version."""
    url = asyncio.run(create_database(pg_url, pg_template))
    try:
        yield url
    finally:
        asyncio.run(drop_database(pg_url, url))


@pytest.fixture
async def pg_db(pg_migrated_url: str) -> AsyncIterator[Any]:
    """An open storage.pg.Database on a migrated database of this test's own."""
    from storage.pg import Database

    db = await Database.open(pg_migrated_url, max_size=4)
    try:
        yield db
    finally:
        await db.close()


@pytest.fixture
async def sqlite_db(tmp_path: Path) -> AsyncIterator[Any]:
    """An open storage.db.Database (SQLite), migrated, in this test's directory."""
    from storage.db import Database

    db = await Database.open(tmp_path / "test.sqlite3")
    await db.migrate()
    try:
        yield db
    finally:
        await db.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def any_db(request: pytest.FixtureRequest) -> Any:
    """A migrated Database of each store in turn: the same test runs on both."""
    return request.getfixturevalue("pg_db" if request.param == "postgresql" else "sqlite_db")
