"""`python -m bot console`: chat with the real bot in the terminal, offline.

The real Application polls an in-process Bot API stand-in over loopback HTTP (bot/local_api.py),
so what you see here is what Telegram users would see. A line is a message sent as the current
person in the current chat, except directives:

  :as <name>          become that person (ada is a bot admin; a new name makes a new person)
  :in <chat>          dm, or a group: bd, ads, sharers, managers
  :press <button>     press a button on the bot's last message in this chat
  :upload <file> [caption]   send a file (e.g. an order export with caption /import)
  :wait <duration>    let time pass (2d, 3h, 30m) so scheduled messages come due
  :help               this list

In a script (--script FILE), `# …` lines are comments and `< text` lines are expectations:
each must appear in what the bot answered to the line before; a miss fails the run (exit 1).
"""

from __future__ import annotations

import asyncio
import shlex
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from bot.config import Settings, parse_duration
from bot.offline.driver import Driver, running_bot
from bot.offline.local_api import LocalBotAPI, SentMessage
from bot.services import Services

HELP = __doc__.split("except directives:", 1)[1].split("In a script", 1)[0].rstrip()


@dataclass(frozen=True)
class Person:
    id: int
    name: str
    language_code: str
    about: str


# The cast of the console and its demo data. Ada is the bot admin (listed in ADMIN_IDS).
PEOPLE = {
    "ada": Person(1, "Ada", "zh-hans", "bot admin, manager"),
    "bob": Person(2, "Bob", "zh-hans", "BD rep"),
    "cai": Person(3, "蔡小明", "zh-hans", "BD rep"),
    "dan": Person(4, "Dan", "zh-hans", "ads team"),
    "eve": Person(5, "Eve", "en", "sharer, team leader"),
    "fay": Person(6, "Fay", "zh-hant", "sharer"),
    "gus": Person(7, "Gus", "zh-hans", "sharer"),
}
DEMO_GREETING = """Demo data loaded: four groups registered, roles granted, six creators with
samples in every stage, four sharers with this and last month's orders. You are ada (bot admin) in a
private chat. Try:
  :as bob        :in bd     /pipeline all     /creator lily     :wait 2d
  :as eve        :in dm     /me               /commission       /top
  :as ada        :in dm     /rules            /help
:help lists the directives; Ctrl-D quits."""
GROUPS = {"bd": -1001, "ads": -1002, "sharers": -1003, "managers": -1004}
GROUP_TITLES = {"bd": "BD team", "ads": "Ads team", "sharers": "Sharers", "managers": "Managers"}


