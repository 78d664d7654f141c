"""Three `python -m bot run` processes on one PostgreSQL database, behind one balancer in
webhook mode, talking to one Bot API stand-in (tests/balancer.py).

- One process is killed with SIGKILL while the three send 2,000 outbox messages and due
  chase reminders: every recipient gets exactly one message. At most once (DMs, reminders):
  nobody twice, and one that may have been lost is one the killed process had in flight,
  reported as failed "uncertain: …". At least once (settlement DMs): everybody, and only
  the killed process's in-flight sends may repeat. The reminders of one group arrive in
  their order although three processes send them. The survivors answer the webhook.
- A chat's updates, spread over the processes by the balancer, are answered in order.

Skipped without PostgreSQL binaries, failing in CI (tests/pg.py).
"""

from __future__ import annotations

import asyncio
import json
import random
import re
import signal
from collections import Counter, defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from bot.config import load_settings
from bot.jobs import IN_FLIGHT
from bot.services import Services
from storage.outbox import AT_LEAST_ONCE, UNCERTAIN, Queued
from tests.balancer import BotProcess, Tap, WebhookBotAPI, bot_cluster, listening, until
from tests.bot_process import due_chases
from tests.e2e.conftest import ADA, BD_CHAT, BOB

TOKEN = "424242:MULTI-PROCESS-TOKEN"
PROCESSES = 3
DMS = range(10_000, 11_000)  # at most once
SETTLED = range(11_000, 12_000)  # at least once
REMINDERS = 120


def cluster(tmp_path: Path, api: WebhookBotAPI, database_url: str) -> Any:
    return bot_cluster(tmp_path, api, database_url, PROCESSES, admin=ADA, token=TOKEN)


def tap(bot: BotProcess) -> Tap:
    assert bot.tap is not None
    return bot.tap


def people(api: WebhookBotAPI) -> None:
    api.user(ADA, "Ada", username="ada")
    api.user(BOB, "Bob", username="bob")
    for person in [*DMS, *SETTLED]:
        api.user(person, f"S{person}", started=True)


async def seeded(database_url: str) -> None:
    """2,000 outbox messages due now, and 120 chase reminders due in one group."""
    settings = load_settings(
        telegram_bot_token=TOKEN, database_url=database_url, admin_ids=str(ADA)
    )
    services = await Services.create(settings)
    try:
        now = datetime.now(UTC)
        items = [Queued(f"dm:{p}", p, f"📢 S{p} 今晚8点开播") for p in DMS] + [
            Queued(f"settle:2026-10:S{p}", p, f"💰 S{p} 的佣金已结算", delivery=AT_LEAST_ONCE)
            for p in SETTLED
        ]
        random.Random(7).shuffle(items)
        await services.outbox.enqueue_all(items, due_at=now, now=now)
        await due_chases(services, REMINDERS, now)
    finally:
        await services.close()


async def outbox_rows(database_url: str) -> dict[str, tuple[str, str | None]]:
    """Status and last error by key, in the outbox's sending order (due, then queued)."""
    settings = load_settings(
        telegram_bot_token=TOKEN, database_url=database_url, admin_ids=str(ADA)
    )
    services = await Services.create(settings)
    try:
        rows = await services.db.fetchall(
            "SELECT key, status, last_error FROM outbox ORDER BY due_at, id"
        )
        return {row["key"]: (row["status"], row["last_error"]) for row in rows}
    finally:
        await services.close()


def _chat_of(body: bytes) -> int | None:
    """The chat_id of a Bot API call's body (PTB sends a form of JSON values)."""
    try:
        return int(json.loads(parse_qs(body.decode())["chat_id"][0]))
    except (ValueError, KeyError, IndexError, UnicodeDecodeError):
        return None


