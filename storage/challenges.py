"""Sales challenges: stored, listed, ended early; their boosts for the commission engine.

What a challenge may be and when its board is due are bot.domain.challenges'; this module
keeps the rows, audits each change and queues the messages announcing it in the same
transaction, so a challenge exists if and only if its announcement is queued.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal

import aiosqlite

from bot.domain.challenges import Challenge, ChallengeError, boosts
from bot.domain.money import format_rate, parse_rate
from bot.domain.rules import Boost
from storage import audit
from storage.db import Database, from_ts, to_ts
from storage.outbox import Queued, enqueue_in

_COLUMNS = "id, sku, rate, start_day, end_day, planned_end, created_by, created_at, ended_at"
Announce = Callable[[Challenge], list[Queued]]


def _challenge(row: aiosqlite.Row) -> Challenge:
    return Challenge(
        id=row[0],
        sku=row[1],
        rate=parse_rate(row[2]),
        start=date.fromisoformat(row[3]),
        end=date.fromisoformat(row[4]),
        planned_end=date.fromisoformat(row[5]),
        created_by=row[6],
        created_at=from_ts(row[7]),  # type: ignore[arg-type]
        ended_at=from_ts(row[8]),
    )


def _audit_view(c: Challenge) -> dict[str, object]:
    return {"sku": c.sku, "rate": format_rate(c.rate), "start": c.start.isoformat(),
            "end": c.end.isoformat()}  # fmt: skip


class Challenges:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def create(
        self,
        sku: str,
        rate: Decimal,
        start: date,
        end: date,
        *,
        actor_id: int,
        now: datetime,
        announce: Announce | None = None,
    ) -> Challenge:
        async with self.db.transaction() as conn:
            rows = await conn.execute_fetchall(
                "INSERT INTO challenges (sku, rate, start_day, end_day, planned_end, created_by,"
                " created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                (sku, format_rate(rate), start.isoformat(), end.isoformat(), end.isoformat(),
                 actor_id, to_ts(now)),
            )  # fmt: skip
            made = Challenge(int(rows[0][0]), sku, rate, start, end, end, actor_id, now)
            await audit.record(
                conn, at=now, actor_id=actor_id, action="create", entity="challenge",
                entity_id=made.id, after=_audit_view(made),
            )  # fmt: skip
            if announce is not None:
                await enqueue_in(conn, announce(made), due_at=now, now=now)
        return made

    async def get(self, challenge_id: int) -> Challenge:
        rows = await self.db.fetchall(
            f"SELECT {_COLUMNS} FROM challenges WHERE id = ?", (challenge_id,)
        )
        if not rows:
            raise ChallengeError("not_found", id=challenge_id)
        return _challenge(rows[0])

    async def since(self, first_day: date) -> list[Challenge]:
        """Challenges whose last day is `first_day` or later (running, upcoming, just over),
        oldest first."""
        rows = await self.db.fetchall(
            f"SELECT {_COLUMNS} FROM challenges WHERE end_day >= ? ORDER BY id",
            (first_day.isoformat(),),
        )
        return [_challenge(r) for r in rows]

    async def recent(self, limit: int = 30) -> list[Challenge]:
        """The latest challenges, newest first."""
        rows = await self.db.fetchall(
            f"SELECT {_COLUMNS} FROM challenges ORDER BY id DESC LIMIT ?", (limit,)
        )
        return [_challenge(r) for r in rows]

    async def end(
        self, challenge: Challenge, last_day: date, *, actor_id: int, now: datetime
    ) -> Challenge:
        """End early: the last day becomes `last_day`; its pending boards are cancelled."""
        async with self.db.transaction() as conn:
            await conn.execute(
                "UPDATE challenges SET end_day = ?, ended_by = ?, ended_at = ? WHERE id = ?",
                (last_day.isoformat(), actor_id, to_ts(now), challenge.id),
            )
            await conn.execute(
                "UPDATE outbox SET status = 'cancelled' WHERE status = 'pending'"
                " AND substr(key, 1, ?) = ?",
                (len(prefix := board_prefix(challenge.id)), prefix),
            )
            ended = Challenge(challenge.id, challenge.sku, challenge.rate, challenge.start,
                              last_day, challenge.planned_end, challenge.created_by,
                              challenge.created_at, now)  # fmt: skip
            await audit.record(
                conn, at=now, actor_id=actor_id, action="end", entity="challenge",
                entity_id=challenge.id, before=_audit_view(challenge), after=_audit_view(ended),
            )  # fmt: skip
        return ended

    async def boosts(self, first: date, last: date) -> tuple[Boost, ...]:
        """The boosts of the challenges covering any day from `first` to `last` (ended ones
        too: the days they ran stay boosted)."""
        rows = await self.db.fetchall(
            f"SELECT {_COLUMNS} FROM challenges WHERE end_day >= ? AND start_day <= ?"
            " AND end_day >= start_day ORDER BY id",
            (first.isoformat(), last.isoformat()),
        )
        return boosts(_challenge(r) for r in rows)

    async def sku_sold(self, sku: str) -> bool:
        """Whether any order (any status, any month) has this SKU."""
        return await self.db.fetchval("SELECT 1 FROM orders WHERE sku = ? LIMIT 1", (sku,)) == 1


def board_prefix(challenge_id: int) -> str:
    """Outbox keys of a challenge's boards: `challenge:<id>:board:<day>`."""
    return f"challenge:{challenge_id}:board:"
