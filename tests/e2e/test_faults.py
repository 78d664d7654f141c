"""Telegram's failures against the real stack (tests/faulty_api.py): every message is delivered
once or reported, a chat that refuses is marked and skipped, a group that became a supergroup
is followed with its registration, data and queued messages, and the bot keeps answering."""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator
from datetime import timedelta

import httpx
import pytest
from telegram.error import NetworkError, TimedOut

from bot.delivery import may_have_arrived
from bot.offline.driver import Driver
from storage.outbox import AT_LEAST_ONCE, AT_MOST_ONCE, UNCERTAIN, Queued
from tests.conftest import T0
from tests.e2e.conftest import ADA, BOB, CAI, EVE
from tests.faulty_api import FaultyBotAPI

PEOPLE = range(500, 560)
OLD_GROUP, SUPERGROUP = -55, -1000055


@pytest.fixture
async def api() -> AsyncIterator[FaultyBotAPI]:
    server = FaultyBotAPI(bot_username="crewbot_bot")
    await server.start()
    server.user(ADA, "Ada", username="ada")
    server.user(BOB, "Bob", username="bob")
    server.user(CAI, "蔡小明", username="cai")
    server.user(EVE, "Eve", username="eve", language_code="en")
    for person in PEOPLE:
        server.user(person, f"P{person}", started=True)
    yield server
    await server.stop()


def copies(api: FaultyBotAPI, prefix: str) -> Counter[int]:
    """How many messages starting with `prefix` each chat received."""
    return Counter(m.chat_id for m in api.sent if m.text.startswith(prefix))


async def queue(bot: Driver, tag: str, people, delivery: str = AT_MOST_ONCE) -> None:  # type: ignore[no-untyped-def]
    items = [Queued(f"{tag}:{p}", p, f"{tag} for {p}", delivery=delivery) for p in people]
    await bot.services.outbox.enqueue_all(items, due_at=T0, now=T0)


async def status(bot: Driver, key: str) -> tuple[str, str | None]:
    state = await bot.services.outbox.state(key)
    assert state is not None
    return state.status, state.last_error


async def test_connections_dropped_after_acceptance_repeat_nothing(
    bot: Driver, api: FaultyBotAPI
) -> None:
    # Seen: 27 connections dropped after Telegram accepted a message gave 25 extra copies.
    people = list(PEOPLE)
    dropped = set(people[::2][:27])
    api.fault("drop_after", chats=dropped, times=len(dropped))
    await queue(bot, "notice", people)
    await bot.tick()
    await bot.wait(timedelta(hours=2))  # every backoff is over
    assert copies(api, "notice") == Counter({p: 1 for p in people})
    for person in dropped:  # arrived, but the bot could not know: reported, not repeated
        state, error = await status(bot, f"notice:{person}")
        assert state == "failed" and error.startswith(UNCERTAIN)
    assert (await status(bot, f"notice:{people[1]}"))[0] == "sent"


async def test_each_fault_ends_delivered_once_or_reported(bot: Driver, api: FaultyBotAPI) -> None:
    p = list(PEOPLE)
    api.fault("flood", chats={p[0]}, retry_after=1, times=3)  # beyond the limiter's 2 retries
    api.fault("server", chats={p[1]}, status=502)
    api.fault("drop_before", chats={p[2], p[4]}, times=2)
    api.fault("drop_after", chats={p[3], p[5]}, times=2)
    await queue(bot, "remind", p[:4])
    await queue(bot, "settle", p[4:6], AT_LEAST_ONCE)
    await bot.tick()
    await bot.wait(timedelta(hours=2))
    await bot.wait(timedelta(hours=2))
    got = copies(api, "remind") + copies(api, "settle")
    # A drop before the request was processed loses an at-most-once message, reported; a
    # drop after it gives an at-least-once message its one repeat.
    assert got == Counter({p[0]: 1, p[1]: 1, p[3]: 1, p[4]: 1, p[5]: 2})
    assert (await status(bot, f"remind:{p[0]}"))[0] == "sent"
    assert (await status(bot, f"remind:{p[1]}"))[0] == "sent"
    for key in (f"remind:{p[2]}", f"remind:{p[3]}"):
        state, error = await status(bot, key)
        assert state == "failed" and error.startswith(UNCERTAIN)
    for key in (f"settle:{p[4]}", f"settle:{p[5]}"):
        state, error = await status(bot, key)
        assert state == "sent" and error.startswith(UNCERTAIN)
    assert [(m.chat_id, "你好" in m.text) for m in await bot.say(BOB, BOB, "/start")] == [
        (BOB, True)
    ]


