"""Replies before bulk sends: with the production rate limiter, a 2,000-recipient /dm_all
draining through a stand-in that enforces 30 messages a second leaves room for people's
/start, answered within about a second, and the server never answers 429."""

from __future__ import annotations

import asyncio

from bot import app as application
from bot.config import Settings
from bot.offline.driver import Driver
from bot.send_budget import SendBudget
from bot.services import Services
from tests.e2e.conftest import ADA
from tests.e2e.test_announcements import bind_directly, dms
from tests.throttled_api import ThrottledBotAPI

SHARERS = {10_000 + i: f"S{i:04d}" for i in range(2_000)}
ASKING = [50 + i for i in range(5)]  # people who are not sharers: /start, all at once


async def test_replies_go_first_while_a_broadcast_drains(
    settings: Settings, services: Services
) -> None:
    api = ThrottledBotAPI(limit=30, window=1.0)
    await api.start()
    api.user(ADA, "Ada", username="ada")
    for user_id, name in SHARERS.items():
        api.user(user_id, name, started=True)
    for user_id in ASKING:
        api.user(user_id, f"P{user_id}")
    await bind_directly(services.db, SHARERS)
    app = application.build_application(
        settings, services, base_url=api.base_url, base_file_url=api.base_file_url,
        token="123456:LOCAL", rate_limited=True,
    )  # fmt: skip
    await application.start(app, poll_timeout=1)
    bot = Driver(api, app, services)
    loop = asyncio.get_running_loop()
    try:
        [preview] = await bot.say(ADA, ADA, "/dm_all 今晚8点开播")
        await asyncio.sleep(1)  # the manager reads the preview; the server's second passes
        api.press(ADA, preview, "发送")
        while len(dms(api, set(SHARERS))) < 60:  # two seconds into the drain
            await asyncio.sleep(0.02)
        asked, answered = loop.time(), {}
        for user_id in ASKING:
            api.send_message(user_id, user_id, "/start")
        while len(answered) < len(ASKING) and loop.time() - asked < 5:
            for message in api.sent:
                if message.chat_id in ASKING and message.chat_id not in answered:
                    answered[message.chat_id] = loop.time() - asked
            await asyncio.sleep(0.01)
        sent_by_then = len(dms(api, set(SHARERS)))
        await asyncio.sleep(1)
        drained = len(dms(api, set(SHARERS))) - sent_by_then
    finally:
        await application.stop(app)
        await api.stop()
    assert sorted(answered) == ASKING
    # Behind the broadcast they would wait a minute (1,940 DMs at 30/s); the margin is for a
    # shared machine's noise, not for the limiter.
    assert max(answered.values()) < 2.0, answered
    assert api.throttled == [] and api.busiest_window() <= 30
    assert drained >= 10  # the broadcast goes on beside them, near its pace


async def test_bulk_waits_for_replies_and_leaves_room() -> None:
    now = [0.0]
    budget = SendBudget(limit=5, reserve=2, period=1.0, clock=lambda: now[0])
    for _ in range(3):  # bulk fills its share: 5 - 2
        async with budget.holding(reply=False):
            pass
    bulk = asyncio.ensure_future(_hold(budget, reply=False))
    await asyncio.sleep(0.01)
    assert not bulk.done()  # no room left for bulk…
    async with budget.holding(reply=True), budget.holding(reply=True):
        assert budget.count() == 5  # …while replies still had two
    reply = asyncio.ensure_future(_hold(budget, reply=True))
    await asyncio.sleep(0.01)
    assert not reply.done()  # all five counted: the next reply waits too
    now[0] = 1.5  # a second after their answers they no longer count
    await asyncio.wait_for(asyncio.gather(reply, bulk), 2)
    assert (budget.replies, budget.bulk) == (3, 4)


async def _hold(budget: SendBudget, *, reply: bool) -> None:
    async with budget.holding(reply):
        pass
