"""How fast /me and /top answer at 5M orders and 10k sharers.

    .venv/bin/python bench/bench_commission.py [--orders 5000000] [--db /tmp/crewbot-bench.sqlite3]

Builds (once; reused while the row count matches) a database of N orders over twelve months
with consistent rollups, written straight into SQLite (the order import is another part's
work), then measures, in the same run:

- server side: the database work behind /me (Commission.statement + the sharer's month rank) and
  /top (month and week boards, first call and cached), against a bare `SELECT 1` through the
  same connection as the baseline;
- end to end: /me and /top through the real bot and the local Bot API stand-in, against
  /start (a trivial command) as the baseline round trip.

Figures are medians over repeated runs; results go in bench/RESULTS-commission.md.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sqlite3
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.clock import Clock
from bot.config import load_settings
from bot.offline.driver import running_bot
from bot.offline.local_api import LocalBotAPI
from bot.services import Services

SHARERS = 10_000
NOW = datetime(2026, 11, 22, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai
START = int(datetime(2025, 11, 30, 16, 0, tzinfo=UTC).timestamp())  # 2025-12-01 local
END = int(NOW.timestamp())
OFFSET = 8 * 3600  # Asia/Shanghai has no daylight saving time
USER = 99  # the Telegram account bound to the sharer measured
# S00501 sells like most sharers (~40 orders a month), leads a team and has 10 invitees;
# S00001 gets ~5% of all orders (~23k in the month measured), also with 10 invitees.
TYPICAL, HEAVIEST = "S00501", "S00001"


def build(path: Path, n_orders: int) -> None:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=OFF")
    rng = random.Random(7)
    sharers = [f"S{i:05d}" for i in range(SHARERS)]
    conn.executemany(
        "INSERT INTO sharers (sharer_id, name, buyer_id, inviter_id, leader_id, is_leader,"
        " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 0, 0)",
        [
            (sid, f"Sharer {i}", f"B{i}", sharers[i // 10] if i >= 10 else None,
             sharers[i // 10] if i >= 10 and (i // 10) % 10 == 1 else None, int(i % 10 == 1))
            for i, sid in enumerate(sharers)
        ],
    )  # fmt: skip
    day_roll: dict[tuple[str, int], list[int]] = {}
    month_roll: dict[tuple[str, int], list[int]] = {}
    sku_roll: dict[tuple[str, int, str], list[int]] = {}
    batch = []
    for k in range(n_orders):  # a third of the orders go to a few heavy sharers (Pareto)
        sid = sharers[min(int(rng.paretovariate(1.2)) - 1, SHARERS - 1) if k % 3 == 0
                      else rng.randrange(SHARERS)]  # fmt: skip
        ts = rng.randrange(START, END)
        local = datetime.fromtimestamp(ts + OFFSET, UTC)
        month, day = local.year * 100 + local.month, int(local.strftime("%Y%m%d"))
        amount = rng.randrange(990, 99_000)
        status = "paid" if rng.random() > 0.08 else rng.choice(("refunded", "cancelled"))
        valid = amount if status == "paid" else 0
        sku = f"SKU-{rng.randrange(200):03d}"
        batch.append((f"o{k}", ts, month, day, sid, f"u{rng.randrange(2_000_000)}", sku,
                      amount, status, valid))  # fmt: skip
        for roll, key in ((day_roll, (sid, day)), (month_roll, (sid, month)),
                          (sku_roll, (sku, day, sid))):  # fmt: skip
            slot = roll.setdefault(key, [0, 0])  # type: ignore[arg-type]
            slot[0] += valid
            slot[1] += valid > 0
        if len(batch) == 100_000:
            _orders(conn, batch)
            batch = []
            print(f"  {k + 1:,} orders", file=sys.stderr, end="\r")
    _orders(conn, batch)
    conn.executemany(
        "INSERT INTO sharer_day VALUES (?, ?, ?, ?)", [(*k, *v) for k, v in day_roll.items()]
    )
    conn.executemany(
        "INSERT INTO sharer_month VALUES (?, ?, ?, ?)", [(*k, *v) for k, v in month_roll.items()]
    )
    conn.executemany(
        "INSERT INTO sku_day VALUES (?, ?, ?, ?, ?)", [(*k, *v) for k, v in sku_roll.items()]
    )
    conn.commit()
    conn.execute("ANALYZE")
    conn.close()


def _orders(conn: sqlite3.Connection, batch: list[tuple[object, ...]]) -> None:
    conn.executemany(
        "INSERT INTO orders (order_id, paid_at, month, day, sharer_id, buyer_id, sku, amount_fen,"
        " status, valid_fen, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)",
        batch,
    )
    conn.commit()


async def timed(fn, runs: int = 30) -> float:  # type: ignore[no-untyped-def]
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        await fn()
        samples.append((time.perf_counter() - t0) * 1000)
    return statistics.median(samples)


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--orders", type=int, default=5_000_000)
    parser.add_argument("--db", type=Path, default=Path("/tmp/crewbot-bench-commission.sqlite3"))
    args = parser.parse_args()
    settings = load_settings(
        telegram_bot_token="1:BENCH", database_path=args.db, admin_ids="1", tick_every="1d"
    )
    services = await Services.create(settings, clock=Clock(start=NOW))
    count = await services.db.fetchval("SELECT COUNT(*) FROM orders")
    if count != args.orders:
        await services.close()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{args.db}{suffix}").unlink(missing_ok=True)
        services = await Services.create(settings, clock=Clock(start=NOW))
        t0 = time.perf_counter()
        build(args.db, args.orders)
        print(f"built {args.orders:,} orders in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
        await services.close()
        services = await Services.create(settings, clock=Clock(start=NOW))
    async with services.db.transaction() as conn:  # the account measured: a typical sharer
        await conn.execute("UPDATE sharers SET user_id = NULL WHERE user_id = ?", (USER,))
        await conn.execute(f"UPDATE sharers SET user_id = ? WHERE sharer_id = '{TYPICAL}'", (USER,))
    repo, boards, tz, rules = services.commission, services.boards, settings.tz, services.rules
    week = ("days", 20261116, 20261122)

    async def select_1() -> None:
        await services.db.fetchval("SELECT 1")

    async def me_db(sharer_id: str) -> None:
        await repo.statement(rules, sharer_id, (2026, 11), tz, NOW)
        await boards.month_rank(sharer_id, 202611)

    async def cold(period: tuple[object, ...]) -> None:
        boards._boards.clear()
        await boards.board(period)

    print(f"orders: {args.orders:,}; sharers: {SHARERS:,}; median of 30 runs, ms")
    base = await timed(select_1)
    print(f"baseline SELECT 1                 {base:8.3f}")
    for label, fn in (
        (f"/me db work, typical {TYPICAL}", lambda: me_db(TYPICAL)),
        (f"/me db work, heaviest {HEAVIEST}", lambda: me_db(HEAVIEST)),
        ("/top month, uncached", lambda: cold(("month", 202611))),
        ("/top week, uncached", lambda: cold(week)),
        ("/top week, cached", lambda: boards.board(week)),
        ("/top SKU-007 this month, uncached", lambda: cold(("sku", "SKU-007", 20261101, 20261131))),
    ):
        ms = await timed(fn)
        print(f"{label:34s} {ms:8.3f}  ({ms / base:,.0f}× baseline)")
    api = LocalBotAPI(bot_username="crewbot_bot")
    await api.start()
    api.user(USER, "Bench", started=True)
    async with running_bot(settings, services, api) as bot:
        await bot.say(USER, USER, "/start")
        trip = await timed(lambda: bot.say(USER, USER, "/start"), runs=15)
        print(f"round trip /start (baseline)      {trip:8.3f}")
        for command in ("/me", "/top", "/top week"):
            ms = await timed(lambda c=command: bot.say(USER, USER, c), runs=15)
            print(f"round trip {command:23s} {ms:8.3f}  (+{ms - trip:.1f} ms over /start)")
    await api.stop()
    await services.close()


if __name__ == "__main__":
    asyncio.run(main())
