"""The per-chat update processor: arrival order in a chat, chats at once, bounded, no leaks."""

from __future__ import annotations

import asyncio
from typing import Any

from telegram import CallbackQuery, Chat, Message, Update, User

from bot.update_order import ChatOrderProcessor, order_key

GROUP, OTHER = -1001, -1002
ADA, BOB = 1, 2
_next_id = iter(range(1, 10**6))


def message(chat_id: int, user_id: int = ADA) -> Update:
    chat = Chat(chat_id, Chat.PRIVATE if chat_id > 0 else Chat.SUPERGROUP)
    sender = User(user_id, "P", is_bot=False)
    return Update(next(_next_id), message=Message(1, None, chat, from_user=sender))  # type: ignore[arg-type]


def press(chat_id: int, user_id: int) -> Update:
    chat = Chat(chat_id, Chat.SUPERGROUP)
    sender = User(user_id, "P", is_bot=False)
    on = Message(5, None, chat)  # type: ignore[arg-type]
    query = CallbackQuery("q", sender, "ci", message=on, data="x:1")
    return Update(next(_next_id), callback_query=query)


def inline_press(user_id: int) -> Update:
    query = CallbackQuery("q", User(user_id, "P", is_bot=False), "ci", inline_message_id="i")
    return Update(next(_next_id), callback_query=query)


def test_keys_follow_the_chat_then_the_sender() -> None:
    assert order_key(message(GROUP, BOB)) == GROUP
    assert order_key(message(BOB, BOB)) == BOB
    assert order_key(press(GROUP, BOB)) == GROUP  # a button follows its message's chat
    assert order_key(inline_press(BOB)) == BOB  # same line as Bob's private chat
    assert order_key(Update(next(_next_id))) is None
    assert order_key("not an update") is None


async def _feed(processor: ChatOrderProcessor, jobs: list[tuple[object, Any]]) -> None:
    """Hand updates over as PTB's fetcher does: one task each, in arrival order."""
    tasks = [asyncio.create_task(processor.process_update(u, c)) for u, c in jobs]
    await asyncio.gather(*tasks)


async def test_one_chat_runs_in_arrival_order_even_when_early_ones_are_slow() -> None:
    processor = ChatOrderProcessor(8)
    done: list[int] = []

    async def work(n: int) -> None:
        # The earlier updates take longer: without the line they would finish last.
        await asyncio.sleep(0.002 * (10 - n))
        done.append(n)

    await _feed(processor, [(message(GROUP), work(n)) for n in range(10)])
    assert done == list(range(10))
    assert processor.waiting_chats == 0 and processor.current_concurrent_updates == 0


async def test_different_chats_run_at_the_same_time() -> None:
    processor = ChatOrderProcessor(8)
    release = asyncio.Event()
    events: list[str] = []

    async def slow() -> None:
        events.append("slow started")
        await release.wait()
        events.append("slow done")

    async def quick() -> None:
        events.append("quick")
        release.set()

    # If chats shared one lock, `quick` would wait for `slow`, which waits for `quick`.
    await asyncio.wait_for(
        _feed(processor, [(message(GROUP), slow()), (message(OTHER), quick())]), 2
    )
    assert events == ["slow started", "quick", "slow done"]


async def test_a_busy_chat_does_not_take_every_slot() -> None:
    """300 waiting updates of one chat with 4 slots: another chat still runs at once."""
    processor = ChatOrderProcessor(4)
    release = asyncio.Event()
    other_ran = asyncio.Event()

    async def blocked() -> None:
        await release.wait()

    async def other() -> None:
        other_ran.set()

    busy = [(message(GROUP), blocked()) for _ in range(300)]
    tasks = [asyncio.create_task(processor.process_update(u, c)) for u, c in busy]
    tasks.append(asyncio.create_task(processor.process_update(message(OTHER), other())))
    await asyncio.wait_for(other_ran.wait(), 2)
    assert processor.current_concurrent_updates == 300  # the other chat's update is done
    release.set()
    await asyncio.gather(*tasks)


async def test_running_updates_are_bounded() -> None:
    processor = ChatOrderProcessor(3)
    peak = 0

    async def work() -> None:
        nonlocal peak
        peak = max(peak, processor.running)
        await asyncio.sleep(0.005)

    await _feed(processor, [(message(-100 - n), work()) for n in range(20)])
    assert peak == 3


async def test_lines_are_dropped_and_a_failure_or_cancel_passes_the_turn_on() -> None:
    processor = ChatOrderProcessor(8)
    done: list[str] = []

    async def fail() -> None:
        raise ValueError("handler bug")

    async def ok(name: str) -> None:
        done.append(name)

    gate = asyncio.Event()

    async def wait_gate() -> None:
        await gate.wait()

    first = asyncio.create_task(processor.process_update(message(GROUP), wait_gate()))
    cancelled = asyncio.create_task(processor.process_update(message(GROUP), ok("never")))
    failing = asyncio.create_task(processor.process_update(message(GROUP), fail()))
    last = asyncio.create_task(processor.process_update(message(GROUP), ok("last")))
    await asyncio.sleep(0)
    cancelled.cancel()
    gate.set()
    results = await asyncio.gather(first, cancelled, failing, last, return_exceptions=True)
    assert isinstance(results[1], asyncio.CancelledError)
    assert isinstance(results[2], ValueError)
    assert done == ["last"]
    assert processor.waiting_chats == 0 and processor.current_concurrent_updates == 0


async def test_many_chats_leave_no_lines_behind() -> None:
    processor = ChatOrderProcessor(16)

    async def nothing() -> None:
        await asyncio.sleep(0)

    await _feed(processor, [(message(-(10**6) - n), nothing()) for n in range(5_000)])
    assert processor.waiting_chats == 0
    assert processor._lines == {}


async def test_free_updates_run_without_a_line() -> None:
    processor = ChatOrderProcessor(2)
    ran: list[int] = []

    async def work(n: int) -> None:
        ran.append(n)

    await _feed(processor, [(Update(next(_next_id)), work(n)) for n in range(5)])
    assert sorted(ran) == list(range(5)) and processor.waiting_chats == 0
