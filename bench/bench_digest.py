"""How fast the managers' digest and reports build at 5M orders, 10k sharers, 50k samples.

    .venv/bin/python bench/bench_digest.py [--db /tmp/crewbot-digest.sqlite3]
        [--source /tmp/crewbot-5m.sqlite3] [--runs 15]

The database: a copy of `--source` (bench/bench_commission.py's 5M orders over twelve months,
10k sharers; built here by that script's generator when missing), never opened for writing,
plus 50k samples across 5k creators and 20 BDs (bench/gen_pipeline.py's generator). A copy
that predates migration 0017 gets it applied here, timed (the backfill at 5M orders).

Measured in the same run, median and max of `--runs` runs each:
- server side: the digest (storage's reads, then the text as handlers.digest.build makes it),
  its chart (data and render), the monthly report (handlers.report.gather + build) for a whole
  month and for the month to date, two weekly reports (one across a month boundary) and the
  month's chart, against a bare `SELECT 1` through the same connection;
- end to end: /digest and /report month through the real Application and the local Bot API
  stand-in, against /start as the baseline round trip;
- the writer: a write transaction (and /start) timed again and again while digests build
  back to back, against the same with nothing else running. Building takes no write lock:
  a write waits at most for the one read statement in flight on the shared connection.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import sqlite3
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import bench_commission  # noqa: E402
import gen_pipeline  # noqa: E402

from bot.clock import Clock  # noqa: E402
from bot.config import load_settings  # noqa: E402
from bot.domain.report import parse_period  # noqa: E402
from bot.offline.driver import running_bot  # noqa: E402
from bot.offline.local_api import LocalBotAPI  # noqa: E402
from bot.services import Services  # noqa: E402
from handlers import digest as digest_handler  # noqa: E402
from handlers import report as report_handler  # noqa: E402
from handlers.period_chart import period_chart  # noqa: E402
from storage.digest import DigestReads  # noqa: E402

NOW = bench_commission.NOW  # 2026-11-22 10:00 in Shanghai: the digest of the 21st
DAY = date(2026, 11, 21)
MANAGER = 1  # the admin: may do what a manager may
ROLLUP = ROOT / "storage/migrations/0017_digest_rollup.sql"


def prepare(db: Path, source: Path) -> None:
    if not db.exists():
        if not source.exists():
            print(f"{source} missing: building 5M orders (~10 min)", file=sys.stderr)
            asyncio.run(_empty_schema(source))
            bench_commission.build(source, 5_000_000)
        shutil.copy(source, db)
    conn = sqlite3.connect(db, isolation_level=None)
    has_rollup = conn.execute(
        "SELECT count(*) FROM sqlite_master WHERE name = 'order_day'"
    ).fetchone()[0]
    if not has_rollup:  # a copy made before migration 0017 had its body
        started = time.perf_counter()
        conn.executescript(f"BEGIN IMMEDIATE;\n{ROLLUP.read_text()}\nCOMMIT;")
        print(f"migration 0017 (backfill of {_count(conn, 'orders'):,} orders):"
              f" {time.perf_counter() - started:.1f} s")  # fmt: skip
    samples = _count(conn, "samples")
    conn.close()
    if not samples:
        gen_pipeline.fill(db)
    conn = sqlite3.connect(db)
    conn.execute("ANALYZE")
    conn.close()


async def _empty_schema(path: Path) -> None:
    settings = load_settings(telegram_bot_token="1:BENCH", database_path=path)
    await (await Services.create(settings)).close()


def _count(conn: sqlite3.Connection, table: str) -> int:
    return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


async def timed(fn: Callable[[], Awaitable[object]], runs: int) -> list[float]:
    await fn()  # warm: the first read of a cold page cache is the disk's, not ours
    out = []
    for _ in range(runs):
        started = time.perf_counter()
        await fn()
        out.append((time.perf_counter() - started) * 1000)
    return out


def row(label: str, ms: list[float], base: float, target: str = "") -> None:
    med = statistics.median(ms)
    print(f"| {label} | {med:.1f} ms | {max(ms):.1f} ms | {med / base:,.0f}× | {target} |")


async def server_side(services: Services, runs: int) -> None:
    t = services.i18n.get("zh_Hans")
    tz = services.settings.tz
    reads = services.repo(DigestReads)
    today = NOW.astimezone(tz).date()

    async def report(kind: str, text: str | None) -> None:
        period, first, last = parse_period(kind, text, today)
        data = await report_handler.gather(services, period, first, last)
        await report_handler.build(services, t, MANAGER, data)

    async def chart_reads(first: date, last: date) -> None:
        await reads.sales_days(first - timedelta(days=6), last)
        await reads.top_sharers_between(first, last)

    async def report_chart() -> None:
        _, first, last = parse_period("month", "2026-10", today)
        await period_chart(services, t, MANAGER, first, last)

    chart_first = DAY - timedelta(days=digest_handler.CHART_DAYS - 1)
    base = statistics.median(await timed(lambda: services.db.fetchval("SELECT 1"), runs))
    print(f"\n{runs} runs each; baseline SELECT 1 through the same connection: {base:.3f} ms\n")
    print("| what | median | max | ÷ baseline | target |")
    print("|---|---:|---:|---:|---:|")
    cases: list[tuple[str, Callable[[], Awaitable[object]], str]] = [
        ("digest: storage reads (DigestReads.digest)", lambda: reads.digest(DAY, tz), ""),
        ("digest: built (handlers.digest.build)",
         lambda: digest_handler.build(services, t, MANAGER, DAY), "≤ 300 ms"),
        ("digest chart: its reads (20 days of sales, top sharers)",
         lambda: chart_reads(chart_first, DAY), ""),
        ("digest chart: reads + render (14 days)",
         lambda: period_chart(services, t, MANAGER, chart_first, DAY), "≤ 500 ms"),
        ("monthly report 2026-10 (whole month)", lambda: report("month", "2026-10"), "≤ 300 ms"),
        ("monthly report 2026-11 (1st–21st, to date)", lambda: report("month", None),
         "≤ 300 ms"),
        ("monthly report chart: its reads (37 days, top sharers)",
         lambda: chart_reads(date(2026, 10, 1), date(2026, 10, 31)), ""),
        ("monthly report chart: reads + render (31 days)", report_chart, "≤ 500 ms"),
        ("weekly report 2026-W46 (in one month)", lambda: report("week", "2026-W46"), ""),
        ("weekly report 2026-W44 (Oct 26 – Nov 1)", lambda: report("week", "2026-W44"), ""),
    ]  # fmt: skip
    for label, fn, target in cases:
        row(label, await timed(fn, runs), base, target)


async def end_to_end(settings, services: Services, runs: int) -> None:  # type: ignore[no-untyped-def]
    api = LocalBotAPI(bot_username="crewbot_bot")
    await api.start()
    api.user(MANAGER, "Manager", started=True)
    try:
        async with running_bot(settings, services, api) as bot:
            start = await timed(lambda: bot.say(MANAGER, MANAGER, "/start"), runs)
            base = statistics.median(start)
            print(f"\nround trips through the stand-in; /start (baseline) {base:.1f} ms\n")
            print("| command | median | max | over /start |")
            print("|---|---:|---:|---:|")
            for command in ("/digest", "/report month", "/report month 2026-10"):
                try:
                    ms = await timed(lambda c=command: bot.say(MANAGER, MANAGER, c), runs)
                except TimeoutError:  # the driver gives up on an answer after 15 s
                    print(f"| `{command}` | > 15 s | | |")
                    continue
                med = statistics.median(ms)
                print(f"| `{command}` | {med:.1f} ms | {max(ms):.1f} ms | +{med - base:.1f} ms |")
            await writer(services, bot, runs)
    finally:
        await api.stop()


async def writer(services: Services, bot, runs: int) -> None:  # type: ignore[no-untyped-def]
    """Write transactions and /start while digests build back to back, against idle."""
    t = services.i18n.get("zh_Hans")
    db = services.db

    async def write() -> None:
        async with db.transaction() as conn:
            await conn.execute(
                "INSERT INTO settings (key, value, updated_at) VALUES ('bench', '1', 0)"
                " ON CONFLICT(key) DO UPDATE SET value = value + 1"
            )

    async def start() -> None:
        await bot.say(MANAGER, MANAGER, "/start")

    idle = {name: await timed(fn, runs) for name, fn in (("write", write), ("/start", start))}
    busy: dict[str, list[float]] = {"write": [], "/start": []}
    built = 0
    stop = asyncio.Event()

    async def digests() -> None:
        nonlocal built
        while not stop.is_set():
            await digest_handler.build(services, t, MANAGER, DAY)
            built += 1

    task = asyncio.create_task(digests())
    await asyncio.sleep(0.05)
    for _ in range(runs):
        for name, fn in (("write", write), ("/start", start)):
            started = time.perf_counter()
            await fn()
            busy[name].append((time.perf_counter() - started) * 1000)
    stop.set()
    await task
    print(f"\nwhile {built} digests were built back to back ({runs} of each):\n")
    print("| what | idle median | idle max | during digests median | during max |")
    print("|---|---:|---:|---:|---:|")
    for name in ("write", "/start"):
        a, b = idle[name], busy[name]
        label = "write transaction (UPDATE settings)" if name == "write" else "/start round trip"
        print(f"| {label} | {statistics.median(a):.1f} ms | {max(a):.1f} ms |"
              f" {statistics.median(b):.1f} ms | {max(b):.1f} ms |")  # fmt: skip


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=Path("/tmp/crewbot-digest.sqlite3"))
    parser.add_argument("--source", type=Path, default=Path("/tmp/crewbot-5m.sqlite3"))
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    prepare(args.db, args.source)
    settings = load_settings(
        telegram_bot_token="1:BENCH", database_path=args.db, admin_ids=str(MANAGER),
        tick_every="1d",
    )  # fmt: skip
    services = await Services.create(settings, clock=Clock(start=NOW))
    try:
        counts = [
            await services.db.fetchval(f"SELECT count(*) FROM {table}")
            for table in ("orders", "sharers", "samples", "creators")
        ]
        print("orders {:,}, sharers {:,}, samples {:,}, creators {:,}".format(*counts))
        await server_side(services, args.runs)
        await end_to_end(settings, services, args.runs)
    finally:
        await services.close()


if __name__ == "__main__":
    asyncio.run(main())
