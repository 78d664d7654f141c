"""The creator registry (SPEC §2): /creator_add, /tier, /note, /block, /unblock, and the
helpers the other creator handlers share (finding a creator, mapping domain errors). The card
and the list are in handlers/creator_card.py; /creator_stats, /find and the import in
handlers/creators_import.py."""

from __future__ import annotations

from datetime import datetime

from telegram import Update
from telegram.ext import Application

from bot.context import BotContext
from bot.domain.creators import (
    Tier,
    normalize_handle,
    parse_count,
    parse_followers,
    parse_platform,
    parse_tier,
)
from bot.domain.money import DomainError
from bot.i18n import N_
from handlers.common import BadUsage, Refuse, command_args, esc, mention, reply
from handlers.registry import command
from handlers.stage_names import STAGE_NAMES
from storage.creators import Creator, Creators

# Domain error code → message id; placeholders are the error's params.
ERRORS = {
    "bad_tier": N_("The tier must be S, A or B, not {value}."),
    "bad_platform": N_(
        "Unknown platform {value}: use tiktok, douyin, channels, xiaohongshu or other."
    ),
    "bad_handle": N_("{value} cannot be a handle (no spaces, at most 64 characters)."),
    "bad_followers": N_("{value} is not a follower count (e.g. 12000, 1.2万, 12k)."),
    "duplicate": N_("{handle} is already registered on {platform}."),
    "bad_stat": N_("{key}={value} is not a valid value."),
    "bad_stat:unknown_key": N_(
        "Unknown figure {key}: use categories, followers, adult, female, posts, interaction"
        " or products."
    ),
    "bad_stat:missing_value": N_("{key} needs a value, e.g. {key}=35%."),
    "bad_filter": N_("{token}: the value is not valid."),
    "bad_filter:unknown": N_(
        "Unknown filter {token}: use adult>=N, female>=N, posts>=N, interaction>=N% or"
        " goal=brand|sales."
    ),
    "bad_filter:operator": N_("{token}: filters take >= (at least)."),
    "bad_band": N_("{token} is not a follower band; use one of {allowed}."),
    "unknown_category": N_("No creator has the category {token}."),
    "unknown_category:suggest": N_(
        "No creator has the category {token}. Did you mean: {suggestions}?"
    ),
    "duplicate_filter": N_("{token} repeats a filter given already."),
}
STATUS_NAMES = {"active": N_("active"), "paused": N_("paused"), "ended": N_("ended")}


def refusal(error: DomainError) -> Refuse:
    """The localized refusal for a domain error: `code:variant` first, then `code`."""
    params = {
        k: ", ".join(map(str, v)) if isinstance(v, list | tuple) else v
        for k, v in error.params.items()
    }
    variant = "suggest" if params.get("suggestions") else params.get("reason", "")
    message = ERRORS.get(f"{error.code}:{variant}") or ERRORS.get(error.code)
    if message is None:
        return Refuse(N_("That is not valid: {detail}."), detail=error.code)
    return Refuse(message, **params)


def repo(ctx: BotContext) -> Creators:
    return ctx.services.repo(Creators)


async def find_creator(ctx: BotContext, token: str, platform: str | None = None) -> Creator:
    """The one creator meant by `token` (`handle`, or `handle@platform` when ambiguous)."""
    try:
        chosen = parse_platform(platform).value if platform else None
        found = await repo(ctx).by_handle(token, chosen)
        head, at, tail = token[1:].rpartition("@")
        if not found and at and chosen is None:
            found = await repo(ctx).by_handle(token[0] + head, parse_platform(tail).value)
    except DomainError as error:
        raise refusal(error) from None
    if len(found) > 1:
        choices = ", ".join(f"{c.handle}@{c.platform}" for c in found)
        raise Refuse("{handle} is on several platforms; write one of: {choices}.",
                     handle=found[0].handle, choices=choices)  # fmt: skip
    if found:
        return found[0]
    near = await repo(ctx).suggestions(token)
    if near:
        raise Refuse(
            "No creator {handle}. Did you mean: {near}?", handle=token, near=", ".join(near)
        )
    raise Refuse("No creator {handle}.", handle=token)


async def owner_label(ctx: BotContext, owner_id: int) -> str:
    if owner_id == 0:
        return ctx.t("unassigned")
    user = await ctx.services.users.get(owner_id)
    return mention(owner_id, user.first_name if user and user.first_name else str(owner_id))


def may_manage(ctx: BotContext, update: Update, creator: Creator) -> None:
    """Tier and block decisions belong to the owning BD or a manager."""
    if creator.owner_id != update.effective_user.id and "manager" not in ctx.roles:
        raise Refuse("Only the owner of {handle} or a manager may do this.", handle=creator.handle)


def local_date(ctx: BotContext, moment: datetime) -> str:
    return ctx.t.date(moment.astimezone(ctx.services.settings.tz), "medium")


# --- /creator_add --------------------------------------------------------------------------


async def creator_add(update: Update, ctx: BotContext) -> None:
    args = command_args(update)
    if len(args) < 2:
        raise BadUsage("Give the handle and the tier.")
    platform, followers, category = "other", None, ""
    try:
        handle, tier = normalize_handle(args[0]), parse_tier(args[1]).value
        rest = list(args[2:])
        if rest and _is_platform(rest[0]):
            platform = parse_platform(rest.pop(0)).value
        if rest and (rest[0][:1].isdigit() or parse_count(rest[0]) is not None):
            followers = parse_followers(rest.pop(0))
        category = " ".join(rest)
        created = await repo(ctx).add(
            handle, platform=platform, tier=tier, owner_id=update.effective_user.id,
            followers=followers, category=category, now=ctx.services.clock.now(),
        )  # fmt: skip
    except DomainError as error:
        raise refusal(error) from None
    text = ctx.t("Registered {handle} ({platform}), tier {tier}, owner {owner}.")
    owner = await owner_label(ctx, created.owner_id)
    await reply(
        update, ctx, text.format(handle=esc(handle), platform=platform, tier=tier, owner=owner)
    )


def _is_platform(token: str) -> bool:
    try:
        parse_platform(token)
    except DomainError:
        return False
    return True


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
    before = await repo(ctx).set_tier(
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
    await repo(ctx).add_note(
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
    await repo(ctx).block(
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
    await repo(ctx).block(
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
    )
    command(
        app,
        "tier",
        tier,
        description=N_("change a creator's tier"),
        usage="/tier <handle> <S|A|B> [reason]",
        roles=bd,
    )
    command(
        app,
        "note",
        note,
        description=N_("keep a note on a creator"),
        usage="/note <handle> <text>",
        roles=bd,
    )
    command(
        app,
        "block",
        block,
        description=N_("block a creator"),
        usage="/block <handle> <reason>",
        roles=bd,
    )
    command(app, "unblock", unblock, description=N_("unblock a creator"),
            usage="/unblock <handle>", roles=bd)  # fmt: skip


__all__ = ["ERRORS", "STAGE_NAMES", "Tier", "find_creator", "refusal", "register"]
