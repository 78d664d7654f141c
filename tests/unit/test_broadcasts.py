"""Announcements' pure rules: what may be announced, the keys, the tally, the progress bar,
the edit spacing; and the pump's pacer, on a fake clock."""

from __future__ import annotations

import asyncio
import random
import time

import pytest

from bot.domain.broadcasts import (
    MAX_BODY,
    PROGRESS_EVERY,
    Tally,
    dm_key,
    dm_prefix,
    edit_due,
    key_range,
    progress_bar,
    report_key,
    text_problem,
)
from bot.jobs import Pacer


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ("", "empty"),
        ("   \n ", "empty"),
        ("<b></b>", "empty"),
        ("你好", None),
        ("长" * MAX_BODY, None),
        ("长" * (MAX_BODY + 1), "too_long"),
        ("<b>" + "x" * MAX_BODY + "</b>", None),  # tags are not what Telegram counts
    ],
)
def test_text_problem(body: str, problem: str | None) -> None:
    assert text_problem(body) == problem


def test_keys_of_one_broadcast_share_a_range_that_no_other_key_falls_in() -> None:
    low, high = key_range(dm_prefix(7))
    inside = [dm_key(7, 1), dm_key(7, 999999999)]
    outside = [dm_key(70, 1), dm_key(8, 1), report_key(7), "dm_all:7", "dm_all:6:5"]
    assert all(low <= key < high for key in inside)
    assert not any(low <= key < high for key in outside)


def test_tally_reads_outbox_statuses() -> None:
    tally = Tally.of(10, {"sent": 5, "unreachable": 2, "failed": 1, "pending": 2})
    assert (tally.sent, tally.blocked, tally.failed, tally.stopped) == (5, 2, 1, 0)
    assert tally.pending == 2 and not tally.done
    stopped = Tally.of(10, {"sent": 5, "unreachable": 2, "failed": 1, "cancelled": 2})
    assert stopped.done and stopped.stopped == 2
    assert Tally.of(0, {}).done


@pytest.mark.parametrize(
    ("handled", "total", "bar"),
    [
        (0, 10, "▱▱▱▱▱▱▱▱▱▱"),
        (1, 1000, "▰▱▱▱▱▱▱▱▱▱"),  # something happened: never shown as nothing
        (5, 10, "▰▰▰▰▰▱▱▱▱▱"),
        (999, 1000, "▰▰▰▰▰▰▰▰▰▱"),  # not done: never shown as full
        (10, 10, "▰▰▰▰▰▰▰▰▰▰"),
        (0, 0, "▰▰▰▰▰▰▰▰▰▰"),
    ],
)
def test_progress_bar(handled: int, total: int, bar: str) -> None:
    assert progress_bar(handled, total) == bar


def test_edits_are_spaced() -> None:
    assert edit_due(None, 100.0) == 0
    assert edit_due(100.0, 101.0) == PROGRESS_EVERY - 1
    assert edit_due(100.0, 100.0 + PROGRESS_EVERY) == 0
    assert edit_due(100.0, 200.0) == 0


class FakeTime:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


async def test_the_pacer_holds_a_send_until_period_after_its_answer() -> None:
    clock = FakeTime()
    pacer = Pacer(limit=2, period=1.0, clock=clock)
    async with pacer.sending():
        assert pacer.delay() == 0  # one in flight, room for another
        async with pacer.sending():
            assert pacer.delay() > 0  # both in flight: wait for an answer
        clock.now = 0.5  # the second was answered at 0
        assert pacer.delay() == pytest.approx(0.5)
    clock.now = 1.0  # the first was answered at 0.5
    assert pacer.delay() == 0  # the second's period is over
    async with pacer.sending():
        assert pacer.delay() == pytest.approx(0.5)  # until the first's period is over


def test_the_pacer_pauses_after_a_429() -> None:
    clock = FakeTime()
    pacer = Pacer(limit=30, period=1.0, clock=clock)
    pacer.pause(5)
    assert pacer.delay() == 5
    clock.now = 5.0
    assert pacer.delay() == 0


async def test_no_second_sees_more_than_the_limit_whatever_the_delays() -> None:
    """Arrivals fall anywhere between start and answer; count them per sliding second."""
    pacer = Pacer(limit=5, period=0.21)  # a 0.2 s "second", so the test runs quickly
    arrivals: list[float] = []
    rng = random.Random(7)

    async def send() -> None:
        async with pacer.sending():
            start = time.monotonic()
            await asyncio.sleep(rng.uniform(0, 0.06))
            arrivals.append(start + (time.monotonic() - start) * rng.random())

    await asyncio.gather(*(send() for _ in range(40)))
    arrivals.sort()
    for i, at in enumerate(arrivals):
        assert sum(1 for later in arrivals[i:] if later - at < 0.2) <= 5
