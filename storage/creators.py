"""Creators: the registry of the BD team. Reads used across the pipeline live here, with the
registry's own writes (add, tier, note, block, screening figures, import) and the read-only
queries behind the card, the list, /find and the exports."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import Any

import aiosqlite

from bot.domain.creator_stats import SampleFacts
from bot.domain.creators import CreatorStatus, Tier, closest_handles, handle_key
from bot.domain.money import DomainError
from bot.domain.pipeline import Stage
from bot.domain.screening import CreatorProfile
from storage import audit
from storage.db import Database, from_ts, to_ts


class RegistryError(DomainError):
    """Code duplicate (handle, platform)."""


@dataclass(frozen=True, slots=True)
class Creator:
    id: int
    handle: str
    platform: str
    tier: str
    owner_id: int
    followers: int | None
    category: str
    status: str
    blocked_reason: str | None
    review_flag: str | None
    last_contact_at: datetime | None


@dataclass(frozen=True, slots=True)
class Note:
    author_id: int
    author: str
    text: str
    at: datetime


@dataclass(frozen=True, slots=True)
class CreatorSample:
    """One line of the card's samples view."""

    id: int
    product: str
    stage: Stage


@dataclass(frozen=True, slots=True)
class CreatorRecord:
    """A creator as exported: the registry's columns with the owner's name."""

    handle: str
    platform: str
    tier: str
    owner_id: int
    owner_name: str
    followers: int | None
    category: str
    status: str
    blocked_reason: str | None
    adult_bp: int | None
    female_bp: int | None
    posts_30d: int | None
    interaction_bp: int | None
    products_28d: int | None
    last_contact_at: datetime | None


@dataclass(frozen=True, slots=True)
class SampleRecord:
    """A sample as exported, with its creator's handle and tier and the owner's name."""

    id: int
    handle: str
    tier: str
    shipped_at: datetime | None
    shipping_order_id: str | None
    product: str
    owner_id: int
    owner_name: str
    stage: str
    video_url: str | None
    code: str | None
    chases: int


# bot.domain.pipeline.is_overdue as a query (one parameter: now); /pipeline and
# /creators overdue both read it, so they list the same samples.
OVERDUE_SQL = "chase_due_at IS NOT NULL AND (chase_due_at <= ? OR reminders_sent > 0)"
_COLUMNS = (
    "id, handle, platform, tier, owner_id, followers, category, status, blocked_reason,"
    " review_flag, last_contact_at"
)
# Screening figures: column ↔ key of bot.domain.creator_stats.parse_stats_pairs.
SCREENING = {
    "categories": "categories",
    "adult": "adult_bp",
    "female": "female_bp",
    "posts": "posts_30d",
    "interaction": "interaction_bp",
    "products": "products_28d",
}
_BP = {"adult_bp", "female_bp", "interaction_bp"}
_TIER_ORDER = "CASE tier WHEN 'S' THEN 0 WHEN 'A' THEN 1 ELSE 2 END"


