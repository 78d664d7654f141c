"""One outbox row to Telegram: claim it, send it, and store what the answer means.

Which way each outcome errs (docs/operations.md, "Delivery: once, and which way the bot errs"):
- an answer from Telegram, success or error, is certain: the message arrived, or it did not;
- a transport failure once the request may have been written (connection dropped, no answer
  in time) is uncertain: Telegram offers no way to ask whether the message arrived, so the
  row's `delivery` decides — AT_LEAST_ONCE goes again, AT_MOST_ONCE is given up as failed
  with last_error "uncertain: …";
- a group upgraded to a supergroup (ChatMigrated) takes its registration, data and queued
  rows to the new id, and the message goes there in the same turn;
- a chat that refuses the bot (Forbidden: blocked, never started, bot removed) is marked,
  and its other messages in this pump are skipped without a request.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import timedelta

import httpx
from telegram import Message
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
)
from telegram.ext import Application

from bot.domain.limits import MAX_CAPTION, MAX_TEXT, fit, fit_plain
from bot.keyboards import keyboard
from bot.services import Services
from storage.outbox import AT_MOST_ONCE, MAX_ATTEMPTS, UNCERTAIN, OutboxMessage

log = logging.getLogger(__name__)

# Transport failures that happen before a request leaves: certainly not delivered.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
SKIPPED = "skipped: the chat refused an earlier message"


@dataclass
class Round:
    """What one pump has learned that its later messages need."""

    run: str  # this run of the bot, written on its claims
    pause: Callable[[float], None]  # hold every send back (Telegram's retry_after)
    moved: dict[int, int] = field(default_factory=dict)  # group id -> its supergroup's id
    refused: set[int] = field(default_factory=set)  # chats that answered Forbidden


def may_have_arrived(exc: TelegramError) -> bool:
    """True when the request may have reached Telegram although no answer came back."""
    cause = exc.__cause__
    return (
        isinstance(exc, NetworkError)
        and isinstance(cause, httpx.HTTPError)
        and not isinstance(cause, _NOT_SENT)
    )


async def ready(services: Services, message: OutboxMessage, rnd: Round) -> OutboxMessage | None:
    """The message to send now (its chat followed), or None: cancelled since the batch was
    read (a stopped /dm_all, a cancelled live), or its chat refused an earlier message."""
    if not await services.outbox.to_send(message.id):
        return None
    message = replace(message, chat_id=rnd.moved.get(message.chat_id, message.chat_id))
    if message.chat_id in rnd.refused:
        await services.outbox.give_up(message.id, "unreachable", SKIPPED)
        return None
    return message


async def deliver(app: Application, services: Services, message: OutboxMessage, rnd: Round) -> int:
    """Claim, send, record; 1 when Telegram took the message."""
    if not await services.outbox.claim(message.id, run=rnd.run, now=services.clock.now()):
        return 0
    while True:
        try:
            sent, note = await _send(app, message)
            break
        except ChatMigrated as exc:
            if message.chat_id in rnd.moved:  # moved already, and moving again: give up
                await _failed(services, message, exc, rnd)
                return 0
            message = await _follow(services, message, exc.new_chat_id, rnd)
        except TelegramError as exc:
            await _failed(services, message, exc, rnd)
            return 0
    await services.outbox.mark_sent(
        sent.message_id, message.id, now=services.clock.now(), note=note
    )
    return 1


async def _follow(
    services: Services, message: OutboxMessage, new_id: int, rnd: Round
) -> OutboxMessage:
    old_id = message.chat_id
    touched = await services.chats.migrate(old_id, new_id, now=services.clock.now())
    rnd.moved[old_id] = new_id
    log.warning("chat %s became supergroup %s; moved %s", old_id, new_id, ", ".join(touched))
    return replace(message, chat_id=new_id)


async def _failed(
    services: Services, message: OutboxMessage, exc: TelegramError, rnd: Round
) -> None:
    outbox, now = services.outbox, services.clock.now()
    if isinstance(exc, RetryAfter):
        wait = exc.retry_after
        seconds = wait.total_seconds() if isinstance(wait, timedelta) else float(wait)
        rnd.pause(seconds)
        await outbox.retry_later(message.id, str(exc), due_at=now + timedelta(seconds=seconds))
    elif isinstance(exc, Forbidden):
        # Blocked, never started, or the bot left the group: retrying cannot help.
        rnd.refused.add(message.chat_id)
        await outbox.give_up(message.id, "unreachable", str(exc))
        if message.chat_id > 0:
            await services.users.mark_unreachable(message.chat_id, now=now)
    elif isinstance(exc, BadRequest):
        log.error("outbox %s refused by the Bot API: %s", message.key, exc)
        await outbox.give_up(message.id, "failed", str(exc))
    elif may_have_arrived(exc) and message.delivery == AT_MOST_ONCE:
        log.warning("outbox %s: may or may not have arrived (%s); not repeated", message.key, exc)
        await outbox.give_up(message.id, "failed", f"{UNCERTAIN}{exc}")
    elif message.attempts + 1 >= MAX_ATTEMPTS:
        await outbox.give_up(message.id, "failed", str(exc))
    else:
        error = f"{UNCERTAIN}{exc}" if may_have_arrived(exc) else str(exc)
        backoff = timedelta(seconds=min(30 * 2**message.attempts, 3600))
        await outbox.retry_later(message.id, error, due_at=now + backoff)


def _fitted(text: str, parse_mode: str | None, limit: int) -> str:
    """The queued text within Telegram's limit. It was rendered in the reader's language when
    queued, so the count of what is left out is written without words."""
    if parse_mode and parse_mode.upper() == "HTML":
        return fit(text, limit, lambda n: f"… (+{n})")
    return fit_plain(text, limit)


async def _send(app: Application, message: OutboxMessage) -> tuple[Message, str | None]:
    """The request for the row's kind; the note says what went wrong on the way."""
    if message.document is not None:
        sent = await app.bot.send_document(
            message.chat_id,
            message.document,
            filename=message.document_name,
            caption=_fitted(message.text, message.parse_mode, MAX_CAPTION) or None,
            parse_mode=message.parse_mode,
        )
        return sent, None
    if message.photo is None:
        return await _send_text(app, message), None
    try:
        sent = await app.bot.send_photo(
            message.chat_id,
            message.photo,
            caption=_fitted(message.text, message.parse_mode, MAX_CAPTION) or None,
            parse_mode=message.parse_mode,
            reply_markup=keyboard(message.buttons),
        )
        return sent, None
    except BadRequest as exc:
        if not message.text.strip():
            raise
        # The photo was what Telegram refused (size, dimensions): the words still matter,
        # so they go on their own in the same turn of the pacer.
        log.warning("outbox %s: photo refused (%s); sending the text alone", message.key, exc)
        return await _send_text(app, message), f"photo refused: {exc}"


async def _send_text(app: Application, message: OutboxMessage) -> Message:
    return await app.bot.send_message(
        message.chat_id,
        _fitted(message.text, message.parse_mode, MAX_TEXT),
        parse_mode=message.parse_mode,
        reply_markup=keyboard(message.buttons),
        disable_web_page_preview=True,
    )
