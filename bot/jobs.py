"""Scheduling: features register *ticks* (find what is due now, queue it in the outbox); one
repeating JobQueue job runs the ticks and then pumps the outbox.

Ticks read the bot's clock, not the wall clock, and keep their state in the database, so a
restart simply runs them again: outbox keys make sure nothing goes out twice.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from telegram.error import BadRequest, Forbidden, RetryAfter, TelegramError
from telegram.ext import Application, ContextTypes

from bot.domain.limits import MAX_CAPTION, MAX_TEXT, fit, fit_plain
from bot.keyboards import keyboard
from bot.services import Services
from storage.outbox import OutboxMessage

log = logging.getLogger(__name__)

TickFn = Callable[[Application, datetime], Awaitable[object]]
MAX_ATTEMPTS = 8


@dataclass
class Tick:
    name: str
    run: TickFn
    every: timedelta
    last: datetime | None = None


def add_tick(app: Application, name: str, run: TickFn, every: timedelta) -> None:
    app.bot_data.setdefault("ticks", []).append(Tick(name, run, every))


def _lock(app: Application) -> asyncio.Lock:
    return app.bot_data.setdefault("ticks_lock", asyncio.Lock())


async def run_due(app: Application, *, force: bool = False) -> int:
    """Run the ticks that are due (all of them when forced), then send what the outbox holds.

    Returns how many messages were sent.
    """
    services: Services = app.bot_data["services"]
    async with _lock(app):
        now = services.clock.now()
        for tick in app.bot_data.get("ticks", []):
            if force or tick.last is None or now - tick.last >= tick.every:
                tick.last = now
                try:
                    await tick.run(app, now)
                except Exception:
                    log.exception("tick %s failed; it runs again next time", tick.name)
        return await pump(app)


async def pump(app: Application) -> int:
    services: Services = app.bot_data["services"]
    sent = 0
    while batch := await services.outbox.due(services.clock.now()):
        for message in batch:
            sent += await _deliver(app, services, message)
        if len(batch) < 50:
            break
    return sent


def _fitted(text: str, parse_mode: str | None, limit: int) -> str:
    """The queued text within Telegram's limit. It was rendered in the reader's language when
    queued, so the count of what is left out is written without words."""
    if parse_mode and parse_mode.upper() == "HTML":
        return fit(text, limit, lambda n: f"… (+{n})")
    return fit_plain(text, limit)


async def _deliver(app: Application, services: Services, message: OutboxMessage) -> int:
    now = services.clock.now()
    try:
        if message.document is not None:
            sent = await app.bot.send_document(
                message.chat_id,
                message.document,
                filename=message.document_name,
                caption=_fitted(message.text, message.parse_mode, MAX_CAPTION) or None,
                parse_mode=message.parse_mode,
            )
        else:
            sent = await app.bot.send_message(
                message.chat_id,
                _fitted(message.text, message.parse_mode, MAX_TEXT),
                parse_mode=message.parse_mode,
                reply_markup=keyboard(message.buttons),
                disable_web_page_preview=True,
            )
    except RetryAfter as exc:
        wait = exc.retry_after
        seconds = wait.total_seconds() if isinstance(wait, timedelta) else float(wait)
        await services.outbox.retry_later(
            message.id, str(exc), due_at=now + timedelta(seconds=seconds)
        )
        return 0
    except Forbidden as exc:
        # Blocked, or never started the bot: retrying cannot help.
        await services.outbox.give_up(message.id, "unreachable", str(exc))
        if message.chat_id > 0:
            await services.users.mark_unreachable(message.chat_id, now=now)
        return 0
    except BadRequest as exc:
        log.error("outbox %s refused by the Bot API: %s", message.key, exc)
        await services.outbox.give_up(message.id, "failed", str(exc))
        return 0
    except TelegramError as exc:
        if message.attempts + 1 >= MAX_ATTEMPTS:
            await services.outbox.give_up(message.id, "failed", str(exc))
        else:
            backoff = timedelta(seconds=min(30 * 2**message.attempts, 3600))
            await services.outbox.retry_later(message.id, str(exc), due_at=now + backoff)
        return 0
    await services.outbox.mark_sent(sent.message_id, message.id, now=services.clock.now())
    return 1


async def _scheduled(ctx: ContextTypes.DEFAULT_TYPE) -> None:
    await run_due(ctx.application)


def start_scheduler(app: Application, every: timedelta) -> None:
    app.job_queue.run_repeating(_scheduled, interval=every, first=0, name="ticks")
