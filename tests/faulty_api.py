"""The local Bot API stand-in answering chosen calls the ways Telegram and the network fail.

`FaultyBotAPI.fault(kind, method=..., chats=..., times=...)` makes the next `times` matching
calls (None: every one) fail as `kind`:
- "flood":        429 Too Many Requests with parameters.retry_after (`retry_after`);
- "server":       500 Internal Server Error (`status` for another 5xx);
- "drop_before":  the connection closed before the call is processed: nothing is stored;
- "drop_after":   the call is processed — the message stored, as Telegram would — and then
                  the connection closed without an answer;
- "blocked":      403 Forbidden: bot was blocked by the user;
- "migrated":     400 group chat was upgraded to a supergroup chat with
                  parameters.migrate_to_chat_id (`to`).

From the bot's side both drops look the same (no answer after the request went out), which is
the point: it cannot know whether the message arrived. `upgrade_quietly` upgrades a group
without the service messages, so the bot learns of it only from a send's error.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field

from aiohttp import web

from bot.offline.local_api import Chat, LocalBotAPI
from bot.offline.local_api_models import ApiCall, ApiError

KINDS = ("flood", "server", "drop_before", "drop_after", "blocked", "migrated")


@dataclass
class Fault:
    kind: str
    method: str  # lower case; "*" for every call but getUpdates
    chats: frozenset[int] | None  # None: any chat (or none)
    times: int | None
    retry_after: int = 1
    status: int = 500
    to: int | None = None
    hits: list[int | None] = field(default_factory=list)  # chat id of each call it answered

    def matches(self, method: str, chat_id: int | None) -> bool:
        if self.times is not None and len(self.hits) >= self.times:
            return False
        if self.method not in ("*", method):
            return False
        return self.chats is None or chat_id in self.chats


class FaultyBotAPI(LocalBotAPI):
    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.faults: list[Fault] = []
        self.dropped: list[tuple[str, int | None, str]] = []  # (method, chat id, before|after)

    def fault(
        self,
        kind: str,
        *,
        method: str = "sendMessage",
        chats: set[int] | None = None,
        times: int | None = 1,
        retry_after: int = 1,
        status: int = 500,
        to: int | None = None,
    ) -> Fault:
        if kind not in KINDS:
            raise ValueError(f"unknown fault {kind!r}; one of {KINDS}")
        if kind == "migrated" and to is None:
            raise ValueError("a migrated fault needs the supergroup's id (to=)")
        chosen = frozenset(chats) if chats is not None else None
        made = Fault(kind, method.lower(), chosen, times, retry_after, status, to)
        self.faults.append(made)
        return made

    def upgrade_quietly(self, old_chat_id: int, new_chat_id: int) -> Chat:
        """The group becomes a supergroup; no service message reaches the bot."""
        old = self.chat(old_chat_id)
        new = Chat(new_chat_id, "supergroup", old.title, creator=old.creator)
        new.admins, new.members = set(old.admins), set(old.members)
        self.chats[new_chat_id] = new
        old.migrated_to = new_chat_id
        return new

    async def _handle_api(self, request: web.Request) -> web.Response:
        name = request.match_info["method"].lower()
        if name == "getupdates" or not self.faults:
            return await super()._handle_api(request)
        # Read here to find the chat; aiohttp keeps what it parsed for the stand-in's own read.
        chat_id = await _chat_id(request)
        request = _Reread(request)  # type: ignore[assignment]
        fault = next((f for f in self.faults if f.matches(name, chat_id)), None)
        if fault is None:
            return await super()._handle_api(request)
        fault.hits.append(chat_id)
        if fault.kind == "drop_before":
            self._calls.append(ApiCall(request.match_info["method"], {}, {}, at=self._clock()))
            return self._hang_up(request, name, chat_id, "before")
        if fault.kind == "drop_after":
            answer = await super()._handle_api(request)
            return self._hang_up(request, name, chat_id, "after", answer)
        error = _error(fault)
        call = ApiCall(request.match_info["method"], {}, {}, at=self._clock())
        call.error = error.description
        self._calls.append(call)
        return web.json_response(error.payload(), status=error.code)

    def _hang_up(
        self,
        request: web.Request,
        name: str,
        chat_id: int | None,
        when: str,
        answer: web.Response | None = None,
    ) -> web.Response:
        self.dropped.append((name, chat_id, when))
        if request.transport is not None:
            request.transport.abort()
        # Nobody reads this: the socket is gone.
        return answer or web.Response(status=500)


class _Reread:
    """A request whose body was read already: aiohttp caches the parsed body, but then says
    there is none left to read."""

    def __init__(self, request: web.Request) -> None:
        self._request = request
        self.can_read_body = request.method == "POST"

    def __getattr__(self, name: str) -> object:
        return getattr(self._request, name)


def _error(fault: Fault) -> ApiError:
    return {
        "flood": lambda: ApiError(
            429,
            f"Too Many Requests: retry after {fault.retry_after}",
            {"retry_after": fault.retry_after},
        ),
        "server": lambda: ApiError(fault.status, "Internal Server Error"),
        "blocked": lambda: ApiError(403, "Forbidden: bot was blocked by the user"),
        "migrated": lambda: ApiError(
            400,
            "Bad Request: group chat was upgraded to a supergroup chat",
            {"migrate_to_chat_id": fault.to},
        ),
    }[fault.kind]()


async def _chat_id(request: web.Request) -> int | None:
    raw: object = request.query.get("chat_id")
    if raw is None and request.method == "POST" and request.can_read_body:
        if request.content_type == "application/json":
            with contextlib.suppress(ValueError):
                body = await request.json()
                raw = body.get("chat_id") if isinstance(body, dict) else None
        else:
            raw = (await request.post()).get("chat_id")
    try:
        return int(raw)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
