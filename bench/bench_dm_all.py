"""/dm_all to many sharers against a stand-in that enforces Telegram's flood limit.

    .venv/bin/python bench/bench_dm_all.py --sharers 10000
    .venv/bin/python bench/bench_dm_all.py --sharers 10000 --latency 0.08 --jitter 0.06
    .venv/bin/python bench/bench_dm_all.py --sharers 2000 --unpaced   # the pump before pacing

The real Application, built as `run` builds it (PTB's AIORateLimiter on), talks HTTP to
tests/throttled_api.py: at most 30 messages (sends and edits) in any sliding second, counted on
arrival, 429 with retry_after beyond. A manager sends /dm_all and presses [Send]; the run ends
with the final report. Reported: the rate of the DMs (first to last, and the slowest 10 s
stretch), 429s, the busiest second the server saw, and the spacing of the progress edits.
Goal: ≥ 90% of 30/s sustained, zero 429s, progress edited at most once every few seconds.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot import app as application
from bot import jobs
from bot.clock import Clock
from bot.config import load_settings
from bot.offline.driver import Driver
from bot.services import Services
from tests.throttled_api import ThrottledBotAPI

MANAGER = 1
FIRST_SHARER = 1_000_000


async def add_sharers(services: Services, n: int) -> None:
    async with services.db.transaction() as conn:
        await conn.executemany(
            "INSERT INTO users (id, first_name, language_code, started, created_at, updated_at)"
            " VALUES (?, ?, 'zh-hans', 1, 0, 0)",
            [(FIRST_SHARER + i, f"S{i}") for i in range(n)],
        )
        await conn.executemany(
            "INSERT INTO sharers (sharer_id, name, user_id, created_at, updated_at)"
            " VALUES (?, ?, ?, 0, 0)",
            [(f"S{i:05d}", f"S{i}", FIRST_SHARER + i) for i in range(n)],
        )


def slowest_stretch(times: list[float], span: float = 10.0) -> float:
    """The lowest rate over any `span` seconds between the first and the last DM."""
    if not times or times[-1] - times[0] < span:
        return len(times) / max(times[-1] - times[0], 1e-9) if times else 0.0
    lowest, end = float("inf"), 0
    for start, at in enumerate(times):
        if at + span > times[-1]:
            break
        while end < len(times) and times[end] < at + span:
            end += 1
        lowest = min(lowest, (end - start) / span)
    return lowest


async def run(args: argparse.Namespace) -> None:
    if args.unpaced:
        jobs.IN_FLIGHT = 1  # the pump as it was: one message at a time, no pacing of its own
    with tempfile.TemporaryDirectory() as tmp:
        settings = load_settings(
            telegram_bot_token="123456:BENCH",
            database_path=Path(tmp) / "bench.sqlite3",
            admin_ids=str(MANAGER),
            tick_every="1d",
        )
        services = await Services.create(settings, clock=Clock())
        await add_sharers(services, args.sharers)
        api = ThrottledBotAPI(latency=args.latency, jitter=args.jitter)
        await api.start()
        api.user(MANAGER, "Ada", username="ada")
        for i in range(args.sharers):
            api.user(FIRST_SHARER + i, f"S{i}", started=True)
        app = application.build_application(
            settings, services, base_url=api.base_url, base_file_url=api.base_file_url,
            token="123456:BENCH", rate_limited=True,
        )  # fmt: skip
        if args.unpaced:
            app.bot_data["pacer"] = jobs.Pacer(limit=10**9)
        await application.start(app, poll_timeout=1)
        bot = Driver(api, app, services)
        try:
            [preview] = await bot.say(MANAGER, MANAGER, "/dm_all 今晚8点直播，记得转发直播间！")
            await asyncio.sleep(1.5)  # the manager reads the preview before pressing
            started = time.monotonic()
            api.press(MANAGER, preview, "发送")
            report = await api.wait_for(
                lambda m: m.chat_id == MANAGER and "已发送完毕" in m.text, timeout=args.timeout
            )
            elapsed = time.monotonic() - started
        finally:
            await application.stop(app)
            await api.stop()
            await services.close()
    dm_times = [c.at for c in api.calls("sendMessage") if c.error is None and
                int(c.params["chat_id"]) >= FIRST_SHARER]  # fmt: skip
    edits = [c.at for c in api.calls("editMessageText") if c.error is None]
    gaps = [b - a for a, b in itertools.pairwise(edits)]
    span = dm_times[-1] - dm_times[0]
    rate = (len(dm_times) - 1) / span
    pump = "unpaced" if args.unpaced else "paced"
    print(f"sharers {args.sharers}, latency {args.latency * 1000:.0f} ms"
          f" + up to {args.jitter * 1000:.0f} ms, {pump}")  # fmt: skip
    print(
        f"DMs delivered: {len(dm_times)} in {span:.1f} s -> {rate:.2f}/s ({rate / 30:.1%} of 30/s)"
    )
    print(f"slowest 10 s stretch: {slowest_stretch(dm_times):.2f}/s")
    print(f"429 answers: {len(api.throttled)}; busiest second seen by the server:"
          f" {api.busiest_window()} messages")  # fmt: skip
    if gaps:
        print(f"progress edits: {len(edits)}; between edits min {min(gaps):.2f} s,"
              f" median {statistics.median(gaps):.2f} s")  # fmt: skip
    print(f"press to report: {elapsed:.1f} s; report: {report.text!r}")
    rows = [
        dict(figure="DMs/s", value=round(rate, 2), baseline=30, ratio=round(rate / 30, 3),
             goal="≥ 0.9×"),
        dict(figure="429s", value=len(api.throttled), baseline="", ratio="", goal="0"),
    ]  # fmt: skip
    print(json.dumps({"bench": "bench_dm_all", "rows": rows}, ensure_ascii=False))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sharers", type=int, default=10_000)
    parser.add_argument("--latency", type=float, default=0.0, help="seconds added to each call")
    parser.add_argument("--jitter", type=float, default=0.0, help="up to this much more, random")
    parser.add_argument("--unpaced", action="store_true", help="the pump without its pacing")
    parser.add_argument("--timeout", type=float, default=3600.0)
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
