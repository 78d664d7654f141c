"""The order import's rollups (storage/orders.py, storage/order_import_pg.py): which there are,
built by one GROUP BY each after a load into an empty table, or moved by a chunk's orders
(their stored contribution out, the new rows' in) while the triggers that would count them a
second time rest. Portable SQL; the dialect spells the ISO week and the temp tables.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

from storage.dialect import sqlite as sqlite_dialect

week_of = sqlite_dialect.iso_week  # SQLite's ISO year * 100 + ISO week of a yyyymmdd day


ROLLUPS = {
    "sharer_day": ("sharer_id", "day"),
    "sharer_month": ("sharer_id", "month"),
    "sku_day": ("sku", "day", "sharer_id"),
}
# Rollups kept by the import beside ROLLUPS: keys, which orders count, and how `orders` counts.
_EXTRA = {"creator_sales": (("creator",), "creator <> ''", "COUNT(*)")}
SHIFTED = {
    **{t: (k, "true", "COUNT(*) FILTER (WHERE valid_fen > 0)") for t, k in ROLLUPS.items()},
    **_EXTRA,
}


# Tables whose triggers rest while the import shifts the rollups itself (shift_rollups).
RESTING = ("orders", "sharer_day")


# The groups of SHIFTED, spelled so that SQLite walks the covering index orders_sharer_month
# in order instead of sorting (a day lies in one month).
_GROUP_BY = {
    "sharer_day": "sharer_id, month, day",
    "sharer_month": "sharer_id, month",
    "sku_day": "day, sku, sharer_id",  # its key (migration 0008)
    "creator_sales": "creator",
}


async def rebuild_rollups(conn: Any, d: ModuleType) -> None:
    """Every rollup from the orders as stored, one GROUP BY each: after a load into an empty
    table, with the triggers of orders and sharer_day resting."""
    for table, (keys, where, count) in SHIFTED.items():
        k = ", ".join(keys)
        await conn.execute(f"DELETE FROM {table}")
        await conn.execute(
            f"INSERT INTO {table} ({k}, valid_fen, orders) SELECT {k}, SUM(valid_fen), {count}"
            f" FROM orders WHERE {where} GROUP BY {_GROUP_BY[table]} HAVING {count} > 0"
            f" ORDER BY {_GROUP_BY[table]}"  # the key's order: index pages filled in turn
        )
    await rebuild_weeks(conn, d)
    await build_day_rollups(conn)


async def rebuild_weeks(conn: Any, d: ModuleType = sqlite_dialect) -> None:
    """sharer_week from sharer_day, with the ISO week computed once per distinct day."""
    await conn.execute("DELETE FROM sharer_week")
    await conn.execute(
        f"CREATE TEMP TABLE day_week AS SELECT day, {d.iso_week('day')} AS week"
        " FROM (SELECT DISTINCT day FROM sharer_day) AS x"
    )
    await conn.execute(
        "INSERT INTO sharer_week SELECT d.sharer_id, w.week, SUM(d.valid_fen), SUM(d.orders)"
        f" FROM sharer_day d JOIN {d.temp('day_week')} w ON w.day = d.day"
        " GROUP BY d.sharer_id, w.week"
    )


async def shift_weeks(conn: Any, sign: str, d: ModuleType) -> None:
    """sharer_week by the chunk's orders, as the triggers on sharer_day would move it when
    they rest: sharer_week is sharer_day summed by ISO week."""
    chunk, count = d.temp("chunk"), "COUNT(*) FILTER (WHERE valid_fen > 0)"
    await conn.execute(
        f"INSERT INTO sharer_week AS t (sharer_id, week, valid_fen, orders) SELECT sharer_id,"
        f" week, {sign}SUM(valid_fen), {sign}{count} FROM (SELECT sharer_id,"
        f" {d.iso_week('day')} AS week, valid_fen FROM {chunk}) AS c GROUP BY sharer_id, week"
        " ON CONFLICT (sharer_id, week) DO UPDATE SET valid_fen = t.valid_fen"
        " + excluded.valid_fen, orders = t.orders + excluded.orders"
    )
    await conn.execute(
        f"DELETE FROM sharer_week WHERE orders = 0 AND sharer_id IN (SELECT sharer_id FROM {chunk})"
    )


# --- shifting the rollups by a chunk of orders (both stores) -------------------------------
# `d` is the store's dialect (storage.dialect); `chunk` the touched orders as stored now, in
# d.temp("chunk"). Upsert targets are named by an alias: PostgreSQL reads a bare `orders`
# next to `excluded.orders` as ambiguous.


async def chunk_stored(conn: Any, d: ModuleType, touched: str) -> None:
    """d.temp("chunk") := the stored orders whose ids `touched` (a table) lists."""
    chunk = d.temp("chunk")
    await conn.execute("CREATE TEMP TABLE IF NOT EXISTS chunk AS SELECT * FROM orders LIMIT 0")
    await conn.execute(f"DELETE FROM {chunk}")
    await conn.execute(
        f"INSERT INTO {chunk} SELECT o.* FROM {touched} i JOIN orders o ON o.order_id = i.order_id"
    )


async def shift_rollups(conn: Any, sign: str, d: ModuleType) -> None:
    """Move the rollups by the chunk's orders: "-" before they are written (the stored rows
    out), "+" after (the new rows in); a group left without a counted order loses its row
    (only the chunk's groups are looked at). Every rollup, sharer_week too: the triggers of
    orders and sharer_day rest meanwhile (row by row they cost more than the import)."""
    chunk = d.temp("chunk")
    for table, (keys, where, count) in SHIFTED.items():
        k = ", ".join(keys)
        await conn.execute(
            f"INSERT INTO {table} AS t ({k}, valid_fen, orders)"
            f" SELECT {k}, {sign}SUM(valid_fen), {sign}{count} FROM {chunk}"
            f" WHERE {where} GROUP BY {k} ON CONFLICT({k}) DO UPDATE SET"
            " valid_fen = t.valid_fen + excluded.valid_fen, orders = t.orders + excluded.orders"
        )
        await conn.execute(
            f"DELETE FROM {table} WHERE orders = 0 AND ({k}) IN (SELECT {k} FROM {chunk})"
        )
    await shift_weeks(conn, sign, d)
    await shift_day_rollups(conn, sign, d)


# --- the digest's rollups (migration 0017) -------------------------------------------------
# Shifted by the import as the others are (shift_rollups): every order, whatever its
# status, counts once in its day's order_day row and its (day, buyer) row;
# sku_day_total counts the orders with a valid amount, as sku_day does.
_ADD = "orders = t.orders + excluded.orders"
_ADD_FEN = "valid_fen = t.valid_fen + excluded.valid_fen, " + _ADD
# (table and columns, selected from the chunk o with {s} the sign, which rows, group = key)
_DAY_SHIFTS = [
    ("order_day AS t (day, amount_fen, valid_fen, orders, customers)",
     "o.day, {s}SUM(o.amount_fen), {s}SUM(o.valid_fen), {s}COUNT(*), 0", "true", "day",
     "amount_fen = t.amount_fen + excluded.amount_fen, " + _ADD_FEN),
    ("buyer_day AS t (day, buyer_id, orders)", "o.day, o.buyer_id, {s}COUNT(*)", "true",
     "day, buyer_id", _ADD),
    ("sku_day_total AS t (day, sku, valid_fen, orders)", "o.day, o.sku, {s}SUM(o.valid_fen),"
     " {s}COUNT(*)", "o.valid_fen > 0", "day, sku", _ADD_FEN),
]  # fmt: skip


async def build_day_rollups(conn: Any) -> None:
    """After a bulk load (sharer_day and sku_day built, the triggers resting): each of the
    digest's rollups by one GROUP BY."""
    for table, select, key in (
        ("buyer_day", "SELECT day, buyer_id, COUNT(*) FROM orders", "day, buyer_id"),
        ("order_day", "SELECT day, SUM(amount_fen), SUM(valid_fen), COUNT(*), 0 FROM orders",
         "day"),
        ("sharer_first", "SELECT sharer_id, MIN(day) FROM sharer_day WHERE orders > 0",
         "sharer_id"),
        ("sku_day_total", "SELECT day, sku, SUM(valid_fen), SUM(orders) FROM sku_day", "day, sku"),
    ):  # fmt: skip
        having = " HAVING SUM(orders) > 0" if table == "sku_day_total" else ""
        await conn.execute(f"DELETE FROM {table}")
        # In the key's order: the primary key's pages fill in turn (a hash aggregate's order
        # would touch them at random).
        await conn.execute(f"INSERT INTO {table} {select} GROUP BY {key}{having} ORDER BY {key}")
    await conn.execute(
        "UPDATE order_day SET customers = (SELECT COUNT(*) FROM buyer_day b"
        " WHERE b.day = order_day.day)"
    )


async def shift_day_rollups(conn: Any, sign: str, d: ModuleType = sqlite_dialect) -> None:
    """Beside the import's shift of the other rollups, from the same rows (the chunk: the
    touched orders as stored now): "-" before they are written (the stored rows out), "+"
    after (the new rows in). Only a "-" can leave a group without orders or move a sharer's
    first day later, so it notes its rows' keys and sharers; after "+" those groups lose
    their rows if empty, those sharers' first days are looked up again in sharer_day (shifted
    by then), and the days on both sides count their customers again in buyer_day (one range
    of its key each). A chunk of new orders only (no "-") needs none of the clean-up."""
    chunk, gone, moved = d.temp("chunk"), d.temp("gone"), d.temp("first_moved")
    await conn.execute(
        d.create_temp_keyed("gone", "day BIGINT, buyer_id TEXT, sku TEXT", "day, buyer_id, sku")
    )
    await conn.execute(d.create_temp_keyed("first_moved", "sharer_id TEXT", "sharer_id"))
    for into, select, where, key, sets in _DAY_SHIFTS:
        await conn.execute(
            f"INSERT INTO {into} SELECT {select.format(s=sign)} FROM {chunk} o WHERE {where}"
            f" GROUP BY {key} ON CONFLICT({key}) DO UPDATE SET {sets}"
        )
    if sign == "-":
        await conn.execute(
            f"INSERT INTO {gone} SELECT day, buyer_id, sku FROM {chunk} WHERE true"
            " ON CONFLICT DO NOTHING"  # WHERE: the upsert's parsing rule on SQLite
        )
        await conn.execute(
            f"INSERT INTO {moved} SELECT sharer_id FROM {chunk} WHERE valid_fen > 0"
            " ON CONFLICT DO NOTHING"
        )
        return
    days = f"SELECT day FROM {chunk}"
    async with conn.execute(f"SELECT EXISTS (SELECT 1 FROM {gone})") as cursor:
        (out,) = await cursor.fetchone()
    if out:
        days += f" UNION SELECT day FROM {gone}"
        for sql in (
            "DELETE FROM buyer_day WHERE orders = 0 AND (day, buyer_id) IN"
            f" (SELECT day, buyer_id FROM {gone})",
            f"DELETE FROM order_day WHERE orders = 0 AND day IN (SELECT day FROM {gone})",
            "DELETE FROM sku_day_total WHERE orders = 0 AND (day, sku) IN"
            f" (SELECT day, sku FROM {gone})",
            f"DELETE FROM sharer_first WHERE sharer_id IN (SELECT sharer_id FROM {moved})",
            "INSERT INTO sharer_first SELECT sharer_id, first FROM (SELECT m.sharer_id, (SELECT"
            " d.day FROM sharer_day d WHERE d.sharer_id = m.sharer_id AND d.orders > 0"
            f" ORDER BY d.day LIMIT 1) AS first FROM {moved} m) AS f WHERE first IS NOT NULL",
        ):
            await conn.execute(sql)
    for sql in (
        f"INSERT INTO sharer_first AS f SELECT sharer_id, MIN(day) FROM {chunk}"
        " WHERE valid_fen > 0 GROUP BY sharer_id ON CONFLICT(sharer_id) DO UPDATE SET"
        f" day = {d.least('f.day', 'excluded.day')}",
        "UPDATE order_day SET customers = (SELECT COUNT(*) FROM buyer_day b"
        f" WHERE b.day = order_day.day) WHERE day IN ({days})",
        f"DELETE FROM {gone}",
        f"DELETE FROM {moved}",
    ):
        await conn.execute(sql)
