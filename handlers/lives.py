"""Live-stream forwarding (SPEC §4): /live, /lives, /live_cancel, the [Forwarded] button and
the tick that posts each date's announcement, reminder and start message through the outbox.

The start message shows how many sharers forwarded; presses arrive in bursts, so the edits
are coalesced: at most one per message every EDIT_GAP seconds, the last one showing the
latest count.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from math import ceil
from time import monotonic

from babel.dates import get_day_names
from telegram import Update
from telegram.error import BadRequest, TelegramError
from telegram.ext import Application, ContextTypes

from bot import jobs
from bot.context import BotContext
from bot.domain import lives as rules
from bot.domain.lives import LiveError, Step
from bot.i18n import N_, Translator
from bot.keyboards import keyboard
from bot.services import Services
from handlers.common import BadUsage, Refuse, command_args, esc, reply
from handlers.lookups import button_number
from handlers.registry import button, command
from storage.lives import DatedLive, Live, LiveDate, Lives
from storage.outbox import Queued

log = logging.getLogger(__name__)

EDIT_GAP = 3.0  # seconds; Telegram answers 429 to a message edited many times a second
USAGE = (
    "/live <YYYY-MM-DD> <HH:MM> <link> <title> · /live every <mon,wed,fri> <HH:MM> <link> <title>"
)
CANCEL_USAGE = "/live_cancel <id> [YYYY-MM-DD]"
ERRORS = {
    "bad_live_time": N_("{value} is not a start: write the date and time like 2026-11-22 20:00."),
    "bad_live_date": N_("{value} is not a date: write it like 2026-11-22."),
    "live_in_past": N_("{value} has already passed: give a time in the future."),
    "too_far": N_("{value} is too far ahead: at most {days} days."),
    "bad_weekdays": N_("Unknown weekday {value}: use mon, tue, wed, thu, fri, sat, sun."),
    "bad_link": N_(
        "{value} is not a link to the live room: it must start with http:// or https://."
    ),
    "no_title": N_("Give the live's title after the link."),
    "long_title": N_("The title is too long: at most {max} characters."),
}


def repo(services: Services) -> Lives:
    return services.repo(Lives)


# --- texts ------------------------------------------------------------------------------------


def when(t: Translator, services: Services, moment: datetime) -> str:
    return t.datetime(moment.astimezone(services.settings.tz))


def schedule_text(t: Translator, live: Live) -> str:
    at = live.schedule.at.strftime("%H:%M") if live.schedule.at else ""
    if len(live.schedule.weekdays) == 7:
        return t("every day at {time}").format(time=at)
    names = get_day_names("abbreviated", locale=t.locale)
    days = t.join(names[d] for d in live.schedule.weekdays)
    return t("every {days} at {time}").format(days=days, time=at)


def span(t: Translator, delta: timedelta) -> str:
    minutes = ceil(delta.total_seconds() / 60)
    if minutes % 60 or not minutes:
        return t.n("{n} minute", "{n} minutes", minutes).format(n=minutes)
    return t.n("{n} hour", "{n} hours", minutes // 60).format(n=minutes // 60)


def announcement(t: Translator, services: Services, item: DatedLive) -> str:
    live = item.live
    lines = [t("📣 Live stream: {title}").format(title=esc(live.title))]
    if live.schedule.recurring:
        lines.append(
            t("🗓 {schedule}; next: {when}").format(
                schedule=schedule_text(t, live), when=when(t, services, item.date.starts_at)
            )
        )
    else:
        lines.append(f"🗓 {when(t, services, item.date.starts_at)}")
    lines.append(f"🔗 {esc(live.link)}")
    lines.append(t("I will remind you {before} ahead; when it starts, forward the live room.")
                 .format(before=span(t, services.settings.live_remind_before)))  # fmt: skip
    return "\n".join(lines)


def reminder(t: Translator, services: Services, item: DatedLive, now: datetime) -> str:
    left = span(t, max(item.date.starts_at - now, timedelta(minutes=1)))
    return "\n".join([
        t("⏰ The live starts in {left}: {title}").format(left=left, title=esc(item.live.title)),
        f"🔗 {esc(item.live.link)}",
        t("Get ready to forward the live room."),
    ])  # fmt: skip


def start_text(t: Translator, item: DatedLive, forwards: int) -> str:
    lines = [
        t("🔴 We are live — forward the live room now!"),
        esc(item.live.title),
        f"🔗 {esc(item.live.link)}",
    ]
    if forwards:
        lines.append(t.n("✅ Forwarded by {n} sharer", "✅ Forwarded by {n} sharers", forwards)
                     .format(n=forwards))  # fmt: skip
    return "\n".join(lines)


def start_buttons(t: Translator, item: DatedLive) -> list[list[tuple[str, str]]]:
    return [[(t("✅ Forwarded"), f"live:f:{item.date.id}")],
            [(t("Open the live room"), item.live.link)]]  # fmt: skip


def post(t: Translator, services: Services, item: DatedLive, step: Step, chat_id: int,
         now: datetime) -> Queued:  # fmt: skip
    key = rules.message_key(item.live.id, item.date.starts_at, step)
    if step is Step.ANNOUNCED:
        return Queued(key, chat_id, announcement(t, services, item))
    if step is Step.REMINDED:
        return Queued(key, chat_id, reminder(t, services, item, now))
    return Queued(key, chat_id, start_text(t, item, 0), buttons=start_buttons(t, item))


# --- the tick ---------------------------------------------------------------------------------


async def live_tick(app: Application, now: datetime) -> None:
    """Make each series' next date, then queue the post each date is owed now."""
    services: Services = app.bot_data["services"]
    lives, tz = repo(services), services.settings.tz
    remind = services.settings.live_remind_before
    for live in await lives.series_to_extend(now):
        start = rules.next_date(live.schedule, now, await lives.cancelled_starts(live.id, now), tz)
        if start is not None:
            await lives.add_date(
                live.id, start, rules.owed(Step.NONE, start, now, remind, tz).next_at
            )
    chat = await services.chats.by_purpose("sharers")
    if chat is None:
        return  # the dates stay due and are posted once the group is registered
    t = await services.translator_for_chat(chat.chat_id)
    for item in await lives.due_dates(now):
        plan = rules.owed(item.date.step, item.date.starts_at, now, remind, tz)
        message = post(t, services, item, plan.send, chat.chat_id, now) if plan.send else None
        await lives.advance(item.date, plan.reached, plan.next_at, message, now=now)


