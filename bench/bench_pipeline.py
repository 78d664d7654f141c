"""Server-side handler time of `/pipeline all`, `/creator <handle>` and `/find`, and the time
of the chase scan, over the database made by bench/gen_pipeline.py (50,000 samples).

    .venv/bin/python bench/gen_pipeline.py && .venv/bin/python bench/bench_pipeline.py

Each command runs through the real Application against the local Bot API stand-in. The time of
a command is measured around its handler callback (gate + parse + database + reply); the reply
round trip to the stand-in is in it, so `/start` (one reply, no database) is measured in the
same run as the baseline and subtracted: "net" is what the command itself costs.
Targets: each command net ≤ 50 ms (median), the chase scan ≤ 200 ms.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from gen_pipeline import NOW  # run as a script from the repository root
from telegram.ext import CommandHandler

from bot.clock import Clock
from bot.config import load_settings
from bot.offline.driver import running_bot
from bot.offline.local_api import LocalBotAPI
from bot.services import Services
from handlers.pipeline_jobs import chase_scan
from storage.samples import Samples

BD, BD_CHAT, ROUNDS = 100, -1001, 30
COMMANDS = [
    "/start",
    "/pipeline all",
    "/creator creator00042",
    "/find beauty",
    "/find goal=brand",
]


def instrument(app, timings: dict[str, list[float]]) -> None:  # type: ignore[no-untyped-def]
    """Wrap every command's callback with a timer (the handler, server side)."""
    for handler in app.handlers[0]:
        if isinstance(handler, CommandHandler):
            name, inner = sorted(handler.commands)[0], handler.callback

            async def timed(update, ctx, inner=inner, name=name):  # type: ignore[no-untyped-def]
                start = time.perf_counter()
                try:
                    return await inner(update, ctx)
                finally:
                    timings[name].append((time.perf_counter() - start) * 1000)

            handler.callback = timed


async def scan_times(services: Services, app) -> tuple[float, float, int]:  # type: ignore[no-untyped-def]
    repo = services.repo(Samples)
    query = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        due = await repo.due_chases(NOW)
        query.append((time.perf_counter() - start) * 1000)
    start = time.perf_counter()
    await chase_scan(app, NOW)  # the whole tick once: read, decide, queue, reschedule
    full = (time.perf_counter() - start) * 1000
    return statistics.median(query), full, len(due)


async def main(source: Path) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.sqlite3"
        shutil.copy(source, path)
        settings = load_settings(telegram_bot_token="1:B", database_path=path, admin_ids="1",
                                 tick_every="1d")  # fmt: skip
        services = await Services.create(settings, clock=Clock(start=NOW))
        plan = await services.db.fetchall(
            "EXPLAIN QUERY PLAN SELECT * FROM samples WHERE chase_due_at IS NOT NULL"
            " AND chase_due_at <= ?",
            (0,),
        )
        api = LocalBotAPI()
        await api.start()
        api.user(BD, "BD00", username="bd00")
        api.group(BD_CHAT, "BD team", admins={1}, members={BD})
        timings: dict[str, list[float]] = defaultdict(list)
        try:
            async with running_bot(settings, services, api) as driver:
                instrument(driver.app, timings)
                for _ in range(ROUNDS):
                    for line in COMMANDS:
                        await driver.say(BD, BD_CHAT, line)
                query_ms, full_ms, due = await scan_times(services, driver.app)
        finally:
            await api.stop()
            await services.close()
    base = statistics.median(timings["start"])
    print(f"samples: {await_count(source)}; rounds: {ROUNDS}; baseline /start median {base:.1f} ms")
    rows = []
    for line in COMMANDS[1:]:
        name = line.split()[0][1:]
        if not timings[name]:
            print(f"{line:<24} not registered (skipped)")
            continue
        med = statistics.median(timings[name])
        print(f"{line:<24} median {med:6.1f} ms  net {med - base:6.1f} ms  "
              f"max {max(timings[name]):6.1f} ms")  # fmt: skip
        rows.append(dict(figure=f"{line}, handler median (ms)", value=round(med, 1),
                         baseline=round(base, 1), ratio=round(med / base, 2),
                         goal="≤ 50 net of /start"))  # fmt: skip
    print(
        f"chase scan query ({due} due rows) median {query_ms:.1f} ms; whole tick {full_ms:.1f} ms"
    )
    print("plan:", "; ".join(row["detail"] for row in plan))
    rows.append(dict(figure=f"chase scan, whole tick, {due} due (ms)", value=round(full_ms, 1),
                     baseline="", ratio="", goal="≤ 200"))  # fmt: skip
    print(json.dumps({"bench": "bench_pipeline", "rows": rows}, ensure_ascii=False))


def await_count(source: Path) -> int:
    import sqlite3

    with sqlite3.connect(source) as conn:
        return int(conn.execute("SELECT COUNT(*) FROM samples").fetchone()[0])


if __name__ == "__main__":
    asyncio.run(main(Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/crewbot-pipeline.sqlite3")))
