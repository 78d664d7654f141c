"""One SQLite connection for the whole bot, with serialised write transactions.

Handlers run concurrently; SQLite allows one writer. Rather than let handlers collide on
`database is locked`, every write goes through `Database.transaction()`, which holds an
asyncio lock for the span of one BEGIN IMMEDIATE … COMMIT. Reads need no lock.

Times are stored as integer Unix seconds (UTC): unambiguous, compact and fast to compare.
"""

from __future__ import annotations

import asyncio
import logging
import re
import sqlite3
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

import aiosqlite

log = logging.getLogger(__name__)

_MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


def to_ts(moment: datetime) -> int:
    if moment.tzinfo is None:
        raise ValueError("naive datetime: storage takes aware datetimes only")
    return int(moment.timestamp())


def from_ts(seconds: int | None) -> datetime | None:
    return None if seconds is None else datetime.fromtimestamp(seconds, UTC)


PAGE_SIZE = 16384


class Database:
    def __init__(self, conn: aiosqlite.Connection, path: Path | str) -> None:
        self.conn = conn
        self.path = path
        self._write_lock = asyncio.Lock()

    @classmethod
    async def open(cls, path: Path | str) -> Database:
        if str(path) != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        conn = await aiosqlite.connect(path, isolation_level=None)
        conn.row_factory = sqlite3.Row
        # Only a new database takes it (before WAL is on). Bulk imports build B-trees of
        # millions of rows, where larger pages cost less SQLite time (bench/RESULTS-import.md),
        # and a bot's point reads do not notice.
        await conn.execute(f"PRAGMA page_size = {PAGE_SIZE}")
        await conn.execute("PRAGMA journal_mode=WAL")
        await conn.execute("PRAGMA foreign_keys=ON")
        await conn.execute("PRAGMA busy_timeout=5000")
        await conn.execute("PRAGMA synchronous=NORMAL")
        return cls(conn, path)

    async def close(self) -> None:
        await self.conn.close()

    @asynccontextmanager
    async def sibling(self) -> AsyncIterator[Database]:
        """A second connection to the same file, for long work (an import's staging and
        checks) that must not queue the bot's queries behind it on one connection's thread.
        It shares this one's write lock: its transactions and the bot's take turns in this
        process without SQLite's busy waits."""
        other = await Database.open(self.path)
        other._write_lock = self._write_lock
        try:
            yield other
        finally:
            await other.close()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        async with self._write_lock:
            await self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
            except BaseException:
                await self.conn.execute("ROLLBACK")
                raise
            await self.conn.execute("COMMIT")

    async def fetchone(self, sql: str, params: Iterable[Any] = ()) -> sqlite3.Row | None:
        """The first row of a query of one row (a key, an aggregate, LIMIT 1)."""
        rows = await self.fetchall(sql, params)
        return rows[0] if rows else None

    async def fetchall(self, sql: str, params: Iterable[Any] = ()) -> list[sqlite3.Row]:
        # One trip to the database thread; a cursor's execute, fetch and close are three,
        # and /me asks some thirty queries.
        return list(await self.conn.execute_fetchall(sql, tuple(params)))

    async def fetchval(self, sql: str, params: Iterable[Any] = ()) -> Any:
        row = await self.fetchone(sql, params)
        return None if row is None else row[0]

    async def user_version(self) -> int:
        return int(await self.fetchval("PRAGMA user_version"))

    async def migrate(self) -> list[int]:
        """Apply the numbered migrations newer than `user_version`, each in one transaction."""
        applied = []
        current = await self.user_version()
        for number, name, sql in available_migrations():
            if number <= current:
                continue
            async with self._write_lock:
                # executescript would commit a pending transaction first, so the script
                # carries its own BEGIN … COMMIT with the version bump inside it.
                script = f"BEGIN IMMEDIATE;\n{sql}\nPRAGMA user_version = {number};\nCOMMIT;"
                try:
                    await self.conn.executescript(script)
                except Exception:
                    if self.conn.in_transaction:
                        await self.conn.execute("ROLLBACK")
                    log.exception("migration %s failed; database left at version %s", name, current)
                    raise
            log.info("applied migration %s", name)
            applied.append(number)
            current = number
        return applied

    async def backup(self, target: Path | str) -> None:
        """A consistent snapshot through SQLite's online backup API, safe while the bot runs."""
        Path(target).parent.mkdir(parents=True, exist_ok=True)
        destination = await aiosqlite.connect(target)
        try:
            await self.conn.backup(destination)
        finally:
            await destination.close()


def available_migrations(package: str = "storage.migrations") -> list[tuple[int, str, str]]:
    """The numbered migrations of a package (SQLite's by default; PostgreSQL's live in
    storage.migrations_pg), in order, checked to run 1..n without gaps."""
    found = []
    for entry in resources.files(package).iterdir():
        match = _MIGRATION_NAME.match(entry.name)
        if match:
            found.append((int(match[1]), entry.name, entry.read_text(encoding="utf-8")))
    found.sort()
    numbers = [number for number, _, _ in found]
    if numbers != list(range(1, len(numbers) + 1)):
        raise RuntimeError(f"migrations must be numbered 1..n without gaps, found {numbers}")
    return found
