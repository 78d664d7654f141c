"""The order import's fast path spelled by each store (storage/dialect: fast_money,
fast_quantity, fast_clock) gives the same answer on both, cell for cell.

tests/storage/test_import_fast_path.py proves SQLite's spelling against the domain's
parse_orders with random files; here PostgreSQL's is held to SQLite's over a corpus of
canonical and almost-canonical cells (digits, dots, colons, full-width digits, signs, spaces,
overlong ones), so the proof carries over. Where a spelling answers within the bounds
order_sql.not_fast keeps, the domain agrees.
"""

from __future__ import annotations

import random
import sqlite3
from typing import Any
from zoneinfo import ZoneInfo

from bot.domain.money import MAX_FEN, parse_yuan
from bot.domain.orders import parse_paid_at
from storage.dialect import postgresql, sqlite

CURATED_MONEY = [
    "", "0", "1", "12.5", "12.50", "007.05", "1200", "12.", ".5", "1.234", "-5", "12,34", "1e3",
    "９", "123456789012345", "1234567890123456", "10000000000.01", "9999999999.99", "1..5",
    "1.2.3", "00", "0.0", "0.00", "+1", "1 ", "¥12", "1.５",
]  # fmt: skip
CURATED_QUANTITY = ["", "1", "3", "0", "00", "007", "2.0", "x", "１", "1000000001",
                    "999999999999999", "9999999999999999", "-1", "+1"]  # fmt: skip
CURATED_CLOCK = [
    "2026-11-05 10:00", "2026-11-05 10:59", "2026-11-05 10:60", "2026-11-05 10:00:59",
    "2026-11-05 10:00:60", "2026-11-05 10:0", "2026-11-05 10:000", "2026-11-05 10:00:5",
    "2026-11-05 10:00.5", "2026-11-05 10:00:00.5", "2026/11/05 10:05", "2026-11-05 10:５0",
    "2026-11-05 10-00", "2026-11-05 10:00:00:00",
]  # fmt: skip


def _corpus(alphabet: str, lengths: range, n: int, seed: int) -> list[str]:
    rnd = random.Random(seed)
    return ["".join(rnd.choice(alphabet) for _ in range(rnd.choice(lengths))) for _ in range(n)]


def _money_cells() -> list[str]:
    return CURATED_MONEY + _corpus("0123456789....,-e ９", range(0, 18), 4000, 1)


def _quantity_cells() -> list[str]:
    return CURATED_QUANTITY + _corpus("0000123456789.-x１", range(0, 18), 3000, 2)


def _clock_cells() -> list[str]:
    return CURATED_CLOCK + [
        "2026-11-05 10" + tail for tail in _corpus("::0123456789555.６x", range(0, 8), 3000, 3)
    ]


def _on_sqlite(expression: str, cells: list[str]) -> list[Any]:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE c (i INTEGER PRIMARY KEY, x TEXT)")
    conn.executemany("INSERT INTO c (x) VALUES (?)", [(c,) for c in cells])
    return [row[0] for row in conn.execute(f"SELECT {expression} FROM c ORDER BY i")]


async def _on_postgresql(db: Any, expression: str, cells: list[str]) -> list[Any]:
    rows = await db.fetchall(
        f"SELECT {expression} FROM unnest(CAST(? AS TEXT[])) WITH ORDINALITY AS c(x, i) ORDER BY i",
        (cells,),
    )
    return [row[0] for row in rows]


async def _same(db: Any, name: str, cells: list[str], *args: str) -> list[Any]:
    on_sqlite = _on_sqlite(getattr(sqlite, name)("c.x", *args), cells)
    on_postgresql = await _on_postgresql(db, getattr(postgresql, name)("c.x", *args), cells)
    differ = [
        (cell, a, b) for cell, a, b in zip(cells, on_sqlite, on_postgresql, strict=True) if a != b
    ]
    assert differ == []
    assert any(v is None for v in on_sqlite) and any(v is not None for v in on_sqlite)
    return on_sqlite


async def test_money_is_read_alike(pg_db: Any) -> None:
    cells = _money_cells()
    for cell, fen in zip(cells, await _same(pg_db, "fast_money", cells), strict=True):
        if fen is not None and fen <= MAX_FEN:  # beyond: the slow path's (order_sql.not_fast)
            assert parse_yuan(cell) == fen, cell


async def test_quantity_is_read_alike(pg_db: Any) -> None:
    cells = _quantity_cells()
    for cell, quantity in zip(cells, await _same(pg_db, "fast_quantity", cells), strict=True):
        if quantity is not None and cell:
            assert int(cell) == quantity and quantity > 0, cell


async def test_clock_is_read_alike(pg_db: Any) -> None:
    cells = _clock_cells()
    utc = ZoneInfo("UTC")
    hour = int(parse_paid_at("2026-11-05 10:00", utc).timestamp())
    for cell, ts in zip(cells, await _same(pg_db, "fast_clock", cells, str(hour)), strict=True):
        if ts is not None:
            assert int(parse_paid_at(cell, utc).timestamp()) == ts, cell
