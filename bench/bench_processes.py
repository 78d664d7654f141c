"""Updates per second: three `python -m bot run` processes behind one balancer against one
process, on one PostgreSQL database, same stand-in, same run.

    .venv/bin/python bench/bench_processes.py [--chats 300] [--per-chat 8] [--rounds 2] \
        [--processes 1,3] [--connections 40] [--pg postgresql://postgres@127.0.0.1:5432/postgres]

Each process runs in webhook mode behind tests/balancer.py's round-robin balancer; the Bot
API stand-in delivers the updates as Telegram does (a queue per chat, the next update of a
chat once the previous one was answered, up to `--connections` at once: setWebhook's
default max_connections is 40). `--chats` people each send `--per-chat` commands at once, half
/help and half /me (a lookup of their sharer): the clock runs from the first update queued
to the last answer stored. Every configuration gets a fresh migrated database and is warmed
up first (every person's first message, which upserts them). Configurations alternate for
`--rounds` rounds; the best round of each is reported (this machine is shared and noisy).

The server: `--pg` (its maintenance database; databases named crewbot_test_* are made and
dropped there), else TEST_POSTGRES_URL or DATABASE_URL, else a throwaway cluster from
tools/pg_server.py. The last line is the JSON that bench/run.py reads (ratio: updates/s of
the most processes over one process).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.balancer import WebhookBotAPI, bot_cluster, listening, until  # noqa: E402
from tests.pg import _migrated_template, create_database, drop_database  # noqa: E402
from tools import pg_server  # noqa: E402

ADMIN = 1
PEOPLE = 50_000


async def one_run(
    server: str, template: str, processes: int, chats: int, per_chat: int, connections: int
) -> dict:
    url = await create_database(server, template)
    api = WebhookBotAPI(bot_username="crewbot_bot", max_connections=connections)
    people = range(PEOPLE, PEOPLE + chats)
    for person in people:
        api.user(person, f"P{person}", started=True)
    await api.start()
    directory = Path(tempfile.mkdtemp(prefix=f"bench-processes-{processes}-"))
    ok = False
    try:
        async with bot_cluster(
            directory, api, url, processes, admin=ADMIN, taps=False,
            environment={"TICK_EVERY": "5s"},  # the default, not the tests' 1 s
        ) as (bots, balancer):  # fmt: skip
            await listening(bots, timeout=180)  # a loaded machine starts them slowly
            for person in people:  # warm-up: every person upserted, every process started
                api.send_message(person, person, "/start")
            await until(lambda: len(api.sent) >= chats, timeout=300, what="warm-up answers")
            await asyncio.sleep(1)
            before = len(api.sent)
            wanted = before + chats * per_chat
            pids = [bot.process.pid for bot in bots]
            cpu_bots, cpu_here = _cpu(pids), time.process_time()
            started = time.perf_counter()
            for n in range(per_chat):
                for person in people:
                    api.send_message(person, person, "/help" if n % 2 else "/me")
            await until(lambda: len(api.sent) >= wanted, timeout=600, what="every answer")
            elapsed = time.perf_counter() - started
            cpu_bots, cpu_here = _cpu(pids) - cpu_bots, time.process_time() - cpu_here
            served = sorted(balancer.served.values())
        ok = True
    finally:
        await api.stop()
        await drop_database(server, url)
        if ok:
            shutil.rmtree(directory, ignore_errors=True)
        else:
            print(f"the bots' logs are in {directory}", file=sys.stderr)
    updates = chats * per_chat
    return {
        "processes": processes,
        "updates": updates,
        "seconds": round(elapsed, 2),
        "updates_per_s": round(updates / elapsed, 1),
        "served": served,
        "cpu_s_bots": round(cpu_bots, 2),
        "cpu_s_stand_in_and_balancer": round(cpu_here, 2),
    }


def _cpu(pids: list[int]) -> float:
    """CPU seconds (user + system) the processes used so far, from /proc."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])
    return total / ticks


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chats", type=int, default=300)
    parser.add_argument("--per-chat", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--processes", default="1,3")
    parser.add_argument("--connections", type=int, default=40, help="setWebhook's max_connections")
    parser.add_argument("--pg", help="a PostgreSQL server's maintenance database URL")
    args = parser.parse_args()
    counts = [int(n) for n in args.processes.split(",")]
    server = args.pg or os.environ.get("TEST_POSTGRES_URL") or ""
    if not server and os.environ.get("DATABASE_URL", "").startswith("postgres"):
        server = os.environ["DATABASE_URL"]
    directory = None
    if not server:
        directory = Path(tempfile.mkdtemp(prefix="bench-processes-pg-"))
        server = pg_server.start(directory)
    try:
        template_url = await _migrated_template(server)
        template = template_url.rsplit("/", 1)[1]
        best: dict[int, dict] = {}
        try:
            for round_no in range(args.rounds):
                for processes in counts:
                    run = await one_run(
                        server, template, processes, args.chats, args.per_chat, args.connections
                    )
                    print(f"round {round_no + 1}: {json.dumps(run)}", flush=True)
                    if run["updates_per_s"] > best.get(processes, {}).get("updates_per_s", 0):
                        best[processes] = run
        finally:
            await drop_database(server, template_url)
    finally:
        if directory is not None:
            pg_server.stop(directory)
    one, most = best[min(counts)], best[max(counts)]
    print(f"cpus: {os.cpu_count()}")
    for processes in counts:
        run = best[processes]
        print(f"{processes} process(es): {run['updates_per_s']:.1f} updates/s "
              f"({run['updates']} in {run['seconds']} s; served per process {run['served']};"
              f" CPU s: bots {run['cpu_s_bots']}, stand-in and balancer"
              f" {run['cpu_s_stand_in_and_balancer']})")  # fmt: skip
    ratio = most["updates_per_s"] / one["updates_per_s"]
    print(json.dumps({"rows": [{
        "figure": f"updates/s, {max(counts)} processes behind a balancer (PostgreSQL)",
        "value": most["updates_per_s"], "baseline": one["updates_per_s"],
        "ratio": round(ratio, 2), "goal": "measured against 1 process",
    }]}))  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
