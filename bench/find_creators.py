"""/find at scale: 5,000 creators and 50,000 samples (SPEC: answer within 50 ms).

    .venv/bin/python bench/find_creators.py

Times what /find does after parsing (Creators.profiles(), which keeps the profiles and
rebuilds only what the screening log says changed, then screening.find): right after a sample
changed, and with nothing changed; as a baseline from the same run on the same machine, one
plain read of every creator row; prints the figures and their ratios.
"""

from __future__ import annotations

import asyncio
import random
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path

from bot.config import load_settings
from bot.domain.pipeline import Stage
from bot.domain.screening import FindQuery, Goal, find
from bot.services import Services
from storage.creators import Creators

T0 = datetime(2026, 11, 22, 2, 0, tzinfo=UTC)

CREATORS, SAMPLES, ORDERS, RUNS = 5_000, 50_000, 20_000, 15


async def fill(services: Services) -> None:
    rng = random.Random(1)
    ts = int(T0.timestamp())
    cats = ["美妆", "护肤", "母婴", "食品", "家居"]
    async with services.db.transaction() as conn:
        await conn.executemany(
            "INSERT INTO creators (handle, handle_key, platform, tier, owner_id, followers,"
            " categories, adult_bp, female_bp, posts_30d, interaction_bp, products_28d,"
            " created_at, updated_at) VALUES (?, ?, 'douyin', ?, 2, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (f"c{i}", f"c{i}", rng.choice("SAB"), rng.randint(1_000, 3_000_000),
                 ",".join(rng.sample(cats, 2)), rng.randint(5000, 9900), rng.randint(2000, 9900),
                 rng.randint(0, 60), rng.randint(50, 1200), rng.randint(0, 20), ts, ts)
                for i in range(CREATORS)
            ],
        )  # fmt: skip
        stages = [s.value for s in Stage]
        await conn.executemany(
            "INSERT INTO samples (creator_id, owner_id, product, stage, shipped_at, signed_at,"
            " video_at, chases, chases_replied, created_at, updated_at)"
            " VALUES (?, 2, 'p', ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (rng.randint(1, CREATORS), rng.choice(stages), ts, ts, ts if rng.random() < 0.5
                 else None, rng.randint(0, 3), rng.randint(0, 1), ts, ts)
                for _ in range(SAMPLES)
            ],
        )  # fmt: skip
        await conn.executemany(
            "INSERT INTO orders (order_id, paid_at, month, day, amount_fen, status, valid_fen,"
            " creator, imported_at) VALUES (?, ?, 202611, 20261101, ?, 'paid', ?,"
            " ?, ?)",
            [
                (f"o{i}", ts, fen, fen, f"C{rng.randint(0, CREATORS)}" if i % 3 else "", ts)
                for i in range(ORDERS)
                for fen in [rng.randint(100, 100_000)]
            ],
        )


async def timed(fn: Callable[[], Awaitable[None]]) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        await fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


async def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        settings = load_settings(database_path=Path(folder) / "bench.sqlite3")
        services = await Services.create(settings)
        await fill(services)
        repo = services.repo(Creators)
        query = FindQuery(category="美妆", goal=Goal.SALES)

        async def run_find() -> None:
            find(await repo.profiles(), query)

        changed = iter(range(1, SAMPLES + 1))

        async def run_cold() -> None:
            # Right after a sample changed: its creator's profile is rebuilt, the rest kept.
            async with services.db.transaction() as conn:
                await conn.execute(
                    "UPDATE samples SET chases = chases + 1 WHERE id = ?", (next(changed),)
                )
            await run_find()

        async def baseline() -> None:
            await services.db.fetchall("SELECT * FROM creators")

        cold_ms, warm_ms = await timed(run_cold), await timed(run_find)
        base_ms = await timed(baseline)
        print(f"{CREATORS} creators, {SAMPLES} samples, {ORDERS} orders; median of {RUNS}")
        print(f"/find, right after a sample changed:          {cold_ms:.1f} ms")
        print(f"/find, nothing written since the last one:    {warm_ms:.1f} ms")
        print(f"baseline (read every creator row once):        {base_ms:.1f} ms")
        print(
            f"ratios to the baseline: cold {cold_ms / base_ms:.2f}x, warm {warm_ms / base_ms:.2f}x"
        )
        await services.close()


if __name__ == "__main__":
    asyncio.run(main())
