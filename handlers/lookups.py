"""The look-ups every feature shares, and the one refusal for domain errors.

A handler names a creator, a sample, a sharer or a month with the grammar in bot/domain/args.py
(and bot/domain/months.py); these functions turn that word into the stored thing or a localized
refusal with suggestions. Handler modules import these, never each other's internals.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from datetime import datetime

from telegram import Update

from bot.context import BotContext
from bot.domain.args import (
    INT64_MAX,
    ArgError,
    looks_like_sample_number,
    or_none,
    parse_creator_ref,
    parse_int,
    parse_switch,
)
from bot.domain.args import parse_sample_number as _sample_number
from bot.domain.commission import mask_names
from bot.domain.creators import Platform, handle_key
from bot.domain.money import DomainError
from bot.domain.months import Month, MonthError, parse_month
from bot.domain.months import month_label as _month_label
from bot.domain.pipeline import Stage
from bot.domain.rules import BUILTIN_LEVELS, Rules
from bot.i18n import N_, Translator
from bot.services import Services
from handlers.common import BadUsage, Refuse, esc, mention
from handlers.stage_names import STAGE_NAMES, STATUS_NAMES
from storage.creators import Creator
from storage.samples import Sample
from storage.sharers import Sharer, SharerError

Handler = Callable[[Update, BotContext], Awaitable[None]]

PLATFORM_NAMES = {
    Platform.TIKTOK: N_("TikTok"),
    Platform.DOUYIN: N_("Douyin"),
    Platform.CHANNELS: N_("WeChat Channels"),
    Platform.XIAOHONGSHU: N_("Xiaohongshu"),
    Platform.OTHER: N_("other platform"),
}

# Domain error code (`code:variant` first, then `code`) → message id; params from the error.
ERRORS = {
    # arguments (bot/domain/args.py)
    "bad_number": N_("{value} is not a whole number from {min} to {max}."),
    "bad_amount": N_("{value} is not an amount in yuan, e.g. 1234.50."),
    "bad_sample": N_("{value} is not a sample number; write it like #12."),
    "bad_percent": N_("{value} is not a percentage from 0 to 100, e.g. 35%."),
    "bad_switch": N_("{value}: write on or off."),
    # creators (bot/domain/creators.py, storage/creators.py)
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
    # samples (bot/domain/pipeline.py, videos.py, adstats.py)
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
    "wrong_arg_count": N_("Give spend, impressions, clicks, orders and optionally GMV."),
    "not_a_number": N_("{value} is not a number ({field})."),
    "too_large": N_("{value} is too large ({field})."),
    "negative": N_("{value} cannot be negative ({field})."),
    "clicks_exceed_impressions": N_("Clicks ({clicks}) cannot exceed impressions ({impressions})."),
}
# Field names inside ad-stats refusals, in the reader's language.
FIELD_NAMES = {
    "spend": N_("spend"),
    "impressions": N_("impressions"),
    "clicks": N_("clicks"),
    "orders": N_("orders"),
    "gmv": N_("GMV"),
}


class Raw:
    """HTML we composed ourselves, passed to Refuse without being escaped again."""

    def __init__(self, html: str) -> None:
        self.html = html

    def __format__(self, spec: str) -> str:
        return self.html


def stage_name(t: Translator, stage: Stage | str) -> str:
    return t(STAGE_NAMES[Stage(stage)])


def platform_name(t: Translator, platform: str) -> str:
    try:
        return t(PLATFORM_NAMES[Platform(platform)])
    except ValueError:
        return platform


def refusal(error: DomainError, ctx: BotContext | None = None) -> Refuse:
    """The localized refusal for any domain error; an unknown code is re-raised (a bug)."""
    params: dict[str, object] = {}
    for key, value in error.params.items():
        if isinstance(value, list | tuple):
            value = ctx.t.join(value) if ctx else ", ".join(map(str, value))
        params[key] = value
    if ctx is not None:
        if "stage" in params:
            params["stage"] = stage_name(ctx.t, str(params["stage"]))
        if "platform" in params:
            params["platform"] = platform_name(ctx.t, str(params["platform"]))
        if "field" in params and params["field"] in FIELD_NAMES:
            params["field"] = ctx.t(FIELD_NAMES[str(params["field"])])
    params.setdefault("value", "")
    variant = "suggest" if params.get("suggestions") else params.get("reason", "")
    message = ERRORS.get(f"{error.code}:{variant}") or ERRORS.get(error.code)
    if message is None:
        raise error
    # A `bad_…` code is an argument that does not parse: the answer shows the usage line too.
    kind = BadUsage if error.code.startswith("bad_") else Refuse
    return kind(message, **params)


def domain_errors(handler: Handler) -> Handler:
    """Turn a domain refusal raised anywhere in the handler into a localized answer."""

    @functools.wraps(handler)
    async def wrapped(update: Update, ctx: BotContext) -> None:
        try:
            await handler(update, ctx)
        except DomainError as exc:
            raise refusal(exc, ctx) from None

    return wrapped


def button_number(text: str) -> int:
    """A number carried in a button's callback data; a malformed one is a stale button."""
    try:
        return parse_int(text, lo=0, hi=INT64_MAX)
    except DomainError:
        raise Refuse("This button is out of date.") from None


