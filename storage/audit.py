"""The audit log: who changed what, when, before → after. Written inside the change's own
transaction so that a change and its record stand or fall together."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import aiosqlite

from storage.db import Database, from_ts, to_ts


def _json(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, default=str)


async def record(
    conn: aiosqlite.Connection,
    *,
    at: datetime,
    actor_id: int | None,
    action: str,
    entity: str,
    entity_id: object = None,
    before: Any = None,
    after: Any = None,
) -> None:
    await conn.execute(
        "INSERT INTO audit (at, actor_id, action, entity, entity_id, before, after)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            to_ts(at),
            actor_id,
            action,
            entity,
            None if entity_id is None else str(entity_id),
            _json(before),
            _json(after),
        ),
    )


@dataclass(frozen=True, slots=True)
class AuditEntry:
    at: datetime
    actor_id: int | None
    action: str
    entity: str
    entity_id: str | None
    before: Any
    after: Any


class AuditLog:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def entries(
        self, entity: str | None = None, entity_id: object = None, limit: int = 50
    ) -> list[AuditEntry]:
        where, params = [], []
        if entity is not None:
            where.append("entity = ?")
            params.append(entity)
        if entity_id is not None:
            where.append("entity_id = ?")
            params.append(str(entity_id))
        clause = f"WHERE {' AND '.join(where)}" if where else ""
        rows = await self.db.fetchall(
            f"SELECT * FROM audit {clause} ORDER BY id DESC LIMIT ?", [*params, limit]
        )
        return [
            AuditEntry(
                at=from_ts(row["at"]),  # type: ignore[arg-type]
                actor_id=row["actor_id"],
                action=row["action"],
                entity=row["entity"],
                entity_id=row["entity_id"],
                before=json.loads(row["before"]) if row["before"] else None,
                after=json.loads(row["after"]) if row["after"] else None,
            )
            for row in rows
        ]
