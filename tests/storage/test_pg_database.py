"""storage.pg.Database: storage.db.Database's interface on PostgreSQL, its migrations, and
its schema matching SQLite's."""

from __future__ import annotations

import asyncio
import shutil
import sqlite3
from datetime import timedelta

import pytest

from storage.pg import Database, IntegrityError, available_migrations
from storage.pg.placeholders import PlaceholderError, arguments, translate
from tests.conftest import T0

# --- placeholders (no server needed) ----------------------------------------------------


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        ("SELECT ? + ?", "SELECT $1 + $2"),
        ("SELECT ?2, ?1, ?", "SELECT $2, $1, $3"),  # SQLite's numbering: one past the largest
        ("SELECT '?', \"a?\", ? -- why?\n", "SELECT '?', \"a?\", $1 -- why?\n"),
        ("SELECT 'it''s ?', ?", "SELECT 'it''s ?', $1"),
        ("SELECT E'\\'?', ?", "SELECT E'\\'?', $1"),
        ("SELECT /* ? */ ?", "SELECT /* ? */ $1"),
        ("SELECT $$ ? $$, $t$ '?' $t$, ?", "SELECT $$ ? $$, $t$ '?' $t$, $1"),
        ("SELECT x::bigint FROM t WHERE a > :after", "SELECT x::bigint FROM t WHERE a > $1"),
        ("SELECT :a, :b, :a", "SELECT $1, $2, $1"),
        ("SELECT '12:30', ?", "SELECT '12:30', $1"),
    ],
)
def test_placeholders_translate_once_per_text(sql: str, expected: str) -> None:
    assert translate(sql).sql == expected


def test_parameters_must_fit_the_statement() -> None:
    assert arguments(translate("SELECT ?2, ?1"), (1, 2)) == [1, 2]
    assert arguments(translate("SELECT :b, :a"), {"a": 1, "b": 2, "c": 3}) == [2, 1]
    with pytest.raises(PlaceholderError):
        arguments(translate("SELECT ?, ?"), (1,))
    with pytest.raises(PlaceholderError):
        arguments(translate("SELECT :a"), {})
    with pytest.raises(PlaceholderError):
        translate("SELECT ?, :a")


# --- the interface ----------------------------------------------------------------------


async def _settings(db) -> dict[str, str]:
    return {r["key"]: r["value"] for r in await db.fetchall("SELECT key, value FROM settings")}


async def test_rows_read_like_sqlite_rows(pg_db) -> None:
    row = await pg_db.fetchone("SELECT 1 AS a, 'x' AS b, CAST(? AS BIGINT) AS c", (3,))
    assert (row["a"], row[1], row[-1], tuple(row), row[:2], dict(row)) == (
        1, "x", 3, (1, "x", 3), (1, "x"), {"a": 1, "b": "x", "c": 3},
    )  # fmt: skip
    a, b, c = row
    assert (a, b, c) == (1, "x", 3)
    assert await pg_db.fetchone("SELECT 1 WHERE false") is None
    assert await pg_db.fetchval("SELECT 1 WHERE false") is None
    assert await pg_db.fetchall("SELECT ?2 || ?1 || '?'", ("a", "b")) == [("ba?",)]


async def test_sums_of_bigint_are_ints(pg_db) -> None:
    async with pg_db.transaction() as conn:
        await conn.executemany(
            "INSERT INTO sharer_month (sharer_id, month, valid_fen, orders) VALUES (?, ?, ?, ?)",
            [("a", 202611, 2**40, 1), ("b", 202611, 5, 2)],
        )
    total, avg = await pg_db.fetchone("SELECT SUM(valid_fen), AVG(orders) FROM sharer_month")
    assert (total, type(total)) == (2**40 + 5, int)
    assert str(avg) == "1.5000000000000000"  # a fraction stays a Decimal


