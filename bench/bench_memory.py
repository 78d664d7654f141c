"""Peak memory of `python -m bot run` serving a large database while answering mixed commands.

    .venv/bin/python bench/generate.py --orders 5000000 --db /tmp/crewbot-5m-people.sqlite3 \
        --from /tmp/crewbot-5m.sqlite3
    .venv/bin/python bench/bench_memory.py --db /tmp/crewbot-5m-people.sqlite3 \
        [--commands 1000] [--baseline REV] [--tracemalloc]

The bot runs as in production (`python -m bot run`, its rate limiter on, the scheduler
ticking) in a process of its own, on a scratch copy of the database, long-polling the local
Bot API stand-in that runs here. People ask 1,000 commands, 20 waiting at a time: sharers
/me, /top (month, week, teams, year) and /team in private, BD reps /creator in private and
now and then in the BD group, and /help. Reported: the bot's peak RSS (VmHWM), its RSS when
started and idle, and the answer count. `--baseline REV` runs the same at another commit
(a `git archive` of it) in the same run, for the ratio. `--tracemalloc` has the bot print
its 15 biggest allocation sites at the end (tracemalloc costs time and memory itself: not
for the figures).

`--burst 2000`: the /top burst instead: 500 sharers each queue 4 × /top at once; the bot runs
without a rate limiter (the tests' set-up, so that the bot and not the limiter sets the pace);
answers/s, peak RSS and how many times a board was built (this tree only: older ones did not
count).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from generate import BD_CHAT, BD_USER, SHARER_USER  # noqa: E402

from bot.offline.local_api import LocalBotAPI  # noqa: E402

TOKEN = "123456:MEMORY"
WAITING = 20
PRIVATE = ("/me", "/top", "/top week", "/top teams", "/me", "/top year", "/team", "/help")

# Run inside the bot's process with --tracemalloc: the biggest allocation sites at exit.
TRACE = """
import atexit, runpy, sys, tracemalloc
tracemalloc.start(8)
def report():
    snapshot = tracemalloc.take_snapshot().filter_traces(
        [tracemalloc.Filter(False, tracemalloc.__file__)])
    for stat in snapshot.statistics("traceback")[:15]:
        print(f"{stat.size / 2**20:7.1f} MiB {stat.count:8d} blocks", file=sys.stderr)
        for line in stat.traceback.format()[-6:]:
            print("        " + line, file=sys.stderr)
atexit.register(report)
sys.argv = ["bot", "run"]
runpy.run_module("bot", run_name="__main__")
"""


# The bot as the tests run it (no rate limiter), stopped by SIGTERM; prints the boards built.
UNLIMITED = """
import asyncio, signal, sys
from bot import app as application
from bot.config import load_settings
from bot.services import Services
async def main():
    settings = load_settings()
    services = await Services.create(settings)
    app = application.build_application(settings, services, rate_limited=False)
    await application.start(app)
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    await stop.wait()
    print("boards built:", getattr(services.boards, "computed", "n/a"), file=sys.stderr)
    await application.stop(app)
    await services.close()
asyncio.run(main())
"""


def burst(n: int) -> list[tuple[int, int, str]]:
    return [(SHARER_USER + k % 500, SHARER_USER + k % 500, "/top") for k in range(n)]


def plan(n: int) -> list[tuple[int, int, str]]:
    """(user, chat, text) for n commands: three in four from sharers, the rest from BD reps."""
    asks = []
    for k in range(n):
        if k % 4 == 3:
            handle = f"creator{k * 211 % 5000:05d}"
            bd = BD_USER + k % 200
            # The group's own limit (20 a minute) would set the pace: one ask in ten there.
            asks.append((bd, BD_CHAT if k % 40 == 3 else bd, f"/creator {handle}"))
        else:
            user = SHARER_USER + k * 7 % 500
            asks.append((user, user, PRIVATE[k % len(PRIVATE)]))
    return asks


def status(pid: int, field: str) -> float:
    """A VmXXX line of /proc/<pid>/status, in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


async def run_bot(code: Path, db: Path, n: int, tracemalloc: bool, top: bool = False) -> dict:
    api = LocalBotAPI()
    await api.start()
    for i in range(500):
        api.user(SHARER_USER + i, f"用户{i}", started=True)
    bds = [BD_USER + i for i in range(200)]
    for user in bds:
        api.user(user, f"BD{user}", started=True)
    api.group(BD_CHAT, "BD team", admins=set(), members=set(bds))
    with tempfile.TemporaryDirectory(prefix="crewbot-memory-") as tmp:
        scratch = Path(tmp) / "bot.sqlite3"
        shutil.copyfile(db, scratch)
        env = {
            **os.environ,
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_BASE_URL": api.base_url,
            "DATABASE_PATH": str(scratch),
            "ADMIN_IDS": "1",
            "PYTHONPATH": str(code),
        }
        script = UNLIMITED if top else TRACE if tracemalloc else None
        args = ["-c", script] if script else ["-m", "bot", "run"]
        log = (Path(tmp) / "bot.log").open("w+b")
        proc = await asyncio.create_subprocess_exec(
            sys.executable, *args, cwd=tmp, env=env, stderr=log
        )
        try:
            while not api.calls("getUpdates"):
                if proc.returncode is not None or not _alive(proc.pid):
                    log.seek(0)
                    raise RuntimeError("the bot stopped: " + log.read().decode()[-2000:])
                await asyncio.sleep(0.1)
            await asyncio.sleep(1.0)
            idle = status(proc.pid, "VmRSS")
            started = time.monotonic()
            answered = await (flood(api, burst(n)) if top else ask(api, plan(n)))
            took = time.monotonic() - started
            peak = status(proc.pid, "VmHWM")
        finally:
            proc.terminate()
            await proc.wait()
            await api.stop()
            log.seek(0)
            err = log.read().decode(errors="replace")
            log.close()
    if tracemalloc:
        print(err[-8000:], file=sys.stderr)
    built = next((line for line in err.splitlines() if line.startswith("boards built")), "")
    return {"peak_mib": peak, "idle_mib": idle, "answered": answered, "seconds": took,
            "built": built.partition(": ")[2]}  # fmt: skip


