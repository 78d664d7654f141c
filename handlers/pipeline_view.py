"""Looking at the pipeline: `/pipeline [mine|all]` (counts per stage and the overdue list, per
BD) and the weekly tier review posted to the managers chat."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from telegram import Update
from telegram.ext import Application

from bot import jobs
from bot.context import BotContext
from bot.domain.creator_stats import SampleFacts, compute_stats
from bot.domain.creators import CreatorStatus, Tier
from bot.domain.limits import visible_len
from bot.domain.pipeline import Stage
from bot.domain.tiers import END, ReviewInput, TierSuggestion, TierThresholds, review
from bot.i18n import N_, Translator
from bot.services import Services
from handlers.common import BadUsage, command_args, esc, reply
from handlers.lookups import label, stage_name
from handlers.registry import BD_CHATS, command
from storage.samples import Sample, Sold

OVERDUE_SHOWN = 3  # per BD, longest waiting first; the rest is counted
MAX_TEXT = 3800  # Telegram allows 4,096; leave room for the closing line (visible length)
REASONS = {
    "sales_and_fulfilment_high": N_("attributed sales {sales} and fulfilment {fulfilment}"),
    "fulfilment_low": N_("fulfilment {fulfilment} is below {min}"),
    "replies_low": N_("reply rate {reply_rate} is below {min}"),
    "no_orders": N_("{collaborations} collaborations without an order"),
    "no_show": N_("no-shows since the last review: {no_shows}"),
}


async def _name(services: Services, user_id: int) -> str:
    user = await services.users.get(user_id)
    return esc(user.first_name if user else user_id)


def _overdue_line(t: Translator, sample: Sample, now: datetime) -> str:
    days = (now - sample.signed_at).days if sample.signed_at else 0
    return t.n(
        "{sample}: {days} day since signing, reminders: {n}",
        "{sample}: {days} days since signing, reminders: {n}",
        days,
    ).format(sample=label(sample), days=days, n=sample.reminders_sent)


async def pipeline_cmd(update: Update, ctx: BotContext) -> None:
    args = [a.lower() for a in command_args(update)]
    if args not in ([], ["all"], ["mine"]):
        raise BadUsage("Choose mine or all.")
    services, now = ctx.services, ctx.services.clock.now()
    owner = update.effective_user.id if args == ["mine"] else None
    repo = services.samples
    counts: dict[int, dict[Stage, int]] = defaultdict(dict)
    for row in await repo.stage_counts(owner):
        counts[row.owner_id][row.stage] = row.n
    late = await repo.overdue_counts(now, owner)
    oldest: dict[int, list[Sample]] = defaultdict(list)
    for sample in await repo.overdue_oldest(now, owner, OVERDUE_SHOWN):
        oldest[sample.owner_id].append(sample)
    title = ctx.t("Pipeline — mine") if owner else ctx.t("Pipeline — all BDs")
    lines = [f"<b>{title}</b>"] + ([] if counts else [ctx.t("No samples yet.")])
    # Busiest BDs first; stop before Telegram's 4,096-character limit.
    ranked = sorted(counts, key=lambda o: (-late.get(o, 0), -sum(counts[o].values())))
    for shown, bd in enumerate(ranked):
        stages = " · ".join(
            f"{stage_name(ctx.t, s)} {counts[bd][s]}" for s in Stage if counts[bd].get(s)
        )
        head = ctx.t("{name}: {stages}").format(
            name=f"<b>{await _name(services, bd)}</b>", stages=stages
        )
        part = ["\n" + head]
        if late.get(bd):
            part.append(ctx.t("Overdue ({n}):").format(n=late[bd]))
            part += [_overdue_line(ctx.t, s, now) for s in oldest[bd]]
        if visible_len("\n".join(lines + part)) > MAX_TEXT:
            rest = ctx.t("…and {n} more BDs: send /pipeline mine for your own.")
            lines.append("\n" + rest.format(n=len(ranked) - shown))
            break
        lines += part
    await reply(update, ctx, "\n".join(lines))


# --- weekly tier review ---------------------------------------------------------------------


def review_week(now: datetime, services: Services) -> tuple[str, datetime]:
    """This week's key and the moment the review falls due (Monday at DIGEST_AT, local)."""
    local = now.astimezone(services.settings.tz)
    monday = (local - timedelta(days=local.weekday())).date()
    due = datetime.combine(monday, services.settings.digest_at, tzinfo=services.settings.tz)
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}", due


async def review_inputs(services: Services, now: datetime) -> list[ReviewInput]:
    creators, samples, sold = await services.samples.review_rows()
    facts: dict[int, list[SampleFacts]] = defaultdict(list)
    no_shows: dict[int, int] = defaultdict(int)
    since = now - timedelta(days=7)
    for row in samples:
        facts[row.creator_id].append(row.facts)
        if row.facts.stage == Stage.NO_SHOW and row.closed_at and row.closed_at >= since:
            no_shows[row.creator_id] += 1
    nothing = Sold(0, 0)
    return [
        ReviewInput(
            handle=c.handle,
            tier=Tier(c.tier),
            status=CreatorStatus(c.status),
            blocked=c.blocked,
            no_shows_since_review=no_shows[c.id],
            stats=compute_stats(
                facts[c.id],
                attributed_sales_fen=sold.get(c.handle_key, nothing).fen,
                attributed_orders=sold.get(c.handle_key, nothing).orders,
            ),
        )
        for c in creators
    ]


def suggestion_line(t: Translator, s: TierSuggestion) -> str:
    params = dict(s.params)
    for key in ("fulfilment", "reply_rate", "min", "min_fulfilment"):
        if key in params:
            params[key] = t.percent(params[key], 0)
    for key in ("sales_fen", "min_sales_fen"):
        if key in params:
            params[key.removesuffix("_fen")] = t.money(params[key])
    reason = t(REASONS[s.reason_code]).format(**params)
    to = t("end the collaboration") if s.to_tier == END else str(s.to_tier)
    line = t("• {handle}: {tier} → {to} ({reason})")
    return line.format(handle=esc(s.handle), tier=s.from_tier, to=to, reason=reason)


async def tier_review_tick(app: Application, now: datetime) -> None:
    services: Services = app.bot_data["services"]
    week, due = review_week(now, services)
    key = f"tierreview:{week}"
    if now < due or await services.outbox.state(key) is not None:
        return  # cheap exit: the heavy read runs once a week
    chat = await services.chats.by_purpose("managers")
    if chat is None:
        return
    t = await services.translator_for_chat(chat.chat_id)
    suggestions = review(await review_inputs(services, now), TierThresholds())
    lines = [t("<b>Weekly tier review</b> — suggestions, to decide with /tier:")]
    lines += [suggestion_line(t, s) for s in suggestions] or [t("No changes to suggest.")]
    await services.outbox.enqueue(key, chat.chat_id, "\n".join(lines), due_at=now, now=now)


def register(app: Application) -> None:
    command(
        app,
        "pipeline",
        pipeline_cmd,
        description=N_("samples per stage and overdue chases"),
        usage="/pipeline [mine|all]",
        roles={"bd"},
        chats=BD_CHATS,
    )
    jobs.add_tick(app, "tier_review", tier_review_tick, timedelta(minutes=10))
