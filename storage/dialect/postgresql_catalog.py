"""PostgreSQL's half of what copying a whole database needs (storage/copy.py): the catalogue
(tables, columns, foreign keys, identity sequences), a consistent read of every table, and
the settings of a bulk load. storage/dialect/sqlite_catalog.py has the same names; both are
re-exported by the dialect modules. `conn` is a storage.pg connection."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any

_HERE = "relnamespace = current_schema()::regnamespace"


async def tables(conn: Any) -> list[str]:
    """The tables of the current schema, by name."""
    rows = await conn.execute_fetchall(
        f"SELECT relname::text FROM pg_class WHERE relkind IN ('r', 'p') AND {_HERE}"
        " ORDER BY relname"
    )
    return [row[0] for row in rows]


async def columns(conn: Any, table: str) -> list[str]:
    """A table's columns in their order."""
    rows = await conn.execute_fetchall(
        "SELECT attname::text FROM pg_attribute WHERE attrelid = CAST(? AS regclass)"
        " AND attnum > 0 AND NOT attisdropped ORDER BY attnum",
        (f'"{table}"',),
    )
    return [row[0] for row in rows]


async def references(conn: Any) -> list[tuple[str, str]]:
    """(table, the table one of its foreign keys points at)."""
    rows = await conn.execute_fetchall(
        "SELECT DISTINCT c.relname::text, p.relname::text FROM pg_constraint f"
        " JOIN pg_class c ON c.oid = f.conrelid JOIN pg_class p ON p.oid = f.confrelid"
        f" WHERE f.contype = 'f' AND c.{_HERE}"
    )
    return [(row[0], row[1]) for row in rows]


async def sequences(conn: Any) -> dict[str, tuple[str, int]]:
    """table → (its identity column, the last value its sequence handed out; 0: none)."""
    rows = await conn.execute_fetchall(
        "SELECT c.relname::text, a.attname::text,"
        " pg_get_serial_sequence(quote_ident(c.relname), a.attname) FROM pg_attribute a"
        " JOIN pg_class c ON c.oid = a.attrelid"
        f" WHERE a.attidentity <> '' AND NOT a.attisdropped AND c.{_HERE}"
    )
    found = {}
    for table, column, sequence in rows:
        # A sequence's own row: last_value counts only once nextval (or setval) has run.
        last = await conn.execute_fetchall(
            f"SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM {sequence}"
        )
        found[table] = (column, int(last[0][0]))
    return found


async def set_sequence(conn: Any, table: str, column: str, value: int) -> None:
    """The identity sequence of `table` at `value`: the next id is above it."""
    await conn.execute(
        "SELECT setval(pg_get_serial_sequence(?, ?), ?, ?)",
        (f'"{table}"', column, max(value, 1), value > 0),
    )


class Snapshot:
    """One REPEATABLE READ transaction: every table as of the same moment."""

    def __init__(self, conn: Any) -> None:
        self.conn = conn

    async def batches(
        self, table: str, names: Sequence[str], size: int
    ) -> AsyncIterator[list[tuple[Any, ...]]]:
        quoted = ", ".join(f'"{name}"' for name in names)
        cursor = await self.conn.raw.cursor(f'SELECT {quoted} FROM "{table}"')
        while batch := await cursor.fetch(size):
            yield [tuple(record) for record in batch]


@asynccontextmanager
async def snapshot(db: Any) -> AsyncIterator[Snapshot]:
    """A consistent read of the database on a connection of its own, read-only."""
    from storage.pg.connection import PgConnection

    async with (
        db.pool.acquire() as raw,
        raw.transaction(isolation="repeatable_read", readonly=True),
    ):
        yield Snapshot(PgConnection(raw, db))


async def prepare_bulk(conn: Any) -> None:
    """Inside the load's transaction: memory to build the indexes dropped for the load."""
    await conn.execute("SET LOCAL maintenance_work_mem = '256MB'")


async def analyze(db: Any) -> None:
    """After a bulk load: planner statistics now rather than when autovacuum gets there."""
    await db.pool.execute("ANALYZE")
