"""The bot's sense of time. Everything that decides "is it due?" asks this clock, so tests and
the console can move time forward (`:wait 2d`) without sleeping."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


class Clock:
    def __init__(self, start: datetime | None = None) -> None:
        if start is not None and start.tzinfo is None:
            raise ValueError("the clock takes an aware datetime")
        # Frozen at `start` (tests) or following the wall clock (the bot, the console).
        self._start = start
        self._offset = timedelta(0)

    def now(self) -> datetime:
        base = self._start if self._start is not None else datetime.now(UTC)
        return base + self._offset

    def advance(self, delta: timedelta) -> None:
        self._offset += delta