async def test_a_transaction_commits_or_rolls_back(pg_db) -> None:
    async with pg_db.transaction() as conn:
        await conn.execute("INSERT INTO settings VALUES (?, ?, ?)", ("kept", "yes", 0))
    with pytest.raises(RuntimeError):
        async with pg_db.transaction() as conn:
            await conn.execute("INSERT INTO settings VALUES (?, ?, ?)", ("lost", "no", 0))
            raise RuntimeError("boom")
    assert await _settings(pg_db) == {"kept": "yes"}


async def test_reads_inside_a_transaction_see_its_writes(pg_db) -> None:
    seen_outside = []

    async def elsewhere() -> None:
        seen_outside.append(await pg_db.fetchval("SELECT COUNT(*) FROM settings"))

    async with pg_db.transaction() as conn:
        await conn.execute("INSERT INTO settings VALUES ('a', 'b', 0)")
        # Through the Database, as repositories read (SQLite: the same single connection).
        assert await pg_db.fetchval("SELECT value FROM settings WHERE key = 'a'") == "b"
        # Another task is another reader: it sees what is committed only.
        await asyncio.get_running_loop().create_task(elsewhere(), context=_fresh_context())
    assert seen_outside == [0]


def _fresh_context():
    import contextvars

    return contextvars.Context()


async def test_writers_take_turns(pg_db) -> None:
    # Read-then-write in each transaction, as repositories do: one at a time, as on SQLite.
    async def bump(n: int) -> None:
        async with pg_db.transaction() as conn:
            count = await pg_db.fetchval("SELECT COUNT(*) FROM settings")
            await asyncio.sleep(0.01)
            await conn.execute("INSERT INTO settings VALUES (?, ?, ?)", (f"k{count}", str(n), 0))

    await asyncio.gather(*(bump(n) for n in range(6)))
    assert sorted(await _settings(pg_db)) == [f"k{i}" for i in range(6)]


async def test_a_nested_transaction_is_a_savepoint(pg_db) -> None:
    async with pg_db.transaction() as conn:
        await conn.execute("INSERT INTO settings VALUES ('outer', '1', 0)")
        with pytest.raises(RuntimeError):
            async with pg_db.transaction() as inner:
                await inner.execute("INSERT INTO settings VALUES ('inner', '1', 0)")
                raise RuntimeError("boom")
    assert await _settings(pg_db) == {"outer": "1"}


async def test_rowcount_lastrowid_and_returning(pg_db) -> None:
    async with pg_db.transaction() as conn:
        first = await conn.execute(
            "INSERT INTO faq (question, answer, created_at, updated_at) VALUES (?, ?, 0, 0)",
            ("q1", "a1"),
        )
        second = await conn.execute(
            "INSERT INTO faq (question, answer, created_at, updated_at) VALUES (?, ?, 0, 0)",
            ("q2", "a2"),
        )
        assert (first.rowcount, first.lastrowid, second.lastrowid) == (1, 1, 2)
        assert await first.fetchall() == []  # the added RETURNING id is not the caller's
        updated = await conn.execute("UPDATE faq SET answer = 'x' WHERE id <= ?", (2,))
        none = await conn.execute("DELETE FROM faq WHERE id > 99")
        assert (updated.rowcount, none.rowcount) == (2, 0)
        returned = await conn.execute(
            "UPDATE faq SET answer = 'y' WHERE id = ? RETURNING id, answer", (2,)
        )
        assert [tuple(r) for r in await returned.fetchall()] == [(2, "y")]
        async with conn.execute("SELECT id FROM faq ORDER BY id") as cursor:
            assert (await cursor.fetchone())[0] == 1
            assert [r[0] for r in await cursor.fetchall()] == [2]
            assert await cursor.fetchone() is None
        plain = await conn.execute("INSERT INTO settings VALUES ('k', 'v', 0)")
        assert (plain.rowcount, plain.lastrowid) == (1, None)  # no identity: no id


async def test_executemany_counts_what_changed(pg_db) -> None:
    sql = (
        "INSERT INTO outbox (key, chat_id, text, due_at, created_at) VALUES (?, ?, ?, 0, 0)"
        " ON CONFLICT(key) DO NOTHING"
    )
    async with pg_db.transaction() as conn:
        first = await conn.executemany(sql, [("a", 1, "x"), ("b", 1, "y")])
        again = await conn.executemany(sql, [("b", 1, "y"), ("c", 1, "z")])
    assert (first.rowcount, again.rowcount) == (2, 1)


