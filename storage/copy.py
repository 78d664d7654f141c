"""A whole database copied into an empty one of either store: `python -m bot copy-to URL`.

SQLite → PostgreSQL moves a bot onto a server; PostgreSQL → one SQLite file is a backup that
needs no pg_dump. Every table is copied as it is, the audit, the outbox (with its BLOBs) and
the rollups included: the rollups are data, so the triggers that keep them are suspended for
the load rather than left to add every order twice. The source is read in one snapshot (the
bot may keep running on it); the target is written in one transaction, so a failed copy
leaves it migrated and empty, ready for another try.

Refused before anything is written: a source whose schema is not this code's version (behind:
migrate it first; ahead: this code is too old), a target that holds data or is newer. At the
end, row counts per table and the sums of every money column (`*_fen`) are compared between
the source's snapshot and the committed target.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Callable, Iterable
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from storage import dialect
from storage.db import Database as SqliteDatabase
from storage.db import available_migrations
from storage.dialect import postgresql_catalog, sqlite_catalog

log = logging.getLogger(__name__)
# Bookkeeping of the migrations themselves, which the target keeps its own of.
_BOOKKEEPING = frozenset({"schema_version"})
BATCH = 20_000

Progress = Callable[[int, int], None]  # (rows copied so far, rows in all)


class CopyRefused(Exception):
    """The copy cannot start; str() says why and what to do."""


@dataclass(frozen=True)
class Check:
    table: str
    what: str  # "rows", or the money column summed
    source: int
    target: int

    @property
    def ok(self) -> bool:
        return self.source == self.target


@dataclass
class CopyReport:
    checks: list[Check] = field(default_factory=list)
    rows: int = 0
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return all(check.ok for check in self.checks)

    @property
    def mismatches(self) -> list[Check]:
        return [check for check in self.checks if not check.ok]

    def lines(self) -> list[str]:
        """The checks as a table to print, one line per count or sum."""
        width = max([len("table"), *(len(_label(c)) for c in self.checks)])
        out = [f"{'table':<{width}}  {'source':>15}  {'target':>15}", "-" * (width + 36)]
        for check in self.checks:
            mark = "ok" if check.ok else "MISMATCH"
            out.append(
                f"{_label(check):<{width}}  {check.source:>15,}  {check.target:>15,}  {mark}"
            )
        rate = self.rows / self.seconds if self.seconds else 0.0
        out.append(f"{self.rows:,} rows in {self.seconds:.1f} s ({rate:,.0f} rows/s)")
        return out


def _label(check: Check) -> str:
    return check.table if check.what == "rows" else f"{check.table}.{check.what} (sum)"


def catalog(db: Any) -> ModuleType:
    """The catalogue functions of a Database's store."""
    return postgresql_catalog if dialect.of(db).NAME == "postgresql" else sqlite_catalog


def code_version() -> int:
    return available_migrations()[-1][0]


async def fresh_rows() -> dict[str, int]:
    """Rows per table that the migrations themselves put in a new database: a target that
    holds just these is empty (the copy brings the source's own)."""
    quiet = logging.getLogger("storage.db")  # a scratch database's migrations are no news
    level = quiet.level
    quiet.setLevel(logging.WARNING)
    db = await SqliteDatabase.open(":memory:")
    try:
        await db.migrate()
        counts = await _counts(db, await sqlite_catalog.tables(db.conn))
    finally:
        await db.close()
        quiet.setLevel(level)
    return {table: n for table, n in counts.items() if n}


async def _counts(db: Any, tables: Iterable[str]) -> dict[str, int]:
    return {t: int(await db.fetchval(f'SELECT COUNT(*) FROM "{t}"')) for t in tables}


async def _check_versions(source: Any, target: Any) -> None:
    code = code_version()
    have = await source.user_version()
    if have < code:
        raise CopyRefused(
            f"the source database is at version {have}, this code at {code}:"
            " run `python -m bot migrate` on the source first"
        )
    if have > code:
        raise CopyRefused(
            f"the source database is at version {have}, newer than this code ({code}):"
            " copy it with the version of crewbot that wrote it"
        )
    if await target.user_version() > code:
        raise CopyRefused("the target database is newer than this code: not a target for it")


async def _check_empty(target: Any, seeds: dict[str, int]) -> None:
    names = [t for t in await catalog(target).tables(_reader(target)) if t not in _BOOKKEEPING]
    if names and await target.user_version() == 0:
        raise CopyRefused(
            f"the target already has tables of its own ({', '.join(names[:5])}):"
            " copy into a new, empty database"
        )
    full = [(t, n) for t, n in (await _counts(target, names)).items() if n > seeds.get(t, 0)]
    if full:
        shown = ", ".join(f"{t} ({n:,} row{'s' * (n != 1)})" for t, n in full[:5])
        raise CopyRefused(f"the target is not empty: {shown}; copy into an empty database")


def _reader(db: Any) -> Any:
    """Something to run catalogue queries on outside a transaction."""
    return db.conn if dialect.of(db).NAME == "sqlite" else _PoolReader(db)


class _PoolReader:
    def __init__(self, db: Any) -> None:
        self.db = db

    async def execute_fetchall(self, sql: str, params: Any = ()) -> list[Any]:
        return await self.db.fetchall(sql, params)


