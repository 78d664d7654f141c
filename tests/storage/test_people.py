from bot.services import Services
from tests.conftest import T0


async def test_grant_and_revoke_are_audited(services: Services) -> None:
    users = services.users
    assert await users.grant(7, "bd", actor_id=1, now=T0)
    assert not await users.grant(7, "bd", actor_id=1, now=T0)  # twice changes nothing
    assert await users.roles(7) == {"bd"}
    assert await users.revoke(7, "bd", actor_id=1, now=T0)
    assert not await users.revoke(7, "bd", actor_id=1, now=T0)
    entries = await services.audit.entries("role", 7)
    assert [(e.action, e.before, e.after, e.actor_id) for e in entries] == [
        ("revoke", "bd", None, 1),
        ("grant", None, "bd", 1),
    ]


async def test_a_purpose_belongs_to_one_chat(services: Services) -> None:
    chats = services.chats
    await chats.seen(-100, "supergroup", "BD one", now=T0)
    await chats.seen(-200, "supergroup", "BD two", now=T0)
    assert await chats.set_purpose(-100, "bd", actor_id=1, now=T0) is None
    previous = await chats.set_purpose(-200, "bd", actor_id=1, now=T0)
    assert previous is not None and previous.chat_id == -100
    assert (await chats.by_purpose("bd")).chat_id == -200
    assert (await chats.get(-100)).purpose is None


async def test_chat_migration_follows_every_chat_id_column(services: Services) -> None:
    chats = services.chats
    await chats.seen(-5, "group", "BD", now=T0)
    await chats.set_purpose(-5, "bd", actor_id=1, now=T0)
    await chats.set_setting(-5, "mask_names", "off", actor_id=1, now=T0)
    await services.outbox.enqueue("k1", -5, "hello", due_at=T0, now=T0)
    touched = await chats.migrate(-5, -1005, now=T0)
    assert {"chats.chat_id", "chat_settings.chat_id", "outbox.chat_id"} <= set(touched)
    assert (await chats.by_purpose("bd")).chat_id == -1005
    assert await chats.setting(-1005, "mask_names") == "off"
    assert (await services.outbox.state("k1")).chat_id == -1005


async def test_language_choice_is_kept(services: Services) -> None:
    await services.users.seen(9, "Lily", "lily", "en", private=True, now=T0)
    await services.users.set_lang(9, "zh_Hant", now=T0)
    user = await services.users.get(9)
    assert user.lang == "zh_Hant" and user.started
    assert (await services.translator_for_chat(9)).locale == "zh_Hant"
    assert (await services.users.find_by_username("@LILY")).id == 9