async def test_a_constraint_raises_sqlites_integrity_error(pg_db) -> None:
    with pytest.raises(sqlite3.IntegrityError) as caught:
        async with pg_db.transaction() as conn:
            await conn.execute("INSERT INTO settings VALUES ('a', 'b', 0)")
            await conn.execute("INSERT INTO settings VALUES ('a', 'c', 0)")
    assert isinstance(caught.value, IntegrityError)
    assert await _settings(pg_db) == {}


async def test_upsert_qualified_by_the_table_works_on_both(any_db) -> None:
    # PostgreSQL reads a bare column in DO UPDATE as ambiguous; naming the table works on both.
    sql = (
        "INSERT INTO sharer_month AS m (sharer_id, month, valid_fen, orders) VALUES (?, ?, ?, 1)"
        " ON CONFLICT (sharer_id, month) DO UPDATE SET valid_fen = m.valid_fen"
        " + excluded.valid_fen, orders = m.orders + excluded.orders"
    )
    async with any_db.transaction() as conn:
        await conn.executemany(sql, [("a", 202611, 5), ("a", 202611, 7)])
    assert tuple(await any_db.fetchone("SELECT valid_fen, orders FROM sharer_month")) == (12, 2)


# --- repositories unchanged on both stores ----------------------------------------------


async def test_the_faq_repository_runs_on_both(any_db) -> None:
    from storage.faq import Faq

    faq = Faq(any_db)
    await faq.keep_unanswered(-5, 7, "when is payday?", now=T0)
    asked = await any_db.fetchval("SELECT id FROM faq_unanswered")
    entry = await faq.add("Payday?", "The 10th.", actor_id=1, now=T0, resolves=[asked])
    second = await faq.add("Refunds?", "Within 7 days.", actor_id=1, now=T0)
    assert (entry.id, second.id) == (1, 2)  # lastrowid
    await faq.edit(entry.id, "Payday?", "The 15th.", actor_id=1, now=T0)
    assert [e.answer for e in await faq.entries()] == ["The 15th.", "Within 7 days."]
    assert await any_db.fetchval("SELECT faq_id FROM faq_unanswered") == entry.id
    assert await faq.count_unanswered(T0, T0 + timedelta(seconds=1)) == 1
    assert (await faq.delete(second.id, actor_id=1, now=T0)).question == "Refunds?"
    audit = await any_db.fetchall("SELECT action FROM audit ORDER BY id")
    assert [r[0] for r in audit] == ["faq_add", "faq_add", "faq_edit", "faq_del"]


async def test_the_sharer_binding_runs_on_both(any_db) -> None:
    from storage.sharers import SharerError, Sharers

    sharers = Sharers(any_db)
    async with any_db.transaction() as conn:
        await conn.execute(
            "INSERT INTO sharers (sharer_id, name, created_at, updated_at)"
            " VALUES ('S1', 'Ann', 0, 0)"
        )
    request = await sharers.request_bind(42, "S1", now=T0)
    with pytest.raises(SharerError):
        await sharers.request_bind(43, "S1", now=T0)  # pending: read inside the transaction
    decided, _ = await sharers.decide(request.id, True, actor_id=1, now=T0)
    assert decided.status == "approved"
    assert (await sharers.by_user(42)).sharer_id == "S1"


# --- migrations -------------------------------------------------------------------------


async def test_migrates_an_empty_database_once(pg_empty_url) -> None:
    db = await Database.open(pg_empty_url)
    try:
        assert await db.user_version() == 0
        applied = await db.migrate()
        assert applied == [n for n, _, _ in available_migrations()]
        assert await db.user_version() == applied[-1]
        assert await db.migrate() == []
        names = await db.fetchall("SELECT version, name FROM schema_version ORDER BY version")
        assert [tuple(r) for r in names] == [(n, name) for n, name, _ in available_migrations()]
    finally:
        await db.close()


