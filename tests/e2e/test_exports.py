"""/export through the real bot: a CSV with a BOM and an XLSX, with the registry's columns."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

from bot.offline.driver import Driver
from storage.creators import Creators
from storage.db import to_ts
from tests.conftest import T0
from tests.e2e.conftest import ADA, BD_CHAT, BOB, CAI, EVE, setup_chats


def read_csv(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")  # Excel needs the BOM to read UTF-8 Chinese
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def read_xlsx(data: bytes) -> list[list[object]]:
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


async def test_export_samples_as_the_register(bot: Driver) -> None:
    await setup_chats(bot, "bd")
    await bot.say(BOB, BD_CHAT, "/creator_add 小美🎉 S douyin 3万 美妆")
    [c] = await bot.services.repo(Creators).by_handle("小美🎉")
    async with bot.services.db.transaction() as conn:
        await conn.execute(
            "INSERT INTO samples (creator_id, owner_id, product, shipping_order_id, stage,"
            " shipped_at, video_url, code, chases, created_at, updated_at)"
            " VALUES (?, ?, '面膜, 50ml', 'SF1001', 'handed_to_ads', ?,"
            " 'https://v.douyin.com/x', 'CODE1', 2, ?, ?)",
            (c.id, BOB, to_ts(T0), to_ts(T0), to_ts(T0)),
        )
    csv_doc, xlsx_doc = await bot.say(BOB, BD_CHAT, "/export samples")
    assert csv_doc.document[0] == "达人信息登记表-2026-11-22.csv"
    assert xlsx_doc.document[0] == "达人信息登记表-2026-11-22.xlsx"
    assert csv_doc.text == "共 1 行"
    header = ["编号", "达人", "等级", "寄样日期", "快递单号", "产品", "商务", "进度", "视频链接",
              "授权码", "催视频次数"]  # fmt: skip
    row = ["#1", "小美🎉", "S", "2026-11-22", "SF1001", "面膜, 50ml", "Bob", "已投流",
           "https://v.douyin.com/x", "CODE1", "2"]  # fmt: skip
    assert read_csv(csv_doc.document[1]) == [header, row]
    assert read_xlsx(xlsx_doc.document[1]) == [header, [*row[:-1], 2]]


async def test_export_creators_in_english_and_refusals(bot: Driver) -> None:
    await setup_chats(bot, "bd")
    await bot.say(BOB, BD_CHAT, "/creator_add lily A douyin 1.2万 美妆")
    await bot.say(BOB, BD_CHAT, "/creator_stats lily adult=85.5%")
    await bot.say(BOB, BD_CHAT, "/creator_add mia S")
    [refused] = await bot.say(EVE, EVE, "/export creators")
    assert refused.text == "/export is for: BD."
    csv_doc, xlsx_doc = await bot.say(CAI, BD_CHAT, "/export creators")
    assert csv_doc.document[0] == "达人名单-2026-11-22.csv"
    rows = read_csv(csv_doc.document[1])
    assert rows[0][:4] == ["达人", "平台", "等级", "商务"]
    assert [r[0] for r in rows[1:]] == ["mia", "lily"]  # S before A
    assert rows[2][4:9] == ["12000", "美妆", "合作中", "", "85.5%"]
    assert read_xlsx(xlsx_doc.document[1])[2][4] == 12000
    await bot.say(ADA, ADA, f"/grant {EVE} bd")
    english, _ = await bot.say(EVE, EVE, "/export creators")
    assert english.document[0] == "creator list-2026-11-22.csv" and english.text == "2 rows"
    assert read_csv(english.document[1])[0][:4] == ["Creator", "Platform", "Tier", "BD"]
    [usage] = await bot.say(CAI, BD_CHAT, "/export everything")
    assert usage.text == "请选择 creators 或 samples。\n用法：/export creators|samples"
