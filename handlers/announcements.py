"""Announcements (SPEC §4): /broadcast posts to the sharers' group; /dm_all writes to every
bound sharer privately, through the outbox, with one progress message and a final report.

/dm_all shows a preview first ([Send] / [Cancel]); [Send] queues one outbox row per sharer in
one transaction and turns the preview into the progress message. A watcher per broadcast edits
that message every few seconds and, once nothing is pending, queues the report. After a
restart the `dm_all` tick starts the watchers again and the pump sends what is left.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from datetime import datetime, timedelta
from typing import NoReturn

from telegram import Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, RetryAfter, TelegramError
from telegram.ext import Application

from bot import jobs
from bot.context import BotContext
from bot.domain.broadcasts import (
    MAX_BODY,
    PROGRESS_EVERY,
    Tally,
    dm_key,
    edit_due,
    group_key,
    progress_bar,
    text_problem,
)
from bot.domain.limits import visible_len
from bot.i18n import N_, Translator, resolve_locale
from bot.keyboards import keyboard
from bot.services import Services
from handlers.common import BadUsage, Refuse, reply
from handlers.registry import button, command, require
from storage.broadcasts import Broadcast, Broadcasts, Recipient
from storage.outbox import Queued

log = logging.getLogger(__name__)

ANNOUNCE_CHATS = ("managers",)
HEADER = N_("📢 <b>Announcement</b>")
_COMMAND = re.compile(r"^/\w+(@\w+)?\s?")
# A watcher looks at its broadcast this often (and edits only when PROGRESS_EVERY allows);
# a stopping bot waits for the watchers, which notice within _NAP.
_POLL = 0.5
_NAP = 0.25
# /broadcast says "posted" when the post went out this soon, else "queued" (a pump already
# sending a /dm_all may hold it longer, and the manager's chat should not wait for that).
POSTED_WITHIN = 3.0


def _body(update: Update, ctx: BotContext) -> str:
    """The announcement as HTML: the text after the command, or the message it replies to."""
    message = update.effective_message
    body = _COMMAND.sub("", message.text_html or "", count=1).strip()
    replied = message.reply_to_message
    if not body and replied is not None:
        body = (replied.text_html or replied.caption_html or "").strip()
    problem = text_problem(body)
    if problem == "empty":
        raise BadUsage("Write the announcement after the command, or reply to it with the command.")
    if problem == "too_long":
        raise Refuse("The announcement is too long: {n} characters, at most {max}.",
                     n=ctx.t.number(visible_len(body)), max=ctx.t.number(MAX_BODY))  # fmt: skip
    return body


def _announcement(t: Translator, body: str) -> str:
    return f"{t(HEADER)}\n\n{body}"


async def broadcast_cmd(update: Update, ctx: BotContext) -> None:
    body = _body(update, ctx)
    services, now = ctx.services, ctx.services.clock.now()
    group = await services.chats.by_purpose("sharers")
    if group is None:
        raise Refuse("There is no sharers' group yet: an admin sends /setup sharers there.")
    t = await services.translator_for_chat(group.chat_id)
    done = await services.repo(Broadcasts).post(
        body, group.chat_id, _announcement(t, body),
        created_by=update.effective_user.id, chat_id=update.effective_chat.id, now=now,
    )  # fmt: skip
    await jobs.kicked(ctx.application, within=POSTED_WITHIN)
    state = await services.outbox.state(group_key(done.id))
    if state is not None and state.status == "sent":
        await reply(update, ctx, ctx.t("📢 Posted in the sharers' group."))
    else:
        await reply(update, ctx, ctx.t("📢 Queued for the sharers' group: it goes out shortly."))


async def dm_all_cmd(update: Update, ctx: BotContext) -> None:
    body = _body(update, ctx)
    services = ctx.services
    repo = services.repo(Broadcasts)
    recipients, skipped = await repo.recipients()
    if not recipients:
        raise Refuse("No bound sharer can be reached privately yet.")
    draft = await repo.draft(
        body, created_by=update.effective_user.id, chat_id=update.effective_chat.id,
        now=services.clock.now(),
    )  # fmt: skip
    n = len(recipients)
    # The question first: a long announcement is shortened from its end to fit one message.
    lines = [ctx.t.n("Send this privately to {n} sharer?", "Send this privately to {n} sharers?",
                     n).format(n=ctx.t.number(n))]  # fmt: skip
    if skipped:
        lines.append(ctx.t.n("{n} sharer who blocked me is left out.",
                             "{n} sharers who blocked me are left out.", skipped
                             ).format(n=ctx.t.number(skipped)))  # fmt: skip
    lines += ["—", _announcement(ctx.t, body)]
    buttons = [[(ctx.t("Send"), f"dm_all:send:{draft.id}"),
                (ctx.t("Cancel"), f"dm_all:cancel:{draft.id}")]]  # fmt: skip
    preview = await reply(update, ctx, "\n".join(lines), buttons=buttons)
    if preview is not None:
        await repo.set_message(draft.id, preview.message_id)


async def on_button(update: Update, ctx: BotContext) -> None:
    query = update.callback_query
    require(ctx, "manager")
    _, action, raw_id = [*(query.data or "").split(":"), "", ""][:3]
    repo = ctx.services.repo(Broadcasts)
    draft = await repo.get(int(raw_id)) if raw_id.isdigit() else None
    if draft is None or action not in ("send", "cancel", "stop"):
        raise Refuse("This announcement is not known any more.")
    now, who = ctx.services.clock.now(), update.effective_user.id
    if action == "cancel":
        if not await repo.cancel(draft.id, actor_id=who, now=now):
            _not_a_draft(draft)
        await query.answer()
        await query.edit_message_text(ctx.t("Cancelled: nothing was sent."))
    elif action == "stop":
        if await repo.stop(draft.id, actor_id=who, now=now) is None:
            raise Refuse("This announcement is not going out any more.")
        await query.answer(ctx.t("Stopped: what was not sent yet stays unsent."))
    else:
        await _send(update, ctx, draft, now)


async def _send(update: Update, ctx: BotContext, draft: Broadcast, now: datetime) -> None:
    services, query = ctx.services, update.callback_query
    repo = services.repo(Broadcasts)
    recipients, skipped = await repo.recipients()
    messages = await _render_dms(services, draft, recipients)
    if not await repo.start(draft.id, messages, skipped=skipped,
                            actor_id=update.effective_user.id, now=now):  # fmt: skip
        _not_a_draft(await repo.get(draft.id) or draft)
    await query.answer(ctx.t("Sending…"))
    if query.message is not None:
        await repo.set_message(draft.id, query.message.message_id)
    watch(ctx.application, draft.id)
    # Not awaited: [Stop] is pressed in this chat, whose updates wait for this one to end.
    jobs.kick(ctx.application)


def _not_a_draft(broadcast: Broadcast) -> NoReturn:
    if broadcast.status == "cancelled":
        raise Refuse("This announcement was cancelled.")
    raise Refuse("This announcement is already on its way.")


async def _render_dms(
    services: Services, draft: Broadcast, recipients: list[Recipient]
) -> list[Queued]:
    """One DM per sharer, its header in the sharer's language (rendered once per language)."""
    headers: dict[str, str] = {}
    messages = []
    for person in recipients:
        locale = person.lang or resolve_locale(person.language_code, services.i18n.default)
        if locale not in headers:
            headers[locale] = _announcement(services.i18n.get(locale), draft.text)
        messages.append(Queued(dm_key(draft.id, person.user_id), person.user_id, headers[locale]))
    return messages


