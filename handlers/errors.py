"""One error handler for the whole bot, and the answers to what nobody handles: an unknown
command anywhere, and, in a private chat, plain text or a file without a command."""

from __future__ import annotations

import logging
import secrets

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import Application, MessageHandler, filters

from bot.context import BotContext
from bot.i18n import N_
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


TEXT_HINT = N_("Send me a command: /help lists what you can do here.")
FILE_HINT = N_("I do nothing with a file sent without a command. /help lists what you can do here.")
IMPORT_HINT = N_(
    "To import a file, send it with the caption /import (orders), /import_sharers (sharer roster)"
    " or /import_creators (creators)."
)
# Plain text, or a file or photo that no document handler claimed (no caption, or a caption
# that is not one of the import commands), as a new message in a private chat.
UNCLAIMED = (
    filters.ChatType.PRIVATE
    & filters.UpdateType.MESSAGE
    & ((filters.TEXT & ~filters.COMMAND) | filters.Document.ALL | filters.PHOTO)
)


async def private_hint(update: Update, ctx: BotContext) -> None:
    """Nobody answers plain talk in a private chat, so the person learns what to send."""
    message = update.effective_message
    is_file = message.document is not None or bool(message.photo)
    lines = [ctx.t(FILE_HINT if is_file else TEXT_HINT)]
    if "manager" in ctx.roles:
        lines.append(ctx.t(IMPORT_HINT))
    await reply(update, ctx, "\n".join(lines))


def register(app: Application) -> None:
    app.add_error_handler(on_error)


def register_fallback(app: Application) -> None:
    # Last in group 0, where the first matching handler wins: only a command that no feature
    # claimed, or private talk that no feature's own message handler (a document import, a
    # future FAQ) took first, reaches these.
    app.add_handler(MessageHandler(filters.COMMAND, unknown_command), group=0)
    app.add_handler(MessageHandler(UNCLAIMED, private_hint), group=0)
