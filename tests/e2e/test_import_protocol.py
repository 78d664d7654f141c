"""The one import protocol through the real bot: rows that do not fit the header and amounts
beyond any statement are rejected by line for every import, and a long import shows progress
in one message that the report then replaces."""

from __future__ import annotations

import pytest

import storage.orders as orders_module
from bot import imports
from bot.offline.driver import Driver
from tests.e2e.conftest import ADA, EVE, SHARERS_CHAT, setup_chats
from tests.e2e.test_sharers import bind
from tests.xlsx import xlsx

ROSTER = "分享员ID,昵称\nA,Alice\nB,Bob\n"


async def _count(bot: Driver, table: str) -> int:
    return int(await bot.services.db.fetchval(f"SELECT count(*) FROM {table}"))


async def test_an_unquoted_thousands_comma_is_a_rejected_row_not_a_wrong_amount(
    bot: Driver,
) -> None:
    data = "\ufefforder_id,paid_at,amount,sharer_id\nu1,2026-11-20 12:00,¥1,234.50,WC\n"
    [done] = await bot.upload(ADA, ADA, data.encode(), "orders.csv", "/import")
    assert done.text.splitlines()[:3] == [
        "订单导入（orders.csv）：读取 1 行，新增 0，更新 0，未变 0，拒绝 1。",
        "",
        "跳过的行：",
    ]
    assert "第 2 行：有 5 个单元格，表头只有 4 个。带逗号的数字必须加引号" in done.text
    assert await _count(bot, "orders") == 0
    # Quoted, the same amount is read whole; empty trailing cells are spreadsheet noise.
    data = data.replace("¥1,234.50", '"¥1,234.50"').replace("WC\n", "WC,,\n")
    [done] = await bot.upload(ADA, ADA, data.encode(), "orders.csv", "/import")
    assert "新增 1" in done.text and "拒绝 0" in done.text
    assert await bot.services.db.fetchval("SELECT amount_fen || sharer_id FROM orders") == (
        "123450WC"
    )


async def test_roster_and_creators_reject_rows_that_do_not_fit_the_header(bot: Driver) -> None:
    roster = "分享员ID,昵称,邀请人ID\nA,Alice,\nB,Bob,A,extra\nC,Cai\n"
    [done] = await bot.upload(ADA, ADA, roster.encode(), "roster.csv", "/import_sharers")
    assert "读取 3 行，新增 1，更新 0，未变 0，拒绝 2" in done.text
    assert "第 3 行：有 4 个单元格，表头只有 3 个" in done.text
    assert "第 4 行：只有 2 个单元格，表头有 3 个" in done.text
    assert await _count(bot, "sharers") == 1
    data = xlsx([["handle", "platform", "followers"], ["lily", "抖音", 1000],
                 ["mia", "抖音", 2000, "shifted"]])  # fmt: skip
    [done] = await bot.upload(ADA, ADA, data, "c.xlsx", "/import_creators")
    assert done.text.splitlines()[0] == (
        "从 c.xlsx 导入达人：读取 2 行，新增 1，更新 0，未变 0，拒绝 1。"
    )
    assert "第 3 行：有 4 个单元格，表头只有 3 个" in done.text
    assert await _count(bot, "creators") == 1


async def test_an_amount_beyond_any_statement_is_rejected_and_boards_still_work(
    bot: Driver,
) -> None:
    await setup_chats(bot, "managers", "sharers")
    await bot.upload(ADA, ADA, ROSTER.encode(), "roster.csv", "/import_sharers")
    orders = (
        "order_id,paid_at,amount,sharer_id\n"
        "o1,2026-11-05 10:00,92233720368547758.07,A\n"
        "o2,2026-11-06 10:00,100.00,A\n"
        "o3,2026-11-06 11:00,50.00,B\n"
    )
    [done] = await bot.upload(ADA, ADA, orders.encode(), "orders.csv", "/import")
    assert "新增 2" in done.text and "拒绝 1" in done.text
    assert "第 2 行：金额 “92233720368547758.07” 超出了任何真实订单的范围" in done.text
    await bind(bot, EVE, "A")
    [me] = await bot.say(EVE, EVE, "/me")
    assert "出错了" not in me.text and "¥100.00" in me.text
    [board] = await bot.say(EVE, SHARERS_CHAT, "/top 2026-11")
    assert "出错了" not in board.text


async def test_a_long_import_edits_one_progress_message_into_the_report(
    bot: Driver, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Batches of 50 rows, a progress update allowed every 10 ms: the import outlasts several.
    monkeypatch.setattr(orders_module, "_BATCH", 50)
    monkeypatch.setattr(imports, "PROGRESS_EVERY", 0.01)
    rows = "".join(f"o{i:05d},2026-11-05 10:00,{i}.00,A\n" for i in range(3000))
    data = ("order_id,paid_at,amount,sharer_id\n" + rows).encode()
    [done] = await bot.upload(ADA, ADA, data, "big.csv", "/import")
    assert done.text.startswith("订单导入（big.csv）：读取 3,000 行，新增 3,000")
    assert done.edits >= 2  # at least one progress figure, then the report
    assert done.history[0].startswith("正在处理 big.csv……已读取 ")
    assert all(h.startswith("正在处理") for h in done.history)


async def test_the_command_line_runs_the_same_import(bot: Driver) -> None:
    seen: list[int] = []

    async def progress(rows: int) -> None:
        seen.append(rows)

    data = b"order_id,paid_at,amount\no1,2026-11-05 10:00,1\no1,2026-11-05 10:00,1,2\n"
    report = await imports.import_file(
        bot.services, "orders", data, "<o>.csv", actor_id=None, progress=progress
    )
    assert report.splitlines()[0] == (
        "订单导入（<o>.csv）：读取 2 行，新增 1，更新 0，未变 0，拒绝 1。"
    )


async def test_a_report_of_many_long_rejections_fits_one_message(bot: Driver) -> None:
    bad = "".join(f"o{i},2026-11-05 10:00,{'9' * 300}x,{'S' * 200}\n" for i in range(500))
    data = ("order_id,paid_at,amount,sharer_id\n" + bad).encode()
    [done] = await bot.upload(ADA, ADA, data, "bad.csv", "/import")
    assert len(done.text) <= 4096
    assert "拒绝 500" in done.text and "……还有 480 条。" in done.text
