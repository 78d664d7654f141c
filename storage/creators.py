"""Creators: the registry of the BD team. Reads used across the pipeline live here; the
registry's own writes (add, tier, note, block, screening figures) extend this module."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from bot.domain.creators import closest_handles, handle_key
from storage.db import Database, from_ts, to_ts


@dataclass(frozen=True, slots=True)
class Creator:
    id: int
    handle: str
    platform: str
    tier: str
    owner_id: int
    followers: int | None
    category: str
    status: str
    blocked_reason: str | None
    review_flag: str | None
    last_contact_at: datetime | None


_COLUMNS = (
    "id, handle, platform, tier, owner_id, followers, category, status, blocked_reason,"
    " review_flag, last_contact_at"
)


def _creator(row: aiosqlite.Row) -> Creator:
    return Creator(
        id=row["id"],
        handle=row["handle"],
        platform=row["platform"],
        tier=row["tier"],
        owner_id=row["owner_id"],
        followers=row["followers"],
        category=row["category"],
        status=row["status"],
        blocked_reason=row["blocked_reason"],
        review_flag=row["review_flag"],
        last_contact_at=from_ts(row["last_contact_at"]),
    )


class Creators:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def get(self, creator_id: int) -> Creator | None:
        row = await self.db.fetchone(f"SELECT {_COLUMNS} FROM creators WHERE id = ?", (creator_id,))
        return None if row is None else _creator(row)

    async def by_handle(self, handle: str, platform: str | None = None) -> list[Creator]:
        """Creators with this handle (one per platform); raises CreatorError on a bad handle."""
        sql = f"SELECT {_COLUMNS} FROM creators WHERE handle_key = ?"
        params: list[object] = [handle_key(handle)]
        if platform is not None:
            sql += " AND platform = ?"
            params.append(platform)
        return [_creator(row) for row in await self.db.fetchall(sql + " ORDER BY id", params)]

    async def suggestions(self, handle: str, limit: int = 3) -> list[str]:
        """Known handles most like this one, for "not found — did you mean …"."""
        rows = await self.db.fetchall("SELECT handle FROM creators")
        return closest_handles(handle, [row["handle"] for row in rows], limit=limit)


async def touch_contact(conn: aiosqlite.Connection, creator_id: int, at: datetime) -> None:
    """Record contact (a note, chase, sample or video) inside the caller's transaction."""
    await conn.execute(
        "UPDATE creators SET last_contact_at = MAX(COALESCE(last_contact_at, 0), ?),"
        " updated_at = ? WHERE id = ?",
        (to_ts(at), to_ts(at), creator_id),
    )
