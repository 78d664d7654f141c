"""PostgreSQL's 0017 (digest rollups) and 0018 (outbox claims) do what SQLite's do: the same
rollups from the same writes of orders, the same back-fill of data already there."""

from __future__ import annotations

import pytest

import storage.db as sqlite_module
import storage.pg.db as pg_module
from storage.pg import Database as PgDatabase

ROLLUPS = {
    "order_day": "day",
    "buyer_day": "day, buyer_id",
    "sharer_first": "sharer_id",
    "sku_day_total": "day, sku",
}
_ORDER_COLUMNS = (
    "order_id, paid_at, month, day, sharer_id, buyer_id, sku, product, quantity, amount_fen,"
    " refund_fen, status, valid_fen, creator, imported_at"
)


def _order(n: int, day: int, sharer: str, buyer: str, sku: str, fen: int) -> tuple:
    return (f"o{n}", 0, day // 100, day, sharer, buyer, sku, "", 1, fen, 0, "paid", fen, "", 0)


ORDERS = [
    _order(1, 20261121, "a", "x", "s1", 100),
    _order(2, 20261121, "a", "x", "s1", 200),  # same day and buyer: one customer
    _order(3, 20261121, "b", "y", "s2", 0),  # counts in GMV, not as valid
    _order(4, 20261122, "a", "y", "s1", 50),
    _order(5, 20261201, "b", "x", "s2", 70),
]


async def _write(db) -> None:
    async with db.transaction() as conn:
        await conn.executemany(
            f"INSERT INTO orders ({_ORDER_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
            " ?, ?, ?, ?)",
            ORDERS,
        )
        # a's first day's orders stop counting one by one; its first day moves on.
        await conn.execute("UPDATE orders SET valid_fen = 0 WHERE order_id = 'o1'")
        await conn.execute("UPDATE orders SET day = 20261123 WHERE order_id = 'o2'")
        # Several rows in one statement, some changing day, buyer and SKU.
        await conn.execute(
            "UPDATE orders SET buyer_id = 'z', sku = 's3', valid_fen = valid_fen + 1"
            " WHERE sharer_id = 'b'"
        )
        await conn.execute("UPDATE orders SET amount_fen = 999 WHERE order_id = 'o4'")
        await conn.execute("DELETE FROM orders WHERE order_id = 'o5'")


async def _rollups(db) -> dict[str, list[tuple]]:
    return {
        table: [tuple(r) for r in await db.fetchall(f"SELECT * FROM {table} ORDER BY {key}")]
        for table, key in ROLLUPS.items()
    }


async def test_the_triggers_keep_the_digest_rollups_as_on_sqlite(pg_db, sqlite_db) -> None:
    await _write(sqlite_db)
    await _write(pg_db)
    on_sqlite = await _rollups(sqlite_db)
    assert on_sqlite["sharer_first"] == [("a", 20261122), ("b", 20261121)]
    assert on_sqlite["order_day"][0] == (20261121, 100, 1, 2, 2)  # o1 (invalid now) and o3
    assert await _rollups(pg_db) == on_sqlite


async def _at_version(migrations: list, version: int, monkeypatch: pytest.MonkeyPatch, module):
    # The migrations up to `version` only, as a database made before 0017 had them.
    monkeypatch.setattr(module, "available_migrations", lambda: migrations[:version])


async def test_0017_and_0018_fill_in_what_an_older_database_holds(
    pg_empty_url: str,
    tmp_path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pg_all, sqlite_all = pg_module.available_migrations(), sqlite_module.available_migrations()
    older = [
        (f"INSERT INTO orders ({_ORDER_COLUMNS}) VALUES ({', '.join('?' * 15)})", o) for o in ORDERS
    ] + [
        ("INSERT INTO sharer_day VALUES ('a', 20261121, 300, 2)", ()),
        ("INSERT INTO sharer_day VALUES ('a', 20261122, 50, 1)", ()),
        ("INSERT INTO sku_day VALUES ('s1', 20261121, 'a', 300, 2)", ()),
        ("INSERT INTO sku_day VALUES ('s1', 20261121, 'b', 10, 1)", ()),
        ("INSERT INTO outbox (key, chat_id, due_at, created_at) VALUES ('settle:1', 1, 0, 0)", ()),
        ("INSERT INTO outbox (key, chat_id, due_at, created_at) VALUES ('chase:1', 1, 0, 0)", ()),
    ]
    found = {}
    for name, db in (
        ("sqlite", await sqlite_module.Database.open(tmp_path / "old.sqlite3")),
        ("postgresql", await PgDatabase.open(pg_empty_url, max_size=2)),
    ):
        module = pg_module if name == "postgresql" else sqlite_module
        migrations = pg_all if name == "postgresql" else sqlite_all
        try:
            await _at_version(migrations, 16, monkeypatch, module)
            await db.migrate()
            async with db.transaction() as conn:
                for sql, params in older:
                    await conn.execute(sql, params)
            await _at_version(migrations, 18, monkeypatch, module)
            assert await db.migrate() == [17, 18]
            found[name] = await _rollups(db) | {
                "outbox": [
                    tuple(r)
                    for r in await db.fetchall(
                        "SELECT key, delivery, claimed_at, claimed_by FROM outbox ORDER BY key"
                    )
                ]
            }
        finally:
            await db.close()
    assert found["sqlite"]["outbox"] == [
        ("chase:1", "at_most_once", None, None),
        ("settle:1", "at_least_once", None, None),
    ]
    assert found["sqlite"]["sku_day_total"] == [(20261121, "s1", 310, 3)]
    assert found["postgresql"] == found["sqlite"]
