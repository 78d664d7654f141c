"""Order and roster imports through the real stack: a document with a caption, the bot's reply."""

from __future__ import annotations

import io
import zipfile

from bot.offline.driver import Driver
from storage.orders import Orders
from tests.conftest import T0
from tests.e2e.conftest import ADA, BOB, EVE, MANAGERS_CHAT
from tests.xlsx import xlsx

HEAD = (
    "订单号,支付时间,分享员ID,买家ID,商品ID,商品名称,"
    "数量,实付金额,退款金额,订单状态,达人昵称,收货省份\n"
)
ORDERS = (
    HEAD + "o1,2026-11-05 10:00:00,A,BA,SKU-001,面膜,1,200.00,,已完成,@lily,广东\n"
    'o2,2026/11/12 09:30,A,B7,SKU-002,精华,2,"¥9,900.00",,已支付,,浙江\n'
    "o3,2026-11-13 20:00,B,B8,SKU-002,精华,1,￥300.00,100.05,已完成,,上海\n"
    "o4,2026-11-14 08:00,,B9,SKU-002,精华,1,150.15,,已取消,,北京\n"
)


def _bad_sheet_xml() -> bytes:
    source, out = (
        zipfile.ZipFile(io.BytesIO(xlsx([["order_id", "paid_at", "amount"]]))),
        io.BytesIO(),
    )
    with zipfile.ZipFile(out, "w") as damaged:
        for item in source.infolist():
            data = source.read(item.filename)
            damaged.writestr(item, data[:-40] if item.filename.endswith("sheet1.xml") else data)
    return out.getvalue()


async def rows(bot: Driver, sql: str) -> list[tuple]:
    return [tuple(r) for r in await bot.services.db.fetchall(sql)]


async def test_manager_imports_orders_then_reimports_with_a_refund(bot: Driver) -> None:
    [done] = await bot.upload(ADA, ADA, ORDERS.encode(), "orders.csv", "/import")
    assert done.chat_id == ADA
    assert done.text.startswith(
        "订单导入（orders.csv）：读取 4 行，新增 4，更新 0，未变 0，拒绝 0。"
    )
    assert "尚未绑定 Telegram 账号的分享员ID（2 个）：\nA、B" in done.text
    assert await rows(bot, "SELECT order_id, amount_fen, refund_fen, valid_fen, month, day"
                      " FROM orders ORDER BY order_id") == [
        ("o1", 20000, 0, 20000, 202611, 20261105),
        ("o2", 990000, 0, 990000, 202611, 20261112),
        ("o3", 30000, 10005, 19995, 202611, 20261113),
        ("o4", 15015, 0, 0, 202611, 20261114),
    ]  # fmt: skip
    assert await rows(bot, "SELECT * FROM sharer_month ORDER BY sharer_id") == [
        ("A", 202611, 1010000, 2),
        ("B", 202611, 19995, 1),
    ]
    # The shop re-exports the month: o2 was refunded since, the rest is as it was.
    again = ORDERS.replace('"¥9,900.00",,已支付', '"¥9,900.00",9900.00,已退款')
    [done] = await bot.upload(ADA, ADA, again.encode(), "orders.csv", "/import")
    assert "读取 4 行，新增 0，更新 1，未变 3，拒绝 0" in done.text
    assert await rows(bot, "SELECT * FROM sharer_month ORDER BY sharer_id") == [
        ("A", 202611, 20000, 1),
        ("B", 202611, 19995, 1),
    ]
    assert await bot.services.repo(Orders).rollup_drift() == {
        "sharer_day": 0, "sharer_month": 0, "sku_day": 0,
    }  # fmt: skip
    assert await rows(bot, "SELECT count(*) FROM orders") == [(4,)]
    imports = await rows(bot, "SELECT kind, filename, actor_id, read, new, updated, unchanged,"
                         " rejected FROM imports ORDER BY id")  # fmt: skip
    assert imports == [
        ("orders", "orders.csv", ADA, 4, 4, 0, 0, 0),
        ("orders", "orders.csv", ADA, 4, 0, 1, 3, 0),
    ]
    [audited, _] = await bot.services.audit.entries("orders")
    assert (audited.actor_id, audited.action, audited.after["updated"]) == (ADA, "import", 1)


