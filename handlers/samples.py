"""Samples through their stages: /sample, /signed, /chased, /video, /quality.

Samples are named by number (`#12`, `12`) or by a creator with one open sample; the look-ups
and the refusals are the shared ones in handlers/lookups.py.
"""

from __future__ import annotations

from datetime import datetime

from telegram import Update
from telegram.ext import Application

from bot.context import BotContext
from bot.domain.creators import Platform
from bot.domain.pipeline import Event, Stage, check_open_samples, first_chase_due
from bot.domain.videos import parse_video_url
from bot.i18n import N_
from handlers.common import BadUsage, Refuse, command_args, esc, reply
from handlers.lookups import domain_errors, find_creator, label, platform_name, stage_name
from handlers.lookups import find_sample as resolve
from handlers.registry import BD_CHATS, command

URGENT_WORDS = {"urgent", "加急", "急"}
REPLIED_WORDS = {"replied", "yes", "回复", "已回复", "回覆", "已回覆"}
GOOD_WORDS = {"good", "ok", "好", "合格"}
POOR_WORDS = {"poor", "bad", "差", "不合格"}


def _now(ctx: BotContext) -> datetime:
    return ctx.services.clock.now()


@domain_errors
async def sample_cmd(update: Update, ctx: BotContext) -> None:
    args = command_args(update)
    if len(args) < 2:
        raise BadUsage("Give the creator's handle and the product.")
    extra = [a for a in args[2:] if a.lower() not in URGENT_WORDS]
    if len(extra) > 1:
        raise BadUsage("Too many words: write a product with spaces in double quotes.")
    urgent = len(extra) < len(args[2:])
    creator = await find_creator(ctx, args[0])
    if creator.blocked_reason:
        raise Refuse(
            "{handle} is blocked: {reason}", handle=creator.handle, reason=creator.blocked_reason
        )
    owner = update.effective_user.id
    repo = ctx.services.samples
    limit = ctx.services.settings.max_open_samples
    check_open_samples(await repo.count_open(creator.id, owner), limit)
    number = await repo.create(
        creator_id=creator.id,
        owner_id=owner,
        product=args[1],
        shipping_order_id=extra[0] if extra else None,
        urgent=urgent,
        now=_now(ctx),
    )
    text = ctx.t(
        "Sample #{number} logged: {handle} — {product}. Send /signed #{number} when "
        "it is signed for."
    )
    text = text.format(number=number, handle=esc(creator.handle), product=esc(args[1]))
    if urgent:
        text += "\n" + ctx.t("Urgent: the first chase comes one day after signing.")
    await reply(update, ctx, text)


@domain_errors
async def signed_cmd(update: Update, ctx: BotContext) -> None:
    args = command_args(update)
    if len(args) != 1:
        raise BadUsage("Give the sample, like #12.")
    sample = await resolve(ctx, args[0])
    now, settings = _now(ctx), ctx.services.settings
    due = first_chase_due(now, sample.urgent, settings.chase_after, settings.chase_after_urgent)
    await ctx.services.samples.change(
        sample,
        [Event.SIGN],
        actor_id=update.effective_user.id,
        now=now,
        fields={"signed_at": now, "chase_due_at": due},
    )
    when = ctx.t.datetime(due.astimezone(settings.tz), "short")
    text = ctx.t(
        "{sample} signed for. If no video is logged by {when}, I will post a chase "
        "reminder in the BD chat."
    )
    await reply(update, ctx, text.format(sample=label(sample), when=when))


@domain_errors
async def chased_cmd(update: Update, ctx: BotContext) -> None:
    args = command_args(update)
    if not 1 <= len(args) <= 2 or (len(args) == 2 and args[1].lower() not in REPLIED_WORDS):
        raise BadUsage("Give the sample, and add “replied” if the creator answered.")
    sample = await resolve(ctx, args[0])
    if sample.stage not in (Stage.SHIPPED, Stage.SIGNED, Stage.RESHOOT_REQUESTED):
        raise Refuse(
            "This sample is not waiting for a video any more ({stage}).",
            stage=stage_name(ctx.t, sample.stage),
        )
    replied = len(args) == 2
    await ctx.services.samples.log_chase(
        sample, by_id=update.effective_user.id, replied=replied, reminder=None, now=_now(ctx)
    )
    text = (
        ctx.t("Chase logged for {sample}: the creator replied.")
        if replied
        else ctx.t("Chase logged for {sample}: no reply yet.")
    )
    total = ctx.t.n("{n} chase so far.", "{n} chases so far.", sample.chases + 1)
    await reply(
        update, ctx, f"{text.format(sample=label(sample))} {total.format(n=sample.chases + 1)}"
    )


