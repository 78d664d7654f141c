"""copy-to: a whole database from SQLite to PostgreSQL and back, and the backup command on
both stores. The source is the console's demo data with a row in every table it leaves
empty, a photo and a document in the outbox, NULLs and 64-bit numbers."""

from __future__ import annotations

import asyncio
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import AsyncIterator
from contextlib import closing
from pathlib import Path
from typing import Any

import asyncpg
import pytest

from bot.__main__ import main
from storage import copy as copy_module
from storage.copy import CopyRefused, code_version, copy_database, dependency_order
from storage.dialect import sqlite_catalog
from storage.open import open_database

ROOT = Path(__file__).resolve().parents[2]
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))
BIG = 2**62 + 7  # past 2**53: a float on the way would change it

# A row for each table the demo leaves empty (kept in step with the schema: the test says
# which table has none).
EXTRA_ROWS: dict[str, dict[str, Any]] = {
    "broadcasts": {"id": 7, "kind": "dm", "text": "<b>双十一</b> 提前看", "created_by": 1,
                   "chat_id": 1, "status": "done", "queued": 3, "created_at": 1_790_000_000},
    "challenges": {"id": 3, "sku": "SKU-1", "rate": "15%", "start_day": "2026-11-01",
                   "end_day": "2026-11-30", "planned_end": "2026-11-30", "created_by": 1,
                   "created_at": 1_790_000_000},
    "chat_settings": {"chat_id": -1_009_876_543_210, "key": "mask", "value": "off"},
    "creator_notes": {"id": 5, "creator_id": None, "author_id": BIG, "text": "回访：下周再约",
                      "at": 1_790_000_000},
    "creator_sales": {"creator": "@小红", "valid_fen": 9_000_000_000_000, "orders": 12},
    "faq": {"id": 9, "question": "怎么结算？", "answer": "每月五日。", "created_by": None,
            "created_at": 1_790_000_000, "updated_at": 1_790_000_001},
    "faq_unanswered": {"id": 4, "chat_id": -1003, "user_id": None, "text": "发票？",
                       "asked_at": 1_790_000_000, "faq_id": None},
    "lives": {"id": 2, "title": "周五直播", "link": "https://example.com/l", "weekdays": "4",
              "at_time": "20:00", "created_at": 1_790_000_000, "updated_at": 1_790_000_000},
    "live_dates": {"id": 6, "live_id": 2, "starts_at": 1_790_600_000, "next_at": None},
    "live_forwards": {"date_id": 6, "sharer_id": "S001", "user_id": 5, "at": 1_790_600_100},
    "referral_pending": {"user_id": BIG, "inviter_id": "S001", "at": 1_790_000_000},
    "settings": {"key": "digest_off", "value": "1", "updated_at": 1_790_000_000},
    "settlements": {"month": 202610, "settled_at": 1_790_000_000, "settled_by": 1,
                    "rules": '{"levels": []}'},
    "settlement_lines": {"month": 202610, "sharer_id": "S001", "valid_fen": 123_456,
                         "direct": 1_000, "self_purchase": 0, "level2": 0, "team": 0,
                         "recruit": 0, "adjustment": -50, "total": 950, "direct_rate": None},
    "settlement_corrections": {"month": 202610, "sharer_id": "S002", "for_month": 202609,
                               "amount": -1_234},
}  # fmt: skip


