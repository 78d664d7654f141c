"""The hand-over to the ads team (投流): /code posts the authorization code to the ads chat,
/adstats brings the results back to the owning BD."""

from __future__ import annotations

from datetime import datetime

from telegram import Update
from telegram.ext import Application

from bot import jobs
from bot.context import BotContext
from bot.domain import adstats
from bot.domain.creator_stats import COMPLETED_STAGES
from bot.domain.creators import Tier
from bot.domain.pipeline import (
    Event,
    Stage,
    code_expires_at,
    code_expiry_warning_at,
    parse_valid_days,
)
from bot.domain.tiers import first_completed_collaboration
from bot.i18n import N_, Translator
from bot.services import Services
from handlers.common import BadUsage, command_args, esc, reply
from handlers.lookups import domain_errors, label
from handlers.lookups import find_sample as resolve
from handlers.lookups import person_mention as owner_mention
from handlers.registry import ADS_CHATS, command
from storage.db import to_ts
from storage.samples import Sample


def code_post(t: Translator, sample: Sample, code: str, bd: str, expires: str | None) -> str:
    text = t(
        "🎬 Authorization code for {sample}\nCode: <code>{code}</code>\nVideo: {url}\n"
        "Creator: {handle}\nProduct: {product}\nBD: {bd}"
    ).format(
        sample=f"#{sample.id}",
        code=esc(code),
        url=esc(sample.video_url or ""),
        handle=esc(sample.handle),
        product=esc(sample.product),
        bd=bd,
    )
    if expires:
        text += "\n" + t("Valid until {date}.").format(date=expires)
    return text


async def next_product_prompt(services: Services, sample: Sample, now: datetime) -> None:
    """After an S creator's first completed collaboration: offer them the next product."""
    bd_chat = await services.chats.by_purpose("bd")
    if bd_chat is None:
        return
    t = await services.translator_for_chat(bd_chat.chat_id)
    text = t(
        "🌟 {bd}: {handle} (S) finished a first collaboration with us ({product}). "
        "A good moment to offer the next product."
    ).format(
        bd=await owner_mention(services, sample.owner_id),
        handle=esc(sample.handle),
        product=esc(sample.product),
    )
    await services.outbox.enqueue(
        f"nextproduct:{sample.creator_id}", bd_chat.chat_id, text, due_at=now, now=now
    )


async def after_stage_change(ctx: BotContext, sample: Sample, after: Stage, now: datetime) -> None:
    services = ctx.services
    if sample.tier == "S" and after in COMPLETED_STAGES and sample.stage not in COMPLETED_STAGES:
        done_before = await services.samples.completed_count(sample.creator_id, besides=sample.id)
        if first_completed_collaboration(Tier.S, sample.stage, after, done_before):
            await next_product_prompt(services, sample, now)
    # Send what was queued now, behind the reply (a pump must never run twice: kick's run
    # takes the scheduler's lock).
    jobs.kick(ctx.application)


@domain_errors
async def code_cmd(update: Update, ctx: BotContext) -> None:
    args = command_args(update)
    if not 2 <= len(args) <= 3:
        raise BadUsage("Give the sample, the authorization code and optionally its validity.")
    valid_days = parse_valid_days(args[2]) if len(args) == 3 else None
    sample = await resolve(ctx, args[0])
    services, now = ctx.services, ctx.services.clock.now()
    ads_chat = await services.chats.by_purpose("ads")
    fields: dict[str, object] = {"code": args[1], "code_valid_days": valid_days, "code_at": now}
    if valid_days:
        fields["code_expires_at"] = code_expires_at(now, valid_days)
        fields["code_warn_at"] = code_expiry_warning_at(now, valid_days)
    events = [Event.CODE]
    if ads_chat is not None:
        events.append(Event.HAND_TO_ADS)
        fields["handed_at"] = now
    after = await services.samples.change(
        sample, events, actor_id=update.effective_user.id, now=now, contact=True, fields=fields
    )
    if ads_chat is None:
        text = ctx.t(
            "Code saved for #{number}, but no ads chat is registered: ask an admin to "
            "send /setup ads there, then send /code again."
        )
        await reply(update, ctx, text.format(number=sample.id))
        return
    t = await services.translator_for_chat(ads_chat.chat_id)
    expires = fields.get("code_expires_at")
    when = t.date(expires.astimezone(services.settings.tz)) if expires else None  # type: ignore[attr-defined]
    bd = await owner_mention(services, sample.owner_id)
    post = code_post(t, sample, args[1], bd, when)
    await services.outbox.enqueue(
        f"code:{sample.id}:{to_ts(now)}", ads_chat.chat_id, post, due_at=now, now=now
    )
    text = ctx.t("Code for {sample} posted to the ads chat.").format(sample=label(sample))
    await reply(update, ctx, text)
    await after_stage_change(ctx, sample, after, now)


def results_text(t: Translator, stats: adstats.AdStats) -> str:
    res = adstats.results(stats)
    roi = "—" if res.roi_2dp is None else f"{res.roi_2dp:f}"  # always two decimals
    return t("CTR {ctr} · conversion {conversion} · ROI {roi}").format(
        ctr=t.percent(res.ctr, 2), conversion=t.percent(res.conversion, 2), roi=roi
    )


@domain_errors
async def adstats_cmd(update: Update, ctx: BotContext) -> None:
    args = command_args(update)
    if not 5 <= len(args) <= 6:
        raise BadUsage("Give the sample, spend, impressions, clicks, orders and optionally GMV.")
    stats = adstats.parse_adstats(args[1:])
    sample = await resolve(ctx, args[0])
    services, now = ctx.services, ctx.services.clock.now()
    report_id, after = await services.samples.report_ads(
        sample, stats, reporter_id=update.effective_user.id, now=now
    )
    bd_chat = await services.chats.by_purpose("bd")
    if bd_chat is not None:
        t = await services.translator_for_chat(bd_chat.chat_id)
        gmv = "—" if stats.gmv_fen is None else t.money(stats.gmv_fen)
        text = t(
            "📈 {bd}: ad results for {sample}\nSpend {spend}, impressions {impressions}, "
            "clicks {clicks}, orders {orders}, GMV {gmv}\n{results}\nYou may pass this on to "
            "the creator."
        ).format(
            bd=await owner_mention(services, sample.owner_id),
            sample=label(sample),
            spend=t.money(stats.spend_fen),
            impressions=t.number(stats.impressions),
            clicks=t.number(stats.clicks),
            orders=t.number(stats.orders),
            gmv=gmv,
            results=results_text(t, stats),
        )
        await services.outbox.enqueue(
            f"adstats:{report_id}", bd_chat.chat_id, text, due_at=now, now=now
        )
    text = ctx.t("Results recorded for {sample}. {results}").format(
        sample=label(sample), results=results_text(ctx.t, stats)
    )
    if bd_chat is None:
        text += "\n" + ctx.t("No BD chat is registered, so the BD was not told.")
    await reply(update, ctx, text)
    await after_stage_change(ctx, sample, after, now)


def register(app: Application) -> None:
    command(
        app,
        "code",
        code_cmd,
        description=N_("hand the authorization code to the ads team"),
        usage="/code <#N|handle> <authorization_code> [valid_days]",
        roles={"bd"},
        chats=ADS_CHATS,
    )
    command(
        app,
        "adstats",
        adstats_cmd,
        description=N_("report ad results for a sample"),
        usage="/adstats <#N|handle> <spend> <impressions> <clicks> <orders> [gmv]",
        roles={"ads"},
        chats=ADS_CHATS,
    )
