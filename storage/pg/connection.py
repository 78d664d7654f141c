"""A transaction's connection, shaped like the aiosqlite connection repositories use.

`await conn.execute(sql, params)` and `async with conn.execute(...) as cursor` both work; the
cursor holds what the statement returned. A statement is sent one of two ways, decided once
per statement text: rows wanted (SELECT, WITH, … RETURNING) → fetch; otherwise → execute,
whose status line gives `rowcount` ("UPDATE 3"). An INSERT into a table whose `id` the
database assigns gets `RETURNING id` appended, which fills `lastrowid` as SQLite does.
"""

from __future__ import annotations

import asyncio
import re
import sqlite3
from collections.abc import Awaitable, Generator, Iterable, Mapping, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any, NamedTuple, NoReturn

import asyncpg

from storage.pg.placeholders import Translated, arguments, translate

if TYPE_CHECKING:
    from storage.pg.db import Database

Row = asyncpg.Record
Params = Sequence[Any] | Mapping[str, Any]

_ROWS = re.compile(r"\s*(SELECT|WITH|VALUES|TABLE|SHOW|EXPLAIN)\b", re.IGNORECASE)
_RETURNING = re.compile(r"\bRETURNING\b", re.IGNORECASE)
_INSERT = re.compile(r'\s*INSERT\s+INTO\s+"?([A-Za-z_][A-Za-z_0-9]*)"?', re.IGNORECASE)


class IntegrityError(sqlite3.IntegrityError):
    """A constraint refused a write. A subclass of sqlite3's, so that repositories catching
    that one (samples: a video linked twice) work unchanged on PostgreSQL."""


def translate_error(exc: asyncpg.PostgresError) -> Exception:
    if isinstance(exc, asyncpg.IntegrityConstraintViolationError):
        return IntegrityError(str(exc))
    return exc


def raise_translated(exc: asyncpg.PostgresError) -> NoReturn:
    mapped = translate_error(exc)
    if mapped is exc:
        raise exc
    raise mapped from exc


class Plan(NamedTuple):
    translated: Translated
    sql: str  # as sent
    rows: bool  # fetch (rows come back) rather than execute (a status line)
    added_id: bool  # `RETURNING id` appended for lastrowid: the rows are not the caller's


@lru_cache(maxsize=4096)
def plan(sql: str, identity_tables: frozenset[str]) -> Plan:
    translated = translate(sql)
    text = translated.sql.rstrip().rstrip(";")
    if _ROWS.match(text) or _RETURNING.search(text):
        return Plan(translated, text, True, False)
    insert = _INSERT.match(text)
    if insert and insert[1].lower() in identity_tables:
        return Plan(translated, f"{text} RETURNING id", True, True)
    return Plan(translated, text, False, False)


def _status_count(status: str) -> int:
    last = status.rsplit(" ", 1)[-1]
    return int(last) if last.isdigit() else -1


class PgCursor:
    """What one statement returned: its rows, how many rows it changed, the id it made."""

    def __init__(self, rows: list[Row], rowcount: int, lastrowid: int | None) -> None:
        self._rows = rows
        self._next = 0
        self.rowcount = rowcount
        self.lastrowid = lastrowid
        self.row_factory: Any = None  # accepted and ignored: rows are Records either way

    async def fetchone(self) -> Row | None:
        if self._next >= len(self._rows):
            return None
        self._next += 1
        return self._rows[self._next - 1]

    async def fetchall(self) -> list[Row]:
        rest, self._next = self._rows[self._next :], len(self._rows)
        return rest

    async def fetchmany(self, size: int = 1) -> list[Row]:
        rest = self._rows[self._next : self._next + size]
        self._next += len(rest)
        return rest

    async def close(self) -> None:
        self._rows = []

    def __aiter__(self) -> PgCursor:
        return self

    async def __anext__(self) -> Row:
        row = await self.fetchone()
        if row is None:
            raise StopAsyncIteration
        return row


class _Pending:
    """`await conn.execute(...)` or `async with conn.execute(...) as cursor`, as aiosqlite."""

    def __init__(self, work: Awaitable[PgCursor]) -> None:
        self._work = work

    def __await__(self) -> Generator[Any, None, PgCursor]:
        return self._work.__await__()

    async def __aenter__(self) -> PgCursor:
        return await self._work

    async def __aexit__(self, *exc: object) -> None:
        return None


class PgConnection:
    def __init__(self, raw: asyncpg.Connection, db: Database) -> None:
        self.raw = raw  # the asyncpg connection, for what has no SQLite shape (COPY)
        self.db = db
        # One statement at a time: a task started inside the transaction inherits it (the
        # ContextVar) and may read through it too, as all share one connection on SQLite.
        self._lock = asyncio.Lock()

    @property
    def in_transaction(self) -> bool:
        return self.raw.is_in_transaction()

    def _plan(self, sql: str) -> Plan:
        return plan(sql, self.db.identity_tables)

    def execute(self, sql: str, params: Params = ()) -> _Pending:
        return _Pending(self._execute(sql, params))

    async def _execute(self, sql: str, params: Params) -> PgCursor:
        p = self._plan(sql)
        args = arguments(p.translated, params)
        try:
            async with self._lock:
                return await self._send(p, args)
        except asyncpg.PostgresError as exc:
            raise_translated(exc)

    async def _send(self, p: Plan, args: list[Any]) -> PgCursor:
        if p.rows:
            rows = await self.raw.fetch(p.sql, *args)
            if p.added_id:
                return PgCursor([], len(rows), rows[-1][0] if rows else None)
            return PgCursor(rows, -1 if _ROWS.match(p.sql) else len(rows), None)
        status = await self.raw.execute(p.sql, *args)
        return PgCursor([], _status_count(status), None)

    def executemany(self, sql: str, seq_of_params: Iterable[Params]) -> _Pending:
        return _Pending(self._executemany(sql, seq_of_params))

    async def _executemany(self, sql: str, seq_of_params: Iterable[Params]) -> PgCursor:
        # One statement per parameter set (asyncpg's executemany returns no counts, and the
        # outbox needs how many rows were new); a bulk load goes through COPY instead
        # (storage.dialect.postgresql.bulk_load).
        p = self._plan(sql)
        if p.rows and not p.added_id:
            raise sqlite3.ProgrammingError("executemany() can only execute DML statements")
        text = p.sql[: -len(" RETURNING id")] if p.added_id else p.sql
        total = 0
        try:
            async with self._lock:
                for params in seq_of_params:
                    status = await self.raw.execute(text, *arguments(p.translated, params))
                    total += max(_status_count(status), 0)
        except asyncpg.PostgresError as exc:
            raise_translated(exc)
        return PgCursor([], total, None)

    async def execute_fetchall(self, sql: str, params: Params = ()) -> list[Row]:
        cursor = await self._execute(sql, params)
        return await cursor.fetchall()
