"""Issue 9 §2 through the real bot: bounded numbers, one creator grammar, nothing
reinterpreted, replies within Telegram's limits, and BD data only where it belongs."""

from __future__ import annotations

from datetime import timedelta

from bot.offline.driver import Driver
from bot.offline.local_api import LocalBotAPI
from tests.e2e.conftest import ADA, BD_CHAT, BOB, SHARERS_CHAT, setup_chats

HUGE = "99999999999999999999999"
OOPS = "出错了"


async def _lily(bot: Driver, platform: str = "douyin") -> None:
    await setup_chats(bot, "bd")
    await bot.say(BOB, BD_CHAT, f"/creator_add lily A {platform}")


async def test_huge_numbers_get_the_usage_answer(bot: Driver, api: LocalBotAPI) -> None:
    await _lily(bot)
    await bot.say(BOB, BD_CHAT, "/sample lily Mask")
    [signed] = await bot.say(BOB, BD_CHAT, f"/signed {HUGE}")
    assert signed.text.startswith(f"{HUGE} 不是寄样编号")
    [granted] = await bot.say(ADA, ADA, f"/grant {HUGE} bd")
    assert granted.text.startswith(f"{HUGE} 不是 1 到")
    await bot.say(BOB, BD_CHAT, "/code #1 ABC")  # no ads chat: the code is kept
    for args in (f"{HUGE} 10 1 1", f"1 {HUGE} 1 1", f"1 10 1 {HUGE}", "1 10 1 1 " + "9" * 5000):
        [answer] = await bot.say(ADA, BD_CHAT, f"/adstats #1 {args}")
        assert OOPS not in answer.text and "太大" in answer.text, answer.text
    [days] = await bot.say(BOB, BD_CHAT, f"/code #1 ABC {HUGE}")
    assert OOPS not in days.text
    assert api.violations == []


async def test_one_creator_grammar_for_every_command(bot: Driver) -> None:
    await _lily(bot)
    await bot.say(BOB, BD_CHAT, "/creator_add lily B xhs")
    for ref in ("lily@douyin", "lily:douyin", "@lily@抖音", "lily＠douyin"):
        [card] = await bot.say(BOB, BD_CHAT, f"/creator {ref}")
        assert card.text.startswith("lily · A · 抖音"), (ref, card.text)
        if ref.isascii():
            [sample] = await bot.say(BOB, BD_CHAT, f"/sample {ref} Mask")
            assert "已登记" in sample.text and "lily" in sample.text, (ref, sample.text)
    [both] = await bot.say(BOB, BD_CHAT, "/creator lily")
    assert "lily@douyin" in both.text and "lily@xiaohongshu" in both.text
    [same] = await bot.say(BOB, BD_CHAT, "/sample lily Mask")
    assert same.text == both.text  # one refusal, one suggested form
    [mars] = await bot.say(BOB, BD_CHAT, "/creator lily@mars")
    assert mars.text.startswith("未知平台 mars")


async def test_arguments_are_not_reinterpreted(bot: Driver) -> None:
    await setup_chats(bot, "bd")
    [mars] = await bot.say(BOB, BD_CHAT, "/creator_add x A mars")
    assert mars.text.startswith("未知平台 mars")
    [negative] = await bot.say(BOB, BD_CHAT, "/creator_add y A douyin -5")
    assert negative.text.startswith("-5 不是粉丝数")
    [bare] = await bot.say(BOB, BD_CHAT, "/creator_add z A -5 beauty")
    assert bare.text.startswith("-5 不是粉丝数")
    assert await bot.services.db.fetchval("SELECT COUNT(*) FROM creators") == 0


async def test_long_notes_and_lists_are_shortened_not_refused(
    bot: Driver, api: LocalBotAPI
) -> None:
    await _lily(bot)
    for _ in range(2):
        await bot.say(BOB, BD_CHAT, "/note lily " + "很长的备注" * 600)
    [card] = await bot.say(BOB, BD_CHAT, "/creator lily")
    assert card.text.startswith("lily · A · 抖音") and "…" in card.text
    [notes] = await bot.press(BOB, card, "备注")
    assert notes.text.startswith("lily 的备注")
    long_product = "产品" * 1500
    await bot.say(BOB, BD_CHAT, f"/sample lily {long_product}")
    [block] = await bot.say(BOB, BD_CHAT, "/block lily " + "理由" * 2500)
    assert len(block.text) <= 4096 and block.text.endswith("…")
    assert api.violations == []


async def test_bd_data_is_not_answered_in_the_sharers_group(bot: Driver, api: LocalBotAPI) -> None:
    await _lily(bot)
    await setup_chats(bot, "sharers")
    await bot.say(ADA, ADA, f"/grant {BOB} bd")
    for who in (BOB, ADA):  # a BD, and an admin
        for text in ("/export creators", "/creator lily", "/creators", "/pipeline"):
            [answer] = await bot.say(who, SHARERS_CHAT, text)
            assert "只在商务群、管理群或与我的私聊中回答" in answer.text, answer.text
    assert not [c for c in api.calls("sendDocument") if c.params.get("chat_id") == SHARERS_CHAT]
    [help_there] = await bot.say(ADA, SHARERS_CHAT, "/help")
    assert "/creator " not in help_there.text and "/export" not in help_there.text
    [help_bd] = await bot.say(ADA, BD_CHAT, "/help")
    assert "/export" in help_bd.text
    documents = await bot.say(BOB, BOB, "/export creators")  # in private it works
    assert len(documents) == 2


async def test_creators_overdue_matches_the_pipeline(bot: Driver) -> None:
    await _lily(bot)
    await bot.say(BOB, BD_CHAT, "/creator_add mia B")
    await bot.say(BOB, BD_CHAT, "/sample lily Mask")
    await bot.say(BOB, BD_CHAT, "/sample mia Cream")
    await bot.say(BOB, BD_CHAT, "/signed #1")
    await bot.say(BOB, BD_CHAT, "/signed #2")
    bot.services.clock.advance(timedelta(days=30))
    await bot.tick()
    [pipeline] = await bot.say(BOB, BD_CHAT, "/pipeline")
    [overdue] = await bot.say(BOB, BD_CHAT, "/creators overdue")
    in_pipeline = {h for h in ("lily", "mia") if f" {h} — " in pipeline.text}
    in_list = {h for h in ("lily", "mia") if f" {h} · " in overdue.text}
    assert in_pipeline == in_list != set()
