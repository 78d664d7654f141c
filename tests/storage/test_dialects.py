"""The fragments of storage/dialect give the same answers on SQLite and on PostgreSQL, and the
answers Python gives."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from storage import dialect

pytestmark = pytest.mark.usefixtures("any_db")

# Both ends of ISO years that start early, late, with 53 weeks, and leap days.
_DAYS = [date(2020, 12, 20) + timedelta(days=n) for n in range(0, 2300, 3)] + [
    date(2015, 12, 31), date(2016, 1, 3), date(2021, 1, 3), date(2021, 1, 4), date(2026, 12, 31),
    date(2027, 1, 1), date(2027, 1, 3), date(2024, 2, 29), date(2032, 12, 31), date(2033, 1, 2),
]  # fmt: skip
_ADD_DAY = "INSERT INTO sharer_day (sharer_id, day, valid_fen, orders) VALUES (?, ?, ?, ?)"
_OFFSETS = [0, 8 * 3600, -5 * 3600, 5 * 3600 + 45 * 60, -(9 * 3600 + 30 * 60), 14 * 3600]


def _ymd(d: date) -> int:
    return d.year * 10000 + d.month * 100 + d.day


async def test_greatest_and_least(any_db) -> None:
    d = dialect.of(any_db)
    row = await any_db.fetchone(
        f"SELECT {d.greatest('3', '7', '5')}, {d.least('3', '7', '5')},"
        f" {d.greatest('-2', '0')}, {d.least('-2', '0')}"
    )
    assert tuple(row) == (7, 3, 0, -2)


async def test_as_int_sums_a_condition(any_db) -> None:
    d = dialect.of(any_db)
    async with any_db.transaction() as conn:
        await conn.execute(d.create_temp("nums", "n BIGINT"))
        await d.bulk_load(conn, d.temp("nums"), ["n"], [(n,) for n in range(10)])
        total, flags = tuple(
            (await conn.execute_fetchall(
                f"SELECT SUM({d.as_int('n > 6')}), SUM({d.as_int('n % 2 = 0')} * n)"
                f" FROM {d.temp('nums')}"
            ))[0]
        )  # fmt: skip
        await conn.execute(f"DROP TABLE {d.temp('nums')}")
    assert (total, flags) == (3, 0 + 2 + 4 + 6 + 8)


async def test_iso_week_of_a_day_number(any_db) -> None:
    d = dialect.of(any_db)
    async with any_db.transaction() as conn:
        await conn.execute(d.create_temp("days", "day BIGINT"))
        loaded = await d.bulk_load(conn, d.temp("days"), ["day"], [(_ymd(x),) for x in _DAYS])
        rows = await conn.execute_fetchall(
            f"SELECT day, {d.iso_week('day')} FROM {d.temp('days')} ORDER BY day"
        )
        await conn.execute(f"DROP TABLE {d.temp('days')}")
    assert loaded == len(_DAYS)
    expected = {}
    for x in _DAYS:
        year, week, _ = x.isocalendar()
        expected[_ymd(x)] = year * 100 + week
    assert {r[0]: r[1] for r in rows} == expected


async def test_local_day_and_month_of_unix_seconds(any_db) -> None:
    d = dialect.of(any_db)
    moments = [
        datetime(2026, 11, 22, 15, 59, 59, tzinfo=UTC), datetime(2026, 11, 22, 16, 0, tzinfo=UTC),
        datetime(2026, 12, 31, 23, 30, tzinfo=UTC), datetime(2027, 1, 1, 0, 0, tzinfo=UTC),
        datetime(2024, 2, 29, 12, 0, tzinfo=UTC), datetime(1999, 12, 31, 20, 0, tzinfo=UTC),
    ]  # fmt: skip
    pairs = [(int(m.timestamp()), off) for m in moments for off in _OFFSETS]
    async with any_db.transaction() as conn:
        await conn.execute(d.create_temp("stamps", "ts BIGINT, off BIGINT"))
        await d.bulk_load(conn, d.temp("stamps"), ["ts", "off"], pairs)
        rows = await conn.execute_fetchall(
            f"SELECT ts, off, {d.local_day('ts', 'off')}, {d.local_month('ts', 'off')}"
            f" FROM {d.temp('stamps')}"
        )
        await conn.execute(f"DROP TABLE {d.temp('stamps')}")
    got = {(r[0], r[1]): (r[2], r[3]) for r in rows}
    for ts, off in pairs:
        local = datetime.fromtimestamp(ts + off, UTC)
        assert got[ts, off] == (_ymd(local.date()), local.year * 100 + local.month), (ts, off)


async def test_chat_id_columns_of_the_schema(any_db) -> None:
    d = dialect.of(any_db)
    async with any_db.transaction() as conn:
        found = await d.chat_id_columns(conn)
    assert set(found) == {
        ("chats", "chat_id"), ("chat_settings", "chat_id"), ("outbox", "chat_id"),
        ("faq_unanswered", "chat_id"), ("broadcasts", "chat_id"),
    }  # fmt: skip


async def test_replace_value_replaces_rows_it_would_duplicate(any_db) -> None:
    d = dialect.of(any_db)
    async with any_db.transaction() as conn:
        await conn.executemany(
            "INSERT INTO chat_settings (chat_id, key, value) VALUES (?, ?, ?)",
            [(-1, "lang", "en"), (-1, "autofaq", "on"), (-100, "lang", "zh_Hans"), (-7, "x", "y")],
        )
        changed = await d.replace_value(conn, "chat_settings", "chat_id", -1, -100)
    rows = await any_db.fetchall("SELECT chat_id, key, value FROM chat_settings ORDER BY 1, 2")
    assert changed == 2
    assert [tuple(r) for r in rows] == [(-100, "autofaq", "on"), (-100, "lang", "en"),
                                        (-7, "x", "y")]  # fmt: skip


async def test_triggers_suspended_for_a_block(any_db) -> None:
    d = dialect.of(any_db)
    async with any_db.transaction() as conn:
        async with d.triggers_suspended(conn, ["sharer_day"]):
            await conn.execute(_ADD_DAY, ("a", 20261122, 5, 1))
        assert await any_db.fetchval("SELECT COUNT(*) FROM sharer_week") == 0
        await conn.execute(_ADD_DAY, ("b", 20261123, 7, 2))
    rows = await any_db.fetchall("SELECT sharer_id, week, valid_fen, orders FROM sharer_week")
    assert [tuple(r) for r in rows] == [("b", 202648, 7, 2)]


async def test_a_rolled_back_block_keeps_the_triggers(any_db) -> None:
    d = dialect.of(any_db)
    with pytest.raises(RuntimeError):
        async with any_db.transaction() as conn, d.triggers_suspended(conn, ["sharer_day"]):
            raise RuntimeError("boom")
    async with any_db.transaction() as conn:
        await conn.execute(_ADD_DAY, ("a", 20261122, 5, 1))
    assert await any_db.fetchval("SELECT COUNT(*) FROM sharer_week") == 1


async def test_indexes_suspended_for_a_block(any_db) -> None:
    d = dialect.of(any_db)
    listing = (
        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'orders'"
        " AND sql IS NOT NULL"
        if d.NAME == "sqlite"
        else "SELECT indexname FROM pg_indexes WHERE tablename = 'orders'"
        " AND indexname <> 'orders_pkey'"
    )
    before = {r[0] for r in await any_db.fetchall(listing)}
    async with any_db.transaction() as conn, d.indexes_suspended(conn, "orders"):
        assert await conn.execute_fetchall(listing) == []
    assert {r[0] for r in await any_db.fetchall(listing)} == before
    assert "orders_sharer_month" in before