# ---------------------------------------------------------------- progress and report


def watch(app: Application, broadcast_id: int) -> None:
    """Make sure one watcher follows this broadcast until its report is queued."""
    watchers: dict[int, asyncio.Task] = app.bot_data.setdefault("dm_all_watchers", {})
    running = watchers.get(broadcast_id)
    if running is None or running.done():
        watchers[broadcast_id] = app.create_task(_follow(app, broadcast_id))


async def resume(app: Application, now: datetime) -> None:
    """The tick: after a restart, follow every /dm_all still going out."""
    services: Services = app.bot_data["services"]
    for broadcast in await services.repo(Broadcasts).sending():
        watch(app, broadcast.id)


async def _follow(app: Application, broadcast_id: int) -> None:
    services: Services = app.bot_data["services"]
    repo = services.repo(Broadcasts)
    last_edit: float | None = None
    shown: Tally | None = None
    while await _nap(app, max(edit_due(last_edit, time.monotonic(), PROGRESS_EVERY), _POLL)):
        broadcast = await repo.get(broadcast_id)
        if broadcast is None or broadcast.status != "sending":
            return
        tally = await repo.tally(broadcast)
        if tally != shown:
            await _edit_progress(app, services, broadcast, tally)
            last_edit, shown = time.monotonic(), tally
        if tally.done:
            await _report(app, services, broadcast, tally)
            return


