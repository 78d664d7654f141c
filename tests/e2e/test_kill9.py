"""kill -9 of the real `python -m bot run` while it sends, then a restart on the same database.

The stand-in kills the process from inside its handler, right after it stored the Nth
message and before answering: exactly the send Telegram accepted and the bot never marked.
Up to IN_FLIGHT sends (one per chat) are in flight at that moment. After the restart:
- at most once (a /dm_all, chase reminders): nobody gets a message twice; a message that may
  have been lost is one of those in flight and is reported (failed, "uncertain: …");
- at least once (settlement DMs): everybody gets it; only those in flight may get a repeat;
- nothing that was due is lost.
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import sys
from collections import Counter
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path

from bot.config import load_settings
from bot.jobs import IN_FLIGHT
from bot.offline.local_api import LocalBotAPI, SentMessage
from bot.services import Services
from storage.outbox import AT_LEAST_ONCE, UNCERTAIN, Queued
from tests.bot_process import RUNNER, due_chases
from tests.e2e.conftest import ADA, BD_CHAT, BOB

TOKEN = "424242:KILL9-TOKEN"
RECIPIENTS = range(10_000, 12_000)


@asynccontextmanager
async def bot_process(tmp_path: Path, api: LocalBotAPI, name: str) -> AsyncIterator[object]:
    """The bot in its own process; stopped with SIGTERM at the end unless killed before."""
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_BASE_URL": api.base_url,
        "DATABASE_PATH": str(tmp_path / "bot.sqlite3"),
        "ADMIN_IDS": str(ADA),
        "TICK_EVERY": "1s",
    }
    log = (tmp_path / f"{name}.log").open("wb")  # a pipe nobody reads could fill and block it
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-c", RUNNER, env=env, cwd=tmp_path, stdout=log, stderr=log
    )
    try:
        yield process
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
            await asyncio.wait_for(process.wait(), 30)
        log.close()


def kill_at(api: LocalBotAPI, process, count: int, wanted: Callable[[SentMessage], bool]) -> None:  # type: ignore[no-untyped-def]
    """SIGKILL the process when the stand-in has stored the `count`th wanted message, before
    the bot hears that it was stored."""
    seen = 0

    def listener(message: SentMessage) -> None:
        nonlocal seen
        if wanted(message) and message.method == "sendMessage" and not message.deleted:
            seen += 1
            if seen == count:
                process.kill()

    api.subscribe(listener)


async def prepared(tmp_path: Path) -> Services:
    settings = load_settings(
        telegram_bot_token=TOKEN, database_path=tmp_path / "bot.sqlite3", admin_ids=str(ADA)
    )
    return await Services.create(settings)


async def _quiet(api: LocalBotAPI) -> None:
    """Let the requests the dead process left behind finish in the stand-in."""
    await api.settle(quiet=0.2, timeout=10)


async def outbox_rows(tmp_path: Path, prefix: str) -> dict[str, tuple[str, str | None]]:
    services = await prepared(tmp_path)
    try:
        rows = await services.db.fetchall(
            "SELECT key, status, last_error FROM outbox WHERE substr(key, 1, ?) = ?",
            (len(prefix), prefix),
        )
        return {row["key"]: (row["status"], row["last_error"]) for row in rows}
    finally:
        await services.close()


def people_api() -> LocalBotAPI:
    api = LocalBotAPI(bot_username="crewbot_bot")
    api.user(ADA, "Ada", username="ada")
    api.user(BOB, "Bob", username="bob")
    for person in RECIPIENTS:
        api.user(person, f"S{person}", started=True)
    return api


async def test_kill9_during_a_2000_recipient_dm_all(tmp_path: Path) -> None:
    services = await prepared(tmp_path)
    async with services.db.transaction() as conn:
        await conn.executemany(
            "INSERT INTO sharers (sharer_id, name, user_id, created_at, updated_at)"
            " VALUES (?, ?, ?, 0, 0)",
            [(f"S{p}", f"S{p}", p) for p in RECIPIENTS],
        )
    await services.close()
    api = people_api()
    await api.start()
    try:

        def dm(m: SentMessage) -> bool:
            return m.chat_id in RECIPIENTS and m.text.startswith("📢")

        async with bot_process(tmp_path, api, "first") as first:
            api.send_message(ADA, ADA, "/dm_all 今晚8点开播")
            preview = await api.wait_for(lambda m: m.chat_id == ADA and m.buttons, timeout=60)
            kill_at(api, first, 700, dm)
            api.press(ADA, preview, "发送")
            await asyncio.wait_for(first.wait(), 60)
        assert first.returncode == -signal.SIGKILL
        await _quiet(api)
        before = Counter(m.chat_id for m in api.sent if dm(m))
        assert 700 <= len(before) < len(RECIPIENTS)
        async with bot_process(tmp_path, api, "second"):
            report = await api.wait_for(
                lambda m: m.chat_id == ADA and "已发送完毕" in m.text, timeout=60
            )
        got = Counter(m.chat_id for m in api.sent if dm(m))
        rows = await outbox_rows(tmp_path, "dm_all:1:")
    finally:
        await api.stop()
    assert max(got.values()) == 1  # nobody twice
    uncertain = {k for k, (status, error) in rows.items() if (error or "").startswith(UNCERTAIN)}
    missing = {f"dm_all:1:{p}" for p in RECIPIENTS if got[p] == 0}
    assert 1 <= len(uncertain) <= IN_FLIGHT and missing <= uncertain
    assert all(rows[k][0] == "failed" for k in uncertain)
    assert all(rows[f"dm_all:1:{p}"][0] == "sent" for p in got if f"dm_all:1:{p}" not in uncertain)
    assert report.text == (
        f"📢 第 1 号公告已发送完毕。\n已送达：{len(RECIPIENTS) - len(uncertain):,}\n"
        f"发送失败：{len(uncertain)}"
    )


async def test_kill9_during_settlement_dms_repeats_only_the_in_flight(tmp_path: Path) -> None:
    services = await prepared(tmp_path)
    now = datetime.now(UTC)
    items = [
        Queued(f"settle:2026-10:S{p}", p, f"💰 S{p} 的佣金已结算", delivery=AT_LEAST_ONCE)
        for p in RECIPIENTS
    ]
    await services.outbox.enqueue_all(items, due_at=now, now=now)
    await services.close()
    api = people_api()
    await api.start()
    try:

        def money(m: SentMessage) -> bool:
            return m.text.startswith("💰")

        async with bot_process(tmp_path, api, "first") as first:
            kill_at(api, first, 900, money)
            await asyncio.wait_for(first.wait(), 60)
        await _quiet(api)
        before = Counter(m.chat_id for m in api.sent if money(m))
        async with bot_process(tmp_path, api, "second"):
            deadline = asyncio.get_running_loop().time() + 60
            while len({m.chat_id for m in api.sent if money(m)}) < len(RECIPIENTS):
                assert asyncio.get_running_loop().time() < deadline, "not everybody was paid"
                await asyncio.sleep(0.1)
            await _quiet(api)
        got = Counter(m.chat_id for m in api.sent if money(m))
        rows = await outbox_rows(tmp_path, "settle:")
    finally:
        await api.stop()
    assert set(got) == set(RECIPIENTS) and 900 <= len(before) < len(RECIPIENTS)
    repeated = {p for p, n in got.items() if n > 1}
    assert max(got.values()) <= 2 and len(repeated) <= IN_FLIGHT
    assert repeated <= set(before)  # a repeat is only ever of a message sent before the kill
    assert {status for status, _ in rows.values()} == {"sent"}
    resent = {k for k, (_, error) in rows.items() if (error or "").startswith(UNCERTAIN)}
    assert {f"settle:2026-10:S{p}" for p in repeated} <= resent and len(resent) <= IN_FLIGHT


async def test_kill9_during_due_chase_reminders(tmp_path: Path) -> None:
    services = await prepared(tmp_path)
    now = datetime.now(UTC)
    samples = 120
    await due_chases(services, samples, now)
    await services.close()
    api = people_api()
    api.group(BD_CHAT, "BD", admins={ADA}, members={ADA, BOB})
    await api.start()
    try:

        def reminder(m: SentMessage) -> bool:
            return m.chat_id == BD_CHAT and m.text.startswith("⏰")

        async with bot_process(tmp_path, api, "first") as first:
            kill_at(api, first, 40, reminder)
            await asyncio.wait_for(first.wait(), 60)
        await _quiet(api)
        async with bot_process(tmp_path, api, "second"):
            deadline = asyncio.get_running_loop().time() + 60
            while True:
                rows = await outbox_rows(tmp_path, "chase:")
                if len(rows) == samples and "pending" not in {s for s, _ in rows.values()}:
                    break
                assert asyncio.get_running_loop().time() < deadline, "reminders stopped"
                await asyncio.sleep(0.2)
            await _quiet(api)
    finally:
        await api.stop()
    numbers = Counter(
        int(re.search(r"#(\d+)", m.text)[1])  # type: ignore[index]
        for m in api.sent
        if reminder(m)
    )
    assert max(numbers.values()) == 1  # no reminder twice
    lost = set(range(1, samples + 1)) - set(numbers)
    uncertain = {k for k, (status, error) in rows.items() if status == "failed"}
    assert len(lost) <= 1 and len(uncertain) <= 1  # one chat: one send in flight
    assert {f"chase:{n}:" for n in lost} <= {k[: k.index(":", 6) + 1] for k in uncertain}
    assert all((rows[k][1] or "").startswith(UNCERTAIN) for k in uncertain)