# --- commands ---------------------------------------------------------------------------------


def live_error(exc: LiveError) -> BadUsage:
    return BadUsage(ERRORS[exc.code], **exc.params)


async def live_cmd(update: Update, ctx: BotContext) -> None:
    services, now = ctx.services, ctx.services.clock.now()
    tz, remind = services.settings.tz, services.settings.live_remind_before
    try:
        request = rules.parse_live(command_args(update), now, tz)
    except LiveError as exc:
        raise live_error(exc) from None
    chat = await services.chats.by_purpose("sharers")
    if chat is None:
        raise Refuse("Register the sharers' group first: send /setup sharers there.")
    first = rules.next_start(request.schedule, now, tz)
    assert first is not None  # a one-off is in the future; a series has a day every week
    plan = rules.opening(first, now, remind, tz)
    group_t = await services.translator_for_chat(chat.chat_id)

    def announce(live_id: int) -> Queued:
        live = Live(live_id, request.title, request.link, request.schedule, "active", None)
        item = DatedLive(live, LiveDate(0, live_id, first, "scheduled", Step.NONE, None))
        return post(group_t, services, item, Step.ANNOUNCED, chat.chat_id, now)

    item = await repo(services).create(request, first, plan, announce,
                                       actor_id=update.effective_user.id, now=now)  # fmt: skip
    text = ctx.t("Live #{id} scheduled: {title}, {when}.").format(
        id=item.live.id, title=esc(item.live.title), when=when(ctx.t, services, first)
    )
    if request.schedule.recurring:
        text += "\n" + ctx.t("Repeats {schedule}.").format(schedule=schedule_text(ctx.t, item.live))
    await reply(update, ctx, text + "\n" + ctx.t("Announced in the sharers' group."))
    jobs.kick(ctx.application)  # the announcement goes out now


