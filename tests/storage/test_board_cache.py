"""The board cache: kept across writes the boards do not depend on, dropped by those they do,
and a missing board computed once however many requests wait for it."""

from __future__ import annotations

import asyncio

import pytest

from bot.domain.tables import read_table
from bot.services import Services
from storage.boards import Boards
from storage.db import Database
from storage.orders import Orders
from tests.conftest import T0
from tests.storage.test_commission_repo import WORKED_ROSTER, add_roster

pytestmark = pytest.mark.sqlite_only(
    "the cache watches writes with SQLite temp triggers and data_version"
)

HEAD = "order_id,paid_at,sharer_id,sku,amount,refund,status\n"
NOV = ("month", 202611)


async def import_orders(services: Services, rows: str) -> None:
    await services.repo(Orders).import_table(
        read_table((HEAD + rows).encode(), "o.csv"), services.settings.tz, now=T0, actor_id=1,
        filename="o.csv", file_hash="h",
    )  # fmt: skip


async def seeded(services: Services) -> Boards:
    await add_roster(services.db, WORKED_ROSTER)
    await import_orders(
        services, "o1,2026-11-05 10:00,A,K,300,,paid\no2,2026-11-06 10:00,B,K,200,,paid\n"
    )
    return services.boards


async def test_concurrent_requests_compute_the_board_once(services: Services) -> None:
    boards = await seeded(services)
    answers = await asyncio.gather(*(boards.board(NOV) for _ in range(100)))
    assert boards.computed == 1
    assert all(a == [(1, "A", 30000), (2, "B", 20000)] for a in answers)
    # Teams are their own board, once too.
    await asyncio.gather(*(boards.team_board(NOV) for _ in range(100)))
    assert boards.computed == 2


async def test_first_sighting_upserts_keep_the_board(services: Services) -> None:
    boards = await seeded(services)
    await boards.board(NOV)
    for n in range(5):
        await services.users.seen(1000 + n, f"U{n}", None, "zh-hans", private=True, now=T0)
        await services.chats.seen(-1000 - n, "group", f"G{n}", now=T0)
    await services.outbox.enqueue("k", 1000, "hello", due_at=T0, now=T0)
    await boards.board(NOV)
    assert boards.computed == 1


async def test_an_order_import_invalidates_and_the_board_is_right(services: Services) -> None:
    boards = await seeded(services)
    assert await boards.board(NOV) == [(1, "A", 30000), (2, "B", 20000)]
    # A refund moves B's figure only; an order moving between days of one month, too.
    await import_orders(services, "o2,2026-11-06 10:00,B,K,200,150,paid\n")
    assert await boards.board(NOV) == [(1, "A", 30000), (2, "B", 5000)]
    assert boards.computed == 2
    week = ("days", 20261102, 20261108)
    assert await boards.board(week) == [(1, "A", 30000), (2, "B", 5000)]
    await import_orders(services, "o1,2026-11-10 10:00,A,K,300,,paid\n")
    assert await boards.board(week) == [(1, "B", 5000)]


async def test_the_first_import_into_an_empty_table_invalidates(services: Services) -> None:
    # The bulk way into an empty table sets the rollups' triggers aside, the boards' too.
    await add_roster(services.db, WORKED_ROSTER)
    assert await services.boards.board(NOV) == []
    await import_orders(
        services, "".join(f"o{i},2026-11-05 10:00,A,K,1,,paid\n" for i in range(8000))
    )
    assert await services.boards.board(NOV) == [(1, "A", 800000)]


async def test_hiding_a_sharer_or_moving_a_team_invalidates(services: Services) -> None:
    boards = await seeded(services)
    await import_orders(services, "c1,2026-11-07 10:00,C,K,900,,paid\n")
    assert await boards.team_board(NOV) == [(1, "A", 110000)]  # B and C led by A
    async with services.db.transaction() as conn:
        await conn.execute("UPDATE sharers SET leader_id = 'B' WHERE sharer_id = 'C'")
    assert await boards.team_board(NOV) == [(1, "B", 90000), (2, "A", 20000)]
    assert await boards.board(NOV) == [(1, "C", 90000), (2, "A", 30000), (3, "B", 20000)]
    await services.sharers.set_hidden("A", True, actor_id=1, now=T0)
    assert await boards.board(NOV) == [(1, "C", 90000), (2, "B", 20000)]


async def test_another_connections_commit_invalidates(services: Services) -> None:
    boards = await seeded(services)
    await boards.board(NOV)
    other = await Database.open(services.settings.database_path)
    try:
        async with other.transaction() as conn:
            await conn.execute("UPDATE sharer_month SET valid_fen = 99999 WHERE sharer_id = 'B'")
    finally:
        await other.close()
    assert await boards.board(NOV) == [(1, "B", 99999), (2, "A", 30000)]


async def test_a_board_read_inside_an_open_write_is_not_kept(services: Services) -> None:
    boards = await seeded(services)
    await boards.board(NOV)
    try:
        async with services.db.transaction() as conn:
            await conn.execute("UPDATE sharer_month SET valid_fen = 1 WHERE sharer_id = 'A'")
            # This connection sees its own uncommitted row; the rollback takes it back.
            assert await boards.board(NOV) == [(1, "B", 20000), (2, "A", 1)]
            raise RuntimeError("import failed part-way")
    except RuntimeError:
        pass
    assert await boards.board(NOV) == [(1, "A", 30000), (2, "B", 20000)]


async def test_a_waiter_cancelled_does_not_cancel_the_others(services: Services) -> None:
    boards = await seeded(services)
    first = asyncio.ensure_future(boards.board(NOV))
    second = asyncio.ensure_future(boards.board(NOV))
    await asyncio.sleep(0)
    first.cancel()
    assert await second == [(1, "A", 30000), (2, "B", 20000)]
    assert boards.computed == 1
