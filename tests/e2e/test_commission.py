"""Statements through the real bot: SPEC §3's worked example, /me, privacy in groups."""

from __future__ import annotations

from bot.offline.driver import Driver
from bot.offline.local_api import LocalBotAPI
from tests.e2e.conftest import ADA, BOB, CAI, EVE, SHARERS_CHAT, setup_chats
from tests.e2e.test_sharers import bind
from tests.storage.test_commission_repo import add_orders, add_roster, worked_example


async def _worked(bot: Driver) -> None:
    await setup_chats(bot, "managers", "sharers")
    await worked_example(bot.services)
    await bind(bot, EVE, "A")
    await bind(bot, BOB, "B")
    await bind(bot, CAI, "C")


async def test_worked_example_statements(bot: Driver) -> None:
    await _worked(bot)
    [a] = await bot.say(EVE, EVE, "/commission 2026-11")
    assert a.text.splitlines() == [
        "Statement for November 2026 — Alice Wang (A)",
        "Valid sales: ¥10,450.10",
        "Direct (8%): ¥838.00",
        "Self-purchase: ¥4.50",
        "Level 2 (your invitees): ¥10.00",
        "Team reward: ¥0.00",
        "Recruit reward: ¥20.00",
        "Adjustment: ¥0.00",
        "Total: ¥872.50",
        # Clock: 2026-11-22; orders paid after 11-15 10:00 are still in the refund window.
        # Issue 9: the recruit reward was in the total but in neither part (¥852.50).
        "Pending (refund window): ¥0.00 · confirmed: ¥872.50",
        "Not settled yet.",
    ]
    [b] = await bot.say(BOB, BOB, "/commission")
    assert "直接佣金（6%）：¥60.00" in b.text and "二级佣金（你邀请的人）：¥3.00" in b.text
    assert b.text.splitlines()[-3] == "合计：¥63.00"
    [c] = await bot.say(CAI, CAI, "/commission 2026-11")
    assert "合计：¥18.00" in c.text


async def test_me_shows_level_figures_rank_and_what_is_missing(bot: Driver) -> None:
    await _worked(bot)
    [b] = await bot.say(BOB, BOB, "/me")
    assert b.text.splitlines() == [
        "Bob Li (B) · 2026年11月",
        "等级：初级",
        "本月有效销售额：¥1,000.00",
        "订单：1 · 顾客：1",
        "直接佣金（6%）：¥60.00",
        "自购返佣：¥0.00",
        "二级佣金（你邀请的人）：¥3.00",
        "团队奖励：¥0.00",
        "招募奖励：¥0.00",
        "调整：¥0.00",
        "合计：¥63.00",
        "待确认（退款期内）：¥0.00 · 已确认：¥63.00",
        "本月排名：第 2 名",
        "再卖 ¥9,000.00 即可达到 8%。",
        "本月再卖 ¥29,000.00，下月即可升为金牌。",
    ]


async def test_pending_inside_the_refund_window(bot: Driver) -> None:
    await _worked(bot)
    await add_orders(bot.services.db, [("b3", "B", "2026-11-21 09:00", "SKU-002", 10000, 0,
                                        "paid", "u9")])  # fmt: skip
    [b] = await bot.say(BOB, BOB, "/me")
    assert "待确认（退款期内）：¥6.00 · 已确认：¥63.00" in b.text


async def test_figures_never_go_to_a_group(bot: Driver, api: LocalBotAPI) -> None:
    await _worked(bot)
    answers = await bot.say(BOB, SHARERS_CHAT, "/me")
    group = [m for m in answers if m.chat_id == SHARERS_CHAT]
    private = [m for m in answers if m.chat_id == BOB]
    assert [m.text for m in group] == ["已私信发给你。"]
    assert "¥63.00" in private[0].text
    answers = await bot.say(EVE, SHARERS_CHAT, "/commission 2026-11")  # Eve reads English
    assert [m.text for m in answers if m.chat_id == SHARERS_CHAT] == [
        "I sent you a private message."
    ]
    assert "¥" not in "".join(m.text for m in api.sent_to(SHARERS_CHAT))


async def test_never_started_gets_a_button_to_the_private_chat(
    bot: Driver, api: LocalBotAPI
) -> None:
    await _worked(bot)
    api.user(9, "Nia")
    api.add_member(SHARERS_CHAT, 9)
    await add_roster(bot.services.db, [("N", "Nia", "", "", "")])
    await add_orders(bot.services.db, [("n1", "N", "2026-11-03 10:00", "S", 5000, 0, "paid", "")])
    async with bot.services.db.transaction() as conn:  # bound, say, before she left the DM
        await conn.execute("UPDATE sharers SET user_id = 9 WHERE sharer_id = 'N'")
    [group] = await bot.say(9, SHARERS_CHAT, "/me")
    assert group.chat_id == SHARERS_CHAT
    assert group.text == "你的数据是私密的：请打开与我的私聊，我会在那里显示。"
    assert group.buttons == [[("打开私聊", "https://t.me/crewbot_bot?start=me_")]]
    [shown] = await bot.say(9, 9, "/start me_")
    assert shown.chat_id == 9 and "合计：¥3.00" in shown.text


async def test_only_managers_see_another_sharers_statement(bot: Driver) -> None:
    await _worked(bot)
    [refused] = await bot.say(BOB, BOB, "/commission 2026-11 A")
    assert refused.text == "你只能查看自己的佣金明细。"
    [seen] = await bot.say(ADA, ADA, "/commission A 2026-11")
    assert "合计：¥872.50" in seen.text
    [unknown] = await bot.say(ADA, ADA, "/commission 2026-11 NOPE")
    assert unknown.text.startswith("找不到分享员 NOPE")
    [own] = await bot.say(ADA, ADA, "/commission")
    assert own.text == "请指定分享员 ID，例如：/commission [YYYY-MM] [sharer_id]"


async def test_bad_months_and_unbound_people(bot: Driver) -> None:
    await _worked(bot)
    [bad] = await bot.say(BOB, BOB, "/commission 2026-13")
    assert bad.text.startswith("2026-13 不是月份：请写成 YYYY-MM")
    assert "用法：/commission [YYYY-MM] [sharer_id]" in bad.text
    for month in ("0000-01", "9999-12", "2026-00"):  # issue 9: off the calendar
        [bad] = await bot.say(BOB, BOB, f"/commission {month}")
        assert bad.text.startswith(f"{month} 不是月份"), bad.text
    [future] = await bot.say(BOB, BOB, "/commission 2027-01")
    assert future.text == "2027-01 还没有开始。"
    [unbound] = await bot.say(ADA, ADA, "/me")
    assert unbound.text == "你还没有绑定分享员 ID：请发送 /bind 加上你的分享员 ID。"
