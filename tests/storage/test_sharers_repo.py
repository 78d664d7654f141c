"""The sharer repository on a real database: one person per id, decisions once, no loops."""

from __future__ import annotations

import pytest

from bot.services import Services
from storage.sharers import SharerError, Sharers
from tests.conftest import T0
from tests.storage.test_commission_repo import add_orders, add_roster


async def _repo(services: Services) -> Sharers:
    await add_roster(services.db, [("A", "Ann", "", "", ""), ("B", "Ben", "", "A", "")])
    await add_orders(services.db, [("x", "Z", "2026-11-01 10:00", "S", 100, 0, "paid", "")])
    return services.repo(Sharers)


async def test_known_ids_come_from_the_roster_or_orders(services: Services) -> None:
    repo = await _repo(services)
    assert await repo.known("A") and await repo.known("Z") and not await repo.known("Q")


async def test_a_request_is_decided_once_and_binds_one_person(services: Services) -> None:
    repo = await _repo(services)
    request = await repo.request_bind(10, "Z", now=T0)
    with pytest.raises(SharerError) as pending:
        await repo.request_bind(11, "Z", now=T0)
    assert pending.value.code == "pending"
    decided, _ = await repo.decide(request.id, True, actor_id=1, now=T0)
    assert decided.status == "approved" and (await repo.by_user(10)).sharer_id == "Z"
    with pytest.raises(SharerError) as again:
        await repo.decide(request.id, False, actor_id=1, now=T0)
    assert again.value.code == "decided"
    with pytest.raises(SharerError) as taken:
        await repo.request_bind(11, "Z", now=T0)
    assert taken.value.code == "taken"


async def test_remembered_referral_applies_on_approval_and_loops_are_refused(
    services: Services,
) -> None:
    repo = await _repo(services)
    request = await repo.request_bind(20, "B", now=T0)
    await repo.decide(request.id, True, actor_id=1, now=T0)
    code = await repo.referral_code("B", now=T0)
    outcome, inviter = await repo.open_referral(30, code, now=T0)  # 30 is not bound yet
    assert (outcome, inviter.sharer_id) == ("remembered", "B")
    request = await repo.request_bind(30, "A", now=T0)
    _, applied = await repo.decide(request.id, True, actor_id=1, now=T0)
    # A invited B, so B inviting A would be a loop: the remembered link is dropped.
    assert applied is None and (await repo.get("A")).inviter_id == ""
    with pytest.raises(SharerError) as loop:
        await repo.open_referral(30, code, now=T0)
    assert loop.value.code == "cycle"
