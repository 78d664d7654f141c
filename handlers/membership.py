"""Who is speaking, where, in which language, with which roles — worked out once per update
before any feature sees it — and following a group that becomes a supergroup."""

from __future__ import annotations

import logging

from telegram import Chat, Update
from telegram.ext import Application, MessageHandler, TypeHandler, filters

from bot.context import BotContext
from bot.i18n import resolve_locale
from bot.services import Services
from handlers.registry import expand

log = logging.getLogger(__name__)

# The purpose of a chat lends its members a role there.
PURPOSE_ROLES = {"bd": "bd", "ads": "ads"}


async def roles_for(services: Services, user_id: int, chat: Chat | None) -> frozenset[str]:
    roles = set(await services.users.roles(user_id))
    if user_id in services.settings.admin_ids:
        roles.add("admin")
    if chat is not None and chat.type != Chat.PRIVATE:
        row = await services.chats.get(chat.id)
        if row is not None and row.purpose in PURPOSE_ROLES:
            roles.add(PURPOSE_ROLES[row.purpose])
    return expand(roles)


async def remember(update: Update, ctx: BotContext) -> None:
    services = ctx.services
    now = services.clock.now()
    user, chat = update.effective_user, update.effective_chat
    if chat is not None:
        await services.chats.seen(chat.id, chat.type, chat.title or "", now=now)
    if user is None or user.is_bot:
        return
    private = chat is not None and chat.type == Chat.PRIVATE
    await services.users.seen(
        user.id, user.first_name, user.username, user.language_code, private=private, now=now
    )
    stored = await services.users.get(user.id)
    locale = (stored.lang if stored else None) or resolve_locale(
        user.language_code, services.i18n.default
    )
    if chat is not None and not private:
        chat_row = await services.chats.get(chat.id)
        locale = (chat_row.lang if chat_row else None) or locale
    ctx.t = services.i18n.get(locale)
    ctx.roles = await roles_for(services, user.id, chat)


async def migrated(update: Update, ctx: BotContext) -> None:
    message = update.effective_message
    old_id, new_id = message.chat.id, message.migrate_to_chat_id
    touched = await ctx.services.chats.migrate(old_id, new_id, now=ctx.services.clock.now())
    log.info("chat %s became supergroup %s; moved %s", old_id, new_id, ", ".join(touched))


def register(app: Application) -> None:
    # Group -2 runs before every feature: the context must know the person first.
    app.add_handler(TypeHandler(Update, remember), group=-2)
    app.add_handler(
        MessageHandler(filters.StatusUpdate.MIGRATE & filters.ChatType.GROUP, _migrate_only),
        group=-1,
    )


async def _migrate_only(update: Update, ctx: BotContext) -> None:
    # Both the old group (migrate_to_chat_id) and the new supergroup (migrate_from_chat_id)
    # report the move; act once, on the old group's message.
    if update.effective_message.migrate_to_chat_id:
        await migrated(update, ctx)