async def test_two_processes_starting_together_migrate_once(pg_empty_url) -> None:
    first, second = await Database.open(pg_empty_url), await Database.open(pg_empty_url)
    try:
        a, b = await asyncio.gather(first.migrate(), second.migrate())
        assert sorted(a + b) == [n for n, _, _ in available_migrations()]
    finally:
        await first.close()
        await second.close()


async def test_a_failing_migration_leaves_the_database_as_it_was(
    pg_empty_url,
    monkeypatch,
) -> None:
    import storage.pg.db as dbmod

    good = available_migrations()
    broken = [*good, (len(good) + 1, "9999_broken.sql", "CREATE TABLE t (x int); SELECT nope;")]
    monkeypatch.setattr(dbmod, "available_migrations", lambda: broken)
    db = await Database.open(pg_empty_url)
    try:
        with pytest.raises(Exception, match="nope"):
            await db.migrate()
        assert await db.user_version() == len(good)
        assert await db.fetchval("SELECT to_regclass('t')") is None
    finally:
        await db.close()


async def _sqlite_schema(db) -> dict[str, list[str]]:
    tables = await db.fetchall(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    )
    return {t[0]: [c[1] for c in await db.fetchall(f'PRAGMA table_info("{t[0]}")')] for t in tables}


async def _pg_schema(db) -> dict[str, list[str]]:
    rows = await db.fetchall(
        "SELECT table_name, column_name FROM information_schema.columns"
        " WHERE table_schema = current_schema() AND table_name IN (SELECT table_name FROM"
        " information_schema.tables WHERE table_schema = current_schema()"
        " AND table_type = 'BASE TABLE') AND table_name <> 'schema_version'"
        " ORDER BY table_name, ordinal_position"
    )
    out: dict[str, list[str]] = {}
    for table, column in rows:
        out.setdefault(table, []).append(column)
    return out


