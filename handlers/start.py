"""/start (with deep-link payloads), /help and /lang — for everyone."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application

from bot.context import BotContext
from bot.i18n import LANGUAGES, N_, resolve_locale
from handlers.common import BadUsage, Refuse, command_args, esc, is_private, reply
from handlers.registry import chat_purpose, command, commands, start_payloads

LANGUAGE_NAMES = {"zh_Hans": "简体中文", "zh_Hant": "繁體中文", "en": "English"}


async def start(update: Update, ctx: BotContext) -> None:
    args = command_args(update)
    if args:
        prefix, _, rest = args[0].partition("_")
        handler = start_payloads(ctx.application).get(prefix)
        if handler is not None:
            await handler(update, ctx, rest)
            return
    name = update.effective_user.first_name if update.effective_user else ""
    await reply(
        update,
        ctx,
        ctx.t(
            "Hello {name}! I am crewbot: I help the BD team with creators and samples, "
            "and sharers with their commission. Send /help to see what you can do here."
        ).format(name=esc(name)),
    )


async def help_command(update: Update, ctx: BotContext) -> None:
    """Only what this person may use in this chat: BD commands are not listed in the sharers'
    group, even to an admin."""
    private = is_private(update)
    purpose = await chat_purpose(update, ctx)
    lines = [ctx.t("What you can do here:")]
    for spec in commands(ctx.application):
        if spec.allowed(ctx.roles, private, purpose):
            lines.append(f"{esc(ctx.t(spec.usage))} — {ctx.t(spec.description)}")
    await reply(update, ctx, "\n".join(lines))


async def lang(update: Update, ctx: BotContext) -> None:
    args = command_args(update)
    choices = ctx.t.join(code.lower().replace("_", "-") for code in LANGUAGES)
    if len(args) != 1 or resolve_locale(args[0], default="") == "":
        raise BadUsage("Choose one of: {choices}.", choices=choices)
    locale = resolve_locale(args[0])
    services, now = ctx.services, ctx.services.clock.now()
    if is_private(update):
        await services.users.set_lang(update.effective_user.id, locale, now=now)
    else:
        member = await ctx.bot.get_chat_member(update.effective_chat.id, update.effective_user.id)
        if member.status not in ("administrator", "creator"):
            raise Refuse("Only an admin of this group can change its language.")
        await services.chats.set_lang(
            update.effective_chat.id, locale, actor_id=update.effective_user.id, now=now
        )
    ctx.t = services.i18n.get(locale)
    await reply(
        update, ctx, ctx.t("Language set: {language}.").format(language=LANGUAGE_NAMES[locale])
    )


def register(app: Application) -> None:
    command(app, "start", start, description=N_("start talking with me"), menu=True)
    command(app, "help", help_command, description=N_("what you can do here"))
    command(
        app,
        "lang",
        lang,
        description=N_("choose the language"),
        usage="/lang zh-hans|zh-hant|en",
    )