async def test_a_blocked_person_is_marked_and_skipped(bot: Driver, api: FaultyBotAPI) -> None:
    person = PEOPLE[0]
    await bot.say(person, person, "/start")
    api.fault("blocked", chats={person}, times=None)
    outbox = bot.services.outbox
    for n in range(3):
        await outbox.enqueue(f"nudge:{n}", person, f"nudge {n}", due_at=T0, now=T0)
    await outbox.enqueue("nudge:other", PEOPLE[1], "nudge", due_at=T0, now=T0)
    sent = await bot.tick()
    assert [m.chat_id for m in sent] == [PEOPLE[1]]
    assert (await bot.services.users.get(person)).unreachable
    # One refusal is enough: the person's other messages go without asking Telegram again.
    assert [f.hits for f in api.faults] == [[person]]
    for n in range(3):
        assert (await status(bot, f"nudge:{n}"))[0] == "unreachable"
    assert await bot.wait(timedelta(hours=2)) == []


async def _five_signed_samples(bot: Driver, api: FaultyBotAPI) -> None:
    api.group(OLD_GROUP, "Old BD", admins={ADA}, members={ADA, BOB}, type="group")
    await bot.say(ADA, OLD_GROUP, "/setup bd")
    for n in range(5):
        await bot.say(BOB, OLD_GROUP, f"/creator_add kol{n} A")
        await bot.say(BOB, OLD_GROUP, f"/sample kol{n} Mask")
        await bot.say(BOB, OLD_GROUP, f"/signed #{n + 1}")


async def test_chase_reminders_follow_a_group_that_became_a_supergroup(
    bot: Driver, api: FaultyBotAPI
) -> None:
    # Seen: the outbox retried the old id and 0 of 5 chase reminders arrived.
    await _five_signed_samples(bot, api)
    api.upgrade_quietly(OLD_GROUP, SUPERGROUP)  # the bot learns it from the first send
    sent = await bot.wait(timedelta(days=2))
    reminders = [m for m in sent if m.text.startswith("⏰")]
    assert len(reminders) == 5 and {m.chat_id for m in reminders} == {SUPERGROUP}
    assert sum(1 for c in api.calls("sendMessage") if c.error) == 1  # one refusal, followed
    assert (await bot.services.chats.by_purpose("bd")).chat_id == SUPERGROUP
    moved = await bot.services.db.fetchval(
        "SELECT COUNT(*) FROM audit WHERE action = 'migrate' AND entity_id = ?",
        (str(SUPERGROUP),),
    )
    assert moved == 1
    # The service message may come after all: moving again changes nothing.
    assert await bot.services.chats.migrate(OLD_GROUP, SUPERGROUP, now=T0) == []
    assert (await bot.services.chats.by_purpose("bd")).chat_id == SUPERGROUP
    # The registration followed: the BD chat's commands work in the supergroup.
    [answer] = await bot.say(BOB, SUPERGROUP, "/chased #1")
    assert answer.chat_id == SUPERGROUP and "#1" in answer.text


async def test_the_service_message_moves_queued_messages_too(
    bot: Driver, api: FaultyBotAPI
) -> None:
    await _five_signed_samples(bot, api)
    later = T0 + timedelta(hours=1)
    await bot.services.outbox.enqueue("note:1", OLD_GROUP, "later", due_at=later, now=T0)
    api.migrate_chat(OLD_GROUP, SUPERGROUP)
    await bot.settle()
    assert (await bot.services.outbox.state("note:1")).chat_id == SUPERGROUP
    [note] = await bot.wait(timedelta(hours=1))
    assert (note.chat_id, note.text) == (SUPERGROUP, "later")
    assert api.faults == [] and not any(c.error for c in api.calls("sendMessage"))


@pytest.mark.parametrize(
    ("error", "arrived"),
    [
        (httpx.RemoteProtocolError("Server disconnected without sending a response."), True),
        (httpx.ReadError("connection reset"), True),
        (httpx.ReadTimeout("no answer"), True),
        (httpx.ConnectError("refused"), False),
        (httpx.ConnectTimeout("no route"), False),
        (httpx.PoolTimeout("pool full"), False),
        (None, False),  # an HTTP answer such as 502: Telegram said it did not take it
    ],
)
def test_which_network_errors_may_have_delivered(error: Exception | None, arrived: bool) -> None:
    kind = TimedOut if isinstance(error, httpx.TimeoutException) else NetworkError
    try:
        try:
            if error is not None:
                raise error
            raise NetworkError("Bad Gateway")
        except httpx.HTTPError as exc:
            raise kind(f"httpx.{type(exc).__name__}") from exc
    except NetworkError as exc:
        assert may_have_arrived(exc) is arrived
