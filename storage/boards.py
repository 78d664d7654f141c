"""Leaderboards: ranked valid sales per period from the rollups, and one sharer's place.

The rollups (sharer_month, sharer_week, sharer_day, sku_day) are kept by the order import;
a board is cached until the data it is made of changes, and computed once however many
requests wait for it.

What a board depends on: the rollups and the sharers' hidden flag and leader. Every writer
of sales moves sharer_month with them (the import shifts or rebuilds all rollups together,
refunds included), so triggers on sharer_month and on those columns of sharers bump the
`boards` counter of data_versions (migration 0020) in the writing transaction: a commit by
any process or connection (another bot process on PostgreSQL, a CLI import beside the bot)
moves it; a user's or chat's first-sighting upsert, an outbox row or an audit line does not.

SQLite only: the bot's one connection also shows other tasks' uncommitted writes, which a
rollback takes back (and the counter with them). Temporary triggers count this connection's
relevant writes in Python, a count no rollback undoes, and a board is kept only when that
count did not move while it was built.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from datetime import date, timedelta
from typing import Any

from bot.domain.commission import rank
from storage import versions
from storage.db import Database

Board = list[tuple[int, str, int]]
Version = tuple[int, int]
_KEEP = 32  # boards kept (least recently used dropped): each is one row per sharer

_WATCH = (
    ("sharer_month", "INSERT"),
    ("sharer_month", "UPDATE"),
    ("sharer_month", "DELETE"),
    ("sharers", "INSERT"),
    ("sharers", "UPDATE OF sharer_id, hidden, leader_id"),
    ("sharers", "DELETE"),
)


# Everyone above, counted in the index alone, less the few hidden among them (from the hidden
# ones' index: SQLite's CROSS JOIN keeps that order), rather than looking up each one above
# in sharers. The join's condition is in WHERE: PostgreSQL allows no ON after CROSS JOIN.
_RANK_SQL = (
    "SELECT m.valid_fen, s.hidden,"
    " (SELECT COUNT(*) FROM sharer_month WHERE month = ? AND valid_fen > m.valid_fen"
    " AND sharer_id <> '') - (SELECT COUNT(*) FROM sharers h CROSS JOIN sharer_month a"
    " WHERE a.sharer_id = h.sharer_id AND a.month = ? AND h.hidden <> 0"
    " AND a.valid_fen > m.valid_fen AND h.sharer_id <> '')"
    " FROM sharer_month m LEFT JOIN sharers s ON s.sharer_id = m.sharer_id"
    " WHERE m.sharer_id = ? AND m.month = ?"
)
_COUNTER_SQL = f"SELECT version FROM data_versions WHERE name = '{versions.BOARDS}'"
_WATCHED_SQL = "SELECT count(*) FROM temp.sqlite_master WHERE name GLOB 'crewbot_board_*'"
_SQLITE_VERSION_SQL = f"SELECT ({_COUNTER_SQL}), ({_WATCHED_SQL})"


class Boards:
    def __init__(self, db: Database) -> None:
        self.db = db
        self._boards: OrderedDict[tuple[object, ...], tuple[Version, Board]] = OrderedDict()
        self._flights: dict[tuple[object, ...], asyncio.Task[Board]] = {}
        self._changes = 0  # relevant writes on this connection, never rolled back
        self._setup = asyncio.Lock()
        self.computed = 0  # boards built from the rollups (tests and benchmarks read it)

    async def month_rank(self, sharer_id: str, month: int) -> int | None:
        """The sharer's place on the month board (ties share a place, as on the board), or
        None when they are not on it (no valid sales, or hidden). One range read of the
        (month, valid_fen) index above their figure instead of building the whole board,
        in the same query as their own row (/me asks it on every call)."""
        row = await self.db.fetchone(_RANK_SQL, (month, month, sharer_id, month))
        if row is None or row[0] <= 0 or row[1]:
            return None
        return 1 + int(row[2])

    async def board(self, period: tuple[Any, ...]) -> list[tuple[int, str, int]]:
        """Ranked (rank, sharer_id, valid_fen) for a period, hidden sharers left out.

        period: ("month", yyyymm) | ("year", yyyy) | ("days", first_day, last_day)
        | ("sku", sku, first, last).
        Cached until its data changes, so a busy group asking /top again costs one tiny read.
        """
        return await self._cached(period, lambda: self._board(period))

    async def _board(self, period: tuple[Any, ...]) -> Board:
        kind, params = period[0], period[1:]
        if kind == "month":
            sql = "SELECT sharer_id, valid_fen FROM sharer_month WHERE month = ?"
        elif kind == "year":  # one range of the (month, valid_fen) index, which covers it
            sql = (
                "SELECT sharer_id, SUM(valid_fen) FROM sharer_month WHERE month BETWEEN ? AND ?"
                " GROUP BY sharer_id"
            )
            params = (params[0] * 100 + 1, params[0] * 100 + 12)
        elif kind == "days" and (week := _iso_week(*period[1:])) is not None:
            sql, params = "SELECT sharer_id, valid_fen FROM sharer_week WHERE week = ?", (week,)
        elif kind == "days":
            sql = (
                "SELECT sharer_id, SUM(valid_fen) FROM sharer_day WHERE day BETWEEN ? AND ?"
                " GROUP BY sharer_id"
            )
        else:  # one key range of sku_day per day (its key begins with the day)
            sku, days = params[0], _days(*params[1:])
            sql = (
                f"SELECT sharer_id, SUM(valid_fen) FROM sku_day WHERE day IN"
                f" ({', '.join('?' * len(days))}) AND sku = ? GROUP BY sharer_id"
            )
            params = (*days, sku)
        return await self._ranked(sql, params)

    async def team_board(self, period: tuple[Any, ...]) -> list[tuple[int, str, int]]:
        """Ranked (rank, leader_id, team valid_fen): a team is the sharers whose leader is
        that sharer, the leader's own sales left out, as the team reward counts it. Hidden
        leaders are left out; their members' sales still count for whoever leads them.

        period: ("month", yyyymm) | ("days", monday, sunday) of one ISO week.
        """
        return await self._cached(("teams", *period), lambda: self._team_board(period))

    async def _team_board(self, period: tuple[Any, ...]) -> Board:
        if period[0] == "month":
            rollup, params = "sharer_month r ON r.month = ?", (period[1],)
        elif (week := _iso_week(*period[1:])) is not None:
            rollup, params = "sharer_week r ON r.week = ?", (week,)
        else:
            rollup, params = "sharer_day r ON r.day BETWEEN ? AND ?", tuple(period[1:])
        sql = (
            f"SELECT s.leader_id, SUM(r.valid_fen) FROM sharers s JOIN {rollup}"
            " AND r.sharer_id = s.sharer_id WHERE s.leader_id IS NOT NULL"
            " AND s.leader_id NOT IN ('', s.sharer_id) GROUP BY s.leader_id"
        )
        return await self._ranked(sql, params)

    async def _cached(
        self, key: tuple[object, ...], build: Callable[[], Awaitable[Board]]
    ) -> Board:
        version, steady = await self._version()
        found = self._boards.get(key)
        if found is not None and found[0] == version:
            self._boards.move_to_end(key)
            return found[1]
        flight = self._flights.get((key, version))
        if flight is None:
            # A task of its own, so that one waiter's cancellation does not cancel the others.
            flight = asyncio.ensure_future(self._build(key, version, steady, build))
            self._flights[(key, version)] = flight
            flight.add_done_callback(lambda done: self._landed((key, version), done))
        return await asyncio.shield(flight)

    async def _version(self) -> tuple[Version, bool]:
        """The version of what boards are made of, and whether it is committed (a version
        read inside an open write may count writes that a rollback takes back)."""
        steady = versions.committed(self.db)
        if getattr(self.db, "dialect_name", "sqlite") != "sqlite":
            # A board is built from the pool's connections, which see committed rows only.
            return (0, int(await self.db.fetchval(_COUNTER_SQL) or 0)), steady
        counter, watched = await self.db.fetchone(_SQLITE_VERSION_SQL)  # type: ignore[misc]
        if watched != len(_WATCH):
            # Not watching yet, or the temp schema was dropped (changing PRAGMA temp_store
            # does that): what was written meanwhile is unknown, so count it as a change.
            async with self._setup:
                if await self.db.fetchval(_WATCHED_SQL) != len(_WATCH):
                    await self._watch()
                    self._changes += 1
        return (self._changes, int(counter or 0)), steady

    async def _build(
        self,
        key: tuple[object, ...],
        version: Version,
        steady: bool,
        build: Callable[[], Awaitable[Board]],
    ) -> Board:
        # SQLite: inside another task's open write transaction this connection reads that
        # task's uncommitted rows, which a rollback may take back (with the counter): such a
        # board answers the waiting requests but is not kept.
        steady = steady and versions.committed(self.db)
        self.computed += 1
        board = await build()
        if steady and versions.committed(self.db) and self._changes == version[0]:
            self._boards[key] = (version, board)
            self._boards.move_to_end(key)
            while len(self._boards) > _KEEP:
                self._boards.popitem(last=False)
        return board

    def _landed(self, flight: tuple[object, ...], done: asyncio.Task[Board]) -> None:
        self._flights.pop(flight, None)
        if not done.cancelled():
            done.exception()  # retrieved here too, in case every waiter was cancelled

    def _bump(self) -> None:
        self._changes += 1

    async def _watch(self) -> None:
        """Count this connection's writes to what boards are made of (see the module doc)."""
        await self.db.conn.create_function("crewbot_board_changed", 0, self._bump)
        async with self.db.transaction() as conn:
            for table, event in _WATCH:
                name = f"crewbot_board_{table}_{event.split()[0].lower()}"
                await conn.execute(
                    f"CREATE TEMP TRIGGER IF NOT EXISTS {name} AFTER {event} ON main.{table}"
                    " BEGIN SELECT crewbot_board_changed(); END"
                )

    async def _ranked(self, sql: str, params: tuple[Any, ...]) -> Board:
        rows = await self.db.fetchall(sql, params)
        hidden = {
            r[0] for r in await self.db.fetchall("SELECT sharer_id FROM sharers WHERE hidden <> 0")
        }
        values = {sid: v for sid, v in rows if v > 0 and sid and sid not in hidden}
        return rank(values)


def _days(first: int, last: int) -> list[int]:
    """The calendar days from yyyymmdd `first` to `last` (which may overshoot a month's end,
    as "the 1st + 30" does), as yyyymmdd."""
    day = date(first // 10000, first // 100 % 100, first % 100)
    days = []
    while (n := day.year * 10000 + day.month * 100 + day.day) <= last:
        days.append(n)
        day += timedelta(days=1)
    return days


def _iso_week(first: int, last: int) -> int | None:
    """ISO year*100 + week when yyyymmdd `first`..`last` is exactly one Monday–Sunday week
    (what sharer_week holds), else None."""
    try:
        monday = date(first // 10000, first // 100 % 100, first % 100)
    except ValueError:
        return None
    sunday = monday + timedelta(days=6)
    if monday.weekday() or sunday.year * 10000 + sunday.month * 100 + sunday.day != last:
        return None
    year, week, _ = monday.isocalendar()
    return year * 100 + week
