"""Read-only queries behind the managers' digest (bot/domain/digest.py defines the figures).

Nothing here writes or takes the writer lock: commands keep being answered while a digest is
built. Sharer and SKU figures come from the rollups (sharer_day, sku_day); GMV, refunds and
customers need the day's orders themselves.
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
            "SELECT day, SUM(amount_fen), SUM(valid_fen), COUNT(*), COUNT(DISTINCT buyer_id)"
            " FROM orders WHERE month BETWEEN ? AND ? AND day BETWEEN ? AND ? GROUP BY day",
            (lo // 100, hi // 100, lo, hi),
        )
        active = {
            row[0]: row[1]
            for row in await self.db.fetchall(
                "SELECT day, COUNT(*) FROM sharer_day WHERE day BETWEEN ? AND ?"
                " AND orders > 0 AND sharer_id <> '' GROUP BY day",
                (lo, hi),
            )
        }
        # New: the sharer has no earlier day with a valid order (the rollup's key is
        # (sharer_id, day), so each check is one index probe).
        new = {
            row[0]: row[1]
            for row in await self.db.fetchall(
                "SELECT d.day, COUNT(*) FROM sharer_day d WHERE d.day BETWEEN ? AND ?"
                " AND d.orders > 0 AND d.sharer_id <> '' AND NOT EXISTS (SELECT 1 FROM"
                " sharer_day e WHERE e.sharer_id = d.sharer_id AND e.day < d.day"
                " AND e.orders > 0) GROUP BY d.day",
                (lo, hi),
            )
        }
        return {
            _date(day): SalesDay(
                gmv_fen=gmv or 0,
                valid_fen=valid or 0,
                orders=orders,
                customers=customers,
                active_sharers=active.get(day, 0),
                new_sharers=new.get(day, 0),
            )
            for day, gmv, valid, orders, customers in totals
        }

    async def top_sharers(self, day: date, limit: int = TOP) -> list[tuple[str, int]]:
        rows = await self.db.fetchall(
            "SELECT sharer_id, valid_fen FROM sharer_day WHERE day = ? AND sharer_id <> ''"
            " AND valid_fen > 0 ORDER BY valid_fen DESC, sharer_id LIMIT ?",
            (ymd(day), limit),
        )
        return [(row[0], row[1]) for row in rows]

    async def top_sharers_between(
        self, first: date, last: date, limit: int = TOP
    ) -> list[tuple[str, int]]:
        rows = await self.db.fetchall(
            "SELECT sharer_id, SUM(valid_fen) AS fen FROM sharer_day WHERE day BETWEEN ? AND ?"
            " AND sharer_id <> '' GROUP BY sharer_id HAVING fen > 0"
            " ORDER BY fen DESC, sharer_id LIMIT ?",
            (ymd(first), ymd(last), limit),
        )
        return [(row[0], row[1]) for row in rows]

    async def top_skus(self, day: date, limit: int = TOP) -> list[tuple[str, int, int]]:
        rows = await self.db.fetchall(
            "SELECT sku, SUM(valid_fen) AS fen, SUM(orders) FROM sku_day WHERE day = ?"
            " AND sku <> '' GROUP BY sku HAVING fen > 0 ORDER BY fen DESC, sku LIMIT ?",
            (ymd(day), limit),
        )
        return [(row[0], row[1], row[2]) for row in rows]

    async def pipeline(self, day: date, tz: tzinfo) -> Pipeline | None:
        """The day's sample figures; None when there are no samples at all."""
        start, end = day_bounds(day, tz)
        s, e = to_ts(start), to_ts(end)
        since = to_ts(end - timedelta(days=FULFILMENT_DAYS))
        row = await self.db.fetchone(
            "SELECT COUNT(*), SUM(shipped_at >= ?1 AND shipped_at < ?2),"
            " SUM(signed_at >= ?1 AND signed_at < ?2), SUM(video_at >= ?1 AND video_at < ?2),"
            " SUM(handed_at >= ?1 AND handed_at < ?2),"
            " SUM(stage = 'no_show' AND closed_at >= ?1 AND closed_at < ?2),"
            " SUM(signed_at >= ?3 AND signed_at < ?2),"
            " SUM(signed_at >= ?3 AND signed_at < ?2 AND video_at IS NOT NULL AND video_at < ?2)"
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
        gmv, valid, orders, customers = await self.db.fetchone(
            "SELECT SUM(amount_fen), SUM(valid_fen), COUNT(*), COUNT(DISTINCT buyer_id)"
            " FROM orders WHERE month BETWEEN ? AND ? AND day BETWEEN ? AND ?",
            (lo // 100, hi // 100, lo, hi),
        )
        active, new = await self.db.fetchone(
            "SELECT COUNT(*), SUM(NOT EXISTS (SELECT 1 FROM sharer_day e WHERE e.sharer_id ="
            " a.sharer_id AND e.day < ?1 AND e.orders > 0)) FROM (SELECT DISTINCT sharer_id"
            " FROM sharer_day WHERE day BETWEEN ?1 AND ?2 AND orders > 0 AND sharer_id <> '') a",
            (lo, hi),
        )
        return SalesDay(gmv or 0, valid or 0, orders, customers, active, new or 0)

    async def top_skus_between(
        self, first: date, last: date, limit: int = TOP
    ) -> list[tuple[str, int, int]]:
        rows = await self.db.fetchall(
            "SELECT sku, SUM(valid_fen) AS fen, SUM(orders) FROM sku_day WHERE day BETWEEN ?"
            " AND ? AND sku <> '' GROUP BY sku HAVING fen > 0 ORDER BY fen DESC, sku LIMIT ?",
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
            "SELECT owner_id, SUM(shipped_at >= ?1 AND shipped_at < ?2),"
            " SUM(signed_at >= ?1 AND signed_at < ?2), SUM(video_at >= ?1 AND video_at < ?2)"
            " FROM samples GROUP BY owner_id ORDER BY owner_id",
            (s, e),
        )
        return {r[0]: (r[1] or 0, r[2] or 0, r[3] or 0) for r in rows if any(r[1:])}

    async def fulfilment_between(self, first: date, last: date, tz: tzinfo) -> Decimal | None:
        """Of the samples signed in the period, the share with a video by its end."""
        s, e = to_ts(day_bounds(first, tz)[0]), to_ts(day_bounds(last, tz)[1])
        signed, with_video = await self.db.fetchone(
            "SELECT COUNT(*), SUM(video_at IS NOT NULL AND video_at < ?2) FROM samples"
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
        return DigestData(
            day=day,
            sales=await self.sales_days(day - timedelta(days=AVERAGE_DAYS), day),
            top_sharers=await self.top_sharers(day),
            top_skus=await self.top_skus(day),
            pipeline=await self.pipeline(day, tz),
            community=await self.community(day, tz),
        )


def _rate(part: int, whole: int) -> Decimal:
    return Decimal(part) / Decimal(whole)
