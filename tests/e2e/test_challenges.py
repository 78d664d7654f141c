"""Sales challenges through the real bot: the boost in a statement, the daily board in the
sharers' group, an early end, the list and bad input.

The clock starts on Sunday 2026-11-22 at 10:00 (Shanghai), after the morning post time.
"""

from __future__ import annotations

from datetime import timedelta

from bot.offline.driver import Driver
from tests.e2e.conftest import ADA, BOB, EVE, SHARERS_CHAT
from tests.e2e.test_commission import _worked
from tests.storage.test_commission_repo import add_orders


def boards(sent) -> list[str]:
    return [m.text for m in sent if m.chat_id == SHARERS_CHAT and "挑战赛" in m.text]


async def _order(bot: Driver, oid: str, sharer: str, paid: str, sku: str, fen: int) -> None:
    await add_orders(bot.services.db, [(oid, sharer, paid, sku, fen, 0, "paid", f"u-{oid}")])


async def test_a_challenge_boosts_the_statement_and_posts_a_board_each_morning(
    bot: Driver,
) -> None:
    await _worked(bot)
    await _order(bot, "x1", "B", "2026-11-21 15:00", "SKU-777", 50000)
    [before] = await bot.say(BOB, BOB, "/commission")
    assert "直接佣金（6%）：¥90.00" in before.text  # 1,500.00 × 6%

    [made] = await bot.say(ADA, ADA, "/challenge SKU-777 2026-11-21 2026-11-23 20%")
    assert made.text.splitlines() == [
        "已创建。 挑战赛 #1：SKU-777 佣金 20%，2026年11月21日至2026年11月23日",
        "已在分享员群公布，之后每天早上发布排名。",
    ]
    # Bob's SKU-777 order earns 20% instead of 6%: 1,000.00 × 6% + 500.00 × 20%.
    [after] = await bot.say(BOB, BOB, "/commission")
    assert "直接佣金（6%）：¥160.00" in after.text and "合计：¥163.00" in after.text

    # The announcement, then this morning's board: day 1 (the 21st) is over.
    posted = boards(await bot.tick())
    assert posted[0].splitlines()[0] == "新的销售挑战赛！"
    assert posted[1].splitlines() == [
        "挑战赛 #1：SKU-777 佣金 20%，2026年11月21日至2026年11月23日",
        "第 1 天排名（共 3 天） · 2026年11月21日至2026年11月21日 · SKU-777 有效销售额",
        "1. B****i — ¥500.00",
    ]
    assert boards(await bot.tick()) == []  # once per day

    await _order(bot, "x2", "A", "2026-11-22 18:00", "SKU-777", 80000)
    [day2] = boards(await bot.wait(timedelta(days=1)))
    assert day2.splitlines()[1:] == [
        "第 2 天排名（共 3 天） · 2026年11月21日至2026年11月22日 · SKU-777 有效销售额",
        "1. A********g — ¥800.00",
        "2. B****i — ¥500.00",
    ]
    [final] = boards(await bot.wait(timedelta(days=1)))
    assert final.splitlines()[1] == (
        "最终结果 · 2026年11月21日至2026年11月23日 · SKU-777 有效销售额"
    )
    assert final.splitlines()[-1] == "恭喜上榜的各位！"
    assert boards(await bot.wait(timedelta(days=1))) == []  # it has ended

    [listed] = await bot.say(EVE, EVE, "/challenges")
    assert listed.text.splitlines() == [
        "Sales challenges",
        "Challenge #1: SKU-777 at 20%, 21 Nov 2026 – 23 Nov 2026 · ended",
    ]


