"""The lives store: a post is queued with its step or not at all; forwards count once."""

from __future__ import annotations

from datetime import timedelta

from bot.domain.lives import LiveRequest, Owed, Schedule, Step
from bot.services import Services
from storage.lives import Lives
from storage.outbox import Queued
from tests.conftest import T0

START = T0 + timedelta(hours=10)


async def _live(services: Services) -> Lives:
    lives = services.repo(Lives)
    request = LiveRequest(Schedule(once=START), "https://x.example/r", "Sale")
    plan = Owed(Step.ANNOUNCED, Step.ANNOUNCED, START - timedelta(minutes=30))

    def announce(live_id: int) -> Queued:
        return Queued(f"live:{live_id}:a", -1003, "announced")

    await lives.create(request, START, plan, announce, actor_id=1, now=T0)
    return lives


async def test_create_stores_the_first_date_and_queues_the_announcement(
    services: Services,
) -> None:
    lives = await _live(services)
    [item] = await lives.upcoming(T0)
    assert (item.live.id, item.live.title, item.date.step) == (1, "Sale", Step.ANNOUNCED)
    assert (await services.outbox.state("live:1:a")).status == "pending"
    [entry] = await services.audit.entries("live", 1)
    assert (entry.action, entry.actor_id) == ("live_add", 1)


async def test_a_cancelled_date_gets_nothing_queued(services: Services) -> None:
    lives = await _live(services)
    [item] = await lives.due_dates(START)
    await lives.cancel_live(item.live, actor_id=1, now=T0)
    message = Queued("live:1:r", -1003, "reminder")
    assert not await lives.advance(item.date, Step.REMINDED, START, message, now=START)
    assert await services.outbox.state("live:1:r") is None
    assert await lives.upcoming(T0) == []


async def test_advance_moves_on_from_the_step_it_was_read_at_only(services: Services) -> None:
    lives = await _live(services)
    [item] = await lives.due_dates(START)
    message = Queued("live:1:r", -1003, "reminder")
    assert await lives.advance(item.date, Step.REMINDED, START, message, now=START)
    # A second tick holding the same stale read changes nothing.
    assert not await lives.advance(item.date, Step.REMINDED, START, message, now=START)
    assert (await lives.date(item.date.id)).date.step == Step.REMINDED


async def test_forwards_count_once_per_sharer(services: Services) -> None:
    lives = await _live(services)
    assert await lives.add_forward(1, "A", 2, now=START)
    assert not await lives.add_forward(1, "A", 2, now=START)
    assert await lives.add_forward(1, "B", 3, now=START)
    assert await lives.forward_count(1) == 2
    day = (START - timedelta(hours=1), START + timedelta(hours=1))
    assert await lives.forwards_by_sharer(*day) == {"A": 1, "B": 1}
    assert await lives.forwards_in_month("A", (2026, 11), services.settings.tz) == 1
    assert await lives.forwards_in_month("A", (2026, 12), services.settings.tz) == 0
