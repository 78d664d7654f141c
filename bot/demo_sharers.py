"""Console demo data for the sharer programme: a roster, bindings and orders.

Eve leads a team (she recruited Fay; Fay recruited Gus). Orders fall in this month and last
month of the bot's clock, so /me, /commission, /top and /team show real figures. The roster
and orders are written with SQL (kept consistent with the rollups, as an import would); the
bindings and the leader go through the real bot, as the people would do it.
"""

from __future__ import annotations

import random
from datetime import timedelta

from bot.driver import Driver
from storage.db import to_ts

ROSTER = [  # sharer_id, name, buyer_id, inviter_id
    ("EVE01", "Eve Chen", "BEVE", None),
    ("FAY01", "林美芳", "BFAY", "EVE01"),
    ("GUS01", "郭小树", "BGUS", "FAY01"),
    ("HAN01", "韩梅梅", "BHAN", "EVE01"),
]
SALES = {"EVE01": (9, 1200_00), "FAY01": (6, 800_00), "GUS01": (3, 450_00), "HAN01": (2, 300_00)}


async def _write(driver: Driver) -> None:
    services = driver.services
    now, tz = services.clock.now(), services.settings.tz
    today = now.astimezone(tz).replace(hour=11, minute=0, second=0, microsecond=0)
    last_month = today.replace(day=1) - timedelta(days=20)
    rng = random.Random(4)
    rows = []
    for sid, (count, typical) in SALES.items():
        for n in range(count):
            for base, tag in ((today, "a"), (last_month, "b")):
                paid = base - timedelta(days=rng.randrange(0, max(base.day, 1)), hours=n % 5)
                amount = typical // 2 + rng.randrange(typical)
                refund = amount // 3 if n == 2 else 0
                buyer = f"BUY{rng.randrange(500)}" if n != 1 else f"B{sid[:3]}"
                rows.append((f"{sid}-{tag}{n}", paid, sid, buyer, f"SKU-00{n % 3 + 1}",
                             amount, refund))  # fmt: skip
    async with services.db.transaction() as conn:
        for sid, name, buyer, inviter in ROSTER:
            await conn.execute(
                "INSERT INTO sharers (sharer_id, name, buyer_id, inviter_id, created_at,"
                " updated_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(sharer_id) DO NOTHING",
                (sid, name, buyer, inviter, to_ts(now), to_ts(now)),
            )
        for oid, paid, sid, buyer, sku, amount, refund in rows:
            local = paid.astimezone(tz)
            month, day = local.year * 100 + local.month, int(local.strftime("%Y%m%d"))
            valid = amount - refund
            await conn.execute(
                "INSERT OR IGNORE INTO orders (order_id, paid_at, month, day, sharer_id, buyer_id,"
                " sku, amount_fen, refund_fen, status, valid_fen, fingerprint, imported_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'paid', ?, 0, ?)",
                (oid, to_ts(paid), month, day, sid, buyer, sku, amount, refund, valid, to_ts(now)),
            )
            for sql, key in (
                ("INSERT INTO sharer_day VALUES (?, ?, ?, 1)", (sid, day)),
                ("INSERT INTO sharer_month VALUES (?, ?, ?, 1)", (sid, month)),
                ("INSERT INTO sku_day VALUES (?, ?, ?, ?, 1)", (sku, day, sid)),
            ):
                await conn.execute(
                    sql + " ON CONFLICT DO UPDATE SET valid_fen = valid_fen + excluded.valid_fen,"
                    " orders = orders + 1",
                    (*key, valid),
                )


async def load(driver: Driver, people: dict, groups: dict) -> None:
    await _write(driver)
    ada = people["ada"].id
    for person, sid in (("eve", "EVE01"), ("fay", "FAY01"), ("gus", "GUS01")):
        await driver.say(people[person].id, people[person].id, f"/bind {sid}")
        await driver.tick()
        # The request is the latest message with buttons in the managers' chat.
        approve = next(
            label
            for m in reversed(driver.api.sent_to(groups["managers"]))
            for row in m.buttons
            for label, data in row
            if data.startswith("bind:ok:")
        )
        await driver.press(ada, groups["managers"], approve)
    await driver.say(ada, ada, "/leader EVE01")
    await driver.tick()
