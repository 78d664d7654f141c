"""The foundation through the real stack: people, languages, roles, chats, errors."""

from __future__ import annotations

from bot.offline.driver import Driver
from bot.offline.local_api import LocalBotAPI
from handlers.registry import commands
from tests.e2e.conftest import (
    ADA,
    BD_CHAT,
    BOB,
    CAI,
    EVE,
    MANAGERS_CHAT,
    SHARERS_CHAT,
    setup_chats,
)


async def test_start_speaks_chinese_by_default_and_english_after_lang(bot: Driver) -> None:
    [hello] = await bot.say(BOB, BOB, "/start")
    assert hello.chat_id == BOB
    assert "你好 Bob" in hello.text
    [done] = await bot.say(BOB, BOB, "/lang en")
    assert done.text == "Language set: English."
    [hello] = await bot.say(BOB, BOB, "/start")
    assert hello.text.startswith("Hello Bob!")


async def test_language_follows_telegram_until_chosen(bot: Driver) -> None:
    [hello] = await bot.say(EVE, EVE, "/start")
    assert hello.text.startswith("Hello Eve!")
    await bot.say(EVE, EVE, "/lang zh-hant")
    [hello] = await bot.say(EVE, EVE, "/start")
    assert "幫商務團隊" in hello.text


async def test_group_language_is_set_by_a_group_admin_only(bot: Driver) -> None:
    [refused] = await bot.say(BOB, BD_CHAT, "/lang en")
    assert refused.text == "只有本群管理员可以更改群语言。"
    [done] = await bot.say(ADA, BD_CHAT, "/lang en")
    assert done.text == "Language set: English."
    [hello] = await bot.say(BOB, BD_CHAT, "/start")  # Bob's own language is Chinese
    assert hello.text.startswith("Hello Bob!")


async def test_bad_lang_argument_shows_usage(bot: Driver) -> None:
    [answer] = await bot.say(BOB, BOB, "/lang fr")
    assert answer.text == "请选择：zh-hans、zh-hant、en。\n用法：/lang zh-hans|zh-hant|en"


async def test_admin_registers_bd_chat_and_grants_a_role(bot: Driver) -> None:
    [done] = await bot.say(ADA, BD_CHAT, "/setup bd")
    assert done.text == "已登记：本群现在是商务群。"
    assert (await bot.services.chats.by_purpose("bd")).chat_id == BD_CHAT
    await bot.say(BOB, BOB, "/start")  # known people are named, others shown by id
    [granted] = await bot.say(ADA, MANAGERS_CHAT, f"/grant {BOB} manager")
    assert granted.text == "Bob 现在是管理者。"
    assert await bot.services.users.roles(BOB) == {"manager"}
    [audited] = await bot.services.audit.entries("role", BOB)
    assert (audited.actor_id, audited.after) == (ADA, "manager")


async def test_grant_by_reply(bot: Driver, api: LocalBotAPI) -> None:
    asked = api.send_message(CAI, MANAGERS_CHAT, "我想加入商务")
    await bot.settle()
    [granted] = await bot.say(ADA, MANAGERS_CHAT, "/grant bd", reply_to=asked)
    assert granted.text == "蔡小明 现在是商务。"
    [again] = await bot.say(ADA, MANAGERS_CHAT, "/grant bd", reply_to=asked)
    assert again.text == "蔡小明 已经是商务了。"
    [revoked] = await bot.say(ADA, MANAGERS_CHAT, f"/revoke {CAI} bd")
    assert revoked.text == "蔡小明 不再是商务。"


async def test_non_admin_is_refused(bot: Driver) -> None:
    [refused] = await bot.say(BOB, BD_CHAT, "/setup bd")
    assert refused.text == "/setup 仅限：机器人管理员。"
    [refused] = await bot.say(BOB, BOB, f"/grant {CAI} bd")
    assert refused.text == "/grant 仅限：机器人管理员。"
    assert await bot.services.chats.by_purpose("bd") is None
    assert await bot.services.users.roles(CAI) == frozenset()


async def test_setup_needs_a_group_and_a_group_admin(bot: Driver, api: LocalBotAPI) -> None:
    [refused] = await bot.say(ADA, ADA, "/setup bd")
    assert refused.text == "/setup 需要在群里使用。"
    api.set_admin(BD_CHAT, ADA, False)
    [refused] = await bot.say(ADA, BD_CHAT, "/setup bd")
    assert refused.text == "你还必须是本群管理员才能登记本群。"
    [usage] = await bot.say(ADA, MANAGERS_CHAT, "/setup party")
    assert usage.text.endswith("用法：/setup bd|ads|sharers|managers")


