"""An in-process Telegram Bot API stand-in, for the e2e tests and the offline console.

Like python-telegram-bot's own tests, we replace the HTTP layer rather than the Bot's methods:
the real `Application` talks HTTP to this aiohttp server (`Bot(token, base_url=api.base_url)`),
so request encoding, response parsing and error mapping are all exercised for real.

Two faces:
- the Bot API side (`/bot{token}/{method}`, `/file/bot{token}/{path}`) that the bot calls;
- the people side (plain methods): `user`, `group`, `send_message`, `send_document`, `press`,
  ... enqueue updates, and `sent`, `last`, `wait_for`, `settle` let a test or the console see
  what the bot did once it has finished reacting.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import json
import logging
import mimetypes
import time
from collections.abc import Callable, Iterable
from typing import Any

from aiohttp import web

from bot.offline.local_api_methods import BotApiMethods, Handler, shallow
from bot.offline.local_api_models import (
    ApiCall,
    ApiError,
    Chat,
    Fault,
    Files,
    JSONDict,
    LimitExceeded,
    SentMessage,
    StoredFile,
    User,
    bad_request,
    button_texts_of,
    command_entities,
    decode_value,
    scope_key,
)

__all__ = ["ApiCall", "ApiError", "Chat", "LocalBotAPI", "SentMessage", "User"]

log = logging.getLogger(__name__)

BOT_ID = 10**9 + 1
ChatRef = Chat | User | int
MessageRef = SentMessage | JSONDict | int
# Telegram leaves these out unless a bot asks for them by name in allowed_updates.
_OPT_IN_UPDATES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})


class LocalBotAPI(BotApiMethods):
    """A Bot API server on loopback plus the hooks to play the people talking to the bot."""

    def __init__(
        self,
        bot_username: str = "crewbot_bot",
        *,
        bot_id: int = BOT_ID,
        bot_name: str = "crewbot",
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.bot_username = bot_username
        self.bot_id = bot_id
        self._bot_user: JSONDict = {
            "id": bot_id,
            "is_bot": True,
            "first_name": bot_name,
            "username": bot_username,
        }
        self._clock = clock
        self.users: dict[int, User] = {}
        self.chats: dict[int, Chat] = {}
        self.sent: list[SentMessage] = []
        self.commands: dict[tuple[str, str], list[JSONDict]] = {}
        self.menu_buttons: dict[int | None, JSONDict] = {}
        self.answers: dict[str, JSONDict] = {}  # callback query id -> answerCallbackQuery params
        # Calls refused for going beyond Telegram's limits (see LimitExceeded).
        self.violations: list[ApiCall] = []
        self.webhook_url = ""
        self._messages: dict[tuple[int, int], JSONDict] = {}
        self._by_id: dict[tuple[int, int], SentMessage] = {}
        self._next_message_id: dict[int, int] = {}
        self._files: dict[str, StoredFile] = {}
        self._calls: list[ApiCall] = []
        self._faults: dict[str, list[Fault]] = {}
        self._callback_queries: set[str] = set()
        # Updates: unconfirmed ones stay queued until a later getUpdates offset passes them.
        self._updates: list[JSONDict] = []
        self._next_update_id = 1
        self._delivered_upto = 0
        self.delivered: set[int] = set()  # update ids handed to the bot by getUpdates
        self._allowed: frozenset[str] | None = None
        self._poll_generation = 0
        # One-shot events, replaced after each `set()`, so every waiter sees every change.
        self._update_event = asyncio.Event()
        self._change_event = asyncio.Event()
        self._seq = 0
        self._inflight = 0
        self._last_activity = 0.0
        self._closing = False
        self._counter = 0
        self._listeners: list[Callable[[SentMessage], None]] = []
        self._runner: web.AppRunner | None = None
        self._host = "127.0.0.1"
        self.port = 0
        self._methods: dict[str, Handler] = {
            name.lower(): handler for name, handler in self._method_table().items()
        }

    # ---------------------------------------------------------------- lifecycle

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> None:
        app = web.Application(client_max_size=64 * 2**20)  # Bot API uploads go up to 50 MB
        app.router.add_route("*", "/bot{token}/{method}", self._handle_api)
        app.router.add_get("/file/bot{token}/{path:.+}", self._handle_file)
        # handler_cancellation: a long poll must end when the client hangs up (PTB cancels its
        # request on stop); a short shutdown_timeout keeps stop() quick whatever is in flight.
        self._runner = web.AppRunner(
            app, handler_cancellation=True, shutdown_timeout=1.0, access_log=None
        )
        await self._runner.setup()
        await web.TCPSite(self._runner, host, port).start()
        self._host = host
        self.port = self._runner.addresses[0][1]
        self._closing = False

    async def stop(self) -> None:
        self._closing = True
        self._wake_pollers()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> LocalBotAPI:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    @property
    def base_url(self) -> str:
        return f"http://{self._host}:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        return f"http://{self._host}:{self.port}/file/bot"

    # ---------------------------------------------------------------- people and chats

    def user(
        self,
        user_id: int,
        first_name: str,
        *,
        username: str | None = None,
        language_code: str | None = "zh-hans",
        last_name: str | None = None,
        started: bool = False,
    ) -> User:
        person = User(user_id, first_name, username, language_code, last_name, started)
        if user_id in self.users:  # keep blocked/started state of a re-declared person
            old = self.users[user_id]
            person.started, person.blocked = old.started or started, old.blocked
        self.users[user_id] = person
        if user_id in self.chats:
            self.chats[user_id].user = person
        return person

    def group(
        self,
        chat_id: int,
        title: str,
        *,
        admins: Iterable[int] = (),
        members: Iterable[int] = (),
        creator: int | None = None,
        type: str = "supergroup",
        bot_is_admin: bool = True,
    ) -> Chat:
        if type not in ("group", "supergroup", "channel"):
            raise ValueError(f"not a group type: {type!r}")
        chat = Chat(chat_id, type, title, creator=creator, bot_is_admin=bot_is_admin)
        chat.admins, chat.members = set(admins), set(members)
        self.chats[chat_id] = chat
        return chat

    def set_admin(self, chat_id: int, user_id: int, is_admin: bool = True) -> None:
        chat = self.chats[chat_id]
        if is_admin:
            chat.admins.add(user_id)
        else:
            chat.admins.discard(user_id)
        chat.members.add(user_id)

    def block(self, user_id: int, blocked: bool = True) -> None:
        self.users[user_id].blocked = blocked

    def chat(self, ref: ChatRef) -> Chat:
        """The Chat for a Chat, a User (their private chat) or an id."""
        if isinstance(ref, Chat):
            return ref
        chat_id = ref.id if isinstance(ref, User) else ref
        if chat_id not in self.chats and chat_id in self.users:
            self.chats[chat_id] = Chat(chat_id, "private", user=self.users[chat_id])
        if chat_id not in self.chats:
            raise LookupError(f"unknown chat {chat_id}: declare it with api.group() or api.user()")
        return self.chats[chat_id]

    # ---------------------------------------------------------------- incoming updates

    def send_message(
        self, user: User | int, chat: ChatRef, text: str, *, reply_to: MessageRef | None = None
    ) -> JSONDict:
        """A person writes `text` in `chat`; returns the message (usable as `reply_to`)."""
        msg = self._incoming(user, chat, reply_to)
        msg["text"] = text
        if entities := command_entities(text):
            msg["entities"] = entities
        self._enqueue("message", msg)
        return msg

    def send_document(
        self,
        user: User | int,
        chat: ChatRef,
        data: bytes,
        filename: str,
        *,
        caption: str | None = None,
        mime_type: str | None = None,
    ) -> JSONDict:
        msg = self._incoming(user, chat, None)
        mime = mime_type or mimetypes.guess_type(filename)[0] or "application/octet-stream"
        msg["document"] = self._store_file(data, filename, mime, "documents").document_dict()
        if caption:
            msg["caption"] = caption
            if entities := command_entities(caption):
                msg["caption_entities"] = entities
        self._enqueue("message", msg)
        return msg

    def press(self, user: User | int, target: MessageRef | ChatRef, button_text: str) -> JSONDict:
        """Press an inline button on a bot message (or the latest one in a chat that has it).

        Returns the update. A reply-keyboard button is "pressed" by sending its text.
        """
        person = self._person(user)
        msg = self._find_button_message(target, button_text)
        for row in msg.get("reply_markup", {}).get("inline_keyboard", []):
            for button in row:
                if button["text"] != button_text:
                    continue
                if "callback_data" not in button:
                    raise ValueError(f"button {button_text!r} is not a callback button: {button}")
                query_id = str(self._next_counter())
                self._callback_queries.add(query_id)
                query = {
                    "id": query_id,
                    "from": person.to_dict(),
                    "message": copy.deepcopy(msg),
                    "chat_instance": str(msg["chat"]["id"]),
                    "data": button["callback_data"],
                }
                return self._enqueue("callback_query", query)
        # Only a reply keyboard can be left: pressing it sends the text as a message.
        self.send_message(person, msg["chat"]["id"], button_text)
        return self._updates[-1]

    def answer_for(self, update: JSONDict) -> JSONDict | None:
        """What the bot answered (answerCallbackQuery params) to a `press()` update."""
        return self.answers.get(update["callback_query"]["id"])

    def add_member(
        self, chat: ChatRef, user: User | int, *, by: User | int | None = None
    ) -> JSONDict:
        person = self._person(user)
        msg = self._incoming(by if by is not None else person, chat, None)
        msg["new_chat_members"] = [person.to_dict()]
        self.chat(chat).members.add(person.id)
        self._enqueue("message", msg)
        return msg

    def remove_member(self, chat: ChatRef, user: User | int) -> JSONDict:
        person = self._person(user)
        msg = self._incoming(person, chat, None)
        msg["left_chat_member"] = person.to_dict()
        target = self.chat(chat)
        target.members.discard(person.id)
        target.admins.discard(person.id)
        self._enqueue("message", msg)
        return msg

    def migrate_chat(self, old_chat_id: int, new_chat_id: int) -> tuple[JSONDict, JSONDict]:
        """Upgrade a group to a supergroup; returns (migrate_to msg, migrate_from msg)."""
        old = self.chat(old_chat_id)
        if old.type != "group":
            raise ValueError(f"only a basic group can migrate, {old_chat_id} is {old.type}")
        new = Chat(new_chat_id, "supergroup", old.title, creator=old.creator)
        new.admins, new.members, new.bot_is_admin = set(old.admins), set(old.members), True
        self.chats[new_chat_id] = new
        actor = old.creator or next(iter(sorted(old.admins)), None)
        sender = {"from": self._person(actor).to_dict()} if actor in self.users else {}
        to_msg = self._message_stub(old) | sender | {"migrate_to_chat_id": new_chat_id}
        old.migrated_to = new_chat_id
        from_msg = self._message_stub(new) | sender | {"migrate_from_chat_id": old_chat_id}
        self._enqueue("message", to_msg)
        self._enqueue("message", from_msg)
        return to_msg, from_msg

    # ---------------------------------------------------------------- what the bot did

    def sent_to(self, chat: ChatRef) -> list[SentMessage]:
        chat_id = chat if isinstance(chat, int) else chat.id
        return [m for m in self.sent if m.chat_id == chat_id]

    def last(self, chat: ChatRef) -> SentMessage | None:
        messages = self.sent_to(chat)
        return messages[-1] if messages else None

    def calls(self, method: str | None = None) -> list[ApiCall]:
        if method is None:
            return list(self._calls)
        return [c for c in self._calls if c.method.lower() == method.lower()]

    def commands_for(
        self, scope_type: str = "default", language_code: str = "", **scope: Any
    ) -> list[JSONDict] | None:
        """What setMyCommands stored for a scope, e.g. commands_for("chat", chat_id=-100)."""
        return self.commands.get((scope_key({"type": scope_type, **scope}), language_code))

    def file(self, file_id: str) -> StoredFile:
        return self._files[file_id]

    def subscribe(self, listener: Callable[[SentMessage], None]) -> Callable[[], None]:
        """Call `listener` on every send, edit or delete (e.g. the console printing live);
        returns the function that unsubscribes it."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    def mark(self) -> int:
        """A point in the record; `wait_for(..., since=mark)` only looks at later changes."""
        return self._seq

    def reset_record(self) -> None:
        self.sent.clear()
        self._calls.clear()
        self.answers.clear()
        self.violations.clear()

    async def wait_for(
        self,
        predicate: Callable[[SentMessage], bool] | str,
        *,
        since: int | None = None,
        timeout: float = 5.0,
    ) -> SentMessage:
        """The first sent (or edited, after `since`) message matching; a str matches text."""
        match = predicate if callable(predicate) else (lambda m: predicate in m.text)
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            for message in self.sent:
                fresh = since is None or message.seq > since
                if fresh and not message.deleted and match(message):
                    return message
            remaining = deadline - asyncio.get_running_loop().time()
            if remaining <= 0:
                recent = [(m.chat_id, m.text[:60]) for m in self.sent[-5:]]
                raise TimeoutError(f"no matching message after {timeout}s; last sent: {recent}")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._change_event.wait(), remaining)

    async def settle(
        self,
        quiet: float = 0.05,
        timeout: float = 10.0,
        *,
        idle: Callable[[], bool] | None = None,
    ) -> None:
        """Return once the bot has fetched every queued update and gone quiet.

        Quiet means no Bot API call other than getUpdates in flight or started/finished for
        `quiet` seconds (a delivered batch of updates counts as activity too, so the handlers
        get their chance to start). `idle` is an extra condition, e.g. an outbox being empty.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            now = loop.time()
            fetched = all(u["update_id"] <= self._delivered_upto for u in self._updates)
            quiet_enough = self._inflight == 0 and now - self._last_activity >= quiet
            if fetched and quiet_enough and (idle is None or idle()):
                return
            if now >= deadline:
                waiting = sum(u["update_id"] > self._delivered_upto for u in self._updates)
                raise TimeoutError(
                    f"bot not settled after {timeout}s: {waiting} update(s) never fetched "
                    f"(is it polling?), {self._inflight} call(s) in flight"
                )
            await asyncio.sleep(max(quiet / 5, 0.005))

    # ---------------------------------------------------------------- fault injection

    def fail(
        self,
        method: str,
        status: int = 500,
        description: str = "Internal Server Error",
        times: int | None = None,
        *,
        parameters: JSONDict | None = None,
    ) -> None:
        """Make `method` ("*" = any but getUpdates) fail for the next `times` calls (None: all)."""
        fault = Fault(status, description, parameters, times)
        self._faults.setdefault(method.lower(), []).append(fault)

    def retry_after(self, method: str, seconds: int, times: int = 1) -> None:
        self.fail(
            method,
            429,
            f"Too Many Requests: retry after {seconds}",
            times,
            parameters={"retry_after": seconds},
        )

    def clear_faults(self) -> None:
        self._faults.clear()

    # ---------------------------------------------------------------- HTTP

    async def _handle_api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        name = method.lower()
        polling = name == "getupdates"
        call = ApiCall(method, {}, {}, at=self._clock())
        self._calls.append(call)
        if not polling:
            self._inflight += 1
            self._touch()
        try:
            call.params, call.files = await _read_params(request)
            self._inject_fault(name, polling)
            handler = self._methods.get(name)
            if handler is None:
                log.warning("local Bot API: unknown method %s", method)
                raise ApiError(404, "Not Found")
            result = await handler(call.params, call.files)
        except ApiError as err:
            call.error = err.description
            if isinstance(err, LimitExceeded):
                self.violations.append(call)
                log.warning("local Bot API: %s refused: %s", method, err.description)
            return web.json_response(err.payload(), status=err.code)
        except Exception as exc:  # a bug in the stand-in must not look like a Telegram answer
            log.exception("local Bot API: %s failed", method)
            call.error = f"Internal Server Error: {exc!r}"
            return web.json_response(ApiError(500, call.error).payload(), status=500)
        finally:
            if not polling:
                self._inflight -= 1
                self._touch()
        return web.json_response({"ok": True, "result": result}, dumps=_dumps)

    async def _handle_file(self, request: web.Request) -> web.Response:
        path = request.match_info["path"]
        for stored in self._files.values():
            if stored.file_path == path:
                return web.Response(body=stored.data, content_type="application/octet-stream")
        return web.json_response(ApiError(404, "Not Found").payload(), status=404)

    def _inject_fault(self, name: str, polling: bool) -> None:
        queues = [self._faults.get(name, [])]
        if not polling:
            queues.append(self._faults.get("*", []))
        for queue in queues:
            if queue:
                fault = queue[0]
                if fault.remaining is not None:
                    fault.remaining -= 1
                    if fault.remaining <= 0:
                        queue.pop(0)
                raise ApiError(fault.status, fault.description, fault.parameters)

    # ---------------------------------------------------------------- internals

    def _store_file(
        self, data: bytes, filename: str | None, mime: str | None, folder: str
    ) -> StoredFile:
        n = self._next_counter()
        suffix = (filename or "").rpartition(".")[2] if "." in (filename or "") else "bin"
        stored = StoredFile(
            file_id=f"local-file-{n}",
            file_unique_id=f"local-u{n}",
            data=data,
            filename=filename,
            mime_type=mime,
            file_path=f"{folder}/file_{n}.{suffix}",
        )
        self._files[stored.file_id] = stored
        return stored

    def _incoming(self, user: User | int, chat: ChatRef, reply_to: MessageRef | None) -> JSONDict:
        person = self._person(user)
        target = self.chat(chat)
        if target.migrated_to is not None:
            raise ValueError(f"chat {target.id} migrated to {target.migrated_to}")
        if target.type == "private":
            person.started = True
        else:
            target.members.add(person.id)
        msg = self._message_stub(target) | {"from": person.to_dict()}
        if reply_to is not None:
            msg["reply_to_message"] = shallow(self._resolve_message(reply_to, target.id))
        return msg

    def _message_stub(self, chat: Chat) -> JSONDict:
        message_id = self._next_message_id.get(chat.id, 1)
        self._next_message_id[chat.id] = message_id + 1
        return {"message_id": message_id, "date": int(self._clock()), "chat": chat.to_dict()}

    def _enqueue(self, kind: str, payload: JSONDict) -> JSONDict:
        if kind == "message":
            self._messages[(payload["chat"]["id"], payload["message_id"])] = payload
        update = {"update_id": self._next_update_id, kind: payload}
        self._next_update_id += 1
        self._updates.append(update)
        self._wake_pollers()
        return update

    def _resolve_message(self, ref: MessageRef, chat_id: int) -> JSONDict:
        if isinstance(ref, SentMessage):
            chat_id, message_id = ref.chat_id, ref.message_id
        elif isinstance(ref, dict):
            chat_id, message_id = ref["chat"]["id"], ref["message_id"]
        else:
            message_id = ref
        msg = self._messages.get((chat_id, message_id))
        if msg is None:
            raise LookupError(f"no message {message_id} in chat {chat_id} (deleted?)")
        return msg

    def _find_button_message(self, target: MessageRef | ChatRef, text: str) -> JSONDict:
        if isinstance(target, SentMessage | dict):
            msg = self._resolve_message(target, 0)
            if text in button_texts_of(msg, self._by_id):
                return msg
            raise LookupError(
                f"no button {text!r} on message {msg['message_id']}; "
                f"it has {button_texts_of(msg, self._by_id)}"
            )
        chat = self.chat(target)
        for sent in reversed(self.sent_to(chat)):
            msg = self._messages.get((sent.chat_id, sent.message_id))
            if msg is not None and text in button_texts_of(msg, self._by_id):
                return msg
        last = self.last(chat)
        offered = last.button_texts + [t for row in last.keyboard for t in row] if last else []
        raise LookupError(
            f"no bot message in chat {chat.id} has a button {text!r}; last: {offered}"
        )

    def _person(self, user: User | int | None) -> User:
        if isinstance(user, User):
            return self.users.setdefault(user.id, user)
        if user not in self.users:
            raise LookupError(f"unknown user {user}: declare it with api.user()")
        return self.users[user]

    def _user_dict(self, user_id: int) -> JSONDict:
        if user_id in self.users:
            return self.users[user_id].to_dict()
        return {"id": user_id, "is_bot": False, "first_name": str(user_id)}

    def _is_allowed(self, update: JSONDict) -> bool:
        kind = next(k for k in update if k != "update_id")
        if self._allowed is None:
            return kind not in _OPT_IN_UPDATES
        return kind in self._allowed

    def _wake_pollers(self) -> None:
        self._update_event.set()
        self._update_event = asyncio.Event()

    def _changed(self, sent: SentMessage) -> None:
        self._seq += 1
        sent.seq = self._seq
        for listener in list(self._listeners):
            listener(sent)
        self._change_event.set()
        self._change_event = asyncio.Event()

    def _touch(self) -> None:
        with contextlib.suppress(RuntimeError):  # no running loop: nothing can be waiting
            self._last_activity = asyncio.get_running_loop().time()

    def _next_counter(self) -> int:
        self._counter += 1
        return self._counter


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


async def _read_params(request: web.Request) -> tuple[JSONDict, Files]:
    """Query string, then form / multipart / JSON body, decoded to Bot API values."""
    raw: dict[str, Any] = dict(request.query)
    files: Files = {}
    if request.method == "POST" and request.can_read_body:
        if request.content_type == "application/json":
            try:
                body = await request.json()
            except ValueError as exc:
                raise bad_request("can't parse JSON request body") from exc
            if not isinstance(body, dict):
                raise bad_request("the request body must be a JSON object")
            raw.update(body)
        else:
            for key, value in (await request.post()).items():
                if isinstance(value, web.FileField):
                    files[key] = (value.filename, value.file.read())
                else:
                    raw[key] = value
    return {key: decode_value(key, value) for key, value in raw.items()}, files
