"""The creator registry (SPEC §2): /creator_add, /tier, /note, /block, /unblock. The card and
the list are in handlers/creator_card.py; /creator_stats, /find and the import in
handlers/creator_screening.py; finding a creator and the refusals in handlers/lookups.py."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application

from bot.context import BotContext
from bot.domain.creators import normalize_handle, parse_followers, parse_platform, parse_tier
from bot.domain.money import DomainError
from bot.i18n import N_
from handlers.common import BadUsage, Refuse, command_args, esc, reply
from handlers.lookups import (
    find_creator,
    owner_label,
    platform_name,
    refusal,
)
from handlers.registry import BD_CHATS, command
from storage.creators import Creator


def may_manage(ctx: BotContext, update: Update, creator: Creator) -> None:
    """Tier and block decisions belong to the owning BD or a manager."""
    if creator.owner_id != update.effective_user.id and "manager" not in ctx.roles:
        raise Refuse("Only the owner of {handle} or a manager may do this.", handle=creator.handle)


# --- /creator_add --------------------------------------------------------------------------


async def creator_add(update: Update, ctx: BotContext) -> None:
    args = command_args(update)
    if len(args) < 2:
        raise BadUsage("Give the handle and the tier.")
    try:
        handle, tier = normalize_handle(args[0]), parse_tier(args[1]).value
        platform, followers, category = _creator_add_rest(args[2:])
        created = await ctx.services.creators.add(
            handle, platform=platform, tier=tier, owner_id=update.effective_user.id,
            followers=followers, category=category, now=ctx.services.clock.now(),
        )  # fmt: skip
    except DomainError as error:
        raise refusal(error, ctx) from None
    text = ctx.t("Registered {handle} ({platform}), tier {tier}, owner {owner}.")
    owner = await owner_label(ctx, created.owner_id)
    name = platform_name(ctx.t, platform)
    await reply(update, ctx, text.format(handle=esc(handle), platform=name, tier=tier, owner=owner))


def _creator_add_rest(rest: list[str]) -> tuple[str, int | None, str]:
    """`[platform] [followers] [category…]`, nothing reinterpreted: a word after the tier that
    is neither a platform nor a number is an unknown platform (not a category), and a word
    that starts like a number must be a valid follower count (`-5` is refused)."""
    platform, followers = "other", None
    if rest and not _starts_like_number(rest[0]):
        platform = parse_platform(rest.pop(0)).value
    if rest and _starts_like_number(rest[0]):
        followers = parse_followers(rest.pop(0))
    return platform, followers, " ".join(rest)


def _starts_like_number(word: str) -> bool:
    return word[:1] in "0123456789０１２３４５６７８９-−+.＋－"


# --- /creator: the card ---------------------------------------------------------------------


async def tier(update: Update, ctx: BotContext) -> None:
    args = command_args(update)
    if len(args) < 2:
        raise BadUsage("Give the handle and the new tier.")
    c = await find_creator(ctx, args[0])
    try:
        new = parse_tier(args[1]).value
    except DomainError as error:
        raise refusal(error) from None
    may_manage(ctx, update, c)
    reason = " ".join(args[2:])
    before = await ctx.services.creators.set_tier(
        c.id, new, reason, actor_id=update.effective_user.id, now=ctx.services.clock.now()
    )
    text = ctx.t("Tier of {handle}: {before} → {after}.")
    await reply(update, ctx, text.format(handle=esc(c.handle), before=before, after=new))


async def note(update: Update, ctx: BotContext) -> None:
    args = command_args(update)
    if len(args) < 2:
        raise BadUsage("Give the handle and the note.")
    c = await find_creator(ctx, args[0])
    text = " ".join(args[1:])
    await ctx.services.creators.add_note(
        c.id, text, author_id=update.effective_user.id, now=ctx.services.clock.now()
    )
    answer = ctx.t("Note kept on {handle}: {text}")
    await reply(update, ctx, answer.format(handle=esc(c.handle), text=esc(text)))


async def block(update: Update, ctx: BotContext) -> None:
    args = command_args(update)
    if len(args) < 2:
        raise BadUsage("Give the handle and the reason.")
    c = await find_creator(ctx, args[0])
    may_manage(ctx, update, c)
    reason = " ".join(args[1:])
    await ctx.services.creators.block(
        c.id, reason, actor_id=update.effective_user.id, now=ctx.services.clock.now()
    )
    text = ctx.t("{handle} is blocked: {reason}. New samples to them will be refused.")
    await reply(update, ctx, text.format(handle=esc(c.handle), reason=esc(reason)))


async def unblock(update: Update, ctx: BotContext) -> None:
    args = command_args(update)
    if len(args) != 1:
        raise BadUsage("Give the handle.")
    c = await find_creator(ctx, args[0])
    may_manage(ctx, update, c)
    if c.blocked_reason is None:
        raise Refuse("{handle} is not blocked.", handle=c.handle)
    await ctx.services.creators.block(
        c.id, None, actor_id=update.effective_user.id, now=ctx.services.clock.now()
    )
    await reply(update, ctx, ctx.t("{handle} is no longer blocked.").format(handle=esc(c.handle)))


def register(app: Application) -> None:
    bd = {"bd"}
    command(
        app,
        "creator_add",
        creator_add,
        description=N_("register a creator"),
        usage="/creator_add <handle> <S|A|B> [platform] [followers] [category]",
        roles=bd,
        chats=BD_CHATS,
    )
    command(
        app,
        "tier",
        tier,
        description=N_("change a creator's tier"),
        usage="/tier <handle> <S|A|B> [reason]",
        roles=bd,
        chats=BD_CHATS,
    )
    command(
        app,
        "note",
        note,
        description=N_("keep a note on a creator"),
        usage="/note <handle> <text>",
        roles=bd,
        chats=BD_CHATS,
    )
    command(
        app,
        "block",
        block,
        description=N_("block a creator"),
        usage="/block <handle> <reason>",
        roles=bd,
        chats=BD_CHATS,
    )
    command(app, "unblock", unblock, description=N_("unblock a creator"),
            usage="/unblock <handle>", roles=bd, chats=BD_CHATS)  # fmt: skip
