"""/setup: a bot admin who also administers a group registers what the group is for."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application

from bot.context import BotContext
from bot.i18n import N_
from handlers.common import BadUsage, Refuse, command_args, esc, reply
from handlers.registry import command
from storage.chats import PURPOSES

PURPOSE_NAMES = {
    "bd": N_("the BD team's chat"),
    "ads": N_("the ads team's chat"),
    "sharers": N_("the sharers' group"),
    "managers": N_("the managers' chat"),
}


async def setup(update: Update, ctx: BotContext) -> None:
    args = command_args(update)
    if len(args) != 1 or args[0].lower() not in PURPOSES:
        raise BadUsage("Say what this chat is for: bd, ads, sharers or managers.")
    purpose = args[0].lower()
    chat, user = update.effective_chat, update.effective_user
    member = await ctx.bot.get_chat_member(chat.id, user.id)
    if member.status not in ("administrator", "creator"):
        raise Refuse("You must also be an admin of this group to register it.")
    previous = await ctx.services.chats.set_purpose(
        chat.id, purpose, actor_id=user.id, now=ctx.services.clock.now()
    )
    text = ctx.t("Registered: this is now {purpose}.").format(purpose=ctx.t(PURPOSE_NAMES[purpose]))
    if previous is not None and previous.chat_id != chat.id:
        text += "\n" + ctx.t("It replaces {title}.").format(title=esc(previous.title))
    await reply(update, ctx, text)


def register(app: Application) -> None:
    command(
        app,
        "setup",
        setup,
        description=N_("register what this group is for"),
        usage="/setup bd|ads|sharers|managers",
        roles={"admin"},
        where="group",
    )
