"""Read-only queries behind the managers' digest and reports (bot/domain/digest.py defines
the figures).

Nothing here writes or takes the writer lock: commands keep being answered while a digest is
built. Every figure comes from a rollup (migration 0017 and the import's): order_day for a
day's totals and buyers, sharer_day / sharer_month / sharer_week for sharers, sharer_first for
new sharers, sku_day_total for SKUs, buyer_day for distinct buyers. A period read
from a month's or week's rollup takes out the days of it that the report leaves out, when
those are fewer than the days it covers (_Sums).
"""

from __future__ import annotations

from datetime import date, timedelta, tzinfo
from decimal import Decimal

from bot.domain.digest import (
    AVERAGE_DAYS,
    FULFILMENT_DAYS,
    TOP,
    Community,
    DigestData,
    Pipeline,
    SalesDay,
    day_bounds,
    ymd,
)
from storage import dialect
from storage.db import Database, to_ts
from storage.faq import Faq
from storage.lives import Lives
from storage.samples import Samples


def _date(day: int) -> date:
    return date(day // 10000, day // 100 % 100, day % 100)


class DigestReads:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def sales_days(self, first: date, last: date) -> dict[date, SalesDay]:
        """Each day in [first, last] that had orders."""
        lo, hi = ymd(first), ymd(last)
        totals = await self.db.fetchall(
            "SELECT day, amount_fen, valid_fen, orders, customers FROM order_day"
            " WHERE day BETWEEN ? AND ?",
            (lo, hi),
        )
        active = await self._by_day(
            "SELECT day, COUNT(*) FROM sharer_day WHERE day BETWEEN ? AND ? AND orders > 0"
            " AND sharer_id <> '' GROUP BY day",
            lo,
            hi,
        )
        # New: the sharer's first day with a valid order (sharer_first) is that day.
        new = await self._by_day(
            "SELECT day, COUNT(*) FROM sharer_first WHERE day BETWEEN ? AND ?"
            " AND sharer_id <> '' GROUP BY day",
            lo,
            hi,
        )
        return {
            _date(day): SalesDay(
                gmv_fen=gmv,
                valid_fen=valid,
                orders=orders,
                customers=customers,
                active_sharers=active.get(day, 0),
                new_sharers=new.get(day, 0),
            )
            for day, gmv, valid, orders, customers in totals
        }

    async def _by_day(self, sql: str, lo: int, hi: int) -> dict[int, int]:
        return {row[0]: row[1] for row in await self.db.fetchall(sql, (lo, hi))}

    async def top_sharers(self, day: date, limit: int = TOP) -> list[tuple[str, int]]:
        rows = await self.db.fetchall(
            "SELECT sharer_id, valid_fen FROM sharer_day WHERE day = ? AND orders > 0"
            " AND sharer_id <> '' AND valid_fen > 0 ORDER BY valid_fen DESC, sharer_id LIMIT ?",
            (ymd(day), limit),
        )
        return [(row[0], row[1]) for row in rows]

    async def top_sharers_between(
        self, first: date, last: date, limit: int | None = TOP
    ) -> list[tuple[str, int]]:
        """The period's best sharers, `limit` of them (None: all)."""
        sums, params = await _Sums.of(self.db, first, last)
        rows = await self.db.fetchall(
            f"SELECT sharer_id, fen FROM ({sums}) AS s WHERE fen > 0 ORDER BY fen DESC,"
            " sharer_id LIMIT COALESCE(?, 9223372036854775807)",
            (*params, limit),
        )
        return [(row[0], row[1]) for row in rows]

    async def top_skus(self, day: date, limit: int = TOP) -> list[tuple[str, int, int]]:
        rows = await self.db.fetchall(
            "SELECT sku, valid_fen, orders FROM sku_day_total WHERE day = ? AND sku <> ''"
            " AND valid_fen > 0 ORDER BY valid_fen DESC, sku LIMIT ?",
            (ymd(day), limit),
        )
        return [(row[0], row[1], row[2]) for row in rows]

    async def pipeline(self, day: date, tz: tzinfo) -> Pipeline | None:
        """The day's sample figures; None when there are no samples at all."""
        start, end = day_bounds(day, tz)
        s, e = to_ts(start), to_ts(end)
        since = to_ts(end - timedelta(days=FULFILMENT_DAYS))
        row = await self.db.fetchone(
            f"SELECT COUNT(*), {_count('shipped_at >= ?1 AND shipped_at < ?2')},"
            f" {_count('signed_at >= ?1 AND signed_at < ?2')},"
            f" {_count('video_at >= ?1 AND video_at < ?2')},"
            f" {_count('handed_at >= ?1 AND handed_at < ?2')},"
            f" {_count(_NO_SHOW)},"
            f" {_count('signed_at >= ?3 AND signed_at < ?2')},"
            f" {_count('signed_at >= ?3 AND signed_at < ?2 AND video_at < ?2')}"
            " FROM samples",
            (s, e, since),
        )
        if row is None or not row[0]:
            return None
        signed_recent, with_video = row[6] or 0, row[7] or 0
        return Pipeline(
            shipped=row[1] or 0,
            signed=row[2] or 0,
            videos=row[3] or 0,
            to_ads=row[4] or 0,
            no_shows=row[5] or 0,
            fulfilment_rate=None if not signed_recent else _rate(with_video, signed_recent),
            overdue=await Samples(self.db).overdue_counts(end, None),
        )

    async def community(self, day: date, tz: tzinfo) -> Community:
        start, end = day_bounds(day, tz)
        lives = await self.db.fetchall(
            "SELECT l.title, (SELECT COUNT(*) FROM live_forwards f WHERE f.date_id = d.id)"
            " FROM live_dates d JOIN lives l ON l.id = d.live_id WHERE d.starts_at >= ?"
            " AND d.starts_at < ? AND d.status = 'scheduled' ORDER BY d.starts_at, d.id",
            (to_ts(start), to_ts(end)),
        )
        any_live = await self.db.fetchval("SELECT EXISTS (SELECT 1 FROM lives)")
        forwards = await Lives(self.db).forwards_by_sharer(start, end)
        any_faq = await self.db.fetchval(
            "SELECT EXISTS (SELECT 1 FROM faq) OR EXISTS (SELECT 1 FROM faq_unanswered)"
        )
        return Community(
            live_forwards=sum(forwards.values()) if any_live else None,
            lives=[(row[0], row[1]) for row in lives] if any_live else None,
            unanswered=await Faq(self.db).count_unanswered(start, end) if any_faq else None,
        )

    # --- periods (weekly and monthly reports) ---------------------------------------------

    async def period_sales(self, first: date, last: date) -> SalesDay:
        """The period's totals; customers and sharers are counted once however many days
        they bought or sold on."""
        lo, hi = ymd(first), ymd(last)
        gmv, valid, orders = await self.db.fetchone(
            "SELECT COALESCE(SUM(amount_fen), 0), COALESCE(SUM(valid_fen), 0),"
            " COALESCE(SUM(orders), 0) FROM order_day WHERE day BETWEEN ? AND ?",
            (lo, hi),
        )
        sums, params = await _Sums.of(self.db, first, last)
        active = await self.db.fetchval(f"SELECT COUNT(*) FROM ({sums}) AS s WHERE n > 0", params)
        new = await self.db.fetchval(
            "SELECT COUNT(*) FROM sharer_first WHERE day BETWEEN ? AND ? AND sharer_id <> ''",
            (lo, hi),
        )
        customers = await self._customers(first, last)
        return SalesDay(int(gmv), int(valid), int(orders), customers, active, new)

    async def _customers(self, first: date, last: date) -> int:
        """Distinct buyers in [first, last]: a day's are in order_day; a longer span's are
        grouped from buyer_day's days, on a connection of its own with room to sort in memory
        (a month is some 400,000 rows at 5M orders a year), so that the bot's queries do not
        wait behind it."""
        lo, hi = ymd(first), ymd(last)
        if lo == hi:
            found = await self.db.fetchval("SELECT customers FROM order_day WHERE day = ?", (lo,))
            return int(found or 0)
        sql = (
            "SELECT COUNT(*) FROM (SELECT buyer_id FROM buyer_day WHERE day BETWEEN ? AND ?"
            " GROUP BY buyer_id) AS b"
        )
        async with self.db.sibling() as side:
            await dialect.of(self.db).session_memory(side.conn, _SORT_KIB)
            return int(await side.fetchval(sql, (lo, hi)))

    async def top_skus_between(
        self, first: date, last: date, limit: int | None = TOP
    ) -> list[tuple[str, int, int]]:
        rows = await self.db.fetchall(
            "SELECT sku, SUM(valid_fen) AS fen, SUM(orders) FROM sku_day_total WHERE day"
            " BETWEEN ? AND ? AND sku <> '' GROUP BY sku HAVING SUM(valid_fen) > 0"
            " ORDER BY fen DESC, sku LIMIT COALESCE(?, 9223372036854775807)",
            (ymd(first), ymd(last), limit),
        )
        return [(row[0], row[1], row[2]) for row in rows]

    async def samples_by_bd(
        self, first: date, last: date, tz: tzinfo
    ) -> dict[int, tuple[int, int, int]] | None:
        """(shipped, signed, videos) in the period per BD; None when there are no samples."""
        s, e = to_ts(day_bounds(first, tz)[0]), to_ts(day_bounds(last, tz)[1])
        if not await self.db.fetchval("SELECT EXISTS (SELECT 1 FROM samples)"):
            return None
        rows = await self.db.fetchall(
            f"SELECT owner_id, {_count('shipped_at >= ?1 AND shipped_at < ?2')},"
            f" {_count('signed_at >= ?1 AND signed_at < ?2')},"
            f" {_count('video_at >= ?1 AND video_at < ?2')}"
            " FROM samples GROUP BY owner_id ORDER BY owner_id",
            (s, e),
        )
        return {r[0]: (r[1] or 0, r[2] or 0, r[3] or 0) for r in rows if any(r[1:])}

    async def fulfilment_between(self, first: date, last: date, tz: tzinfo) -> Decimal | None:
        """Of the samples signed in the period, the share with a video by its end."""
        s, e = to_ts(day_bounds(first, tz)[0]), to_ts(day_bounds(last, tz)[1])
        signed, with_video = await self.db.fetchone(
            f"SELECT COUNT(*), {_count('video_at < ?2')} FROM samples"
            " WHERE signed_at >= ?1 AND signed_at < ?2",
            (s, e),
        )
        return _rate(with_video or 0, signed) if signed else None

    async def live_forwards_between(self, first: date, last: date, tz: tzinfo) -> int | None:
        """Forwards in the period; None while there are no lives at all."""
        if not await self.db.fetchval("SELECT EXISTS (SELECT 1 FROM lives)"):
            return None
        start, end = day_bounds(first, tz)[0], day_bounds(last, tz)[1]
        return sum((await Lives(self.db).forwards_by_sharer(start, end)).values())

    async def any_report(self, kind: str) -> bool:
        """Whether a report of this kind was ever queued (keys "report:<kind>:...")."""
        lo = f"report:{kind}:"
        return bool(
            await self.db.fetchval(
                "SELECT EXISTS (SELECT 1 FROM outbox WHERE key >= ? AND key < ?)",
                (lo, lo[:-1] + ";"),
            )
        )

    async def any_digest(self) -> bool:
        """Whether a digest was ever queued (its outbox keys start with "digest:")."""
        return bool(
            await self.db.fetchval(
                "SELECT EXISTS (SELECT 1 FROM outbox WHERE key >= 'digest:' AND key < 'digest;')"
            )
        )

    async def digest(self, day: date, tz: tzinfo) -> DigestData:
        """Read on a connection of its own: the bot's queries and writes do not queue behind
        the digest's on the one connection's thread meanwhile."""
        async with self.db.sibling() as side:
            reads = DigestReads(side)
            return DigestData(
                day=day,
                sales=await reads.sales_days(day - timedelta(days=AVERAGE_DAYS), day),
                top_sharers=await reads.top_sharers(day),
                top_skus=await reads.top_skus(day),
                pipeline=await reads.pipeline(day, tz),
                community=await reads.community(day, tz),
            )


_NO_SHOW = "stage = 'no_show' AND closed_at >= ?1 AND closed_at < ?2"


def _count(condition: str) -> str:
    """How many rows meet a condition (a condition is no number on PostgreSQL)."""
    return f"COUNT(*) FILTER (WHERE {condition})"


def _rate(part: int, whole: int) -> Decimal:
    return Decimal(part) / Decimal(whole)


_SORT_KIB = 64 * 1024


def _month_days(month: int) -> tuple[int, int]:
    return month * 100 + 1, month * 100 + 31


def _outside(span: tuple[int, int], lo: int, hi: int) -> tuple[int, int, int, int]:
    """The two day ranges of `span` outside [lo, hi] (an empty one as lo > hi)."""
    return span[0], lo - 1, hi + 1, span[1]


async def _fewer_outside(db: Database, lo: int, hi: int, span: tuple[int, int]) -> bool:
    """Whether the days of `span` outside [lo, hi] had fewer orders than those inside."""
    inside, outside = await db.fetchone(
        "SELECT COALESCE(SUM(orders) FILTER (WHERE day BETWEEN ?1 AND ?2), 0),"
        " COALESCE(SUM(orders) FILTER (WHERE NOT (day BETWEEN ?1 AND ?2)), 0)"
        " FROM order_day WHERE day BETWEEN ?3 AND ?4",
        (lo, hi, *span),
    )
    return bool(outside < inside or not outside)


class _Sums:
    """A subquery of (sharer_id, fen, n): each attributed sharer's valid sales and valid
    orders in [first, last]. When both ends lie in one ISO week or one month and its other
    days hold fewer orders: that period's row (sharer_week, sharer_month) less those days;
    else summed from sharer_day."""

    _DIRECT = (
        "SELECT sharer_id, SUM(valid_fen) AS fen, SUM(orders) AS n FROM sharer_day"
        " WHERE day BETWEEN ? AND ? AND orders > 0 AND sharer_id <> '' GROUP BY sharer_id"
    )

    @staticmethod
    def _rest(table: str, key: str) -> str:
        days = (
            "SELECT sharer_id, valid_fen, orders FROM sharer_day WHERE day BETWEEN ? AND ?"
            " AND orders > 0"
        )
        return (
            f"SELECT r.sharer_id AS sharer_id, r.valid_fen - coalesce(o.fen, 0) AS fen,"
            f" r.orders - coalesce(o.n, 0) AS n FROM {table} r LEFT JOIN (SELECT sharer_id,"
            f" SUM(valid_fen) AS fen, SUM(orders) AS n FROM ({days} UNION ALL {days}) AS d"
            f" GROUP BY sharer_id) o ON o.sharer_id = r.sharer_id"
            f" WHERE r.{key} = ? AND r.sharer_id <> ''"
        )

    @classmethod
    async def of(cls, db: Database, first: date, last: date) -> tuple[str, tuple[int, ...]]:
        lo, hi = ymd(first), ymd(last)
        year, week, _ = first.isocalendar()
        if (year, week) == last.isocalendar()[:2]:
            monday = first - timedelta(days=first.weekday())
            span = (ymd(monday), ymd(monday + timedelta(days=6)))
            table, key, value = "sharer_week", "week", year * 100 + week
        elif lo // 100 == hi // 100:
            span, table, key, value = _month_days(lo // 100), "sharer_month", "month", lo // 100
        else:
            return cls._DIRECT, (lo, hi)
        if not await _fewer_outside(db, lo, hi, span):
            return cls._DIRECT, (lo, hi)
        return cls._rest(table, key), (*_outside(span, lo, hi), value)
