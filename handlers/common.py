"""What every feature's handlers share: argument parsing, refusals, replies, keyboards.

A handler that cannot go on raises `Refuse` (or `BadUsage`) with an English message id and
its placeholders; the wrapper in handlers/registry.py translates it into the person's language
and answers. So handlers stay straight-line code: parse → decide → store → reply.
"""

from __future__ import annotations

import html
import shlex
from collections.abc import Sequence

from telegram import Message, Update
from telegram.constants import ParseMode

from bot.context import BotContext
from bot.domain.limits import MAX_TEXT, clip, fit
from bot.i18n import N_
from bot.keyboards import ButtonSpec, keyboard

ECHO_CHARS = 200
_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "「": '"', "」": '"'})


class Refuse(Exception):
    """Stop the handler and answer with this (translated, then formatted) message."""

    def __init__(self, message: str, **params: object) -> None:
        super().__init__(message)
        self.message = message
        self.params = params

    def render(self, ctx: BotContext) -> str:
        # A refusal echoes what was typed; a pasted essay is shown by its start only.
        params = {
            k: esc(clip(v, ECHO_CHARS)) if isinstance(v, str) else v for k, v in self.params.items()
        }
        return ctx.t(self.message).format(**params)


class BadUsage(Refuse):
    """Wrong arguments: the answer also shows how the command is used."""


def esc(value: object) -> str:
    """User-supplied text in an HTML reply."""
    return html.escape(str(value), quote=False)


def parse_args(text: str | None) -> list[str]:
    """The words after the command; a word with spaces is written in double quotes."""
    if not text:
        return []
    _, _, rest = text.partition(" ") if text.startswith("/") else ("", "", text)
    try:
        return shlex.split(rest.translate(_QUOTES))
    except ValueError:
        raise BadUsage("A quote is not closed.") from None


def more(ctx: BotContext, n: int) -> str:
    """The last line of a shortened list or reply (plain text)."""
    return ctx.t(MORE).format(n=n)


def fitted(ctx: BotContext, text: str, limit: int = MAX_TEXT) -> str:
    """`text` within Telegram's limit: whole lines past it become "…and N more."."""
    return fit(text, limit, lambda n: more(ctx, n))


MORE = N_("…and {n} more.")


def command_args(update: Update) -> list[str]:
    message = update.effective_message
    return parse_args((message.text or message.caption) if message else None)


async def reply(
    update: Update,
    ctx: BotContext,
    text: str,
    *,
    buttons: Sequence[Sequence[ButtonSpec]] | None = None,
    quote: bool = True,
) -> Message | None:
    """Answer in the chat the update came from, as HTML (escape user text with `esc`)."""
    message = update.effective_message
    chat = update.effective_chat
    if chat is None:
        return None
    return await ctx.bot.send_message(
        chat.id,
        fitted(ctx, text),
        parse_mode=ParseMode.HTML,
        reply_markup=keyboard(buttons),
        reply_to_message_id=message.message_id
        if quote and message and not message.from_user.is_bot
        else None,
        allow_sending_without_reply=True,
        disable_web_page_preview=True,
    )


async def send_private(
    ctx: BotContext,
    user_id: int,
    text: str,
    *,
    buttons: Sequence[Sequence[ButtonSpec]] | None = None,
) -> Message:
    """Send to a person directly; raises telegram.error.Forbidden if they never started the bot."""
    return await ctx.bot.send_message(
        user_id,
        fitted(ctx, text),
        parse_mode=ParseMode.HTML,
        reply_markup=keyboard(buttons),
        disable_web_page_preview=True,
    )


def deep_link(ctx: BotContext, payload: str) -> str:
    return f"https://t.me/{ctx.bot.username}?start={payload}"


def is_private(update: Update) -> bool:
    return update.effective_chat is not None and update.effective_chat.type == "private"


def mention(user_id: int, name: str) -> str:
    return f'<a href="tg://user?id={user_id}">{esc(name)}</a>'
