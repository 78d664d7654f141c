"""PostgreSQL behind the interface of storage.db.Database, so that repositories run unchanged.

What the repositories rely on from SQLite, and how it holds here:
- `transaction()` yields a connection with `execute` / `executemany` / `execute_fetchall` and
  cursors with `rowcount`, `lastrowid`, `fetchone`, `fetchall` (see storage/pg/connection.py).
- One writer at a time: SQLite's BEGIN IMMEDIATE serialises every write transaction, and
  repositories check-then-write inside one (a pending request, a taken handle, a settled
  month). Each transaction here first takes one transaction-scoped advisory lock, which keeps
  that meaning across every process sharing the database; `serialize_writes=False` leaves it
  to the caller (SKIP LOCKED claims, say).
- Reads through the Database inside a transaction see its uncommitted writes, as they do on
  SQLite's single connection: while a task is inside `transaction()`, `fetchone` and friends
  run on that transaction's connection (a ContextVar), never on a second one from the pool,
  which would neither see those writes nor be sure to exist when the pool is exhausted.
- Rows are asyncpg Records: `row["name"]`, `row[0]`, slices, `tuple(row)`, `dict(row)`.
  SUM over BIGINT is NUMERIC in PostgreSQL; whole numerics are decoded as int (no column here
  is NUMERIC), so sums of fen stay ints as on SQLite.
- Migrations: storage/migrations_pg/NNNN_*.sql, recorded in `schema_version`, each in one
  transaction, under a session advisory lock so that processes starting together apply each
  once.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
import shutil
import time
from collections.abc import AsyncIterator, Iterable, Mapping
from contextlib import asynccontextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

import asyncpg

from storage.db import available_migrations as numbered_migrations
from storage.pg.connection import PgConnection, Row, raise_translated
from storage.pg.placeholders import arguments, translate

log = logging.getLogger(__name__)

# Advisory lock keys (any bigint; these spell "crewbot" and a purpose in their digits).
WRITER_LOCK = 2_739_268_001
MIGRATE_LOCK = 2_739_268_002

# The transaction the running task is inside, if any. A task started meanwhile copies the
# context but is another writer (it waits for the lock, as it would on SQLite), so the
# binding names its task.
_current: contextvars.ContextVar[tuple[PgConnection, asyncio.Task[Any] | None] | None] = (
    contextvars.ContextVar("crewbot_pg_transaction", default=None)
)


def _bind(conn: PgConnection) -> contextvars.Token[Any]:
    return _current.set((conn, asyncio.current_task()))


def bound_connection(db: Any) -> PgConnection | None:
    """The connection of the transaction of `db` the running task is inside, if any."""
    binding = _current.get()
    if binding is None or binding[1] is not asyncio.current_task() or binding[0].db is not db:
        return None
    return binding[0]


class BackupUnavailable(RuntimeError):
    """pg_dump is not installed where the bot runs."""


def _numeric(text: str) -> int | Decimal:
    return Decimal(text) if any(c in text for c in ".eEN") else int(text)


async def _init_connection(conn: asyncpg.Connection) -> None:
    await conn.set_type_codec(
        "numeric", encoder=str, decoder=_numeric, schema="pg_catalog", format="text"
    )


class Database:
    dialect_name = "postgresql"

    def __init__(self, pool: asyncpg.Pool, url: str, *, serialize_writes: bool = True) -> None:
        self.pool = pool
        self.url = url
        self.serialize_writes = serialize_writes
        self.identity_tables: frozenset[str] = frozenset()

    @classmethod
    async def open(
        cls, url: str, *, min_size: int = 1, max_size: int = 10, serialize_writes: bool = True
    ) -> Database:
        pool = await asyncpg.create_pool(
            url, min_size=min_size, max_size=max_size, init=_init_connection
        )
        db = cls(pool, url, serialize_writes=serialize_writes)
        await db._learn_schema()
        return db

    async def close(self) -> None:
        await self.pool.close()

    async def _learn_schema(self) -> None:
        # Tables whose `id` the database assigns: an INSERT into one without RETURNING gets
        # `RETURNING id` added, so that cursor.lastrowid works as on SQLite.
        rows = await self.pool.fetch(
            "SELECT table_name FROM information_schema.columns WHERE table_schema ="
            " current_schema() AND column_name = 'id' AND is_identity = 'YES'"
        )
        self.identity_tables = frozenset(r[0] for r in rows)

    # --- transactions and reads ------------------------------------------------------------

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[PgConnection]:
        current = bound_connection(self)
        if current is not None:
            # Nested: a savepoint on the same connection (SQLite would deadlock here instead).
            async with current.raw.transaction():
                yield current
            return
        async with self.pool.acquire() as raw, raw.transaction():
            if self.serialize_writes:
                await raw.execute("SELECT pg_advisory_xact_lock($1)", WRITER_LOCK)
            conn = PgConnection(raw, self)
            token = _bind(conn)
            try:
                yield conn
            finally:
                _current.reset(token)

    @asynccontextmanager
    async def sibling(self) -> AsyncIterator[Sibling]:
        """One connection of the pool to itself, for long work (an import's staging in temp
        tables) that runs statements outside transactions too: `conn` is that connection,
        `transaction()` writes on it under the same writer lock as the Database's."""
        async with self.pool.acquire() as raw:
            try:
                yield Sibling(self, PgConnection(raw, self))
            finally:
                await raw.execute("DISCARD TEMP")  # the pool hands this connection on

    def _bound(self) -> PgConnection | None:
        return bound_connection(self)

    async def fetchall(self, sql: str, params: Iterable[Any] | Mapping[str, Any] = ()) -> list[Row]:
        bound = self._bound()
        if bound is not None:
            return await bound.execute_fetchall(sql, params)
        translated = translate(sql)
        args = arguments(translated, params if isinstance(params, Mapping) else tuple(params))
        try:
            return await self.pool.fetch(translated.sql, *args)
        except asyncpg.PostgresError as exc:
            raise_translated(exc)

    async def fetchone(
        self, sql: str, params: Iterable[Any] | Mapping[str, Any] = ()
    ) -> Row | None:
        """The first row of a query of one row (a key, an aggregate, LIMIT 1)."""
        rows = await self.fetchall(sql, params)
        return rows[0] if rows else None

    async def fetchval(self, sql: str, params: Iterable[Any] | Mapping[str, Any] = ()) -> Any:
        row = await self.fetchone(sql, params)
        return None if row is None else row[0]

    # --- migrations ------------------------------------------------------------------------

    async def user_version(self) -> int:
        """The number of the last migration applied (0: none), as SQLite's user_version."""
        async with self.pool.acquire() as raw:
            return await _version(raw)

    async def migrate(self) -> list[int]:
        """Apply the numbered migrations newer than the recorded version, each in one
        transaction with its version row."""
        applied: list[int] = []
        async with self.pool.acquire() as raw:
            await raw.execute("SELECT pg_advisory_lock($1)", MIGRATE_LOCK)
            try:
                await raw.execute(
                    "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY,"
                    ' name TEXT COLLATE "C" NOT NULL, applied_at BIGINT NOT NULL)'
                )
                current = await _version(raw)
                for number, name, sql in available_migrations():
                    if number <= current:
                        continue
                    try:
                        async with raw.transaction():
                            await raw.execute(sql)
                            await raw.execute(
                                "INSERT INTO schema_version (version, name, applied_at)"
                                " VALUES ($1, $2, $3)",
                                number, name, int(time.time()),
                            )  # fmt: skip
                    except Exception:
                        log.exception(
                            "migration %s failed; database left at version %s", name, current
                        )
                        raise
                    log.info("applied migration %s", name)
                    applied.append(number)
                    current = number
            finally:
                await raw.execute("SELECT pg_advisory_unlock($1)", MIGRATE_LOCK)
        if applied:
            await self.pool.expire_connections()  # cached statements may name old columns
            await self._learn_schema()
        return applied

    # --- backup ----------------------------------------------------------------------------

    async def backup(self, target: Path | str) -> None:
        """A consistent snapshot by pg_dump (custom format: restore with pg_restore)."""
        pg_dump = shutil.which("pg_dump")
        if pg_dump is None:
            raise BackupUnavailable(
                "pg_dump is not installed: install the PostgreSQL client tools of the"
                " server's major version (Debian: postgresql-client), or copy the database"
                " into one SQLite file with `python -m bot copy-to sqlite:///PATH`"
            )
        Path(target).parent.mkdir(parents=True, exist_ok=True)
        process = await asyncio.create_subprocess_exec(
            pg_dump, "--format=custom", "--no-owner", f"--file={target}", f"--dbname={self.url}",
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        _, err = await process.communicate()
        if process.returncode:
            raise RuntimeError(f"pg_dump failed ({process.returncode}): {err.decode().strip()}")


class Sibling:
    """Database.sibling(): the Database's interface on one connection of its own."""

    dialect_name = "postgresql"

    def __init__(self, db: Database, conn: PgConnection) -> None:
        self.db = db
        self.conn = conn

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[PgConnection]:
        raw = self.conn.raw
        async with raw.transaction():
            if self.db.serialize_writes:  # taken again inside: a no-op
                await raw.execute("SELECT pg_advisory_xact_lock($1)", WRITER_LOCK)
            token = _bind(self.conn)
            try:
                yield self.conn
            finally:
                _current.reset(token)

    async def fetchall(self, sql: str, params: Iterable[Any] | Mapping[str, Any] = ()) -> list[Row]:
        return await self.conn.execute_fetchall(sql, params)

    async def fetchone(
        self, sql: str, params: Iterable[Any] | Mapping[str, Any] = ()
    ) -> Row | None:
        rows = await self.conn.execute_fetchall(sql, params)
        return rows[0] if rows else None

    async def fetchval(self, sql: str, params: Iterable[Any] | Mapping[str, Any] = ()) -> Any:
        row = await self.fetchone(sql, params)
        return None if row is None else row[0]


async def _version(raw: asyncpg.Connection) -> int:
    if await raw.fetchval("SELECT to_regclass('schema_version')") is None:
        return 0
    return int(await raw.fetchval("SELECT COALESCE(MAX(version), 0) FROM schema_version"))


def available_migrations() -> list[tuple[int, str, str]]:
    return numbered_migrations("storage.migrations_pg")
