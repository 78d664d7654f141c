"""Caches a process keeps (the boards, the FAQ index, /find's profiles, the senders it has
upserted) follow writes made by another process on the same database: on both stores,
through data_versions (migration 0020) or the screening log. "Another process" is a second
Database on the same store."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from storage import versions
from storage.boards import Boards
from storage.creators import Creators
from storage.faq import Faq
from storage.users import Users
from tests.conftest import T0

NOV = ("month", 202611)


@asynccontextmanager
async def other_process(db: Any) -> AsyncIterator[Any]:
    if getattr(db, "dialect_name", "sqlite") == "postgresql":
        from storage.pg import Database as PgDatabase

        other = await PgDatabase.open(db.url, max_size=2)
    else:
        from storage.db import Database as SqliteDatabase

        other = await SqliteDatabase.open(db.path)
    try:
        yield other
    finally:
        await other.close()


async def month(db: Any, sharer_id: str, fen: int, hidden: int = 0) -> None:
    async with db.transaction() as conn:
        await conn.execute(
            "INSERT INTO sharers (sharer_id, name, hidden, created_at, updated_at)"
            " VALUES (?, ?, ?, 0, 0) ON CONFLICT (sharer_id) DO NOTHING",
            (sharer_id, sharer_id, hidden),
        )
        await conn.execute(
            "INSERT INTO sharer_month AS m (sharer_id, month, valid_fen, orders)"
            " VALUES (?, 202611, ?, 1) ON CONFLICT (sharer_id, month)"
            " DO UPDATE SET valid_fen = excluded.valid_fen",
            (sharer_id, fen),
        )


async def test_a_board_follows_another_processs_writes_and_only_those(any_db) -> None:
    boards = Boards(any_db)
    await month(any_db, "A", 300)
    await month(any_db, "B", 200)
    assert await boards.board(NOV) == [(1, "A", 300), (2, "B", 200)]
    async with other_process(any_db) as other:
        # Writes the boards do not read leave the cache alone.
        async with other.transaction() as conn:
            await conn.execute(
                "INSERT INTO users (id, first_name, created_at, updated_at) VALUES (5, 'U', 0, 0)"
            )
        assert await boards.board(NOV) == [(1, "A", 300), (2, "B", 200)]
        assert boards.computed == 1
        await month(other, "B", 900)
        assert await boards.board(NOV) == [(1, "B", 900), (2, "A", 300)]
        async with other.transaction() as conn:
            await conn.execute("UPDATE sharers SET hidden = 1 WHERE sharer_id = 'B'")
        assert await boards.board(NOV) == [(1, "A", 300)]
        assert await boards.month_rank("A", 202611) == 1  # the hidden one is not above
    assert boards.computed == 3


async def test_a_board_read_inside_a_rolled_back_write_is_not_kept(any_db) -> None:
    boards = Boards(any_db)
    await month(any_db, "A", 300)
    await boards.board(NOV)
    try:
        async with any_db.transaction() as conn:
            await conn.execute("UPDATE sharer_month SET valid_fen = 1 WHERE sharer_id = 'A'")
            await boards.board(NOV)
            raise RuntimeError("import failed part-way")
    except RuntimeError:
        pass
    assert await boards.board(NOV) == [(1, "A", 300)]
    await month(any_db, "A", 400)
    assert await boards.board(NOV) == [(1, "A", 400)]


async def test_the_faq_index_follows_another_processs_import(any_db) -> None:
    faq = Faq(any_db)
    await faq.add("怎么退货？", "七天内联系客服。", actor_id=1, now=T0)
    before = await faq.index()
    assert await faq.index() is before  # kept while nothing changed
    async with other_process(any_db) as other:
        await Faq(other).import_entries(
            [("运费谁出？", "满99包邮。")], actor_id=None, now=T0, summary={}
        )
    after = await faq.index()
    assert after is not before
    assert {e.question for e in await faq.entries()} == {"怎么退货？", "运费谁出？"}
    assert await versions.read(any_db, versions.FAQ) >= 2


async def test_find_profiles_follow_another_processs_changes(any_db) -> None:
    creators = Creators(any_db)
    await creators.add(
        "kol_a", platform="douyin", tier="A", owner_id=1, followers=1000, category="home", now=T0
    )
    assert [p.handle for p in await creators.profiles()] == ["kol_a"]
    async with other_process(any_db) as other:
        await Creators(other).add(
            "kol_b", platform="douyin", tier="B", owner_id=1, followers=5, category="home", now=T0
        )
    assert sorted(p.handle for p in await creators.profiles()) == ["kol_a", "kol_b"]


async def test_a_user_marked_unreachable_elsewhere_is_cleared_by_their_next_message(
    any_db,
) -> None:
    users = Users(any_db)
    await users.seen(7, "Ann", None, "zh-hans", private=True, now=T0)
    async with other_process(any_db) as other:
        await Users(other).mark_unreachable(7, now=T0)  # a send there answered Forbidden
    assert (await users.get(7)).unreachable
    await asyncio.sleep(1.05)  # this process looks at the marks once a second
    await users.seen(7, "Ann", None, "zh-hans", private=True, now=T0)  # she writes again
    assert not (await users.get(7)).unreachable
