"""Announcements: the broadcasts managers write and, through the outbox, where they stand.

A broadcast's state changes and the outbox rows it queues are written in one transaction
(and audited), so a /dm_all is either queued for everyone or for no one, and a restart finds
exactly what is left to send.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from bot.domain.broadcasts import Tally, dm_prefix, group_key, key_range, report_key
from storage import audit
from storage.db import Database, from_ts, to_ts
from storage.outbox import Queued, enqueue_in


@dataclass(frozen=True, slots=True)
class Broadcast:
    id: int
    kind: str  # "group" (/broadcast) or "dm" (/dm_all)
    text: str
    created_by: int
    chat_id: int
    message_id: int | None
    status: str  # draft, sending, done, cancelled
    queued: int
    skipped: int
    stopped_by: int | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


@dataclass(frozen=True, slots=True)
class Recipient:
    user_id: int
    lang: str | None
    language_code: str | None


def _broadcast(row: aiosqlite.Row) -> Broadcast:
    return Broadcast(
        id=row["id"],
        kind=row["kind"],
        text=row["text"],
        created_by=row["created_by"],
        chat_id=row["chat_id"],
        message_id=row["message_id"],
        status=row["status"],
        queued=row["queued"],
        skipped=row["skipped"],
        stopped_by=row["stopped_by"],
        created_at=from_ts(row["created_at"]),  # type: ignore[arg-type]
        started_at=from_ts(row["started_at"]),
        finished_at=from_ts(row["finished_at"]),
    )


async def _insert(
    conn: aiosqlite.Connection,
    kind: str,
    text: str,
    status: str,
    *,
    created_by: int,
    chat_id: int,
    now: datetime,
) -> int:
    rows = await conn.execute_fetchall(
        "INSERT INTO broadcasts (kind, text, status, created_by, chat_id, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
        (kind, text, status, created_by, chat_id, to_ts(now)),
    )
    return int(rows[0][0])


class Broadcasts:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def get(self, broadcast_id: int) -> Broadcast | None:
        row = await self.db.fetchone("SELECT * FROM broadcasts WHERE id = ?", (broadcast_id,))
        return None if row is None else _broadcast(row)

    async def sending(self) -> list[Broadcast]:
        """The /dm_all broadcasts still going out (after a restart: to resume)."""
        rows = await self.db.fetchall(
            "SELECT * FROM broadcasts WHERE status = 'sending' ORDER BY id"
        )
        return [_broadcast(row) for row in rows]

    async def recipients(self) -> tuple[list[Recipient], int]:
        """Every bound sharer's account that may still be reached, in id order, and how many
        are left out because they blocked the bot (a later private message clears that)."""
        rows = await self.db.fetchall(
            "SELECT s.user_id, u.lang, u.language_code, COALESCE(u.unreachable, 0) AS blocked"
            " FROM sharers s LEFT JOIN users u ON u.id = s.user_id"
            " WHERE s.user_id IS NOT NULL ORDER BY s.user_id"
        )
        reachable = [
            Recipient(row["user_id"], row["lang"], row["language_code"])
            for row in rows
            if not row["blocked"]
        ]
        return reachable, len(rows) - len(reachable)

    async def post(
        self, text: str, target_chat_id: int, post_text: str, *, created_by: int,
        chat_id: int, now: datetime,
    ) -> Broadcast:  # fmt: skip
        """A /broadcast: stored, and its one post (`post_text`, key broadcast:<id>) queued for
        `target_chat_id`, together."""
        async with self.db.transaction() as conn:
            broadcast_id = await _insert(
                conn, "group", text, "done", created_by=created_by, chat_id=chat_id, now=now
            )
            queued = Queued(group_key(broadcast_id), target_chat_id, post_text)
            await enqueue_in(conn, [queued], due_at=now, now=now)
            await conn.execute(
                "UPDATE broadcasts SET queued = 1, started_at = ?, finished_at = ? WHERE id = ?",
                (to_ts(now), to_ts(now), broadcast_id),
            )
            await audit.record(
                conn, at=now, actor_id=created_by, action="broadcast", entity="broadcast",
                entity_id=broadcast_id, after={"kind": "group", "chat_id": target_chat_id},
            )  # fmt: skip
        return await self._must(broadcast_id)

    async def draft(self, text: str, *, created_by: int, chat_id: int, now: datetime) -> Broadcast:
        """A /dm_all waiting for its author's [Send]."""
        async with self.db.transaction() as conn:
            broadcast_id = await _insert(
                conn, "dm", text, "draft", created_by=created_by, chat_id=chat_id, now=now
            )
        return await self._must(broadcast_id)

    async def set_message(self, broadcast_id: int, message_id: int) -> None:
        async with self.db.transaction() as conn:
            await conn.execute(
                "UPDATE broadcasts SET message_id = ? WHERE id = ?", (message_id, broadcast_id)
            )

    async def start(
        self,
        broadcast_id: int,
        messages: list[Queued],
        *,
        skipped: int,
        actor_id: int,
        now: datetime,
    ) -> bool:
        """Draft → sending with every DM queued, all at once; False when it was not a draft
        any more (a second press, or cancelled)."""
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE broadcasts SET status = 'sending', queued = ?, skipped = ?,"
                " started_at = ? WHERE id = ? AND status = 'draft'",
                (len(messages), skipped, to_ts(now), broadcast_id),
            )
            if cursor.rowcount == 0:
                return False
            await enqueue_in(conn, messages, due_at=now, now=now)
            await audit.record(
                conn, at=now, actor_id=actor_id, action="dm_all", entity="broadcast",
                entity_id=broadcast_id, before="draft",
                after={"status": "sending", "queued": len(messages), "skipped": skipped},
            )  # fmt: skip
        return True

    async def cancel(self, broadcast_id: int, *, actor_id: int, now: datetime) -> bool:
        """Drop a draft; False when it was not a draft any more."""
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE broadcasts SET status = 'cancelled', finished_at = ?"
                " WHERE id = ? AND status = 'draft'",
                (to_ts(now), broadcast_id),
            )
            if cursor.rowcount == 0:
                return False
            await audit.record(
                conn, at=now, actor_id=actor_id, action="dm_all_cancel", entity="broadcast",
                entity_id=broadcast_id, before="draft", after="cancelled",
            )  # fmt: skip
        return True

    async def stop(self, broadcast_id: int, *, actor_id: int, now: datetime) -> int | None:
        """Cancel what is still queued of a /dm_all going out; how many were cancelled, or
        None when it was not going out. A message already handed to Telegram still arrives."""
        low, high = key_range(dm_prefix(broadcast_id))
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE broadcasts SET stopped_by = ? WHERE id = ? AND status = 'sending'"
                " AND stopped_by IS NULL",
                (actor_id, broadcast_id),
            )
            if cursor.rowcount == 0:
                return None
            cursor = await conn.execute(
                "UPDATE outbox SET status = 'cancelled' WHERE key >= ? AND key < ?"
                " AND status = 'pending'",
                (low, high),
            )
            cancelled = cursor.rowcount
            await audit.record(
                conn, at=now, actor_id=actor_id, action="dm_all_stop", entity="broadcast",
                entity_id=broadcast_id, after={"cancelled": cancelled},
            )  # fmt: skip
        return cancelled

    async def tally(self, broadcast: Broadcast) -> Tally:
        """Where its DMs stand (an index range over their outbox keys)."""
        low, high = key_range(dm_prefix(broadcast.id))
        rows = await self.db.fetchall(
            "SELECT status, COUNT(*) AS n FROM outbox WHERE key >= ? AND key < ? GROUP BY status",
            (low, high),
        )
        return Tally.of(broadcast.queued, {row["status"]: row["n"] for row in rows})

    async def finish(
        self, broadcast_id: int, chat_id: int, report: str, tally: Tally, *, now: datetime
    ) -> bool:
        """Sending → done with the final report queued (key dm_all_report:<id>), once."""
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE broadcasts SET status = 'done', finished_at = ?"
                " WHERE id = ? AND status = 'sending'",
                (to_ts(now), broadcast_id),
            )
            if cursor.rowcount == 0:
                return False
            item = Queued(report_key(broadcast_id), chat_id, report)
            await enqueue_in(conn, [item], due_at=now, now=now)
            await audit.record(
                conn, at=now, actor_id=None, action="dm_all_done", entity="broadcast",
                entity_id=broadcast_id,
                after={"sent": tally.sent, "blocked": tally.blocked, "failed": tally.failed,
                       "stopped": tally.stopped},
            )  # fmt: skip
        return True

    async def _must(self, broadcast_id: int) -> Broadcast:
        found = await self.get(broadcast_id)
        assert found is not None
        return found
