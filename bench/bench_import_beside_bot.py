"""A large order import from the command line beside the running bot (issue 12).

    .venv/bin/python bench/gen_orders.py --orders 1000000 --out /tmp/orders-1m.csv \
        --roster /tmp/roster.csv
    .venv/bin/python bench/bench_import_beside_bot.py --orders /tmp/orders-1m.csv

The real Application polls the local Bot API stand-in in this process; people in several
private chats ask in turn: someone new says /start (the bot records whom it met: a write every
time) and a regular asks /me (reads). First for `--baseline` seconds with nothing else running
(the baseline, same run), then while `python -m bot import FILE` runs in another process on
the same database, until it ends. Reported for each phase: replies, latency p50/p99/max,
errors ("something went wrong", "database is locked") and the import's wall time.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.config import load_settings  # noqa: E402
from bot.offline.driver import running_bot  # noqa: E402
from bot.offline.local_api import LocalBotAPI  # noqa: E402
from bot.services import Services  # noqa: E402

ERRORS = ("Something went wrong", "出错了", "database is locked")


async def ask(api: LocalBotAPI, user: int, text: str) -> tuple[float, str]:
    mark, started = api.mark(), time.perf_counter()
    api.send_message(user, user, text)
    while time.perf_counter() - started < 60:
        answers = [m for m in api.sent[-50:] if m.seq > mark and m.chat_id == user]
        if answers:
            return time.perf_counter() - started, answers[0].text or ""
        await asyncio.sleep(0.002)
    return 60.0, "no answer"


async def chatter(api: LocalBotAPI, lanes: int, done: Callable[[], bool], first_new: int) -> list:
    answers: list[tuple[float, str]] = []
    newcomers = iter(range(first_new, first_new + 10_000_000))

    async def lane(regular: int) -> None:
        while not done():
            newcomer = next(newcomers)
            api.user(newcomer, f"P{newcomer}")
            answers.append(await ask(api, newcomer, "/start"))
            answers.append(await ask(api, regular, "/me"))

    for lane_no in range(lanes):
        api.user(100 + lane_no, f"R{lane_no}")
    await asyncio.gather(*(lane(100 + n) for n in range(lanes)))
    return answers


def summary(name: str, answers: list[tuple[float, str]], wall: float) -> str:
    times = sorted(s for s, _ in answers)
    errors = sum(any(e in text for e in ERRORS) or text == "no answer" for _, text in answers)
    p = statistics.quantiles(times, n=100) if len(times) > 1 else times * 99
    return (
        f"| {name} | {len(times)} | {wall:.1f} s | {p[49] * 1000:.0f} ms | {p[98] * 1000:.0f} ms"
        f" | {times[-1] * 1000:.0f} ms | {errors} |"
    )


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--orders", type=Path, required=True)
    parser.add_argument("--lanes", type=int, default=6)
    parser.add_argument("--baseline", type=float, default=20.0)
    parser.add_argument("--db", type=Path, default=None)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-beside-"))
    db = args.db or folder / "crewbot.sqlite3"
    settings = load_settings(
        telegram_bot_token="123456:BENCH", database_path=db, admin_ids="1", tick_every="1d"
    )
    services = await Services.create(settings)
    api = LocalBotAPI(bot_username="crewbot_bot")
    await api.start()
    rows = []
    try:
        async with running_bot(settings, services, api):
            started = time.perf_counter()
            base = await chatter(
                api, args.lanes, lambda: time.perf_counter() - started > args.baseline, 10_000
            )
            rows.append(summary("no import (baseline)", base, time.perf_counter() - started))
            env = {**os.environ, "DATABASE_PATH": str(db), "PYTHONPATH": str(ROOT)}
            started = time.perf_counter()
            process = subprocess.Popen(
                [sys.executable, "-m", "bot", "import", str(args.orders)], cwd=ROOT, env=env,
                stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            )  # fmt: skip
            finished = asyncio.get_running_loop().run_in_executor(None, process.communicate)
            beside = await chatter(api, args.lanes, finished.done, 20_000_000)
            out, err = await finished
            wall = time.perf_counter() - started
            rows.append(summary("1 CLI import running", beside, wall))
            locked = b"database is locked" in out + err
            print(out.decode().splitlines()[0] if out else err.decode()[-500:])
            print(
                f"import: exit {process.returncode}, {wall:.1f} s, 'database is locked': {locked}"
            )
    finally:
        await services.close()
        await api.stop()
    print(
        "| phase | replies | wall | p50 | p99 | max | errors |\n|---|---:|---:|---:|---:|---:|---:|"
    )
    print("\n".join(rows))


if __name__ == "__main__":
    asyncio.run(main())
