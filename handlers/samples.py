"""Samples through their stages: /sample, /signed, /chased, /video, /quality.

Shared with handlers/ads.py and handlers/pipeline_*.py: sample refs (`#12`, `12` or a handle
with one open sample), stage names, and the map from domain error codes to messages.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from datetime import datetime

from telegram import Update
from telegram.ext import Application

from bot.context import BotContext
from bot.domain.creators import Platform, handle_key, parse_platform
from bot.domain.money import DomainError
from bot.domain.pipeline import Event, Stage, check_open_samples, first_chase_due
from bot.domain.videos import parse_video_url
from bot.i18n import N_, Translator
from handlers.common import BadUsage, Refuse, command_args, esc, reply
from handlers.registry import command
from handlers.stage_names import STAGE_NAMES
from storage.creators import Creator, Creators
from storage.samples import Sample, Samples

# Domain error code → message; params come from the error (stage names translated).
ERRORS = {
    "closed": N_("This sample is closed ({stage})."),
    "already_signed": N_("This sample was signed for already ({stage})."),
    "not_signed": N_("This sample is not signed for yet: send /signed first."),
    "no_video": N_("There is no video yet: send /video first."),
    "video_exists": N_("This sample has a video already ({stage})."),
    "already_rated": N_("This video is rated already ({stage})."),
    "code_already_received": N_("The code is in already ({stage}); the rating cannot change."),
    "not_rated_good": N_("Only a video rated good gets a code ({stage})."),
    "not_rated_poor": N_("A reshoot follows a poor rating only ({stage})."),
    "no_code": N_("There is no authorization code yet: send /code first."),
    "not_handed_to_ads": N_("This sample is not with the ads team yet ({stage})."),
    "too_many_open_samples": N_(
        "You already have {open} unfinished samples with this creator (the limit is {max}): "
        "finish or cancel one first."
    ),
    "not_chasing": N_("This sample is not waiting for a video any more ({stage})."),
    "already_snoozed": N_("Snoozed already."),
    "stale_reminder": N_("This reminder is out of date: use the latest one."),
    "bad_valid_days": N_("{value} is not a number of days, e.g. 30."),
    "bad_url": N_("{value} is not a video link: it must start with http:// or https://."),
    "duplicate_video": N_("This video is logged already, on sample #{other}."),
    "changed": N_("Someone changed this sample at the same moment; please try again."),
    "bad_handle": N_("{value} is not a creator handle."),
    "bad_platform": N_("Unknown platform {value}: use {allowed}."),
    "wrong_arg_count": N_("Give spend, impressions, clicks, orders and optionally GMV."),
    "not_a_number": N_("{value} is not a number ({field})."),
    "negative": N_("{value} cannot be negative ({field})."),
    "clicks_exceed_impressions": N_("Clicks ({clicks}) cannot exceed impressions ({impressions})."),
}
URGENT_WORDS = {"urgent", "加急", "急"}
REPLIED_WORDS = {"replied", "yes", "回复", "已回复", "回覆", "已回覆"}
GOOD_WORDS = {"good", "ok", "好", "合格"}
POOR_WORDS = {"poor", "bad", "差", "不合格"}

Handler = Callable[[Update, BotContext], Awaitable[None]]


class Raw:
    """HTML we composed ourselves, passed to Refuse without being escaped again."""

    def __init__(self, html: str) -> None:
        self.html = html

    def __format__(self, spec: str) -> str:
        return self.html


def stage_name(t: Translator, stage: Stage | str) -> str:
    return t(STAGE_NAMES[Stage(stage)])


def refusal(ctx: BotContext, exc: DomainError) -> Refuse:
    params = dict(exc.params)
    if "stage" in params:
        params["stage"] = stage_name(ctx.t, params["stage"])
    params.setdefault("value", "")
    message = ERRORS.get(exc.code)
    if message is None:
        raise exc
    return Refuse(message, **params)


def domain_errors(handler: Handler) -> Handler:
    """Turn a domain refusal into a localized answer (and no change)."""

    @functools.wraps(handler)
    async def wrapped(update: Update, ctx: BotContext) -> None:
        try:
            await handler(update, ctx)
        except DomainError as exc:
            raise refusal(ctx, exc) from None

    return wrapped


def label(sample: Sample) -> str:
    """`#12 lily — Hydra Mask` as HTML."""
    return f"#{sample.id} {esc(sample.handle)} — {esc(sample.product)}"


async def find_creator(ctx: BotContext, text: str) -> Creator:
    """A creator by handle (`lily`, `@lily`, `lily:douyin` when several platforms share it)."""
    handle, _, platform = text.rpartition(":") if ":" in text else (text, "", "")
    wanted = parse_platform(platform) if platform else None
    found = await ctx.services.repo(Creators).by_handle(handle, wanted)
    if not found:
        hints = await ctx.services.repo(Creators).suggestions(handle)
        if hints:
            raise Refuse(
                "No creator {handle}. Did you mean: {hints}?", handle=handle, hints=", ".join(hints)
            )
        raise Refuse("No creator {handle}: register them with /creator_add.", handle=handle)
    if len(found) > 1:
        platforms = ", ".join(f"{handle}:{c.platform}" for c in found)
        raise Refuse(
            "Several creators are called {handle}; write one of: {platforms}.",
            handle=handle,
            platforms=platforms,
        )
    return found[0]


async def resolve(ctx: BotContext, ref: str) -> Sample:
    repo = ctx.services.repo(Samples)
    digits = ref.strip().removeprefix("#")
    if digits.isascii() and digits.isdigit():
        sample = await repo.get(int(digits))
        if sample is None:
            raise Refuse("No sample #{number}.", number=digits)
        return sample
    handle_key(ref)  # a bad handle is refused before any lookup
    found = await ctx.services.repo(Creators).by_handle(ref)
    if not found:
        raise Refuse("No sample or creator {ref}: give a sample number like #12.", ref=ref)
    open_samples = await repo.open_for([c.id for c in found])
    if len(open_samples) == 1:
        return open_samples[0]
    if not open_samples:
        raise Refuse("{ref} has no open sample: give its number, like #12.", ref=ref)
    listing = "\n".join(f"{label(s)} ({stage_name(ctx.t, s.stage)})" for s in open_samples[:10])
    raise Refuse(
        "{ref} has several open samples; say which by number:\n{listing}",
        ref=ref,
        listing=Raw(listing),
    )


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
    repo = ctx.services.repo(Samples)
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
    await ctx.services.repo(Samples).change(
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
    await ctx.services.repo(Samples).log_chase(
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
    repo = ctx.services.repo(Samples)
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
    platform = "" if link.platform is Platform.OTHER else f" ({link.platform.value})"
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
    await ctx.services.repo(Samples).change(
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
    await ctx.services.repo(Samples).change(
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
        command(app, name, callback, description=description, usage=usage, roles={"bd"})
