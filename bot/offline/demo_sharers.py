"""Console demo data for the sharer programme: a roster, bindings and orders.

Eve leads a team (she recruited Fay; Fay recruited Gus). Orders fall in this month and last
month of the bot's clock, so /me, /commission, /top and /team show real figures. Everything
goes through the real bot as people would do it: Ada uploads the roster and an order export,
the sharers ask to bind their ids and Ada approves, and she makes Eve a team leader.
"""

from __future__ import annotations

import csv
import io
import random
from datetime import timedelta

from bot.offline.driver import Driver

ROSTER = [  # sharer_id, name, buyer_id, inviter_id
    ("EVE01", "Eve Chen", "BEVE", None),
    ("FAY01", "林美芳", "BFAY", "EVE01"),
    ("GUS01", "郭小树", "BGUS", "FAY01"),
    ("HAN01", "韩梅梅", "BHAN", "EVE01"),
]
SALES = {"EVE01": (9, 1200_00), "FAY01": (6, 800_00), "GUS01": (3, 450_00), "HAN01": (2, 300_00)}


def _files(driver: Driver) -> tuple[bytes, bytes]:
    """The roster and an order export for this month and last, as the shop would send them."""
    now, tz = driver.services.clock.now(), driver.services.settings.tz
    today = now.astimezone(tz).replace(hour=11, minute=0, second=0, microsecond=0)
    last_month = today.replace(day=1) - timedelta(days=20)
    rng = random.Random(4)
    roster = io.StringIO()
    writer = csv.writer(roster)
    writer.writerow(["分享员ID", "昵称", "买家ID", "邀请人ID"])
    writer.writerows((sid, name, buyer, inviter or "") for sid, name, buyer, inviter in ROSTER)
    orders = io.StringIO()
    writer = csv.writer(orders)
    writer.writerow(["订单号", "支付时间", "分享员ID", "买家ID", "商品ID", "实付金额", "退款金额"])
    for sid, (count, typical) in SALES.items():
        for n in range(count):
            for base, tag in ((today, "a"), (last_month, "b")):
                paid = base - timedelta(days=rng.randrange(0, max(base.day, 1)), hours=n % 5)
                amount = typical // 2 + rng.randrange(typical)
                refund = amount // 3 if n == 2 else 0
                buyer = f"BUY{rng.randrange(500)}" if n != 1 else f"B{sid[:3]}"
                writer.writerow([
                    f"{sid}-{tag}{n}", paid.strftime("%Y-%m-%d %H:%M:%S"), sid, buyer,
                    f"SKU-00{n % 3 + 1}", f"{amount / 100:.2f}", f"{refund / 100:.2f}",
                ])  # fmt: skip
    return roster.getvalue().encode("utf-8-sig"), orders.getvalue().encode("utf-8-sig")


async def load(driver: Driver, people: dict, groups: dict) -> None:
    ada = people["ada"].id
    roster, orders = _files(driver)
    await driver.upload(ada, ada, roster, "分享员名单.csv", "/import_sharers")
    await driver.upload(ada, ada, orders, "订单导出.csv", "/import")
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