async def test_ending_early_keeps_today_boosted_and_stops_the_boards(
    bot: Driver,
) -> None:
    await _worked(bot)
    await _order(bot, "y1", "B", "2026-11-21 15:00", "SKU-777", 10000)
    await bot.say(ADA, ADA, "/challenge SKU-777 2026-11-21 2026-11-30 10%")
    assert len(boards(await bot.tick())) == 2  # announcement and the first board
    [ended] = await bot.say(ADA, ADA, "/challenge_end #1")
    assert ended.text.splitlines() == [
        "SKU-777 的挑战赛 #1 已提前结束：2026年11月22日及之前付款的订单仍按 10% 计算。",
        "不再发布排行榜。",
    ]
    [notice] = boards(await bot.tick())
    assert notice.startswith("SKU-777 的挑战赛 #1 已提前结束")
    await _order(bot, "y2", "B", "2026-11-22 20:00", "SKU-777", 10000)  # the day it ended
    await _order(bot, "y3", "B", "2026-11-23 09:00", "SKU-777", 10000)  # after
    assert boards(await bot.wait(timedelta(days=1))) == []
    [st] = await bot.say(BOB, BOB, "/commission 2026-11")
    # 1,000.00 + 100.00 at 6% (b1, y3) + 200.00 at 10% (y1, y2)
    assert "直接佣金（6%）：¥86.00" in st.text
    [again] = await bot.say(ADA, ADA, "/challenge_end 1")
    assert again.text == "挑战赛 #1 已经结束（最后一天是 2026-11-22）。"
    [listed] = await bot.say(ADA, ADA, "/challenges")
    assert listed.text.splitlines()[1].endswith("· 已提前结束")


async def test_bad_input_is_answered_and_changes_nothing(bot: Driver) -> None:
    await _worked(bot)
    cases = {
        "SKU-002 2026-11-30 2026-11-01 15%": "结束日期 2026-11-01 早于开始日期 2026-11-30。",
        "SKU-002 2026-11-01 2026-11-30 15": "15 不是比例：请带上百分号，例如 15%。",
        "SKU-002 2026-11-01 2026-11-30 0%": "奖励佣金比例必须大于 0%。",
        "SKU-002 2026-11-01 2026-11-31 15%": "2026-11-31 不是日期：请写成 YYYY-MM-DD，例如"
        " 2026-11-01。",
        "SKU-002 15%": "请给出商品编码、开始日期、结束日期和奖励佣金比例。",
        "_end 7": "没有挑战赛 #7，请查看 /challenges。",
        "_end x": "x 不是挑战赛编号（例如 3），请查看 /challenges。",
    }
    for args, answer in cases.items():
        command = f"/challenge{args}" if args.startswith("_") else f"/challenge {args}"
        [reply] = await bot.say(ADA, ADA, command)
        assert reply.text.splitlines()[0] == answer, command
    [usage] = await bot.say(ADA, ADA, "/challenge SKU-002 15%")
    assert usage.text.splitlines()[1] == "用法：/challenge <sku> <YYYY-MM-DD> <YYYY-MM-DD> <rate%>"
    [refused] = await bot.say(BOB, BOB, "/challenge SKU-002 2026-11-01 2026-11-30 15%")
    assert refused.text == "/challenge 仅限：管理者。"
    [none] = await bot.say(EVE, EVE, "/challenges")
    assert none.text.startswith("No challenges yet.")
    assert boards(await bot.tick()) == []


async def test_warnings_an_unknown_sku_an_overlap_and_a_low_rate(bot: Driver) -> None:
    await _worked(bot)
    [made] = await bot.say(ADA, ADA, "/challenge SKU-404 2026-11-20 2026-11-25 12%")
    assert made.text.splitlines()[2:] == [
        "注意：还没有任何订单的商品编码是 SKU-404，请检查拼写。",
    ]
    # Over the rules file's 10% top step and 1% gold bonus, 8% lowers some sharers' rate.
    [again] = await bot.say(EVE, EVE, "/challenge SKU-404 2026-11-25 2026-11-26 8%")
    assert again.text.startswith("/challenge is for")  # Eve is not a manager
    [second] = await bot.say(ADA, ADA, "/challenge SKU-404 2026-11-25 2026-11-26 8%")
    assert second.text.splitlines()[3:] == [
        "注意：与挑战赛 #1（12%）时间重叠，两者都适用时按较高的比例计算。",
        "注意：加成比例会取代直接佣金比例，所以比例高于 8%（最高 11%）的分享员在此期间卖 "
        "SKU-404 反而拿得更少。",
    ]
