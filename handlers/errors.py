"""One error handler for the whole bot, and the answer to commands nobody handles."""

from __future__ import annotations

import logging
import secrets

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import Application, MessageHandler, filters

from bot.context import BotContext
from handlers.common import reply

log = logging.getLogger(__name__)


async def on_error(update: object, ctx: BotContext) -> None:
    ref = secrets.token_hex(4)
    log.error("error %s while handling %r", ref, update, exc_info=ctx.error)
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    text = ctx.t("Something went wrong (ref {ref}). Please try again later.").format(ref=ref)
    try:
        if update.callback_query is not None:
            await update.callback_query.answer(text, show_alert=True)
        else:
            await reply(update, ctx, text)
    except TelegramError:
        log.warning("could not tell the person about error %s", ref)


async def unknown_command(update: Update, ctx: BotContext) -> None:
    text = update.effective_message.text or ""
    addressed = text.split()[0].partition("@")[2]
    if addressed and addressed.lower() != (ctx.bot.username or "").lower():
        return  # a command for another bot in the same group
    await reply(
        update, ctx, ctx.t("I don't know that command. Send /help to see what you can do here.")
    )


def register(app: Application) -> None:
    app.add_error_handler(on_error)


def register_fallback(app: Application) -> None:
    # Last in group 0: only a command that no feature claimed reaches it.
    app.add_handler(MessageHandler(filters.COMMAND, unknown_command), group=0)
