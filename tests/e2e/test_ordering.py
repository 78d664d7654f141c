"""Order per chat through the real stack: what a person pastes in one go is handled in the
order they wrote it; a slow chat does not hold up the others."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from telegram import Update
from telegram.ext import ApplicationHandlerStop, MessageHandler, filters

from bot.context import BotContext
from bot.offline.driver import Driver
from bot.offline.local_api import LocalBotAPI, SentMessage
from storage.creators import Creators
from tests.e2e.conftest import BD_CHAT, BOB, CAI, setup_chats
from tests.e2e.test_chases import NO_REPLY, REPLIED, reminders


async def _pasted(bot: Driver, lines: list[str]) -> tuple[list[dict], list[SentMessage]]:
    """Bob sends every line into the BD chat before the bot answers any of them."""
    mark = bot.api.mark()
    said = [bot.api.send_message(BOB, BD_CHAT, line) for line in lines]
    await bot.settle()
    return said, [m for m in bot.api.sent if m.seq > mark]


async def test_pasted_creator_and_sample_pairs_run_in_order(bot: Driver) -> None:
    await setup_chats(bot, "bd")
    lines = []
    for n in range(1, 11):
        lines += [f"/creator_add kol_{n:02} B douyin 9000 home", f"/sample kol_{n:02} 收纳盒 SF{n}"]
    said, replies = await _pasted(bot, lines)
    assert not [m.text for m in replies if "没有达人" in m.text]
    assert await bot.services.db.fetchval("SELECT COUNT(*) FROM samples") == 10
    # One answer per line, each to its own line, in the order the lines were written.
    assert [m.reply_to_message_id for m in replies] == [s["message_id"] for s in said]
    for n, (added, logged) in enumerate(zip(replies[::2], replies[1::2], strict=True), 1):
        assert added.text.startswith(f"已登记 kol_{n:02}")
        assert logged.text.startswith(f"已登记寄样 #{n}") and f"kol_{n:02}" in logged.text


async def test_two_quick_presses_on_a_reminder_count_the_first(
    bot: Driver, api: LocalBotAPI
) -> None:
    await setup_chats(bot, "bd", "ads")
    for line in ("/creator_add lily A", "/sample lily Mask", "/signed #1"):
        await bot.say(BOB, BD_CHAT, line)
    [reminder] = reminders(await bot.wait(timedelta(days=2)))
    first = api.press(BOB, reminder, NO_REPLY)
    second = api.press(BOB, reminder, REPLIED)
    await bot.settle()
    assert api.answer_for(first)["text"] == "已记录。"
    assert api.answer_for(second)["text"] == "这条提醒已经处理过了。"
    assert await bot.services.db.fetchval("SELECT replied FROM chases") == 0


async def test_card_buttons_pressed_quickly_leave_the_last_view(
    bot: Driver, api: LocalBotAPI
) -> None:
    await setup_chats(bot, "bd")
    await bot.say(BOB, BD_CHAT, "/creator_add lily A")
    [card] = await bot.say(BOB, BD_CHAT, "/creator lily")
    for _ in range(3):
        api.press(BOB, card, "寄样")
        api.press(BOB, card, "备注")
    await bot.settle()
    [lily] = await bot.services.repo(Creators).by_handle("lily")
    final = api.last(BD_CHAT)
    assert final.message_id == card.message_id
    assert final.text.startswith("lily 的备注")
    assert final.buttons[0] == [("寄样", f"cr:s:{lily.id}"), ("达人卡片", f"cr:c:{lily.id}")]
    views = [text.split("\n")[0] for text in [*final.history[1:], final.text]]
    assert views == ["lily 的寄样：", "lily 的备注："] * 3  # each press's view, in press order
    assert final.edits == 6


async def test_a_slow_chat_does_not_hold_up_another(bot: Driver, api: LocalBotAPI) -> None:
    release = asyncio.Event()
    started = asyncio.Event()

    async def slow(update: Update, ctx: BotContext) -> None:
        started.set()
        await release.wait()
        raise ApplicationHandlerStop

    # A handler only this test has: "slow" holds its update until the test lets it go.
    bot.app.add_handler(MessageHandler(filters.Regex("^slow$"), slow), group=-1)
    mark = api.mark()
    api.send_message(BOB, BOB, "slow")
    api.send_message(BOB, BOB, "/start")  # waits for Bob's "slow": same chat
    api.send_message(CAI, CAI, "/start")  # another chat: answered meanwhile
    try:
        await asyncio.wait_for(started.wait(), 10)
        cai = await api.wait_for(lambda m: m.chat_id == CAI, since=mark, timeout=10)
        assert cai.text
        assert api.sent_to(BOB) == []
    finally:
        release.set()
    await bot.settle()
    assert [m.chat_id for m in api.sent if m.seq > mark].count(BOB) == 1