# --- creators -------------------------------------------------------------------------------


async def find_creator(ctx: BotContext, text: str, platform: str | None = None) -> Creator:
    """The one creator meant by `text` (`lily`, `@lily`, `lily@douyin`, alias `lily:douyin`);
    `platform` is the optional separate word (`/creator lily douyin`)."""
    try:
        ref = parse_creator_ref(text)
        if platform is not None:
            ref = parse_creator_ref(f"{ref.handle}@{platform}")
            if ref.unknown_platform is not None:
                raise ArgError("bad_platform", value=platform)
    except DomainError as error:
        raise refusal(error, ctx) from None
    chosen = ref.platform.value if ref.platform else None
    found = await ctx.services.creators.by_handle(ref.handle, chosen)
    if not found and ref.unknown_platform is not None:
        raise refusal(ArgError("bad_platform", value=ref.unknown_platform), ctx)
    if len(found) > 1:
        choices = ", ".join(f"{c.handle}@{c.platform}" for c in found)
        raise Refuse("{handle} is on several platforms; write one of: {choices}.",
                     handle=found[0].handle, choices=choices)  # fmt: skip
    if found:
        return found[0]
    near = await ctx.services.creators.suggestions(ref.handle)
    if near:
        raise Refuse(
            "No creator {handle}. Did you mean: {near}?", handle=str(ref), near=", ".join(near)
        )
    raise Refuse("No creator {handle}: register them with /creator_add.", handle=str(ref))


async def person_mention(services: Services, user_id: int) -> str:
    """A link to a person by their stored first name (jobs have no context, only services)."""
    user = await services.users.get(user_id)
    return mention(user_id, user.first_name if user and user.first_name else str(user_id))


async def owner_label(ctx: BotContext, owner_id: int) -> str:
    if owner_id == 0:
        return ctx.t("unassigned")
    user = await ctx.services.users.get(owner_id)
    return mention(owner_id, user.first_name if user and user.first_name else str(owner_id))


def local_date(ctx: BotContext, moment: datetime) -> str:
    return ctx.t.date(moment.astimezone(ctx.services.settings.tz), "medium")


def status_name(t: Translator, status: str) -> str:
    return t(STATUS_NAMES[status])


# --- samples --------------------------------------------------------------------------------


def label(sample: Sample) -> str:
    """`#12 lily — Hydra Mask` as HTML."""
    return f"#{sample.id} {esc(sample.handle)} — {esc(sample.product)}"


