"""The outbox: every message the bot sends on its own (reminders, digests, DMs) is first a
row with a unique key. Enqueueing the same key twice is a no-op, which is what makes
"nothing twice" hold across restarts and repeated scans.

A row is claimed (committed) right before its request and unclaimed with the answer, so a
send cut short — the process killed, the connection lost after the request went out — is
known afterwards as *uncertain*. Its `delivery` decides: AT_LEAST_ONCE rows go again (a
money message repeated beats one lost), AT_MOST_ONCE rows are given up as failed with
last_error "uncertain: …" (a reminder repeated is noise). See docs/operations.md.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta

import aiosqlite

from storage.db import Database, from_ts, to_ts

# Tries of one message before it is given up as failed.
MAX_ATTEMPTS = 8
Button = tuple[str, str]  # (text, "cb:<data>" | "url:<address>")

AT_MOST_ONCE = "at_most_once"
AT_LEAST_ONCE = "at_least_once"
UNCERTAIN = "uncertain: "  # how last_error starts on a row whose send may or may not have arrived


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
    delivery: str = AT_MOST_ONCE


@dataclass(frozen=True, slots=True)
class OutboxState:
    key: str
    status: str
    attempts: int
    last_error: str | None
    sent_at: datetime | None
    message_id: int | None
    chat_id: int
    delivery: str = AT_MOST_ONCE
    claimed: bool = False


@dataclass(frozen=True, slots=True)
class Recovered:
    """Claims left by a send that never finished, resolved (`Outbox.recover`)."""

    resent: list[str]  # AT_LEAST_ONCE keys queued to go again
    uncertain: list[str]  # AT_MOST_ONCE keys given up as failed


@dataclass(frozen=True, slots=True)
class Queued:
    """A message to queue (see `Outbox.enqueue_in`); a document or a photo (PNG bytes) is sent
    with `text` as caption, and a refused photo leaves the text to go as a message.

    `delivery`: which way to err when a send is interrupted and nobody can know whether it
    arrived — AT_LEAST_ONCE for money (settlement DMs, payout files), AT_MOST_ONCE (the
    default) where a repeat is noise."""

    key: str
    chat_id: int
    text: str
    document: tuple[str, bytes] | None = None  # (file name, content)
    parse_mode: str | None = "HTML"
    buttons: list[list[Button]] | None = None
    photo: bytes | None = None
    delivery: str = AT_MOST_ONCE


async def enqueue_in(
    conn: aiosqlite.Connection, items: list[Queued], *, due_at: datetime, now: datetime
) -> int:
    """Queue messages inside the caller's open transaction, so that they are queued if and
    only if what they announce is stored. Returns how many were new (a known key is skipped)."""
    cursor = await conn.executemany(
        "INSERT INTO outbox (key, chat_id, text, parse_mode, buttons, document_name,"
        " document, photo, due_at, created_at, delivery)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
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
                item.delivery,
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
        delivery: str = AT_MOST_ONCE,
    ) -> bool:
        """Queue a message; False when a message with this key exists already."""
        item = Queued(key, chat_id, text, document, parse_mode, buttons, photo, delivery)
        async with self.db.transaction() as conn:
            return await enqueue_in(conn, [item], due_at=due_at, now=now) > 0

    async def enqueue_all(self, items: list[Queued], *, due_at: datetime, now: datetime) -> int:
        """Queue several messages at once (all or none); returns how many were new."""
        async with self.db.transaction() as conn:
            return await enqueue_in(conn, items, due_at=due_at, now=now)

    async def due(self, now: datetime, limit: int = 50) -> list[OutboxMessage]:
        rows = await self.db.fetchall(
            "SELECT * FROM outbox WHERE status = 'pending' AND due_at <= ?"
            " AND claimed_at IS NULL ORDER BY due_at, id LIMIT ?",
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
                delivery=row["delivery"],
            )
            for row in rows
        ]

    async def to_send(self, outbox_id: int) -> bool:
        """Still to send: pending and not claimed (a row read in a batch may have been
        cancelled since)."""
        row = await self.db.fetchone(
            "SELECT 1 FROM outbox WHERE id = ? AND status = 'pending' AND claimed_at IS NULL",
            (outbox_id,),
        )
        return row is not None

    async def claim(self, outbox_id: int, *, run: str, now: datetime) -> bool:
        """Claim a row right before its request; False when it is no longer to send (cancelled
        since it was read, or claimed already)."""
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE outbox SET claimed_at = ?, claimed_by = ?"
                " WHERE id = ? AND status = 'pending' AND claimed_at IS NULL",
                (to_ts(now), run, outbox_id),
            )
            return cursor.rowcount == 1

    async def recover(self, *, run: str, now: datetime, stale: timedelta) -> Recovered:
        """Resolve the claims of sends that never finished: those of another run of the bot
        (killed while sending) and this run's older than `stale` (a send cut short).

        AT_LEAST_ONCE rows go again unless out of attempts; AT_MOST_ONCE rows are failed as
        uncertain. A claim on a row cancelled meanwhile is simply dropped."""
        resent: list[str] = []
        uncertain: list[str] = []
        # Every pump asks: the usual answer (no claim at all) costs no write transaction.
        if await self.db.fetchval("SELECT 1 FROM outbox WHERE claimed_at IS NOT NULL") is None:
            return Recovered(resent, uncertain)
        async with self.db.transaction() as conn:
            rows = await self.db.fetchall(
                "SELECT id, key, status, delivery, attempts FROM outbox"
                " WHERE claimed_at IS NOT NULL AND (claimed_by IS NOT ? OR claimed_at <= ?)",
                (run, to_ts(now - stale)),
            )
            for row in rows:
                again = row["delivery"] == AT_LEAST_ONCE and row["attempts"] + 1 < MAX_ATTEMPTS
                if row["status"] != "pending":
                    status, error = row["status"], None
                elif again:
                    status, error = "pending", f"{UNCERTAIN}interrupted while sending; sent again"
                    resent.append(row["key"])
                else:
                    status, error = "failed", f"{UNCERTAIN}interrupted while sending; not repeated"
                    uncertain.append(row["key"])
                await conn.execute(
                    "UPDATE outbox SET status = ?, claimed_at = NULL, claimed_by = NULL,"
                    " attempts = attempts + (? IS NOT NULL), last_error = coalesce(?, last_error)"
                    " WHERE id = ?",
                    (status, error, error, row["id"]),
                )
        return Recovered(resent, uncertain)

    async def mark_sent(
        self, message_id: int, outbox_id: int, *, now: datetime, note: str | None = None
    ) -> None:
        """Sent; `note` keeps what went wrong on the way (a refused photo whose text went)."""
        async with self.db.transaction() as conn:
            await conn.execute(
                "UPDATE outbox SET status = 'sent', sent_at = ?, message_id = ?,"
                " attempts = attempts + 1, document = NULL, photo = NULL,"
                " claimed_at = NULL, claimed_by = NULL,"
                " last_error = coalesce(?, last_error) WHERE id = ?",
                (to_ts(now), message_id, note, outbox_id),
            )

    async def retry_later(self, outbox_id: int, error: str, *, due_at: datetime) -> None:
        async with self.db.transaction() as conn:
            await conn.execute(
                "UPDATE outbox SET attempts = attempts + 1, last_error = ?, due_at = ?,"
                " claimed_at = NULL, claimed_by = NULL WHERE id = ?",
                (error, to_ts(due_at), outbox_id),
            )

    async def give_up(self, outbox_id: int, status: str, error: str) -> None:
        """No more tries: 'failed' or 'unreachable'."""
        async with self.db.transaction() as conn:
            await conn.execute(
                "UPDATE outbox SET status = ?, attempts = attempts + 1, last_error = ?,"
                " claimed_at = NULL, claimed_by = NULL WHERE id = ?",
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
            delivery=row["delivery"],
            claimed=row["claimed_at"] is not None,
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
