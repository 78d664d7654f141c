"""The repositories' SQL that SQLite alone accepted, rewritten once for both stores (issue 13,
survey items 1-3, 6, 8, 11, 15, 16 in docs/postgresql-port.md): each test runs on SQLite and on
PostgreSQL and checks the meaning the old SQLite spelling had."""

from __future__ import annotations

from datetime import timedelta

import pytest

from storage.chats import Chats
from storage.creators import Creators, touch_contact
from storage.errors import IntegrityError
from storage.faq import Faq
from storage.samples import Samples
from storage.users import Users
from tests.conftest import T0


async def test_a_sender_upsert_keeps_started_and_clears_unreachable_in_private(any_db) -> None:
    # Was `started = MAX(started, excluded.started)` with bare columns: PostgreSQL has no
    # two-argument max() and calls an unqualified target column ambiguous.
    users = Users(any_db)
    await users.seen(7, "Ada", "ada", "en", private=False, now=T0)
    assert not (await users.get(7)).started
    await users.seen(7, "Ada", "ada", "en", private=True, now=T0)
    await users.mark_unreachable(7, now=T0)
    await users.seen(7, "Ada L", "ada", "en", private=False, now=T0)
    row = await users.get(7)
    assert (row.first_name, row.started, row.unreachable) == ("Ada L", True, True)
    await users.seen(7, "Ada L", "ada", "en", private=True, now=T0 + timedelta(seconds=1))
    row = await users.get(7)
    assert (row.started, row.unreachable) == (True, False)


async def test_a_username_is_found_whatever_its_case(any_db) -> None:
    # Was `username = ? COLLATE NOCASE`, which PostgreSQL does not know.
    users = Users(any_db)
    await users.seen(9, "Lily", "Lily_Chen", None, private=True, now=T0)
    assert (await users.find_by_username("@lily_CHEN")).id == 9
    assert await users.find_by_username("lily_che") is None


async def test_the_sqlite_username_index_serves_the_lowercase_lookup(sqlite_db) -> None:
    # Migration 0019 re-made the index on lower(username): SQLite uses an expression index
    # only for a query spelling the same expression.
    plan = await sqlite_db.fetchall(
        "EXPLAIN QUERY PLAN SELECT id FROM users WHERE lower(username) = lower(?)", ("x",)
    )
    details = [str(row[-1]) for row in plan]
    assert any(d.startswith("SEARCH users USING INDEX users_username") for d in details), details


async def test_new_rows_return_their_ids(any_db) -> None:
    # Was cursor.lastrowid, which only SQLite reports; now INSERT … RETURNING id.
    creators = Creators(any_db)
    lily = await creators.add(
        "lily", platform="douyin", tier="A", owner_id=1, followers=10, category="", now=T0
    )
    mia = await creators.add(
        "mia", platform="douyin", tier="B", owner_id=1, followers=None, category="", now=T0
    )
    assert mia.id > lily.id > 0
    assert (await creators.get(mia.id)).handle == "mia"
    faq = Faq(any_db)
    first = await faq.add("Q1?", "A1", actor_id=1, now=T0)
    second = await faq.add("Q2?", "A2", actor_id=1, now=T0)
    assert second.id > first.id > 0 and (await faq.get(second.id)).answer == "A2"
    samples = Samples(any_db)
    number = await samples.create(
        creator_id=lily.id, owner_id=1, product="P", shipping_order_id=None, urgent=False, now=T0
    )
    assert (await samples.get(number)).creator_id == lily.id
    assert await samples.open_for([]) == []  # `IN ()` would be an error on PostgreSQL
    assert [s.id for s in await samples.open_for([lily.id, mia.id])] == [number]


async def test_contact_time_only_moves_forward(any_db) -> None:
    # Was `MAX(COALESCE(last_contact_at, 0), ?)`, SQLite's scalar max().
    creators = Creators(any_db)
    lily = await creators.add(
        "lily", platform="douyin", tier="A", owner_id=1, followers=None, category="", now=T0
    )

    async def contact_after(hours: int) -> int:
        async with any_db.transaction() as conn:
            await touch_contact(conn, lily.id, T0 + timedelta(hours=hours))
        return int(await any_db.fetchval("SELECT last_contact_at FROM creators"))

    later = await contact_after(5)
    assert later == int((T0 + timedelta(hours=5)).timestamp())
    assert await contact_after(1) == later
    assert await contact_after(6) == later + 3600


async def test_a_broken_constraint_is_one_error_class_on_both_stores(any_db) -> None:
    with pytest.raises(IntegrityError):
        async with any_db.transaction() as conn:
            for _ in range(2):
                await conn.execute(
                    "INSERT INTO roles (user_id, role, granted_at) VALUES (1, 'bd', 0)"
                )
    assert await any_db.fetchval("SELECT COUNT(*) FROM roles") == 0


async def test_the_latest_unanswered_questions_oldest_first(any_db) -> None:
    # The subquery in FROM needed an alias for PostgreSQL.
    faq = Faq(any_db)
    for n in range(4):
        await faq.keep_unanswered(-5, 7, f"q{n}", now=T0 + timedelta(minutes=n))
    assert [a.text for a in await faq.unanswered(limit=3)] == ["q1", "q2", "q3"]


async def test_a_migrated_chat_keeps_its_own_settings_over_the_new_ids(any_db) -> None:
    # Was sqlite_master, PRAGMA table_info and UPDATE OR REPLACE: now the dialect's
    # chat_id_columns and replace_value, with the same outcome on both stores.
    chats = Chats(any_db)
    await chats.seen(-5, "group", "BD", now=T0)
    await chats.set_purpose(-5, "bd", actor_id=1, now=T0)
    await chats.set_setting(-5, "mask_names", "off", actor_id=1, now=T0)
    await chats.set_setting(-1005, "mask_names", "on", actor_id=1, now=T0)
    await chats.set_setting(-1005, "other", "kept", actor_id=1, now=T0)
    touched = await chats.migrate(-5, -1005, now=T0)
    assert {"chats.chat_id", "chat_settings.chat_id"} <= set(touched)
    assert (await chats.by_purpose("bd")).chat_id == -1005
    assert await chats.setting(-1005, "mask_names") == "off"
    assert await chats.setting(-1005, "other") == "kept"
    assert await any_db.fetchval("SELECT COUNT(*) FROM chat_settings WHERE chat_id = -5") == 0
    assert await chats.migrate(-5, -1005, now=T0) == []  # a second report of the move
