"""Order import speed against a plain baseline, measured in the same run on the same file.

    .venv/bin/python bench/gen_orders.py --orders 1000000 --out /tmp/orders-1m.csv \
        --roster /tmp/roster.csv
    .venv/bin/python bench/bench_import.py --orders /tmp/orders-1m.csv --roster /tmp/roster.csv
        [--repeat 3]

(1) baseline: csv.reader + one executemany INSERT of the raw rows into a fresh database with
    the same `orders` table (same primary key and indexes, from the migration), one
    transaction, the bot's pragmas (WAL, synchronous=NORMAL); only the status word is mapped,
    because the table's CHECK constraint would refuse 已完成;
(2) ours: `python -m bot import`'s code path (bot.imports.import_file: read, stage,
    validate in SQL (slow rows by the domain parser), upsert, rollups, audit, report) into a
    fresh database whose roster was imported first;
(3) ours again: re-import of the unchanged file.
With `--store postgresql --url postgresql://…` each round also runs (2) and (3) on
PostgreSQL (storage/order_import_pg.py: COPY into staging, every row through the domain's
parser, set-based merge) in a fresh database made on that server and dropped afterwards, and
compares it with the SQLite path of the same round (issue 13: goal ≥ 2×).
Figures are rows/s of wall time; the machine is shared and noisy, so compare the ratios. Each
run starts after os.sync(), so that the kernel writing back the previous run's pages (hundreds
of MB) does not land in the next one's time.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import io
import json
import os
import re
import sqlite3
import statistics
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg

from bot.config import load_settings
from bot.imports import import_file
from bot.services import Services

STATUS = {
    "": "paid",
    "已完成": "paid",
    "已支付": "paid",
    "已退款": "refunded",
    "已取消": "cancelled",
}
MIGRATIONS = Path(__file__).resolve().parent.parent / "storage/migrations"


def orders_ddl() -> list[str]:
    """The orders table and its indexes as the migrations leave them."""
    sql = (MIGRATIONS / "0002_sharers.sql").read_text(encoding="utf-8")
    table = re.search(r"CREATE TABLE orders \(.*?\) WITHOUT ROWID;", sql, re.S)
    assert table is not None
    return [table.group(0), "ALTER TABLE orders DROP COLUMN fingerprint",  # 0011
            *re.findall(r"CREATE INDEX orders_\w+ ON orders\([^)]*\);", sql)]  # fmt: skip


def baseline(data: bytes, path: Path) -> tuple[int, float]:
    started = time.perf_counter()
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    for statement in orders_ddl():
        conn.execute(statement)
    reader = csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""))
    next(reader)
    # 订单号,支付时间,分享员ID,买家ID,商品ID,商品名称,数量,实付金额,退款金额,订单状态,达人昵称
    rows = [
        (c[0], c[1], 0, 0, c[2], c[3], c[4], c[5], c[6], c[7], c[8] or 0, STATUS[c[9]], 0,
         c[10], 0)
        for c in reader
    ]  # fmt: skip
    conn.execute("BEGIN")
    conn.executemany(
        "INSERT INTO orders (order_id, paid_at, month, day, sharer_id, buyer_id, sku, product,"
        " quantity, amount_fen, refund_fen, status, valid_fen, creator,"
        " imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    conn.execute("COMMIT")
    conn.close()
    return len(rows), time.perf_counter() - started


async def ours(
    data: bytes, name: str, roster: bytes, path: Path, url: str | None = None
) -> tuple[float, float, str]:
    settings = load_settings(telegram_bot_token="1:bench", database_path=path, database_url=url)
    services = await Services.create(settings)
    try:
        await import_file(services, "sharers", roster, "roster.csv", actor_id=None)
        os.sync()
        started = time.perf_counter()
        report = await import_file(services, "orders", data, name, actor_id=None)
        first = time.perf_counter() - started
        os.sync()
        started = time.perf_counter()
        again = await import_file(services, "orders", data, name, actor_id=None)
        second = time.perf_counter() - started
        drift = await services.db.fetchval("SELECT count(*) FROM orders")
        return first, second, f"{report.splitlines()[0]}\n{again.splitlines()[0]}\n{drift:,} stored"
    finally:
        await services.close()


async def _admin(server: str, sql: str) -> None:
    conn = await asyncpg.connect(server)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


def on_postgresql(data: bytes, name: str, roster: bytes, server: str) -> tuple[float, float, str]:
    """(2) and (3) in a fresh database on the server, dropped afterwards."""
    db = f"crewbot_bench_{uuid.uuid4().hex[:10]}"
    parts = urlsplit(server)
    url = urlunsplit((parts.scheme, parts.netloc, f"/{db}", parts.query, parts.fragment))
    asyncio.run(_admin(server, f"CREATE DATABASE {db}"))
    try:
        return asyncio.run(ours(data, name, roster, Path("unused"), url))
    finally:
        asyncio.run(_admin(server, f"DROP DATABASE IF EXISTS {db} WITH (FORCE)"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=Path, required=True)
    parser.add_argument("--roster", type=Path, required=True)
    parser.add_argument("--repeat", type=int, default=3, help="rounds; medians are reported")
    parser.add_argument(
        "--store",
        choices=("sqlite", "postgresql"),
        default="sqlite",
        help="postgresql: the PostgreSQL path too, against the SQLite path",
    )
    parser.add_argument("--url", help="the PostgreSQL server (postgresql://user@host:port/db)")
    parser.add_argument("--no-baseline", action="store_true", help="skip (1)")
    args = parser.parse_args()
    if args.store == "postgresql" and not args.url:
        parser.error("--store postgresql needs --url")
    data, roster = args.orders.read_bytes(), args.roster.read_bytes()
    bases, firsts, agains, pg_firsts, pg_agains = [], [], [], [], []
    rows = data.count(b"\n") - 1
    for round_no in range(1, args.repeat + 1):
        with tempfile.TemporaryDirectory() as tmp:
            base = float("nan")
            if not args.no_baseline:
                rows, base = baseline(data, Path(tmp) / "baseline.sqlite3")
                os.sync()  # the kernel's write-back of one run must not slow down the next
            first, again, summary = asyncio.run(
                ours(data, args.orders.name, roster, Path(tmp) / "ours.sqlite3")
            )
        if round_no == 1:
            print(summary)
        bases.append(base)
        firsts.append(first)
        agains.append(again)
        print(
            f"round {round_no}: baseline {base:6.2f} s, first import {first:6.2f} s"
            f" ({base / first:.2f}x), re-import {again:6.2f} s ({first / again:.2f}x)"
        )
        if args.store == "postgresql":
            os.sync()
            pg_first, pg_again, summary = on_postgresql(data, args.orders.name, roster, args.url)
            if round_no == 1:
                print(summary)
            pg_firsts.append(pg_first)
            pg_agains.append(pg_again)
            print(
                f"round {round_no}: PostgreSQL first import {pg_first:6.2f} s"
                f" ({first / pg_first:.2f}x the SQLite path), re-import {pg_again:6.2f} s"
                f" ({again / pg_again:.2f}x)"
            )
    base, first, again = (statistics.median(x) for x in (bases, firsts, agains))
    ratio = statistics.median(b / f for b, f in zip(bases, firsts, strict=True))
    speedup = statistics.median(f / a for f, a in zip(firsts, agains, strict=True))
    print(f"rows                 {rows:,}   (medians of {args.repeat} rounds)")
    print(f"baseline             {base:7.2f} s  {rows / base:10,.0f} rows/s")
    print(f"ours, first import   {first:7.2f} s  {rows / first:10,.0f} rows/s")
    print(f"ours, re-import      {again:7.2f} s  {rows / again:10,.0f} rows/s")
    print(f"first import / baseline speed   {ratio:.2f}x  (target >= 1.1x; median of rounds)")
    print(f"re-import / first import speed  {speedup:.2f}x  (target >= 1.5x; median of rounds)")
    figures = [
        dict(figure=f"re-import, {rows:,} rows (rows/s)", value=round(rows / again),
             baseline=round(rows / first), ratio=round(speedup, 2), goal="≥ 1.5× the first"),
    ]  # fmt: skip
    if not args.no_baseline:
        figures.insert(0, dict(
            figure=f"first import, {rows:,} rows (rows/s)", value=round(rows / first),
            baseline=round(rows / base), ratio=round(ratio, 2), goal="≥ 1.1×",
        ))  # fmt: skip
    if args.store == "postgresql":
        pg_first, pg_again = statistics.median(pg_firsts), statistics.median(pg_agains)
        pg_ratio = statistics.median(f / p for f, p in zip(firsts, pg_firsts, strict=True))
        pg_re = statistics.median(a / p for a, p in zip(agains, pg_agains, strict=True))
        print(f"PostgreSQL, first    {pg_first:7.2f} s  {rows / pg_first:10,.0f} rows/s")
        print(f"PostgreSQL, re-import {pg_again:6.2f} s  {rows / pg_again:10,.0f} rows/s")
        print(f"PostgreSQL / SQLite path, first import   {pg_ratio:.2f}x  (target >= 2x)")
        print(f"PostgreSQL / SQLite path, re-import      {pg_re:.2f}x")
        figures += [
            dict(figure=f"PostgreSQL first import, {rows:,} rows (rows/s)",
                 value=round(rows / pg_first), baseline=round(rows / first),
                 ratio=round(pg_ratio, 2), goal="≥ 2× the SQLite path"),
            dict(figure=f"PostgreSQL re-import, {rows:,} rows (rows/s)",
                 value=round(rows / pg_again), baseline=round(rows / again),
                 ratio=round(pg_re, 2), goal="—"),
        ]  # fmt: skip
    print(json.dumps({"bench": "bench_import", "rows": figures}, ensure_ascii=False))


if __name__ == "__main__":
    main()
