"""Read a blocking iterator on a worker thread, one item at a time, when asked.

The order import parses CSV in Python (holding the GIL) while SQLite converts the batch
before (releasing it): on two cores the two overlap instead of taking turns. The consumer
says when the worker may read on (`ahead`), so the worker never competes for the GIL with
the consumer's own Python work: a thread that gives the GIL up and takes it back many times
(a statement stepped row by row) waits up to a switch interval for it each time.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterable
from types import TracebackType
from typing import Generic, TypeVar

T = TypeVar("T")
_END = object()


class Readahead(Generic[T]):
    """`async with Readahead(items) as r:` then `r.ahead()` to have the next item read, and
    `await r.next()` to take it (None at the end). An exception from the iterator is raised
    by `next`."""

    def __init__(self, items: Iterable[T]) -> None:
        self._items = items
        self._go = threading.Semaphore(0)
        self._stop = False
        self._queue: asyncio.Queue[object] = asyncio.Queue()
        self._worker: asyncio.Future[None] | None = None

    async def __aenter__(self) -> Readahead[T]:
        loop = asyncio.get_running_loop()
        self._worker = loop.run_in_executor(None, self._read, loop)
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._stop = True  # the consumer may leave early, on an error of its own
        self._go.release()
        assert self._worker is not None
        await self._worker

    def ahead(self) -> None:
        self._go.release()

    async def next(self) -> T | None:
        item = await self._queue.get()
        if isinstance(item, BaseException):
            raise item
        return None if item is _END else item  # type: ignore[return-value]

    def _read(self, loop: asyncio.AbstractEventLoop) -> None:
        it = iter(self._items)
        while self._go.acquire() and not self._stop:
            try:
                item: object = next(it, _END)
            except BaseException as exc:  # handed to the consumer, raised there
                item = exc
            loop.call_soon_threadsafe(self._queue.put_nowait, item)
            if item is _END or isinstance(item, BaseException):
                return
