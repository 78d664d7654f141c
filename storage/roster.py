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
from typing import Any

from bot.domain.orders import RowError
from bot.domain.referrals import reaches
from bot.domain.tables import Table, map_headers
from storage import audit
from storage.db import Database, to_ts

ROSTER_ALIASES: dict[str, tuple[str, ...]] = {
    "sharer_id": ("sharer_id", "分享员ID", "分享员id"),
    "name": ("name", "昵称"),
    "buyer_id": ("buyer_id", "买家ID"),
    "inviter_id": ("inviter_id", "邀请人ID"),
    "leader_id": ("leader_id", "团长ID"),
}
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
        rows, errors, read = _read(table, cols)
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
            final, result.duplicates, in_file = _apply(rows, stored, errors)
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
            cursor = await conn.execute(
                "INSERT INTO imports (kind, filename, file_hash, actor_id, at, read, new, updated,"
                " unchanged, rejected) VALUES ('sharers', ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (filename, file_hash, actor_id, ts, *counts.values()),
            )
            result.import_id = int(cursor.lastrowid or 0)
            await audit.record(
                conn, at=now, actor_id=actor_id, action="import", entity="sharers",
                entity_id=result.import_id,
                after={"filename": filename, "placeholders": len(result.placeholders), **counts},
            )  # fmt: skip
        result.placeholders.sort()
        return result


def _read(
    table: Table, cols: dict[str, int]
) -> tuple[list[tuple[int, str, dict[str, str]]], list[RowError], int]:
    """(line, sharer_id, non-key cells by field) of each row that names a sharer, in order;
    the rejected rows, the table's own among them; the rows read."""
    rows: list[tuple[int, str, dict[str, str]]] = []
    errors: list[RowError] = []
    read = 0
    for line, cells in table:
        read += 1
        got = {f: cells[i].strip() for f, i in cols.items()}
        sid = got.pop("sharer_id")
        if not sid:
            errors.append(RowError(line, "missing_sharer_id"))
        elif got.get("inviter_id") == sid:
            errors.append(RowError(line, "self_referral", {"sharer": sid}))
        else:
            rows.append((line, sid, got))
    return rows, errors + table.rejected, read + len(table.rejected)


def _apply(
    rows: list[tuple[int, str, dict[str, str]]],
    stored: dict[str, dict[str, Any]],
    errors: list[RowError],
) -> tuple[dict[str, dict[str, Any]], list[tuple[int, str]], set[str]]:
    """The sharers as they will be stored (file rows and placeholders), the replaced lines and
    the ids whose rows were accepted.

    Rows apply in file order; a later row for the same id replaces the earlier one (each on
    top of what was stored), unless it would close a loop in the inviter tree: then it is
    rejected and the earlier row stands.
    """
    inviters = {sid: v["inviter_id"] for sid, v in stored.items() if v["inviter_id"]}
    final: dict[str, dict[str, Any]] = {}
    accepted: dict[str, int] = {}
    replaced: list[tuple[int, str]] = []
    blank = {"name": "", "buyer_id": "", "inviter_id": "", "leader_id": "", "is_leader": 0}
    for line, sid, got in rows:
        values = dict(stored.get(sid) or blank)
        values.update({f: v for f, v in got.items() if v})
        inviter = values["inviter_id"]
        if inviter and reaches(inviters, inviter, sid):
            errors.append(RowError(line, "cycle", {"sharer": sid, "inviter": inviter}))
            continue
        if values["leader_id"] == sid:  # "my leader is me": a leader, not their own member
            values["leader_id"] = stored.get(sid, blank)["leader_id"]
            values["is_leader"] = 1
        if inviter:
            inviters[sid] = inviter
        else:
            inviters.pop(sid, None)
        if sid in accepted:
            replaced.append((accepted[sid], sid))
        accepted[sid] = line
        final[sid] = values
    for sid in list(final):
        inviter, leader = final[sid]["inviter_id"], final[sid]["leader_id"]
        for ref in (inviter, leader):
            if ref and ref not in final:
                final[ref] = dict(stored.get(ref) or blank)
        if leader:
            final[leader]["is_leader"] = 1
    return final, replaced, set(accepted)