class Console:
    def __init__(self, driver: Driver, out: TextIO) -> None:
        self.driver = driver
        self.api: LocalBotAPI = driver.api
        self.out = out
        self.person = PEOPLE["ada"]
        self.chat = "dm"
        self.printed = self.api.mark()
        self.last_answer: list[SentMessage] = []
        self.failures = 0
        self._next_id = 100

    def chat_id(self, name: str | None = None) -> int:
        name = name or self.chat
        return self.person.id if name == "dm" else GROUPS[name]

    def label(self, chat_id: int) -> str:
        for name, group_id in GROUPS.items():
            if group_id == chat_id:
                return name
        for person in PEOPLE.values():
            if person.id == chat_id:
                return f"dm {person.name}"
        return str(chat_id)

    def show(self, messages: list[SentMessage]) -> None:
        for message in messages:
            edited = " (edited)" if message.edits else ""
            head = f"[{self.label(message.chat_id)}] crewbot{edited}:"
            body = message.text or ""
            if message.document:
                body += f"\n📎 {message.document[0]} ({len(message.document[1])} bytes)"
            if message.photo:
                body += f"\n🖼 chart ({len(message.photo)} bytes)"
            print(head, body.replace("\n", "\n    "), file=self.out)
            for row in message.buttons:
                print("    " + " ".join(f"[{text}]" for text, _ in row), file=self.out)
        self.printed = max([self.printed, *(m.seq for m in messages)])

    async def handle(self, line: str) -> None:
        line = line.strip()
        if not line:
            return
        if line.startswith(":"):
            word, _, rest = line[1:].partition(" ")
            await self.directive(word.lower(), rest.strip())
            return
        answer = await self.driver.say(self.person.id, self.chat_id(), line)
        self.answered(answer)

    def answered(self, messages: list[SentMessage]) -> None:
        fresh = [m for m in messages if m.seq > self.printed]
        self.last_answer = messages
        self.show(fresh)

    async def directive(self, word: str, rest: str) -> None:
        if word == "as":
            self.become(rest)
        elif word == "in":
            if rest != "dm" and rest not in GROUPS:
                self.say(f"unknown chat {rest!r}: dm, {', '.join(GROUPS)}")
                return
            self.chat = rest
        elif word == "press":
            self.answered(await self.driver.press(self.person.id, self.chat_id(), rest))
        elif word == "wait":
            self.answered(await self.driver.wait(parse_duration(rest)))
        elif word == "upload":
            parts = shlex.split(rest)
            path = Path(parts[0])
            caption = " ".join(parts[1:]) or "/import"
            sent = await self.driver.upload(
                self.person.id, self.chat_id(), path.read_bytes(), path.name, caption
            )
            self.answered(sent)
        elif word == "help":
            self.say(HELP)
            self.say("people: " + ", ".join(f"{k} ({p.about})" for k, p in PEOPLE.items()))
        else:
            self.say(f"unknown directive :{word} — try :help")

    def become(self, name: str) -> None:
        key = name.lower()
        if key not in PEOPLE:
            self._next_id += 1
            PEOPLE[key] = Person(self._next_id, name, "zh-hans", "newcomer")
            self.api.user(self._next_id, name, username=key)
            for group_id in GROUPS.values():
                self.api.chat(group_id).members.add(self._next_id)
        self.person = PEOPLE[key]

    def say(self, text: str) -> None:
        print(f"  ({text})", file=self.out)

    def expect(self, text: str) -> None:
        if not any(text in m.text for m in self.last_answer):
            self.failures += 1
            print(f"!! expected {text!r} in the answer", file=self.out)


def declare_cast(api: LocalBotAPI) -> None:
    for key, person in PEOPLE.items():
        api.user(person.id, person.name, username=key, language_code=person.language_code)
    members = {p.id for p in PEOPLE.values()}
    for name, chat_id in GROUPS.items():
        api.group(chat_id, GROUP_TITLES[name], admins={PEOPLE["ada"].id}, members=members)


async def _lines(script: Path | None):  # type: ignore[no-untyped-def]
    if script is not None:
        for line in script.read_text(encoding="utf-8").splitlines():
            yield line, True
        return
    loop = asyncio.get_running_loop()
    piped = not sys.stdin.isatty()  # show piped input, as a transcript would
    while True:
        line = await loop.run_in_executor(None, sys.stdin.readline)
        if not line:  # Ctrl-D or a closed stdin
            return
        yield line.rstrip("\n"), piped


async def run_console(settings: Settings, *, demo: bool, script: Path | None) -> int:
    out = sys.stdout
    services = await Services.create(settings)
    api = LocalBotAPI(bot_username="crewbot_bot")
    await api.start()
    declare_cast(api)
    try:
        async with running_bot(settings, services, api) as driver:
            console = Console(driver, out)
            if demo:
                from bot.offline.demo import load_demo

                await load_demo(driver)
                console.printed = api.mark()
                print(DEMO_GREETING, file=out)
            elif script is None:
                print("crewbot console — :help lists directives; Ctrl-D quits.", file=out)
            async for line, echo in _lines(script):
                if echo:
                    if line.startswith("<"):
                        console.expect(line[1:].strip())
                        continue
                    if line.startswith("#") or not line.strip():
                        continue
                    print(f"{console.person.name} @ {console.chat}> {line}", file=out)
                await console.handle(line)
            return 1 if console.failures else 0
    finally:
        await api.stop()
        await services.close()


async def main(settings: Settings, *, demo: bool, script: Path | None) -> int:
    # The console never touches the production database: it works on a fresh one each run,
    # with Ada as the bot admin.
    with tempfile.TemporaryDirectory(prefix="crewbot-console-") as folder:
        local = settings.model_copy(
            update={
                "database_path": Path(folder) / "console.sqlite3",
                "admin_ids": frozenset({PEOPLE["ada"].id}),
            }
        )
        return await run_console(local, demo=demo, script=script)
