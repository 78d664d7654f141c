"""Leaderboards: ranked valid sales per period from the rollups, and one sharer's place.

The rollups (sharer_month, sharer_week, sharer_day, sku_day) are kept by the order import;
a board is cached until the database changes.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from bot.domain.commission import rank
from storage.db import Database


class Boards:
    def __init__(self, db: Database) -> None:
        self.db = db
        self._boards: dict[tuple[object, ...], list[tuple[int, str, int]]] = {}

    async def month_rank(self, sharer_id: str, month: int) -> int | None:
        """The sharer's place on the month board (ties share a place, as on the board), or
        None when they are not on it (no valid sales, or hidden). One range read of the
        (month, valid_fen) index above their figure instead of building the whole board."""
        row = await self.db.fetchone(
            "SELECT m.valid_fen, s.hidden FROM sharer_month m"
            " LEFT JOIN sharers s ON s.sharer_id = m.sharer_id"
            " WHERE m.sharer_id = ? AND m.month = ?",
            (sharer_id, month),
        )
        if row is None or row[0] <= 0 or row[1]:
            return None
        # Everyone above, counted in the index alone, less the few hidden among them (from
        # the hidden ones' index: CROSS JOIN keeps that order), rather than looking up each
        # one above in sharers.
        ahead = await self.db.fetchval(
            "SELECT (SELECT COUNT(*) FROM sharer_month WHERE month = ? AND valid_fen > ?"
            " AND sharer_id <> '') - (SELECT COUNT(*) FROM sharers s CROSS JOIN sharer_month m"
            " ON m.sharer_id = s.sharer_id AND m.month = ? WHERE s.hidden AND m.valid_fen > ?"
            " AND s.sharer_id <> '')",
            (month, row[0]) * 2,
        )
        return 1 + int(ahead)

    async def board(self, period: tuple[Any, ...]) -> list[tuple[int, str, int]]:
        """Ranked (rank, sharer_id, valid_fen) for a period, hidden sharers left out.

        period: ("month", yyyymm) | ("year", yyyy) | ("days", first_day, last_day)
        | ("sku", sku, first, last).
        Cached until the database changes (this connection's writes or anyone else's), so a
        busy group asking /top again costs two tiny reads.
        """
        key = (period, *await self._version())
        found = self._boards.get(key)
        if found is not None:
            return found
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
        return await self._ranked(key, sql, params)

    async def team_board(self, period: tuple[Any, ...]) -> list[tuple[int, str, int]]:
        """Ranked (rank, leader_id, team valid_fen): a team is the sharers whose leader is
        that sharer, the leader's own sales left out, as the team reward counts it. Hidden
        leaders are left out; their members' sales still count for whoever leads them.

        period: ("month", yyyymm) | ("days", monday, sunday) of one ISO week.
        """
        key = ("teams", *period, *await self._version())
        found = self._boards.get(key)
        if found is not None:
            return found
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
        return await self._ranked(key, sql, params)

    async def _version(self) -> tuple[int, int]:
        changes = await self.db.fetchval("SELECT total_changes()")
        return changes, await self.db.fetchval("PRAGMA data_version")

    async def _ranked(
        self, key: tuple[object, ...], sql: str, params: tuple[Any, ...]
    ) -> list[tuple[int, str, int]]:
        rows = await self.db.fetchall(sql, params)
        hidden = {
            r[0] for r in await self.db.fetchall("SELECT sharer_id FROM sharers WHERE hidden")
        }
        values = {sid: v for sid, v in rows if v > 0 and sid and sid not in hidden}
        ranked = rank(values)
        if len(self._boards) > 64:
            self._boards.clear()
        self._boards[key] = ranked
        return ranked


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
