"""Outbox claims between processes on one PostgreSQL database, and the presence that says
which processes are alive (storage/presence.py). Each "process" here is a Database of its
own (its own pool) on the same database; the e2e test_multiprocess.py runs real ones."""

from __future__ import annotations

import asyncio
import random
from collections import defaultdict
from datetime import timedelta

import pytest

from bot.jobs import Pacer
from storage.outbox import AT_LEAST_ONCE, UNCERTAIN, Outbox, Queued
from storage.pg import Database
from storage.presence import Alone, Shared, chat_key
from tests.conftest import T0

STALE = timedelta(minutes=5)
CHATS = 12
PER_CHAT = 15


async def _open(url: str) -> Database:
    return await Database.open(url, max_size=4)


async def _pump(outbox: Outbox, run: str, log: list[tuple[int, str, str]]) -> None:
    """One process's pump, reduced to the claims: read the due rows, take what is free and in
    its chat's turn, "send" (yield to the others), mark sent."""
    while batch := await outbox.due(T0, limit=20):
        for message in batch:
            if not await outbox.to_send(message.id):
                continue
            if not await outbox.claim(message.id, run=run, now=T0):
                continue
            log.append((message.chat_id, message.key, run))
            await asyncio.sleep(random.random() / 500)
            await outbox.mark_sent(1, message.id, now=T0)


async def test_three_processes_send_each_row_once_and_each_chat_in_order(
    pg_migrated_url: str,
) -> None:
    dbs = [await _open(pg_migrated_url) for _ in range(3)]
    try:
        items = [
            Queued(f"m:{chat}:{n:02d}", 1000 + chat, f"{n}")
            for n in range(PER_CHAT)
            for chat in range(CHATS)
        ]
        await Outbox(dbs[0]).enqueue_all(items, due_at=T0, now=T0)
        log: list[tuple[int, str, str]] = []
        await asyncio.gather(*(_pump(Outbox(db), f"run{i}", log) for i, db in enumerate(dbs)))
    finally:
        for db in dbs:
            await db.close()
    keys = [key for _, key, _ in log]
    assert sorted(keys) == sorted(item.key for item in items)  # every row, each once
    by_chat: dict[int, list[str]] = defaultdict(list)
    for chat, key, _ in log:
        by_chat[chat].append(key)
    assert all(sent == sorted(sent) for sent in by_chat.values())  # each chat in its order
    assert len({run for _, _, run in log}) > 1  # the work was shared


async def test_a_row_waits_for_the_earlier_row_of_its_chat(any_db) -> None:
    outbox = Outbox(any_db)
    await outbox.enqueue_all(
        [Queued("a:1", 7, "1"), Queued("a:2", 7, "2"), Queued("b:1", 8, "1")], due_at=T0, now=T0
    )
    ids = {m.key: m.id for m in await outbox.due(T0)}
    assert await outbox.claim(ids["a:1"], run="p1", now=T0)
    # Another process, seeing a:2 due, must not send it before a:1 is answered.
    assert not await outbox.to_send(ids["a:2"])
    assert not await outbox.claim(ids["a:2"], run="p2", now=T0)
    assert await outbox.claim(ids["b:1"], run="p2", now=T0)  # other chats are free
    await outbox.retry_later(ids["a:1"], "429", due_at=T0 + timedelta(seconds=30))
    # Moved to later by a retry, a:1 is no longer before a:2 (as with one process).
    assert await outbox.claim(ids["a:2"], run="p2", now=T0)


async def test_prefixes_are_exact_on_both_stores(any_db) -> None:
    outbox = Outbox(any_db)
    keys = ["dm_all:1:S_1", "dm_all:1:SX1", "dm_all:1:s_1", "dm_all:10:1", "live:1%:a"]
    await outbox.enqueue_all([Queued(k, 1, k) for k in keys], due_at=T0, now=T0)
    assert await outbox.counts("dm_all:1:S_") == {"pending": 1}  # "_" is no wildcard
    assert await outbox.counts("dm_all:1:") == {"pending": 3}
    assert await outbox.cancel("live:1%") == 1
    assert await outbox.cancel("dm_all:1:s") == 1  # case matters
    assert await outbox.counts("dm_all:") == {"pending": 3, "cancelled": 1}


