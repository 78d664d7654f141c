"""Read-only queries behind the alerts between digests (bot/domain/alerts.py decides)."""

from __future__ import annotations

from datetime import datetime

from bot.domain.alerts import ExpiringCode
from bot.domain.pipeline import Stage
from storage.db import Database, from_ts, to_ts


class AlertReads:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def codes_without_ads_result(self, now: datetime, until: datetime) -> list[ExpiringCode]:
        """Samples holding a code (received or handed to ads) that lapses in (now, until] and
        has no ads result reported."""
        rows = await self.db.fetchall(
            "SELECT s.id, s.owner_id, c.handle, s.product, s.code_expires_at"
            " FROM samples s JOIN creators c ON c.id = s.creator_id"
            " WHERE s.stage IN (?, ?) AND s.code_expires_at > ? AND s.code_expires_at <= ?"
            " AND NOT EXISTS (SELECT 1 FROM ad_reports a WHERE a.sample_id = s.id)"
            " ORDER BY s.code_expires_at, s.id",
            (Stage.CODE_RECEIVED, Stage.HANDED_TO_ADS, to_ts(now), to_ts(until)),
        )
        return [
            ExpiringCode(
                sample_id=row[0],
                owner_id=row[1],
                handle=row[2],
                product=row[3],
                expires_at=from_ts(row[4]),  # type: ignore[arg-type]
            )
            for row in rows
        ]
