"""PostgreSQL's spelling of the fragments that differ by store (see storage/dialect/__init__.py);
storage/dialect/sqlite.py has the same names. `conn` is a storage.pg connection (the one
`Database.transaction()` yields); `conn.raw` is its asyncpg connection."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from typing import Any

NAME = "postgresql"
# How the order import knows a staged row (storage/order_sql.py): its line, one per row.
STAGED_KEY = "line"


def greatest(*exprs: str) -> str:
    """The largest of the arguments, which must not be NULL (GREATEST ignores a NULL,
    SQLite's max() returns it)."""
    return f"GREATEST({', '.join(exprs)})"


def least(*exprs: str) -> str:
    """The smallest of the arguments (not NULL, as for greatest)."""
    return f"LEAST({', '.join(exprs)})"


def as_int(condition: str) -> str:
    """A condition as 0/1, to sum or store (a PostgreSQL comparison is a boolean)."""
    return f"CASE WHEN {condition} THEN 1 ELSE 0 END"


def iso_week(day: str) -> str:
    """ISO year * 100 + ISO week of a yyyymmdd integer."""
    return (
        f"to_char(make_date(({day} / 10000)::int, ({day} / 100 % 100)::int, ({day} % 100)::int),"
        " 'IYYYIW')::bigint"
    )


def local_day(ts: str, offset: str) -> str:
    """The yyyymmdd integer of Unix seconds `ts` at a UTC offset of `offset` seconds."""
    return f"to_char(to_timestamp({ts} + {offset}) AT TIME ZONE 'UTC', 'YYYYMMDD')::bigint"


def local_month(ts: str, offset: str) -> str:
    """The yyyymm integer of Unix seconds `ts` at a UTC offset of `offset` seconds."""
    return f"to_char(to_timestamp({ts} + {offset}) AT TIME ZONE 'UTC', 'YYYYMM')::bigint"


def temp(name: str) -> str:
    """A temporary table's qualified name."""
    return f"pg_temp.{name}"


def create_temp(name: str, columns: str) -> str:
    """CREATE for a temporary table living until the transaction ends: a pooled connection
    outlives the work that made it."""
    return f"CREATE TEMP TABLE {name} ({columns}) ON COMMIT DROP"


async def bulk_load(
    conn: Any, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]
) -> int:
    """Append rows to a table as fast as the store allows (here: COPY in binary, inside the
    caller's transaction); how many rows went in. Values must be of the columns' types
    (int for BIGINT, str for TEXT): COPY converts nothing."""
    schema, _, name = table.rpartition(".")
    status = await conn.raw.copy_records_to_table(
        name, schema_name=schema or None, records=[tuple(r) for r in rows], columns=list(columns)
    )
    return int(status.rsplit(" ", 1)[-1])


async def delete_keyed(conn: Any, table: str, column: str, keys: Sequence[Any]) -> None:
    """Delete the rows whose `column` is one of `keys` (BIGINT), in one statement."""
    await conn.execute(
        f"DELETE FROM {table} WHERE {column} = ANY(CAST(? AS BIGINT[]))", (list(keys),)
    )


async def chat_id_columns(conn: Any) -> list[tuple[str, str]]:
    """(table, column) of every column named chat_id or ending in _chat_id, in the order the
    tables were made."""
    rows = await conn.execute_fetchall(
        "SELECT c.relname, a.attname FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid"
        " WHERE c.relkind = 'r' AND c.relnamespace = current_schema()::regnamespace"
        " AND a.attnum > 0 AND NOT a.attisdropped"
        " AND (a.attname = 'chat_id' OR right(a.attname, 8) = '_chat_id')"
        " ORDER BY c.oid, a.attnum"
    )
    return [(row[0], row[1]) for row in rows]


async def _unique_keys(conn: Any, table: str) -> list[list[str]]:
    # Whole-column unique indexes (primary keys included); partial and expression ones are
    # not what a replace by key means.
    rows = await conn.execute_fetchall(
        "SELECT array_agg(a.attname::text ORDER BY k.ord) FROM pg_index i"
        " JOIN pg_class c ON c.oid = i.indrelid"
        " CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)"
        " JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum"
        " WHERE c.relname = ? AND c.relnamespace = current_schema()::regnamespace"
        " AND i.indisunique AND i.indpred IS NULL AND i.indexprs IS NULL"
        " GROUP BY i.indexrelid",
        (table,),
    )
    return [list(row[0]) for row in rows]