def dependency_order(tables: list[str], references: list[tuple[str, str]]) -> list[str]:
    """Tables with every table their foreign keys point at before them (by name otherwise)."""
    needs = {t: {p for c, p in references if c == t and p != t and p in tables} for t in tables}
    order: list[str] = []
    while needs:
        ready = sorted(t for t, parents in needs.items() if not parents)
        if not ready:
            raise CopyRefused(f"foreign keys in a cycle among {', '.join(sorted(needs))}")
        for t in ready:
            del needs[t]
            order.append(t)
        for parents in needs.values():
            parents.difference_update(ready)
    return order


async def _measure(conn: Any, layout: dict[str, list[str]]) -> list[Check]:
    """Row counts and money sums per table (as source and target both at once: the caller
    pairs them)."""
    found = []
    for table, names in layout.items():
        money = [n for n in names if n.endswith("_fen")]
        sums = "".join(f', COALESCE(SUM("{n}"), 0)' for n in money)
        row = (await conn.execute_fetchall(f'SELECT COUNT(*){sums} FROM "{table}"'))[0]
        found.append(Check(table, "rows", int(row[0]), 0))
        found.extend(Check(table, n, int(v), 0) for n, v in zip(money, row[1:], strict=True))
    return found


async def _layout(cat: ModuleType, conn: Any) -> dict[str, list[str]]:
    names = [t for t in await cat.tables(conn) if t not in _BOOKKEEPING]
    return {t: await cat.columns(conn, t) for t in names}


def _same_schema(source: dict[str, list[str]], target: dict[str, list[str]]) -> None:
    problems = []
    if missing := sorted(set(source) - set(target)):
        problems.append(f"tables missing in the target: {', '.join(missing)}")
    if extra := sorted(set(target) - set(source)):
        problems.append(f"tables only in the target: {', '.join(extra)}")
    for table in sorted(set(source) & set(target)):
        if set(source[table]) != set(target[table]):
            problems.append(f"{table} has columns {source[table]} here, {target[table]} there")
    if problems:
        raise CopyRefused("the two schemas differ: " + "; ".join(problems))


async def copy_database(
    source: Any, target: Any, *, progress: Progress | None = None, batch: int = BATCH
) -> CopyReport:
    """Copy every table of `source` into the empty `target` (either store, opened Databases)
    and compare counts and money sums; the report says whether they all agree."""
    started = time.perf_counter()
    await _check_versions(source, target)
    seeds = await fresh_rows()
    await _check_empty(target, seeds)
    await target.migrate()
    src, dst = catalog(source), catalog(target)
    async with src.snapshot(source) as snap:
        layout = await _layout(src, snap.conn)
        _same_schema(layout, await _layout(dst, _reader(target)))
        expected = await _measure(snap.conn, layout)
        order = dependency_order(list(layout), await src.references(snap.conn))
        copier = _Copier(snap, target, layout, sum(c.source for c in expected if c.what == "rows"))
        async with target.transaction() as conn:
            await dst.prepare_bulk(conn)
            async with dialect.of(target).triggers_suspended(conn, order):
                for table in seeds:  # the source brings its own rows of these
                    await conn.execute(f'DELETE FROM "{table}"')
                for table in order:
                    await copier.table(conn, table, batch, progress)
            await _continue_sequences(dst, conn, await src.sequences(snap.conn))
    await dst.analyze(target)
    got = await _measure(_reader(target), layout)
    checks = [
        Check(e.table, e.what, e.source, g.source) for e, g in zip(expected, got, strict=True)
    ]
    return CopyReport(checks, copier.done, time.perf_counter() - started)


class _Copier:
    """Rows of the snapshot's tables into the target's transaction, counted for progress."""

    def __init__(self, snap: Any, target: Any, layout: dict[str, list[str]], total: int) -> None:
        self.snap, self.target, self.layout, self.total = snap, target, layout, total
        self.done = 0

    async def table(self, conn: Any, table: str, batch: int, progress: Progress | None) -> None:
        began = loaded = time.perf_counter()
        async with dialect.of(self.target).indexes_suspended(conn, table):
            async for rows in _batches(self.snap, table, self.layout[table], batch):
                await dialect.of(self.target).bulk_load(conn, table, self.layout[table], rows)
                self.done += len(rows)
                if progress:
                    progress(self.done, self.total)
            loaded = time.perf_counter()
        if (ended := time.perf_counter()) - began > 1:
            log.info("%s: rows in %.1f s, indexes in %.1f s", table, loaded - began, ended - loaded)


async def _continue_sequences(dst: ModuleType, conn: Any, source: dict[str, Any]) -> None:
    """Each id counter of the target past the largest id copied, and past the source's own
    counter (ids of deleted rows are not handed out again where the source promised so)."""
    for table, (column, _) in (await dst.sequences(conn)).items():
        top = (await conn.execute_fetchall(f'SELECT MAX("{column}") FROM "{table}"'))[0][0]
        promised = source[table][1] if table in source else 0
        await dst.set_sequence(conn, table, column, max(top or 0, promised))


async def _batches(snap: Any, table: str, names: list[str], size: int) -> AsyncIterator[list[Any]]:
    """The snapshot's rows of `table` in batches, the next one read while the caller writes."""
    queue: asyncio.Queue[list[Any] | None] = asyncio.Queue(maxsize=2)
    failed: list[Exception] = []

    async def read() -> None:
        try:
            async for rows in snap.batches(table, names, size):
                await queue.put(rows)
        except Exception as exc:  # raised to the caller below, once the queue is drained
            failed.append(exc)
        await queue.put(None)

    reader = asyncio.create_task(read())
    try:
        while (rows := await queue.get()) is not None:
            yield rows
        await reader
        if failed:
            raise failed[0]
    finally:
        if not reader.done():
            reader.cancel()