async def _build_source(path: Path) -> None:
    from bot.config import load_settings
    from bot.offline.console import cast_bot
    from bot.offline.demo import load_demo

    settings = load_settings(
        telegram_bot_token="123456:TEST-TOKEN",
        database_path=path,
        database_url=f"sqlite:///{path}",  # not a DATABASE_URL from the shell (CI's server)
        admin_ids="1",
        tick_every="1d",
    )
    async with cast_bot(settings) as (driver, _):
        await load_demo(driver)
    with closing(sqlite3.connect(path)) as conn, conn:
        creator = conn.execute("SELECT min(id) FROM creators").fetchone()[0]
        EXTRA_ROWS["creator_notes"]["creator_id"] = creator
        for table, row in EXTRA_ROWS.items():
            if conn.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0] == 0:
                names = ", ".join(f'"{n}"' for n in row)
                marks = ", ".join("?" for _ in row)
                conn.execute(
                    f'INSERT INTO "{table}" ({names}) VALUES ({marks})', tuple(row.values())
                )
        conn.execute(
            "INSERT INTO outbox (key, chat_id, text, document_name, document, photo, due_at,"
            " created_at) VALUES ('copy:photo', ?, '海报', 'report.xlsx', ?, ?, 1790000000,"
            " 1790000000)",
            (-1_009_876_543_210, b"PK\x03\x04\x00" + bytes(1000), PNG),
        )
        conn.execute("DELETE FROM faq_unanswered")  # an AUTOINCREMENT counter past max(id)
        conn.execute(
            "INSERT INTO faq_unanswered (id, chat_id, text, asked_at) VALUES (2, 1, '？', 1)"
        )


@pytest.fixture(scope="module")
def demo_source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("copy") / "demo.sqlite3"
    asyncio.run(_build_source(path))
    return path


@pytest.fixture
def source(demo_source: Path, tmp_path: Path) -> Path:
    path = tmp_path / "source.sqlite3"
    shutil.copyfile(demo_source, path)
    return path


def sqlite_rows(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    with closing(sqlite3.connect(path)) as conn:
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%'"
        )]  # fmt: skip
        return {
            t: sorted(conn.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr) for t in tables
        }


async def pg_rows(url: str, tables: list[str]) -> dict[str, list[tuple[Any, ...]]]:
    conn = await asyncpg.connect(url)
    try:
        found = {}
        for t in tables:
            found[t] = sorted(
                (tuple(r) for r in await conn.fetch(f'SELECT * FROM "{t}"')), key=repr
            )
        return found
    finally:
        await conn.close()


async def copy(source_url: str, target_url: str, **kwargs: Any) -> copy_module.CopyReport:
    source = await open_database(source_url)
    target = await open_database(target_url)
    try:
        return await copy_database(source, target, **kwargs)
    finally:
        await source.close()
        await target.close()


def test_the_source_has_rows_in_every_table(source: Path) -> None:
    empty = [t for t, rows in sqlite_rows(source).items() if not rows]
    assert empty == [], f"give these tables a row in EXTRA_ROWS: {empty}"


