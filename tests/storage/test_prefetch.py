"""storage.prefetch.Readahead: items in order, errors where they happen, no hang on leaving."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from storage.prefetch import Readahead


async def test_items_come_in_order_then_none() -> None:
    async with Readahead(iter("abc")) as reader:
        got = []
        reader.ahead()
        while (item := await reader.next()) is not None:
            got.append(item)
            reader.ahead()
    assert got == ["a", "b", "c"]


async def test_the_worker_reads_only_when_asked() -> None:
    pulled: list[int] = []

    def items() -> Iterator[int]:
        for i in range(10):
            pulled.append(i)
            yield i

    async with Readahead(items()) as reader:
        reader.ahead()
        assert await reader.next() == 0
        assert pulled == [0]  # nothing read beyond what was asked for


async def test_an_error_in_the_iterator_is_raised_by_next() -> None:
    def items() -> Iterator[int]:
        yield 1
        raise ValueError("line 2")

    async with Readahead(items()) as reader:
        reader.ahead()
        assert await reader.next() == 1
        reader.ahead()
        with pytest.raises(ValueError, match="line 2"):
            await reader.next()


async def test_leaving_early_stops_the_worker() -> None:
    pulled = 0

    def endless() -> Iterator[int]:
        nonlocal pulled
        while True:
            pulled += 1
            yield pulled

    with pytest.raises(RuntimeError):
        async with Readahead(endless()) as reader:
            reader.ahead()
            await reader.next()
            reader.ahead()  # asked for, then abandoned
            raise RuntimeError("the consumer failed")
    # __aexit__ returned, so the worker ended, having read at most the item asked for.
    assert pulled <= 2