async def _nap(app: Application, seconds: float) -> bool:
    """Sleep, waking early when the bot stops; False if it is stopping."""
    deadline = time.monotonic() + seconds
    while app.running and (left := deadline - time.monotonic()) > 0:
        await asyncio.sleep(min(left, _NAP))
    return app.running


def _tally_lines(t: Translator, broadcast: Broadcast, tally: Tally) -> list[str]:
    lines = [t("Sent: {n}").format(n=t.number(tally.sent))]
    if tally.blocked:
        lines.append(t("Blocked the bot: {n}").format(n=t.number(tally.blocked)))
    if tally.failed:
        lines.append(t("Failed: {n}").format(n=t.number(tally.failed)))
    if tally.stopped:
        lines.append(t("Not sent (stopped): {n}").format(n=t.number(tally.stopped)))
    if broadcast.skipped:
        lines.append(t("Left out (blocked the bot earlier): {n}").format(
            n=t.number(broadcast.skipped)))  # fmt: skip
    return lines


async def _edit_progress(
    app: Application, services: Services, broadcast: Broadcast, tally: Tally
) -> None:
    if broadcast.message_id is None:
        return
    t = await services.translator_for_chat(broadcast.chat_id)
    if not tally.done:
        title = t.n("📤 Sending privately to {n} sharer…", "📤 Sending privately to {n} sharers…",
                    tally.queued)  # fmt: skip
    elif broadcast.stopped_by is not None:
        title = t("⏹ Stopped.")
    else:
        title = t("✅ Done.")
    bar = f"{progress_bar(tally.handled, tally.queued)} {t.number(tally.handled)}/" + t.number(
        tally.queued
    )
    lines = [title.format(n=t.number(tally.queued)), bar, *_tally_lines(t, broadcast, tally)]
    stop = None if tally.done else [[(t("Stop"), f"dm_all:stop:{broadcast.id}")]]
    try:
        async with jobs.pacer(app).sending():
            await app.bot.edit_message_text(
                "\n".join(lines), broadcast.chat_id, broadcast.message_id,
                parse_mode=ParseMode.HTML, reply_markup=keyboard(stop),
            )  # fmt: skip
    except RetryAfter as exc:
        jobs.pacer(app).pause(_seconds(exc.retry_after))
    except (BadRequest, Forbidden) as exc:
        # Deleted, unchanged or out of reach: the report still comes as its own message.
        log.info("progress of broadcast %s not edited: %s", broadcast.id, exc)
    except TelegramError as exc:
        log.warning("progress of broadcast %s not edited: %s", broadcast.id, exc)


def _seconds(wait: int | timedelta) -> float:
    return wait.total_seconds() if isinstance(wait, timedelta) else float(wait)


async def _report(app: Application, services: Services, broadcast: Broadcast, tally: Tally) -> None:
    t = await services.translator_for_chat(broadcast.chat_id)
    if broadcast.stopped_by is not None:
        title = t("📢 Announcement #{id} stopped.")
    else:
        title = t("📢 Announcement #{id} went out.")
    text = "\n".join([title.format(id=broadcast.id), *_tally_lines(t, broadcast, tally)])
    now = services.clock.now()
    if await services.repo(Broadcasts).finish(
        broadcast.id, broadcast.chat_id, text, tally, now=now
    ):
        jobs.kick(app)


def register(app: Application) -> None:
    command(app, "broadcast", broadcast_cmd, roles={"manager"}, chats=ANNOUNCE_CHATS,
            description=N_("post an announcement in the sharers' group"),
            usage="/broadcast <text>")  # fmt: skip
    command(app, "dm_all", dm_all_cmd, roles={"manager"}, chats=ANNOUNCE_CHATS,
            description=N_("send an announcement to every sharer privately"),
            usage="/dm_all <text>")  # fmt: skip
    button(app, "dm_all", on_button)
    jobs.add_tick(app, "dm_all", resume, timedelta(seconds=30))
