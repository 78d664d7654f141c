"""Team board, recognition and the leaders' settlement DM through the real bot (issue 10,
parts 5 and 6): /top teams, /top year, the monthly and yearly posts, /settle."""

from __future__ import annotations

from datetime import timedelta

from bot.offline.driver import Driver
from tests.e2e.conftest import ADA, BOB, CAI, EVE, MANAGERS_CHAT, SHARERS_CHAT, setup_chats
from tests.e2e.test_sharers import bind
from tests.storage.test_commission_repo import add_orders, add_roster, worked_example


async def _teams(bot: Driver) -> None:
    """The worked example (A leads B and C: team ¥1,300) and Dora's team (Eli and Eda:
    ¥25,000, past the 1% step; Dora's own ¥100,000 is not team sales). Eve is A, Cai is D."""
    await setup_chats(bot, "managers", "sharers")
    await worked_example(bot.services)
    await add_roster(bot.services.db, [("D", "Dora", "", "", ""), ("E1", "Eli", "", "D", "D"),
                                       ("E2", "Eda", "", "D", "D")])  # fmt: skip
    await add_orders(bot.services.db, [
        ("d1", "D", "2026-11-04 10:00", "SKU-002", 10_000_000, 0, "paid", "v1"),
        ("e1", "E1", "2026-11-17 10:00", "SKU-002", 2_000_000, 0, "paid", "v2"),
        ("e2", "E2", "2026-11-03 10:00", "SKU-002", 500_000, 0, "paid", "v3"),
    ])  # fmt: skip
    await bind(bot, EVE, "A")
    await bind(bot, BOB, "B")
    await bind(bot, CAI, "D")


async def test_team_board_ranks_teams_with_steps_and_no_reward_amounts(bot: Driver) -> None:
    await _teams(bot)
    [board] = await bot.say(BOB, SHARERS_CHAT, "/top teams")
    assert board.text.splitlines() == [
        "团队排行榜（2026年11月） · 团队有效销售额",
        "1. D**a — ¥25,000.00 · 已达 1% 档，再差 ¥75,000.00 达到 2% 档",
        "2. A********g — ¥1,300.00 · 再差 ¥18,700.00 达到第一档（1%）",
    ]  # Bob leads no team: no line of his own
    # Dora's team reward (1% of ¥25,000) is her commission: never on the board.
    assert "¥250.00" not in board.text
    [mine] = await bot.say(EVE, EVE, "/top teams month")
    assert mine.text.splitlines() == [
        "Team board, November 2026 · team valid sales",
        "1. D**a — ¥25,000.00 · 1% step reached, ¥75,000.00 more to 2%",
        "2. A********g — ¥1,300.00 · ¥18,700.00 more to the first step (1%)",
        "Your team's rank: #2 · ¥1,300.00",
    ]
    [public] = await bot.say(CAI, SHARERS_CHAT, "/top team 2026-11")
    assert public.text.splitlines()[-1] == "蔡小明的团队：第 1 名"  # the rank, not the amount


async def test_team_board_top_step_masking_hiding_and_week(bot: Driver) -> None:
    await _teams(bot)
    await add_orders(bot.services.db, [("e3", "E2", "2026-11-18 10:00", "S", 8_000_000, 0,
                                        "paid", "v4")])  # fmt: skip
    await bot.say(ADA, SHARERS_CHAT, "/mask_names off")
    await bot.say(EVE, EVE, "/hide_me")
    [board] = await bot.say(CAI, SHARERS_CHAT, "/top teams")
    assert board.text.splitlines()[1:] == [
        "1. Dora — ¥105,000.00 · 已达最高档（2%）",
        "蔡小明的团队：第 1 名",
    ]  # Alice (Eve) is hidden, so her team is left out
    [week] = await bot.say(CAI, CAI, "/top teams week")  # masked here: only the group said off
    assert week.text.splitlines() == [
        "本周团队排行榜（2026年11月16日至2026年11月22日） · 团队有效销售额",
        "1. D**a — ¥100,000.00 · 已达最高档（2%）",  # the step of the month so far
        "档位按整月团队销售额计算：以上为2026年11月的档位。",
        "你的团队排名：第 1 名 · ¥100,000.00",
    ]
    [empty] = await bot.say(CAI, CAI, "/top teams 2026-10")
    assert empty.text.splitlines()[1] == "暂无团队销售。"


