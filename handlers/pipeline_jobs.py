"""The pipeline's automations, as scheduler ticks that queue outbox messages with unique keys:
chase reminders (and their buttons), no-shows, code-expiry warnings and the S-tier check-in.
The weekly tier review lives in handlers/pipeline_view.py next to the other read-only view.

Every key is derived from stored state (sample, round, due time), so a tick that runs twice —
or again after a restart — finds the same key and sends nothing new.
"""

from __future__ import annotations

import contextlib
from datetime import datetime, timedelta

from telegram import Update
from telegram.error import BadRequest
from telegram.ext import Application

from bot import jobs
from bot.context import BotContext
from bot.domain.creators import Tier
from bot.domain.money import DomainError
from bot.domain.pipeline import (
    ChaseAction,
    ChaseSettings,
    ChaseView,
    Stage,
    decide_chase,
    effective_due,
    snooze,
)
from bot.domain.tiers import needs_checkin
from bot.i18n import Translator
from bot.services import Services
from handlers.common import Refuse, esc, fitted
from handlers.lookups import button_number, label, refusal, stage_name
from handlers.lookups import person_mention as owner_mention
from handlers.registry import button
from storage.db import to_ts
from storage.samples import Sample

CHECKIN_AFTER = timedelta(days=7)
WAITING = (Stage.SHIPPED, Stage.SIGNED, Stage.RESHOOT_REQUESTED)


def chase_settings(services: Services) -> ChaseSettings:
    s = services.settings
    return ChaseSettings(s.chase_after, s.chase_every, s.max_chases, s.chase_after_urgent)


def reminder_text(t: Translator, sample: Sample, bd: str, now: datetime) -> str:
    days = (now - sample.signed_at).days if sample.signed_at else 0
    return t(
        "⏰ {bd}: please chase {handle} for the video of {product} (#{number}). "
        "Days since signing: {days}; chases so far: {chases}."
    ).format(
        bd=bd,
        handle=esc(sample.handle),
        product=esc(sample.product),
        number=sample.id,
        days=days,
        chases=sample.chases,
    )


def reminder_buttons(t: Translator, sample_id: int, number: int) -> list[list[tuple[str, str]]]:
    return [
        [(t("Chased, replied"), f"smp:c:{sample_id}:{number}:1")],
        [(t("Chased, no reply"), f"smp:c:{sample_id}:{number}:0")],
        [(t("Snooze 1 day"), f"smp:z:{sample_id}:{number}")],
    ]


def _view(sample: Sample) -> ChaseView:
    return ChaseView(sample.stage, sample.chase_due_at, sample.reminders_sent, sample.last_chase_at)


async def chase_scan(app: Application, now: datetime) -> None:
    """One indexed read of the due rows; each is reminded, marked no_show, or rescheduled."""
    services: Services = app.bot_data["services"]
    bd_chat = await services.chats.by_purpose("bd")
    if bd_chat is None:
        return  # nowhere to remind: the rows stay due and are picked up once the chat exists
    repo, settings = services.samples, chase_settings(services)
    t = await services.translator_for_chat(bd_chat.chat_id)
    for sample in await repo.due_chases(now):
        decision = decide_chase(_view(sample), now, settings)
        if decision.action is ChaseAction.REMIND:
            # The key comes from the stored round and due time: a rerun finds it queued.
            key = f"chase:{sample.id}:{decision.number}:{to_ts(sample.chase_due_at)}"  # type: ignore[arg-type]
            text = reminder_text(t, sample, await owner_mention(services, sample.owner_id), now)
            buttons = reminder_buttons(t, sample.id, decision.number)
            await services.outbox.enqueue(
                key, bd_chat.chat_id, text, due_at=now, now=now, buttons=buttons
            )
            await repo.set_chase(
                sample.id, due_at=decision.next_due_at, reminders_sent=decision.number, now=now
            )
        elif decision.action is ChaseAction.NO_SHOW:
            await _no_show(services, t, bd_chat.chat_id, sample, now)
        else:  # pushed back by a chase logged by hand, or no longer waiting for a video
            waiting = sample.stage is Stage.SIGNED
            due = effective_due(_view(sample), settings.chase_every) if waiting else None
            await repo.set_chase(sample.id, due_at=due, reminders_sent=sample.reminders_sent,
                                 now=now, action="chase_reschedule")  # fmt: skip


async def _no_show(
    services: Services, t: Translator, chat_id: int, sample: Sample, now: datetime
) -> None:
    await services.samples.mark_no_show(sample, now=now)
    text = t(
        "🚫 {bd}: {sample} is now a no-show after {n} reminders without a video. "
        "{handle} is flagged for the tier review."
    ).format(bd=await owner_mention(services, sample.owner_id), sample=label(sample),
             n=sample.reminders_sent, handle=esc(sample.handle))  # fmt: skip
    await services.outbox.enqueue(f"noshow:{sample.id}", chat_id, text, due_at=now, now=now)


