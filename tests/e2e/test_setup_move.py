"""/setup that would take a purpose from another chat, or change this chat's purpose, asks
first; only the admin who asked answers, and the move is audited."""

from __future__ import annotations

from bot.offline.driver import Driver
from bot.offline.local_api import LocalBotAPI
from tests.e2e.conftest import ADA, BD_CHAT, BOB, MANAGERS_CHAT, SHARERS_CHAT, setup_chats

MOVE, CANCEL = "移到本群", "取消"


async def test_moving_a_purpose_asks_first_and_the_old_chat_loses_it(bot: Driver) -> None:
    await setup_chats(bot, "bd")
    [asked] = await bot.say(ADA, MANAGERS_CHAT, "/setup bd")
    assert (
        asked.text == "“BD team”目前登记为商务群，确认后将不再是商务群。\n要把本群登记为商务群吗？"
    )
    assert [label for label, _ in asked.buttons[0]] == [MOVE, CANCEL]
    chats = bot.services.chats
    assert (await chats.by_purpose("bd")).chat_id == BD_CHAT  # nothing moved yet
    [done] = await bot.press(ADA, asked, MOVE)
    assert done.text == "已登记：本群现在是商务群。\n“BD team”不再是商务群。"
    assert done.buttons == []
    assert (await chats.by_purpose("bd")).chat_id == MANAGERS_CHAT
    assert (await chats.get(BD_CHAT)).purpose is None
    [moved, *_] = await bot.services.audit.entries("chat", MANAGERS_CHAT)
    assert (moved.action, moved.actor_id, moved.before, moved.after) == ("setup", ADA, None, "bd")
    [lost, *_] = await bot.services.audit.entries("chat", BD_CHAT)
    assert (lost.action, lost.actor_id, lost.before, lost.after) == ("setup", ADA, "bd", None)


async def test_changing_this_chat_s_purpose_asks_first(bot: Driver) -> None:
    await setup_chats(bot, "sharers")
    [asked] = await bot.say(ADA, SHARERS_CHAT, "/setup managers")
    assert (
        asked.text == "本群目前登记为分享员群，确认后将不再是分享员群。\n要把本群登记为管理群吗？"
    )
    [done] = await bot.press(ADA, asked, "确认更改")
    assert done.text == "已登记：本群现在是管理群。"
    assert (await bot.services.chats.get(SHARERS_CHAT)).purpose == "managers"
    assert await bot.services.chats.by_purpose("sharers") is None
    [entry, *_] = await bot.services.audit.entries("chat", SHARERS_CHAT)
    assert (entry.before, entry.after) == ("sharers", "managers")


async def test_both_losses_are_named(bot: Driver) -> None:
    await setup_chats(bot, "bd", "sharers")
    [asked] = await bot.say(ADA, SHARERS_CHAT, "/setup bd")
    assert asked.text.splitlines() == [
        "“BD team”目前登记为商务群，确认后将不再是商务群。",
        "本群目前登记为分享员群，确认后将不再是分享员群。",
        "要把本群登记为商务群吗？",
    ]


async def test_cancel_changes_nothing(bot: Driver) -> None:
    await setup_chats(bot, "bd")
    [asked] = await bot.say(ADA, MANAGERS_CHAT, "/setup bd")
    [cancelled] = await bot.press(ADA, asked, CANCEL)
    assert cancelled.text == "已取消，没有任何更改。"
    assert cancelled.buttons == []
    assert (await bot.services.chats.by_purpose("bd")).chat_id == BD_CHAT
    assert (await bot.services.chats.get(MANAGERS_CHAT)).purpose is None


async def test_only_the_admin_who_asked_may_answer(bot: Driver, api: LocalBotAPI) -> None:
    await setup_chats(bot, "bd")
    [asked] = await bot.say(ADA, MANAGERS_CHAT, "/setup bd")
    for label in (MOVE, CANCEL):
        update = api.press(BOB, asked, label)
        await bot.settle()
        answer = api.answer_for(update)
        assert answer["show_alert"] and answer["text"] == "只有发送 /setup 的管理员可以回答。"
    assert api.last(MANAGERS_CHAT).edits == 0
    assert (await bot.services.chats.by_purpose("bd")).chat_id == BD_CHAT


async def test_the_asker_must_still_administer_the_group(bot: Driver, api: LocalBotAPI) -> None:
    await setup_chats(bot, "bd")
    [asked] = await bot.say(ADA, MANAGERS_CHAT, "/setup bd")
    api.set_admin(MANAGERS_CHAT, ADA, False)
    update = api.press(ADA, asked, MOVE)
    await bot.settle()
    assert api.answer_for(update)["text"] == "你还必须是本群管理员才能登记本群。"
    assert (await bot.services.chats.by_purpose("bd")).chat_id == BD_CHAT


async def test_a_forged_button_is_out_of_date(bot: Driver, api: LocalBotAPI) -> None:
    await setup_chats(bot, "bd")
    [asked] = await bot.say(ADA, MANAGERS_CHAT, "/setup bd")
    for data in ("setup:move:party:1", "setup:", "setup:no:x", "setup:move:bd"):
        update = _press_data(api, asked, data)
        await bot.settle()
        assert api.answer_for(update)["text"] == "这个按钮已过期。"
    assert (await bot.services.chats.by_purpose("bd")).chat_id == BD_CHAT


async def test_registering_the_same_purpose_again_asks_nothing(bot: Driver) -> None:
    await setup_chats(bot, "bd")
    [done] = await bot.say(ADA, BD_CHAT, "/setup bd")
    assert done.text == "已登记：本群现在是商务群。" and done.buttons == []


def _press_data(api: LocalBotAPI, message: object, data: str) -> dict:
    """A press carrying callback data the bot never sent (a forged or stale button)."""
    update = api.press(ADA, message, MOVE)
    # Changed before the bot polls: press() only queues the update.
    update["callback_query"]["data"] = data
    return update
