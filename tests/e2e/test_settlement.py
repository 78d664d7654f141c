"""Settlement through the real bot: /settle freezes a month, sends the payout files and DMs;
a later refund shows as next month's negative adjustment; /rules and /levels."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from openpyxl import load_workbook

from bot.offline.driver import Driver
from tests.e2e.conftest import ADA, BOB, CAI, EVE, MANAGERS_CHAT, SHARERS_CHAT
from tests.e2e.test_commission import _worked
from tests.storage.test_commission_repo import add_orders


async def test_settle_refusals_change_nothing(bot: Driver) -> None:
    await _worked(bot)
    [early] = await bot.say(ADA, MANAGERS_CHAT, "/settle 2026-11")
    assert early.text == "2026-11 还没有结束：请在月份结束后再结算。"
    [bad] = await bot.say(ADA, MANAGERS_CHAT, "/settle 2026-13")
    assert bad.text.startswith("2026-13 不是月份")
    [not_manager] = await bot.say(BOB, BOB, "/settle 2026-10")
    assert not_manager.text == "/settle 仅限：管理者。"
    [public] = await bot.say(ADA, SHARERS_CHAT, "/settle 2026-10")
    assert public.text.startswith("结算数据是私密的")
    await add_orders(bot.services.db, [("s1", "B", "2026-09-03 10:00", "S", 100, 0, "paid", "")])
    [order] = await bot.say(ADA, ADA, "/settle 2026-10")
    assert order.text == "请先结算 2026-09：月份需按顺序结算。"
    assert await bot.services.db.fetchval("SELECT COUNT(*) FROM settlements") == 0


async def test_settle_sends_files_and_tells_each_sharer_once(bot: Driver) -> None:
    await _worked(bot)
    await bot.wait(timedelta(days=9))  # 2026-12-01: November is over
    answers = await bot.say(ADA, MANAGERS_CHAT, "/settle 2026-11")
    summary, csv_doc, xlsx_doc = answers
    assert summary.text == "2026年11月 已结算：3 名分享员，共 ¥953.50。"
    name, data = csv_doc.document
    assert name == "payout-2026-11.csv" and data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == ["sharer_id", "name", "valid_sales", "direct", "self_purchase", "level2",
                       "team", "recruit", "adjustment", "total"]  # fmt: skip
    assert rows[1] == ["A", "Alice Wang", "10450.10", "838.00", "4.50", "10.00", "0.00",
                       "20.00", "0.00", "872.50"]  # fmt: skip
    sheet = load_workbook(io.BytesIO(xlsx_doc.document[1])).active
    assert [c.value for c in sheet[4]][:2] == ["C", "陈小春"] and float(sheet["J4"].value) == 18
    dms = {m.chat_id: m.text for m in await bot.tick() if m.chat_id > 0}
    assert (
        dms[EVE]
        == "Your commission for November 2026 is settled: ¥872.50. /commission 2026-11 shows it."
    )
    assert dms[BOB] == "你2026年11月的佣金已结算：¥63.00。发送 /commission 2026-11 查看明细。"
    assert CAI in dms
    assert [m for m in await bot.tick() if m.chat_id > 0] == []  # nothing twice
    [again] = await bot.say(ADA, MANAGERS_CHAT, "/settle 2026-11")
    assert again.text == "2026-11 已经结算；已结算的月份不会再改变。"
    [entry, *_] = await bot.services.audit.entries("settlement", 202611)
    assert entry.actor_id == ADA and entry.after["lines"] == 3


async def test_a_late_refund_is_next_months_negative_adjustment(bot: Driver) -> None:
    await _worked(bot)
    await bot.wait(timedelta(days=9))
    await bot.say(ADA, ADA, "/settle 2026-11")
    # B's order b1 is refunded in December, after November was paid out.
    await add_orders(bot.services.db, [("b1", "B", "2026-11-06 10:00", "SKU-002", 100000, 100000,
                                        "refunded", "u5")])  # fmt: skip
    [nov] = await bot.say(BOB, BOB, "/commission 2026-11")
    assert "合计：¥63.00" in nov.text and "已于 2026年12月1日 结算。" in nov.text
    [dec] = await bot.say(BOB, BOB, "/commission 2026-12")
    assert "调整：-¥60.00" in dec.text and "合计：-¥60.00" in dec.text
    # A loses level2 on b1 (10.00) and the recruit reward (B's first month fell under 500).
    [a_dec] = await bot.say(EVE, EVE, "/commission 2026-12")
    assert "Adjustment: -¥30.00" in a_dec.text
    await bot.wait(timedelta(days=31))  # 2027-01-01
    await bot.say(ADA, ADA, "/settle 2026-12")
    [dec] = await bot.say(BOB, BOB, "/commission 2026-12")
    assert "调整：-¥60.00" in dec.text and "已于 2027年1月1日 结算。" in dec.text
    [jan] = await bot.say(BOB, BOB, "/commission 2027-01")
    assert "调整：¥0.00" in jan.text  # booked once


async def test_rules_and_levels_in_plain_words(bot: Driver) -> None:
    [rules] = await bot.say(EVE, EVE, "/rules")
    assert rules.text.splitlines()[:3] == [
        "Commission rules",
        "• Direct commission: 6% of your valid sales (paid amount minus refunds; cancelled and "
        "refunded orders count 0).",
        "• From ¥10,000.00 of valid sales in a month: 8% on the whole month.",
    ]
    assert "• Boost: SKU-001 at 15% from November 1, 2026 to November 11, 2026." in rules.text
    [levels] = await bot.say(BOB, SHARERS_CHAT, "/levels")
    assert levels.text.splitlines() == [
        "等级（按上月有效销售额决定）：",
        "• 初级：¥0.00 起，直接佣金比例 +0%",
        "• 金牌：¥30,000.00 起，直接佣金比例 +1%",
    ]
