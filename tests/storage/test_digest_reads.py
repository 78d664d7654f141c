"""The digest's read queries against a real database: the figures equal a computation over
the same orders done here in Python."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from bot.domain.digest import SalesDay
from bot.domain.pipeline import Event
from bot.services import Services
from storage.digest import DigestReads
from storage.samples import Samples
from tests.conftest import T0
from tests.storage.test_commission_repo import TZ, add_orders, add_roster
from tests.storage.test_samples_repo import _creator

ROSTER = [("A", "Alice Wang", "", "", ""), ("B", "Bob Li", "", "", ""), ("C", "陈小春", "", "", "")]
ORDERS = [
    ("d1", "A", "2026-11-20 10:00", "SKU-1", 10000, 0, "paid", "u1"),
    ("d2", "A", "2026-11-21 09:00", "SKU-1", 20000, 5000, "paid", "u1"),
    ("d3", "B", "2026-11-21 23:59", "SKU-2", 30000, 0, "refunded", "u2"),
    ("d4", "C", "2026-11-21 12:00", "SKU-2", 40000, 0, "paid", "u3"),
    ("d5", "", "2026-11-21 13:00", "SKU-3", 5000, 0, "paid", "u4"),
    ("d6", "B", "2026-11-22 00:00", "SKU-2", 7000, 0, "cancelled", "u2"),
]


def valid_of(order: tuple) -> int:
    return 0 if order[6] != "paid" else max(0, order[4] - order[5])


def expected(day: str) -> SalesDay:
    rows = [o for o in ORDERS if o[2].startswith(day)]
    firsts: dict[str, str] = {}
    for o in ORDERS:
        if valid_of(o) > 0 and o[1]:
            firsts[o[1]] = min(firsts.get(o[1], o[2][:10]), o[2][:10])
    active = {o[1] for o in rows if valid_of(o) > 0 and o[1]}
    return SalesDay(
        gmv_fen=sum(o[4] for o in rows),
        valid_fen=sum(valid_of(o) for o in rows),
        orders=len(rows),
        customers=len({o[7] for o in rows}),
        active_sharers=len(active),
        new_sharers=sum(1 for s in active if firsts[s] == day),
    )


async def test_sales_days_match_a_computation_over_the_orders(services: Services) -> None:
    await add_roster(services.db, ROSTER)
    await add_orders(services.db, ORDERS)
    days = await DigestReads(services.db).sales_days(date(2026, 11, 14), date(2026, 11, 22))
    assert days[date(2026, 11, 21)] == expected("2026-11-21")
    assert days[date(2026, 11, 20)] == expected("2026-11-20")
    assert days[date(2026, 11, 22)] == expected("2026-11-22")
    assert date(2026, 11, 19) not in days
    d21 = days[date(2026, 11, 21)]
    # A had sold on the 20th: active on the 21st, not new; C is new.
    assert (d21.active_sharers, d21.new_sharers) == (2, 1)
    assert d21.refund_rate == Decimal(95000 - 60000) / Decimal(95000)


async def test_tops_and_empty_sections(services: Services) -> None:
    await add_roster(services.db, ROSTER)
    await add_orders(services.db, ORDERS)
    reads = DigestReads(services.db)
    assert await reads.top_sharers(date(2026, 11, 21)) == [("C", 40000), ("A", 15000)]
    assert await reads.top_skus(date(2026, 11, 21)) == [
        ("SKU-2", 40000, 1),
        ("SKU-1", 15000, 1),
        ("SKU-3", 5000, 1),
    ]
    data = await reads.digest(date(2026, 11, 21), TZ)
    assert data.pipeline is None  # no samples at all: the section is absent
    assert (data.community.live_forwards, data.community.unanswered) == (None, None)


async def test_pipeline_figures_count_the_day_s_samples(services: Services) -> None:
    repo = services.repo(Samples)
    creator = await _creator(services)
    ids = [
        await repo.create(
            creator_id=creator, owner_id=2, product=p, shipping_order_id=None, urgent=False, now=T0
        )
        for p in ("A", "B", "C")
    ]
    for number in ids[:2]:
        await repo.change(await repo.get(number), [Event.SIGN], actor_id=2, now=T0,
                          fields={"signed_at": T0})  # fmt: skip
    video = {"video_url": "https://v.douyin.com/x", "video_key": "x", "video_at": T0}
    await repo.change(await repo.get(ids[0]), [Event.VIDEO], actor_id=2, now=T0, fields=video)
    reads = DigestReads(services.db)
    p = await reads.pipeline(date(2026, 11, 22), TZ)
    assert p is not None
    assert (p.shipped, p.signed, p.videos, p.to_ads, p.no_shows) == (3, 2, 1, 0, 0)
    assert p.fulfilment_rate == Decimal(1) / Decimal(2)
    before = await reads.pipeline(date(2026, 11, 21), TZ)
    assert before is not None and (before.shipped, before.fulfilment_rate) == (0, None)
