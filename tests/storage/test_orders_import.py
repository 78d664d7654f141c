"""The order and roster import repositories on a temporary database."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

import storage.orders as orders_module
from bot.domain.tables import MissingColumns, TableError, read_table
from bot.services import Services
from storage import order_sql
from storage.orders import OrderImport, Orders
from storage.roster import Roster
from tests.conftest import T0

HEAD = "order_id,paid_at,sharer_id,sku,amount,refund,status\n"


async def run(services: Services, text: str) -> OrderImport:
    return await services.repo(Orders).import_table(
        read_table(text.encode(), "o.csv"), services.settings.tz, now=T0, actor_id=1,
        filename="o.csv", file_hash="h",
    )  # fmt: skip


async def table(services: Services, sql: str = "SELECT * FROM orders ORDER BY order_id") -> list:
    return [tuple(r) for r in await services.db.fetchall(sql)]


def counts(r: OrderImport) -> tuple[int, int, int, int, int]:
    return r.read, r.new, r.updated, r.unchanged, r.rejected


async def test_local_day_and_month_follow_the_time_zone(services: Services) -> None:
    await run(services, HEAD + "a,2026-11-30 23:30,S,K,1,,paid\nb,2026-12-01 00:30,S,K,2,,paid\n")
    assert await table(services, "SELECT order_id, month, day FROM orders ORDER BY 1") == [
        ("a", 202611, 20261130),
        ("b", 202612, 20261201),
    ]
    assert await table(services, "SELECT * FROM sharer_month ORDER BY month") == [
        ("S", 202611, 100, 1),
        ("S", 202612, 200, 1),
    ]


FIELDS = (
    "SELECT order_id, paid_at, month, day, sharer_id, buyer_id, sku, product, quantity,"
    " amount_fen, refund_fen, status, valid_fen, creator, imported_at FROM orders"
    " ORDER BY 1"
)  # all but raw_fp, the hash of the raw cells last imported


async def test_reimport_skips_unchanged_rows_and_respelled_ones(services: Services) -> None:
    first = HEAD + "a,2026-11-05 10:00,S,K,1200,,paid\nb,2026-11-05 11:00,S,K,5,,paid\n"
    assert counts(await run(services, first)) == (2, 2, 0, 0, 0)
    before = await table(services)
    assert counts(await run(services, first)) == (2, 0, 0, 2, 0)
    assert await table(services) == before  # not even imported_at moved
    # The same data written differently (the slow path) is unchanged too; only the raw-cell
    # hash of the respelled row moves, so that the next import of this file skips it.
    respelled = first.replace(",1200,", ',"¥1,200.00",')
    assert counts(await run(services, respelled)) == (2, 0, 0, 2, 0)
    assert await table(services) != before
    assert await table(services, FIELDS) == [r[:-1] for r in before]


async def test_a_cell_holding_the_hash_separator_cannot_hide_a_change(
    services: Services,
) -> None:
    # The raw-cell hash joins the cells with U+001F; a row whose cells hold it is hashed
    # another way, so that moving the character from one cell to the next is a change.
    first = HEAD + "a,2026-11-05 10:00,S\x1fX,K,1,,paid\n"
    moved = HEAD + "a,2026-11-05 10:00,S,X\x1fK,1,,paid\n"
    assert counts(await run(services, first)) == (1, 1, 0, 0, 0)
    assert counts(await run(services, moved)) == (1, 0, 1, 0, 0)
    assert await table(services, "SELECT sharer_id, sku FROM orders") == [("S", "X\x1fK")]


async def test_unchanged_rows_skip_conversion(services: Services, monkeypatch) -> None:
    text = HEAD + (
        'a,2026-11-05 10:00,S1,K,"¥1,200.00",,paid\nb,2026-11-05 11:00, S2 ,K,5,,paid\n'
        " c ,2026-11-05 12:00,S3,K,8,,paid\nc,2026-11-05 12:00,S3,K,7,,paid\n"
    )
    assert (await run(services, text)).duplicates == [(4, "c")]
    before = await table(services)

    def refuse(*args: object) -> None:
        raise AssertionError("a skipped row was parsed")

    # a and b are skipped (a would need the domain parser). Line 5 holds c's stored cells, but
    # line 4's id trims to c too: both are converted again, and the duplicate is reported.
    monkeypatch.setattr(order_sql, "parse_orders", refuse)
    result = await run(services, text.replace(" c ,", "c ,"))
    assert counts(result) == (4, 0, 0, 3, 0) and result.duplicates == [(4, "c")]
    assert result.unbound == ["S1", "S2", "S3"]  # skipped rows' sharers too
    assert await table(services) == before
    text2 = text
    monkeypatch.undo()
    # Another time zone changes what the same cells mean: nothing is skipped.
    result = await services.repo(Orders).import_table(
        read_table(text2.encode(), "o.csv"), ZoneInfo("UTC"), now=T0, actor_id=1,
        filename="o.csv", file_hash="h",
    )  # fmt: skip
    assert counts(result) == (4, 0, 3, 0, 0)
    assert await services.repo(Orders).rollup_drift(extra=True) == dict.fromkeys(
        ("sharer_day", "sharer_month", "sku_day", "creator_sales", "sharer_week"), 0
    )


@pytest.mark.parametrize(
    ("second", "expected", "replaced"),
    [
        # unchanged line first, changed line later: the change wins
        ("a,2026-11-05 10:00,S,K,1,,paid\na,2026-11-05 10:00,S,K,9,,paid\n", 900, [(2, "a")]),
        # changed line first, unchanged line later: the file's last word is the stored row
        ("a,2026-11-05 10:00,S,K,9,,paid\na,2026-11-05 10:00,S,K,1,,paid\n", 100, [(2, "a")]),
        # a later broken line does not replace anything
        ("a,2026-11-05 10:00,S,K,1,,paid\na,2026-11-05 10:00,S,K,x,,paid\n", 100, []),
        ("a,2026-11-05 10:00,S,K,9,,paid\na,2026-11-05 10:00,S,K,x,,paid\n", 900, []),
        ("a,2026-11-05 10:00,S,K,1,,paid\na,2026-11-05 10:00,S,K,1,,paid\n", 100, [(2, "a")]),
    ],
)
async def test_duplicates_across_unchanged_and_changed_lines(
    services: Services, second: str, expected: int, replaced: list
) -> None:
    await run(services, HEAD + "a,2026-11-05 10:00,S,K,1,,paid\n")
    result = await run(services, HEAD + second)
    assert result.duplicates == replaced
    assert await table(services, "SELECT amount_fen FROM orders") == [(expected,)]
    assert result.read == 2
    assert result.new + result.updated + result.unchanged == 1
    assert await services.repo(Orders).rollup_drift() == dict.fromkeys(orders_module.ROLLUPS, 0)


@pytest.mark.sqlite_only("it reads sqlite_master; test_order_import_pg covers PostgreSQL's paths")
async def test_bulk_load_and_merge_agree(services: Services, monkeypatch) -> None:
    text = HEAD + "".join(
        f"o{i:03d},2026-11-{1 + i % 28:02d} {i % 24:02d}:00,S{i % 7},K{i % 3},{i}.5,"
        f"{'0.5' if i % 5 == 0 else ''},{'cancelled' if i % 11 == 0 else 'paid'}\n"
        for i in range(1, 300)
    )
    monkeypatch.setattr(orders_module, "_BULK", 1)
    await run(services, text)
    bulk = [
        await table(services, f"SELECT * FROM {t} ORDER BY 1, 2")
        for t in ("orders", *orders_module.ROLLUPS)
    ]
    indexes = await table(services, "SELECT sql FROM sqlite_master WHERE tbl_name = 'orders'")
    await services.db.conn.executescript(
        "DELETE FROM orders; DELETE FROM sharer_day; DELETE FROM sharer_month; DELETE FROM sku_day;"
    )
    lines = text.splitlines(keepends=True)
    for start in range(1, len(lines), 50):  # the merge path, 50 rows at a time
        await run(services, HEAD + "".join(lines[start : start + 50]))
    merged = [
        await table(services, f"SELECT * FROM {t} ORDER BY 1, 2")
        for t in ("orders", *orders_module.ROLLUPS)
    ]
    assert merged == bulk
    assert (
        await table(services, "SELECT sql FROM sqlite_master WHERE tbl_name = 'orders'") == indexes
    )


async def test_a_small_file_against_stored_orders(services: Services) -> None:
    await run(services, HEAD + "a,2026-11-05 10:00,S,K,1,,paid\nb,2026-11-05 10:00,S,K,1,,paid\n")
    result = await run(
        services, HEAD + "b,2026-11-05 10:00,S,K,2,,paid\nc,2026-11-05 10:00,S,K,1,,paid\n"
    )
    assert counts(result) == (2, 1, 1, 0, 0)


async def test_a_failure_leaves_nothing_half_imported(services: Services, monkeypatch) -> None:
    await run(services, HEAD + "a,2026-11-05 10:00,S,K,1,,paid\n")
    before = [
        await table(services, f"SELECT * FROM {t}")
        for t in ("orders", "sharer_day", "imports", "audit")
    ]

    async def broken(conn, sign):  # type: ignore[no-untyped-def]
        if sign == "+":
            raise RuntimeError("disk full")

    monkeypatch.setattr(orders_module, "_shift", broken)
    with pytest.raises(RuntimeError):
        await run(
            services, HEAD + "a,2026-11-05 10:00,S,K,5,,paid\nb,2026-11-05 10:00,S,K,1,,paid\n"
        )
    assert [
        await table(services, f"SELECT * FROM {t}")
        for t in ("orders", "sharer_day", "imports", "audit")
    ] == before
    # A broken quote near the end refuses the whole file: the rows before it are not kept,
    # though they were staged (and converted) batches before the worker thread reached it.
    monkeypatch.setattr(orders_module, "_BATCH", 1)
    with pytest.raises(TableError):
        await run(
            services, HEAD + 'c,2026-11-05 10:00,S,K,1,,paid\nd,2026-11-05 10:00,S,K,"1,,paid\n'
        )
    with pytest.raises(MissingColumns):
        await run(services, "order_id,amount\nx,1\n")
    assert [
        await table(services, f"SELECT * FROM {t}")
        for t in ("orders", "sharer_day", "imports", "audit")
    ] == before


async def test_a_broken_file_leaves_an_empty_table_empty(services: Services, monkeypatch) -> None:
    # Into an empty table each batch is converted while the worker parses the next: a broken
    # quote found batches later still refuses the whole file.
    monkeypatch.setattr(orders_module, "_BATCH", 2)
    monkeypatch.setattr(orders_module, "_BULK", 1)
    good = "".join(f"o{i},2026-11-05 10:00,S,K,1,,paid\n" for i in range(7))
    with pytest.raises(TableError) as refused:
        await run(services, HEAD + good + 'z,2026-11-05 10:00,S,K,"1,,paid\n')
    assert refused.value.params["line"] == 9
    for t in ("orders", "sharer_day", "sku_day", "imports"):
        assert await table(services, f"SELECT * FROM {t}") == []
    result = await run(services, HEAD + good)  # and the connection is fit for the next one
    assert counts(result) == (7, 7, 0, 0, 0)


async def roster(services: Services, text: str):  # type: ignore[no-untyped-def]
    return await services.repo(Roster).import_table(
        read_table(text.encode(), "r.csv"), now=T0, actor_id=1, filename="r.csv", file_hash="h"
    )


async def test_roster_later_row_wins_and_a_revert_cannot_close_a_loop(services: Services) -> None:
    await roster(services, "sharer_id,name,inviter_id\nA,Ann,\nB,Ben,A\n")
    result = await roster(
        services,
        "sharer_id,name,inviter_id,leader_id\n"
        "B,Ben 1,C,\n"  # B's inviter moves from A to C…
        "A,,B,\n"  # …so A may now be invited by B…
        "B,Ben 2,,\n"  # …but B back under A (an empty cell keeps the stored A) would loop
        "C,Cy,,C\n",  # a leader of themself: a leader, not their own member
    )
    assert [(e.line, e.code) for e in result.errors] == [(4, "cycle")]
    assert result.duplicates == []
    rows = await table(
        services, "SELECT sharer_id, name, inviter_id, leader_id, is_leader FROM sharers ORDER BY 1"
    )
    assert rows == [
        ("A", "Ann", "B", None, 0),
        ("B", "Ben 1", "C", None, 0),
        ("C", "Cy", None, None, 1),
    ]
    again = await roster(services, "sharer_id,name\nC,Cy 1\nC,Cy 2\n")
    assert again.duplicates == [(2, "C")] and (again.updated, again.unchanged) == (1, 0)
    assert await table(services, "SELECT name FROM sharers WHERE sharer_id = 'C'") == [("Cy 2",)]
