"""The outbox: every message the bot sends on its own (reminders, digests, DMs) is first a
row with a unique key. Enqueueing the same key twice is a no-op, which is what makes
"nothing twice" hold across restarts and repeated scans."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from storage.db import Database, from_ts, to_ts

Button = tuple[str, str]  # (text, "cb:<data>" | "url:<address>")


@dataclass(frozen=True, slots=True)
class OutboxMessage:
    id: int
    key: str
    chat_id: int
    text: str
    parse_mode: str | None
    buttons: list[list[Button]]
    document_name: str | None
    document: bytes | None
    due_at: datetime
    attempts: int
    photo: bytes | None = None


@dataclass(frozen=True, slots=True)
class OutboxState:
    key: str
    status: str
    attempts: int
    last_error: str | None
    sent_at: datetime | None
    message_id: int | None
    chat_id: int


@dataclass(frozen=True, slots=True)
class Queued:
    """A message to queue (see `Outbox.enqueue_in`); a document or a photo (PNG bytes) is sent
    with `text` as caption, and a refused photo leaves the text to go as a message."""

    key: str
    chat_id: int
    text: str
    document: tuple[str, bytes] | None = None  # (file name, content)
    parse_mode: str | None = "HTML"
    buttons: list[list[Button]] | None = None
    photo: bytes | None = None


async def enqueue_in(
    conn: aiosqlite.Connection, items: list[Queued], *, due_at: datetime, now: datetime
) -> int:
    """Queue messages inside the caller's open transaction, so that they are queued if and
    only if what they announce is stored. Returns how many were new (a known key is skipped)."""
    cursor = await conn.executemany(
        "INSERT INTO outbox (key, chat_id, text, parse_mode, buttons, document_name,"
        " document, photo, due_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT(key) DO NOTHING",
        [
            (
                item.key,
                item.chat_id,
                item.text,
                item.parse_mode,
                json.dumps(item.buttons, ensure_ascii=False) if item.buttons else None,
                item.document[0] if item.document else None,
                item.document[1] if item.document else None,
                item.photo,
                to_ts(due_at),
                to_ts(now),
            )
            for item in items
        ],
    )
    return max(cursor.rowcount, 0)


class Outbox:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def enqueue(
        self,
        key: str,
        chat_id: int,
        text: str,
        *,
        due_at: datetime,
        now: datetime,
        parse_mode: str | None = "HTML",
        buttons: list[list[Button]] | None = None,
        document: tuple[str, bytes] | None = None,
        photo: bytes | None = None,
    ) -> bool:
        """Queue a message; False when a message with this key exists already."""
        item = Queued(key, chat_id, text, document, parse_mode, buttons, photo)
        async with self.db.transaction() as conn:
            return await enqueue_in(conn, [item], due_at=due_at, now=now) > 0

    async def enqueue_all(self, items: list[Queued], *, due_at: datetime, now: datetime) -> int:
        """Queue several messages at once (all or none); returns how many were new."""
        async with self.db.transaction() as conn:
            return await enqueue_in(conn, items, due_at=due_at, now=now)

    async def due(self, now: datetime, limit: int = 50) -> list[OutboxMessage]:
        rows = await self.db.fetchall(
            "SELECT * FROM outbox WHERE status = 'pending' AND due_at <= ?"
            " ORDER BY due_at, id LIMIT ?",
            (to_ts(now), limit),
        )
        return [
            OutboxMessage(
                id=row["id"],
                key=row["key"],
                chat_id=row["chat_id"],
                text=row["text"],
                parse_mode=row["parse_mode"],
                buttons=[[tuple(b) for b in r] for r in json.loads(row["buttons"])]
                if row["buttons"]
                else [],
                document_name=row["document_name"],
                document=row["document"],
                due_at=from_ts(row["due_at"]),  # type: ignore[arg-type]
                attempts=row["attempts"],
                photo=row["photo"],
            )
            for row in rows
        ]

    async def mark_sent(
        self, message_id: int, outbox_id: int, *, now: datetime, note: str | None = None
    ) -> None:
        """Sent; `note` keeps what went wrong on the way (a refused photo whose text went)."""
        async with self.db.transaction() as conn:
            await conn.execute(
                "UPDATE outbox SET status = 'sent', sent_at = ?, message_id = ?,"
                " attempts = attempts + 1, document = NULL, photo = NULL,"
                " last_error = coalesce(?, last_error) WHERE id = ?",
                (to_ts(now), message_id, note, outbox_id),
            )

    async def retry_later(self, outbox_id: int, error: str, *, due_at: datetime) -> None:
        async with self.db.transaction() as conn:
            await conn.execute(
                "UPDATE outbox SET attempts = attempts + 1, last_error = ?, due_at = ?"
                " WHERE id = ?",
                (error, to_ts(due_at), outbox_id),
            )

    async def give_up(self, outbox_id: int, status: str, error: str) -> None:
        async with self.db.transaction() as conn:
            await conn.execute(
                "UPDATE outbox SET status = ?, attempts = attempts + 1, last_error = ?"
                " WHERE id = ?",
                (status, error, outbox_id),
            )

    async def cancel(self, key_prefix: str) -> int:
        """Cancel pending messages whose key starts with the prefix (e.g. a cancelled live)."""
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE outbox SET status = 'cancelled' WHERE status = 'pending' AND key LIKE ?",
                (key_prefix.replace("%", r"\%") + "%",),
            )
            return cursor.rowcount

    async def state(self, key: str) -> OutboxState | None:
        row = await self.db.fetchone("SELECT * FROM outbox WHERE key = ?", (key,))
        if row is None:
            return None
        return OutboxState(
            key=row["key"],
            status=row["status"],
            attempts=row["attempts"],
            last_error=row["last_error"],
            sent_at=from_ts(row["sent_at"]),
            message_id=row["message_id"],
            chat_id=row["chat_id"],
        )

    async def statuses(self, key_prefix: str) -> dict[str, str]:
        """Status by key of every message whose key starts with the prefix."""
        # An exact prefix: LIKE would fold case and read "_" in a sharer id as a wildcard.
        rows = await self.db.fetchall(
            "SELECT key, status FROM outbox WHERE substr(key, 1, ?) = ?",
            (len(key_prefix), key_prefix),
        )
        return {row[0]: row[1] for row in rows}

    async def counts(self, key_prefix: str) -> dict[str, int]:
        rows = await self.db.fetchall(
            "SELECT status, COUNT(*) AS n FROM outbox WHERE key LIKE ? GROUP BY status",
            (key_prefix + "%",),
        )
        return {row["status"]: row["n"] for row in rows}
