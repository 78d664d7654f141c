"""The outbox: every message the bot sends on its own (reminders, digests, DMs) is first a
row with a unique key. Enqueueing the same key twice is a no-op, which is what makes
"nothing twice" hold across restarts and repeated scans.

A row is claimed (committed) right before its request and unclaimed with the answer, so a
send cut short — the process killed, the connection lost after the request went out — is
known afterwards as *uncertain*. Its `delivery` decides: AT_LEAST_ONCE rows go again (a
money message repeated beats one lost), AT_MOST_ONCE rows are given up as failed with
last_error "uncertain: …" (a reminder repeated is noise). See docs/operations.md.

Several processes may pump one database (PostgreSQL): a claim is one conditional UPDATE, so
only one process gets a row; a row is claimed only when no earlier row of its chat is still
pending, so a chat's messages keep their order whoever sends them; and another run's claims
are resolved only once that run is gone (storage/presence.py says which runs are alive).
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Collection
from dataclasses import dataclass
from datetime import datetime, timedelta

import aiosqlite

from bot.domain.broadcasts import key_range
from storage.db import Database, from_ts, to_ts

# Tries of one message before it is given up as failed.
MAX_ATTEMPTS = 8
Button = tuple[str, str]  # (text, "cb:<data>" | "url:<address>")

AT_MOST_ONCE = "at_most_once"
AT_LEAST_ONCE = "at_least_once"
UNCERTAIN = "uncertain: "  # how last_error starts on a row whose send may or may not have arrived

# No earlier row of the same chat is still pending (sent, given up, or moved to later by a
# retry): the condition for sending `outbox`'s row now.
_ITS_TURN = (
    "NOT EXISTS (SELECT 1 FROM outbox e WHERE e.chat_id = outbox.chat_id"
    " AND e.status = 'pending' AND (e.due_at < outbox.due_at"
    " OR (e.due_at = outbox.due_at AND e.id < outbox.id)))"
)
Alive = Callable[[Collection[str]], Awaitable[Collection[str]]]


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
        """Still to send, and its turn: pending, not claimed (a row read in a batch may have
        been cancelled or taken by another process since), no earlier row of its chat
        pending. A read: most rows another process took are skipped without a write."""
        row = await self.db.fetchone(
            "SELECT 1 FROM outbox WHERE id = ? AND status = 'pending' AND claimed_at IS NULL"
            f" AND {_ITS_TURN}",
            (outbox_id,),
        )
        return row is not None

    async def claim(self, outbox_id: int, *, run: str, now: datetime) -> bool:
        """Claim a row right before its request; False when it is no longer to send (cancelled
        since it was read, claimed already) or not its turn (an earlier row of its chat is
        pending: claimed by another process, say)."""
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE outbox SET claimed_at = ?, claimed_by = ?"
                f" WHERE id = ? AND status = 'pending' AND claimed_at IS NULL AND {_ITS_TURN}",
                (to_ts(now), run, outbox_id),
            )
            return cursor.rowcount == 1

    async def recover(
        self, *, run: str, now: datetime, stale: timedelta, alive: Alive | None = None
    ) -> Recovered:
        """Resolve the claims of sends that never finished: those of a run that is gone
        (killed while sending) and any older than `stale` (a send cut short).

        `alive` says which of the other runs that hold claims are still running (their
        claims are sends in progress, left alone); without it every other run is gone, as
        with one process. AT_LEAST_ONCE rows go again unless out of attempts; AT_MOST_ONCE
        rows are failed as uncertain. A claim on a row cancelled meanwhile is dropped."""
        resent: list[str] = []
        uncertain: list[str] = []
        # Every pump asks: the usual answers (no claim, or only live runs' claims) cost no
        # write transaction.
        claims = await self.db.fetchall(
            "SELECT claimed_by, claimed_at FROM outbox WHERE claimed_at IS NOT NULL"
        )
        if not claims:
            return Recovered(resent, uncertain)
        others = {row[0] for row in claims} - {run}
        # Only runs seen gone: one that started since holds claims of sends in progress.
        gone = others - set(await alive(others) if alive is not None and others else ())
        cutoff = to_ts(now - stale)

        def ended(claimed_by: str, claimed_at: int) -> bool:
            return claimed_by in gone or claimed_at <= cutoff

        if not any(ended(*row) for row in claims):
            return Recovered(resent, uncertain)
        async with self.db.transaction() as conn:
            rows = await self.db.fetchall(
                "SELECT id, key, status, delivery, attempts, claimed_by, claimed_at FROM outbox"
                " WHERE claimed_at IS NOT NULL"
            )
            for row in rows:
                if not ended(row["claimed_by"], row["claimed_at"]):
                    continue
                again = row["delivery"] == AT_LEAST_ONCE and row["attempts"] + 1 < MAX_ATTEMPTS
                if row["status"] != "pending":
                    status, error, told = row["status"], None, None
                elif again:
                    status, error = "pending", f"{UNCERTAIN}interrupted while sending; sent again"
                    told = resent
                else:
                    status, error = "failed", f"{UNCERTAIN}interrupted while sending; not repeated"
                    told = uncertain
                # The claim read, not just the row: another process may have resolved it.
                cursor = await conn.execute(
                    "UPDATE outbox SET status = ?, claimed_at = NULL, claimed_by = NULL,"
                    " attempts = attempts + ?, last_error = coalesce(?, last_error)"
                    " WHERE id = ? AND claimed_by = ? AND claimed_at = ?",
                    (status, int(error is not None), error, row["id"], row["claimed_by"],
                     row["claimed_at"]),
                )  # fmt: skip
                if told is not None and cursor.rowcount == 1:
                    told.append(row["key"])
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
                "UPDATE outbox SET status = 'cancelled' WHERE status = 'pending'"
                " AND key >= ? AND key < ?",
                _prefix_range(key_prefix),
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
            "SELECT status, COUNT(*) AS n FROM outbox WHERE key >= ? AND key < ? GROUP BY status",
            _prefix_range(key_prefix),
        )
        return {row["status"]: row["n"] for row in rows}


def _prefix_range(key_prefix: str) -> tuple[str, str]:
    """Keys starting with the prefix, exactly (LIKE would fold case on SQLite and read "_"
    in a sharer id as a wildcard), as a range of the key's index."""
    return key_range(key_prefix) if key_prefix else ("", "\U0010ffff")
