"""Samples (寄样): their stage, chases and ad reports, and the reads behind the pipeline's
automations. Every stage change goes through `change`, which checks the stage machine, writes
the audit record in the same transaction and records contact with the creator."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import aiosqlite

from bot.domain.adstats import AdStats
from bot.domain.creator_stats import SampleFacts
from bot.domain.creators import fold
from bot.domain.money import DomainError
from bot.domain.pipeline import OPEN_STAGES, Event, Stage, apply_all
from storage import audit
from storage.creators import OVERDUE_SQL, touch_contact
from storage.db import Database, from_ts, to_ts
from storage.errors import IntegrityError


class SampleStoreError(DomainError):
    """Codes: duplicate_video (other); changed (a concurrent change won the race)."""


_TIME_FIELDS = frozenset(
    {
        "shipped_at",
        "signed_at",
        "video_at",
        "rated_at",
        "code_at",
        "code_expires_at",
        "code_warn_at",
        "handed_at",
        "chase_due_at",
        "last_chase_at",
        "closed_at",
    }
)
_OPEN = tuple(stage.value for stage in OPEN_STAGES)
_OPEN_SQL = ", ".join(f"'{stage}'" for stage in sorted(_OPEN))


@dataclass(frozen=True, slots=True)
class ChaseAnswer:
    by_id: int
    replied: bool


@dataclass(frozen=True, slots=True)
class StageCount:
    owner_id: int
    stage: Stage
    n: int


@dataclass(frozen=True, slots=True)
class QuietCreator:
    id: int
    handle: str
    owner_id: int
    last: datetime


@dataclass(frozen=True, slots=True)
class ReviewCreator:
    id: int
    handle: str
    handle_key: str
    tier: str
    status: str
    blocked: bool


@dataclass(frozen=True, slots=True)
class ReviewSample:
    creator_id: int
    facts: SampleFacts
    closed_at: datetime | None


@dataclass(frozen=True, slots=True)
class Sold:
    fen: int
    orders: int


@dataclass(frozen=True, slots=True)
class Sample:
    id: int
    creator_id: int
    handle: str
    tier: str
    owner_id: int
    product: str
    shipping_order_id: str | None
    urgent: bool
    stage: Stage
    shipped_at: datetime
    signed_at: datetime | None
    video_url: str | None
    video_at: datetime | None
    quality_note: str | None
    code: str | None
    code_expires_at: datetime | None
    chase_due_at: datetime | None
    reminders_sent: int
    chases: int
    last_chase_at: datetime | None


_SELECT = (
    "SELECT s.*, c.handle AS handle, c.tier AS tier FROM samples s"
    " JOIN creators c ON c.id = s.creator_id"
)


def _sample(row: aiosqlite.Row) -> Sample:
    return Sample(
        id=row["id"],
        creator_id=row["creator_id"],
        handle=row["handle"],
        tier=row["tier"],
        owner_id=row["owner_id"],
        product=row["product"],
        shipping_order_id=row["shipping_order_id"],
        urgent=bool(row["urgent"]),
        stage=Stage(row["stage"]),
        shipped_at=from_ts(row["shipped_at"]),  # type: ignore[arg-type]
        signed_at=from_ts(row["signed_at"]),
        video_url=row["video_url"],
        video_at=from_ts(row["video_at"]),
        quality_note=row["quality_note"],
        code=row["code"],
        code_expires_at=from_ts(row["code_expires_at"]),
        chase_due_at=from_ts(row["chase_due_at"]),
        reminders_sent=row["reminders_sent"],
        chases=row["chases"],
        last_chase_at=from_ts(row["last_chase_at"]),
    )


def _db_value(name: str, value: Any) -> Any:
    return to_ts(value) if name in _TIME_FIELDS and value is not None else value


class Samples:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def get(self, sample_id: int) -> Sample | None:
        row = await self.db.fetchone(f"{_SELECT} WHERE s.id = ?", (sample_id,))
        return None if row is None else _sample(row)

    async def open_for(self, creator_ids: Sequence[int]) -> list[Sample]:
        if not creator_ids:
            return []  # `IN ()` is an error on PostgreSQL
        marks = ", ".join("?" for _ in creator_ids)
        rows = await self.db.fetchall(
            f"{_SELECT} WHERE s.creator_id IN ({marks}) AND s.stage IN ({_OPEN_SQL}) ORDER BY s.id",
            list(creator_ids),
        )
        return [_sample(row) for row in rows]

    async def count_open(self, creator_id: int, owner_id: int) -> int:
        return int(
            await self.db.fetchval(
                f"SELECT COUNT(*) FROM samples WHERE creator_id = ? AND stage IN ({_OPEN_SQL})"
                " AND owner_id = ?",
                (creator_id, owner_id),
            )
        )

    async def create(
        self,
        *,
        creator_id: int,
        owner_id: int,
        product: str,
        shipping_order_id: str | None,
        urgent: bool,
        now: datetime,
    ) -> int:
        async with self.db.transaction() as conn:
            rows = await conn.execute_fetchall(
                "INSERT INTO samples (creator_id, owner_id, product, shipping_order_id, urgent,"
                " stage, shipped_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                " RETURNING id",
                (
                    creator_id,
                    owner_id,
                    product,
                    shipping_order_id,
                    int(urgent),
                    Stage.SHIPPED,
                    to_ts(now),
                    to_ts(now),
                    to_ts(now),
                ),
            )
            sample_id = int(rows[0][0])
            await touch_contact(conn, creator_id, now)
            after = {"creator_id": creator_id, "product": product, "urgent": urgent}
            await audit.record(
                conn,
                at=now,
                actor_id=owner_id,
                action="sample",
                entity="sample",
                entity_id=sample_id,
                after=after,
            )
        return sample_id

    async def change(
        self,
        sample: Sample,
        events: Iterable[Event],
        *,
        actor_id: int | None,
        now: datetime,
        contact: bool = False,
        fields: dict[str, Any] | None = None,
        conn: aiosqlite.Connection | None = None,
    ) -> Stage:
        """Move the sample through `events` (StageError when not allowed) and set `fields`.

        The UPDATE is guarded by the stage we read, so two people acting at once cannot both
        move the same sample: the loser gets `changed`.
        """
        events = list(events)
        after = apply_all(sample.stage, events)
        if conn is None:
            async with self.db.transaction() as own:
                await self._change(own, sample, events, after, actor_id, now, contact, fields)
        else:
            await self._change(conn, sample, events, after, actor_id, now, contact, fields)
        return after

    async def _change(
        self,
        conn: aiosqlite.Connection,
        sample: Sample,
        events: list[Event],
        after: Stage,
        actor_id: int | None,
        now: datetime,
        contact: bool,
        fields: dict[str, Any] | None,
    ) -> None:
        values = {k: _db_value(k, v) for k, v in (fields or {}).items()}
        values |= {"stage": after.value, "updated_at": to_ts(now)}
        assignments = ", ".join(f"{name} = ?" for name in values)
        try:
            cursor = await conn.execute(
                f"UPDATE samples SET {assignments} WHERE id = ? AND stage = ?",
                [*values.values(), sample.id, sample.stage.value],
            )
        except IntegrityError:
            raise SampleStoreError("duplicate_video") from None
        if cursor.rowcount != 1:
            raise SampleStoreError("changed", number=sample.id)
        if contact:
            await touch_contact(conn, sample.creator_id, now)
        changed = {k: v for k, v in (fields or {}).items() if k in ("video_url", "code")}
        await audit.record(
            conn,
            at=now,
            actor_id=actor_id,
            action="+".join(e.value for e in events) or "edit",
            entity="sample",
            entity_id=sample.id,
            before=sample.stage.value,
            after={"stage": after.value, **changed} if changed else after.value,
        )

    async def video_owner(self, video_key: str) -> int | None:
        """The sample that already has this video (the same link twice is refused)."""
        return await self.db.fetchval("SELECT id FROM samples WHERE video_key = ?", (video_key,))

    async def log_chase(
        self, sample: Sample, *, by_id: int, replied: bool, reminder: int | None, now: datetime
    ) -> bool:
        """Record a chase; False when this reminder round was answered already."""
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "INSERT INTO chases (sample_id, by_id, replied, reminder, at)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT(sample_id, reminder) DO NOTHING",
                (sample.id, by_id, int(replied), reminder, to_ts(now)),
            )
            if cursor.rowcount != 1:
                return False
            await conn.execute(
                "UPDATE samples SET chases = chases + 1, chases_replied = chases_replied + ?,"
                " last_chase_at = ?, updated_at = ? WHERE id = ?",
                (int(replied), to_ts(now), to_ts(now), sample.id),
            )
            await touch_contact(conn, sample.creator_id, now)
            await audit.record(
                conn,
                at=now,
                actor_id=by_id,
                action="chase",
                entity="sample",
                entity_id=sample.id,
                after={"replied": replied, "reminder": reminder},
            )
        return True

    async def chase_by_round(self, sample_id: int, reminder: int) -> ChaseAnswer | None:
        row = await self.db.fetchone(
            "SELECT by_id, replied FROM chases WHERE sample_id = ? AND reminder = ?",
            (sample_id, reminder),
        )
        return None if row is None else ChaseAnswer(row["by_id"], bool(row["replied"]))

    # --- the chase scan -------------------------------------------------------------------

    async def due_chases(self, now: datetime, limit: int = 500) -> list[Sample]:
        """Samples whose next chase is due: one range read on the partial chase_due_at index."""
        rows = await self.db.fetchall(
            f"{_SELECT} WHERE s.chase_due_at IS NOT NULL AND s.chase_due_at <= ?"
            " ORDER BY s.chase_due_at LIMIT ?",
            (to_ts(now), limit),
        )
        return [_sample(row) for row in rows]

    async def set_chase(
        self,
        sample_id: int,
        *,
        due_at: datetime | None,
        reminders_sent: int,
        now: datetime,
        action: str = "chase_reminder",
        actor_id: int | None = None,
    ) -> None:
        due = None if due_at is None else to_ts(due_at)
        async with self.db.transaction() as conn:
            await conn.execute(
                "UPDATE samples SET chase_due_at = ?, reminders_sent = ?, updated_at = ?"
                " WHERE id = ?",
                (due, reminders_sent, to_ts(now), sample_id),
            )
            await audit.record(
                conn,
                at=now,
                actor_id=actor_id,
                action=action,
                entity="sample",
                entity_id=sample_id,
                after={"chase_due_at": due, "reminders_sent": reminders_sent},
            )

    async def mark_no_show(self, sample: Sample, *, now: datetime) -> None:
        async with self.db.transaction() as conn:
            await self.change(
                sample,
                [Event.NO_SHOW],
                actor_id=None,
                now=now,
                conn=conn,
                fields={"chase_due_at": None, "closed_at": now},
            )
            await conn.execute(
                "UPDATE creators SET review_flag = ?, updated_at = ? WHERE id = ?",
                (f"no_show #{sample.id}", to_ts(now), sample.creator_id),
            )

    async def due_code_warnings(self, now: datetime) -> list[Sample]:
        rows = await self.db.fetchall(
            f"{_SELECT} WHERE s.code_warn_at IS NOT NULL AND s.code_warn_at <= ?",
            (to_ts(now),),
        )
        return [_sample(row) for row in rows]

    async def clear_code_warning(self, sample_id: int) -> None:
        async with self.db.transaction() as conn:
            await conn.execute("UPDATE samples SET code_warn_at = NULL WHERE id = ?", (sample_id,))

    # --- ads ------------------------------------------------------------------------------

    async def report_ads(
        self, sample: Sample, stats: AdStats, *, reporter_id: int, now: datetime
    ) -> tuple[int, Stage]:
        async with self.db.transaction() as conn:
            closing = {"closed_at": now} if sample.stage is not Stage.DONE else {}
            after = await self.change(
                sample,
                [Event.ADS_REPORTED],
                actor_id=reporter_id,
                now=now,
                conn=conn,
                fields=closing,
            )
            rows = await conn.execute_fetchall(
                "INSERT INTO ad_reports (sample_id, reporter_id, spend_fen, impressions, clicks,"
                " orders, gmv_fen, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                (
                    sample.id,
                    reporter_id,
                    stats.spend_fen,
                    stats.impressions,
                    stats.clicks,
                    stats.orders,
                    stats.gmv_fen,
                    to_ts(now),
                ),
            )
        return int(rows[0][0]), after

    async def completed_count(self, creator_id: int, *, besides: int) -> int:
        return int(
            await self.db.fetchval(
                "SELECT COUNT(*) FROM samples WHERE creator_id = ? AND id != ?"
                " AND stage IN ('handed_to_ads', 'done')",
                (creator_id, besides),
            )
        )

    # --- /pipeline --------------------------------------------------------------------------

    async def stage_counts(self, owner_id: int | None) -> list[StageCount]:
        """(owner_id, stage, n): one GROUP BY over the (owner_id, stage) index."""
        where, params = ("WHERE owner_id = ?", [owner_id]) if owner_id is not None else ("", [])
        rows = await self.db.fetchall(
            f"SELECT owner_id, stage, COUNT(*) AS n FROM samples {where} GROUP BY owner_id, stage",
            params,
        )
        return [StageCount(r["owner_id"], Stage(r["stage"]), r["n"]) for r in rows]

    async def overdue_counts(self, now: datetime, owner_id: int | None) -> dict[int, int]:
        """Overdue samples per BD: signed, no video, and a chase has fallen due (or been sent).

        Reads only the partial samples_chasing index (migration 0005).
        """
        where, params = _overdue_where(now, owner_id)
        rows = await self.db.fetchall(
            f"SELECT owner_id, COUNT(*) AS n FROM samples WHERE {where} GROUP BY owner_id", params
        )
        return {row["owner_id"]: row["n"] for row in rows}

    async def overdue_oldest(
        self, now: datetime, owner_id: int | None, per_owner: int
    ) -> list[Sample]:
        """The `per_owner` longest-waiting overdue samples of each BD."""
        where, params = _overdue_where(now, owner_id)
        rows = await self.db.fetchall(
            f"{_SELECT} JOIN (SELECT id, ROW_NUMBER() OVER (PARTITION BY owner_id"
            f" ORDER BY signed_at, id) AS rank FROM samples WHERE {where}) t ON t.id = s.id"
            " WHERE t.rank <= ? ORDER BY s.owner_id, t.rank",
            [*params, per_owner],
        )
        return [_sample(row) for row in rows]

    # --- weekly reads -----------------------------------------------------------------------

    async def quiet_s_creators(self, now: datetime, quiet: timedelta) -> list[QuietCreator]:
        """Active S creators with no logged contact for `quiet` (registration counts)."""
        rows = await self.db.fetchall(
            "SELECT id, handle, owner_id, COALESCE(last_contact_at, created_at) AS last"
            " FROM creators WHERE tier = 'S' AND status = 'active' AND blocked_reason IS NULL"
            " AND COALESCE(last_contact_at, created_at) <= ?",
            (to_ts(now - quiet),),
        )
        return [QuietCreator(r["id"], r["handle"], r["owner_id"], from_ts(r["last"])) for r in rows]

    async def review_rows(self) -> tuple[list[ReviewCreator], list[ReviewSample], dict[str, Sold]]:
        """Creators, their samples and the sales attributed to each handle key (as written on
        orders), for the weekly tier review."""
        creators = await self.db.fetchall(
            "SELECT id, handle, handle_key, tier, status, blocked_reason FROM creators"
        )
        samples = await self.db.fetchall(
            "SELECT creator_id, stage, shipped_at, signed_at, video_at, chases, chases_replied,"
            " last_chase_at, closed_at FROM samples"
        )
        sales = await self.db.fetchall(
            "SELECT lower(creator) AS handle, SUM(valid_fen) AS fen, COUNT(*) AS n FROM orders"
            " WHERE creator != '' AND valid_fen > 0 GROUP BY lower(creator)"
        )
        sold: dict[str, Sold] = {}
        for row in sales:
            key = fold(str(row["handle"]).lstrip("@＠"))
            before = sold.get(key, Sold(0, 0))
            sold[key] = Sold(before.fen + row["fen"], before.orders + row["n"])
        return (
            [
                ReviewCreator(
                    r["id"],
                    r["handle"],
                    r["handle_key"],
                    r["tier"],
                    r["status"],
                    r["blocked_reason"] is not None,
                )
                for r in creators
            ],
            [
                ReviewSample(
                    r["creator_id"],
                    SampleFacts(
                        Stage(r["stage"]),
                        from_ts(r["shipped_at"]),
                        from_ts(r["signed_at"]),
                        from_ts(r["video_at"]),
                        r["chases"],
                        r["chases_replied"],
                        from_ts(r["last_chase_at"]),
                    ),
                    from_ts(r["closed_at"]),
                )
                for r in samples
            ],
            sold,
        )


def _overdue_where(now: datetime, owner_id: int | None) -> tuple[str, list[object]]:
    where = OVERDUE_SQL
    params: list[object] = [to_ts(now)]
    if owner_id is not None:
        where += " AND owner_id = ?"
        params.append(owner_id)
    return where, params
