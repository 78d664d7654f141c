"""From the shop's files to a sharer's statement, all through the real bot: a manager uploads
the roster and the order export of SPEC §3's worked example, the sharers bind their ids, and
their statements come out to the fen; a later refund export moves the figures."""

from __future__ import annotations

from bot.offline.driver import Driver
from tests.e2e.conftest import ADA, BOB, CAI, EVE, setup_chats
from tests.e2e.test_sharers import bind

ROSTER = """分享员ID,昵称,买家ID,邀请人ID,团长ID
A,Alice Wang,BA,,
B,Bob Li,BB,A,A
C,Cai Chen,BC,B,A
"""
ORDERS = """订单号,支付时间,分享员ID,买家ID,商品ID,实付金额,退款金额,订单状态
o1,2026-11-05 10:00,A,X1,SKU-001,200.00,,已支付
o2,2026-11-12 10:00,A,X2,SKU-002,"￥9,900.00",,已支付
o3,2026/11/13 10:00,A,X3,SKU-002,300.00,100.05,已支付
o4,2026-11-14 10:00,A,BA,SKU-002,150.15,,已支付
o5,2026-11-15 10:00,A,X5,SKU-002,500.00,,已取消
b1,2026-11-06 10:00,B,X6,SKU-002,"￥1,000.00",,已完成
b2,2026-11-07 10:00,B,X7,SKU-002,400.00,,已退款
c1,2026-11-08 10:00,C,X8,SKU-002,300.00,,已支付
"""


async def _upload(bot: Driver, text: str, name: str, caption: str) -> str:
    [report] = await bot.upload(ADA, ADA, text.encode("gbk"), name, caption)
    return report.text


async def test_worked_example_from_uploaded_files(bot: Driver) -> None:
    await setup_chats(bot, "managers")
    assert "3" in await _upload(bot, ROSTER, "roster.csv", "/import_sharers")
    report = await _upload(bot, ORDERS, "orders.csv", "/import")
    assert "8" in report
    await bind(bot, EVE, "A")
    await bind(bot, BOB, "B")
    await bind(bot, CAI, "C")
    [a] = await bot.say(EVE, EVE, "/commission 2026-11")
    assert "Direct (8%): ¥838.00" in a.text
    assert "Self-purchase: ¥4.50" in a.text
    assert "Level 2 (your invitees): ¥10.00" in a.text
    assert "Recruit reward: ¥20.00" in a.text
    assert "Total: ¥872.50" in a.text
    [b] = await bot.say(BOB, BOB, "/commission 2026-11")
    assert "合计：¥63.00" in b.text
    [c] = await bot.say(CAI, CAI, "/commission 2026-11")
    assert "合计：¥18.00" in c.text

    # The shop's next export refunds b1 in full: Bob's direct commission and Alice's level 2
    # fall, and importing the same file again changes nothing more.
    refunded = ORDERS.replace('"￥1,000.00",,已完成', '"￥1,000.00",1000.00,已完成')
    await _upload(bot, refunded, "orders-2.csv", "/import")
    again = await _upload(bot, refunded, "orders-2.csv", "/import")
    [b] = await bot.say(BOB, BOB, "/commission 2026-11")
    assert "合计：¥3.00" in b.text
    [a] = await bot.say(EVE, EVE, "/commission 2026-11")
    assert "Level 2 (your invitees): ¥0.00" in a.text
    assert "Recruit reward: ¥0.00" in a.text  # B's first month now has no valid sales
    assert again != report
