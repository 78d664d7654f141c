"""`python -m bot console`: chat with the real bot in the terminal, offline.

The real Application polls an in-process Bot API stand-in over loopback HTTP
(bot/offline/local_api.py), so what you see here is what Telegram users would see: every message
the bot sends or edits, wherever it goes and whenever (the scheduler too), and the alert or
notice a button press gets. A line is a message sent as the current person in the current chat,
except directives:

  :as <name>          become that person (ada is a bot admin; a new name makes a new person)
  :in <chat>          dm, or a group: bd, ads, sharers, managers, other (not registered)
  :press <button>     press a button on the bot's latest message in this chat that has it
  :reply <who> <text> send <text> as a reply to the latest message here of <who>
                      (a person's name, or bot), e.g. :reply bob /grant bd
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
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TextIO

from bot.config import Settings, parse_duration
from bot.offline.cast import GROUPS, OTHER, PEOPLE, Person, declare_cast
from bot.offline.driver import Driver, running_bot
from bot.offline.local_api import LocalBotAPI, SentMessage
from bot.services import Services

HELP = __doc__.split("except directives:", 1)[1].split("In a script", 1)[0].rstrip()
DEMO_GREETING = """Demo data loaded: four groups registered, roles granted, six creators with
samples in every stage, four sharers with this and last month's orders. You are ada (bot admin) in a
private chat. Try:
  :as bob        :in bd     /pipeline all     /creator lily     :wait 2d
  :as eve        :in dm     /me               /commission       /top
  :as ada        :in dm     /rules            /help
