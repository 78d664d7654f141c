"""How fast /me and /top answer at 5M orders and 10k sharers.

    .venv/bin/python bench/bench_commission.py [--orders 5000000] [--db /tmp/crewbot-bench.sqlite3]
    .venv/bin/python bench/bench_commission.py --url postgresql://USER@HOST:PORT/DB

With --url the same measurements run on that PostgreSQL database, filled (once; an empty
database) by copy-to from the SQLite one that --db names, built first if need be.

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
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generate import NOW, SHARERS, build  # the data set's one home

from bot.clock import Clock
from bot.config import Settings, load_settings
from bot.offline.driver import running_bot
from bot.offline.local_api import LocalBotAPI
from bot.services import Services
from storage.copy import copy_database
from storage.open import open_database

USER = 99  # the Telegram account bound to the sharer measured
# S00501 sells like most sharers (~40 orders a month), leads a team and has 10 invitees;
# S00001 gets ~5% of all orders (~23k in the month measured), also with 10 invitees.
TYPICAL, HEAVIEST = "S00501", "S00001"


async def timed(fn, runs: int = 30) -> float:  # type: ignore[no-untyped-def]
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        await fn()
        samples.append((time.perf_counter() - t0) * 1000)
    return statistics.median(samples)


async def prepare(settings: Settings, path: Path, orders: int) -> None:
    """The SQLite database at `path` with `orders` orders, built unless it has them."""
    services = await Services.create(settings, clock=Clock(start=NOW))
    count = await services.db.fetchval("SELECT COUNT(*) FROM orders")
    await services.close()
    if count == orders:
        return
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    services = await Services.create(settings, clock=Clock(start=NOW))  # migrated, empty
    await services.close()
    t0 = time.perf_counter()
    build(path, orders)
    print(f"built {orders:,} orders in {time.perf_counter() - t0:.0f} s", file=sys.stderr)


async def fill(source_url: str, url: str, orders: int) -> None:
    """The PostgreSQL database at `url` as a copy of the SQLite one, unless it has `orders`."""
    target = await open_database(url, pool_size=2)
    try:
        await target.migrate()
        if await target.fetchval("SELECT COUNT(*) FROM orders") == orders:
            return
        source = await open_database(source_url, pool_size=2)
        try:
            report = await copy_database(source, target)
        finally:
            await source.close()
        print(f"copied {report.rows:,} rows in {report.seconds:.0f} s, checks"
              f" {'all match' if report.ok else 'DIFFER'}", file=sys.stderr)  # fmt: skip
    finally:
        await target.close()


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--orders", type=int, default=5_000_000)
    parser.add_argument("--db", type=Path, default=Path("/tmp/crewbot-bench-commission.sqlite3"))
    parser.add_argument("--url", help="measure on this PostgreSQL database (see above)")
    args = parser.parse_args()
    settings = load_settings(
        telegram_bot_token="1:BENCH", database_path=args.db, admin_ids="1", tick_every="1d"
    )
    await prepare(settings, args.db, args.orders)
    if args.url:
        await fill(settings.database(), args.url, args.orders)
        settings = load_settings(
            telegram_bot_token="1:BENCH", database_url=args.url, admin_ids="1", tick_every="1d"
        )
    services = await Services.create(settings, clock=Clock(start=NOW))
    store = "PostgreSQL" if args.url else "SQLite"
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

    print(f"{store}, orders: {args.orders:,}; sharers: {SHARERS:,}; median of 30 runs, ms")
    base = await timed(select_1)
    print(f"baseline SELECT 1                 {base:8.3f}")
    rows = []
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
        rows.append(dict(figure=f"{label} (ms)", value=round(ms, 2), baseline=round(base, 3),
                         ratio=round(ms / base), goal="≤ 30"))  # fmt: skip
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
            rows.append(dict(figure=f"round trip {command} (ms)", value=round(ms, 1),
                             baseline=round(trip, 1), ratio=round(ms / trip, 2),
                             goal=""))  # fmt: skip
    await api.stop()
    await services.close()
    figures = {"bench": "bench_commission", "store": store, "rows": rows}
    print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    asyncio.run(main())
