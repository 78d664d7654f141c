"""Outbox claims: a row is claimed before its request, and a claim that outlived its send is
resolved by the row's delivery kind."""

from __future__ import annotations

from datetime import timedelta

from bot.services import Services
from storage.db import Database, available_migrations
from storage.outbox import AT_LEAST_ONCE, AT_MOST_ONCE, UNCERTAIN, Queued
from tests.conftest import T0

STALE = timedelta(minutes=5)


async def _queue(services: Services) -> None:
    await services.outbox.enqueue_all(
        [
            Queued("remind:1", 11, "r1"),
            Queued("settle:1", 12, "s1", delivery=AT_LEAST_ONCE),
            Queued("remind:2", 13, "r2"),
        ],
        due_at=T0,
        now=T0,
    )


async def _ids(services: Services) -> dict[str, int]:
    return {m.key: m.id for m in await services.outbox.due(T0)}


async def test_a_claimed_row_is_not_due_and_cannot_be_claimed_twice(services: Services) -> None:
    await _queue(services)
    ids = await _ids(services)
    outbox = services.outbox
    assert await outbox.claim(ids["remind:1"], run="a", now=T0)
    assert not await outbox.claim(ids["remind:1"], run="b", now=T0)
    assert [m.key for m in await outbox.due(T0)] == ["settle:1", "remind:2"]
    assert (await outbox.state("remind:1")).claimed
    await outbox.mark_sent(7, ids["remind:1"], now=T0)
    state = await outbox.state("remind:1")
    assert state.status == "sent" and not state.claimed


async def test_another_runs_claims_are_resolved_by_delivery_kind(services: Services) -> None:
    await _queue(services)
    ids = await _ids(services)
    outbox = services.outbox
    for key in ids:
        assert await outbox.claim(ids[key], run="killed", now=T0)
    await outbox.cancel("remind:2")  # a stopped broadcast, cancelled while in flight
    recovered = await outbox.recover(run="new", now=T0, stale=STALE)
    assert recovered.resent == ["settle:1"] and recovered.uncertain == ["remind:1"]
    settle, remind = await outbox.state("settle:1"), await outbox.state("remind:1")
    assert settle.status == "pending" and settle.last_error.startswith(UNCERTAIN)
    assert settle.delivery == AT_LEAST_ONCE and not settle.claimed
    assert remind.status == "failed" and remind.last_error.startswith(UNCERTAIN)
    assert remind.delivery == AT_MOST_ONCE
    assert (await outbox.state("remind:2")).status == "cancelled"
    assert [m.key for m in await outbox.due(T0)] == ["settle:1"]  # goes again, once
    nothing = await outbox.recover(run="new", now=T0, stale=STALE)
    assert nothing.resent == [] and nothing.uncertain == []


async def test_this_runs_claims_wait_until_stale(services: Services) -> None:
    await _queue(services)
    ids = await _ids(services)
    outbox = services.outbox
    await outbox.claim(ids["remind:1"], run="me", now=T0)
    fresh = await outbox.recover(run="me", now=T0 + timedelta(minutes=1), stale=STALE)
    assert fresh.uncertain == [] and (await outbox.state("remind:1")).claimed
    old = await outbox.recover(run="me", now=T0 + STALE, stale=STALE)
    assert old.uncertain == ["remind:1"]


async def test_an_at_least_once_row_out_of_attempts_is_given_up(services: Services) -> None:
    await _queue(services)
    ids = await _ids(services)
    outbox = services.outbox
    for _ in range(7):
        await outbox.retry_later(ids["settle:1"], "boom", due_at=T0)
    await outbox.claim(ids["settle:1"], run="killed", now=T0)
    recovered = await outbox.recover(run="new", now=T0, stale=STALE)
    assert recovered.uncertain == ["settle:1"]
    assert (await outbox.state("settle:1")).status == "failed"


async def test_migration_18_marks_queued_money_messages_at_least_once(tmp_path) -> None:
    db = await Database.open(tmp_path / "old.sqlite3")
    try:
        for number, _, sql in available_migrations()[:17]:
            await db.conn.executescript(f"BEGIN;\n{sql}\nPRAGMA user_version = {number};\nCOMMIT;")
        for key in ("settle:2026-10:S1", "payout:2026-10:csv", "chase:1:1:0"):
            await db.conn.execute(
                "INSERT INTO outbox (key, chat_id, due_at, created_at) VALUES (?, 1, 0, 0)", (key,)
            )
        assert await db.migrate() == [18, *range(19, len(available_migrations()) + 1)]
        rows = await db.fetchall("SELECT key, delivery FROM outbox ORDER BY id")
        assert [(r["key"], r["delivery"]) for r in rows] == [
            ("settle:2026-10:S1", AT_LEAST_ONCE),
            ("payout:2026-10:csv", AT_LEAST_ONCE),
            ("chase:1:1:0", AT_MOST_ONCE),
        ]
    finally:
        await db.close()