async def lives_cmd(update: Update, ctx: BotContext) -> None:
    services, now, t = ctx.services, ctx.services.clock.now(), ctx.t
    lines = []
    for item in await repo(services).upcoming(now):
        line = {"id": item.live.id, "when": when(t, services, item.date.starts_at),
                "title": esc(item.live.title)}  # fmt: skip
        if item.live.schedule.recurring:
            lines.append(t("#{id} {when} — {title} ({schedule})")
                         .format(schedule=schedule_text(t, item.live), **line))  # fmt: skip
        else:
            lines.append("#{id} {when} — {title}".format(**line))
    text = (
        "\n".join([t("<b>Upcoming lives</b>"), *lines]) if lines else t("No lives are scheduled.")
    )
    past = await repo(services).recent(now - timedelta(days=7), now)
    if past:
        text += "\n\n" + t("<b>Last 7 days</b>")
    for done in past:
        forwarded = t.n("forwarded by {n} sharer", "forwarded by {n} sharers", done.forwards)
        text += "\n" + t("#{id} {when} — {title}: {forwarded}").format(
            id=done.live.id, when=when(t, services, done.date.starts_at),
            title=esc(done.live.title), forwarded=forwarded.format(n=done.forwards))  # fmt: skip
    await reply(update, ctx, text)


async def live_cancel_cmd(update: Update, ctx: BotContext) -> None:
    args = command_args(update)
    if not 1 <= len(args) <= 2:
        raise BadUsage("Give the live's number, and a date to cancel only that day.")
    services, now, tz = ctx.services, ctx.services.clock.now(), ctx.services.settings.tz
    lives = repo(services)
    number = args[0].lstrip("#")
    known = number.isascii() and number.isdigit() and len(number) < 19  # within SQLite integers
    live = await lives.get(int(number)) if known else None
    if live is None:
        raise Refuse("No live #{id}: /lives lists them.", id=number)
    if live.status == "cancelled":
        raise Refuse("Live #{id} is cancelled already.", id=live.id)
    start = None
    if len(args) == 2:
        try:
            day = rules.parse_date(args[1])
        except LiveError as exc:
            raise live_error(exc) from None
        start = rules.start_on(live.schedule, day, tz)
        if start is None:
            raise Refuse("Live #{id} has no date on {date}.", id=live.id, date=args[1])
        if start <= now:
            raise Refuse("Live #{id} on {date} has started already.", id=live.id, date=args[1])
    actor = update.effective_user.id
    if start is None or not live.schedule.recurring:
        await lives.cancel_live(live, actor_id=actor, now=now)
        prefix = rules.live_prefix(live.id)
        text = ctx.t("Live #{id} ({title}) is cancelled; nothing more will be posted for it.")
    else:
        await lives.cancel_date(live, start, actor_id=actor, now=now)
        prefix = rules.date_prefix(live.id, start)
        text = ctx.t("Live #{id} ({title}) on {date} is cancelled; the series goes on.")
    was_posted = "sent" in (await services.outbox.statuses(prefix)).values()
    await services.outbox.cancel(prefix)
    if was_posted:
        notice = start if live.schedule.recurring else live.schedule.once
        await _tell_group(services, live, notice, now)
    date = when(ctx.t, services, start) if start else ""
    await reply(update, ctx, text.format(id=live.id, title=esc(live.title), date=date))
    jobs.kick(ctx.application)


