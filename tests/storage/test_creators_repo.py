"""The creators repository on a real database file: writes are audited, and the one-query
profiles used by /find agree with bot.domain.creator_stats.compute_stats."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest

from bot.domain.creator_stats import compute_stats
from bot.domain.pipeline import Stage
from bot.services import Services
from storage.creators import Creators, RegistryError, column_values, from_bp, to_bp
from storage.db import to_ts
from storage.errors import IntegrityError
from tests.conftest import T0


async def add(services: Services, handle: str, platform: str = "douyin") -> int:
    repo = services.repo(Creators)
    creator = await repo.add(
        handle, platform=platform, tier="A", owner_id=2, followers=None, category="", now=T0
    )
    return creator.id


async def test_add_refuses_a_duplicate_on_the_same_platform_only(services: Services) -> None:
    await add(services, "Lily")
    with pytest.raises(RegistryError) as refused:
        await add(services, "＠lily")
    assert refused.value.code == "duplicate"
    await add(services, "lily", platform="tiktok")
    repo = services.repo(Creators)
    assert [c.platform for c in await repo.by_handle("LILY")] == ["douyin", "tiktok"]
    assert len(await services.audit.entries("creator")) == 2


async def test_note_touches_last_contact_and_block_sets_the_reason(services: Services) -> None:
    repo = services.repo(Creators)
    cid = await add(services, "lily")
    await repo.add_note(cid, "<b>hi</b>", author_id=2, now=T0)
    await repo.block(cid, "no video", actor_id=2, now=T0)
    creator = await repo.get(cid)
    assert (creator.last_contact_at, creator.blocked_reason) == (T0, "no video")
    [note] = await repo.notes(cid)
    assert (note.text, note.author_id) == ("<b>hi</b>", 2)
    await repo.block(cid, None, actor_id=2, now=T0)
    assert (await repo.get(cid)).blocked_reason is None


def test_basis_points_are_exact() -> None:
    assert to_bp(Decimal("0.855")) == 8550 and from_bp(8550) == Decimal("0.855")
    assert column_values({"adult": Decimal("0.3333"), "categories": ("美妆", "护肤")}) == {
        "adult_bp": 3333,
        "categories": "美妆,护肤",
    }


async def test_profiles_agree_with_compute_stats(services: Services) -> None:
    repo = services.repo(Creators)
    rng = random.Random(7)
    ids = [await add(services, f"c{i}") for i in range(12)]
    async with services.db.transaction() as conn:
        for _ in range(120):
            stage = rng.choice(list(Stage))
            signed = rng.random() < 0.6
            video = rng.random() < 0.4
            chases = rng.randint(0, 3)
            await conn.execute(
                "INSERT INTO samples (creator_id, owner_id, product, stage, shipped_at, signed_at,"
                " video_at, chases, chases_replied, created_at, updated_at)"
                " VALUES (?, 2, 'p', ?, ?, ?, ?, ?, ?, ?, ?)",
                (rng.choice(ids), stage.value, to_ts(T0), to_ts(T0) if signed else None,
                 to_ts(T0) if video else None, chases, rng.randint(0, chases), 0, 0),
            )  # fmt: skip
        for sample_id in rng.sample(range(1, 121), 40):  # later changes reach the figures
            await conn.execute(
                "UPDATE samples SET stage = ?, video_at = ?, chases = chases + 1 WHERE id = ?",
                (rng.choice(list(Stage)).value, rng.choice([None, to_ts(T0)]), sample_id),
            )
        await conn.execute("DELETE FROM samples WHERE id = 7")
        await conn.execute(
            "INSERT INTO orders (order_id, paid_at, month, day, amount_fen, status, valid_fen,"
            " creator, imported_at) VALUES ('o', 0, 1, 1, 990, 'paid', 990,"
            " '@C3', 0)"
        )
    profiles = {p.handle: p for p in await repo.profiles()}
    for cid in ids:
        creator = await repo.get(cid)
        stats = compute_stats(await repo.sample_facts(cid))
        profile = profiles[creator.handle]
        assert profile.fulfilment_rate == stats.fulfilment_rate, creator.handle
        assert profile.reply_rate == stats.reply_rate, creator.handle
    assert profiles["c3"].attributed_sales_fen == 990
    assert await repo.attributed("c3") == (990, 1)


async def test_import_rows_is_one_transaction(services: Services) -> None:
    repo = services.repo(Creators)
    cid = await add(services, "lily")
    new = [{"handle": "mia", "handle_key": "mia", "platform": "douyin", "tier": "B",
            "owner_id": 0}, {"handle": "lily", "handle_key": "lily", "platform": "douyin",
            "tier": "B", "owner_id": 0}]  # fmt: skip
    updates = [(cid, {"tier": "S"}, {"tier": "A"})]
    with pytest.raises(IntegrityError):
        await repo.import_rows(new, updates, actor_id=None, now=T0, summary={})
    assert [c.handle for c in (await repo.listing())[0]] == ["lily"]
    assert (await repo.get(cid)).tier == "A"


async def test_profiles_follow_every_write(services: Services) -> None:
    repo = services.repo(Creators)
    cid = await add(services, "lily")
    [before] = await repo.profiles()
    assert await repo.profiles() is not None and not before.blocked
    await repo.block(cid, "no video", actor_id=2, now=T0)
    [after] = await repo.profiles()
    assert after.blocked
    async with services.db.transaction() as conn:  # a write by any other feature counts too
        await conn.execute(
            "INSERT INTO samples (creator_id, owner_id, product, stage, shipped_at, video_at,"
            " created_at, updated_at) VALUES (?, 2, 'p', 'video_posted', 0, 0, 0, 0)",
            (cid,),
        )
    [latest] = await repo.profiles()
    assert latest.fulfilment_rate == 1
