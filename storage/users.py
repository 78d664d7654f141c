"""People the bot has seen, their chosen language and their roles."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime

from storage import audit, versions
from storage.db import Database, to_ts

ROLES = ("manager", "bd", "ads", "leader")


@dataclass(frozen=True, slots=True)
class UserRow:
    id: int
    first_name: str
    username: str | None
    language_code: str | None
    lang: str | None
    started: bool
    unreachable: bool


class Users:
    def __init__(self, db: Database) -> None:
        self.db = db
        # Every update upserts its sender; skip the write when nothing changed.
        self._seen: dict[int, tuple[str, str | None, str | None, bool]] = {}
        self._marks = (-1, 0.0)  # the `users` counter of data_versions, and when it was read

    async def seen(
        self,
        user_id: int,
        first_name: str,
        username: str | None,
        language_code: str | None,
        *,
        private: bool,
        now: datetime,
    ) -> None:
        key = (first_name, username, language_code, private)
        await self._forget_marked_elsewhere()
        if self._seen.get(user_id) == key:
            return
        async with self.db.transaction() as conn:
            await conn.execute(
                "INSERT INTO users AS u (id, first_name, username, language_code, started,"
                " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT(id) DO UPDATE SET first_name = excluded.first_name,"
                " username = excluded.username, language_code = excluded.language_code,"
                " started = CASE WHEN excluded.started <> 0 THEN 1 ELSE u.started END,"
                " unreachable = CASE WHEN excluded.started <> 0 THEN 0 ELSE u.unreachable END,"
                " updated_at = excluded.updated_at",
                (
                    user_id,
                    first_name,
                    username,
                    language_code,
                    int(private),
                    to_ts(now),
                    to_ts(now),
                ),
            )
        self._seen[user_id] = key

    async def _forget_marked_elsewhere(self) -> None:
        """Another process may have marked a user unreachable, which only the upsert of their
        next message clears: once a second, if the counter of such marks moved, upsert
        every sender again."""
        version, read_at = self._marks
        if time.monotonic() - read_at < 1.0:
            return
        current = await versions.read(self.db, versions.USERS)
        if current != version:
            self._seen.clear()
        self._marks = (current, time.monotonic())

    async def get(self, user_id: int) -> UserRow | None:
        row = await self.db.fetchone("SELECT * FROM users WHERE id = ?", (user_id,))
        if row is None:
            return None
        return UserRow(
            id=row["id"],
            first_name=row["first_name"],
            username=row["username"],
            language_code=row["language_code"],
            lang=row["lang"],
            started=bool(row["started"]),
            unreachable=bool(row["unreachable"]),
        )

    async def find_by_username(self, username: str) -> UserRow | None:
        row = await self.db.fetchone(
            "SELECT id FROM users WHERE lower(username) = lower(?)", (username.lstrip("@"),)
        )
        return None if row is None else await self.get(row["id"])

    async def set_lang(self, user_id: int, lang: str, *, now: datetime) -> None:
        async with self.db.transaction() as conn:
            await audit.set_column(
                conn, "users", "id", user_id, "lang", lang,
                at=now, actor_id=user_id, action="set_lang", entity="user",
            )  # fmt: skip

    async def mark_unreachable(self, user_id: int, *, now: datetime) -> None:
        async with self.db.transaction() as conn:
            await conn.execute(
                "UPDATE users SET unreachable = 1, updated_at = ? WHERE id = ?",
                (to_ts(now), user_id),
            )
        self._seen.pop(user_id, None)

    async def roles(self, user_id: int) -> frozenset[str]:
        rows = await self.db.fetchall("SELECT role FROM roles WHERE user_id = ?", (user_id,))
        return frozenset(row["role"] for row in rows)

    async def with_role(self, role: str) -> list[int]:
        rows = await self.db.fetchall(
            "SELECT user_id FROM roles WHERE role = ? ORDER BY user_id", (role,)
        )
        return [row["user_id"] for row in rows]

    async def grant(self, user_id: int, role: str, *, actor_id: int, now: datetime) -> bool:
        """Give a role; False when the person already had it (nothing changes, nothing audited)."""
        sql = (
            "INSERT INTO roles (user_id, role, granted_by, granted_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT DO NOTHING"
        )
        return await self._change_role(
            sql, (user_id, role, actor_id, to_ts(now)), user_id, None, role, actor_id, now
        )

    async def revoke(self, user_id: int, role: str, *, actor_id: int, now: datetime) -> bool:
        """Take a role back; False when the person did not have it."""
        sql = "DELETE FROM roles WHERE user_id = ? AND role = ?"
        return await self._change_role(sql, (user_id, role), user_id, role, None, actor_id, now)

    async def _change_role(
        self,
        sql: str,
        params: tuple[object, ...],
        user_id: int,
        before: str | None,
        after: str | None,
        actor_id: int,
        now: datetime,
    ) -> bool:
        async with self.db.transaction() as conn:
            cursor = await conn.execute(sql, params)
            if cursor.rowcount == 0:
                return False
            await audit.record(
                conn,
                at=now,
                actor_id=actor_id,
                action="grant" if after else "revoke",
                entity="role",
                entity_id=user_id,
                before=before,
                after=after,
            )
        return True