@domain_errors
async def video_cmd(update: Update, ctx: BotContext) -> None:
    args = command_args(update)
    if len(args) < 2:
        raise BadUsage("Give the sample and the video link.")
    link = parse_video_url(" ".join(args[1:]))
    sample = await resolve(ctx, args[0])
    repo = ctx.services.samples
    other = await repo.video_owner(link.canonical)
    if other is not None:
        raise Refuse("This video is logged already, on sample #{other}.", other=other)
    now = _now(ctx)
    await repo.change(
        sample,
        [Event.VIDEO],
        actor_id=update.effective_user.id,
        now=now,
        contact=True,
        fields={
            "video_url": link.url,
            "video_key": link.canonical,
            "video_platform": link.platform.value,
            "video_at": sample.video_at or now,
            "chase_due_at": None,
        },
    )
    platform = ""
    if link.platform is not Platform.OTHER:
        name = platform_name(ctx.t, link.platform)
        platform = ctx.t(" ({platform})").format(platform=name)
    text = ctx.t("Video logged for {sample}{platform}. Rate it: /quality #{number} good or poor.")
    await reply(update, ctx, text.format(sample=label(sample), platform=platform, number=sample.id))


@domain_errors
async def quality_cmd(update: Update, ctx: BotContext) -> None:
    args = command_args(update)
    verdict = args[1].lower() if len(args) >= 2 else ""
    if verdict not in GOOD_WORDS | POOR_WORDS:
        raise BadUsage("Give the sample and good or poor (and a note for the creator).")
    sample = await resolve(ctx, args[0])
    note, now = " ".join(args[2:]) or None, _now(ctx)
    good = verdict in GOOD_WORDS
    events = [Event.RATE_GOOD] if good else [Event.RATE_POOR, Event.RESHOOT]
    await ctx.services.samples.change(
        sample,
        events,
        actor_id=update.effective_user.id,
        now=now,
        contact=not good,
        fields={"quality": "good" if good else "poor", "quality_note": note, "rated_at": now},
    )
    if good:
        text = ctx.t(
            "{sample} rated good. Ask {handle} for the authorization code, then send "
            "/code #{number} followed by the code (and the days it is valid, if known)."
        )
    elif note:
        text = ctx.t("{sample} rated poor: reshoot requested. Please tell {handle}: {note}")
    else:
        text = ctx.t("{sample} rated poor: reshoot requested. Please tell {handle} what to change.")
    await reply(
        update,
        ctx,
        text.format(
            sample=label(sample), handle=esc(sample.handle), number=sample.id, note=esc(note or "")
        ),
    )


@domain_errors
async def cancel_cmd(update: Update, ctx: BotContext) -> None:
    args = command_args(update)
    if len(args) != 1:
        raise BadUsage("Give the sample, like #12.")
    sample = await resolve(ctx, args[0])
    await ctx.services.samples.change(
        sample,
        [Event.CANCEL],
        actor_id=update.effective_user.id,
        now=_now(ctx),
        fields={"closed_at": _now(ctx), "chase_due_at": None, "code_warn_at": None},
    )
    await reply(update, ctx, ctx.t("{sample} cancelled.").format(sample=label(sample)))


COMMANDS = [
    ("sample", sample_cmd, N_("log a sample shipped to a creator"),
     "/sample <handle> <product> [shipping_order_id] [urgent]"),
    ("signed", signed_cmd, N_("a sample was signed for"), "/signed <#N|handle>"),
    ("chased", chased_cmd, N_("log a chase for the video"), "/chased <#N|handle> [replied]"),
    ("video", video_cmd, N_("log the creator's video link"), "/video <#N|handle> <url>"),
    ("quality", quality_cmd, N_("rate the video good or poor"),
     "/quality <#N|handle> good|poor [note]"),
    ("sample_cancel", cancel_cmd, N_("cancel a sample"), "/sample_cancel <#N|handle>"),
]  # fmt: skip


def register(app: Application) -> None:
    for name, callback, description, usage in COMMANDS:
        command(app, name, callback, description=description, usage=usage, roles={"bd"},
                chats=BD_CHATS)  # fmt: skip
