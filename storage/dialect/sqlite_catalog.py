"""SQLite's half of what copying a whole database needs (storage/copy.py): the catalogue
(tables, columns, foreign keys, AUTOINCREMENT counters), a consistent read of every table,
and the settings of a bulk load. storage/dialect/postgresql_catalog.py has the same names;
both are re-exported by the dialect modules."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any

import aiosqlite


async def tables(conn: Any) -> list[str]:
    """The tables of the database (SQLite's own sqlite_* left out), by name."""
    rows = await conn.execute_fetchall(
        "SELECT name FROM sqlite_master WHERE type = 'table'"
        " AND substr(name, 1, 7) <> 'sqlite_' ORDER BY name"
    )
    return [row[0] for row in rows]


async def columns(conn: Any, table: str) -> list[str]:
    """A table's columns in their order."""
    rows = await conn.execute_fetchall(f'PRAGMA table_info("{table}")')
    return [row[1] for row in rows]


async def references(conn: Any) -> list[tuple[str, str]]:
    """(table, the table one of its foreign keys points at)."""
    rows = await conn.execute_fetchall(
        'SELECT DISTINCT m.name, f."table" FROM sqlite_master m,'
        " pragma_foreign_key_list(m.name) f WHERE m.type = 'table'"
    )
    return [(row[0], row[1]) for row in rows]


async def sequences(conn: Any) -> dict[str, tuple[str, int]]:
    """table → (its AUTOINCREMENT column, the last value handed out; 0: none yet). Tables
    with a plain INTEGER PRIMARY KEY have no counter: the next id is max + 1."""
    found: dict[str, tuple[str, int]] = {}
    rows = await conn.execute_fetchall(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE '%AUTOINCREMENT%'"
    )
    for (table,) in rows:
        keys = [r[1] for r in await conn.execute_fetchall(f'PRAGMA table_info("{table}")') if r[5]]
        if len(keys) == 1:
            found[table] = (keys[0], 0)
    if found:
        for name, seq in await conn.execute_fetchall("SELECT name, seq FROM sqlite_sequence"):
            if name in found:
                found[name] = (found[name][0], int(seq))
    return found


async def set_sequence(conn: Any, table: str, column: str, value: int) -> None:
    """The counter of an AUTOINCREMENT table at `value`: the next id is above it."""
    await conn.execute("DELETE FROM sqlite_sequence WHERE name = ?", (table,))
    if value > 0:
        await conn.execute("INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)", (table, value))


class Snapshot:
    """One read transaction: every table as of the same moment, while the bot writes on."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self.conn = conn

    async def batches(
        self, table: str, names: Sequence[str], size: int
    ) -> AsyncIterator[list[tuple[Any, ...]]]:
        quoted = ", ".join(f'"{name}"' for name in names)
        async with self.conn.execute(f'SELECT {quoted} FROM "{table}"') as cursor:
            while batch := await cursor.fetchmany(size):
                yield batch


@asynccontextmanager
async def snapshot(db: Any) -> AsyncIterator[Snapshot]:
    """A consistent read of the database: a second connection (rows as plain tuples) in one
    read transaction, which WAL keeps at its first read however long the copy takes."""
    if str(db.path) == ":memory:":
        yield Snapshot(db.conn)  # nobody else can write to it
        return
    conn = await aiosqlite.connect(db.path, isolation_level=None)
    try:
        await conn.execute("BEGIN")
        yield Snapshot(conn)
    finally:
        await conn.close()


async def prepare_bulk(conn: Any) -> None:
    """Inside the load's transaction: foreign keys checked at its commit, so that rows may
    come in any order."""
    await conn.execute("PRAGMA defer_foreign_keys = ON")


async def analyze(db: Any) -> None:
    """After a bulk load: nothing (the bot reads SQLite without planner statistics)."""
