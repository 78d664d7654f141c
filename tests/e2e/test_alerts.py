"""Alerts between digests through the real stack: each goes to the managers' chat once per
cause and day, when its KPI_FILE threshold (the defaults here) is crossed."""

from __future__ import annotations

from datetime import timedelta

from bot.offline.driver import Driver
from bot.offline.local_api_models import SentMessage
from storage.db import to_ts
from tests.conftest import T0
from tests.e2e.conftest import BOB, MANAGERS_CHAT, setup_chats
from tests.storage.test_commission_repo import add_orders

# T0 is 10:00 on 2026-11-22 in the deployment's zone.
REFUND = "今日退款率"
SALES = "今日有效销售额"
CODE = "投流授权码将于"


def alerts(sent: list[SentMessage], phrase: str) -> list[str]:
    return [m.text for m in sent if m.chat_id == MANAGERS_CHAT and phrase in m.text]


async def test_a_refund_spike_is_told_once_a_day(bot: Driver) -> None:
    await setup_chats(bot, "managers")
    # 20 orders this morning (the default min_orders), 6 of them refunded: 30% > 20%.
    await add_orders(bot.services.db, [
        (f"R{n}", "", f"2026-11-22 09:{n:02d}", "SKU-1", 1_000, 1_000 if n < 6 else 0,
         "refunded" if n < 6 else "paid", f"b{n}")
        for n in range(19)
    ])  # fmt: skip
    assert alerts(await bot.tick(), REFUND) == []  # 19 orders: not yet
    await add_orders(bot.services.db, [("R19", "", "2026-11-22 09:59", "SKU-1", 1_000, 0,
                                        "paid", "b19")])  # fmt: skip
    [text] = alerts(await bot.tick(), REFUND)
    assert "今日退款率 30.0%（共 20 单），超过 20.0%" in text
    assert alerts(await bot.wait(timedelta(hours=2)), REFUND) == []  # the same day: once
    await add_orders(bot.services.db, [
        (f"S{n}", "", "2026-11-23 08:00", "SKU-1", 1_000, 1_000, "refunded", f"c{n}")
        for n in range(20)
    ])  # fmt: skip
    assert len(alerts(await bot.wait(timedelta(hours=12)), REFUND)) == 1  # the next day, again
    assert alerts(await bot.tick(), REFUND) == []


async def test_sales_far_below_the_week_are_told_from_mid_afternoon(bot: Driver) -> None:
    await setup_chats(bot, "managers")
    week = [(f"W{n}", "", f"2026-11-{15 + n} 12:00", "SKU-1", 24_000, 0, "paid", f"w{n}")
            for n in range(7)]  # fmt: skip
    await add_orders(bot.services.db, [*week, ("T1", "", "2026-11-22 09:00", "SKU-1", 7_000,
                                               0, "paid", "t1")])  # fmt: skip
    assert alerts(await bot.tick(), SALES) == []  # 10:00: before sales_check_hour
    [text] = alerts(await bot.wait(timedelta(hours=5)), SALES)  # 15:00, 7,000 < 15,000 / 2
    assert "15:00" in text and "¥70.00" in text and "¥150.00" in text and "53%" in text
    assert alerts(await bot.wait(timedelta(hours=1)), SALES) == []


async def add_code(bot: Driver, sample_id: int, stage: str, expires_in: timedelta) -> None:
    async with bot.services.db.transaction() as conn:
        await conn.execute(
            "INSERT INTO creators (id, handle, handle_key, tier, owner_id,"
            " created_at, updated_at) VALUES (1, 'lily', 'lily', 'A', ?, ?, ?)"
            " ON CONFLICT DO NOTHING",
            (BOB, to_ts(T0), to_ts(T0)),
        )
        await conn.execute(
            "INSERT INTO samples (id, creator_id, owner_id, product, stage, shipped_at, code,"
            " code_expires_at, created_at, updated_at) VALUES (?, 1, ?, '面膜', ?, ?, 'AUTH',"
            " ?, ?, ?)",
            (sample_id, BOB, stage, to_ts(T0), to_ts(T0 + expires_in), to_ts(T0), to_ts(T0)),
        )


async def test_a_code_about_to_expire_without_ads_result_is_told_once_a_day(bot: Driver) -> None:
    await setup_chats(bot, "managers")
    await add_code(bot, 1, "handed_to_ads", timedelta(days=2, hours=1))
    await add_code(bot, 2, "code_received", timedelta(days=5))  # not within 3 days
    await add_code(bot, 3, "done", timedelta(days=1))  # closed
    [text] = alerts(await bot.tick(), CODE)
    assert "#1 lily — 面膜" in text and "还剩 2 天" in text
    assert alerts(await bot.tick(), CODE) == []
    await add_code(bot, 4, "code_received", timedelta(hours=5))
    async with bot.services.db.transaction() as conn:  # an ads result for #1 arrives
        await conn.execute(
            "INSERT INTO ad_reports (sample_id, reporter_id, spend_fen, impressions, clicks,"
            " orders, at) VALUES (1, ?, 100, 10, 1, 0, ?)",
            (BOB, to_ts(T0)),
        )
    [text] = alerts(await bot.tick(), CODE)
    assert "#4 lily" in text and "剩不到一天" in text
    # The next day #2 is within 3 days; #1 has its result and #4 has lapsed.
    [text] = alerts(await bot.wait(timedelta(days=2, hours=1)), CODE)
    assert "#2 lily" in text
