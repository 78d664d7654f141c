"""Announcements through the real bot: /broadcast to the sharers' group, /dm_all to every
bound sharer privately with one progress message and a final report, resumed after a restart
with nobody written to twice, and sharers who blocked the bot marked and left out."""

from __future__ import annotations

import asyncio
import itertools
from collections import Counter

import pytest

import handlers.announcements as announcements
from bot import jobs
from bot.config import Settings
from bot.domain.broadcasts import PROGRESS_EVERY
from bot.offline.driver import Driver, running_bot
from bot.offline.local_api import LocalBotAPI, SentMessage
from bot.services import Services
from storage.db import Database
from tests.e2e.conftest import ADA, BOB, CAI, EVE, MANAGERS_CHAT, SHARERS_CHAT, setup_chats
from tests.throttled_api import ThrottledBotAPI

HEADER = "📢 公告\n\n"


async def bind_directly(db: Database, people: dict[int, str]) -> None:
    """Bound sharers without the /bind round trips (tested in test_sharers.py)."""
    async with db.transaction() as conn:
        for user_id, sharer_id in people.items():
            await conn.execute(
                "INSERT INTO sharers (sharer_id, name, user_id, created_at, updated_at)"
                " VALUES (?, ?, ?, 0, 0)",
                (sharer_id, sharer_id, user_id),
            )


async def three_sharers(bot: Driver) -> None:
    await bind_directly(bot.services.db, {BOB: "B", CAI: "C", EVE: "E"})
    for person in (BOB, CAI, EVE):
        await bot.say(person, person, "/start")


def dms(api: LocalBotAPI, people: set[int]) -> list[SentMessage]:
    return [m for m in api.sent if m.chat_id in people and m.text.startswith("📢")]


async def test_dm_all_previews_then_writes_to_each_sharer_once(
    bot: Driver, api: LocalBotAPI
) -> None:
    await three_sharers(bot)
    [preview] = await bot.say(ADA, ADA, "/dm_all 周五晚上8点直播，<记得>转发！")
    assert preview.text == f"要私信发给 3 名分享员吗？\n—\n{HEADER}周五晚上8点直播，<记得>转发！"
    assert preview.buttons == [[("发送", "dm_all:send:1"), ("取消", "dm_all:cancel:1")]]
    assert dms(api, {BOB, CAI, EVE}) == []  # nothing before [Send]
    await bot.press(ADA, preview, "发送")
    report = await api.wait_for(lambda m: m.chat_id == ADA and "已发送完毕" in m.text)
    assert report.text == "📢 第 1 号公告已发送完毕。\n已送达：3"
    got = {m.chat_id: m.text for m in dms(api, {BOB, CAI, EVE})}
    assert got == {
        BOB: f"{HEADER}周五晚上8点直播，<记得>转发！",
        CAI: f"{HEADER}周五晚上8点直播，<记得>转发！",
        EVE: "📢 Announcement\n\n周五晚上8点直播，<记得>转发！",  # in the reader's language
    }
    progress = next(m for m in api.sent if m.message_id == preview.message_id and m.chat_id == ADA)
    assert progress.text == "✅ 已完成。\n▰▰▰▰▰▰▰▰▰▰ 3/3\n已送达：3"
    assert progress.buttons == []
    assert await bot.tick() == []  # nothing twice
    assert len(dms(api, {BOB, CAI, EVE})) == 3
    [entry, *_] = await bot.services.audit.entries("broadcast", 1)
    assert entry.actor_id is None and entry.after["sent"] == 3


async def test_a_sharer_who_blocked_the_bot_is_counted_marked_and_left_out_next_time(
    bot: Driver, api: LocalBotAPI
) -> None:
    await three_sharers(bot)
    api.block(CAI)
    await bot.say(ADA, MANAGERS_CHAT, "/setup managers")
    await bot.say(ADA, MANAGERS_CHAT, "/dm_all 第一条")
    await bot.press(ADA, MANAGERS_CHAT, "发送")
    report = await api.wait_for(lambda m: "第 1 号公告已发送完毕" in m.text)
    assert report.chat_id == MANAGERS_CHAT
    assert report.text.splitlines()[1:] == ["已送达：2", "已屏蔽机器人：1"]
    assert (await bot.services.users.get(CAI)).unreachable
    [preview] = await bot.say(ADA, MANAGERS_CHAT, "/dm_all 第二条")
    assert preview.text.startswith("要私信发给 2 名分享员吗？\n1 名已屏蔽我的分享员不在其中。\n—")
    await bot.press(ADA, preview, "发送")
    report = await api.wait_for(lambda m: "第 2 号公告已发送完毕" in m.text)
    assert report.text.splitlines()[1:] == ["已送达：2", "未发送（此前已屏蔽机器人）：1"]
    assert [m.chat_id for m in dms(api, {CAI})] == []
    assert Counter(m.chat_id for m in dms(api, {BOB, EVE})) == {BOB: 2, EVE: 2}