async def test_the_schema_is_sqlites(pg_db, tmp_path, monkeypatch) -> None:
    # Same tables, same columns in the same order (SELECT * and copy-to rely on it), same
    # index and trigger names, at the version both stores have migrations for.
    import storage.db as sqlite_db_module

    ported = len(available_migrations())
    assert await pg_db.user_version() == ported
    sqlite_migrations = sqlite_db_module.available_migrations()[:ported]
    monkeypatch.setattr(sqlite_db_module, "available_migrations", lambda: sqlite_migrations)
    lite = await sqlite_db_module.Database.open(tmp_path / "same.sqlite3")
    try:
        await lite.migrate()
        sqlite_tables = await _sqlite_schema(lite)
        sqlite_indexes = {
            r[0]
            for r in await lite.fetchall(
                "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
            )
        }
        sqlite_triggers = {
            r[0]
            for r in await lite.fetchall("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        }
    finally:
        await lite.close()
    assert await _pg_schema(pg_db) == sqlite_tables
    pg_indexes = await pg_db.fetchall(
        "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()"
        " AND indexname NOT IN (SELECT conname FROM pg_constraint)"
    )
    assert {r[0] for r in pg_indexes} == sqlite_indexes
    pg_triggers = await pg_db.fetchall("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
    assert {r[0] for r in pg_triggers} == sqlite_triggers


# --- the triggers keep the rollups alike --------------------------------------------------


async def _rollup_writes(db) -> dict[str, list[tuple]]:
    async with db.transaction() as conn:
        await conn.executemany(
            "INSERT INTO sharer_day (sharer_id, day, valid_fen, orders) VALUES (?, ?, ?, ?)",
            [
                ("a", 20261228, 5, 1),
                ("a", 20270103, 7, 1),
                ("a", 20270104, 9, 2),
                ("b", 20261122, 4, 1),
            ],
        )
        await conn.execute("UPDATE sharer_day SET valid_fen = 1, orders = 0 WHERE sharer_id = 'b'")
        await conn.execute("DELETE FROM sharer_day WHERE day = 20270104")
        orders = [
            (f"o{i}", 0, 202611, 20261122, "a", "", "sku", "", 1, 100 * i, 0, "paid", 100 * i, c, 0)
            for i, c in enumerate(["", "@Zoe", "@Zoe", "amy"], start=1)
        ]
        await conn.executemany(
            "INSERT INTO orders (order_id, paid_at, month, day, sharer_id, buyer_id, sku, product,"
            " quantity, amount_fen, refund_fen, status, valid_fen, creator, imported_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            orders,
        )
        await conn.execute("UPDATE orders SET creator = 'amy', valid_fen = 1 WHERE order_id = 'o2'")
        await conn.execute("DELETE FROM orders WHERE order_id = 'o3'")
        await conn.execute(
            "INSERT INTO creators (handle, handle_key, tier, owner_id, created_at, updated_at)"
            " VALUES ('amy', 'amy', 'A', 1, 0, 0)"
        )
        await conn.executemany(
            "INSERT INTO samples (creator_id, owner_id, product, stage, shipped_at, signed_at,"
            " video_at, created_at, updated_at) VALUES (1, 1, 'p', ?, 0, ?, ?, 0, 0)",
            [("shipped", None, None), ("signed", 5, None), ("video_posted", 5, 9)],
        )
        await conn.execute("UPDATE samples SET stage = 'cancelled' WHERE id = 1")
    out = {}
    for table, order in [("sharer_week", "sharer_id, week"), ("creator_sales", "creator"),
                         ("creator_sample_stats", "creator_id")]:  # fmt: skip
        out[table] = [
            tuple(r) for r in await db.fetchall(f"SELECT * FROM {table} ORDER BY {order}")
        ]
    out["log"] = [r[0] for r in await db.fetchall("SELECT DISTINCT creator_id FROM screening_log")]
    return out


async def test_triggers_keep_rollups_as_on_sqlite(pg_db, sqlite_db) -> None:
    on_sqlite = await _rollup_writes(sqlite_db)
    on_pg = await _rollup_writes(pg_db)
    # 2026-12-28 and 2027-01-03 are both in ISO week 2026-W53; b's only day went to 0 orders.
    assert on_sqlite["sharer_week"] == [("a", 202653, 12, 2)]
    assert on_pg == on_sqlite


# --- backup -----------------------------------------------------------------------------


@pytest.mark.skipif(shutil.which("pg_dump") is None, reason="no pg_dump here")
async def test_backup_is_a_pg_dump_archive(pg_db, tmp_path) -> None:
    async with pg_db.transaction() as conn:
        await conn.execute("INSERT INTO settings VALUES ('a', 'b', 0)")
    target = tmp_path / "backups" / "crewbot.dump"
    await pg_db.backup(target)
    assert target.read_bytes()[:5] == b"PGDMP"


async def test_a_sibling_keeps_its_temp_tables_and_shares_the_writer_lock(pg_db) -> None:
    async with pg_db.sibling() as side:
        await side.conn.execute("CREATE TEMP TABLE staging (n BIGINT)")
        await side.conn.executemany("INSERT INTO staging VALUES (?)", [(1,), (2,)])
        assert not side.conn.in_transaction
        async with side.transaction() as conn:
            assert conn.in_transaction
            await conn.execute("INSERT INTO settings SELECT 'n' || n, 'v', 0 FROM staging")
            # The bot's writer waits for this transaction, as on SQLite's shared lock.
            waiting = asyncio.ensure_future(_write_setting(pg_db, "bot"))
            await asyncio.sleep(0.1)
            assert not waiting.done()
        await waiting
        assert await side.fetchval("SELECT COUNT(*) FROM staging") == 2
    assert sorted(await _settings(pg_db)) == ["bot", "n1", "n2"]
    # The connection went back to the pool without them.
    assert await pg_db.fetchval("SELECT to_regclass('pg_temp.staging')") is None


async def _write_setting(db, key: str) -> None:
    async with db.transaction() as conn:
        await conn.execute("INSERT INTO settings VALUES (?, 'v', 0)", (key,))