async def test_sqlite_to_postgresql_and_back(
    source: Path, pg_empty_url: str, tmp_path: Path
) -> None:
    original = sqlite_rows(source)
    seen: list[tuple[int, int]] = []
    report = await copy(
        f"sqlite:///{source}", pg_empty_url, progress=lambda d, n: seen.append((d, n))
    )
    assert report.ok, "\n".join(report.lines())
    total = sum(len(rows) for rows in original.values())
    assert report.rows == total and seen[-1] == (total, total)
    assert {c.table for c in report.checks} == set(original)
    assert ("orders", "valid_fen") in {(c.table, c.what) for c in report.checks}

    # Every row of every table, BLOBs, NULLs and 64-bit numbers included.
    assert await pg_rows(pg_empty_url, list(original)) == original

    # Triggers are back on, and every id counter continues past what was copied.
    conn = await asyncpg.connect(pg_empty_url)
    try:
        assert (
            await conn.fetchval(
                "SELECT COUNT(*) FROM pg_trigger WHERE NOT tgisinternal AND tgenabled <> 'O'"
            )
            == 0
        )
        for table in ("audit", "outbox", "samples", "faq", "faq_unanswered", "screening_log"):
            column = "seq" if table == "screening_log" else "id"
            top = await conn.fetchval(f'SELECT MAX("{column}") FROM "{table}"')
            seq = await conn.fetchval("SELECT pg_get_serial_sequence($1, $2)", table, column)
            assert await conn.fetchval(f"SELECT nextval('{seq}')") > top
        # faq_unanswered's AUTOINCREMENT had handed out 4 before row 4 was deleted.
        seq = await conn.fetchval("SELECT pg_get_serial_sequence('faq_unanswered', 'id')")
        assert await conn.fetchval(f"SELECT last_value FROM {seq}") >= 5
    finally:
        await conn.close()

    # A repository's insert on the copy gets a new id; a rollup trigger fires again.
    db = await open_database(pg_empty_url)
    try:
        from datetime import UTC, datetime

        from storage.outbox import Outbox

        before_ids = await db.fetchval("SELECT MAX(id) FROM outbox")
        moment = datetime(2026, 12, 1, tzinfo=UTC)
        assert await Outbox(db).enqueue("copy:after", 1, "hi", due_at=moment, now=moment)
        assert await db.fetchval("SELECT id FROM outbox WHERE key = 'copy:after'") > before_ids
        logged = await db.fetchval("SELECT COUNT(*) FROM screening_log")
        async with db.transaction() as tx:
            await tx.execute("UPDATE creators SET followers = 1 WHERE id = ?", (1,))
        assert await db.fetchval("SELECT COUNT(*) FROM screening_log") == logged + 1
    finally:
        await db.close()

    # And back into one SQLite file: the same rows as the original, the same schema.
    back = tmp_path / "back.sqlite3"
    report = await copy(pg_empty_url, f"sqlite:///{back}")
    assert report.ok, "\n".join(report.lines())
    copied = sqlite_rows(back)
    assert copied["outbox"] == sorted(
        [*original["outbox"], *[r for r in copied["outbox"] if r[1] == "copy:after"]], key=repr
    )
    for table in set(original) - {"outbox", "creators", "screening_log"}:
        assert copied[table] == original[table], table
    with closing(sqlite3.connect(source)) as a, closing(sqlite3.connect(back)) as b:
        schema = "SELECT type, name, sql FROM sqlite_master WHERE type <> 'table' ORDER BY name"
        assert b.execute(schema).fetchall() == a.execute(schema).fetchall()
        sequence = "SELECT name, seq FROM sqlite_sequence ORDER BY name"
        assert dict(b.execute(sequence).fetchall())["faq_unanswered"] >= 4


async def test_refuses_a_target_that_holds_data(
    source: Path, pg_migrated_url: str, tmp_path: Path
) -> None:
    conn = await asyncpg.connect(pg_migrated_url)
    try:
        await conn.execute("INSERT INTO settings (key, value, updated_at) VALUES ('x', 'y', 1)")
    finally:
        await conn.close()
    with pytest.raises(CopyRefused, match=r"not empty: settings \(1 row\)"):
        await copy(f"sqlite:///{source}", pg_migrated_url)
    other = tmp_path / "other.sqlite3"
    shutil.copyfile(source, other)
    with pytest.raises(CopyRefused, match="not empty"):
        await copy(f"sqlite:///{source}", f"sqlite:///{other}")
    assert sqlite_rows(other) == sqlite_rows(source)  # untouched


async def test_a_migrated_empty_target_is_fine(source: Path, pg_migrated_url: str) -> None:
    report = await copy(f"sqlite:///{source}", pg_migrated_url)
    assert report.ok


@pytest.mark.parametrize(("shift", "says"), [(-1, "migrate` on the source"), (1, "newer")])
async def test_refuses_a_source_at_another_version(
    source: Path, tmp_path: Path, shift: int, says: str
) -> None:
    with closing(sqlite3.connect(source)) as conn:
        conn.execute(f"PRAGMA user_version = {code_version() + shift}")
    target = tmp_path / "target.sqlite3"
    with pytest.raises(CopyRefused, match=says):
        await copy(f"sqlite:///{source}", f"sqlite:///{target}")
    assert not target.exists() or sqlite_rows(target) == {}