async def test_cancel_sends_nothing(bot: Driver, api: LocalBotAPI) -> None:
    await three_sharers(bot)
    [preview] = await bot.say(ADA, ADA, "/dm_all 取消我")
    [edited] = await bot.press(ADA, preview, "取消")
    assert edited.text == "已取消，没有发出任何消息。" and edited.buttons == []
    assert await bot.tick() == []
    assert dms(api, {BOB, CAI, EVE}) == []


async def test_only_managers_announce(bot: Driver, api: LocalBotAPI) -> None:
    await three_sharers(bot)
    [refused] = await bot.say(BOB, BOB, "/dm_all 大家好")
    assert refused.text == "/dm_all 仅限：管理者。"
    [refused] = await bot.say(EVE, EVE, "/broadcast hello")
    assert refused.text == "/broadcast is for: manager."
    [preview] = await bot.say(ADA, ADA, "/dm_all 大家好")
    update = api.press(BOB, preview, "发送")
    await bot.settle()
    assert api.answer_for(update)["text"] == "仅限：管理者。"
    assert dms(api, {BOB, CAI, EVE}) == []


async def test_bad_input_gets_a_short_answer(bot: Driver) -> None:
    await three_sharers(bot)
    [empty] = await bot.say(ADA, ADA, "/dm_all   ")
    assert empty.text == (
        "请在命令后写上公告内容，或用这个命令回复要发出的消息。\n用法：/dm_all <text>"
    )
    [long] = await bot.say(ADA, ADA, "/broadcast " + "长" * 4050)
    assert long.text == "公告太长：4,050 个字符，最多 4,032 个。"
    [nowhere] = await bot.say(ADA, ADA, "/broadcast 你好")
    assert nowhere.text == "还没有分享员群：请管理员在群里发送 /setup sharers。"


async def test_broadcast_posts_in_the_sharers_group(bot: Driver, api: LocalBotAPI) -> None:
    await setup_chats(bot, "sharers")
    sent = await bot.say(ADA, ADA, "/broadcast 本周佣金已结算，\n请查看 /me")
    posted = [m for m in sent if m.chat_id == SHARERS_CHAT]
    assert [m.text for m in posted] == [f"{HEADER}本周佣金已结算，\n请查看 /me"]
    assert [m.text for m in sent if m.chat_id == ADA] == ["📢 已发布到分享员群。"]
    assert await bot.tick() == []
    [entry, *_] = await bot.services.audit.entries("broadcast", 1)
    assert entry.actor_id == ADA and entry.after["chat_id"] == SHARERS_CHAT