async def test_bad_rows_are_skipped_and_reported_by_line(bot: Driver) -> None:
    text = (
        "order_id,paid_at,amount,refund,status,sharer_id\n"
        "x1,2026-11-05 10:00,12.50,,paid,S1\n"
        'x2,2026-11-05 10:00,"12,34",,paid,S1\n'
        "x3,2026-11-05 10:00,-5.00,,paid,S1\n"
        "x4,2026-11-05 10:00,10.00,20.00,paid,S1\n"
        "x5,yesterday,10.00,,paid,S1\n"
        ",2026-11-05 10:00,10.00,,paid,S1\n"
        "x6,2026-11-05 10:00,10.00,,lost,S1\n"
        "x1,2026-11-06 10:00,13.50,,paid,S1\n"
    )
    [done] = await bot.upload(EVE, EVE, text.encode(), "orders.csv", "/import")
    assert done.text.startswith("/import is for: manager.")  # Eve is not a manager yet
    await bot.services.users.grant(EVE, "manager", actor_id=ADA, now=T0)
    [done] = await bot.upload(EVE, EVE, text.encode(), "orders.csv", "/import")
    assert done.text == "\n".join([
        "Orders from orders.csv: 8 rows read, 1 new, 0 updated, 0 unchanged, 6 rejected.",
        "",
        "Rows skipped:",
        "line 3: the amount “12,34” is ambiguous: use a dot for decimals, commas only between"
        " thousands (1,234.50)",
        "line 4: the amount “-5.00” is negative",
        "line 5: the refund ¥20.00 is more than the amount ¥10.00",
        "line 6: cannot read the time “yesterday” (write 2026-11-05 14:30)",
        "line 7: no order id",
        "line 8: unknown status “lost” (paid, refunded or cancelled)",
        "",
        "Listed more than once; the later row counts:",
        "line 2: x1",
        "",
        "Sharer ids not bound to a Telegram account yet (1):",
        "S1",
    ])  # fmt: skip
    assert await rows(bot, "SELECT order_id, amount_fen, day FROM orders") == [
        ("x1", 1350, 20261106)
    ]


async def test_missing_columns_are_refused_with_the_headers_found(bot: Driver) -> None:
    text = "订单号,下单日期,金额\no1,2026-11-05,12.00\n"
    [done] = await bot.upload(ADA, ADA, text.encode(), "orders.csv", "/import")
    assert done.text == (
        "文件缺少这些列：paid_at/支付时间/下单时间、amount/实付金额/订单金额。"
        "找到的表头：订单号、下单日期、金额。没有导入任何数据。"
    )
    assert await rows(bot, "SELECT count(*) FROM orders") == [(0,)]
    assert await rows(bot, "SELECT count(*) FROM imports") == [(0,)]


async def test_whole_file_problems_get_a_clear_answer(bot: Driver) -> None:
    await bot.say(EVE, EVE, "/start")
    await bot.services.users.grant(EVE, "manager", actor_id=ADA, now=T0)
    cases = [
        (b"", "orders.csv", "orders.csv is empty."),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "photo.png", "photo.png is not a CSV or XLSX file."),
        (b"order_id,paid_at,amount\n", "orders.csv", "orders.csv has a header but no rows"),
        (b'order_id,paid_at,amount\no1,2026-11-05 10:00,"12.00\n', "orders.csv",
         "a quote is not closed on line 2"),
        (b"PK\x03\x04broken", "orders.xlsx", "orders.xlsx is a damaged file"),
        (_bad_sheet_xml(), "orders.xlsx", "orders.xlsx is a damaged file"),
        ("order_id,paid_at,amount\nu1,2026-11-05 10:00,1,山田さくら\n".encode("shift_jis"),
         "orders.csv", "orders.csv is neither UTF-8 nor GBK text"),
        (b"order_id,paid_at,amount\nu1,2026-11-05 10:00," + b"9" * 200_000 + b"\n", "orders.csv",
         "a cell on line 2 is too long (more than 131,072 characters)"),
    ]  # fmt: skip
    for data, name, expected in cases:
        [done] = await bot.upload(EVE, EVE, data, name, "/import")
        assert expected in done.text, (name, done.text)
    assert await rows(bot, "SELECT count(*) FROM orders") == [(0,)]


async def test_gbk_and_xlsx_files_are_read(bot: Driver) -> None:
    gbk = HEAD + "g1,2026-11-05 10:00:00,A,BA,SKU-001,面膜,1,￥1,200.00,,已完成,,广东\n"
    gbk = gbk.replace("￥1,200.00", '"￥1,200.00"')
    [done] = await bot.upload(ADA, ADA, gbk.encode("gbk"), "订单.csv", "/import")
    assert "读取 1 行，新增 1" in done.text
    data = xlsx(
        [
            ["订单编号", "下单时间", "订单金额", "分享员id", "备注"],
            ["x1", "2026-11-06 11:00", 88.8, "A", "extra column"],
        ]
    )
    [done] = await bot.upload(ADA, ADA, data, "orders.xlsx", "/import@crewbot_bot")
    assert "读取 1 行，新增 1" in done.text
    assert await rows(bot, "SELECT order_id, amount_fen, paid_at FROM orders ORDER BY 1") == [
        ("g1", 120000, 1793844000),
        ("x1", 8880, 1793934000),
    ]