async def find_sample(ctx: BotContext, ref: str) -> Sample:
    """A sample by number (`#12`, `12`) or by a creator with exactly one open sample."""
    repo = ctx.services.samples
    if looks_like_sample_number(ref):
        try:
            number = _sample_number(ref)
        except DomainError as error:
            raise refusal(error, ctx) from None
        sample = await repo.get(number)
        if sample is None:
            raise Refuse("No sample #{number}.", number=number)
        return sample
    try:
        creator_ref = parse_creator_ref(ref)
        handle_key(creator_ref.handle)
    except DomainError as error:
        raise refusal(error, ctx) from None
    chosen = creator_ref.platform.value if creator_ref.platform else None
    found = await ctx.services.creators.by_handle(creator_ref.handle, chosen)
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


# --- sharers and months ---

SHARER_ERRORS = {
    "unknown_sharer": N_("No sharer {sharer_id} is known: check the id in the shop's sharer list."),
    "taken": N_("Sharer id {sharer_id} is already linked to another person."),
    "already_yours": N_("Sharer id {sharer_id} is already linked to you."),
    "already_bound": N_("You are already linked to sharer id {sharer_id}."),
    "pending": N_("A request for sharer id {sharer_id} is already waiting for a manager."),
    "decided": N_("This request has been decided already."),
    "bad_link": N_("This invitation link is not valid."),
    "self_referral": N_("You cannot invite yourself."),
    "cycle": N_("That would make an invitation loop, so it is refused."),
    "has_inviter": N_("You already have an inviter ({sharer_id})."),
}
NOT_LINKED = N_("You are not linked to a sharer id yet: send /bind followed by your sharer id.")
LEVEL_NAMES = {
    "junior": N_("Junior"),
    "mid": N_("Mid"),
    "senior": N_("Senior"),
    "gold": N_("Gold"),
}


def sharer_refusal(exc: SharerError) -> Refuse:
    return Refuse(SHARER_ERRORS[exc.code], **exc.params)


async def my_sharer(ctx: BotContext, user_id: int) -> Sharer:
    """The sharer approved for this person, or a refusal that says how to link one."""
    sharer = await ctx.services.sharers.by_user(user_id)
    if sharer is None:
        raise Refuse(NOT_LINKED)
    return sharer


def level_name(t: Translator, rules: Rules, key: str) -> str:
    if key in BUILTIN_LEVELS:
        return t(LEVEL_NAMES[key])
    found = next((lv for lv in rules.levels if lv.key == key), None)
    return (found.name if found and found.name else key) or "—"


def month_arg(text: str) -> Month:
    """A month argument (bot.domain.months.parse_month), or the usage answer."""
    try:
        return parse_month(text)
    except MonthError:
        raise BadUsage(
            "{value} is not a month: write it as YYYY-MM, like 2026-11.", value=text
        ) from None


def month_label(t: Translator, month: Month) -> str:
    return _month_label(month, t.locale)


def local_month(ctx: BotContext, now: datetime | None = None) -> Month:
    local = (now or ctx.services.clock.now()).astimezone(ctx.services.settings.tz)
    return local.year, local.month


# --- boards ---

MASK_KEY = "mask_names"  # a chat's /mask_names setting, read by every board posted there
BOARD_TOP = 10  # places shown on a board


async def board_names(services: Services, chat_id: int, ids: list[str]) -> dict[str, str]:
    """Display names by sharer id, masked unless this chat turned masking off."""
    found = await services.sharers.many(ids)
    shown = {sid: found[sid].display if sid in found else sid for sid in ids}
    if await services.chats.setting(chat_id, MASK_KEY, "on") != "off":
        return mask_names(shown)
    return shown


async def board_lines(
    services: Services, t: Translator, chat_id: int, board: list[tuple[int, str, int]]
) -> tuple[list[str], dict[str, str]]:
    """`place. name — amount` for the top of a board, and the names as shown."""
    top = board[:BOARD_TOP]
    shown = await board_names(services, chat_id, [sid for _, sid, _ in top])
    return [f"{place}. {esc(shown[sid])} — {t.money(fen)}" for place, sid, fen in top], shown


def switch_word(text: str) -> str | None:
    """An on/off argument (bot.domain.args.parse_switch: on, off, 开, 关, yes, no…) as the
    setting stores it, "on" or "off"; None when the word is neither."""
    value = or_none(parse_switch, text)
    return None if value is None else ("on" if value else "off")
