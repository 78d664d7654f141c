"""The sharer roster import (SPEC §3): managers' file of sharers, inviters and team leaders.

Upserts `sharers` on sharer_id in one transaction. What the bot learnt by itself is kept:
the Telegram binding (user_id), the referral code, hiding from boards and leadership set by
/leader. An empty cell keeps the stored value (a roster without inviters must not wipe the
inviters that referral links recorded). Ids named as inviter or leader but absent get a
placeholder row, so that they can bind later and their team and level-2 sales count.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.domain.orders import RowError
from bot.domain.roster_rows import ROSTER_ALIASES, apply_rows, read_rows
from bot.domain.tables import Table, map_headers
from storage import audit
from storage.db import Database, to_ts

_FIELDS = ("name", "buyer_id", "inviter_id", "leader_id", "is_leader")


@dataclass(slots=True)
class RosterImport:
    """Row errors: missing_sharer_id, self_referral (sharer), cycle (sharer, inviter)."""

    read: int
    new: int
    updated: int
    unchanged: int
    errors: list[RowError]
    duplicates: list[tuple[int, str]]  # (line, sharer_id) replaced by a later row
    placeholders: list[str]  # inviters and leaders that had no row
    import_id: int | None

    @property
    def rejected(self) -> int:
        return len(self.errors)


class Roster:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def import_table(
        self,
        table: Table,
        *,
        now: datetime,
        actor_id: int | None,
        filename: str,
        file_hash: str,
    ) -> RosterImport:
        """Raises MissingColumns (no sharer id column) before anything changes."""
        cols = map_headers(table.headers, ROSTER_ALIASES, {"sharer_id"})
        rows, errors, read = read_rows(table, cols)
        result = RosterImport(read, 0, 0, 0, errors, [], [], None)
        if not read:
            return result
        async with self.db.transaction() as conn:
            async with conn.execute(
                "SELECT sharer_id, name, buyer_id, inviter_id, leader_id, is_leader FROM sharers"
            ) as cursor:
                stored = {
                    r[0]: {"name": r[1], "buyer_id": r[2] or "", "inviter_id": r[3] or "",
                           "leader_id": r[4] or "", "is_leader": r[5]}
                    for r in await cursor.fetchall()
                }  # fmt: skip
            final, result.duplicates, in_file = apply_rows(rows, stored, errors)
            errors.sort(key=lambda e: e.line)
            ts = to_ts(now)
            writes = []
            for sid, values in final.items():
                before = stored.get(sid)
                if before == values:
                    result.unchanged += 1 if sid in in_file else 0
                    continue
                if before is None:
                    if sid in in_file:
                        result.new += 1
                    else:
                        result.placeholders.append(sid)
                else:
                    result.updated += 1
                    await audit.record(
                        conn, at=now, actor_id=actor_id, action="roster", entity="sharer",
                        entity_id=sid, before=before, after=values,
                    )  # fmt: skip
                writes.append(
                    (sid, values["name"], *(values[f] or None for f in _FIELDS[1:4]),
                     values["is_leader"], ts, ts)
                )  # fmt: skip
            await conn.executemany(
                "INSERT INTO sharers (sharer_id, name, buyer_id, inviter_id, leader_id, is_leader,"
                " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT(sharer_id) DO UPDATE SET name = excluded.name,"
                " buyer_id = excluded.buyer_id, inviter_id = excluded.inviter_id,"
                " leader_id = excluded.leader_id, is_leader = excluded.is_leader,"
                " updated_at = excluded.updated_at",
                writes,
            )
            counts = {
                "read": read, "new": result.new, "updated": result.updated,
                "unchanged": result.unchanged, "rejected": len(errors),
            }  # fmt: skip
            rows = await conn.execute_fetchall(
                "INSERT INTO imports (kind, filename, file_hash, actor_id, at, read, new, updated,"
                " unchanged, rejected) VALUES ('sharers', ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                (filename, file_hash, actor_id, ts, *counts.values()),
            )
            result.import_id = int(rows[0][0])
            await audit.record(
                conn, at=now, actor_id=actor_id, action="import", entity="sharers",
                entity_id=result.import_id,
                after={"filename": filename, "placeholders": len(result.placeholders), **counts},
            )  # fmt: skip
        result.placeholders.sort()
        return result