def to_bp(fraction: Decimal) -> int:
    return int((fraction * 10_000).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def from_bp(bp: int | None) -> Decimal | None:
    return None if bp is None else Decimal(bp) / 10_000


def column_values(stats: dict[str, object]) -> dict[str, object]:
    """parse_stats_pairs output → creators columns (shares as basis points)."""
    out: dict[str, object] = {}
    for key, value in stats.items():
        if key == "followers":
            out["followers"] = value
            continue
        column = SCREENING[key]
        if column == "categories":
            out[column] = ",".join(value)  # type: ignore[arg-type]
        elif column in _BP:
            out[column] = to_bp(value)  # type: ignore[arg-type]
        else:
            out[column] = value
    return out


def _creator(row: aiosqlite.Row) -> Creator:
    return Creator(
        id=row["id"],
        handle=row["handle"],
        platform=row["platform"],
        tier=row["tier"],
        owner_id=row["owner_id"],
        followers=row["followers"],
        category=row["category"],
        status=row["status"],
        blocked_reason=row["blocked_reason"],
        review_flag=row["review_flag"],
        last_contact_at=from_ts(row["last_contact_at"]),
    )


class Creators:
    def __init__(self, db: Database) -> None:
        self.db = db
        # /find's profiles by creator id, brought up to date from screening_log (migration
        # 0007) on each read: a change to one creator rebuilds one profile, not five thousand.
        self._profiles: dict[int, CreatorProfile] = {}
        self._keys: dict[int, str] = {}  # creator id → handle_key, to apply sales
        self._sales: dict[str, int] = {}
        self._seen_seq = -1

    async def get(self, creator_id: int) -> Creator | None:
        row = await self.db.fetchone(f"SELECT {_COLUMNS} FROM creators WHERE id = ?", (creator_id,))
        return None if row is None else _creator(row)

    async def by_handle(self, handle: str, platform: str | None = None) -> list[Creator]:
        """Creators with this handle (one per platform); raises CreatorError on a bad handle."""
        sql = f"SELECT {_COLUMNS} FROM creators WHERE handle_key = ?"
        params: list[object] = [handle_key(handle)]
        if platform is not None:
            sql += " AND platform = ?"
            params.append(platform)
        return [_creator(row) for row in await self.db.fetchall(sql + " ORDER BY id", params)]

    async def suggestions(self, handle: str, limit: int = 3) -> list[str]:
        """Known handles most like this one, for "not found — did you mean …"."""
        rows = await self.db.fetchall("SELECT handle FROM creators")
        return closest_handles(handle, [row["handle"] for row in rows], limit=limit)

    # --- writes ------------------------------------------------------------------------

    async def add(
        self,
        handle: str,
        *,
        platform: str,
        tier: str,
        owner_id: int,
        followers: int | None,
        category: str,
        now: datetime,
    ) -> Creator:
        """Register a creator; RegistryError("duplicate") when the platform has the handle."""
        key, ts = handle_key(handle), to_ts(now)
        async with self.db.transaction() as conn:
            taken = await conn.execute_fetchall(
                "SELECT 1 FROM creators WHERE platform = ? AND handle_key = ?", (platform, key)
            )
            if taken:
                raise RegistryError("duplicate", handle=handle, platform=platform)
            rows = await conn.execute_fetchall(
                "INSERT INTO creators (handle, handle_key, platform, tier, owner_id, followers,"
                " category, categories, created_at, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                (handle, key, platform, tier, owner_id, followers, category, category, ts, ts),
            )
            new_id = int(rows[0][0])
            after = {"handle": handle, "platform": platform, "tier": tier, "owner_id": owner_id}
            await audit.record(
                conn, at=now, actor_id=owner_id, action="add", entity="creator",
                entity_id=new_id, after=after | {"followers": followers, "category": category},
            )  # fmt: skip
        return await self.get(new_id)  # type: ignore[return-value]

    async def _update(
        self,
        creator_id: int,
        changes: dict[str, object],
        *,
        action: str,
        actor_id: int | None,
        now: datetime,
        extra: dict[str, object] | None = None,
    ) -> dict[str, Any]:
        """Set columns, audited with before → after; returns the values before."""
        async with self.db.transaction() as conn:
            cols = ", ".join(changes)
            rows = await conn.execute_fetchall(
                f"SELECT {cols} FROM creators WHERE id = ?", (creator_id,)
            )
            before = dict(rows[0]) if rows else {}
            sets = ", ".join(f"{c} = ?" for c in changes)
            await conn.execute(
                f"UPDATE creators SET {sets}, updated_at = ? WHERE id = ?",
                (*changes.values(), to_ts(now), creator_id),
            )
            await audit.record(
                conn, at=now, actor_id=actor_id, action=action, entity="creator",
                entity_id=creator_id, before=before, after=changes | (extra or {}),
            )  # fmt: skip
        return before

    async def set_tier(
        self, creator_id: int, tier: str, reason: str, *, actor_id: int, now: datetime
    ) -> str:
        """Change the tier (clearing any review flag); returns the tier before."""
        changes = {"tier": tier, "review_flag": None}
        before = await self._update(
            creator_id, changes, action="tier", actor_id=actor_id, now=now, extra={"reason": reason}
        )
        return str(before.get("tier", ""))

    async def block(self, creator_id: int, reason: str | None, *, actor_id: int, now: datetime):
        changes = {"blocked_reason": reason, "blocked_at": None if reason is None else to_ts(now)}
        action = "unblock" if reason is None else "block"
        return await self._update(creator_id, changes, action=action, actor_id=actor_id, now=now)

    async def set_stats(
        self, creator_id: int, stats: dict[str, object], *, actor_id: int, now: datetime
    ) -> None:
        changes = column_values(stats) | {"stats_at": to_ts(now)}
        await self._update(creator_id, changes, action="stats", actor_id=actor_id, now=now)

    async def add_note(self, creator_id: int, text: str, *, author_id: int, now: datetime) -> None:
        async with self.db.transaction() as conn:
            await conn.execute(
                "INSERT INTO creator_notes (creator_id, author_id, text, at) VALUES (?, ?, ?, ?)",
                (creator_id, author_id, text, to_ts(now)),
            )
            await touch_contact(conn, creator_id, now)
            await audit.record(
                conn, at=now, actor_id=author_id, action="note", entity="creator",
                entity_id=creator_id, after=text,
            )  # fmt: skip

    # --- reads for the card --------------------------------------------------------------

    async def notes(self, creator_id: int, limit: int = 3) -> list[Note]:
        rows = await self.db.fetchall(
            "SELECT n.author_id, COALESCE(u.first_name, '') AS name, n.text, n.at"
            " FROM creator_notes n LEFT JOIN users u ON u.id = n.author_id"
            " WHERE n.creator_id = ? ORDER BY n.at DESC, n.id DESC LIMIT ?",
            (creator_id, limit),
        )
        return [Note(r["author_id"], r["name"], r["text"], from_ts(r["at"])) for r in rows]  # type: ignore[arg-type]

    async def sample_facts(self, creator_id: int) -> list[SampleFacts]:
        rows = await self.db.fetchall(
            "SELECT stage, shipped_at, signed_at, video_at, chases, chases_replied, last_chase_at"
            " FROM samples WHERE creator_id = ?",
            (creator_id,),
        )
        return [
            SampleFacts(
                stage=Stage(r["stage"]),
                shipped_at=from_ts(r["shipped_at"]),
                signed_at=from_ts(r["signed_at"]),
                video_at=from_ts(r["video_at"]),
                chases=r["chases"],
                chases_replied=r["chases_replied"],
                last_chase_at=from_ts(r["last_chase_at"]),
            )
            for r in rows
        ]

    async def samples_of(self, creator_id: int, limit: int = 10) -> list[CreatorSample]:
        rows = await self.db.fetchall(
            "SELECT id, product, stage FROM samples WHERE creator_id = ? ORDER BY id DESC LIMIT ?",
            (creator_id, limit),
        )
        return [CreatorSample(r["id"], r["product"], Stage(r["stage"])) for r in rows]

    async def attributed(self, handle: str) -> tuple[int, int]:
        """(Σ valid_fen, orders) of orders whose creator is this handle, case-insensitively."""
        key = handle_key(handle)
        # creator_sales is orders summed per creator as written (storage/orders.py keeps it).
        rows = await self.db.fetchall(
            "SELECT creator, valid_fen AS fen, orders AS n FROM creator_sales"
            " WHERE lower(ltrim(trim(creator), '@')) = lower(?)",
            (handle,),
        )
        matching = [r for r in rows if _key_or_none(r["creator"]) == key]
        return sum(r["fen"] for r in matching), sum(r["n"] for r in matching)

    async def attributed_all(self) -> dict[str, int]:
        """handle_key → Σ valid_fen, for every creator named on an order (one GROUP BY)."""
        out: dict[str, int] = {}
        rows = await self.db.fetchall("SELECT creator, valid_fen AS fen FROM creator_sales")
        for row in rows:
            key = _key_or_none(row["creator"])
            if key is not None:
                out[key] = out.get(key, 0) + row["fen"]
        return out

    # --- lists, screening, export --------------------------------------------------------

    async def listing(
        self, *, tier: str | None = None, owner_id: int | None = None,
        overdue_at: datetime | None = None, limit: int = 30,
    ) -> tuple[list[Creator], int]:  # fmt: skip
        """Creators matching the filter (best tier first, then handle) and the total count."""
        where, params = ["1 = 1"], []
        if tier is not None:
            where.append("tier = ?")
            params.append(tier)
        if owner_id is not None:
            where.append("owner_id = ?")
            params.append(owner_id)
        if overdue_at is not None:
            where.append(f"id IN (SELECT creator_id FROM samples WHERE {OVERDUE_SQL})")
            params.append(to_ts(overdue_at))
        clause = " AND ".join(where)
        total = await self.db.fetchval(f"SELECT COUNT(*) FROM creators WHERE {clause}", params)
        rows = await self.db.fetchall(
            f"SELECT {_COLUMNS} FROM creators WHERE {clause}"
            f" ORDER BY {_TIER_ORDER}, handle_key, platform LIMIT ?",
            [*params, limit],
        )
        return [_creator(r) for r in rows], int(total)

    async def known_categories(self) -> set[str]:
        rows = await self.db.fetchall(
            "SELECT DISTINCT categories FROM creators WHERE categories <> ''"
        )
        return {c.strip() for r in rows for c in r["categories"].split(",") if c.strip()}

    async def profiles(self) -> list[CreatorProfile]:
        """Every creator as a screening profile with the bot's own figures.

        Sample figures come from creator_sample_stats (kept by triggers, migration 0006) and
        sales from the attributed-sales rollup. Profiles are kept between calls; each call
        reads the screening log for what changed since and rebuilds only those.
        """
        latest = int(await self.db.fetchval("SELECT COALESCE(MAX(seq), 0) FROM screening_log"))
        if self._seen_seq < 0:
            await self._reload(None, sales=True)
        elif latest > self._seen_seq:
            rows = await self.db.fetchall(
                "SELECT DISTINCT creator_id FROM screening_log WHERE seq > ?", (self._seen_seq,)
            )
            ids = {r[0] for r in rows}
            await self._reload(ids - {None}, sales=None in ids)
        self._seen_seq = latest
        return list(self._profiles.values())

    async def _reload(self, ids: set[int] | None, *, sales: bool) -> None:
        """Rebuild the profiles of these creators (None: all); with `sales`, re-read sales."""
        if sales:
            self._sales = await self.attributed_all()
        sql = (
            "SELECT c.id, c.handle, c.handle_key, c.tier, c.followers, c.categories, c.adult_bp,"
            " c.female_bp, c.posts_30d, c.interaction_bp, c.products_28d, c.status,"
            " c.blocked_reason, a.signed, a.video, a.chases, a.replied"
            " FROM creators c LEFT JOIN creator_sample_stats a ON a.creator_id = c.id"
        )
        if ids is None:
            self._profiles, self._keys = {}, {}
            rows = await self.db.fetchall(sql)
        else:
            for creator_id in ids:
                self._profiles.pop(creator_id, None)
            marks = ", ".join("?" for _ in ids)
            rows = (
                await self.db.fetchall(f"{sql} WHERE c.id IN ({marks})", sorted(ids)) if ids else []
            )
        for r in rows:
            self._keys[r["id"]] = r["handle_key"]
            self._profiles[r["id"]] = _profile(r, self._sales.get(r["handle_key"], 0))
        if sales and ids is not None:
            for creator_id, profile in self._profiles.items():
                fen = self._sales.get(self._keys[creator_id], 0)
                if profile.attributed_sales_fen != fen:
                    self._profiles[creator_id] = replace(profile, attributed_sales_fen=fen)

    async def export_creators(self) -> list[CreatorRecord]:
        rows = await self.db.fetchall(
            "SELECT c.handle, c.platform, c.tier, c.owner_id, COALESCE(u.first_name, '')"
            " AS owner_name, c.followers, CASE WHEN c.categories <> '' THEN c.categories"
            " ELSE c.category END AS category, c.status, c.blocked_reason, c.adult_bp,"
            " c.female_bp, c.posts_30d, c.interaction_bp, c.products_28d, c.last_contact_at"
            f" FROM creators c LEFT JOIN users u ON u.id = c.owner_id"
            f" ORDER BY {_TIER_ORDER}, c.handle_key"
        )
        return [
            CreatorRecord(*tuple(r)[:-1], last_contact_at=from_ts(r["last_contact_at"]))
            for r in rows
        ]

    async def export_samples(self) -> list[SampleRecord]:
        rows = await self.db.fetchall(
            "SELECT s.id, c.handle, c.tier, s.shipped_at, s.shipping_order_id, s.product,"
            " s.owner_id, COALESCE(u.first_name, '') AS owner_name, s.stage, s.video_url,"
            " s.code, s.chases FROM samples s JOIN creators c ON c.id = s.creator_id"
            " LEFT JOIN users u ON u.id = s.owner_id ORDER BY s.id"
        )
        return [SampleRecord(r[0], r[1], r[2], from_ts(r[3]), *tuple(r)[4:]) for r in rows]

    # --- import ----------------------------------------------------------------------------

    async def existing(self) -> dict[tuple[str, str], tuple[int, dict[str, object]]]:
        """(platform, handle key) → (id, every column by name): what an import compares."""
        rows = await self.db.fetchall("SELECT * FROM creators")
        return {(r["platform"], r["handle_key"]): (r["id"], dict(r)) for r in rows}

    async def import_rows(
        self,
        new: Sequence[dict[str, object]],
        updates: Iterable[tuple[int, dict[str, object], dict[str, object]]],
        *,
        actor_id: int | None,
        now: datetime,
        summary: dict[str, object],
    ) -> None:
        """All of one import in one transaction: inserts, updates (id, changes, before)."""
        ts = to_ts(now)
        async with self.db.transaction() as conn:
            for values in new:
                cols = {**values, "created_at": ts, "updated_at": ts}
                names = ", ".join(cols)
                marks = ", ".join("?" for _ in cols)
                rows = await conn.execute_fetchall(
                    f"INSERT INTO creators ({names}) VALUES ({marks}) RETURNING id",
                    tuple(cols.values()),
                )
                await audit.record(
                    conn, at=now, actor_id=actor_id, action="import", entity="creator",
                    entity_id=int(rows[0][0]), after=values,
                )  # fmt: skip
            for creator_id, changes, before in updates:
                sets = ", ".join(f"{c} = ?" for c in changes)
                await conn.execute(
                    f"UPDATE creators SET {sets}, updated_at = ? WHERE id = ?",
                    (*changes.values(), ts, creator_id),
                )
                await audit.record(
                    conn, at=now, actor_id=actor_id, action="import", entity="creator",
                    entity_id=creator_id, before=before, after=changes,
                )  # fmt: skip
            await audit.record(
                conn, at=now, actor_id=actor_id, action="import", entity="creators", after=summary
            )


@lru_cache(maxsize=65_536)  # a handle's key never changes; /find maps thousands at a time
def _key_or_none(handle: str) -> str | None:
    try:
        return handle_key(handle)
    except DomainError:
        return None


def _rate(part: int | None, whole: int | None) -> Decimal | None:
    return None if not whole else Decimal(part or 0) / Decimal(whole)


def _profile(r: aiosqlite.Row, sales_fen: int) -> CreatorProfile:
    return CreatorProfile(
        handle=r["handle"],
        tier=Tier(r["tier"]),
        followers=r["followers"],
        categories=tuple(c for c in r["categories"].split(",") if c),
        adult_share=from_bp(r["adult_bp"]),
        female_share=from_bp(r["female_bp"]),
        posts_30d=r["posts_30d"],
        interaction_rate=from_bp(r["interaction_bp"]),
        products_28d=r["products_28d"],
        fulfilment_rate=_rate(r["video"], r["signed"]),
        reply_rate=_rate(r["replied"], r["chases"]),
        attributed_sales_fen=sales_fen,
        status=CreatorStatus(r["status"]),
        blocked=r["blocked_reason"] is not None,
    )


async def touch_contact(conn: aiosqlite.Connection, creator_id: int, at: datetime) -> None:
    """Record contact (a note, chase, sample or video) inside the caller's transaction."""
    await conn.execute(
        "UPDATE creators SET last_contact_at = CASE WHEN last_contact_at > ? THEN last_contact_at"
        " ELSE ? END, updated_at = ? WHERE id = ?",
        (to_ts(at), to_ts(at), to_ts(at), creator_id),
    )
