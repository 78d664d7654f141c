"""Screening (SPEC §2, 选达人): /creator_stats and /find. Importing a marketplace export of
creators is bot.imports' (with the other imports)."""

from __future__ import annotations

from decimal import Decimal

from telegram import Update
from telegram.ext import Application

from bot.context import BotContext
from bot.domain.money import DomainError
from bot.domain.screening import band_of, find, matches, parse_find_args, parse_stats_pairs
from bot.i18n import N_, Translator
from handlers.common import BadUsage, command_args, esc, reply
from handlers.lookups import find_creator, refusal
from handlers.registry import BD_CHATS, command

FIND_LIMIT = 10


# --- /creator_stats, /find ------------------------------------------------------------------


async def creator_stats(update: Update, ctx: BotContext) -> None:
    args = command_args(update)
    if len(args) < 2:
        raise BadUsage("Give the handle and at least one figure, e.g. adult=85%.")
    c = await find_creator(ctx, args[0])
    try:
        stats = parse_stats_pairs(args[1:])
    except DomainError as error:
        raise refusal(error, ctx) from None
    await ctx.services.creators.set_stats(
        c.id, stats, actor_id=update.effective_user.id, now=ctx.services.clock.now()
    )
    # Categories are listed with 、 inside a figure, so the figures themselves take ，.
    comma = "，" if ctx.t.chinese else ", "
    figures = comma.join(f"{k}={_figure(ctx.t, k, v)}" for k, v in stats.items())
    text = ctx.t("Screening figures of {handle} saved: {figures}.")
    await reply(update, ctx, text.format(handle=esc(c.handle), figures=esc(figures)))


def _figure(t: Translator, key: str, value: object) -> str:
    if isinstance(value, tuple):
        return t.join(value)
    if isinstance(value, Decimal):
        return t.percent(value)
    return t.number(value)  # type: ignore[arg-type]


async def find_creators(update: Update, ctx: BotContext) -> None:
    r = ctx.services.creators
    try:
        query = parse_find_args(command_args(update), await r.known_categories())
    except DomainError as error:
        raise refusal(error, ctx) from None
    candidates = [p for p in await r.profiles() if matches(p, query)]
    best = find(candidates, query, limit=FIND_LIMIT)
    if not best:
        await reply(update, ctx, ctx.t("No creator matches."))
        return
    total = len(candidates)
    t = ctx.t
    lines = [t.n("{n} creator matches; the best:", "{n} creators match; the best:", total)
             .format(n=total)]  # fmt: skip
    for rank, (p, points) in enumerate(best, 1):
        why = [t("followers {n}").format(n=t.number(p.followers))] if p.followers else []
        if p.interaction_rate is not None:
            why.append(t("interaction {rate}").format(rate=t.percent(p.interaction_rate)))
        if p.fulfilment_rate is not None:
            why.append(t("fulfilment {rate}").format(rate=t.percent(p.fulfilment_rate, 0)))
        if p.reply_rate is not None:
            why.append(t("replies {rate}").format(rate=t.percent(p.reply_rate, 0)))
        if p.attributed_sales_fen:
            why.append(t("sales {amount}").format(amount=t.money(p.attributed_sales_fen)))
        band = band_of(p.followers)
        head = f"{rank}. <b>{esc(p.handle)}</b> {p.tier}" + (f" · {band.value}" if band else "")
        line = t("{label} — {score}: {reasons}")
        lines.append(
            line.format(label=head, score=f"{points:.1f}", reasons=esc(" · ".join(why) or "—"))
        )
    await reply(update, ctx, "\n".join(lines))


def register(app: Application) -> None:
    command(
        app,
        "creator_stats",
        creator_stats,
        roles={"bd"},
        chats=BD_CHATS,
        description=N_("save a creator's screening figures"),
        usage="/creator_stats <handle> key=value…",
    )
    command(
        app,
        "find",
        find_creators,
        roles={"bd"},
        chats=BD_CHATS,
        description=N_("find creators"),
        usage="/find [category] [band] [adult>=N] [female>=N] [posts>=N] "
        "[interaction>=N%] [goal=brand|sales]",
    )
