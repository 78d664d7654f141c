"""Screening through the real bot: /creator_stats, /find, and importing a marketplace export
(in DM with the caption /import_creators, or from the command line)."""

from __future__ import annotations

import io

from openpyxl import Workbook

from bot.imports import import_file
from bot.offline.driver import Driver
from storage.creators import Creators
from storage.db import to_ts
from tests.conftest import T0
from tests.e2e.conftest import ADA, BD_CHAT, BOB, CAI, setup_chats

EXPORT = (
    "达人昵称,平台,粉丝数,主营类目,18岁以上占比,女性粉丝占比,近30天作品数,互动率,近28天推广商品数\n"
    'lily,抖音,120万,"美妆,护肤",85%,70%,30,6.5%,12\n'
    "mia,douyin,3.2万,美妆,90%,80%,12,3%,4\n"
    "小美🎉,小红书,8000,母婴,70%,95%,8,9%,2\n"
)


async def creators(bot: Driver) -> dict[str, dict]:
    rows = await bot.services.db.fetchall("SELECT * FROM creators")
    return {r["handle"]: dict(r) for r in rows}


async def test_creator_stats_are_stored_in_screening_columns(bot: Driver) -> None:
    await setup_chats(bot, "bd")
    await bot.say(BOB, BD_CHAT, "/creator_add lily A douyin")
    [saved] = await bot.say(
        BOB, BD_CHAT, "/creator_stats lily followers=1.2万 adult=85.5% female=70 posts=12 "
        "interaction=5.2% products=8 categories=美妆,护肤"
    )  # fmt: skip
    assert saved.text.startswith("已保存 lily 的选达人指标：followers=12,000，adult=85.5%")
    assert "categories=美妆、护肤" in saved.text
    lily = (await creators(bot))["lily"]
    assert (lily["followers"], lily["adult_bp"], lily["female_bp"], lily["interaction_bp"]) == (
        12000,
        8550,
        7000,
        520,
    )
    assert (lily["posts_30d"], lily["products_28d"], lily["categories"]) == (12, 8, "美妆,护肤")
    [entry] = [
        e for e in await bot.services.audit.entries("creator", lily["id"]) if e.action == "stats"
    ]
    assert entry.actor_id == BOB


async def test_creator_stats_bad_input(bot: Driver) -> None:
    await setup_chats(bot, "bd")
    await bot.say(BOB, BD_CHAT, "/creator_add lily A")
    cases = {
        "/creator_stats lily height=3": (
            "未知指标 height：可用 categories、followers、adult、female、posts、interaction"
            " 或 products。"
        ),
        "/creator_stats lily adult=120%": "adult=120% 不是有效的值。",
        "/creator_stats lily adult=": "adult 需要一个值，例如 adult=35%。",
        "/creator_stats lilx adult=3%": "没有达人 lilx。你是不是要找：lily？",
    }
    for command, expected in cases.items():
        [answer] = await bot.say(BOB, BD_CHAT, command)
        # A reason, then the usage line where the argument itself did not parse.
        assert answer.text.partition("\n用法：")[0] == expected.partition("\n用法：")[0], command
    assert (await creators(bot))["lily"]["adult_bp"] is None


