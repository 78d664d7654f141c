"""The whole bot under load, against a bare python-telegram-bot echo bot in the same run.

    .venv/bin/python bench/generate.py --orders 1000000 --db /tmp/crewbot-1m.sqlite3
    .venv/bin/python bench/bench_system.py --db /tmp/crewbot-1m.sqlite3 \
        [--rss-db /tmp/crewbot-5m-people.sqlite3] [--dm 2000] [--quick]

The Bot API stand-in (bot/offline/local_api.py, HTTP on loopback) runs here; each bot runs in
a process of its own (bench/echo_bot.py) and long-polls it with getUpdates, as in production.
500 chats (300 sharers bound to their accounts in private, asking /me and /top; 199 BD reps in
private and the BD group, asking /creator and /top) each queue several commands:

- burst: every chat's commands queued at once; updates/s from the first queued to the last
  answered; each chat's answers must quote its commands in the order they were sent;
- closed loop: each chat sends its next command when the last one is answered (500 people
  waiting for answers); p50/p99 from queueing a command to the stand-in receiving its answer;
- both with no API latency and with `--latency` (50 ms: half before the stand-in handles a
  call, half before the answer goes back, getUpdates included);
- CPU per update: the bot process's user+system time over the burst (the database thread too);
- a profile of crewbot's process (cProfile, main thread) over one burst;
- peak RSS (VmHWM) of `python -m bot run` — the production entry point, its rate limiter on —
  answering 1,000 mixed commands over `--rss-db` (the 5M-order data set), the echo bot's as
  the floor;
- the broadcast rate and 429s: bench/bench_dm_all.py against its strict 30/s stand-in.

The last line printed is JSON (the rows bench/run.py puts in bench/README.md).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import pstats
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from aiohttp import web

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from generate import BD_CHAT, BD_USER, FIRST_BD, SHARER_USER

from bot.offline.local_api import LocalBotAPI, SentMessage

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
PY = sys.executable
TICK = os.sysconf("SC_CLK_TCK")


class LatentAPI(LocalBotAPI):
    """The stand-in with a network delay on every call (half on the way in, half on the way
    back, getUpdates included) and a count of getUpdates calls."""

    def __init__(self) -> None:
        super().__init__()
        self.latency = 0.0
        self.polls = 0

    async def _handle_api(self, request: web.Request) -> web.Response:
        self.polls += request.match_info["method"].lower() == "getupdates"
        if self.latency:
            await asyncio.sleep(self.latency / 2)
        response = await super()._handle_api(request)
        if self.latency:
            await asyncio.sleep(self.latency / 2)
        return response


@dataclass
class Chat:
    chat_id: int
    says: list[tuple[int, str]]  # (user id, text), in the order sent


@dataclass
class Result:
    closed: bool
    updates: int
    seconds: float
    latencies: list[float]
    out_of_order: int  # chats where an answer quoted a later command than one still waiting
    chats: int
    unquoted: int  # answers quoting nothing (matched to the chat's oldest waiting command)
    kind: str = ""
    latency: float = 0.0
    cpu_ms: float = 0.0
    server_cpu_ms: float = 0.0  # the stand-in's (this process's) CPU per update
    load: float = 0.0  # the machine's 1-minute load average at the end

    @property
    def rate(self) -> float:
        return self.updates / self.seconds

    def pct(self, q: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(len(ordered) * q))] * 1000

    @property
    def p50(self) -> float:
        return self.pct(0.5)

    @property
    def p99(self) -> float:
        return self.pct(0.99)

    def line(self, label: str | None = None) -> str:
        mode = f"closed loop, {self.chats} chats" if self.closed else "burst"
        name = label or f"{self.kind}, {self.latency * 1000:.0f} ms, {mode}"
        cpu = f", CPU/update {self.cpu_ms:.2f} ms" if self.cpu_ms else ""
        cpu += f" (stand-in {self.server_cpu_ms:.2f} ms); load {self.load:.1f}"
        return (
            f"{name:<38} {self.updates:5d} updates in {self.seconds:6.2f} s ="
            f" {self.rate:7.1f}/s; p50 {self.p50:7.1f} ms, p99 {self.p99:7.1f} ms;"
            f" out of order: {self.out_of_order} chats, unquoted {self.unquoted}{cpu}"
        )


async def run_load(
    api: LatentAPI, chats: list[Chat], *, closed: bool, timeout: float = 300
) -> Result:
    """Queue the chats' commands (all at once, or each after the last one's answer) and wait
    for every answer; an answer is the first message quoting the command."""
    waiting: dict[int, list[tuple[int, float]]] = {c.chat_id: [] for c in chats}
    answered: dict[int, set[int]] = {c.chat_id: set() for c in chats}
    sent_count = {c.chat_id: 0 for c in chats}
    by_id = {c.chat_id: c for c in chats}
    latencies: list[float] = []
    disordered: set[int] = set()
    unquoted = 0
    expected = sum(len(c.says) for c in chats)
    done = asyncio.Event()
    last = [0.0]

    def send(chat: Chat) -> None:
        user, text = chat.says[sent_count[chat.chat_id]]
        sent_count[chat.chat_id] += 1
        message = api.send_message(user, chat.chat_id, text)
        waiting[chat.chat_id].append((message["message_id"], time.perf_counter()))

    def on_sent(sent: SentMessage) -> None:
        nonlocal unquoted
        queue = waiting.get(sent.chat_id)
        if sent.edits or sent.deleted or not sent.method.startswith("send") or not queue:
            return
        if sent.reply_to_message_id in answered[sent.chat_id]:
            return  # a second message for a command already answered
        at = next((k for k, (mid, _) in enumerate(queue) if mid == sent.reply_to_message_id), None)
        if at is None:
            unquoted, at = unquoted + 1, 0
        elif at:
            disordered.add(sent.chat_id)
        message_id, queued = queue.pop(at)
        answered[sent.chat_id].add(message_id)
        last[0] = time.perf_counter()
        latencies.append(last[0] - queued)
        chat = by_id[sent.chat_id]
        if closed and sent_count[chat.chat_id] < len(chat.says):
            send(chat)
        if len(latencies) == expected:
            done.set()

    unsubscribe = api.subscribe(on_sent)
    own_cpu = time.process_time()
    started = time.perf_counter()
    try:
        rounds = 1 if closed else max(len(c.says) for c in chats)
        for k in range(rounds):
            for chat in chats:
                if k < len(chat.says):
                    send(chat)
        try:
            await asyncio.wait_for(done.wait(), timeout)
        except TimeoutError:
            raise RuntimeError(f"{len(latencies)} of {expected} answered in {timeout} s") from None
    finally:
        unsubscribe()
    seconds = last[0] - started
    result = Result(closed, expected, seconds, latencies, len(disordered), len(chats), unquoted)
    result.server_cpu_ms = (time.process_time() - own_cpu) * 1000 / expected
    result.load = os.getloadavg()[0]
    return result


def plan(chats: int = 500, per_chat: int = 4) -> list[Chat]:
    sharers = chats * 3 // 5
    asks = [("/me", "/top")[k % 2] for k in range(per_chat)]
    out = [Chat(SHARER_USER + i, [(SHARER_USER + i, t) for t in asks]) for i in range(sharers)]
    for j in range(chats - sharers - 1):
        handles = [f"/creator creator{(j * 37 + k * 1013) % 5000:05d}" for k in range(per_chat)]
        texts = [h if k % 4 != 1 else "/top" for k, h in enumerate(handles)]
        out.append(Chat(BD_USER + j, [(BD_USER + j, t) for t in texts]))
    group = [(FIRST_BD + k % 20, f"/creator creator{k * 211 % 5000:05d}") for k in range(per_chat)]
    out.append(Chat(BD_CHAT, group))
    return out


def same_pool() -> list[str]:
    """The echo bot's arguments for crewbot's Bot API connection pool, where it sets one."""
    from bot import app

    pool, wait = getattr(app, "CONNECTIONS", None), getattr(app, "POOL_WAIT", None)
    return [*(["--pool", str(pool)] if pool else []), *(["--pool-wait", str(wait)] if wait else [])]


def declare(api: LatentAPI, chats: list[Chat]) -> None:
    for chat in chats:
        for user, _ in chat.says:
            api.user(user, f"用户{user % 100_000}", started=True)
    api.user(1, "Admin", started=True)
    for k in range(20):
        api.user(FIRST_BD + k, f"BD{k:02d}", username=f"bd{k:02d}", started=True)
    api.group(BD_CHAT, "BD team", admins={1}, members={FIRST_BD + k for k in range(20)})


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


async def spawn(args: list[str], env: dict[str, str] | None = None, cwd: str | None = None):  # type: ignore[no-untyped-def]
    return await asyncio.create_subprocess_exec(
        *args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=cwd
    )


async def ready(api: LatentAPI, proc, timeout: float = 120) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while api.polls == 0:
        if proc.returncode is not None or time.monotonic() > deadline:
            raise RuntimeError(f"the bot did not start polling (exit code {proc.returncode})")
        await asyncio.sleep(0.1)


async def stop(proc) -> None:  # type: ignore[no-untyped-def]
    if proc.returncode is None:
        proc.send_signal(signal.SIGTERM)
        try:
            await asyncio.wait_for(proc.wait(), 60)
        except TimeoutError:
            proc.kill()
            await proc.wait()


async def measure(
    db: Path, chats: list[Chat], latency: float, light: int
) -> tuple[list[Result], dict[str, float]]:
    """Both bots up at once, each on a stand-in of its own; each phase is run by the echo bot
    and then by crewbot, back to back, so that what others run on the machine meanwhile
    weighs on both alike. Returns the results and each bot's peak RSS."""
    few = chats[: light // 2] + chats[-(light - light // 2) :]
    phases = [(delay, closed, group) for delay in (0.0, latency)
              for closed, group in ((False, chats), (True, chats), (True, few))]  # fmt: skip
    bots = {}
    results = []
    try:
        for kind in ("echo", "crewbot"):
            api = LatentAPI()
            await api.start()
            declare(api, chats)
            argv = [PY, str(BENCH / "echo_bot.py"), "--base-url", api.base_url]
            argv += ["--crewbot", "--db", str(db)] if kind == "crewbot" else same_pool()
            bots[kind] = (api, await spawn(argv))
        for api, proc in bots.values():
            await ready(api, proc)
            await run_load(api, [Chat(c.chat_id, c.says[:1]) for c in chats], closed=True)
        for delay, closed, group in phases:
            for kind, (api, proc) in bots.items():
                api.latency = delay
                cpu = cpu_seconds(proc.pid)
                result = await run_load(api, group, closed=closed)
                result.kind, result.latency = kind, delay
                result.cpu_ms = (cpu_seconds(proc.pid) - cpu) * 1000 / result.updates
                results.append(result)
                print(result.line(), flush=True)
        rss = {kind: peak_rss_mb(proc.pid) for kind, (_, proc) in bots.items()}
    finally:
        for api, proc in bots.values():
            await stop(proc)
            await api.stop()
    return results, rss


async def profile(db: Path, chats: list[Chat], out: Path, kind: str = "crewbot") -> None:
    api = LatentAPI()
    await api.start()
    declare(api, chats)
    argv = [PY, "-m", "cProfile", "-o", str(out), str(BENCH / "echo_bot.py"),
            "--base-url", api.base_url]  # fmt: skip
    argv += ["--crewbot", "--db", str(db)] if kind == "crewbot" else same_pool()
    proc = await spawn(argv)
    try:
        await ready(api, proc)
        await run_load(api, [Chat(c.chat_id, c.says[:1]) for c in chats], closed=True)
        print((await run_load(api, chats, closed=False)).line(f"profiled {kind}"), flush=True)
    finally:
        await stop(proc)
        await api.stop()


def category(file: str) -> str:
    """crewbot's own directories, else the installed package or standard module."""
    for part in ("bot", "handlers", "storage", "bench"):
        if file.startswith(f"{ROOT}/{part}/"):
            return f"crewbot {part}/"
    for marker in ("site-packages/", "/python3.11/"):
        if marker in file:
            name = file.split(marker, 1)[1].split("/", 1)[0].removesuffix(".py")
            return {"telegram": "python-telegram-bot"}.get(name, name)
    return "other"


def where_time_goes(path: Path, top: int = 12) -> list[str]:
    """Own time by package; a built-in's time (socket calls, queue puts) goes to the packages
    of its callers, in proportion to what each caller spent in it."""
    stats = pstats.Stats(str(path)).stats  # type: ignore[attr-defined]
    by_cat: dict[str, float] = {}
    rows = []
    for (file, line, name), (_cc, _nc, tt, _ct, callers) in stats.items():
        if file == "~" and callers:
            for (caller, _, _), (_, _, own, _) in callers.items():
                by_cat[category(caller)] = by_cat.get(category(caller), 0.0) + own
        else:
            by_cat[category(file)] = by_cat.get(category(file), 0.0) + tt
        rows.append((tt, f"{Path(file).name}:{line} {name}"))
    total = sum(by_cat.values()) or 1.0
    lines = [f"profile: {total:.1f} s of main-thread CPU (cProfile), own time by package:"]
    big = sorted(((tt, cat) for cat, tt in by_cat.items() if tt >= total / 100), reverse=True)
    big.append((total - sum(tt for tt, _ in big), "the rest (under 1% each)"))
    lines += [f"  {cat:<24} {tt:6.2f} s  {tt / total:6.1%}" for tt, cat in big]
    lines.append(f"  top {top} functions by own time:")
    rows.sort(reverse=True)
    lines += [f"  {tt:6.2f} s  {tt / total:5.1%}  {where}" for tt, where in rows[:top]]
    return lines


async def rss_of_run(db: Path, chats: list[Chat]) -> tuple[float, Result]:
    """`python -m bot run` over a copy of `db` answering two commands from each chat."""
    api = LatentAPI()
    await api.start()
    declare(api, chats)
    with tempfile.TemporaryDirectory(prefix="h20-rss-") as tmp:
        copy = Path(tmp) / "bot.sqlite3"
        shutil.copy(db, copy)
        env = dict(os.environ, TELEGRAM_BOT_TOKEN="123456:BENCH", ADMIN_IDS="1",
                   TELEGRAM_BASE_URL=api.base_url, DATABASE_PATH=str(copy),
                   PYTHONPATH=str(BENCH.parent))  # fmt: skip
        proc = await spawn([PY, "-m", "bot", "run"], env=env, cwd=tmp)  # no .env read there
        try:
            await ready(api, proc)
            result = await run_load(api, chats, closed=False, timeout=600)
            result.kind = "python -m bot run"
            rss = peak_rss_mb(proc.pid)
        finally:
            await stop(proc)
            await api.stop()
    return rss, result


async def broadcast(sharers: int) -> dict[str, float]:
    proc = await asyncio.create_subprocess_exec(
        PY, str(BENCH / "bench_dm_all.py"), "--sharers", str(sharers),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.DEVNULL,
    )  # fmt: skip
    out, _ = await proc.communicate()
    lines = out.decode().strip().splitlines()
    print("\n".join("  " + line for line in lines[:-1]))
    return {row["figure"]: row["value"] for row in json.loads(lines[-1])["rows"]}


def row(figure: str, value: float, baseline: float | str = "", goal: str = "") -> dict:
    ratio = round(value / baseline, 2) if isinstance(baseline, int | float) and baseline else ""
    return dict(figure=figure, value=value, baseline=baseline, ratio=ratio, goal=goal)


def rows_of(results: list[Result], crew_rss: float, echo_rss: float, latency: float) -> list[dict]:
    def get(kind: str, delay: float, closed: bool, light: bool = False) -> Result:
        return next(r for r in results if (r.kind, r.latency, r.closed) == (kind, delay, closed)
                    and (r.chats < 100) == light)  # fmt: skip

    rows = []
    for delay, goal in ((0.0, "≥ 0.5× echo"), (latency, "≥ 1,000/s")):
        crew, echo = get("crewbot", delay, False), get("echo", delay, False)
        ms = f"{delay * 1000:.0f} ms"
        rows.append(row(f"updates/s, burst from {crew.chats} chats, {ms} API latency",
                        round(crew.rate), round(echo.rate), goal))  # fmt: skip
        for light in (False, True):
            crew, echo = get("crewbot", delay, True, light), get("echo", delay, True, light)
            for p in ("p50", "p99"):
                value, base = round(getattr(crew, p)), round(getattr(echo, p))
                figure = f"reply {p} (ms), {crew.chats} chats waiting, {ms}"
                rows.append(row(figure, value, base))
    crew, echo = get("crewbot", 0.0, False), get("echo", 0.0, False)
    rows.append(row("CPU per update, burst (ms)", round(crew.cpu_ms, 2), round(echo.cpu_ms, 2)))
    rows.append(row("peak RSS after the runs above (MB)", round(crew_rss), round(echo_rss)))
    broken = sum(r.out_of_order for r in results if r.kind == "crewbot")
    echo_broken = sum(r.out_of_order for r in results if r.kind == "echo")
    rows.append(row("chats answered out of order (all runs)", broken, f"echo: {echo_broken}", "0"))
    loads = [r.load for r in results]
    rows.append(row("load average during the runs (2 cores)", f"{min(loads):.1f}–{max(loads):.1f}"))
    return rows


async def main(args: argparse.Namespace) -> int:
    chats = plan(args.chats, args.per_chat)
    print(f"{len(chats)} chats × {args.per_chat} commands; latency {args.latency * 1000:.0f} ms")
    results, rss = await measure(args.db, chats, args.latency, args.light)
    crew_rss, echo_rss = rss["crewbot"], rss["echo"]
    rows = rows_of(results, crew_rss, echo_rss, args.latency)
    if args.profile:
        with tempfile.TemporaryDirectory(prefix="h20-prof-") as tmp:
            out = Path(tmp) / "crewbot.prof"
            await profile(args.db, chats, out)
            print("\n".join(where_time_goes(out)))
    if args.rss_db:
        rss_chats = plan(500, 2)
        rss, result = await rss_of_run(args.rss_db, rss_chats)
        print(result.line("python -m bot run"))
        print(f"peak RSS of python -m bot run ({args.rss_db.name}, {result.updates} commands):"
              f" {rss:.0f} MB (echo bot: {echo_rss:.0f} MB)")  # fmt: skip
        figure = f"peak RSS, python -m bot run, {args.rss_db.name}, 1,000 commands (MB)"
        rows.append(row(figure, round(rss), round(echo_rss), "≤ 150"))
        figure = "updates/s in that run (production rate limiter, burst of 1,000)"
        rows.append(row(figure, round(result.rate, 1)))
    if args.dm:
        dm = await broadcast(args.dm)
        figure = f"/dm_all to {args.dm} sharers, DMs/s (stand-in allowing 30/s)"
        rows.append(row(figure, dm["DMs/s"], 30, "≥ 0.9×"))
        rows.append(row("/dm_all: 429 answers", dm["429s"], "", "0"))
    broken = next(r for r in rows if r["figure"].startswith("chats answered out of order"))
    print(json.dumps({"bench": "bench_system", "rows": rows}, ensure_ascii=False))
    return 1 if broken["value"] else 0


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=Path("/tmp/crewbot-1m.sqlite3"))
    parser.add_argument("--rss-db", type=Path, help="also the RSS run of `python -m bot run`")
    parser.add_argument("--chats", type=int, default=500)
    parser.add_argument("--per-chat", type=int, default=4)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--light", type=int, default=20, help="chats in the light-load loop")
    parser.add_argument("--dm", type=int, default=2000, help="/dm_all recipients (0: skip)")
    parser.add_argument("--no-profile", dest="profile", action="store_false")
    parser.add_argument("--quick", action="store_true", help="2 commands per chat, /dm_all to 300")
    args = parser.parse_args()
    if args.quick:
        args.per_chat, args.dm = 2, min(args.dm, 300)
    return args


if __name__ == "__main__":
    sys.exit(asyncio.run(main(parse())))