:help lists the directives; Ctrl-D quits."""


class Typo(Exception):
    """A directive the console cannot carry out: one line of explanation, then the next line."""


class Console:
    def __init__(self, driver: Driver, out: TextIO) -> None:
        self.driver = driver
        self.api: LocalBotAPI = driver.api
        self.out = out
        self.who = "ada"
        self.chat = "dm"
        self.printed = self.api.mark()
        self.alerts_seen = set(self.api.answers)
        self.last_answer: list[SentMessage] = []
        self.failures = 0
        self._next_id = 100

    @property
    def person(self) -> Person:
        return PEOPLE[self.who]

    @property
    def prompt(self) -> str:
        return f"{self.who} @ {self.chat}> "

    def chat_id(self, name: str | None = None) -> int:
        name = name or self.chat
        if name == OTHER[0]:
            return OTHER[1]
        return self.person.id if name == "dm" else GROUPS[name]

    def label(self, chat_id: int) -> str:
        for name, group_id in [*GROUPS.items(), OTHER[:2]]:
            if group_id == chat_id:
                return name
        for person in PEOPLE.values():
            if person.id == chat_id:
                return f"dm {person.name}"
        return str(chat_id)

    def show_new(self) -> None:
        """Print what the bot sent or edited since the last look, and new button answers."""
        fresh = sorted((m for m in self.api.sent if m.seq > self.printed), key=lambda m: m.seq)
        for message in fresh:
            self.show(message)
        self.printed = max([self.printed, *(m.seq for m in fresh)])
        for query_id, answer in list(self.api.answers.items()):
            if query_id not in self.alerts_seen:
                self.alerts_seen.add(query_id)
                if answer.get("text"):
                    kind = "alert" if answer.get("show_alert") else "notice"
                    print(f"  [{kind}] {answer['text']}", file=self.out)

    def show(self, message: SentMessage) -> None:
        edited = " (deleted)" if message.deleted else " (edited)" if message.edits else ""
        head = f"[{self.label(message.chat_id)}] crewbot{edited}:"
        body = message.text or ""
        if message.document:
            body += f"\n📎 {message.document[0]} ({len(message.document[1])} bytes)"
        if message.photo:
            body += f"\n🖼 chart ({len(message.photo)} bytes)"
        print(head, body.replace("\n", "\n    "), file=self.out)
        for row in message.buttons:
            print("    " + " ".join(f"[{text}]" for text, _ in row), file=self.out)

    async def handle(self, line: str) -> None:
        line = line.strip()
        if not line:
            return
        try:
            if line.startswith(":"):
                word, _, rest = line[1:].partition(" ")
                await self.directive(word.lower(), rest.strip())
            else:
                self.answered(await self.driver.say(self.person.id, self.chat_id(), line))
        except Typo as typo:
            self.say(str(typo))
        except TimeoutError as exc:  # the bot is stuck: say so, and keep the session
            self.say(f"no answer: {exc}")
        self.show_new()

    def answered(self, messages: list[SentMessage]) -> None:
        self.last_answer = messages

    async def directive(self, word: str, rest: str) -> None:
        if word == "as":
            self.become(rest)
        elif word == "in":
            self.enter(rest)
        elif word == "press":
            await self.press(rest)
        elif word == "reply":
            await self.reply(rest)
        elif word == "wait":
            try:
                delta = parse_duration(rest)
            except ValueError:
                raise Typo(f"{rest!r} is not a duration like 2d, 3h or 30m") from None
            self.answered(await self.driver.wait(delta))
        elif word == "upload":
            await self.upload(rest)
        elif word == "help":
            self.say(HELP)
            self.say("people: " + ", ".join(f"{k} ({p.about})" for k, p in PEOPLE.items()))
        else:
            raise Typo(f"unknown directive :{word} — try :help")

    def become(self, name: str) -> None:
        key = name.strip().lower()
        if not key or " " in key:
            raise Typo("say who: :as <name>, e.g. :as bob")
        if key not in PEOPLE:
            self._next_id += 1
            PEOPLE[key] = Person(self._next_id, name.strip(), "zh-hans", "newcomer")
            self.api.user(self._next_id, name.strip(), username=key)
            for group_id in [*GROUPS.values(), OTHER[1]]:
                self.api.chat(group_id).members.add(self._next_id)
        self.who = key
        self.say(f"you are {key} ({self.person.name}, {self.person.about})")

    def enter(self, name: str) -> None:
        name = name.strip().lower()
        if name != "dm" and name != OTHER[0] and name not in GROUPS:
            raise Typo(f"unknown chat {name!r}: dm, {', '.join(GROUPS)}, {OTHER[0]}")
        self.chat = name
        where = (
            "your private chat with the bot"
            if name == "dm"
            else self.api.chat(self.chat_id()).title
        )
        self.say(f"in {name} ({where})")

    async def press(self, button: str) -> None:
        if not button:
            raise Typo("say which button: :press <button text>")
        try:
            sent = await self.driver.press(self.person.id, self.chat_id(), button)
        except (LookupError, ValueError) as exc:
            offered = self._buttons_here()
            hint = f"; buttons here: {offered}" if offered else "; no message here has buttons"
            raise Typo(f"no button [{button}] in {self.chat}{hint}") from exc
        self.say(f"{self.who} pressed [{button}]")
        self.answered(sent)

    def _buttons_here(self) -> str:
        for message in reversed(self.api.sent_to(self.chat_id())):
            if message.buttons and not message.deleted:
                return " ".join(f"[{text}]" for text in message.button_texts)
        return ""

    async def reply(self, rest: str) -> None:
        who, _, text = rest.partition(" ")
        who, text = who.lower(), text.strip()
        if not who or not text:
            raise Typo("say whom and what: :reply <person|bot> <text>, e.g. :reply bob /grant bd")
        chat_id = self.chat_id()
        if who == "bot":
            target: object = self.api.last(chat_id)
        elif who in PEOPLE:
            target = self.driver.last_said.get((PEOPLE[who].id, chat_id))
        else:
            raise Typo(f"unknown person {who!r}: {', '.join(PEOPLE)} or bot")
        if target is None:
            raise Typo(f"{who} has written nothing in {self.chat} yet")
        sent = await self.driver.say(self.person.id, chat_id, text, reply_to=target)
        self.answered(sent)

    async def upload(self, rest: str) -> None:
        try:
            parts = shlex.split(rest)
        except ValueError as exc:
            raise Typo(f"cannot read {rest!r}: {exc}") from None
        if not parts:
            raise Typo("say which file: :upload <file> [caption]")
        path = Path(parts[0]).expanduser()
        if not path.is_file():
            raise Typo(f"no file {str(path)!r}")
        caption = " ".join(parts[1:]) or "/import"
        sent = await self.driver.upload(
            self.person.id, self.chat_id(), path.read_bytes(), path.name, caption
        )
        self.answered(sent)

    def say(self, text: str) -> None:
        print(f"  ({text})", file=self.out)

    def expect(self, text: str) -> None:
        if not any(text in m.text for m in self.last_answer):
            self.failures += 1
            print(f"!! expected {text!r} in the answer", file=self.out)


async def _lines(script: Path | None, console: Console):  # type: ignore[no-untyped-def]
    """(line, echo): a script's lines, or stdin's; a terminal gets a prompt instead of echo."""
    if script is not None:
        for line in script.read_text(encoding="utf-8").splitlines():
            yield line, True
        return
    loop = asyncio.get_running_loop()
    interactive = sys.stdin.isatty()
    while True:
        if interactive:
            console.show_new()  # what the scheduler sent while you were typing
            print(console.prompt, end="", file=console.out, flush=True)
        line = await loop.run_in_executor(None, sys.stdin.readline)
        if not line:  # Ctrl-D or a closed stdin
            return
        yield line.rstrip("\n"), not interactive


@asynccontextmanager
async def cast_bot(settings: Settings) -> AsyncIterator[tuple[Driver, LocalBotAPI]]:
    """The bot on a fresh local Bot API that knows the cast (bot.offline.cast): what the
    console runs, and what a test that wants the demo data starts."""
    services = await Services.create(settings)
    api = LocalBotAPI(bot_username="crewbot_bot")
    await api.start()
    declare_cast(api)
    try:
        async with running_bot(settings, services, api) as driver:
            yield driver, api
    finally:
        await api.stop()
        await services.close()


async def run_console(settings: Settings, *, demo: bool, script: Path | None) -> int:
    out = sys.stdout
    async with cast_bot(settings) as (driver, api):
        console = Console(driver, out)
        if demo:
            from bot.offline.demo import load_demo

            await load_demo(driver)
            console.printed = api.mark()
            console.alerts_seen = set(api.answers)
            print(DEMO_GREETING, file=out)
        elif script is None:
            print("crewbot console — :help lists directives; Ctrl-D quits.", file=out)
        async for line, transcript in _lines(script, console):
            # Typed at a terminal, "<b>…" and "#2" are messages; in a transcript, an
            # expectation and a comment.
            if transcript and line.startswith("<"):
                console.expect(line[1:].strip())
                continue
            if (transcript and line.startswith("#")) or not line.strip():
                continue
            if transcript:
                print(f"{console.prompt}{line}", file=out)
            await console.handle(line)
        return 1 if console.failures else 0


async def main(settings: Settings, *, demo: bool, script: Path | None) -> int:
    # The console never touches the production database: it works on a fresh one each run,
    # with Ada as the bot admin.
    with tempfile.TemporaryDirectory(prefix="crewbot-console-") as folder:
        local = settings.model_copy(
            update={
                "database_path": Path(folder) / "console.sqlite3",
                "database_url": None,  # DATABASE_URL would win over the path
                "admin_ids": frozenset({PEOPLE["ada"].id}),
            }
        )
        return await run_console(local, demo=demo, script=script)
