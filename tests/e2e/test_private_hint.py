"""A private chat answers plain text, or a file or photo without a command, with a short hint;
groups stay silent, and a file captioned with an import command still reaches the import."""

from __future__ import annotations

from bot.offline.driver import Driver
from bot.offline.local_api import LocalBotAPI
from tests.e2e.conftest import ADA, BD_CHAT, BOB, EVE, SHARERS_CHAT, setup_chats

TEXT_HINT = "请发送命令：/help 会列出你在这里能用的命令。"
FILE_HINT = "没有附带命令的文件我不会处理。/help 会列出你在这里能用的命令。"
IMPORT_HINT = (
    "要导入文件，请发送文件并以 /import（订单）、/import_sharers（分享员名单）或 "
    "/import_creators（达人）作为说明文字。"
)
ORDERS = (
    "订单号,支付时间,分享员ID,买家ID,商品ID,商品名称,数量,实付金额,退款金额,订单状态\n"
    "o1,2026-11-05 10:00:00,A,BA,SKU-001,面膜,1,200.00,,已完成\n"
).encode()


async def test_plain_text_in_private_gets_a_hint(bot: Driver) -> None:
    [hint] = await bot.say(BOB, BOB, "hello")
    assert hint.chat_id == BOB and hint.text == TEXT_HINT
    [hint] = await bot.say(EVE, EVE, "what now?")
    assert hint.text == "Send me a command: /help lists what you can do here."


async def test_a_manager_also_learns_how_to_import(bot: Driver) -> None:
    [hint] = await bot.say(ADA, ADA, "你好")
    assert hint.text == f"{TEXT_HINT}\n{IMPORT_HINT}"


async def test_a_file_without_a_caption_gets_a_hint(bot: Driver) -> None:
    [hint] = await bot.upload(BOB, BOB, b"a,b\n1,2\n", "notes.csv", "")
    assert hint.text == FILE_HINT
    [hint] = await bot.upload(ADA, ADA, ORDERS, "orders.csv", "")
    assert hint.text == f"{FILE_HINT}\n{IMPORT_HINT}"
    assert await bot.services.db.fetchval("SELECT COUNT(*) FROM orders") == 0
    # A caption that is not an import command is no import either.
    [hint] = await bot.upload(ADA, ADA, ORDERS, "orders.csv", "here are the orders")
    assert hint.text == f"{FILE_HINT}\n{IMPORT_HINT}"


async def test_a_photo_without_a_caption_gets_a_hint(bot: Driver, api: LocalBotAPI) -> None:
    mark = api.mark()
    message = api.send_document(BOB, BOB, b"\x89PNG", "cat.png")
    # The stand-in has no incoming photo of its own: turn the queued document into one.
    document = message.pop("document")
    message["photo"] = [
        {"file_id": document["file_id"], "file_unique_id": document["file_unique_id"],
         "width": 800, "height": 600}
    ]  # fmt: skip
    await bot.settle()
    assert [m.text for m in api.sent if m.seq > mark] == [FILE_HINT]


async def test_an_import_caption_still_reaches_the_import(bot: Driver) -> None:
    [done] = await bot.upload(ADA, ADA, ORDERS, "orders.csv", "/import")
    assert done.text.startswith("订单导入（orders.csv）：读取 1 行，新增 1")
    assert IMPORT_HINT not in done.text
    [refused] = await bot.upload(BOB, BOB, ORDERS, "orders.csv", "/import")
    assert refused.text == "/import 仅限：管理者。"


async def test_commands_are_not_hinted(bot: Driver) -> None:
    [answer] = await bot.say(BOB, BOB, "/dance")
    assert answer.text.startswith("我不认识这个命令")


async def test_groups_stay_silent(bot: Driver, api: LocalBotAPI) -> None:
    await setup_chats(bot, "bd", "sharers")
    api.group(-77, "Somewhere else", admins={ADA}, members={ADA, BOB})
    for chat in (BD_CHAT, SHARERS_CHAT, -77):
        assert await bot.say(BOB, chat, "hello everyone") == []
        assert await bot.say(ADA, chat, "hello everyone") == []
        assert await bot.upload(ADA, chat, ORDERS, "orders.csv", "") == []


async def test_an_edited_message_gets_no_second_hint(bot: Driver, api: LocalBotAPI) -> None:
    message = api.send_message(BOB, BOB, "helo")
    await bot.settle()
    mark = api.mark()
    api._enqueue("edited_message", message | {"text": "hello", "edit_date": message["date"]})
    await bot.settle()
    assert [m for m in api.sent if m.seq > mark] == []
