"""Updates of one chat are handled one after another in arrival order; chats run at once.

People paste several commands in one go and press buttons quickly: `/creator_add kol_06 …`
followed by `/sample kol_06 …` must see the creator the first one committed. PTB hands each
update to the processor in its own task, in the order getUpdates (or the webhook) delivered
them, so each chat gets a line of waiting updates (a FIFO of futures) and only its head runs.
The line exists only while an update of that chat is in hand, so idle chats cost nothing.

Which line an update joins: its chat (a button press: the chat of the message the button is
on); without a chat, its sender's id, which is also the id of their private chat, so an
inline query follows the same person's private messages. Updates with neither (a poll's
results, anything that is not an Update) run free.

The concurrency bound applies to updates that are running, not to those waiting for their
chat's turn: with PTB's own semaphore a burst of 300 updates from one chat would fill all the
slots with waiters and stall every other chat.

Across processes (several behind one webhook, PostgreSQL): an update arrives holding its
chat's lock (bot/processes.py); the processor lets go of it once the update was handled, and
ends the process's presence when the application shuts down.
"""

from __future__ import annotations

import asyncio
import inspect
from collections import deque
from collections.abc import Awaitable
from typing import TYPE_CHECKING, Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

if TYPE_CHECKING:
    from storage.presence import Presence

DEFAULT_CONCURRENCY = 256


def order_key(update: object) -> int | None:
    """The line an update waits in: its chat id, else its sender's id, else None (free)."""
    if not isinstance(update, Update):
        return None
    chat = update.effective_chat
    if chat is not None:
        return chat.id
    user = update.effective_user
    return user.id if user is not None else None


class _Unlimited:
    """Stands in for PTB's semaphore, which process_update takes before do_process_update."""

    async def __aenter__(self) -> None:
        return None

    async def __aexit__(self, *exc: object) -> None:
        return None


class ChatOrderProcessor(BaseUpdateProcessor):
    """Per-chat arrival order, at most `max_concurrent_updates` updates running at once."""

    __slots__ = ("_arrived", "_held", "_lines", "_running", "_slots", "presence")

    def __init__(self, max_concurrent_updates: int = DEFAULT_CONCURRENCY) -> None:
        super().__init__(max_concurrent_updates)
        self._semaphore = _Unlimited()  # type: ignore[assignment]
        self._slots = asyncio.Semaphore(max_concurrent_updates)
        self._lines: dict[int, deque[asyncio.Future[None]]] = {}
        self._held = 0
        self._running = 0
        self._arrived: set[int] = set()  # update ids that hold their chat across processes
        self.presence: Presence | None = None

    def arrived(self, update: Update) -> None:
        """The update holds its chat's lock across processes until it was handled."""
        self._arrived.add(update.update_id)

    @property
    def current_concurrent_updates(self) -> int:
        """Updates handed over and not finished: running or waiting for their turn.

        Counting the waiting ones keeps "0" meaning idle for whoever waits for quiet.
        """
        return self._held

    @property
    def running(self) -> int:
        return self._running

    @property
    def waiting_chats(self) -> int:
        """Chats with an update in hand; each line is dropped when it empties."""
        return len(self._lines)

    async def initialize(self) -> None:
        if not self._held:
            self._slots = asyncio.Semaphore(self.max_concurrent_updates)

    async def shutdown(self) -> None:
        """Lines go away as their updates finish (PTB awaits them on stop); the presence
        ends here, which lets go of every chat an update left waiting still held."""
        if self.presence is not None:
            presence, self.presence = self.presence, None
            self._arrived.clear()
            await presence.close()

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        self._held += 1
        try:
            key = order_key(update)
            if key is None:
                await self._run(coroutine)
            else:
                await self._in_turn(key, coroutine)
        finally:
            self._held -= 1
            if isinstance(update, Update) and update.update_id in self._arrived:
                self._arrived.discard(update.update_id)
                if self.presence is not None and key is not None:
                    await self.presence.release_chat(key)

    async def _in_turn(self, key: int, coroutine: Awaitable[Any]) -> None:
        # Joining the line happens before the first await, so the line keeps PTB's task order.
        line = self._lines.get(key)
        if line is None:
            line = self._lines[key] = deque()
        turn: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        line.append(turn)
        if len(line) == 1:
            turn.set_result(None)
        try:
            try:
                await turn
            except BaseException:
                _discard(coroutine)
                raise
            await self._run(coroutine)
        finally:
            head = line[0] is turn
            line.remove(turn)
            if not line:
                del self._lines[key]
            elif head and not line[0].done():
                line[0].set_result(None)

    async def _run(self, coroutine: Awaitable[Any]) -> None:
        started = False
        try:
            async with self._slots:
                started = True
                self._running += 1
                try:
                    await coroutine
                finally:
                    self._running -= 1
        finally:
            if not started:
                _discard(coroutine)


def _discard(coroutine: Awaitable[Any]) -> None:
    """An update cancelled while waiting (shutdown): no "never awaited" warning for it."""
    if inspect.iscoroutine(coroutine):
        coroutine.close()