async def replace_value(conn: Any, table: str, column: str, old: Any, new: Any) -> int:
    """Set `column` from `old` to `new`; a row the change would make a duplicate of another
    (by a unique key) replaces it, as SQLite's UPDATE OR REPLACE does. How many rows
    changed."""
    for key in await _unique_keys(conn, table):
        if column not in key:
            continue
        same = " AND ".join(f'n."{k}" = o."{k}"' for k in key if k != column) or "TRUE"
        await conn.execute(
            f'DELETE FROM "{table}" n WHERE n."{column}" = ? AND EXISTS'
            f' (SELECT 1 FROM "{table}" o WHERE o."{column}" = ? AND {same})',
            (new, old),
        )
    cursor = await conn.execute(
        f'UPDATE "{table}" SET "{column}" = ? WHERE "{column}" = ?', (new, old)
    )
    return cursor.rowcount


@asynccontextmanager
async def triggers_suspended(conn: Any, tables: Sequence[str]) -> AsyncIterator[None]:
    """Inside a transaction: the tables' own triggers do not fire until the block ends
    (foreign keys still hold). On an error the rollback enables them again."""
    for table in tables:
        await conn.execute(f'ALTER TABLE "{table}" DISABLE TRIGGER USER')
    yield
    for table in tables:
        await conn.execute(f'ALTER TABLE "{table}" ENABLE TRIGGER USER')


@asynccontextmanager
async def indexes_suspended(conn: Any, table: str) -> AsyncIterator[None]:
    """Inside a transaction: the table's secondary indexes (not those of its primary key and
    unique constraints) are dropped for the block and built once at its end."""
    indexes = await conn.execute_fetchall(
        "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema()"
        " AND tablename = ? AND indexname NOT IN (SELECT conname FROM pg_constraint"
        " WHERE conrelid = CAST(? AS regclass))",
        (table, f'"{table}"'),
    )
    for name, _ in indexes:
        await conn.execute(f'DROP INDEX "{name}"')
    yield
    for _, sql in indexes:
        await conn.execute(sql)


def create_temp_keyed(name: str, columns: str, key: str) -> str:
    """CREATE, unless it exists, a temporary table with a primary key, living until the
    session ends (a sibling connection discards its temp tables when it goes back)."""
    return f"CREATE TEMP TABLE IF NOT EXISTS {name} ({columns}, PRIMARY KEY ({key}))"


async def session_memory(conn: Any, kib: int) -> None:
    """Room for one connection's long work (an import's staging, a report's sort): the memory
    a sort or hash may take before it spills to disk. The pool resets it (RESET ALL) when
    the connection goes back."""
    await conn.execute(f"SET work_mem = '{int(kib)}kB'")


# The order import's fast path (storage/order_sql.py): the canonical spellings only, NULL for
# anything else. The cells are stripped. (No `?` in these patterns: it would read as a
# parameter marker outside a literal, and is easy to misread inside one.)


def fast_money(x: str) -> str:
    """Fen of ASCII digits with at most one dot followed by one or two digits, 15 characters
    at most."""
    return (
        f"CASE WHEN length({x}) <= 15 AND {x} ~ '^[0-9]+([.][0-9]{{1,2}}){{0,1}}$' THEN"
        f" CASE length({x}) - strpos({x}, '.') WHEN length({x}) THEN CAST({x} AS BIGINT) * 100"
        f" WHEN 1 THEN CAST(replace({x}, '.', '') AS BIGINT) * 10"
        f" ELSE CAST(replace({x}, '.', '') AS BIGINT) END END"
    )


def fast_quantity(q: str) -> str:
    """1 for empty, else ASCII digits (15 at most) with one that is not 0."""
    return (
        f"CASE WHEN {q} = '' THEN 1 WHEN length({q}) <= 15 AND {q} ~ '^0*[1-9][0-9]*$'"
        f" THEN CAST({q} AS BIGINT) END"
    )


def fast_clock(p: str, hour_utc: str) -> str:
    """Unix seconds of `p`, `…HH:MM` or `…HH:MM:SS`, whose hour starts at `hour_utc`."""
    minute = f"{hour_utc} + 60 * CAST(substr({p}, 15, 2) AS BIGINT)"
    return (
        f"CASE length({p}) WHEN 16 THEN CASE WHEN substr({p}, 14) ~ '^:[0-5][0-9]$'"
        f" THEN {minute} END WHEN 19 THEN CASE WHEN substr({p}, 14) ~ '^:[0-5][0-9]:[0-5][0-9]$'"
        f" THEN {minute} + CAST(substr({p}, 18, 2) AS BIGINT) END END"
    )
