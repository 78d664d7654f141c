"""Change counters every process sees (table data_versions, migration 0020).

A process that keeps a cache (the boards, the FAQ index) keeps the counter it was built at
and rebuilds when the counter moved: the triggers bump it in whichever transaction changed
the data, in this process, another bot process or a command-line import.

A value read inside an open write transaction may count that transaction's own writes,
which a rollback takes back: `committed` says whether a value read now can be trusted to
key a cache.
"""

from __future__ import annotations

from typing import Any

BOARDS = "boards"
FAQ = "faq"
USERS = "users"  # moves when a user is marked unreachable


async def read(db: Any, name: str) -> int:
    """The counter `name` (0 when the row is missing: nothing was ever counted)."""
    value = await db.fetchval("SELECT version FROM data_versions WHERE name = ?", (name,))
    return int(value or 0)


async def bump(conn: Any, name: str) -> None:
    """Count a change to `name` by hand, where its triggers were set aside (a bulk load)."""
    await conn.execute("UPDATE data_versions SET version = version + 1 WHERE name = ?", (name,))


def committed(db: Any) -> bool:
    """True when a read through `db` now sees committed data only.

    SQLite: the bot's one connection is shared, so any open transaction on it (another
    task's) shows its uncommitted rows. PostgreSQL: reads go to the pool, except inside the
    calling task's own transaction."""
    if getattr(db, "dialect_name", "sqlite") == "postgresql":
        from storage.pg.db import bound_connection

        return bound_connection(db) is None
    conn = getattr(db, "conn", None)
    return conn is None or not conn.in_transaction
