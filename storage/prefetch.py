"""Read a blocking iterator in batches on a worker thread, one batch at a time on request.

The order import parses CSV in Python (holding the GIL) while SQLite converts the batch
before (releasing it): on two cores the two overlap instead of taking turns. The consumer
says when the worker may read on (`ahead`), so the worker never competes for the GIL with
the consumer's own Python work: a thread that gives the GIL up for every row, as
`executemany` does, waits a switch interval to get it back each time.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterable, Iterator
from itertools import islice
from types import TracebackType
from typing import Generic, TypeVar

T = TypeVar("T")


class Readahead(Generic[T]):
    """`async with Readahead(items, size) as r:` then `r.ahead()` to have the next list of up
    to `size` items read, and `await r.next()` to take it ([] at the end). An exception from
    the iterator is raised by `next`."""

    def __init__(self, items: Iterable[T], size: int) -> None:
        self._items = items
        self._size = size
        self._go = threading.Semaphore(0)
        self._stop = False
        self._queue: asyncio.Queue[list[T] | BaseException] = asyncio.Queue()
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

    async def next(self) -> list[T]:
        item = await self._queue.get()
        if isinstance(item, BaseException):
            raise item
        return item

    def _read(self, loop: asyncio.AbstractEventLoop) -> None:
        it: Iterator[T] = iter(self._items)
        while self._go.acquire() and not self._stop:
            try:
                batch: list[T] | BaseException = list(islice(it, self._size))
            except BaseException as exc:  # handed to the consumer, raised there
                batch = exc
            loop.call_soon_threadsafe(self._queue.put_nowait, batch)
            if not isinstance(batch, list) or not batch:
                return
