"""Leaderboards and teams through the real bot: /top, masking, hiding, the scheduled posts."""

from __future__ import annotations

from datetime import timedelta

from bot.offline.driver import Driver
from bot.offline.local_api import LocalBotAPI
from tests.e2e.conftest import ADA, BOB, CAI, EVE, SHARERS_CHAT
from tests.e2e.test_commission import _worked
from tests.storage.test_commission_repo import add_orders, add_roster


async def test_top_masks_names_and_shows_the_askers_rank(bot: Driver) -> None:
    await _worked(bot)
    [board] = await bot.say(BOB, SHARERS_CHAT, "/top")
    assert board.text.splitlines() == [
        "排行榜（2026年11月） · 有效销售额",
        "1. A********g — ¥10,450.10",
        "2. B****i — ¥1,000.00",
        "3. 陈*春 — ¥300.00",
        "Bob的排名：第 2 名",  # in a group: the rank, not the amount
    ]
    [mine] = await bot.say(BOB, BOB, "/top")
    assert mine.text.splitlines()[-1] == "你的排名：第 2 名 · ¥1,000.00"


async def test_mask_names_off_by_a_group_admin_and_hide_me(bot: Driver) -> None:
    await _worked(bot)
    [refused] = await bot.say(BOB, SHARERS_CHAT, "/mask_names off")
    assert refused.text == "只有群管理员或管理者可以更改。"
    [done] = await bot.say(ADA, SHARERS_CHAT, "/mask_names off")
    assert done.text == "本群排行榜上显示完整名字。"
    await bot.say(CAI, CAI, "/hide_me")
    [board] = await bot.say(CAI, SHARERS_CHAT, "/top 2026-11")
    assert "1. Alice Wang — ¥10,450.10" in board.text and "陈小春" not in board.text
    assert board.text.splitlines()[-1] == "你已在排行榜上隐藏（/show_me 可恢复）。"


async def test_top_week_sku_and_bad_input(bot: Driver) -> None:
    await _worked(bot)
    await add_orders(bot.services.db, [("w1", "C", "2026-11-17 10:00", "SKU-009", 77700, 0,
                                        "paid", "u8")])  # fmt: skip
    [week] = await bot.say(EVE, EVE, "/top week")
    assert week.text.splitlines()[:2] == [
        "Leaderboard, this week (16 Nov 2026 – 22 Nov 2026) · valid sales",
        "1. 陈*春 — ¥777.00",
    ]
    assert week.text.splitlines()[-1] == "You have no sales in this period yet."
    [sku] = await bot.say(EVE, EVE, "/top SKU-001")
    assert sku.text.splitlines()[1:] == ["1. A********g — ¥200.00", "Your rank: #1 · ¥200.00"]
    [bad] = await bot.say(EVE, EVE, "/top 2026-13")
    assert bad.text.startswith("2026-13 is not a month")
    # Issue 9: a month off the calendar ended in an internal error.
    for month in ("0000-05", "9999-12", "2026-00"):
        [bad] = await bot.say(EVE, EVE, f"/top {month}")
        assert bad.text.startswith(f"{month} is not a month"), bad.text
        assert "Usage: /top" in bad.text


async def test_masked_names_tell_people_apart(bot: Driver) -> None:
    # Issue 9: three different names all masked to 阿*.
    await add_roster(bot.services.db, [("P1", "阿甲", "", "", ""), ("P2", "阿乙", "", "", ""),
                                       ("P3", "阿丙", "", "", "")])  # fmt: skip
    await add_orders(bot.services.db, [
        ("p1", "P1", "2026-11-02 10:00", "S", 30000, 0, "paid", "x1"),
        ("p2", "P2", "2026-11-02 10:00", "S", 20000, 0, "paid", "x2"),
        ("p3", "P3", "2026-11-02 10:00", "S", 10000, 0, "paid", "x3"),
    ])  # fmt: skip
    [board] = await bot.say(BOB, SHARERS_CHAT, "/top 2026-11")
    assert board.text.splitlines()[1:4] == [
        "1. 阿*甲 — ¥300.00",
        "2. 阿*乙 — ¥200.00",
        "3. 阿*丙 — ¥100.00",
    ]


async def test_weekly_and_monthly_posts_go_out_once(bot: Driver, api: LocalBotAPI) -> None:
    await _worked(bot)
    sent = await bot.wait(timedelta(days=1))  # Monday 2026-11-23
    posts = [m for m in sent if m.chat_id == SHARERS_CHAT]
    # Posted on Monday about the week before: titled as last week.
    assert [m.text.splitlines()[0] for m in posts] == [
        "上周排行榜（2026年11月16日至2026年11月22日） · 有效销售额"
    ]
    assert await bot.services.outbox.state("top:week:2026-W47") is not None
    assert [m for m in await bot.tick() if m.chat_id == SHARERS_CHAT] == []
    sent = await bot.wait(timedelta(days=8))  # Tuesday 2026-12-01
    posts = [m for m in sent if m.chat_id == SHARERS_CHAT]
    # The month's board names its best sharer (月度最佳分享员); the team board comes with it.
    assert [m.text.splitlines()[0] for m in posts] == [
        "排行榜（2026年11月） · 有效销售额",
        "团队排行榜（2026年11月） · 团队有效销售额",
    ]
    assert "1. A********g — ¥10,450.10" in posts[0].text
    assert posts[0].text.splitlines()[-1] == "🏆 月度最佳分享员：A********g"


async def test_team_for_leaders(bot: Driver) -> None:
    await _worked(bot)
    [refused] = await bot.say(BOB, BOB, "/team")
    assert refused.text == "/team 仅限：团长、管理者。"
    await bot.say(ADA, ADA, "/leader A")
    [team] = await bot.say(EVE, EVE, "/team")
    assert team.text.splitlines() == [
        "Your team in November 2026: 2 members, team sales ¥1,300.00",
        "• Bob Li (B) — ¥1,000.00 · 1",
        "• 陈小春 (C) — ¥300.00 · 1",
        "Team reward now: 0% of team sales = ¥0.00",
        "¥18,700.00 more team sales to reach 1%.",
    ]