async def test_find_ranks_with_the_bots_own_figures(bot: Driver) -> None:
    await setup_chats(bot, "bd")
    await bot.say(ADA, ADA, "/lang en")
    report = await import_file(bot.services, "creators", EXPORT.encode(), "x.csv", actor_id=BOB)
    assert "3 new" in report or "新增 3" in report
    found = await creators(bot)
    # mia delivered every sample and sold; lily never answered.
    async with bot.services.db.transaction() as conn:
        for handle, stage, video in (
            ("mia", "done", 1),
            ("mia", "done", 1),
            ("lily", "no_show", 0),
        ):
            await conn.execute(
                "INSERT INTO samples (creator_id, owner_id, product, stage, shipped_at, signed_at,"
                " video_at, chases, chases_replied, created_at, updated_at)"
                " VALUES (?, 2, 'p', ?, ?, ?, ?, 2, ?, ?, ?)",
                (found[handle]["id"], stage, to_ts(T0), to_ts(T0), to_ts(T0) if video else None,
                 video * 2, to_ts(T0), to_ts(T0)),
            )  # fmt: skip
        await conn.execute(
            "INSERT INTO orders (order_id, paid_at, month, day, amount_fen, status, valid_fen,"
            " creator, imported_at) VALUES ('o1', 0, 202611, 20261101, 5000000,"
            " 'paid', 5000000, 'MIA', 0)"
        )
    [sales] = await bot.say(ADA, ADA, "/find 美妆 goal=sales")
    lines = sales.text.splitlines()
    assert lines[0] == "2 creators match; the best:"
    assert lines[1].startswith("1. mia B · 20k-100k — 78.5: followers 32,000 · interaction 3.0% · ")
    assert "fulfilment 100% · replies 100% · sales ¥50,000.00" in lines[1]
    assert lines[2].startswith("2. lily B · 1m+ — ") and "fulfilment 0% · replies 0%" in lines[2]
    [brand] = await bot.say(ADA, ADA, "/find 美妆 goal=brand")
    assert brand.text.splitlines()[1].startswith("1. lily")
    [few] = await bot.say(ADA, ADA, "/find female>=90 interaction>=5%")
    assert few.text.splitlines()[0] == "1 creator matches; the best:"
    assert few.text.splitlines()[1].startswith("1. 小美🎉 B · 1k-20k")
    [none] = await bot.say(ADA, ADA, "/find 1m+ posts>=100")
    assert none.text == "No creator matches."
    await bot.say(BOB, BD_CHAT, "/block mia 不再合作")
    [after] = await bot.say(ADA, ADA, "/find 美妆")
    assert "mia" not in after.text  # blocked creators are not proposed


async def test_find_bad_filters(bot: Driver) -> None:
    await setup_chats(bot, "bd")
    await import_file(bot.services, "creators", EXPORT.encode(), "x.csv", actor_id=BOB)
    cases = {
        "/find 美装": "没有达人属于类目 美装。",
        "/find 护肤品": "没有达人属于类目 护肤品。你是不是要找：护肤？",
        "/find 1万-10万": (
            "1万-10万 不是粉丝区间，请用其中之一：1k-20k、20k-100k、100k-500k、500k-1m、1m+。"
        ),
        "/find adult<=50": "adult<=50：筛选条件只支持 >=（至少）。",
        "/find height>=3": (
            "未知筛选条件 height>=3：可用 adult>=N、female>=N、posts>=N、interaction>=N%"
            " 或 goal=brand|sales。"
        ),
        "/find goal=fame": "goal=fame：值无效。",
        "/find 美妆 美妆": "美妆 与前面的筛选条件重复。",
    }
    for command, expected in cases.items():
        [answer] = await bot.say(BOB, BD_CHAT, command)
        # A reason, then the usage line where the argument itself did not parse.
        assert answer.text.partition("\n用法：")[0] == expected.partition("\n用法：")[0], command


