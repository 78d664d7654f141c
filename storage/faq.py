"""FAQ entries and unanswered questions. The search index (bot.domain.faq.FaqIndex) is
built from the entries once and rebuilt after a change made through this repository."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from bot.domain.faq import FaqEntry, FaqIndex, question_key, same_question
from storage import audit, versions
from storage.db import Database, from_ts, to_ts

GAPS_WINDOW = 500  # the most recent open questions that /faq_gaps groups


@dataclass(frozen=True, slots=True)
class Asked:
    id: int
    chat_id: int
    user_id: int | None
    text: str
    asked_at: datetime


@dataclass(frozen=True, slots=True)
class Imported:
    new: int
    updated: int
    unchanged: int


def _entry(row: aiosqlite.Row) -> FaqEntry:
    return FaqEntry(row["id"], row["question"], row["answer"])


def _asked(row: aiosqlite.Row) -> Asked:
    when = from_ts(row["asked_at"])
    assert when is not None
    return Asked(row["id"], row["chat_id"], row["user_id"], row["text"], when)


class Faq:
    def __init__(self, db: Database) -> None:
        self.db = db
        self._index: FaqIndex | None = None
        self._index_version = -1

    async def index(self) -> FaqIndex:
        return await self._current_index()

    async def _current_index(self) -> FaqIndex:
        """The index, rebuilt when the entries changed since: through this repository, or
        in another process (the `faq` counter of data_versions, migration 0020)."""
        version = await versions.read(self.db, versions.FAQ)
        if self._index is not None and self._index_version == version:
            return self._index
        index = FaqIndex(await self.entries())
        if versions.committed(self.db):  # else it may hold writes a rollback takes back
            self._index, self._index_version = index, version
        return index

    async def entries(self) -> list[FaqEntry]:
        rows = await self.db.fetchall("SELECT id, question, answer FROM faq ORDER BY id")
        return [_entry(r) for r in rows]

    async def get(self, entry_id: int) -> FaqEntry | None:
        row = await self.db.fetchone(
            "SELECT id, question, answer FROM faq WHERE id = ?", (entry_id,)
        )
        return None if row is None else _entry(row)

    async def find_question(self, question: str) -> FaqEntry | None:
        """The entry asking the same question (up to script, case and punctuation)."""
        return next((e for e in await self.entries() if same_question(e.question, question)), None)

    async def add(
        self, question: str, answer: str, *, actor_id: int | None, now: datetime,
        resolves: Iterable[int] = (),
    ) -> FaqEntry:  # fmt: skip
        """A new entry; `resolves`: unanswered questions it was made from."""
        async with self.db.transaction() as conn:
            rows = await conn.execute_fetchall(
                "INSERT INTO faq (question, answer, created_by, created_at, updated_at)"
                " VALUES (?, ?, ?, ?, ?) RETURNING id",
                (question, answer, actor_id, to_ts(now), to_ts(now)),
            )
            entry = FaqEntry(int(rows[0][0]), question, answer)
            await audit.record(
                conn, at=now, actor_id=actor_id, action="faq_add", entity="faq",
                entity_id=entry.id, after={"question": question, "answer": answer},
            )  # fmt: skip
            ids = list(resolves)
            if ids:
                marks = ",".join("?" * len(ids))
                await conn.execute(
                    f"UPDATE faq_unanswered SET faq_id = ? WHERE id IN ({marks})", (entry.id, *ids)
                )
        self._index = None
        return entry

    async def edit(
        self, entry_id: int, question: str, answer: str, *, actor_id: int, now: datetime
    ) -> FaqEntry | None:
        """None: no such entry."""
        async with self.db.transaction() as conn:
            before = await self.get(entry_id)
            if before is None:
                return None
            await conn.execute(
                "UPDATE faq SET question = ?, answer = ?, updated_at = ? WHERE id = ?",
                (question, answer, to_ts(now), entry_id),
            )
            await audit.record(
                conn, at=now, actor_id=actor_id, action="faq_edit", entity="faq",
                entity_id=entry_id, before={"question": before.question, "answer": before.answer},
                after={"question": question, "answer": answer},
            )  # fmt: skip
        self._index = None
        return FaqEntry(entry_id, question, answer)

    async def delete(self, entry_id: int, *, actor_id: int, now: datetime) -> FaqEntry | None:
        async with self.db.transaction() as conn:
            before = await self.get(entry_id)
            if before is None:
                return None
            await conn.execute("DELETE FROM faq WHERE id = ?", (entry_id,))
            await audit.record(
                conn, at=now, actor_id=actor_id, action="faq_del", entity="faq",
                entity_id=entry_id, before={"question": before.question, "answer": before.answer},
            )  # fmt: skip
        self._index = None
        return before

    async def import_entries(
        self, rows: list[tuple[str, str]], *, actor_id: int | None, now: datetime, summary: dict
    ) -> Imported:
        """Upsert by question: a question already there takes the new answer."""
        existing = {}
        for entry in await self.entries():
            existing.setdefault(question_key(entry.question), entry)
        new = updated = unchanged = 0
        async with self.db.transaction() as conn:
            for question, answer in rows:
                found = existing.get(question_key(question))
                if found is None:
                    await conn.execute(
                        "INSERT INTO faq (question, answer, created_by, created_at, updated_at)"
                        " VALUES (?, ?, ?, ?, ?)",
                        (question, answer, actor_id, to_ts(now), to_ts(now)),
                    )
                    existing[question_key(question)] = FaqEntry(0, question, answer)
                    new += 1
                elif found.answer != answer:
                    await conn.execute(
                        "UPDATE faq SET answer = ?, updated_at = ? WHERE id = ?",
                        (answer, to_ts(now), found.id),
                    )
                    existing[question_key(question)] = FaqEntry(found.id, found.question, answer)
                    updated += 1
                else:
                    unchanged += 1
            await audit.record(
                conn, at=now, actor_id=actor_id, action="import", entity="faq",
                after=summary | {"new": new, "updated": updated, "unchanged": unchanged},
            )  # fmt: skip
        self._index = None
        return Imported(new, updated, unchanged)

    async def keep_unanswered(
        self, chat_id: int, user_id: int | None, text: str, *, now: datetime
    ) -> None:
        async with self.db.transaction() as conn:
            await conn.execute(
                "INSERT INTO faq_unanswered (chat_id, user_id, text, asked_at) VALUES (?, ?, ?, ?)",
                (chat_id, user_id, text, to_ts(now)),
            )

    async def unanswered(self, limit: int = GAPS_WINDOW) -> list[Asked]:
        """Open questions, oldest first, of the `limit` most recent."""
        rows = await self.db.fetchall(
            "SELECT * FROM (SELECT * FROM faq_unanswered WHERE faq_id IS NULL"
            " ORDER BY asked_at DESC, id DESC LIMIT ?) AS recent ORDER BY asked_at, id",
            (limit,),
        )
        return [_asked(r) for r in rows]

    async def asked(self, asked_id: int) -> Asked | None:
        row = await self.db.fetchone("SELECT * FROM faq_unanswered WHERE id = ?", (asked_id,))
        return None if row is None else _asked(row)

    async def count_unanswered(self, since: datetime, until: datetime) -> int:
        """Questions kept unanswered in [since, until) (the managers' digest)."""
        return int(
            await self.db.fetchval(
                "SELECT count(*) FROM faq_unanswered WHERE asked_at >= ? AND asked_at < ?",
                (to_ts(since), to_ts(until)),
            )
        )
