"""Chats the bot is in: what each is for (/setup), its language, its settings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from storage import audit, dialect
from storage.db import Database, to_ts

PURPOSES = ("bd", "ads", "sharers", "managers")


@dataclass(frozen=True, slots=True)
class ChatRow:
    chat_id: int
    type: str
    title: str
    purpose: str | None
    lang: str | None


def _row(row: aiosqlite.Row) -> ChatRow:
    return ChatRow(row["chat_id"], row["type"], row["title"], row["purpose"], row["lang"])


class Chats:
    def __init__(self, db: Database) -> None:
        self.db = db
        self._seen: dict[int, tuple[str, str]] = {}

    async def seen(self, chat_id: int, chat_type: str, title: str, *, now: datetime) -> None:
        if self._seen.get(chat_id) == (chat_type, title):
            return
        async with self.db.transaction() as conn:
            await conn.execute(
                "INSERT INTO chats (chat_id, type, title, created_at, updated_at)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT(chat_id) DO UPDATE SET type = excluded.type,"
                " title = excluded.title, updated_at = excluded.updated_at",
                (chat_id, chat_type, title, to_ts(now), to_ts(now)),
            )
        self._seen[chat_id] = (chat_type, title)

    async def get(self, chat_id: int) -> ChatRow | None:
        row = await self.db.fetchone("SELECT * FROM chats WHERE chat_id = ?", (chat_id,))
        return None if row is None else _row(row)

    async def by_purpose(self, purpose: str) -> ChatRow | None:
        row = await self.db.fetchone("SELECT * FROM chats WHERE purpose = ?", (purpose,))
        return None if row is None else _row(row)

    async def set_purpose(
        self, chat_id: int, purpose: str, *, actor_id: int, now: datetime
    ) -> ChatRow | None:
        """Register what the chat is for; returns the chat that had this purpose before, which
        loses it. Each chat whose purpose changes gets its own audit entry."""
        async with self.db.transaction() as conn:
            previous = await self.by_purpose(purpose)
            if previous is not None and previous.chat_id != chat_id:
                await audit.set_column(
                    conn, "chats", "chat_id", previous.chat_id, "purpose", None,
                    at=now, actor_id=actor_id, action="setup", entity="chat",
                )  # fmt: skip
            await audit.set_column(
                conn, "chats", "chat_id", chat_id, "purpose", purpose,
                at=now, actor_id=actor_id, action="setup", entity="chat",
            )  # fmt: skip
        return previous

    async def set_lang(self, chat_id: int, lang: str, *, actor_id: int, now: datetime) -> None:
        async with self.db.transaction() as conn:
            await audit.set_column(
                conn, "chats", "chat_id", chat_id, "lang", lang,
                at=now, actor_id=actor_id, action="set_lang", entity="chat",
            )  # fmt: skip

    async def setting(self, chat_id: int, key: str, default: str | None = None) -> str | None:
        value = await self.db.fetchval(
            "SELECT value FROM chat_settings WHERE chat_id = ? AND key = ?", (chat_id, key)
        )
        return default if value is None else value

    async def set_setting(
        self, chat_id: int, key: str, value: str, *, actor_id: int, now: datetime
    ) -> None:
        async with self.db.transaction() as conn:
            before = await self.setting(chat_id, key)
            await conn.execute(
                "INSERT INTO chat_settings (chat_id, key, value) VALUES (?, ?, ?)"
                " ON CONFLICT(chat_id, key) DO UPDATE SET value = excluded.value",
                (chat_id, key, value),
            )
            await audit.record(
                conn,
                at=now,
                actor_id=actor_id,
                action="chat_setting",
                entity="chat",
                entity_id=chat_id,
                before={key: before},
                after={key: value},
            )

    async def migrate(self, old_id: int, new_id: int, *, now: datetime) -> list[str]:
        """Follow a group that became a supergroup: its id changes in every table.

        Any column named chat_id or ending in _chat_id is updated, so features that add
        tables follow automatically — the outbox's queued messages among them. Returns the
        columns touched, for the log. Moving again is a no-op: the service message and a
        send's ChatMigrated error may both report the same move.
        """
        touched = []
        async with self.db.transaction() as conn:
            if await self.get(old_id) is not None and await self.get(new_id) is not None:
                # The supergroup already spoke to us: keep the old chat's registration.
                await conn.execute("DELETE FROM chats WHERE chat_id = ?", (new_id,))
            sql = dialect.of(self.db)
            for table, column in await sql.chat_id_columns(conn):
                if await sql.replace_value(conn, table, column, old_id, new_id):
                    touched.append(f"{table}.{column}")
            if not touched:
                return touched
            await audit.record(
                conn,
                at=now,
                actor_id=None,
                action="migrate",
                entity="chat",
                entity_id=new_id,
                before=old_id,
                after=new_id,
            )
        self._seen.pop(old_id, None)
        self._seen.pop(new_id, None)
        return touched