async def test_team_and_year_bad_input(bot: Driver) -> None:
    await _teams(bot)
    [sku] = await bot.say(CAI, CAI, "/top teams SKU-001")
    assert sku.text.startswith("请给出 week、month 或某月 YYYY-MM。\n用法：/top")
    [two] = await bot.say(CAI, CAI, "/top teams week month")
    assert two.text.startswith("请给出 week、month 或某月 YYYY-MM。")
    [month] = await bot.say(CAI, CAI, "/top teams 2026-13")
    assert month.text.startswith("2026-13 不是月份")
    for arg in ("20x6", "1999", "2026 2027", "２０２６"):
        [year] = await bot.say(CAI, CAI, f"/top year {arg}")
        assert year.text.startswith(f"{arg} 不是年份：请写成 2026 这样的格式。\n用法：/top")


async def test_annual_board_sums_the_months_and_names_the_year_winner_once_over(
    bot: Driver,
) -> None:
    await _teams(bot)
    await add_orders(bot.services.db, [
        ("c0", "C", "2026-03-08 10:00", "S", 100_000, 0, "paid", "w1"),
        ("c9", "C", "2025-06-08 10:00", "S", 5_000, 0, "paid", "w2"),
        ("b9", "B", "2025-07-08 10:00", "S", 4_000, 0, "paid", "w3"),
    ])  # fmt: skip
    [year] = await bot.say(EVE, EVE, "/top year")
    assert year.text.splitlines() == [
        "Annual board, 2026 · valid sales",
        "1. D**a — ¥100,000.00",
        "2. E*i — ¥20,000.00",
        "3. A********g — ¥10,450.10",
        "4. E*a — ¥5,000.00",
        "5. 陈*春 — ¥1,300.00",  # March and November summed
        "6. B****i — ¥1,000.00",
        "Your rank: #3 · ¥10,450.10",
    ]  # 2026 is not over: nobody is named yet
    [last] = await bot.say(BOB, SHARERS_CHAT, "/top year 2025")
    assert last.text.splitlines() == [
        "2025年度排行榜 · 有效销售额",
        "1. 陈*春 — ¥50.00",
        "2. B****i — ¥40.00",
        "🏆 年度大奖：陈*春",
        "Bob的排名：第 2 名",
    ]


async def test_monthly_post_names_the_best_sharer_with_the_team_board(bot: Driver) -> None:
    await _teams(bot)
    sent = await bot.wait(timedelta(days=9))  # Tuesday 2026-12-01
    posts = [m.text.splitlines() for m in sent if m.chat_id == SHARERS_CHAT]
    assert [p[0] for p in posts] == [
        "排行榜（2026年11月） · 有效销售额",
        "团队排行榜（2026年11月） · 团队有效销售额",
    ]
    assert posts[0][-1] == "🏆 月度最佳分享员：D**a"
    assert posts[1][1:] == [
        "1. D**a — ¥25,000.00 · 已达 1% 档，再差 ¥75,000.00 达到 2% 档",
        "2. A********g — ¥1,300.00 · 再差 ¥18,700.00 达到第一档（1%）",
    ]
    assert [m for m in await bot.tick() if m.chat_id == SHARERS_CHAT] == []  # once
    [asked] = await bot.say(EVE, EVE, "/top 2026-11")  # a month that is over names its best
    assert "🏆 Sharer of the month: D**a" in asked.text.splitlines()
    sent = await bot.wait(timedelta(days=31))  # Friday 2027-01-01
    posts = [m.text.splitlines() for m in sent if m.chat_id == SHARERS_CHAT]
    assert [p[0] for p in posts] == [
        "排行榜（2026年12月） · 有效销售额",
        "团队排行榜（2026年12月） · 团队有效销售额",
        "2026年度排行榜 · 有效销售额",
    ]
    assert posts[0][1:] == ["暂无销售。"] and posts[1][1:] == ["暂无团队销售。"]
    assert posts[2][1] == "1. D**a — ¥100,000.00" and posts[2][-1] == "🏆 年度大奖：D**a"


async def test_settle_tells_each_leader_the_team_reward(bot: Driver) -> None:
    await _teams(bot)
    await bot.wait(timedelta(days=9))
    await bot.say(ADA, MANAGERS_CHAT, "/settle 2026-11")
    dms = {m.chat_id: m.text.splitlines() for m in await bot.tick() if m.chat_id > 0}
    assert dms[CAI] == [
        "你2026年11月的佣金已结算：¥10,540.00。发送 /commission 2026-11 查看明细。",
        "团队奖励：¥250.00（团队有效销售额：¥25,000.00）。",
    ]
    assert dms[EVE][1] == "Team reward: ¥0.00 (your team's valid sales: ¥1,300.00)."
    assert len(dms[BOB]) == 1  # not a leader: no team line
