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


async def set_column(
    conn: aiosqlite.Connection,
    table: str,
    key_column: str,
    key: object,
    column: str,
    value: object,
    *,
    at: datetime,
    actor_id: int | None,
    action: str,
    entity: str,
) -> None:
    """Set one column of one row (and its updated_at), recording before → after, inside the
    caller's transaction. Names are the caller's constants, never user input."""
    async with conn.execute(
        f'SELECT "{column}" FROM "{table}" WHERE "{key_column}" = ?', (key,)
    ) as cursor:
        row = await cursor.fetchone()
    await conn.execute(
        f'UPDATE "{table}" SET "{column}" = ?, updated_at = ? WHERE "{key_column}" = ?',
        (value, to_ts(at), key),
    )
    await record(
        conn,
        at=at,
        actor_id=actor_id,
        action=action,
        entity=entity,
        entity_id=key,
        before=None if row is None else row[0],
        after=value,
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
