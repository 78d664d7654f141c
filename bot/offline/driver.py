"""Drive the real bot against the local Bot API stand-in: act as people, see what it sent.

The console and the e2e tests both stand on this: the real `Application` polls the stand-in
over HTTP on loopback, so everything between a person's message and the bot's answer —
PTB's request encoding, handlers, the database, the rate limiter — runs as in production.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

from telegram.ext import Application

from bot import app as application
from bot import jobs
from bot.config import Settings
from bot.offline.local_api import Chat, LocalBotAPI, SentMessage, User
from bot.services import Services

ChatRef = Chat | User | int


class Driver:
    def __init__(self, api: LocalBotAPI, app: Application, services: Services) -> None:
        self.api = api
        self.app = app
        self.services = services
        # The latest message each person wrote in each chat, for replying to it.
        self.last_said: dict[tuple[int, int], dict] = {}
        # A bot started again on the same stand-in: what an earlier run fetched is not ours.
        self.processed: set[int] = set(api.delivered)
        self._watch(app)

    def _watch(self, app: Application) -> None:
        """Note each update the application has finished with.

        A quiet spell alone is not proof that the bot is done: on a busy machine the parsed
        updates can sit between getUpdates and a handler for longer than the spell lasts.
        """
        process = app.process_update

        async def processed(update: object) -> None:
            try:
                await process(update)
            finally:
                update_id = getattr(update, "update_id", None)
                if update_id is not None:
                    self.processed.add(update_id)

        app.process_update = processed  # type: ignore[method-assign]

    def _idle(self) -> bool:
        processor = self.app.update_processor
        return (
            self.app.update_queue.empty()
            and processor.current_concurrent_updates == 0
            and self.api.delivered <= self.processed
            and not jobs.kicking(self.app)
        )

    async def settle(self, timeout: float = 15.0) -> None:
        """Wait until the bot has handled every update and stopped calling the API."""
        await self.api.settle(quiet=0.03, timeout=timeout, idle=self._idle)

    async def _since(self, mark: int) -> list[SentMessage]:
        await self.settle()
        return [m for m in self.api.sent if m.seq > mark]

    async def say(
        self, user: User | int, chat: ChatRef, text: str, *, reply_to: object = None
    ) -> list[SentMessage]:
        """`user` writes `text` in `chat`; returns what the bot sent or edited in response."""
        mark = self.api.mark()
        message = self.api.send_message(user, chat, text, reply_to=reply_to)  # type: ignore[arg-type]
        self.last_said[(message["from"]["id"], message["chat"]["id"])] = message
        return await self._since(mark)

    async def press(self, user: User | int, target: object, button: str) -> list[SentMessage]:
        mark = self.api.mark()
        self.api.press(user, target, button)  # type: ignore[arg-type]
        return await self._since(mark)

    async def upload(
        self, user: User | int, chat: ChatRef, data: bytes, filename: str, caption: str
    ) -> list[SentMessage]:
        mark = self.api.mark()
        self.api.send_document(user, chat, data, filename, caption=caption)
        return await self._since(mark)

    async def wait(self, delta: timedelta) -> list[SentMessage]:
        """Let time pass: scheduled work that falls due is found and sent."""
        mark = self.api.mark()
        self.services.clock.advance(delta)
        await jobs.run_due(self.app, force=True)
        return await self._since(mark)

    async def tick(self) -> list[SentMessage]:
        """Run the scheduler now without moving time (what the repeating job does)."""
        mark = self.api.mark()
        await jobs.run_due(self.app, force=True)
        return await self._since(mark)


@asynccontextmanager
async def running_bot(
    settings: Settings, services: Services, api: LocalBotAPI | None = None
) -> AsyncIterator[Driver]:
    """Start the stand-in (unless given) and the real application polling it; stop both."""
    own_api = api is None
    api = api or LocalBotAPI()
    if own_api:
        await api.start()
    app = application.build_application(
        settings,
        services,
        base_url=api.base_url,
        base_file_url=api.base_file_url,
        token="123456:LOCAL",
        rate_limited=False,
    )
    await application.start(app, poll_timeout=1)
    driver = Driver(api, app, services)
    try:
        await driver.settle()
        yield driver
    finally:
        await application.stop(app)
        if own_api:
            await api.stop()