async def test_claims_of_a_live_process_wait_and_a_dead_ones_are_resolved(
    pg_migrated_url: str,
) -> None:
    first, second = Shared(pg_migrated_url), Shared(pg_migrated_url)
    await first.start()
    await second.start()
    db = await _open(pg_migrated_url)
    try:
        assert first.run != second.run and await first.count() == 2
        outbox = Outbox(db)
        await outbox.enqueue_all(
            [Queued("remind:1", 11, "r"), Queued("settle:1", 12, "s", delivery=AT_LEAST_ONCE)],
            due_at=T0,
            now=T0,
        )
        for message in await outbox.due(T0):
            assert await outbox.claim(message.id, run=second.run, now=T0)
        # The second process is sending: the first leaves its claims alone.
        kept = await outbox.recover(run=first.run, now=T0, stale=STALE, alive=first.alive)
        assert kept.resent == kept.uncertain == []
        assert (await outbox.state("remind:1")).claimed
        await second.close()  # its session ends, as a SIGKILL would end it
        assert await first.alive([second.run, first.run]) == {first.run}
        done = await outbox.recover(run=first.run, now=T0, stale=STALE, alive=first.alive)
        assert done.resent == ["settle:1"] and done.uncertain == ["remind:1"]
        remind = await outbox.state("remind:1")
        assert remind.status == "failed" and remind.last_error.startswith(UNCERTAIN)
        assert (await outbox.state("settle:1")).status == "pending"
        # A third process recovering at the same time finds nothing left to resolve.
        again = await outbox.recover(run="other", now=T0, stale=STALE, alive=first.alive)
        assert again.resent == again.uncertain == []
    finally:
        await first.close()
        await db.close()


async def test_a_chat_held_by_one_process_waits_for_it(pg_url: str) -> None:
    first, second = Shared(pg_url), Shared(pg_url)
    await first.start()
    await second.start()
    try:
        assert await first.hold_chat(-100123, wait=1)
        assert await first.hold_chat(-100123, wait=1)  # again in the same process
        assert not await second.hold_chat(-100123, wait=0.05)
        assert await second.hold_chat(42, wait=0.05)  # another chat is free
        await first.release_chat(-100123)
        assert not await second.hold_chat(-100123, wait=0.05)  # still held once
        waiting = asyncio.ensure_future(second.hold_chat(-100123, wait=5))
        await asyncio.sleep(0.05)
        await first.release_chat(-100123)
        assert await waiting
        # A process that dies lets go of every chat it held.
        await second.close()
        assert await first.hold_chat(-100123, wait=1) and await first.hold_chat(42, wait=1)
    finally:
        await first.close()
        await second.close()


async def test_concurrent_holders_in_one_process_share_one_lock(pg_url: str) -> None:
    first, second = Shared(pg_url), Shared(pg_url)
    await first.start()
    await second.start()
    try:
        assert all(await asyncio.gather(*(first.hold_chat(5, wait=1) for _ in range(10))))
        for _ in range(9):
            await first.release_chat(5)
        assert not await second.hold_chat(5, wait=0.02)
        await first.release_chat(5)
        assert await second.hold_chat(5, wait=1)
    finally:
        await first.close()
        await second.close()


@pytest.mark.parametrize("chat_id", [1, -1, 2**31 - 1, -1001234567890, 9_876_543_210])
def test_chat_keys_fit_an_int4(chat_id: int) -> None:
    assert 0 <= chat_key(chat_id) < 2**31


async def test_alone_knows_no_other_process() -> None:
    alone = Alone()
    assert await alone.alive(["someone", alone.run]) == {alone.run}
    assert await alone.count() == 1 and await alone.hold_chat(1, wait=0)


def test_each_process_keeps_to_its_share_of_the_send_rate() -> None:
    now = [0.0]
    pacer = Pacer(limit=9, period=1.0, clock=lambda: now[0])
    pacer.share = 3  # three processes alive: three sends a second each
    pacer._answered.extend([0.0, 0.0])
    assert pacer.delay() == 0
    pacer._answered.append(0.0)
    assert pacer.delay() == pytest.approx(1.0)
    pacer.share = 1
    assert pacer.delay() == 0