async def flood(api: LocalBotAPI, asks: list[tuple[int, int, str]]) -> int:
    """Send every command at once; how many were answered (within a minute of quiet)."""
    before = len(api.sent)
    for user, chat, text in asks:
        api.send_message(user, chat, text)
    deadline = time.monotonic() + 60
    while len(api.sent) - before < len(asks) and time.monotonic() < deadline:
        await asyncio.sleep(0.01)
    return len(api.sent) - before


async def ask(api: LocalBotAPI, asks: list[tuple[int, int, str]]) -> int:
    """Send every command, WAITING unanswered at a time; how many got an answer."""
    pending = list(reversed(asks))
    answered = 0
    waiting: dict[int, int] = {}  # update's chat -> messages sent to it before asking

    def send() -> None:
        user, chat, text = pending.pop()
        while chat in waiting:  # one question at a time per chat
            pending.insert(0, (user, chat, text))
            user, chat, text = pending.pop()
        waiting[chat] = len(api.sent_to(chat))
        api.send_message(user, chat, text)

    while pending or waiting:
        while pending and len(waiting) < WAITING and len({c for _, c, _ in pending} - set(waiting)):
            send()
        deadline = time.monotonic() + 60
        while not any(len(api.sent_to(c)) > k for c, k in waiting.items()):
            if time.monotonic() > deadline:
                return answered  # the bot stopped answering: report what it did
            await asyncio.sleep(0.01)
        for chat, before in list(waiting.items()):
            if len(api.sent_to(chat)) > before:
                del waiting[chat]
                answered += 1
    return answered


def _alive(pid: int) -> bool:
    state = (
        Path(f"/proc/{pid}/stat").read_text().split()[2] if Path(f"/proc/{pid}").exists() else "Z"
    )
    return state != "Z"


def checkout(rev: str, into: Path) -> Path:
    archive = subprocess.run(["git", "archive", rev], cwd=ROOT, capture_output=True, check=True)
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive.stdout, check=True)
    return into


async def main(args: argparse.Namespace) -> None:
    if args.burst:
        await main_burst(args)
        return
    now = await run_bot(ROOT, args.db, args.commands, args.tracemalloc)
    print(f"this tree: peak {now['peak_mib']:.0f} MiB, idle {now['idle_mib']:.0f} MiB,"
          f" {now['answered']:.0f}/{args.commands} answered in {now['seconds']:.0f} s")  # fmt: skip
    rows = [{"figure": "bot peak RSS, 5M orders, 1,000 commands (MiB)", "value": now["peak_mib"],
             "goal": "<= 150 MB", "command": "bench/bench_memory.py"}]  # fmt: skip
    if args.baseline:
        with tempfile.TemporaryDirectory(prefix="crewbot-baseline-") as tmp:
            base = await run_bot(checkout(args.baseline, Path(tmp)), args.db, args.commands, False)
        ratio = now["peak_mib"] / base["peak_mib"]
        print(f"at {args.baseline}: peak {base['peak_mib']:.0f} MiB, idle {base['idle_mib']:.0f}"
              f" MiB, {base['answered']:.0f} answered; peak ratio {ratio:.2f}")  # fmt: skip
        rows[0].update(baseline=base["peak_mib"], ratio=round(ratio, 2))
    print(json.dumps(rows, ensure_ascii=False))


async def main_burst(args: argparse.Namespace) -> None:
    def line(label: str, r: dict) -> str:
        return (f"{label}: {r['answered']}/{args.burst} /top answered in {r['seconds']:.1f} s"
                f" ({r['answered'] / r['seconds']:.1f}/s), peak {r['peak_mib']:.0f} MiB,"
                f" boards built: {r['built']}")  # fmt: skip

    now = await run_bot(ROOT, args.db, args.burst, False, top=True)
    print(line("this tree", now))
    rate = now["answered"] / now["seconds"]
    rows = [{"figure": f"/top burst, {args.burst} from 500 chats (answers/s)", "value": rate,
             "command": f"bench/bench_memory.py --burst {args.burst}"}]  # fmt: skip
    if args.baseline:
        with tempfile.TemporaryDirectory(prefix="crewbot-baseline-") as tmp:
            base = await run_bot(checkout(args.baseline, Path(tmp)), args.db, args.burst, False,
                                 top=True)  # fmt: skip
        print(line(f"at {args.baseline}", base))
        base_rate = base["answered"] / base["seconds"]
        rows[0].update(baseline=base_rate, ratio=round(rate / base_rate, 2))
    print(json.dumps(rows, ensure_ascii=False))


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=Path("/tmp/crewbot-5m-people.sqlite3"))
    parser.add_argument("--commands", type=int, default=1000)
    parser.add_argument("--baseline", help="a git revision to measure the same way")
    parser.add_argument("--tracemalloc", action="store_true")
    parser.add_argument("--burst", type=int, default=0, help="the /top burst of this many")
    return parser.parse_args()


if __name__ == "__main__":
    asyncio.run(main(parse()))
