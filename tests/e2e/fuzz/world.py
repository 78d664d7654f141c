"""One seeded bot for a whole random-input run, driven synchronously from Hypothesis.

Hypothesis calls the test body many times; starting the Application for each example would
cost more than the examples themselves. So the world owns an event loop of its own: the bot
polls the stand-in on it, and each action runs the loop until the bot has settled. Nothing is
reset between examples: what one example changes (a role revoked, a month settled) is the
state the next one meets, as in production.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Coroutine
from contextlib import AbstractAsyncContextManager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

from bot.clock import Clock
from bot.config import load_settings
from bot.offline.cast import GROUPS, OTHER, PEOPLE, declare_cast
from bot.offline.demo import load_demo
from bot.offline.driver import Driver, running_bot
from bot.offline.local_api import LocalBotAPI, SentMessage
from bot.services import Services
from handlers.registry import Command, commands

T = TypeVar("T")
# The demo's clock: Sunday 2026-11-22 10:00 in Shanghai, as in the other tests.
T0 = datetime(2026, 11, 22, 2, 0, tzinfo=UTC)
OTHER_GROUP = OTHER[1]  # a group the bot is in but nobody registered
MANAGER_ID, STRANGER_ID = 8, 9
# Who acts, by what they are: the console's cast (see bot/offline/console.py) plus a manager
# and a stranger who never had anything to do with the bot.
PERSONAS = {
    "admin": PEOPLE["ada"].id,
    "manager": MANAGER_ID,
    "bd": PEOPLE["bob"].id,
    "ads": PEOPLE["dan"].id,
    "leader": PEOPLE["eve"].id,
    "sharer": PEOPLE["fay"].id,
    "stranger": STRANGER_ID,
}
CHATS = {**GROUPS, "other": OTHER_GROUP}
SHARERS = ("eve", "fay", "gus")  # bound to EVE01, FAY01, GUS01 by the demo
_AMOUNT = re.compile(r"[¥￥]\s*-?[\d,]+(?:\.\d+)?|-?[\d,]+\.\d{2}\s*元")


def amounts(text: str) -> set[str]:
    """Money figures in a text, normalised (¥1,234.50 and 1234.50 元 → 1234.50)."""
    found = set()
    for match in _AMOUNT.findall(text):
        number = re.sub(r"[¥￥元,\s-]", "", match)
        if number and float(number) != 0:
            found.add(number)
    return found


class World:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.loop = asyncio.new_event_loop()
        self.driver: Driver
        self.commands: list[Command] = []
        self.private_figures: set[str] = set()
        self._running: AbstractAsyncContextManager[Driver] | None = None
        self._services: Services | None = None

    @property
    def api(self) -> LocalBotAPI:
        return self.driver.api

    def run(self, coro: Coroutine[Any, Any, T]) -> T:
        return self.loop.run_until_complete(coro)

    def start(self) -> World:
        self.run(self._start())
        return self

    def stop(self) -> None:
        try:
            if self._running is not None:
                self.run(self._running.__aexit__(None, None, None))
            self.run(self.api.stop())
            if self._services is not None:
                self.run(self._services.close())
        finally:
            self.loop.close()

    async def _start(self) -> None:
        settings = load_settings(
            telegram_bot_token="123456:TEST-TOKEN",
            database_path=self.folder / "fuzz.sqlite3",
            admin_ids=str(PEOPLE["ada"].id),
            tick_every="1d",
        )
        self._services = await Services.create(settings, clock=Clock(start=T0))
        api = LocalBotAPI(bot_username="crewbot_bot")
        await api.start()
        declare_cast(api)
        api.user(MANAGER_ID, "Mo", username="mo")
        api.user(STRANGER_ID, "Zed", username="zed", language_code="en")
        everyone = {p.id for p in PEOPLE.values()} | {MANAGER_ID, STRANGER_ID}
        for chat_id in CHATS.values():
            api.chat(chat_id).members |= everyone
        self._running = running_bot(settings, self._services, api)
        self.driver = await self._running.__aenter__()
        await self._seed()
        self.commands = sorted(commands(self.driver.app), key=lambda c: c.name)

    async def _seed(self) -> None:
        driver, ada = self.driver, PEOPLE["ada"].id
        await load_demo(driver)
        await driver.say(ada, ada, f"/grant {MANAGER_ID} manager")
        for person in (MANAGER_ID, STRANGER_ID):
            await driver.say(person, person, "/start")
        self.private_figures = await self._private_figures()

    async def _private_figures(self) -> set[str]:
        """Amounts the bound sharers were told privately that no public answer shows.

        A commission figure is what must never reach a group. Valid sales, thresholds and
        rewards are public (the boards and /rules show them), so a figure that also appears
        in a public answer cannot tell anything away and is left out.
        """
        driver = self.driver
        now = driver.services.clock.now()
        this_month = f"{now:%Y-%m}"
        last_month = f"{(now.replace(day=1) - timedelta(days=1)):%Y-%m}"
        private: set[str] = set()
        for key in SHARERS:
            me = PEOPLE[key].id
            # /me also says what is missing to the next step: derived from public sales.
            for text in ("/commission", f"/commission {last_month}"):
                private |= _figures(await driver.say(me, me, text))
        public: set[str] = set()
        ada = PEOPLE["ada"].id
        for text in (
            "/rules",
            "/levels",
            "/top",
            "/top week",
            "/top month",
            f"/top {this_month}",
            f"/top {last_month}",
            "/top teams",
            "/top year",
        ):
            public |= _figures(await driver.say(ada, ada, text))
        return private - public

    # ---------------------------------------------------------------- acting

    def purpose(self, chat_id: int) -> str | None:
        """What the chat is registered for right now (None: not registered)."""
        chat = self.run(self.driver.services.chats.get(chat_id))
        return chat.purpose if chat is not None else None

    def label(self, chat_id: int) -> str:
        names = {v: k for k, v in CHATS.items()}
        return names.get(chat_id, f"dm of {chat_id}")

    def chat_id(self, who: int, where: str) -> int:
        return who if where == "dm" else CHATS[where]

    def say(self, who: int, where: str, text: str, reply_to: SentMessage | None = None):
        return self.run(self.driver.say(who, self.chat_id(who, where), text, reply_to=reply_to))

    def pressable(self, who: int) -> list[SentMessage]:
        """Bot messages with callback buttons this person can see: in groups or their DM."""
        return [
            m
            for m in self.api.sent
            if (m.chat_id < 0 or m.chat_id == who)
            and not m.deleted
            and any(data for row in m.buttons for _, data in row)
        ]


def _figures(messages: list[SentMessage]) -> set[str]:
    return set().union(*(amounts(m.text) for m in messages)) if messages else set()
