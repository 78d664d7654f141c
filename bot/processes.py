"""Several `python -m bot run` processes on one PostgreSQL database, behind one webhook.

Every process runs the ticks and pumps the outbox (storage/outbox.py claims keep each
message to one sender and each chat's messages in order); this module gives each process
its presence (storage/presence.py: who is alive, per-chat locks) and keeps one chat's
updates in order when a balancer spreads them over processes.

Why holding the chat *before* answering the webhook is enough: the Bot API sends a chat's
updates one at a time, the next only once the previous one was answered (telegram-bot-api's
WebhookActor keeps a queue per chat). So when update 2 reaches any process, the process
that got update 1 already holds the chat, and holds it until update 1 was handled: update 2
waits for it. Within a process bot/update_order.py keeps the order as before. If the chat
stays held longer than HOLD_WAIT (a long import in another process), the webhook answers
503 and Telegram sends the update again later, still before that chat's next one.

On SQLite (one process) the presence is a stand-in that holds nothing.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from telegram.ext import Application

from bot.update_order import ChatOrderProcessor, order_key
from storage.presence import Presence, for_database

log = logging.getLogger(__name__)

# Seconds an arriving update waits for its chat while another process handles that chat's
# previous update; Telegram waits longer than this for the webhook's answer.
HOLD_WAIT = 20.0


async def presence(app: Application) -> Presence:
    """This process's presence on its database, started on first use; the update processor
    ends it when the application shuts down."""
    found: Presence | None = app.bot_data.get("presence")
    if found is not None:
        return found
    async with app.bot_data.setdefault("presence_lock", asyncio.Lock()):
        found = app.bot_data.get("presence")
        if found is None:
            found = for_database(app.bot_data["services"].db)
            await found.start()
            app.bot_data["presence"] = found
            processor = app.update_processor
            if isinstance(processor, ChatOrderProcessor):
                processor.presence = found
    return found


class ArrivalQueue:
    """The webhook's way into the application's update queue: an update of a chat goes in
    once this process holds that chat, so the webhook answers only then."""

    def __init__(self, app: Application) -> None:
        self.app = app
        self.inner = app.update_queue

    async def put(self, update: object) -> None:
        key = order_key(update)
        processor = self.app.update_processor
        if key is not None and isinstance(processor, ChatOrderProcessor):
            present = await presence(self.app)
            if not await present.hold_chat(key, wait=HOLD_WAIT):
                import tornado.web

                log.warning("chat %s still busy in another process: update sent back", key)
                raise tornado.web.HTTPError(503, reason="chat busy in another process")
            processor.arrived(update)
        await self.inner.put(update)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


def hold_chats_on_arrival(app: Application) -> None:
    """Webhook mode: updates enter through ArrivalQueue (call before start_webhook)."""
    if app.updater is not None and not isinstance(app.updater.update_queue, ArrivalQueue):
        app.updater.update_queue = ArrivalQueue(app)  # type: ignore[assignment]