async def test_a_difference_is_reported(
    source: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def lose_an_order(db: Any) -> None:  # runs after the commit, before the checks
        async with db.transaction() as conn:
            await conn.execute(
                "DELETE FROM orders WHERE order_id = (SELECT MIN(order_id) FROM orders)"
            )

    monkeypatch.setattr(sqlite_catalog, "analyze", lose_an_order)
    report = await copy(f"sqlite:///{source}", f"sqlite:///{tmp_path / 'target.sqlite3'}")
    assert not report.ok
    assert {(c.table, c.what) for c in report.mismatches} >= {("orders", "rows")}
    assert any("MISMATCH" in line for line in report.lines())


def test_dependency_order() -> None:
    refs = [("b", "a"), ("c", "b"), ("a", "a")]
    assert dependency_order(["c", "b", "a", "d"], refs) == ["a", "d", "b", "c"]
    with pytest.raises(CopyRefused, match="cycle"):
        dependency_order(["a", "b"], [("a", "b"), ("b", "a")])


# --- the command line ----------------------------------------------------------------------


def test_copy_to_command(source: Path, pg_empty_url: str) -> None:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{source}"}
    env.pop("DATABASE_PATH", None)
    run = [sys.executable, "-m", "bot", "copy-to", pg_empty_url]
    done = subprocess.run(run, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "orders.valid_fen (sum)" in done.stdout and "MISMATCH" not in done.stdout
    again = subprocess.run(run, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert again.returncode == 2
    assert "copy-to: the target is not empty" in again.stderr
    assert "Traceback" not in again.stderr


def test_copy_to_itself_is_refused(
    source: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{source}")
    assert main(["copy-to", f"sqlite:///{source}"]) == 2
    assert "the bot's own database" in capsys.readouterr().err


def test_copy_to_mismatch_exits_1(
    source: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    async def lose_a_row(db: Any) -> None:
        async with db.transaction() as conn:
            await conn.execute("DELETE FROM audit WHERE id = (SELECT MAX(id) FROM audit)")

    monkeypatch.setattr(sqlite_catalog, "analyze", lose_a_row)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{source}")
    assert main(["copy-to", f"sqlite:///{tmp_path / 'target.sqlite3'}"]) == 1
    out = capsys.readouterr()
    assert "MISMATCH" in out.out and "differs" in out.err


def test_backup_sqlite(source: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{source}")
    assert main(["backup", str(tmp_path / "snap" / "b.sqlite3")]) == 0
    assert sqlite_rows(tmp_path / "snap" / "b.sqlite3") == sqlite_rows(source)


def test_backup_postgresql(
    source: Path, pg_empty_url: str, pg_url: str, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    from tests.pg import create_database, drop_database

    if shutil.which("pg_dump") is None or shutil.which("pg_restore") is None:
        pytest.skip("pg_dump and pg_restore are not installed")
    report = asyncio.run(copy(f"sqlite:///{source}", pg_empty_url))
    assert report.ok
    monkeypatch.setenv("DATABASE_URL", pg_empty_url)
    dump = tmp_path / "crewbot.dump"
    assert main(["backup", str(dump)]) == 0
    assert dump.read_bytes()[:5] == b"PGDMP"
    restored = asyncio.run(create_database(pg_url))
    try:
        subprocess.run(["pg_restore", "--no-owner", f"--dbname={restored}", str(dump)], check=True)
        tables = list(sqlite_rows(source))
        assert asyncio.run(pg_rows(restored, tables)) == asyncio.run(pg_rows(pg_empty_url, tables))
    finally:
        asyncio.run(drop_database(pg_url, restored))

    # Without pg_dump: one line saying what to install, or to copy into a SQLite file.
    monkeypatch.setattr("storage.pg.db.shutil.which", lambda name: None)
    capsys.readouterr()
    assert main(["backup", str(tmp_path / "again.dump")]) == 2
    err = capsys.readouterr().err
    assert "pg_dump is not installed" in err and "copy-to sqlite:///" in err
    assert "Traceback" not in err


async def test_a_read_error_reaches_the_caller() -> None:
    class Broken:
        async def batches(self, table: str, names: list[str], size: int) -> AsyncIterator[list]:
            yield [(1,)]
            raise sqlite3.DatabaseError("disk image is malformed")

    got = []
    with pytest.raises(sqlite3.DatabaseError, match="malformed"):
        async for rows in copy_module._batches(Broken(), "t", ["a"], 10):
            got.append(rows)
    assert got == [[(1,)]]
