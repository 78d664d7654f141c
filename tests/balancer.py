"""Several bot processes behind one webhook, for tests and benchmarks.

- `Balancer`: an HTTP balancer, round robin over its backends (nginx's default). A backend
  that refuses the connection is skipped for the next one, as nginx's proxy_next_upstream
  does; once a request went out it is not sent again (it is not idempotent): the caller
  gets 502, and Telegram would send the update again later.
- `WebhookBotAPI`: the local Bot API stand-in delivering updates to the webhook the bot set,
  the way the Bot API server does (telegram-bot-api's WebhookActor): a queue per chat, whose
  next update goes only once the previous one was answered 2xx; chats side by side up to
  `max_connections`; an update that failed is sent again after a pause.
- `Tap`: a proxy between one bot process and the stand-in, which knows whose requests it
  carries: `on_answer` sees each answer before the bot does (and may kill the process
  then, which is how a test kills a process right after Telegram stored its message).
- `bot_cluster`: N `python -m bot run` processes in webhook mode behind a Balancer.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import signal
import socket
import sys
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web

from bot.offline.local_api import LocalBotAPI
from tests.bot_process import RUNNER

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
_HOP_BY_HOP = {"host", "content-length", "connection", "transfer-encoding", "keep-alive"}


class _Proxy:
    """An aiohttp server that forwards every request; subclasses choose where to."""

    def __init__(self) -> None:
        self.port = 0
        self._runner: web.AppRunner | None = None
        self._session: aiohttp.ClientSession | None = None

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        app = web.Application(client_max_size=64 * 2**20)
        app.router.add_route("*", "/{path:.*}", self._handle)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        await web.TCPSite(self._runner, host, port).start()
        self.port = self._runner.addresses[0][1]
        connector = aiohttp.TCPConnector(limit=0)
        self._session = aiohttp.ClientSession(
            connector=connector, timeout=aiohttp.ClientTimeout(total=120)
        )
        return f"http://{host}:{self.port}"

    async def stop(self) -> None:
        if self._session is not None:
            await self._session.close()
        if self._runner is not None:
            await self._runner.cleanup()

    async def _forward(self, target: str, request: web.Request, body: bytes) -> web.Response:
        assert self._session is not None
        headers = {k: v for k, v in request.headers.items() if k.lower() not in _HOP_BY_HOP}
        async with self._session.request(
            request.method, target + request.path_qs, data=body, headers=headers
        ) as answer:
            payload = await answer.read()
            kept = {k: v for k, v in answer.headers.items() if k.lower() not in _HOP_BY_HOP}
            return web.Response(status=answer.status, body=payload, headers=kept)

    async def _handle(self, request: web.Request) -> web.Response:
        raise NotImplementedError


class Balancer(_Proxy):
    def __init__(self, backends: list[str]) -> None:
        super().__init__()
        self.backends = backends
        self.served = dict.fromkeys(backends, 0)
        self._turn = itertools.cycle(range(len(backends)))

    async def _handle(self, request: web.Request) -> web.Response:
        body = await request.read()
        for _ in self.backends:
            backend = self.backends[next(self._turn)]
            try:
                answer = await self._forward(backend, request, body)
            except aiohttp.ClientConnectorError:
                continue  # never reached it: the next one may take it
            except aiohttp.ClientError:
                return web.Response(status=502, text="upstream failed")
            self.served[backend] += 1
            return answer
        return web.Response(status=502, text="no upstream")


class Tap(_Proxy):
    """Forwards one process's Bot API calls; `on_answer(method, body)` runs on each answer
    before it is relayed, and `delay(method, body)` seconds pass before a call is forwarded."""

    def __init__(self, target: str) -> None:
        super().__init__()
        self.target = target
        self.on_answer: Callable[[str, bytes], None] | None = None
        self.delay: Callable[[str, bytes], float] | None = None

    async def _handle(self, request: web.Request) -> web.Response:
        body = await request.read()
        method = request.path.rsplit("/", 1)[-1]
        if self.delay is not None and (seconds := self.delay(method, body)) > 0:
            await asyncio.sleep(seconds)
        answer = await self._forward(self.target, request, body)
        if self.on_answer is not None:
            self.on_answer(method, body)
        return answer


def queue_of(update: dict[str, Any]) -> int | None:
    """The Bot API's queue for an update: its chat (a button press: the chat of the message
    it is on), else its sender; None: a queue of its own."""
    for kind in ("message", "edited_message", "callback_query", "my_chat_member"):
        payload = update.get(kind)
        if payload is None:
            continue
        chat = (payload.get("message") or payload).get("chat")
        if chat is not None:
            return int(chat["id"])
        sender = payload.get("from")
        return int(sender["id"]) if sender else None
    return None


class WebhookBotAPI(LocalBotAPI):
    """The stand-in, pushing updates to the webhook once the bot set one."""

    def __init__(self, *, max_connections: int = 40, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.max_connections = max_connections
        self.secret: str | None = None
        self.answered: list[tuple[int, int]] = []  # (update id, HTTP status) of each try
        self._taken = 0  # updates handed to queues so far (index into _updates)
        self._queues: dict[int, deque[dict[str, Any]]] = {}
        self._busy: set[int] = set()
        self._own_queue = itertools.count(-(2**62), -1)
        self._wake = asyncio.Event()
        self._pusher: asyncio.Task[None] | None = None
        self._pushing: set[asyncio.Task[None]] = set()
        self._client: aiohttp.ClientSession | None = None

    @property
    def webhook_pending(self) -> int:
        """Updates not yet answered 2xx by the webhook."""
        waiting = sum(len(q) for q in self._queues.values())
        return waiting + len(self._updates) - self._taken

    async def _set_webhook(self, params: dict[str, Any], files: Any) -> bool:
        result = await super()._set_webhook(params, files)
        self.secret = params.get("secret_token")
        if self._pusher is None:
            self._client = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=75))
            self._pusher = asyncio.ensure_future(self._push())
        self._wake.set()
        return result

    def _enqueue(self, kind: str, payload: dict[str, Any]) -> dict[str, Any]:
        update = super()._enqueue(kind, payload)
        self._wake.set()
        return update

    async def stop(self) -> None:
        for task in [self._pusher, *self._pushing]:
            if task is not None:
                task.cancel()
        await asyncio.gather(*self._pushing, return_exceptions=True)
        if self._client is not None:
            await self._client.close()
        await super().stop()

    async def _push(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            for update in self._updates[self._taken :]:
                queue = queue_of(update)
                key = next(self._own_queue) if queue is None else queue
                self._queues.setdefault(key, deque()).append(update)
            self._taken = len(self._updates)
            for key, queue in list(self._queues.items()):
                if len(self._pushing) >= self.max_connections:
                    break
                if key in self._busy or not queue:
                    continue
                self._busy.add(key)
                task = asyncio.ensure_future(self._deliver(key, queue))
                self._pushing.add(task)
                task.add_done_callback(self._pushing.discard)

    async def _deliver(self, key: int, queue: deque[dict[str, Any]]) -> None:
        pause = 0.05
        try:
            while True:
                status = await self._post(queue[0])
                self.answered.append((queue[0]["update_id"], status))
                if 200 <= status < 300:
                    break
                await asyncio.sleep(pause)
                pause = min(pause * 2, 1.0)
            queue.popleft()
            if not queue:
                del self._queues[key]
        finally:
            self._busy.discard(key)
            self._wake.set()

    async def _post(self, update: dict[str, Any]) -> int:
        assert self._client is not None
        headers = {SECRET_HEADER: self.secret} if self.secret else {}
        try:
            async with self._client.post(self.webhook_url, json=update, headers=headers) as r:
                await r.read()
                return r.status
        except (aiohttp.ClientError, TimeoutError):
            return 0


async def until(
    condition: Callable[[], bool | Awaitable[bool]], *, timeout: float, what: str
) -> None:
    """Wait until `condition` holds (polled every 50 ms); fail naming `what` after `timeout`."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        value = condition()
        if not isinstance(value, bool):
            value = await value
        if value:
            return
        if loop.time() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        await asyncio.sleep(0.05)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class BotProcess:
    name: str
    port: int
    tap: Tap | None
    process: Any = None

    @property
    def webhook(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@asynccontextmanager
async def bot_cluster(
    directory: Path,
    api: LocalBotAPI,
    database_url: str,
    processes: int,
    *,
    admin: int,
    token: str = "424242:MULTI-PROCESS-TOKEN",
    taps: bool = True,
    environment: dict[str, str] | None = None,
) -> AsyncIterator[tuple[list[BotProcess], Balancer]]:
    """`processes` bots on one database behind a balancer (their WEBHOOK_URL), each reaching
    the stand-in through a tap of its own (or straight, without taps); their logs in
    `directory`; stopped with SIGTERM at the end unless killed before."""
    async with AsyncExitStack() as stack:
        target = f"http://127.0.0.1:{api.port}"
        bots = [BotProcess(f"bot{i}", free_port(), Tap(target) if taps else None)
                for i in range(processes)]  # fmt: skip
        balancer = Balancer([b.webhook for b in bots])
        front = await balancer.start()
        stack.push_async_callback(balancer.stop)
        for bot in bots:
            base = target
            if bot.tap is not None:
                base = await bot.tap.start()
                stack.push_async_callback(bot.tap.stop)
            env = {
                **{k: v for k, v in os.environ.items() if k != "WEBHOOK_SECRET"},
                "TELEGRAM_BOT_TOKEN": token,
                "TELEGRAM_BASE_URL": f"{base}/bot",
                "DATABASE_URL": database_url,
                "ADMIN_IDS": str(admin),
                "TICK_EVERY": "1s",
                "WEBHOOK_URL": front,
                "PORT": str(bot.port),
                **(environment or {}),
            }
            log = (directory / f"{bot.name}.log").open("wb")
            stack.callback(log.close)
            bot.process = await asyncio.create_subprocess_exec(
                sys.executable, "-c", RUNNER, env=env, cwd=directory, stdout=log, stderr=log
            )
            stack.push_async_callback(_stop, bot.process)
        yield bots, balancer


async def _stop(process: Any) -> None:
    if process.returncode is None:
        process.send_signal(signal.SIGTERM)
        try:
            await asyncio.wait_for(process.wait(), 60)
        except TimeoutError:
            process.kill()  # its log says where it hung
            await process.wait()
            raise


async def listening(bots: list[BotProcess], timeout: float = 60) -> None:
    """Until every process answers on its webhook port."""

    async def up(bot: BotProcess) -> bool:
        if bot.process is not None and bot.process.returncode is not None:
            raise AssertionError(f"{bot.name} exited with {bot.process.returncode} (see its log)")
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", bot.port)
        except OSError:
            return False
        writer.close()
        return True

    for bot in bots:
        await until(lambda b=bot: up(b), timeout=timeout, what=f"{bot.name} listening")
