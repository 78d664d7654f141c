"""The samples repository on a real SQLite file: stage changes guarded and audited, chases
counted once per round, the chase scan's due read, and the /pipeline counts."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.domain.adstats import AdStats
from bot.domain.pipeline import Event, StageError
from bot.services import Services
from storage.db import to_ts
from storage.samples import Samples, SampleStoreError
from tests.conftest import T0


async def _creator(services: Services, handle: str = "lily") -> int:
    async with services.db.transaction() as conn:
        cursor = await conn.execute(
            "INSERT INTO creators (handle, handle_key, tier, owner_id, created_at, updated_at)"
            " VALUES (?, ?, 'S', 2, ?, ?)",
            (handle, handle, to_ts(T0), to_ts(T0)),
        )
        return int(cursor.lastrowid)


async def test_stage_changes_are_guarded_and_audited(services: Services) -> None:
    repo = services.repo(Samples)
    creator = await _creator(services)
    number = await repo.create(
        creator_id=creator, owner_id=2, product="Mask", shipping_order_id=None, urgent=False, now=T0
    )
    sample = await repo.get(number)
    assert (sample.handle, sample.stage, sample.tier) == ("lily", "shipped", "S")
    with pytest.raises(StageError) as refused:
        await repo.change(sample, [Event.VIDEO], actor_id=2, now=T0)
    assert refused.value.code == "not_signed"
    await repo.change(sample, [Event.SIGN], actor_id=2, now=T0, fields={"signed_at": T0})
    # A second writer holding the old row loses instead of overwriting.
    with pytest.raises(SampleStoreError) as lost:
        await repo.change(sample, [Event.SIGN], actor_id=3, now=T0)
    assert lost.value.code == "changed"
    assert [e.action for e in await services.audit.entries("sample", number)] == ["sign", "sample"]
    contact = await services.db.fetchval("SELECT last_contact_at FROM creators")
    assert contact == to_ts(T0)


async def test_a_video_link_belongs_to_one_sample(services: Services) -> None:
    repo = services.repo(Samples)
    creator = await _creator(services)
    ids = [
        await repo.create(
            creator_id=creator, owner_id=2, product=p, shipping_order_id=None, urgent=False, now=T0
        )
        for p in ("A", "B")
    ]
    for number in ids:
        await repo.change(await repo.get(number), [Event.SIGN], actor_id=2, now=T0)
    video = {"video_url": "https://v.douyin.com/x", "video_key": "https://v.douyin.com/x"}
    await repo.change(await repo.get(ids[0]), [Event.VIDEO], actor_id=2, now=T0, fields=video)
    assert await repo.video_owner("https://v.douyin.com/x") == ids[0]
    with pytest.raises(SampleStoreError) as dup:
        await repo.change(await repo.get(ids[1]), [Event.VIDEO], actor_id=2, now=T0, fields=video)
    assert dup.value.code == "duplicate_video"
    assert (await repo.get(ids[1])).stage == "signed"


async def test_chase_rounds_count_once_and_the_scan_reads_due_rows(services: Services) -> None:
    repo = services.repo(Samples)
    creator = await _creator(services)
    number = await repo.create(
        creator_id=creator, owner_id=2, product="Mask", shipping_order_id=None, urgent=False, now=T0
    )
    due = T0 + timedelta(days=2)
    await repo.change(
        await repo.get(number),
        [Event.SIGN],
        actor_id=2,
        now=T0,
        fields={"signed_at": T0, "chase_due_at": due},
    )
    assert await repo.due_chases(due - timedelta(seconds=1)) == []
    [found] = await repo.due_chases(due)
    assert found.id == number and found.chase_due_at == due
    sample = await repo.get(number)
    assert await repo.log_chase(sample, by_id=2, replied=True, reminder=1, now=due)
    assert not await repo.log_chase(sample, by_id=3, replied=False, reminder=1, now=due)
    assert await repo.log_chase(sample, by_id=2, replied=False, reminder=None, now=due)
    assert await repo.log_chase(sample, by_id=2, replied=False, reminder=None, now=due)
    row = await services.db.fetchone("SELECT chases, chases_replied FROM samples")
    assert tuple(row) == (3, 1)
    answer = await repo.chase_by_round(number, 1)
    assert (answer.by_id, answer.replied) == (2, True)


async def test_pipeline_counts_and_ads_report(services: Services) -> None:
    repo = services.repo(Samples)
    creator = await _creator(services)
    for owner in (2, 2, 3):
        await repo.create(
            creator_id=creator,
            owner_id=owner,
            product="P",
            shipping_order_id=None,
            urgent=False,
            now=T0,
        )
    counts = {(r.owner_id, r.stage): r.n for r in await repo.stage_counts(None)}
    assert counts == {(2, "shipped"): 2, (3, "shipped"): 1}
    assert [(r.owner_id, r.stage, r.n) for r in await repo.stage_counts(3)] == [(3, "shipped", 1)]
    assert await repo.count_open(creator, 2) == 2
    sample = await repo.get(1)
    events = [Event.SIGN, Event.VIDEO, Event.RATE_GOOD, Event.CODE, Event.HAND_TO_ADS]
    await repo.change(sample, events, actor_id=2, now=T0)
    report, stage = await repo.report_ads(
        await repo.get(1), AdStats(100_00, 1000, 10, 1, 500_00), reporter_id=4, now=T0
    )
    assert stage == "done" and report == 1
    assert await repo.count_open(creator, 2) == 1
    assert await repo.completed_count(creator, besides=2) == 1
