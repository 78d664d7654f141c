"""Settlement through the real bot: /settle freezes a month, sends the payout files and DMs;
a later refund shows as next month's negative adjustment; /rules and /levels."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from openpyxl import load_workbook

from bot.domain.rules import parse_rules
from bot.offline.driver import Driver
from bot.offline.local_api import LocalBotAPI
from tests.e2e.conftest import ADA, BOB, CAI, EVE, MANAGERS_CHAT, SHARERS_CHAT
from tests.e2e.test_commission import _worked
from tests.storage.test_commission_repo import add_orders


async def test_settle_refusals_change_nothing(bot: Driver) -> None:
    await _worked(bot)
    [early] = await bot.say(ADA, MANAGERS_CHAT, "/settle 2026-11")
    assert early.text == "2026-11 还没有结束：请在月份结束后再结算。"
    [bad] = await bot.say(ADA, MANAGERS_CHAT, "/settle 2026-13")
    assert bad.text.startswith("2026-13 不是月份")
    # Issue 9: months off the calendar ended in an internal error.
    for month in ("0000-01", "9999-12"):
        [bad] = await bot.say(ADA, MANAGERS_CHAT, f"/settle {month}")
        assert bad.text.startswith(f"{month} 不是月份") and "用法：/settle YYYY-MM" in bad.text
        [bad] = await bot.say(ADA, MANAGERS_CHAT, f"/settle_resend {month}")
        assert bad.text.startswith(f"{month} 不是月份")
    [not_manager] = await bot.say(BOB, BOB, "/settle 2026-10")
    assert not_manager.text == "/settle 仅限：管理者。"
    [public] = await bot.say(ADA, SHARERS_CHAT, "/settle 2026-10")
    assert public.text.startswith("结算数据是私密的")
    await add_orders(bot.services.db, [("s1", "B", "2026-09-03 10:00", "S", 100, 0, "paid", "")])
    [order] = await bot.say(ADA, ADA, "/settle 2026-10")
    assert order.text == "请先结算 2026-09：月份需按顺序结算。"
    [unsettled] = await bot.say(ADA, ADA, "/settle_resend 2026-10")
    assert unsettled.text == "2026-10还没有结算，没有可以重新发送的内容。"
    assert await bot.services.db.fetchval("SELECT COUNT(*) FROM settlements") == 0
    assert (
        await bot.services.db.fetchval("SELECT COUNT(*) FROM outbox WHERE key LIKE 'settle%'") == 0
    )


def _files(sent: list) -> dict[str, bytes]:
    return {m.document[0]: m.document[1] for m in sent if m.document and m.chat_id == MANAGERS_CHAT}


async def test_settle_sends_files_and_tells_each_sharer_once(bot: Driver) -> None:
    await _worked(bot)
    await bot.wait(timedelta(days=9))  # 2026-12-01: November is over
    [summary] = await bot.say(ADA, MANAGERS_CHAT, "/settle 2026-11")
    assert summary.text == "2026年11月已结算：3 名分享员，共 ¥953.50。"
    sent = await bot.tick()  # the files and the DMs go out through the outbox
    files = _files(sent)
    data = files["payout-2026-11.csv"]
    assert data.startswith(b"\xef\xbb\xbf")
    assert {m.caption for m in sent if m.document} == {"2026年11月打款文件"}
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == ["sharer_id", "name", "valid_sales", "direct", "self_purchase", "level2",
                       "team", "recruit", "adjustment", "total"]  # fmt: skip
    assert rows[1] == ["A", "Alice Wang", "10450.10", "838.00", "4.50", "10.00", "0.00",
                       "20.00", "0.00", "872.50"]  # fmt: skip
    sheet = load_workbook(io.BytesIO(files["payout-2026-11.xlsx"])).active
    assert [c.value for c in sheet[4]][:2] == ["C", "陈小春"] and float(sheet["J4"].value) == 18
    dms = {m.chat_id: m.text for m in sent if m.chat_id > 0}
    # Alice (Eve) leads Bob and 陈小春 (their leader_id): her DM gives the team reward too.
    assert dms[EVE].splitlines() == [
        "Your commission for November 2026 is settled: ¥872.50. /commission 2026-11 shows it.",
        "Team reward: ¥0.00 (your team's valid sales: ¥1,300.00).",
    ]
    assert dms[BOB] == "你2026年11月的佣金已结算：¥63.00。发送 /commission 2026-11 查看明细。"
    assert CAI in dms
    assert await bot.tick() == []  # nothing twice
    [again] = await bot.say(ADA, MANAGERS_CHAT, "/settle 2026-11")
    assert again.text == "2026-11 已经结算；已结算的月份不会再改变。"
    [entry, *_] = await bot.services.audit.entries("settlement", 202611)
    assert entry.actor_id == ADA and entry.after["lines"] == 3 and entry.after["queued"] == 5


async def test_a_settled_month_reads_as_it_was_settled(bot: Driver) -> None:
    await _worked(bot)
    await bot.wait(timedelta(days=9))
    await bot.say(ADA, ADA, "/settle 2026-11")
    # The rules change after the settlement: November still reads as it was paid.
    bot.services.rules = parse_rules('base_rate = "5%"')
    [a] = await bot.say(EVE, EVE, "/commission 2026-11")
    # Issue 9: the settled statement showed the base rate (6%) next to the 8% amount.
    assert a.text.splitlines()[2:] == [
        "Direct (8%): ¥838.00",
        "Self-purchase: ¥4.50",
        "Level 2 (your invitees): ¥10.00",
        "Team reward: ¥0.00",
        "Recruit reward: ¥20.00",
        "Adjustment: ¥0.00",
        "Total: ¥872.50",
        "Pending (refund window): ¥0.00 · confirmed: ¥872.50",
        "Settled on 1 Dec 2026.",
    ]


async def test_a_late_refund_is_next_months_negative_adjustment(bot: Driver) -> None:
    await _worked(bot)
    await bot.wait(timedelta(days=9))
    await bot.say(ADA, ADA, "/settle 2026-11")
    # B's order b1 is refunded in December, after November was paid out.
    await add_orders(bot.services.db, [("b1", "B", "2026-11-06 10:00", "SKU-002", 100000, 100000,
                                        "refunded", "u5")])  # fmt: skip
    [nov] = await bot.say(BOB, BOB, "/commission 2026-11")
    assert "合计：¥63.00" in nov.text and "已于2026年12月1日结算。" in nov.text
    [dec] = await bot.say(BOB, BOB, "/commission 2026-12")
    # Issue 9: the adjustment says which month it comes from.
    assert "调整：-¥60.00\n  · 2026年11月重新核算（退款或订单变更）：-¥60.00\n" in dec.text
    assert "合计：-¥60.00" in dec.text
    assert "待确认（退款期内）：¥0.00 · 已确认：-¥60.00" in dec.text  # it adds up
    # A loses level2 on b1 (10.00) and the recruit reward (B's first month fell under 500).
    [a_dec] = await bot.say(EVE, EVE, "/commission 2026-12")
    assert (
        "Adjustment: -¥30.00\n  · November 2026 recomputed after refunds or changes:" in a_dec.text
    )
    await bot.wait(timedelta(days=31))  # 2027-01-01
    await bot.say(ADA, ADA, "/settle 2026-12")
    [dec] = await bot.say(BOB, BOB, "/commission 2026-12")
    assert "调整：-¥60.00\n  · 2026年11月重新核算（退款或订单变更）：-¥60.00\n" in dec.text
    assert "已于2027年1月1日结算。" in dec.text
    [jan] = await bot.say(BOB, BOB, "/commission 2027-01")
    assert "调整：¥0.00" in jan.text and "重新核算" not in jan.text  # booked once


async def test_a_refused_upload_is_sent_again_on_request(bot: Driver, api: LocalBotAPI) -> None:
    """Issue 9: one refused sendDocument left the month settled with no DM queued and no
    payout file, and a second /settle only said "already settled"."""
    await _worked(bot)
    await bot.wait(timedelta(days=9))
    api.fail("sendDocument", status=400, description="Bad Request: file refused")
    await bot.say(ADA, MANAGERS_CHAT, "/settle 2026-11")
    sent = await bot.tick()
    assert _files(sent) == {} and {m.chat_id for m in sent} == {EVE, BOB, CAI}
    assert (await bot.services.outbox.state("payout:2026-11:csv")).status == "failed"
    api.clear_faults()
    [queued] = await bot.say(ADA, MANAGERS_CHAT, "/settle_resend 2026-11")
    assert queued.text == "已重新排队发送2026年11月的 2 条消息。"
    sent = await bot.tick()
    assert set(_files(sent)) == {"payout-2026-11.csv", "payout-2026-11.xlsx"}
    assert [m for m in sent if m.chat_id > 0] == []  # the DMs went out already
    [done] = await bot.say(ADA, MANAGERS_CHAT, "/settle_resend 2026-11")
    assert done.text.startswith("2026年11月的文件和通知都已送达或正在发送")
    [everything] = await bot.say(ADA, ADA, "/settle_resend 2026-11 all")
    assert everything.text == "已重新排队发送2026年11月的 5 条消息。"
    sent = await bot.tick()
    assert {m.chat_id for m in sent if not m.document} == {EVE, BOB, CAI}
    assert [m.chat_id for m in sent if m.document] == [ADA, ADA]  # to the chat that asked


async def test_nothing_is_lost_when_the_answer_never_goes_out(
    bot: Driver, api: LocalBotAPI
) -> None:
    """Issue 9: a kill -9 right after the /settle reply lost every DM. The month, its lines
    and every message announcing it are committed together, before the answer."""
    await _worked(bot)
    await bot.wait(timedelta(days=9))
    api.fail("sendMessage", status=500)  # the answer (and anything after it) fails
    await bot.say(ADA, MANAGERS_CHAT, "/settle 2026-11")
    counts = await bot.services.outbox.counts("settle:2026-11:")
    assert counts == {"pending": 3}
    assert await bot.services.outbox.counts("payout:2026-11:") == {"pending": 2}
    api.clear_faults()
    sent = await bot.tick()  # as after a restart: the pump finds what was queued
    assert {m.chat_id for m in sent if not m.document} == {EVE, BOB, CAI}
    assert set(_files(sent)) == {"payout-2026-11.csv", "payout-2026-11.xlsx"}


async def test_rules_and_levels_in_plain_words(bot: Driver) -> None:
    [rules] = await bot.say(EVE, EVE, "/rules")
    assert rules.text.splitlines()[:3] == [
        "Commission rules",
        "• Direct commission: 6% of your valid sales (paid amount minus refunds; cancelled and "
        "refunded orders count 0).",
        "• From ¥10,000.00 of valid sales in a month: 8% on the whole month.",
    ]
    assert "• Boost: SKU-001 at 15% from 1 Nov 2026 to 11 Nov 2026." in rules.text
    [levels] = await bot.say(BOB, SHARERS_CHAT, "/levels")
    assert levels.text.splitlines() == [
        "等级（按上月有效销售额决定）：",
        "• 初级：¥0.00 起，直接佣金比例 +0%",
        "• 金牌：¥30,000.00 起，直接佣金比例 +1%",
    ]
