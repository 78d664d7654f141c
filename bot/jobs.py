"""Scheduling: features register *ticks* (find what is due now, queue it in the outbox); one
repeating JobQueue job runs the ticks and then pumps the outbox.

Ticks read the bot's clock, not the wall clock, and keep their state in the database, so a
restart simply runs them again: outbox keys make sure nothing goes out twice. Several
processes on one database (PostgreSQL) each run the ticks and pump: the keys make a tick
that runs in two processes queue each message once, and claims send it once.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from telegram.ext import Application, ContextTypes

from bot import delivery, processes
from bot.services import Services
from storage.outbox import OutboxMessage

log = logging.getLogger(__name__)

TickFn = Callable[[Application, datetime], Awaitable[object]]
BATCH = 50
# A claim of this run older than this is a send cut short (a cancelled pump): no request
# takes that long, retries included.
CLAIM_STALE = timedelta(minutes=5)
# Telegram lets a bot send about 30 messages a second in all. A send occupies the pacer from
# its start until SEND_PERIOD after its answer, and at most SEND_LIMIT sends occupy it at once:
# the server then never counts more than SEND_LIMIT arrivals in one second, however late each
# arrives (see Pacer). 29 leaves room for about one handler reply a second.
# bench/bench_dm_all.py measures the rate and the 429s.
SEND_LIMIT = 29
SEND_PERIOD = 1.01
# Sends in flight at once: enough to keep that rate when a round trip takes a few hundred ms.
IN_FLIGHT = 8


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


class Pacer:
    """At most `limit` sends at once in a window that holds each from its start until `period`
    seconds after its answer; with `share` processes sending for the bot, each keeps to its
    share of the limit (Telegram counts the bot's messages, whichever process sends them).

    Why this holds whatever the network does: a request arrives between its start and its
    answer. Take any `limit` + 1 arrivals within one second and the one that started last: at
    its start each of the others had started, and had either not been answered yet or been
    answered at or after the first of those arrivals, so less than `period` (> 1 s) before.
    All `limit` of them were holding the pacer, so it could not have started.
    """

    def __init__(
        self,
        limit: int = SEND_LIMIT,
        period: float = SEND_PERIOD,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limit = limit
        self.period = period
        self._clock = clock
        self._answered: deque[float] = deque()  # answer times, oldest first
        self._in_flight = 0
        self._paused_until = 0.0
        self._lock = asyncio.Lock()
        self.share = 1  # processes sending for the bot (bot.processes), this one included

    def delay(self) -> float:
        """Seconds until the next send may start (a short wait when all are in flight)."""
        now = self._clock()
        while self._answered and self._answered[0] + self.period <= now:
            self._answered.popleft()
        wait = self._paused_until - now
        limit = max(self.limit // max(self.share, 1), 1)
        excess = self._in_flight + len(self._answered) - limit + 1
        if excess > 0:
            if excess <= len(self._answered):
                wait = max(wait, self._answered[excess - 1] + self.period - now)
            else:
                wait = max(wait, 0.005)  # until a send in flight is answered
        return max(wait, 0.0)

    @asynccontextmanager
    async def sending(self) -> AsyncIterator[None]:
        """Hold the pacer for one send: wait for room, send, then keep it `period` longer."""
        async with self._lock:
            while (wait := self.delay()) > 0:
                await asyncio.sleep(wait)
            self._in_flight += 1
        try:
            yield
        finally:
            self._in_flight -= 1
            self._answered.append(self._clock())

    def pause(self, seconds: float) -> None:
        """Start nothing for `seconds` (Telegram answered 429 with retry_after)."""
        self._paused_until = max(self._paused_until, self._clock() + seconds)


def pacer(app: Application) -> Pacer:
    """The one pacer of the bot's own sends (the outbox, progress edits): share it."""
    # The limits are read here, not bound as defaults: a test lifts them for a stand-in
    # without flood limits.
    return app.bot_data.setdefault("pacer", Pacer(SEND_LIMIT, SEND_PERIOD))


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


class _Kicks:
    """The background runs handlers ask for: one at a time, and one more after it when asked
    while it runs (what the asker queued may have come after the run's last look)."""

    def __init__(self) -> None:
        self.task: asyncio.Task[None] | None = None
        self.again = False

    async def run(self, app: Application) -> None:
        while True:
            self.again = False
            await run_due(app)
            if not (self.again and app.running):
                return


def kick(app: Application) -> asyncio.Task[None]:
    """Run the due ticks and send what the outbox holds, now, without waiting for it.

    A handler that queued a message kicks instead of running the pump itself: it answers at
    once, and its chat's next update is not held behind a pump that may be sending thousands
    (a /dm_all) or waiting for the scheduler's lock."""
    kicks: _Kicks = app.bot_data.setdefault("kicks", _Kicks())
    if kicks.task is None or kicks.task.done():
        kicks.task = app.create_task(kicks.run(app), name="kick")
    else:
        kicks.again = True
    return kicks.task


async def kicked(app: Application, within: float) -> None:
    """Kick, and wait for that run at most `within` seconds (it goes on after)."""
    await asyncio.wait({kick(app)}, timeout=within)


def kicking(app: Application) -> bool:
    """Whether a kicked run is under way (the offline driver waits for it before it calls the
    bot idle)."""
    kicks: _Kicks | None = app.bot_data.get("kicks")
    return kicks is not None and kicks.task is not None and not kicks.task.done()


async def pump(app: Application) -> int:
    """Send what is due, paced. A stopping application stops between messages: the rest
    stays queued for the next start.

    First the claims of sends that never finished are resolved (`Outbox.recover`): this
    process's pumps run one at a time (the scheduler's lock) and each waits for its sends, so
    a claim seen here is another process's — sending now if it is alive, else killed while
    sending — or one left by a cancelled pump."""
    services: Services = app.bot_data["services"]
    present = await processes.presence(app)
    paced = pacer(app)
    paced.share = await present.count()
    rnd = delivery.Round(run=present.run, pause=paced.pause)
    recovered = await services.outbox.recover(
        run=rnd.run, now=services.clock.now(), stale=CLAIM_STALE, alive=present.alive
    )
    if recovered.resent or recovered.uncertain:
        log.warning(
            "interrupted sends: %d to go again (at least once), %d given up (at most once): %s",
            len(recovered.resent),
            len(recovered.uncertain),
            ", ".join(recovered.resent + recovered.uncertain)[:500],
        )
    sent = 0
    while app.running and (batch := await services.outbox.due(services.clock.now(), BATCH)):
        sent += await _deliver_batch(app, services, batch, rnd)
        if len(batch) < BATCH:
            break
    return sent


async def _deliver_batch(
    app: Application, services: Services, batch: list[OutboxMessage], rnd: delivery.Round
) -> int:
    # Each chat's messages go in their order, one at a time; different chats side by side,
    # so that the pace holds however long a round trip takes. So at most IN_FLIGHT sends,
    # one per chat, are ever uncertain at once (a kill -9, a dropped connection).
    by_chat: dict[int, list[OutboxMessage]] = {}
    for message in batch:
        by_chat.setdefault(message.chat_id, []).append(message)
    gate = asyncio.Semaphore(IN_FLIGHT)
    paced = pacer(app)

    async def one_chat(messages: list[OutboxMessage]) -> int:
        sent = 0
        for queued in messages:
            async with gate:
                message = await delivery.ready(services, queued, rnd)
                if message is None:
                    continue
                async with paced.sending():
                    if not app.running:
                        break
                    sent += await delivery.deliver(app, services, message, rnd)
        return sent

    # Every chat's run ends before the pump returns, so no send outlives the scheduler's lock.
    results = await asyncio.gather(
        *(one_chat(messages) for messages in by_chat.values()), return_exceptions=True
    )
    for result in results:
        if isinstance(result, BaseException):
            raise result
    return sum(n for n in results if isinstance(n, int))


async def _scheduled(ctx: ContextTypes.DEFAULT_TYPE) -> None:
    await run_due(ctx.application)


def start_scheduler(app: Application, every: timedelta) -> None:
    app.job_queue.run_repeating(_scheduled, interval=every, first=0, name="ticks")
