"""Lives, their dates and the forwards counted on them (SPEC §4 live-stream forwarding).

A post for a date is queued in the same transaction that moves the date's step on, and only if
the date is still where the caller saw it: a date cancelled meanwhile gets nothing queued.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, tzinfo

import aiosqlite

from bot.domain.lives import LiveRequest, Owed, Schedule, Step
from bot.domain.months import Month, month_bounds
from storage import audit
from storage.db import Database, from_ts, to_ts
from storage.outbox import Queued, enqueue_in


@dataclass(frozen=True, slots=True)
class Live:
    id: int
    title: str
    link: str
    schedule: Schedule
    status: str
    created_by: int | None


@dataclass(frozen=True, slots=True)
class LiveDate:
    id: int
    live_id: int
    starts_at: datetime
    status: str
    step: Step
    next_at: datetime | None


@dataclass(frozen=True, slots=True)
class DatedLive:
    live: Live
    date: LiveDate


@dataclass(frozen=True, slots=True)
class PastLive:
    live: Live
    date: LiveDate
    forwards: int


def _live(row: aiosqlite.Row) -> Live:
    if row["once_at"] is not None:
        schedule = Schedule(once=from_ts(row["once_at"]))
    else:
        days = tuple(int(d) for d in row["weekdays"].split(","))
        schedule = Schedule(weekdays=days, at=time.fromisoformat(row["at_time"]))
    return Live(row["id"], row["title"], row["link"], schedule, row["status"], row["created_by"])


def _date(row: aiosqlite.Row, prefix: str = "") -> LiveDate:
    return LiveDate(
        id=row[f"{prefix}id"],
        live_id=row["live_id"],
        starts_at=from_ts(row["starts_at"]),  # type: ignore[arg-type]
        status=row[f"{prefix}status"],
        step=Step(row["step"]),
        next_at=from_ts(row["next_at"]),
    )


_DATED = (
    "SELECT l.*, d.id AS d_id, d.live_id, d.starts_at, d.status AS d_status, d.step, d.next_at"
    " FROM live_dates d JOIN lives l ON l.id = d.live_id"
)


def _dated(row: aiosqlite.Row) -> DatedLive:
    return DatedLive(_live(row), _date(row, "d_"))


class Lives:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def create(
        self,
        request: LiveRequest,
        first: datetime,
        plan: Owed,
        announcement: Callable[[int], Queued],
        *,
        actor_id: int,
        now: datetime,
    ) -> DatedLive:
        """Store the live with its first date (at the step `plan` reaches) and queue its
        announcement (made from the new live's id), all or nothing."""
        title, link, schedule = request.title, request.link, request.schedule
        step, next_at = plan.reached, plan.next_at
        once = to_ts(schedule.once) if schedule.once else None
        weekdays = ",".join(map(str, schedule.weekdays)) if schedule.recurring else None
        at = schedule.at.strftime("%H:%M") if schedule.at else None
        async with self.db.transaction() as conn:
            rows = await conn.execute_fetchall(
                "INSERT INTO lives (title, link, once_at, weekdays, at_time, created_by,"
                " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                (title, link, once, weekdays, at, actor_id, to_ts(now), to_ts(now)),
            )
            live_id = int(rows[0][0])
            await conn.execute(
                "INSERT INTO live_dates (live_id, starts_at, step, next_at) VALUES (?, ?, ?, ?)",
                (live_id, to_ts(first), int(step), to_ts(next_at) if next_at else None),
            )
            await enqueue_in(conn, [announcement(live_id)], due_at=now, now=now)  # type: ignore[arg-type]
            after = {"title": title, "link": link, "once_at": once, "weekdays": weekdays, "at": at}
            await audit.record(conn, at=now, actor_id=actor_id, action="live_add",
                               entity="live", entity_id=live_id, after=after)  # fmt: skip
        found = await self.date_at(live_id, first)  # type: ignore[arg-type]
        assert found is not None
        return found

    async def get(self, live_id: int) -> Live | None:
        row = await self.db.fetchone("SELECT * FROM lives WHERE id = ?", (live_id,))
        return None if row is None else _live(row)

    async def date(self, date_id: int) -> DatedLive | None:
        row = await self.db.fetchone(f"{_DATED} WHERE d.id = ?", (date_id,))
        return None if row is None else _dated(row)

    async def date_at(self, live_id: int, start: datetime) -> DatedLive | None:
        row = await self.db.fetchone(
            f"{_DATED} WHERE d.live_id = ? AND d.starts_at = ?", (live_id, to_ts(start))
        )
        return None if row is None else _dated(row)

    # --- the scheduler ------------------------------------------------------------------

    async def series_to_extend(self, now: datetime) -> list[Live]:
        """Active series with no date still to come: the next one is to be made."""
        rows = await self.db.fetchall(
            "SELECT * FROM lives l WHERE l.status = 'active' AND l.weekdays IS NOT NULL"
            " AND NOT EXISTS (SELECT 1 FROM live_dates d WHERE d.live_id = l.id"
            " AND d.status = 'scheduled' AND d.starts_at > ?)",
            (to_ts(now),),
        )
        return [_live(row) for row in rows]

    async def cancelled_starts(self, live_id: int, after: datetime) -> set[datetime]:
        rows = await self.db.fetchall(
            "SELECT starts_at FROM live_dates WHERE live_id = ? AND status = 'cancelled'"
            " AND starts_at > ?",
            (live_id, to_ts(after)),
        )
        return {from_ts(row[0]) for row in rows}  # type: ignore[misc]

    async def add_date(self, live_id: int, start: datetime, next_at: datetime | None) -> None:
        async with self.db.transaction() as conn:
            await conn.execute(
                "INSERT INTO live_dates (live_id, starts_at, next_at) VALUES (?, ?, ?)"
                " ON CONFLICT (live_id, starts_at) DO NOTHING",
                (live_id, to_ts(start), to_ts(next_at) if next_at else None),
            )

    async def due_dates(self, now: datetime, limit: int = 100) -> list[DatedLive]:
        rows = await self.db.fetchall(
            f"{_DATED} WHERE d.next_at IS NOT NULL AND d.next_at <= ? AND d.status = 'scheduled'"
            " ORDER BY d.next_at LIMIT ?",
            (to_ts(now), limit),
        )
        return [_dated(row) for row in rows]

    async def advance(
        self,
        date: LiveDate,
        reached: Step,
        next_at: datetime | None,
        message: Queued | None,
        *,
        now: datetime,
    ) -> bool:
        """Move the date from the step it was read at to `reached`, queueing `message` with it;
        False (nothing queued) when it was cancelled or moved on meanwhile."""
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE live_dates SET step = ?, next_at = ? WHERE id = ? AND step = ?"
                " AND status = 'scheduled'",
                (int(reached), to_ts(next_at) if next_at else None, date.id, int(date.step)),
            )
            if cursor.rowcount != 1:
                return False
            if message is not None:
                await enqueue_in(conn, [message], due_at=now, now=now)
        return True

    # --- listing and cancelling ----------------------------------------------------------

    async def upcoming(self, now: datetime, limit: int = 50) -> list[DatedLive]:
        rows = await self.db.fetchall(
            f"{_DATED} WHERE d.status = 'scheduled' AND l.status = 'active' AND d.starts_at > ?"
            " ORDER BY d.starts_at, d.id LIMIT ?",
            (to_ts(now), limit),
        )
        return [_dated(row) for row in rows]

    async def recent(self, since: datetime, now: datetime, limit: int = 5) -> list[PastLive]:
        """Dates that started in [since, now], newest first, with their forward counts."""
        rows = await self.db.fetchall(
            "SELECT l.*, d.id AS d_id, d.live_id, d.starts_at, d.status AS d_status, d.step,"
            " d.next_at, (SELECT COUNT(*) FROM live_forwards f WHERE f.date_id = d.id) AS forwards"
            " FROM live_dates d JOIN lives l ON l.id = d.live_id"
            " WHERE d.status = 'scheduled' AND d.starts_at BETWEEN ? AND ?"
            " ORDER BY d.starts_at DESC LIMIT ?",
            (to_ts(since), to_ts(now), limit),
        )
        return [PastLive(_live(row), _date(row, "d_"), row["forwards"]) for row in rows]

    async def cancel_live(self, live: Live, *, actor_id: int, now: datetime) -> list[LiveDate]:
        """Cancel the live and its dates to come; returns those dates as they were."""
        async with self.db.transaction() as conn:
            rows = await conn.execute_fetchall(
                "SELECT * FROM live_dates WHERE live_id = ? AND status = 'scheduled'"
                " AND starts_at > ? ORDER BY starts_at",
                (live.id, to_ts(now)),
            )
            await conn.execute(
                "UPDATE live_dates SET status = 'cancelled', next_at = NULL"
                " WHERE live_id = ? AND status = 'scheduled' AND starts_at > ?",
                (live.id, to_ts(now)),
            )
            await audit.set_column(conn, "lives", "id", live.id, "status", "cancelled",
                                   at=now, actor_id=actor_id, action="live_cancel",
                                   entity="live")  # fmt: skip
        return [_date(row) for row in rows]

    async def cancel_date(
        self, live: Live, start: datetime, *, actor_id: int, now: datetime
    ) -> LiveDate | None:
        """Cancel one date of a series (made now if the scheduler has not made it yet);
        returns the date as it was (None: not made yet)."""
        async with self.db.transaction() as conn:
            rows = await conn.execute_fetchall(
                "SELECT * FROM live_dates WHERE live_id = ? AND starts_at = ?",
                (live.id, to_ts(start)),
            )
            await conn.execute(
                "INSERT INTO live_dates (live_id, starts_at, status) VALUES (?, ?, 'cancelled')"
                " ON CONFLICT (live_id, starts_at) DO UPDATE SET status = 'cancelled',"
                " next_at = NULL",
                (live.id, to_ts(start)),
            )
            await audit.record(conn, at=now, actor_id=actor_id, action="live_cancel_date",
                               entity="live", entity_id=live.id,
                               before=None, after={"cancelled": start.isoformat()})  # fmt: skip
        rows = list(rows)
        return _date(rows[0]) if rows else None

    # --- forwards ------------------------------------------------------------------------

    async def add_forward(
        self, date_id: int, sharer_id: str, user_id: int, *, now: datetime
    ) -> bool:
        """Count one sharer's forward of one date; False if it was counted already."""
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "INSERT INTO live_forwards (date_id, sharer_id, user_id, at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (date_id, sharer_id) DO NOTHING",
                (date_id, sharer_id, user_id, to_ts(now)),
            )
            if cursor.rowcount != 1:
                return False
            await audit.record(conn, at=now, actor_id=user_id, action="live_forward",
                               entity="live_date", entity_id=date_id,
                               after={"sharer_id": sharer_id})  # fmt: skip
        return True

    async def forward_count(self, date_id: int) -> int:
        return int(
            await self.db.fetchval(
                "SELECT COUNT(*) FROM live_forwards WHERE date_id = ?", (date_id,)
            )
        )

    async def forwards_of(self, sharer_id: str, since: datetime, until: datetime) -> int:
        """How many lives this sharer said they forwarded in [since, until)."""
        return int(
            await self.db.fetchval(
                "SELECT COUNT(*) FROM live_forwards WHERE sharer_id = ? AND at >= ? AND at < ?",
                (sharer_id, to_ts(since), to_ts(until)),
            )
        )

    async def forwards_by_sharer(self, since: datetime, until: datetime) -> dict[str, int]:
        """Forwards per sharer in [since, until): the digest's activity figures."""
        rows = await self.db.fetchall(
            "SELECT sharer_id, COUNT(*) FROM live_forwards WHERE at >= ? AND at < ?"
            " GROUP BY sharer_id",
            (to_ts(since), to_ts(until)),
        )
        return {row[0]: row[1] for row in rows}

    async def forwards_in_month(self, sharer_id: str, month: Month, tz: tzinfo) -> int:
        """The sharer's forwards in a local calendar month (shown by /me)."""
        return await self.forwards_of(sharer_id, *month_bounds(month, tz))
