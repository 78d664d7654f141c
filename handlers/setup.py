"""/setup: a bot admin who also administers a group registers what the group is for.

A purpose belongs to one chat. Taking it from another chat, or giving this chat a different
purpose, is asked first: [Move it here] [Cancel], answered only by the admin who asked.
"""

from __future__ import annotations

from telegram import Update
from telegram.constants import ParseMode
from telegram.ext import Application

from bot.context import BotContext
from bot.i18n import N_
from handlers.common import BadUsage, Refuse, command_args, esc, fitted, reply
from handlers.registry import button, command, require
from storage.chats import PURPOSES, ChatRow

PURPOSE_NAMES = {
    "bd": N_("the BD team's chat"),
    "ads": N_("the ads team's chat"),
    "sharers": N_("the sharers' group"),
    "managers": N_("the managers' chat"),
}


async def _require_group_admin(update: Update, ctx: BotContext) -> None:
    chat, user = update.effective_chat, update.effective_user
    member = await ctx.bot.get_chat_member(chat.id, user.id)
    if member.status not in ("administrator", "creator"):
        raise Refuse("You must also be an admin of this group to register it.")


def _losses(
    ctx: BotContext, purpose: str, here: ChatRow | None, holder: ChatRow | None
) -> list[str]:
    """What registering `purpose` here would take away: from another chat, or from this one."""
    name = ctx.t(PURPOSE_NAMES[purpose])
    lines = []
    if holder is not None and (here is None or holder.chat_id != here.chat_id):
        text = ctx.t("{title} is registered as {purpose} and would lose it.")
        lines.append(text.format(title=esc(holder.title), purpose=name))
    if here is not None and here.purpose not in (None, purpose):
        text = ctx.t("This chat is registered as {old} and would lose that.")
        lines.append(text.format(old=ctx.t(PURPOSE_NAMES[here.purpose])))
    return lines


async def setup(update: Update, ctx: BotContext) -> None:
    args = command_args(update)
    if len(args) != 1 or args[0].lower() not in PURPOSES:
        raise BadUsage("Say what this chat is for: bd, ads, sharers or managers.")
    purpose = args[0].lower()
    await _require_group_admin(update, ctx)
    chats, chat_id = ctx.services.chats, update.effective_chat.id
    here, holder = await chats.get(chat_id), await chats.by_purpose(purpose)
    losses = _losses(ctx, purpose, here, holder)
    if not losses:
        await _register(update, ctx, purpose)
        await reply(update, ctx, _registered(ctx, purpose))
        return
    asker = update.effective_user.id
    question = ctx.t("Make this chat {purpose}?").format(purpose=ctx.t(PURPOSE_NAMES[purpose]))
    confirm = ctx.t("Move it here") if holder is not None else ctx.t("Change it")
    buttons = [[(confirm, f"setup:move:{purpose}:{asker}"), (ctx.t("Cancel"), f"setup:no:{asker}")]]
    await reply(update, ctx, "\n".join([*losses, question]), buttons=buttons)


async def _register(update: Update, ctx: BotContext, purpose: str) -> ChatRow | None:
    return await ctx.services.chats.set_purpose(
        update.effective_chat.id,
        purpose,
        actor_id=update.effective_user.id,
        now=ctx.services.clock.now(),
    )


def _registered(ctx: BotContext, purpose: str) -> str:
    return ctx.t("Registered: this is now {purpose}.").format(purpose=ctx.t(PURPOSE_NAMES[purpose]))


async def on_button(update: Update, ctx: BotContext) -> None:
    """setup:move:<purpose>:<asker> or setup:no:<asker>."""
    query = update.callback_query
    parts = (query.data or "").split(":")
    asker = parts[-1]
    if not asker.isdigit() or parts[1:-1] not in (["no"], *(["move", p] for p in PURPOSES)):
        raise Refuse("This button is out of date.")
    if update.effective_user.id != int(asker):
        raise Refuse("Only the admin who sent /setup can answer this.")
    if parts[1] == "no":
        text = ctx.t("Cancelled: nothing changed.")
    else:
        require(ctx, "admin")
        await _require_group_admin(update, ctx)
        purpose = parts[2]
        previous = await _register(update, ctx, purpose)
        text = _registered(ctx, purpose)
        if previous is not None and previous.chat_id != update.effective_chat.id:
            text += "\n" + ctx.t("{title} is no longer {purpose}.").format(
                title=esc(previous.title), purpose=ctx.t(PURPOSE_NAMES[purpose])
            )
    await query.answer()
    await query.edit_message_text(fitted(ctx, text), parse_mode=ParseMode.HTML)


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
    button(app, "setup", on_button)