async def _tell_group(
    services: Services, live: Live, start: datetime | None, now: datetime
) -> None:
    """The group heard of the live: say it is off (one date, or all of it)."""
    chat = await services.chats.by_purpose("sharers")
    if chat is None:
        return
    t = await services.translator_for_chat(chat.chat_id)
    if start is not None:
        text = t("❌ Cancelled: the live {title} on {when}.").format(
            title=esc(live.title), when=when(t, services, start)
        )
    else:
        text = t("❌ Cancelled: the live {title}.").format(title=esc(live.title))
    await services.outbox.enqueue(rules.cancel_key(live.id, start), chat.chat_id, text,
                                  due_at=now, now=now)  # fmt: skip


# --- the [Forwarded] button -------------------------------------------------------------------


async def on_forwarded(update: Update, ctx: BotContext) -> None:
    """live:f:<date id>: a bound sharer's forward, counted once."""
    query, user = update.callback_query, update.effective_user
    services = ctx.services
    item = await repo(services).date(button_number(query.data.split(":")[-1]))
    if item is None:
        raise Refuse("This button is out of date.")
    sharer = await services.sharers.by_user(user.id)
    if sharer is None:
        raise Refuse("Thank you! Only linked sharers are counted: send me /bind with your"
                     " sharer id in a private chat.")  # fmt: skip
    counted = await repo(services).add_forward(item.date.id, sharer.sharer_id, user.id,
                                               now=services.clock.now())  # fmt: skip
    await query.answer(ctx.t("Thank you, your forward is counted!") if counted
                       else ctx.t("Your forward was counted already — thank you!"))  # fmt: skip
    if counted and query.message is not None:
        await show_count(ctx.application, query.message.chat.id, query.message.message_id, item)


async def show_count(app: Application, chat_id: int, message_id: int, item: DatedLive) -> None:
    """Edit the start message to the current count, now or after the throttle's gap."""
    throttle = app.bot_data.setdefault("live_edits", rules.EditThrottle(EDIT_GAP))
    wait = throttle.press((chat_id, message_id), monotonic())
    if wait == 0:
        await _edit(app, chat_id, message_id, item)
    elif wait is not None:
        app.job_queue.run_once(_edit_later, wait, data=(chat_id, message_id, item))


async def _edit_later(ctx: ContextTypes.DEFAULT_TYPE) -> None:
    chat_id, message_id, item = ctx.job.data  # type: ignore[misc]
    ctx.application.bot_data["live_edits"].edited((chat_id, message_id), monotonic())
    await _edit(ctx.application, chat_id, message_id, item)


async def _edit(app: Application, chat_id: int, message_id: int, item: DatedLive) -> None:
    services: Services = app.bot_data["services"]
    t = await services.translator_for_chat(chat_id)
    count = await repo(services).forward_count(item.date.id)
    try:
        await app.bot.edit_message_text(
            start_text(t, item, count), chat_id, message_id, parse_mode="HTML",
            reply_markup=keyboard(start_buttons(t, item)), disable_web_page_preview=True,
        )  # fmt: skip
    except BadRequest as exc:
        if "not modified" not in str(exc).lower():
            log.warning("live %s: the count could not be shown: %s", item.live.id, exc)
    except TelegramError as exc:
        log.warning("live %s: the count could not be shown: %s", item.live.id, exc)


def register(app: Application) -> None:
    command(app, "live", live_cmd, description=N_("schedule a live stream"), usage=USAGE,
            roles={"manager"})  # fmt: skip
    command(app, "lives", lives_cmd, description=N_("upcoming live streams"))
    command(app, "live_cancel", live_cancel_cmd, description=N_("cancel a live stream"),
            usage=CANCEL_USAGE, roles={"manager"})  # fmt: skip
    button(app, "live", on_forwarded)
    jobs.add_tick(app, "lives", live_tick, timedelta(seconds=5))
