"""Challenges on a real database: stored and audited, read by the commission repository as
boosts, frozen with a settlement, and never reaching into a settled month afterwards."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from bot.domain.challenges import ChallengeError
from bot.services import Services
from storage.challenges import Challenges, board_prefix
from storage.commission import Commission
from storage.outbox import Queued
from tests.conftest import T0
from tests.storage.test_commission_repo import TZ, add_orders, worked_example

DEC_10 = datetime(2026, 12, 10, 12, 0, tzinfo=TZ)


async def test_create_list_end_and_audit(services: Services) -> None:
    repo = services.repo(Challenges)
    made = await repo.create(
        "SKU-9", Decimal("0.2"), date(2026, 11, 20), date(2026, 11, 30), actor_id=1, now=T0,
        announce=lambda c: [Queued(f"challenge:{c.id}:new", -5, f"#{c.id}")],
    )  # fmt: skip
    assert await repo.get(made.id) == made
    assert await services.outbox.state("challenge:1:new") is not None
    await services.outbox.enqueue(f"{board_prefix(1)}2026-11-23", -5, "board", due_at=T0, now=T0)
    ended = await repo.end(made, date(2026, 11, 22), actor_id=1, now=T0)
    assert (ended.end, ended.planned_end, ended.ended_at) == (
        date(2026, 11, 22), date(2026, 11, 30), T0)  # fmt: skip
    assert await repo.get(made.id) == ended
    assert (await services.outbox.state("challenge:1:board:2026-11-23")).status == "cancelled"
    assert (await services.outbox.state("challenge:1:new")).status == "pending"
    actions = await services.db.fetchall(
        "SELECT action FROM audit WHERE entity = 'challenge' ORDER BY id"
    )
    assert [r[0] for r in actions] == ["create", "end"]
    assert [c.id for c in await repo.since(date(2026, 11, 22))] == [1]
    assert await repo.since(date(2026, 11, 23)) == []
    with pytest.raises(ChallengeError):
        await repo.get(2)


async def test_only_challenges_covering_the_month_are_read(services: Services) -> None:
    repo = services.repo(Challenges)
    for start, end in ((date(2026, 10, 1), date(2026, 10, 31)),
                       (date(2026, 11, 30), date(2026, 12, 2))):  # fmt: skip
        await repo.create("S", Decimal("0.3"), start, end, actor_id=1, now=T0)
    rules = await services.commission.in_force(services.rules, (2026, 11))
    assert [(b.sku, b.start) for b in rules.boosts] == [
        ("SKU-001", date(2026, 11, 1)), ("S", date(2026, 11, 30))]  # fmt: skip
    assert await services.commission.in_force(services.rules, (2026, 9)) is services.rules


async def test_a_settled_month_keeps_its_boosts_and_ignores_later_challenges(
    services: Services,
) -> None:
    await worked_example(services)
    challenges, commission = services.repo(Challenges), services.repo(Commission)
    # B's b1 (SKU-002, 11-06) at 20% instead of 6%: 1,000.00 × 20% = 200.00.
    await challenges.create("SKU-002", Decimal("0.2"), date(2026, 11, 6), date(2026, 11, 6),
                            actor_id=1, now=T0)  # fmt: skip
    b, _ = await commission.statement(services.rules, "B", (2026, 11), TZ, T0)
    assert b.direct == 200_00
    await commission.settle(services.rules, (2026, 11), TZ, DEC_10, actor_id=1)
    frozen = (await commission.settled())[(2026, 11)].rules
    assert len(frozen.boosts) == 2  # the file's SKU-001 boost and the challenge, frozen
    # A challenge made after the settlement on a settled day changes neither the settled
    # statement nor, through an adjustment, December's.
    await challenges.create("SKU-002", Decimal("0.5"), date(2026, 11, 1), date(2026, 12, 31),
                            actor_id=1, now=DEC_10)  # fmt: skip
    nov, settled = await commission.statement(services.rules, "B", (2026, 11), TZ, DEC_10)
    assert settled is not None and nov.direct == 200_00
    await add_orders(services.db, [("d1", "B", "2026-12-02 10:00", "SKU-002", 10000, 0, "paid",
                                    "u9")])  # fmt: skip
    dec, _ = await commission.statement(services.rules, "B", (2026, 12), TZ, DEC_10)
    assert (dec.direct, dec.adjustment) == (50_00, 0)