async def test_sigkill_of_one_of_three_processes_mid_send(
    tmp_path: Path,
    pg_migrated_url: str,
) -> None:
    await seeded(pg_migrated_url)
    api = WebhookBotAPI(bot_username="crewbot_bot")
    people(api)
    api.group(BD_CHAT, "BD", admins={ADA}, members={ADA, BOB})
    await api.start()
    sent_by: dict[str, Counter[int]] = defaultdict(Counter)
    killed: list[BotProcess] = []
    try:
        async with cluster(tmp_path, api, pg_migrated_url) as (bots, _):

            def watching(bot: BotProcess) -> None:
                def answered(method: str, body: bytes) -> None:
                    if method != "sendMessage" or (chat := _chat_of(body)) is None:
                        return
                    if killed and killed[0] is bot:
                        return
                    sent_by[bot.name][chat] += 1
                    # The first process to have 150 messages answered dies before it hears
                    # of the 150th: Telegram stored it, the bot never marked it sent.
                    if not killed and sum(sent_by[bot.name].values()) >= 150:
                        killed.append(bot)
                        bot.process.kill()

                tap(bot).on_answer = answered

            for bot in bots:
                watching(bot)
            await listening(bots)
            await until(lambda: bool(killed), timeout=120, what="a process to send 150")
            victim = killed[0]
            await asyncio.wait_for(victim.process.wait(), 30)
            assert victim.process.returncode == -signal.SIGKILL
            # The survivors answer the webhook; the balancer skips the dead one.
            for person in list(DMS)[:12]:
                api.send_message(person, person, "/help")
            await until(
                lambda: all(api.sent_to(p) for p in list(DMS)[:12]) and api.webhook_pending == 0,
                timeout=60,
                what="the survivors to answer /help",
            )

            async def all_out() -> bool:
                rows = await outbox_rows(pg_migrated_url)
                chases = [k for k in rows if k.startswith("chase:")]
                pending = [k for k, (status, _) in rows.items() if status == "pending"]
                return len(chases) == REMINDERS and not pending

            await until(all_out, timeout=180, what="every outbox row sent or given up")
            await asyncio.sleep(0.5)
            rows = await outbox_rows(pg_migrated_url)
    finally:
        await api.stop()
    assert len({name for name, counts in sent_by.items() if counts}) == PROCESSES

    def got(prefix: str) -> Counter[int]:
        return Counter(m.chat_id for m in api.sent if m.text.startswith(prefix))

    uncertain = {k for k, (_, error) in rows.items() if (error or "").startswith(UNCERTAIN)}
    assert 1 <= len(uncertain) <= IN_FLIGHT  # only the killed process's sends in flight
    # At most once: nobody twice; whoever got nothing was in flight, and is reported.
    dms = got("📢")
    assert max(dms.values()) == 1
    missing = {f"dm:{p}" for p in DMS if dms[p] == 0}
    assert missing <= uncertain and all(rows[k][0] == "failed" for k in missing)
    # At least once: everybody; a repeat only of a send that was in flight.
    money = got("💰")
    assert set(money) == set(SETTLED) and max(money.values()) <= 2
    repeated = {f"settle:2026-10:S{p}" for p, n in money.items() if n > 1}
    assert repeated <= uncertain and all(rows[k][0] == "sent" for k in repeated)
    # The group's reminders: none twice, in the outbox's order (three ticks queued them side
    # by side), at most the one in flight lost.
    numbers = [
        int(re.search(r"#(\d+)", m.text)[1])  # type: ignore[index]
        for m in api.sent
        if m.chat_id == BD_CHAT and m.text.startswith("⏰")
    ]
    assert len(numbers) == len(set(numbers)) >= REMINDERS - 1
    queued = [int(key.split(":")[1]) for key in rows if key.startswith("chase:")]
    assert numbers == [n for n in queued if n in set(numbers)]


async def test_a_chats_updates_are_answered_in_order_across_processes(
    tmp_path: Path,
    pg_migrated_url: str,
) -> None:
    api = WebhookBotAPI(bot_username="crewbot_bot")
    chats = range(20_000, 20_030)
    for person in chats:
        api.user(person, f"P{person}", started=True)
    await api.start()
    try:
        async with cluster(tmp_path, api, pg_migrated_url) as (bots, balancer):
            # Replies take a little while on the way, differently each time: an update
            # answered by another process before its predecessor would overtake it.
            rng = random.Random(3)
            for bot in bots:
                tap(bot).delay = lambda method, body: (
                    rng.random() * 0.04 if method == "sendMessage" else 0
                )
            await listening(bots)
            asked: dict[int, list[int]] = defaultdict(list)
            for _ in range(5):
                for person in chats:
                    asked[person].append(api.send_message(person, person, "/nope")["message_id"])
            await until(
                lambda: all(len(api.sent_to(p)) == 5 for p in chats),
                timeout=120,
                what="five answers in every chat",
            )
            served = dict(balancer.served)
    finally:
        await api.stop()
    assert all(served.values())  # the balancer spread the updates over every process
    for person in chats:
        answered = [m.reply_to_message_id for m in api.sent_to(person)]
        assert answered == asked[person], f"chat {person} answered out of order"
