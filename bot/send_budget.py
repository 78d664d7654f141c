"""Who waits for whom when the bot sends: replies first, bulk sends with what is left.

Telegram's limits: about 30 messages a second in all (the figure given for bulk notifications
to many people), about one a second in one private chat (short bursts pass), 20 a minute in
one group. PTB's AIORateLimiter puts every call that names a chat into one 30/s bucket, so a
broadcast draining at 29/s keeps a person's /start waiting behind it.

`ReplyFirstLimiter` keeps one count of the message calls (send…, edit…, copy…, forward…) the
server may still count within its current second: each from its start until PERIOD after
its answer, as bot.jobs.Pacer counts (its reasoning holds for any mix of calls).

- A reply (a call made while handling an update) goes at once unless the count is at LIMIT,
  and then before any bulk send; it counts, so bulk sends make room for it. (Whether Telegram
  counts replies in its 30/s is not documented; a 429 would hold every send for seconds, so
  the bot stays within 30 in all. `replies_wait=False` lets replies go past the count.)
- A bulk send (anything else: the outbox pump's reminders, broadcasts, settlement DMs, the
  scheduled posts) starts only while the count is below LIMIT - RESERVE and no reply is
  waiting: replies flowing take their share out of the bulk rate within a second.
- Per chat, for both kinds: a group at most GROUP_RATE a minute, a private chat bursts of
  PRIVATE_BURST then one a second.
- A 429 stops every call for its retry_after, then the call is tried again (max_retries).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import deque
from collections.abc import Callable, Coroutine
from contextvars import ContextVar
from typing import Any

from aiolimiter import AsyncLimiter
from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

log = logging.getLogger(__name__)

LIMIT = 30  # message calls the server counts in any second
RESERVE = 2  # of those, kept free of bulk sends for replies
PERIOD = 1.01  # a call counts until this long after its answer (see bot.jobs.Pacer)
GROUP_RATE = 20  # a minute, per group
PRIVATE_BURST = 5  # then one a second, per private chat
_MESSAGE_CALLS = ("send", "edit", "copy", "forward")
# PTB's names for the tasks that handle updates (concurrently, or one by one).
_UPDATE_TASKS = (":process_concurrent_update", ":update_fetcher")

# Set to True around sends made while handling an update that are bulk all the same.
BULK: ContextVar[bool] = ContextVar("crewbot_bulk_send", default=False)

Result = bool | dict[str, Any] | list[dict[str, Any]]


def is_reply() -> bool:
    """Whether the running code answers an update (PTB's update task, not marked BULK)."""
    if BULK.get():
        return False
    task = asyncio.current_task()
    return task is not None and task.get_name().endswith(_UPDATE_TASKS)


class SendBudget:
    """The count of message calls the server may still be counting, and who may start."""

    def __init__(
        self,
        limit: int = LIMIT,
        reserve: int = RESERVE,
        period: float = PERIOD,
        *,
        replies_wait: bool = True,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limit, self.reserve, self.period = limit, reserve, period
        self.replies_wait = replies_wait
        self._clock = clock
        self._answered: deque[float] = deque()
        self._in_flight = 0
        self._replies_waiting = 0
        self._changed = asyncio.Event()
        self.replies = 0  # message calls made as replies / in bulk (the tests read them)
        self.bulk = 0

    def count(self) -> int:
        now = self._clock()
        while self._answered and self._answered[0] + self.period <= now:
            self._answered.popleft()
        return self._in_flight + len(self._answered)

    def _room(self, reply: bool) -> bool:
        if reply:
            return not self.replies_wait or self.count() < self.limit
        return not self._replies_waiting and self.count() < self.limit - self.reserve

    async def _wait(self, reply: bool) -> None:
        if reply:
            self._replies_waiting += 1
        try:
            while not self._room(reply):
                self._changed.clear()
                next_free = self._answered[0] + self.period - self._clock() if self._answered else 1
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._changed.wait(), max(next_free, 0.001))
        finally:
            if reply:
                self._replies_waiting -= 1
                self._changed.set()  # a bulk send may have been waiting for this one

    @contextlib.asynccontextmanager
    async def holding(self, reply: bool) -> Any:
        await self._wait(reply)
        self._in_flight += 1
        if reply:
            self.replies += 1
        else:
            self.bulk += 1
        try:
            yield
        finally:
            self._in_flight -= 1
            self._answered.append(self._clock())
            self._changed.set()


class ReplyFirstLimiter(BaseRateLimiter[dict[str, Any] | int]):
    """PTB's rate limiter for the bot: see the module doc."""

    def __init__(self, budget: SendBudget | None = None, *, max_retries: int = 2) -> None:
        self.budget = budget or SendBudget()
        self.max_retries = max_retries
        self._chats: dict[int | str, AsyncLimiter] = {}
        self._resume = asyncio.Event()
        self._resume.set()

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass

    def _chat_limiter(self, chat_id: int | str) -> AsyncLimiter:
        found = self._chats.get(chat_id)
        if found is None:
            if len(self._chats) > 1024:  # forget chats whose bucket has emptied
                for key, limiter in list(self._chats.items()):
                    if limiter.has_capacity(limiter.max_rate):
                        del self._chats[key]
            private = isinstance(chat_id, int) and chat_id > 0
            found = (
                AsyncLimiter(PRIVATE_BURST, PRIVATE_BURST)
                if private
                else AsyncLimiter(GROUP_RATE, 60)
            )
            self._chats[chat_id] = found
        return found

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, Result]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: dict[str, Any] | int | None,
    ) -> Result:
        retries = self.max_retries
        reply = is_reply()
        if isinstance(rate_limit_args, int):
            retries = rate_limit_args
        elif isinstance(rate_limit_args, dict):
            reply = bool(rate_limit_args.get("reply", reply))
        chat_id = data.get("chat_id")
        with contextlib.suppress(TypeError, ValueError):
            chat_id = int(chat_id)  # type: ignore[arg-type]
        counted = endpoint.lower().startswith(_MESSAGE_CALLS) and chat_id is not None
        for attempt in range(retries + 1):
            await self._resume.wait()
            try:
                if not counted:
                    return await callback(*args, **kwargs)
                async with self._chat_limiter(chat_id), self.budget.holding(reply):  # type: ignore[arg-type]
                    await self._resume.wait()
                    return await callback(*args, **kwargs)
            except RetryAfter as exc:
                if attempt == retries:
                    raise
                wait = exc.retry_after
                seconds = wait if isinstance(wait, int | float) else wait.total_seconds()
                log.info("429 from Telegram: every send waits %.1f s", seconds)
                self._resume.clear()
                try:
                    await asyncio.sleep(seconds + 0.1)
                finally:
                    self._resume.set()
        raise AssertionError("unreachable")  # the loop returns or raises
