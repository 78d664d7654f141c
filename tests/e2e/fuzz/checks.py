"""Run one action against the world and say what went wrong, in words a person can route.

The properties, for every action:
- a command, a button press, a file with a command caption and anything written in a private
  chat gets an answer (a message, an edit or a callback answer);
- no internal error: no "Something went wrong (ref …)" in any language, nothing logged at
  ERROR, the bot never hangs;
- the Bot API stand-in refused nothing: no text, caption, button or alert over Telegram's
  limits (api.violations), no HTML Telegram cannot parse, no edit of a missing message;
- BD data stays in BD places: in the sharers' group and in an unregistered group (by their
  purpose at that moment: a random /setup may move purposes) the bot posts no file and names
  no creator the asker did not name (or the message did not name before an edit);
- no sharer's commission in a group: the figures each bound sharer's private statements show
  (and no public answer shows: valid sales on the boards, thresholds in /rules) never appear in
  a message to a group. Leaderboards showing valid sales in a group are allowed (SPEC §3 /top).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import timedelta

from bot.offline.demo_pipeline import CREATORS
from bot.offline.local_api import SentMessage
from tests.e2e.fuzz.inputs import Press, Say, Upload, Wait
from tests.e2e.fuzz.world import PERSONAS, World, amounts

# The start of "Something went wrong (ref {ref})…" in each language (locales/src/core.py).
INTERNAL_ERRORS = ("Something went wrong (ref", "出错了（编号", "出錯了（編號")
# The demo's creators: a BD secret outside the BD and managers' chats.
HANDLES = [line.split()[0] for lines in CREATORS.values() for line in lines]
NOT_FOR_BD_DATA = ("sharers", None)  # chat purposes


@dataclass
class Outcome:
    action: Say | Press | Upload | Wait
    problems: list[tuple[str, str]] = field(default_factory=list)  # (kind, detail)
    sent: list[SentMessage] = field(default_factory=list)
    pressed: str = ""  # for a press: the button's label, callback data and message
    button_data: str = ""

    def problem(self, kind: str, detail: str) -> None:
        self.problems.append((kind, detail))

    @property
    def subject(self) -> str:
        """What a failure is about: the command's name or the pressed button's data prefix."""
        action = self.action
        if isinstance(action, Say):
            first = action.text.split()[0] if action.text.split() else ""
            return first.partition("@")[0] if first.startswith("/") else "text"
        if isinstance(action, Upload):
            return "file " + (action.caption.split() or [""])[0].partition("@")[0]
        return self.button_data.partition(":")[0] or type(action).__name__

    def __str__(self) -> str:
        head = f"{self.action}" + (f" → {self.pressed}" if self.pressed else "")
        return head + "".join(f"\n  {kind}: {detail}" for kind, detail in self.problems)


class Recorder(logging.Handler):
    """Every ERROR logged while installed: the error handler logs each crash with its ref."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


# What Telegram marks as a bot command: "/" alone, or "/" and a space, is plain text in a group.
_COMMAND = re.compile(r"/[A-Za-z0-9_]")


def _is_command(text: str) -> bool:
    return _COMMAND.match(text) is not None


def perform(world: World, action: Say | Press | Upload | Wait, errors: Recorder) -> Outcome:
    api = world.api
    outcome = Outcome(action)
    violations, calls, logged = len(api.violations), len(api.calls()), len(errors.records)
    answered_before = set(api.answers)
    expect_answer = False
    try:
        if isinstance(action, Say):
            expect_answer = _is_command(action.text) or action.where == "dm"
            outcome.sent = world.say(PERSONAS[action.who], action.where, action.text)
        elif isinstance(action, Upload):
            expect_answer = _is_command(action.caption) or action.where == "dm"
            who = PERSONAS[action.who]
            chat_id = world.chat_id(who, action.where)
            upload = world.driver.upload(who, chat_id, action.data, action.filename, action.caption)
            outcome.sent = world.run(upload)
        elif isinstance(action, Press):
            expect_answer = _press(world, action, outcome)
        else:
            outcome.sent = world.run(world.driver.wait(timedelta(hours=action.hours)))
    except TimeoutError as exc:
        outcome.problem("hang", str(exc))
    answers = [api.answers[q] for q in api.answers if q not in answered_before]
    if expect_answer and not outcome.sent and not answers:
        outcome.problem("no answer", "nothing sent, edited or answered")
    texts = [m.text for m in outcome.sent] + [a.get("text") or "" for a in answers]
    for text in texts:
        if text.startswith(INTERNAL_ERRORS):
            outcome.problem("internal error", text)
    for record in errors.records[logged:]:
        kind = record.exc_info[0].__name__ if record.exc_info and record.exc_info[0] else ""
        outcome.problem("logged error", f"{record.name}: {kind} {_exc_text(record)}".strip())
    for call in api.violations[violations:]:
        outcome.problem("over the limit", f"{call.method}: {call.error}")
    for call in api.calls()[calls:]:
        if call.error and call not in api.violations and call.method != "getUpdates":
            outcome.problem("refused by Telegram", f"{call.method}: {call.error}")
    for message in outcome.sent:
        if message.chat_id < 0:
            group_message(world, outcome, message)
    return outcome


def group_message(world: World, outcome: Outcome, message: SentMessage) -> None:
    leaked = amounts(message.text) & world.private_figures
    if leaked:
        outcome.problem("commission in a group", f"{sorted(leaked)} in {message.text[:300]!r}")
    purpose = world.purpose(message.chat_id)
    if purpose not in NOT_FOR_BD_DATA:
        return
    where = f"{world.label(message.chat_id)} (registered as {purpose or 'nothing'})"
    if message.document:
        outcome.problem("BD data in the wrong chat", f"file {message.document[0]!r} in {where}")
    # An edit of a message posted before a /setup moved the chat's purpose says nothing new.
    seen = (outcome.action.text if isinstance(outcome.action, Say) else "") + "".join(
        message.history
    )
    for handle in HANDLES:
        named = re.compile(rf"(?<![\w@]){re.escape(handle)}(?!\w)")
        if named.search(message.text) and not named.search(seen):
            detail = f"creator {handle} named in {where}: {message.text[:200]!r}"
            outcome.problem("BD data in the wrong chat", detail)


def _press(world: World, action: Press, outcome: Outcome) -> bool:
    """Press a button this person can see: first a kind of button (its callback data up to the
    second colon, so that rare kinds come up as often as the scheduler's many reminders), then
    one of that kind, newest first."""
    who = PERSONAS[action.who]
    kinds: dict[str, list[tuple[SentMessage, str, str]]] = {}
    for message in world.pressable(who):
        for row in message.buttons:
            for label, data in row:
                if data:
                    kind = ":".join(data.split(":")[:2])
                    kinds.setdefault(kind, []).append((message, label, data))
    if not kinds:
        return False
    choices = kinds[sorted(kinds)[action.kind % len(kinds)]]
    message, label, data = choices[-1 - action.pick % len(choices)]
    outcome.button_data = data
    where = world.label(message.chat_id)
    outcome.pressed = f"[{label}] ({data}) in {where} on {message.text[:80]!r}"
    outcome.sent = world.run(world.driver.press(who, message, label))
    return True


def _exc_text(record: logging.LogRecord) -> str:
    if record.exc_info and record.exc_info[1] is not None:
        return str(record.exc_info[1])[:300]
    return record.getMessage()[:300]