async def test_import_is_for_managers_in_private(bot: Driver) -> None:
    [done] = await bot.upload(ADA, MANAGERS_CHAT, ORDERS.encode(), "orders.csv", "/import")
    assert done.text == "请在与我的私聊中使用 /import。"
    [done] = await bot.upload(BOB, BOB, ORDERS.encode(), "orders.csv", "/import_sharers")
    assert done.text == "/import_sharers 仅限：管理者。"
    assert await bot.upload(ADA, ADA, ORDERS.encode(), "orders.csv", "/import@other_bot") == []
    [usage] = await bot.say(ADA, ADA, "/import")
    assert usage.text == (
        "请把订单导出表（CSV 或 XLSX）作为文件发送，并以 /import 作为说明文字。\n"
        "用法：/import + CSV/XLSX"
    )
    [helped] = await bot.say(ADA, ADA, "/help")
    assert "/import" in helped.text and "/import_sharers" in helped.text
    assert await rows(bot, "SELECT count(*) FROM orders") == [(0,)]


async def test_roster_import_upserts_sharers_and_refuses_cycles(bot: Driver) -> None:
    roster = (
        "分享员ID,昵称,买家ID,邀请人ID,团长ID\n"
        "A,Alice,BA,,\n"
        "B,Bella,BB,A,A\n"
        "C,Cora,BC,B,A\n"
        "D,Dora,BD,D,\n"
        "A,Alice W,BA,C,\n"
        "E,,BE,Z,L\n"
    )
    [done] = await bot.upload(ADA, ADA, roster.encode(), "roster.csv", "/import_sharers")
    assert done.text == "\n".join([
        "分享员导入（roster.csv）：读取 6 行，新增 4，更新 0，未变 0，拒绝 2。",
        "",
        "跳过的行：",
        "第 5 行：D 不能邀请自己",
        "第 6 行：C 不能成为 A 的邀请人，因为 A 在邀请关系中是 C 的上级",
        "",
        "作为邀请人或团长出现但不在文件中，已按 ID 添加：",
        "L、Z",
    ])  # fmt: skip
    assert await rows(bot, "SELECT sharer_id, name, buyer_id, inviter_id, leader_id, is_leader"
                      " FROM sharers ORDER BY sharer_id") == [
        ("A", "Alice", "BA", None, None, 1),
        ("B", "Bella", "BB", "A", "A", 0),
        ("C", "Cora", "BC", "B", "A", 0),
        ("E", "", "BE", "Z", "L", 0),
        ("L", "", None, None, None, 1),
        ("Z", "", None, None, None, 0),
    ]  # fmt: skip
    async with bot.services.db.transaction() as conn:
        await conn.execute("UPDATE sharers SET user_id = 42 WHERE sharer_id = 'B'")
    [again] = await bot.upload(ADA, ADA, roster.encode(), "roster.csv", "/import_sharers")
    assert again.text.startswith(
        "分享员导入（roster.csv）：读取 6 行，新增 0，更新 0，未变 4，拒绝 2。"
    )
    fixed = "分享员ID,昵称\nB,Bella Li\n"
    [done] = await bot.upload(ADA, ADA, fixed.encode(), "fix.csv", "/import_sharers")
    assert done.text == "分享员导入（fix.csv）：读取 1 行，新增 0，更新 1，未变 0，拒绝 0。"
    assert await rows(
        bot, "SELECT name, inviter_id, user_id FROM sharers WHERE sharer_id = 'B'"
    ) == [("Bella Li", "A", 42)]
    [audited] = await bot.services.audit.entries("sharer", "B")
    assert (audited.before["name"], audited.after["name"]) == ("Bella", "Bella Li")
    # Once bound, B drops out of an order import's "not bound yet" list.
    [done] = await bot.upload(ADA, ADA, ORDERS.encode(), "orders.csv", "/import")
    assert done.text.endswith("尚未绑定 Telegram 账号的分享员ID（1 个）：\nA")


async def test_a_row_holding_a_nul_character_is_refused_in_every_import(bot: Driver) -> None:
    # Binary data, not text (PostgreSQL's text cannot even keep it): refused by line, in the
    # reader's language, the rest imported, on either store.
    roster = "分享员ID,昵称\nA,Alice\nB,Bel\x00la\nC,Cora\n"
    [done] = await bot.upload(ADA, ADA, roster.encode(), "roster.csv", "/import_sharers")
    assert done.text == "\n".join([
        "分享员导入（roster.csv）：读取 3 行，新增 2，更新 0，未变 0，拒绝 1。",
        "",
        "跳过的行：",
        "第 3 行：含有 NUL 字符，这是二进制数据，不是文本",
    ])  # fmt: skip
    await bot.services.users.grant(EVE, "manager", actor_id=ADA, now=T0)
    orders = "order_id,paid_at,amount\nx1,2026-11-05 10:00,12.50\nx\x002,2026-11-05 10:00,1\n"
    [done] = await bot.upload(EVE, EVE, orders.encode(), "orders.csv", "/import")
    assert done.text == "\n".join([
        "Orders from orders.csv: 2 rows read, 1 new, 0 updated, 0 unchanged, 1 rejected.",
        "",
        "Rows skipped:",
        "line 3: holds a NUL character, which is binary data, not text",
    ])  # fmt: skip
    assert await rows(bot, "SELECT sharer_id FROM sharers ORDER BY 1") == [("A",), ("C",)]
    assert await rows(bot, "SELECT order_id FROM orders") == [("x1",)]
