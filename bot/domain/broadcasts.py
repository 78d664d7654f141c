"""Announcements (SPEC §4): what a /broadcast or /dm_all may say, the outbox keys of its
messages, how far a /dm_all has got, and how its progress is drawn.

The messages of a broadcast are outbox rows, so "sent once" and "resumed after a restart" are
the outbox's; their keys are built here so that one broadcast's rows can be counted and
stopped together.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bot.domain.limits import MAX_TEXT, visible_len

# Room left above the text for the header the reader's language puts there ("📢 公告").
HEADER_ROOM = 64
MAX_BODY = MAX_TEXT - HEADER_ROOM
# Seconds between two edits of the progress message: Telegram allows about one edit a second
# in a private chat and twenty a minute in a group; a few seconds is plenty for a person.
PROGRESS_EVERY = 4.0
BAR_WIDTH = 10


def text_problem(body: str) -> str | None:
    """Why this text cannot be announced ("empty", "too_long"), or None."""
    length = visible_len(body.strip())
    if length == 0:
        return "empty"
    if length > MAX_BODY:
        return "too_long"
    return None


def group_key(broadcast_id: int) -> str:
    return f"broadcast:{broadcast_id}"


def dm_prefix(broadcast_id: int) -> str:
    return f"dm_all:{broadcast_id}:"


def dm_key(broadcast_id: int, user_id: int) -> str:
    return f"{dm_prefix(broadcast_id)}{user_id}"


def report_key(broadcast_id: int) -> str:
    # Outside dm_prefix, so that the report is not counted among the DMs.
    return f"dm_all_report:{broadcast_id}"


def key_range(prefix: str) -> tuple[str, str]:
    """Bounds [low, high) of every key starting with `prefix`, for an indexed range scan."""
    return prefix, prefix[:-1] + chr(ord(prefix[-1]) + 1)


@dataclass(frozen=True, slots=True)
class Tally:
    """Where the DMs of one /dm_all stand, from their outbox statuses."""

    queued: int
    sent: int = 0
    blocked: int = 0
    failed: int = 0
    stopped: int = 0

    @classmethod
    def of(cls, queued: int, statuses: Mapping[str, int]) -> Tally:
        return cls(
            queued=queued,
            sent=statuses.get("sent", 0),
            blocked=statuses.get("unreachable", 0),
            failed=statuses.get("failed", 0),
            stopped=statuses.get("cancelled", 0),
        )

    @property
    def handled(self) -> int:
        return self.sent + self.blocked + self.failed + self.stopped

    @property
    def pending(self) -> int:
        return max(self.queued - self.handled, 0)

    @property
    def done(self) -> bool:
        return self.pending == 0


def progress_bar(handled: int, total: int, width: int = BAR_WIDTH) -> str:
    """▰▰▰▱▱▱▱▱▱▱: full only when everything is handled, empty only when nothing is."""
    if total <= 0:
        return "▰" * width
    filled = handled * width // total
    if handled > 0 and filled == 0:
        filled = 1
    if handled < total and filled == width:
        filled = width - 1
    return "▰" * filled + "▱" * (width - filled)


def edit_due(last_edit: float | None, now: float, every: float = PROGRESS_EVERY) -> float:
    """Seconds to wait before the progress message may be edited again (0: now)."""
    if last_edit is None:
        return 0.0
    return max(last_edit + every - now, 0.0)
