"""The local Bot API stand-in against the real python-telegram-bot stack (no mocks)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

import httpx
import pytest
from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeAllPrivateChats,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    ReplyKeyboardMarkup,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.offline.local_api import LocalBotAPI

TOKEN = "123:abc"
ALICE, BOB = 111, 222
GROUP = -1001


@pytest.fixture
async def api() -> AsyncIterator[LocalBotAPI]:
    server = LocalBotAPI(bot_username="crewbot_bot")
    await server.start()
    server.user(ALICE, "Alice", username="alice", started=True)
    server.user(BOB, "Bob", language_code="en")
    server.group(GROUP, "Crew", admins={ALICE}, creator=ALICE)
    yield server
    await server.stop()


@pytest.fixture
async def bot(api: LocalBotAPI) -> AsyncIterator[Bot]:
    async with Bot(TOKEN, base_url=api.base_url, base_file_url=api.base_file_url) as client:
        yield client


async def test_bot_methods_are_recorded(api: LocalBotAPI, bot: Bot) -> None:
    me = await bot.get_me()
    assert (me.id, me.username, me.is_bot) == (10**9 + 1, "crewbot_bot", True)

    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton("Yes", callback_data="y"),
                InlineKeyboardButton("No", callback_data="n"),
            ],
            [InlineKeyboardButton("Docs", url="https://example.com/docs")],
        ]
    )
    html = "<b>Hi</b> &lt;3 <a href='https://x.y'>link</a>"
    msg = await bot.send_message(ALICE, html, parse_mode=ParseMode.HTML, reply_markup=keyboard)
    assert msg.text == "Hi <3 link"
    assert [e.type for e in msg.entities] == ["bold", "text_link"]
    assert msg.reply_markup == keyboard
    sent = api.last(ALICE)
    assert sent is not None
    assert (sent.text, sent.raw_text, sent.parse_mode) == ("Hi <3 link", html, "HTML")
    assert sent.buttons == [[("Yes", "y"), ("No", "n")], [("Docs", "https://example.com/docs")]]

    edited = await bot.edit_message_text("Done", chat_id=ALICE, message_id=msg.message_id)
    assert edited.text == "Done" and edited.reply_markup is None  # no markup → keyboard removed
    assert (sent.text, sent.edits, sent.history, sent.buttons) == ("Done", 1, ["Hi <3 link"], [])
    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await bot.edit_message_text("Done", chat_id=ALICE, message_id=msg.message_id)

    doc = await bot.send_document(GROUP, b"a,b\n1,2\n", filename="report.csv", caption="Weekly")
    assert doc.document.file_name == "report.csv" and doc.caption == "Weekly"
    assert api.last(GROUP).document == ("report.csv", b"a,b\n1,2\n")
    again = await bot.send_document(GROUP, doc.document.file_id)  # re-send by file_id
    assert again.document.file_id == doc.document.file_id

    scope = BotCommandScopeAllPrivateChats()
    await bot.set_my_commands([BotCommand("start", "开始")], scope=scope, language_code="zh")
    assert api.commands_for("all_private_chats", "zh") == [
        {"command": "start", "description": "开始"}
    ]
    assert [c.command for c in await bot.get_my_commands(scope=scope, language_code="zh")] == [
        "start"
    ]
    assert await bot.get_my_commands() == ()

    assert (await bot.get_chat_member(GROUP, ALICE)).status == "creator"
    assert (await bot.get_chat_member(GROUP, BOB)).status == "left"
    api.set_admin(GROUP, BOB)
    assert (await bot.get_chat_member(GROUP, BOB)).status == "administrator"
    admins = await bot.get_chat_administrators(GROUP)
    assert {a.user.id for a in admins} == {ALICE, BOB, me.id}
    chat = await bot.get_chat(GROUP)
    assert (chat.title, chat.type) == ("Crew", "supergroup")
    assert [c.params["chat_id"] for c in api.calls("sendMessage")] == [ALICE]


# PTB 22 warns about RetryAfter.retry_after (int -> timedelta) inside RetryAfter() itself.
@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_errors_map_to_ptb_exceptions(api: LocalBotAPI, bot: Bot) -> None:
    api.fail("setMyCommands", times=1)
    with pytest.raises(NetworkError, match="Internal Server Error"):
        await bot.set_my_commands([BotCommand("start", "go")])
    await bot.set_my_commands([BotCommand("start", "go")])  # times=1: the next call passes

    api.retry_after("sendMessage", 7)
    # the message reads "7 seconds", or "0:00:07" once PTB_TIMEDELTA opts in to timedeltas
    with pytest.raises(RetryAfter, match=r"Retry in (7 seconds|0:00:07)"):
        await bot.send_message(ALICE, "hi")
    assert [c.error for c in api.calls("sendMessage")] == ["Too Many Requests: retry after 7"]

    with pytest.raises(Forbidden, match="can't initiate conversation"):
        await bot.send_message(BOB, "hi")
    api.block(ALICE)
    with pytest.raises(Forbidden, match="blocked by the user"):
        await bot.send_message(ALICE, "hi")
    api.block(ALICE, False)

    for text, reason in [
        ("1 < 2", "Can't parse entities"),
        ("Tom & Jerry", "Can't parse entities"),
        ("<b>bold", 'end tag corresponding to start tag "b"'),
        ("<b><i>x</b></i>", "Unmatched end tag"),
        ("<div>x</div>", 'Unsupported start tag "div"'),
    ]:
        # PTB drops "Bad Request: " and capitalize()s the rest, lowercasing it
        with pytest.raises(BadRequest, match=r"(?i)" + reason):
            await bot.send_message(ALICE, text, parse_mode=ParseMode.HTML)
    await bot.send_message(ALICE, "1 < 2 & <3")  # no parse mode: anything goes
    with pytest.raises(BadRequest, match=r"(?i)message text is empty"):
        await bot.send_message(ALICE, "<b></b>", parse_mode=ParseMode.HTML)
    with pytest.raises(BadRequest, match=r"(?i)message is too long"):
        await bot.send_message(ALICE, "x" * 4097)
    with pytest.raises(BadRequest, match=r"(?i)chat not found"):
        await bot.send_message(-42, "hi")
    bad_button = InlineKeyboardMarkup([[InlineKeyboardButton("x", callback_data="d" * 65)]])
    with pytest.raises(BadRequest, match=r"(?i)BUTTON_DATA_INVALID"):
        await bot.send_message(ALICE, "hi", reply_markup=bad_button)


async def test_raw_http_shapes(api: LocalBotAPI) -> None:
    async with httpx.AsyncClient() as client:
        base = f"{api.base_url}{TOKEN}"
        unknown = await client.post(f"{base}/noSuchMethod")
        assert unknown.status_code == 404
        assert unknown.json() == {"ok": False, "error_code": 404, "description": "Not Found"}
        missing = await client.post(f"{base}/sendMessage", data={"text": "hi"})
        assert missing.status_code == 400 and missing.json()["description"].startswith(
            "Bad Request"
        )
        as_json = await client.post(f"{base}/SENDMESSAGE", json={"chat_id": ALICE, "text": "123"})
        assert as_json.json()["result"]["text"] == "123"  # case-insensitive, str stays str
        by_get = await client.get(f"{base}/getMe")
        assert by_get.json()["result"]["username"] == "crewbot_bot"


async def test_migration_and_members(api: LocalBotAPI, bot: Bot) -> None:
    api.group(-5, "Old", type="group", creator=ALICE)
    api.send_message(BOB, -5, "hello")
    to_msg, from_msg = api.migrate_chat(-5, -1005)
    assert to_msg["migrate_to_chat_id"] == -1005 and from_msg["migrate_from_chat_id"] == -5
    with pytest.raises(ChatMigrated) as info:
        await bot.send_message(-5, "hi")
    assert info.value.new_chat_id == -1005
    assert (await bot.get_chat_member(-1005, BOB)).status == "member"
    joined = api.add_member(GROUP, BOB)
    assert joined["new_chat_members"][0]["id"] == BOB


def _build_app(api: LocalBotAPI) -> Application:
    return (
        ApplicationBuilder()
        .token(TOKEN)
        .base_url(api.base_url)
        .base_file_url(api.base_file_url)
        .build()
    )


async def test_application_polls_and_reacts(api: LocalBotAPI) -> None:
    downloads: list[bytes] = []

    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        buttons = InlineKeyboardMarkup([[InlineKeyboardButton("Again", callback_data="again")]])
        await update.effective_message.reply_text(
            "echo: " + " ".join(context.args), reply_markup=buttons
        )

    async def again(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        await query.answer("ok")
        await query.edit_message_text(f"pressed by {query.from_user.first_name}")

    async def document(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        file = await context.bot.get_file(update.effective_message.document.file_id)
        downloads.append(bytes(await file.download_as_bytearray()))
        await update.effective_message.reply_text(
            f"got {update.effective_message.document.file_name}"
        )

    app = _build_app(api)
    app.add_handler(CommandHandler("echo", echo))
    app.add_handler(CallbackQueryHandler(again))
    app.add_handler(MessageHandler(filters.Document.ALL, document))
    await app.initialize()
    await app.start()
    await app.updater.start_polling(poll_interval=0, timeout=1)
    try:
        asked = api.send_message(ALICE, GROUP, "/echo@crewbot_bot hi there")
        api.send_message(BOB, BOB, "/echo private")  # a private message also "starts" the bot
        await api.settle()
        group_reply = api.last(GROUP)
        assert group_reply is not None
        assert group_reply.text == "echo: hi there"
        assert group_reply.reply_to_message_id == asked["message_id"]
        assert api.last(BOB).text == "echo: private"

        mark = api.mark()
        update = api.press(ALICE, GROUP, "Again")
        edited = await api.wait_for(lambda m: m.edits > 0, since=mark)
        assert edited is group_reply and edited.text == "pressed by Alice"
        await api.settle()
        assert api.answer_for(update) is not None and api.answer_for(update)["text"] == "ok"
        with pytest.raises(LookupError, match="no bot message"):
            api.press(ALICE, GROUP, "Again")  # the edit removed the keyboard

        api.send_document(BOB, BOB, b"name,fans\nx,1\n", "creators.csv")
        await api.settle()
        assert downloads == [b"name,fans\nx,1\n"]
        assert api.last(BOB).text == "got creators.csv"
    finally:
        started = time.monotonic()
        await app.updater.stop()
        await app.stop()
        await app.shutdown()
        assert time.monotonic() - started < 1.5


async def test_long_poll_ends_on_stop(api: LocalBotAPI, bot: Bot) -> None:
    poll = asyncio.create_task(bot.get_updates(timeout=30))
    await asyncio.sleep(0.1)
    started = time.monotonic()
    await api.stop()
    assert await asyncio.wait_for(poll, 2) == ()
    assert time.monotonic() - started < 1.5
    await api.start()  # the fixture stops it again


async def test_get_updates_semantics(api: LocalBotAPI, bot: Bot) -> None:
    api.send_message(ALICE, GROUP, "one")
    api.send_message(BOB, BOB, "two")
    updates = await bot.get_updates(timeout=0)
    assert [u.message.text for u in updates] == ["one", "two"]
    assert updates[1].message.chat.type == "private"
    later = await bot.get_updates(offset=updates[1].update_id, limit=5)  # confirms "one"
    assert [u.message.text for u in later] == ["two"]
    assert await bot.get_updates(offset=updates[1].update_id + 1) == ()

    # a long poll returns as soon as an update arrives
    poll = asyncio.create_task(bot.get_updates(timeout=5, allowed_updates=["callback_query"]))
    await asyncio.sleep(0.05)
    api.send_message(ALICE, GROUP, "filtered out")  # not an allowed type: dropped
    sent = await bot.send_message(GROUP, "pick", reply_markup=_one_button("Go", "go"))
    api.press(ALICE, sent.chat_id, "Go")
    pressed = await asyncio.wait_for(poll, 1)
    assert [u.callback_query.data for u in pressed] == ["go"]
    assert pressed[0].callback_query.message.message_id == sent.message_id

    api.send_message(ALICE, GROUP, "nobody polls")
    with pytest.raises(TimeoutError, match="never fetched"):
        await api.settle(timeout=0.1)


async def test_media_keyboards_and_html_entities(api: LocalBotAPI, bot: Bot) -> None:
    html = '<pre><code class="language-py">x = 1</code></pre> <span class="tg-spoiler">s</span>'
    msg = await bot.send_message(ALICE, html, parse_mode=ParseMode.HTML)
    assert msg.text == "x = 1 s"
    assert [(e.type, e.language) for e in msg.entities] == [("pre", "py"), ("spoiler", None)]
    with pytest.raises(BadRequest, match=r"(?i)unsupported start tag \"br\""):
        await bot.send_message(ALICE, "a<br>b", parse_mode=ParseMode.HTML)

    photo = await bot.send_photo(ALICE, b"\x89PNG fake", caption="<i>pic</i>", parse_mode="HTML")
    assert photo.caption == "pic" and api.last(ALICE).photo == b"\x89PNG fake"

    keyboard = ReplyKeyboardMarkup([["Yes", "No"]], one_time_keyboard=True)
    await bot.send_message(ALICE, "Sure?", reply_markup=keyboard)
    assert api.last(ALICE).keyboard == [["Yes", "No"]]
    pressed = api.press(ALICE, ALICE, "No")  # a reply keyboard "press" is a text message
    assert pressed["message"]["text"] == "No"

    upload = api.send_document(BOB, GROUP, b"x", "list.xlsx", caption="/import@crewbot_bot now")
    assert upload["caption_entities"][0] == {"type": "bot_command", "offset": 0, "length": 19}
    assert upload["document"]["mime_type"].endswith("spreadsheetml.sheet")
    file = await bot.get_file(upload["document"]["file_id"])
    assert bytes(await file.download_as_bytearray()) == b"x"

    assert await bot.leave_chat(GROUP)
    with pytest.raises(Forbidden, match="not a member"):
        await bot.send_message(GROUP, "still here?")


def _one_button(text: str, data: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(text, callback_data=data)]])


async def test_limits_are_refused_and_recorded(api: LocalBotAPI, bot: Bot) -> None:
    """Telegram's limits count the visible text: markup is free, the 4,097th character is not."""
    await bot.send_message(ALICE, "<b>" + "&amp;" * 4096 + "</b>", parse_mode=ParseMode.HTML)
    doc = await bot.send_document(ALICE, b"x", filename="a.txt", caption="c" * 1024)
    assert api.violations == []

    refused = [
        (bot.send_message(ALICE, "x" * 4097), "message is too long"),
        (bot.edit_message_text("y" * 4097, ALICE, doc.message_id - 1), "message is too long"),
        (bot.send_document(ALICE, b"x", filename="b.txt", caption="c" * 1025), "caption is too"),
        (bot.edit_message_caption(ALICE, doc.message_id, caption="d" * 1025), "caption is too"),
    ]
    for call, reason in refused:
        with pytest.raises(BadRequest, match=r"(?i)" + reason):
            await call
    # Callback data is counted in UTF-8 bytes: 21 Chinese characters fit, 22 do not.
    fits = InlineKeyboardMarkup([[InlineKeyboardButton("ok", callback_data="数" * 21)]])
    await bot.send_message(ALICE, "pick", reply_markup=fits)
    too_long = InlineKeyboardMarkup([[InlineKeyboardButton("no", callback_data="数" * 22)]])
    with pytest.raises(BadRequest, match=r"(?i)BUTTON_DATA_INVALID"):
        await bot.send_message(ALICE, "pick", reply_markup=too_long)

    first = api.press(ALICE, ALICE, "ok")["callback_query"]["id"]
    with pytest.raises(BadRequest, match=r"(?i)message_too_long"):
        await bot.answer_callback_query(first, "a" * 201, show_alert=True)
    await bot.answer_callback_query(first, "a" * 200, show_alert=True)

    assert [(c.method, c.error) for c in api.violations] == [
        ("sendMessage", "Bad Request: message is too long"),
        ("editMessageText", "Bad Request: message is too long"),
        ("sendDocument", "Bad Request: message caption is too long"),
        ("editMessageCaption", "Bad Request: message caption is too long"),
        ("sendMessage", "Bad Request: BUTTON_DATA_INVALID"),
        ("answerCallbackQuery", "Bad Request: MESSAGE_TOO_LONG"),
    ]
