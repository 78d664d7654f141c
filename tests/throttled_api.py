"""The local Bot API stand-in with Telegram's flood limit: at most `limit` messages in any
sliding `window` seconds, counted on arrival, and a 429 with retry_after beyond it.

"Messages" are the calls that make or change one (send…, edit…, copy…, forward…), whichever
chat they go to. An optional network delay (`latency` plus up to `jitter`, before the call
reaches the server) makes arrival times differ from the bot's start times, as they do in
production. Used by bench/bench_dm_all.py and the announcement tests.
"""

from __future__ import annotations

import asyncio
import math
import random
import time
from collections import deque

from aiohttp import web

from bot.offline.local_api import LocalBotAPI
from bot.offline.local_api_models import ApiError

_MESSAGE_CALLS = ("send", "edit", "copy", "forward")


class ThrottledBotAPI(LocalBotAPI):
    def __init__(
        self,
        *,
        limit: int = 30,
        window: float = 1.0,
        latency: float = 0.0,
        jitter: float = 0.0,
        seed: int = 1,
        **kwargs: object,
    ) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.limit, self.window = limit, window
        self.latency, self.jitter = latency, jitter
        self._random = random.Random(seed)
        self._recent: deque[float] = deque()
        self.accepted: list[tuple[str, float]] = []  # (method, arrival) of counted calls
        self.throttled: list[tuple[str, float]] = []  # the calls answered with a 429

    async def _handle_api(self, request: web.Request) -> web.Response:
        if request.match_info["method"].lower() != "getupdates" and (self.latency or self.jitter):
            await asyncio.sleep(self.latency + self._random.uniform(0, self.jitter))
        return await super()._handle_api(request)

    def _inject_fault(self, name: str, polling: bool) -> None:
        super()._inject_fault(name, polling)
        if polling or not name.startswith(_MESSAGE_CALLS):
            return
        now = time.monotonic()
        while self._recent and self._recent[0] <= now - self.window:
            self._recent.popleft()
        if len(self._recent) >= self.limit:
            self.throttled.append((name, now))
            wait = max(1, math.ceil(self._recent[0] + self.window - now))
            raise ApiError(429, f"Too Many Requests: retry after {wait}", {"retry_after": wait})
        self._recent.append(now)
        self.accepted.append((name, now))

    def busiest_window(self) -> int:
        """The most counted calls that arrived within any `window` seconds."""
        times = [at for _, at in self.accepted]
        best, start = 0, 0
        for end, at in enumerate(times):
            while times[start] <= at - self.window:
                start += 1
            best = max(best, end - start + 1)
        return best