async def test_bad_grant_arguments(bot: Driver) -> None:
    [answer] = await bot.say(ADA, ADA, "/grant")
    assert answer.text.startswith("请回复对方的消息并写上角色")
    [answer] = await bot.say(ADA, ADA, f"/grant {BOB} king")
    assert answer.text.startswith("未知角色 king")


async def test_help_lists_what_this_person_may_use_here(bot: Driver) -> None:
    [ada_help] = await bot.say(ADA, BD_CHAT, "/help")
    [bob_help] = await bot.say(BOB, BD_CHAT, "/help")
    assert "/setup" in ada_help.text and "/grant" in ada_help.text
    assert "/setup" not in bob_help.text and "/grant" not in bob_help.text
    assert "/lang" in bob_help.text


async def test_unknown_command_and_other_bots(bot: Driver) -> None:
    [answer] = await bot.say(BOB, BOB, "/dance")
    assert answer.text.startswith("我不认识这个命令")
    assert await bot.say(BOB, BD_CHAT, "/dance@otherbot") == []
    [answer] = await bot.say(BOB, BD_CHAT, "/help@crewbot_bot")
    assert "/lang" in answer.text


async def test_unbalanced_quotes_get_an_answer(bot: Driver) -> None:
    [answer] = await bot.say(BOB, BOB, '/lang "en')
    assert answer.text.startswith("引号没有闭合。")


async def test_a_crashing_handler_answers_with_a_reference(bot: Driver, monkeypatch) -> None:
    async def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(bot.services.chats, "set_purpose", broken)
    [answer] = await bot.say(ADA, BD_CHAT, "/setup bd")
    assert answer.text.startswith("出错了（编号 ")
    assert "disk on fire" not in answer.text
    [still] = await bot.say(BOB, BOB, "/start")  # and the bot keeps running
    assert "你好" in still.text


async def test_following_a_group_to_a_supergroup(bot: Driver, api: LocalBotAPI) -> None:
    api.group(-55, "Old BD", admins={ADA}, members={ADA, BOB}, type="group")
    await bot.say(ADA, -55, "/setup bd")
    api.migrate_chat(-55, -1000055)
    await bot.settle()
    assert (await bot.services.chats.by_purpose("bd")).chat_id == -1000055


async def test_menus_are_set_per_scope_and_language(bot: Driver, api: LocalBotAPI) -> None:
    private_zh = api.commands_for("all_private_chats", "zh")
    private_en = api.commands_for("all_private_chats", "en")
    admins = api.commands_for("all_chat_administrators", "")
    assert {"command": "help", "description": "查看可用命令"} in private_zh
    assert {"command": "help", "description": "what you can do here"} in private_en
    assert "setup" not in [c["command"] for c in private_zh]
    assert "setup" in [c["command"] for c in admins]


async def test_bd_chat_members_count_as_bd_there(bot: Driver) -> None:
    await setup_chats(bot, "bd")
    from handlers.membership import roles_for

    class FakeChat:  # only id and type are read
        id, type = BD_CHAT, "supergroup"

    assert "bd" in await roles_for(bot.services, CAI, FakeChat())  # type: ignore[arg-type]
    assert "bd" not in await roles_for(bot.services, CAI, None)


async def test_help_in_the_sharers_group_and_an_unregistered_group_lists_no_bd_command(
    bot: Driver, api: LocalBotAPI
) -> None:
    """BD and ads work (creator data, samples, the pipeline, ad figures) is neither listed
    nor answered outside the BD, ads and managers' chats, not even for an admin or a BD."""
    await setup_chats(bot, "bd", "sharers")
    await bot.say(ADA, ADA, f"/grant {BOB} bd")
    api.group(-77, "Somewhere else", admins={ADA}, members={ADA, BOB})
    work = [c.name for c in commands(bot.app) if c.roles and c.roles <= {"bd", "ads"}]
    assert {"creator", "find", "creator_stats", "pipeline", "export", "adstats"} <= set(work)
    for chat in (SHARERS_CHAT, -77):
        for who in (ADA, BOB):
            [help_there] = await bot.say(who, chat, "/help")
            listed = {line.split()[0].lstrip("/") for line in help_there.text.splitlines()[1:]}
            assert listed and not listed & set(work), (chat, who, listed & set(work))
        [refused] = await bot.say(ADA, chat, "/find")
        assert "只在商务群、管理群或与我的私聊中回答" in refused.text
    [help_bd] = await bot.say(BOB, BD_CHAT, "/help")
    assert "/find" in help_bd.text and "/creator_stats" in help_bd.text