async def test_import_by_document_is_idempotent_and_reports_bad_rows(bot: Driver) -> None:
    await bot.say(BOB, BOB, "/start")
    await bot.say(ADA, ADA, f"/grant {BOB} manager")
    data = (EXPORT + "bad guy,抖音,many,美妆,,,,,\n,抖音,1,美妆,,,,,\nzoe,mars,1,,,,,,\n").encode(
        "utf-8-sig"
    )
    [report] = await bot.upload(BOB, BOB, data, "达人广场.csv", "/import_creators")
    assert report.text.splitlines() == [
        "从 达人广场.csv 导入达人：读取 6 行，新增 3，更新 0，未变 0，拒绝 3。",
        "",
        "跳过的行：",
        "第 5 行：“bad guy” 不能作为达人昵称（不能有空格，最多 64 个字符）",
        "第 6 行：没有达人昵称",
        "第 7 行：未知平台 “mars”（可用：抖音、视频号、小红书、TikTok 或其他）",
    ]
    found = await creators(bot)
    assert set(found) == {"lily", "mia", "小美🎉"}
    lily = found["lily"]
    assert (lily["platform"], lily["tier"], lily["owner_id"], lily["followers"]) == (
        "douyin",
        "B",
        BOB,
        1_200_000,
    )
    assert (lily["categories"], lily["category"], lily["adult_bp"], lily["interaction_bp"]) == (
        "美妆,护肤",
        "美妆",
        8500,
        650,
    )
    [again] = await bot.upload(BOB, BOB, EXPORT.encode("gb18030"), "again.csv", "/import_creators")
    assert again.text == "从 again.csv 导入达人：读取 3 行，新增 0，更新 0，未变 3，拒绝 0。"
    changed = EXPORT.replace("3.2万", "4万")
    [updated] = await bot.upload(
        BOB, BOB, changed.encode(), "c.csv", "/import_creators@crewbot_bot"
    )
    assert "更新 1，未变 2" in updated.text
    assert (await creators(bot))["mia"]["followers"] == 40_000
    assert await bot.services.db.fetchval("SELECT COUNT(*) FROM creators") == 3


async def test_import_refusals_change_nothing(bot: Driver) -> None:
    await bot.say(ADA, ADA, f"/grant {BOB} manager")
    await setup_chats(bot, "bd")
    [missing] = await bot.upload(
        ADA, ADA, "粉丝数,平台\n1,抖音\n".encode(), "x.csv", "/import_creators"
    )
    assert missing.text == (
        "文件缺少这些列：handle/creator/达人昵称。找到的表头：粉丝数、平台。没有导入任何数据。"
    )
    [junk] = await bot.upload(ADA, ADA, b"\x00\x01\x02", "x.bin", "/import_creators")
    assert junk.text == "x.bin 不是 CSV 或 XLSX 文件。"
    [group] = await bot.upload(ADA, BD_CHAT, EXPORT.encode(), "x.csv", "/import_creators")
    assert group.text == "请在与我的私聊中使用 /import_creators。"
    [role] = await bot.upload(CAI, CAI, EXPORT.encode(), "x.csv", "/import_creators")
    assert role.text == "/import_creators 仅限：管理者。"
    [hint] = await bot.say(ADA, ADA, "/import_creators")
    assert hint.text.startswith("请把达人文件（CSV 或 XLSX）发给我，并附上说明 /import_creators。")
    assert await creators(bot) == {}


async def test_xlsx_import_with_owner_and_cli_unassigned(bot: Driver) -> None:
    await bot.say(BOB, BOB, "/start")
    await setup_chats(bot, "bd")
    book = Workbook()
    sheet = book.active
    sheet.append(["handle", "platform", "tier", "followers", "owner", "interaction"])
    sheet.append(["lily", "tiktok", "S", 15000, "@bob", 0.5])
    sheet.append(["mia", "tiktok", "A", 2000, "nobody", ""])
    buffer = io.BytesIO()
    book.save(buffer)
    report = await import_file(bot.services, "creators", buffer.getvalue(), "x.xlsx", actor_id=None)
    assert report.splitlines() == [
        "从 x.xlsx 导入达人：读取 2 行，新增 1，更新 0，未变 0，拒绝 1。",
        "",
        "跳过的行：",
        "第 3 行：未知的负责商务 nobody",
    ]
    [lily] = await bot.services.repo(Creators).by_handle("lily")
    assert (lily.tier, lily.owner_id, lily.followers) == ("S", BOB, 15000)
    await import_file(bot.services, "creators", b"handle\nzoe\n", "y.csv", actor_id=None)
    [card] = await bot.say(BOB, BD_CHAT, "/creator zoe")
    assert "负责商务：未分配" in card.text
    entry = (await bot.services.audit.entries("creators"))[0]
    assert entry.after["new"] == 1 and entry.actor_id is None