async def test_a_broadcast_is_not_held_behind_a_pump_already_sending(
    bot: Driver, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A pump busy with a /dm_all's thousands holds the scheduler's lock for minutes: the
    # manager is answered at once ("queued"), and the post goes out right after that pump.
    await setup_chats(bot, "sharers")
    monkeypatch.setattr(announcements, "POSTED_WITHIN", 0.2)
    busy = jobs._lock(bot.app)
    await busy.acquire()

    async def pump_ends() -> None:
        await asyncio.sleep(1.0)
        busy.release()

    ends = asyncio.ensure_future(pump_ends())
    sent = await bot.say(ADA, ADA, "/broadcast 今晚八点开播")
    await ends
    assert [(m.chat_id, m.text) for m in sent] == [
        (ADA, "📢 已排队发往分享员群，稍后发出。"),
        (SHARERS_CHAT, f"{HEADER}今晚八点开播"),
    ]
    assert await bot.tick() == []


async def test_broadcast_as_a_reply_posts_the_replied_message(bot: Driver) -> None:
    await setup_chats(bot, "sharers", "managers")
    draft = bot.api.send_message(CAI, MANAGERS_CHAT, "草稿：周末双倍积分")
    await bot.settle()
    sent = await bot.say(ADA, MANAGERS_CHAT, "/broadcast", reply_to=draft)
    assert [m.text for m in sent if m.chat_id == SHARERS_CHAT] == [f"{HEADER}草稿：周末双倍积分"]


class SlowAfter(LocalBotAPI):
    """The stand-in, slowed down after some private messages: a restart lands mid-way."""

    def __init__(self, after: int, delay: float) -> None:
        super().__init__(bot_username="crewbot_bot")
        self.after, self.delay, self.private_sends = after, delay, 0

    async def _send_message(self, params, files):  # type: ignore[no-untyped-def]
        if int(params["chat_id"]) > 0 and str(params.get("text", "")).startswith("📢"):
            self.private_sends += 1
            if self.private_sends > self.after:
                await asyncio.sleep(self.delay)
        return await super()._send_message(params, files)


async def until(condition, timeout: float = 10.0) -> None:  # type: ignore[no-untyped-def]
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        assert asyncio.get_running_loop().time() < deadline, "timed out"
        await asyncio.sleep(0.02)


async def test_a_restart_mid_way_resumes_and_nobody_gets_it_twice(
    settings: Settings, services: Services
) -> None:
    people = {100 + i: f"S{i:02d}" for i in range(40)}
    api = SlowAfter(after=2, delay=1.5)
    await api.start()
    try:
        api.user(ADA, "Ada", username="ada")
        for user_id, name in people.items():
            api.user(user_id, name, started=True)
        await bind_directly(services.db, people)
        async with running_bot(settings, services, api) as first_run:
            [preview] = await first_run.say(ADA, ADA, "/dm_all 今晚8点开播")
            api.press(ADA, preview, "发送")
            await until(lambda: len(dms(api, set(people))) >= 2)
        before = len(dms(api, set(people)))
        assert 2 <= before < len(people)  # stopped mid-way
        api.delay = 0
        async with running_bot(settings, services, api) as second_run:
            await second_run.tick()  # what the scheduler does a tick after the start
            await api.wait_for(lambda m: "第 1 号公告已发送完毕" in m.text, timeout=15)
        counts = Counter(m.chat_id for m in dms(api, set(people)))
        assert counts == dict.fromkeys(people, 1)
        report = next(m for m in api.sent if "已发送完毕" in m.text)
        assert report.text == "📢 第 1 号公告已发送完毕。\n已送达：40"
        assert api.violations == []
    finally:
        await api.stop()


async def test_stop_leaves_the_rest_unsent(settings: Settings, services: Services) -> None:
    people = {100 + i: f"S{i:02d}" for i in range(30)}
    api = SlowAfter(after=2, delay=0.4)
    await api.start()
    try:
        api.user(ADA, "Ada", username="ada")
        for user_id, name in people.items():
            api.user(user_id, name, started=True)
        await bind_directly(services.db, people)
        async with running_bot(settings, services, api) as bot:
            [preview] = await bot.say(ADA, ADA, "/dm_all 发错了")
            api.press(ADA, preview, "发送")
            await api.wait_for(lambda m: m.message_id == preview.message_id and m.buttons
                               == [[("停止", "dm_all:stop:1")]])  # fmt: skip
            stop = api.press(ADA, preview, "停止")
            report = await api.wait_for(lambda m: "已停止发送" in m.text, timeout=15)
            assert api.answer_for(stop)["text"] == "已停止：尚未发出的不会再发。"
            assert await bot.tick() == []
        sent = len(dms(api, set(people)))
        assert (
            report.text
            == f"📢 第 1 号公告已停止发送。\n已送达：{sent}\n未发送（已停止）：{30 - sent}"
        )
        assert 2 <= sent < 30
        final = next(m for m in api.sent if m.message_id == preview.message_id)
        assert final.text.startswith("⏹ 已停止。") and final.buttons == []
    finally:
        await api.stop()


async def test_dm_all_keeps_within_telegrams_flood_limit(
    settings: Settings, services: Services
) -> None:
    people = {1000 + i: f"S{i:02d}" for i in range(70)}
    api = ThrottledBotAPI(limit=30, window=1.0)
    await api.start()
    try:
        api.user(ADA, "Ada", username="ada")
        for user_id, name in people.items():
            api.user(user_id, name, started=True)
        await bind_directly(services.db, people)
        async with running_bot(settings, services, api) as bot:
            [preview] = await bot.say(ADA, ADA, "/dm_all 今晚8点开播")
            await asyncio.sleep(1)  # the manager reads the preview
            await bot.press(ADA, preview, "发送")
            await api.wait_for(lambda m: "已发送完毕" in m.text, timeout=15)
        assert Counter(m.chat_id for m in dms(api, set(people))) == dict.fromkeys(people, 1)
        assert api.throttled == [] and api.busiest_window() <= 30
        edits = [c.at for c in api.calls("editMessageText")]
        assert all(b - a >= PROGRESS_EVERY - 0.05 for a, b in itertools.pairwise(edits))
    finally:
        await api.stop()