async def code_expiry_scan(app: Application, now: datetime) -> None:
    services: Services = app.bot_data["services"]
    repo = services.samples
    for sample in await repo.due_code_warnings(now):
        expires = sample.code_expires_at
        for purpose in ("bd", "ads"):
            chat = await services.chats.by_purpose(purpose)
            if chat is None or expires is None:
                continue
            t = await services.translator_for_chat(chat.chat_id)
            text = t("⚠️ {bd}: the authorization code for {sample} expires on {date}.").format(
                bd=await owner_mention(services, sample.owner_id),
                sample=label(sample),
                date=t.datetime(expires.astimezone(services.settings.tz), "short"),
            )
            key = f"codewarn:{sample.id}:{to_ts(expires)}:{purpose}"
            await services.outbox.enqueue(key, chat.chat_id, text, due_at=now, now=now)
        await repo.clear_code_warning(sample.id)


async def checkin_scan(app: Application, now: datetime) -> None:
    """S creators with no logged contact for a week: remind the owner once per silent week."""
    services: Services = app.bot_data["services"]
    bd_chat = await services.chats.by_purpose("bd")
    if bd_chat is None:
        return
    t = await services.translator_for_chat(bd_chat.chat_id)
    for row in await services.samples.quiet_s_creators(now, CHECKIN_AFTER):
        last = row.last
        if not needs_checkin(Tier.S, last, now, CHECKIN_AFTER):
            continue
        week = (now - last) // CHECKIN_AFTER  # type: ignore[operator]
        text = t("👋 {bd}: no contact with {handle} (S) since {date}. Time for a check-in.").format(
            bd=await owner_mention(services, row.owner_id),
            handle=esc(row.handle),
            date=t.date(last.astimezone(services.settings.tz)),  # type: ignore[union-attr]
        )
        await services.outbox.enqueue(
            f"checkin:{row.id}:{to_ts(row.last)}:{week}", bd_chat.chat_id, text, due_at=now, now=now
        )


async def _may_answer(ctx: BotContext, sample: Sample, user_id: int) -> None:
    """The owner, a BD colleague (granted the role) or a manager; not any member of the chat."""
    if user_id == sample.owner_id or "manager" in ctx.roles:
        return
    if await ctx.services.users.roles(user_id) & {"bd", "manager"}:
        return
    owner = await ctx.services.users.get(sample.owner_id)
    raise Refuse(
        "Only {owner}, another BD or a manager can answer this reminder.",
        owner=owner.first_name if owner else str(sample.owner_id),
    )


async def _chased(
    ctx: BotContext, sample: Sample, number: int, user_id: int, replied: bool
) -> str | None:
    """Record the chase of one reminder round; None when that round was answered already."""
    if sample.stage not in WAITING:
        raise Refuse("This sample is not waiting for a video any more ({stage}).",
                     stage=stage_name(ctx.t, sample.stage))  # fmt: skip
    now = ctx.services.clock.now()
    recorded = await ctx.services.samples.log_chase(
        sample, by_id=user_id, replied=replied, reminder=number, now=now
    )
    if not recorded:
        return None
    if replied:
        return ctx.t("✅ Chased, the creator replied — recorded by {name}.")
    return ctx.t("✅ Chased, no reply yet — recorded by {name}.")


async def _snoozed(ctx: BotContext, sample: Sample, number: int, user_id: int) -> str:
    now = ctx.services.clock.now()
    try:
        snoozed = snooze(_view(sample), number, now)
    except DomainError as exc:
        raise refusal(exc, ctx) from None
    await ctx.services.samples.set_chase(
        sample.id, due_at=snoozed.due_at, reminders_sent=snoozed.reminders_sent, now=now,
        action="chase_snooze", actor_id=user_id,
    )  # fmt: skip
    return ctx.t("😴 Snoozed for a day by {name}.")


async def on_button(update: Update, ctx: BotContext) -> None:
    """smp:c:<sample>:<round>:<1|0> (chased, replied or not) and smp:z:<sample>:<round>."""
    query, user = update.callback_query, update.effective_user
    kind, sample_id, number, *rest = [*query.data.split(":")[1:], "", ""]
    sample = await ctx.services.samples.get(button_number(sample_id))
    if sample is None:
        raise Refuse("No sample #{number}.", number=sample_id)
    await _may_answer(ctx, sample, user.id)
    if kind == "c":
        note = await _chased(ctx, sample, button_number(number), user.id, replied=rest[0] == "1")
    else:
        note = await _snoozed(ctx, sample, button_number(number), user.id)
    if note is None:
        await query.answer(ctx.t("This reminder was answered already."))
        return
    await query.answer(ctx.t("Recorded."))
    # A double press edits to the same text: "not modified" is expected then.
    with contextlib.suppress(BadRequest):
        text = f"{query.message.text_html}\n{note.format(name=esc(user.first_name))}"
        await query.edit_message_text(fitted(ctx, text), parse_mode="HTML")


def register(app: Application) -> None:
    button(app, "smp", on_button)
    every = timedelta(minutes=1)
    jobs.add_tick(app, "chase_scan", chase_scan, every)
    jobs.add_tick(app, "code_expiry", code_expiry_scan, every)
    jobs.add_tick(app, "s_checkin", checkin_scan, timedelta(hours=1))
