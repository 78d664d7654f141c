import sqlite3

import pytest

from storage.db import Database, available_migrations


async def test_migrates_an_empty_database(tmp_path) -> None:
    db = await Database.open(tmp_path / "a.sqlite3")
    applied = await db.migrate()
    assert applied == [number for number, _, _ in available_migrations()]
    assert await db.user_version() == applied[-1]
    tables = {r["name"] for r in await db.fetchall("SELECT name FROM sqlite_master")}
    assert {"users", "roles", "chats", "settings", "audit", "outbox"} <= tables
    assert await db.fetchval("PRAGMA journal_mode") == "wal"
    assert await db.fetchval("PRAGMA foreign_keys") == 1
    assert await db.migrate() == []  # running again changes nothing
    await db.close()


async def test_upgrades_from_version_one(tmp_path) -> None:
    path = tmp_path / "old.sqlite3"
    first = available_migrations()[0]
    raw = sqlite3.connect(path)
    raw.executescript(first[2] + "\nPRAGMA user_version = 1;")
    raw.execute("INSERT INTO settings (key, value, updated_at) VALUES ('kept', 'yes', 0)")
    raw.commit()
    raw.close()
    db = await Database.open(path)
    applied = await db.migrate()
    assert applied == [number for number, _, _ in available_migrations()][1:]
    assert await db.fetchval("SELECT value FROM settings WHERE key = 'kept'") == "yes"
    await db.close()


async def test_a_failing_migration_leaves_the_database_as_it_was(tmp_path, monkeypatch) -> None:
    import storage.db as dbmod

    good = available_migrations()
    broken = [
        *good,
        (len(good) + 1, "9999_broken.sql", "CREATE TABLE t (x); INSERT INTO nope VALUES (1);"),
    ]
    monkeypatch.setattr(dbmod, "available_migrations", lambda: broken)
    db = await Database.open(tmp_path / "b.sqlite3")
    with pytest.raises(sqlite3.OperationalError):
        await db.migrate()
    assert await db.user_version() == len(good)
    assert await db.fetchval("SELECT name FROM sqlite_master WHERE name = 't'") is None
    await db.close()


async def test_transactions_roll_back_on_error(tmp_path) -> None:
    db = await Database.open(tmp_path / "c.sqlite3")
    await db.migrate()
    with pytest.raises(RuntimeError):
        async with db.transaction() as conn:
            await conn.execute("INSERT INTO settings (key, value, updated_at) VALUES ('a', 'b', 0)")
            raise RuntimeError("boom")
    assert await db.fetchval("SELECT COUNT(*) FROM settings") == 0
    await db.close()


async def test_backup_is_a_consistent_copy(tmp_path) -> None:
    db = await Database.open(tmp_path / "d.sqlite3")
    await db.migrate()
    async with db.transaction() as conn:
        await conn.execute("INSERT INTO settings (key, value, updated_at) VALUES ('a', 'b', 0)")
    await db.backup(tmp_path / "backup" / "copy.sqlite3")
    copy = sqlite3.connect(tmp_path / "backup" / "copy.sqlite3")
    assert copy.execute("SELECT value FROM settings").fetchone() == ("b",)
    assert copy.execute("PRAGMA user_version").fetchone()[0] == await db.user_version()
    copy.close()
    await db.close()
