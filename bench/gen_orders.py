"""Write a realistic shop order export (CSV, Chinese headers) and the matching sharer roster.

    .venv/bin/python bench/gen_orders.py --orders 1000000 --out /tmp/orders-1m.csv \
        --roster /tmp/roster.csv

- 10k sharers (by default) with inviter trees (everyone but the first few was recruited by an
  earlier sharer) and teams (~1% of sharers lead one; a member's team is their inviter's);
- sharers' activity is skewed (a few sell a lot); ~10% of orders are not attributed;
- ~3% refunded, ~2% cancelled, ~3% partly refunded; ~2% self-purchases;
- amounts mostly plain `123.45`, ~5% written `¥1,234.50` or `￥1,234.50`;
- the export is newest first, as shop back-ends list it, with extra columns the bot ignores.

Rows are written in chunks straight to the file (a few seconds per million rows). Also run by
`bench/generate.py --csv`, which builds the database form of the same data set.
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import datetime, timedelta
from pathlib import Path

from generate import PROVINCES, SIZES, WORDS  # the data set's vocabulary (bench/ is on sys.path)

HEADER = (
    "订单号,支付时间,分享员ID,买家ID,商品ID,商品名称,数量,实付金额,退款金额,订单状态,"
    "达人昵称,收货省份,物流单号\n"
)
ROSTER_HEADER = "分享员ID,昵称,买家ID,邀请人ID,团长ID\n"


def sharer_id(i: int) -> str:
    return f"SH{100000 + i}"


def write_roster(path: Path, sharers: int, rng: random.Random) -> list[str]:
    """The roster CSV; returns each sharer's own buyer id (for self-purchases)."""
    inviter: list[int | None] = []
    leader: list[int | None] = []
    is_leader = [False] * sharers
    for i in range(sharers):
        inv = rng.randrange(i) if i >= 5 and rng.random() < 0.8 else None
        inviter.append(inv)
        if inv is None or rng.random() < 0.01:
            is_leader[i] = True
        lead = i if is_leader[i] else (leader[inv] if inv is not None else None)
        leader.append(lead)
    buyers = [f"BU{9000000 + i}" for i in range(sharers)]
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(ROSTER_HEADER)
        for i in range(sharers):
            inv = inviter[i]
            lead = leader[i]
            lead_text = "" if lead is None or lead == i else sharer_id(lead)
            out.write(
                f"{sharer_id(i)},分享员{i},{buyers[i]},"
                f"{sharer_id(inv) if inv is not None else ''},{lead_text}\n"
            )
    return buyers


EPOCH = datetime(1970, 1, 1)


def _day_texts(day: int) -> tuple[str, str]:
    d = EPOCH + timedelta(days=day)
    return d.strftime("%Y-%m-%d"), d.strftime("%Y/%m/%d")


def write_orders(
    path: Path, orders: int, sharers: int, buyers: list[str], rng: random.Random
) -> None:
    skus = [
        (f"SKU-{i:04d}", f"{rng.choice(WORDS)}{rng.choice(SIZES)}", rng.randint(19, 899))
        for i in range(200)
    ]
    creators = [f"@creator{i}" for i in range(500)]
    # Skewed activity: the weight of sharer i falls like 1/(i+1)^0.8.
    weights = [1 / (i + 1) ** 0.8 for i in range(sharers)]
    end = datetime(2026, 11, 30, 23, 59, 59)
    end_s = int((end - EPOCH).total_seconds())
    days: dict[int, tuple[str, str]] = {}
    span = 90 * 86400
    step = span / orders
    rand = rng.random
    randrange = rng.randrange
    pick_sharers = rng.choices(range(sharers), weights=weights, k=orders)
    chunk: list[str] = []
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(HEADER)
        for n in range(orders):
            # strftime per row would be a third of the run: format the date once per day.
            at = end_s - int(n * step)
            day, sec = divmod(at, 86400)
            dashed, slashed = days.get(day) or days.setdefault(day, _day_texts(day))
            hh, rest = divmod(sec, 3600)
            if n % 997:
                stamp = f"{dashed} {hh:02d}:{rest // 60:02d}:{rest % 60:02d}"
            else:  # what a spreadsheet writes when it re-saves the file
                stamp = f"{slashed} {hh:02d}:{rest // 60:02d}"
            r = rand()
            s = pick_sharers[n]
            sharer = "" if r < 0.10 else sharer_id(s)
            buyer = buyers[s] if 0.10 <= r < 0.12 else f"BU{randrange(300000)}"
            sku, product, price = skus[randrange(200)]
            qty = 1 if rand() < 0.8 else randrange(2, 4)
            fen = price * 100 * qty + randrange(100)
            amount = f"{fen // 100}.{fen % 100:02d}"
            if rand() < 0.05:
                sign = "¥" if rand() < 0.5 else "￥"
                amount = f'"{sign}{fen // 100:,}.{fen % 100:02d}"'
            r = rand()
            status, refund = "已完成", ""
            if r < 0.03:
                status, refund = "已退款", amount
            elif r < 0.05:
                status = "已取消"
            elif r < 0.08:
                part = randrange(1, fen)
                refund = f"{part // 100}.{part % 100:02d}"
            creator = creators[randrange(500)] if rand() < 0.3 else ""
            chunk.append(
                f"69{1_000_000_000 + (orders - n) * 7:d}{randrange(100000):05d},{stamp},{sharer},"
                f"{buyer},{sku},{product},{qty},{amount},{refund},{status},{creator},"
                f"{PROVINCES[n % 10]},SF{randrange(10**12):012d}\n"
            )
            if len(chunk) >= 50000:
                out.write("".join(chunk))
                chunk.clear()
        out.write("".join(chunk))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--sharers", type=int, default=10_000)
    parser.add_argument("--out", type=Path, default=Path("/tmp/orders.csv"))
    parser.add_argument("--roster", type=Path, default=Path("/tmp/roster.csv"))
    parser.add_argument("--seed", type=int, default=4)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    started = time.perf_counter()
    buyers = write_roster(args.roster, args.sharers, rng)
    write_orders(args.out, args.orders, args.sharers, buyers, rng)
    took = time.perf_counter() - started
    print(f"{args.orders:,} orders → {args.out}, {args.sharers:,} sharers → {args.roster}")
    print(f"{took:.1f} s ({args.orders / took:,.0f} rows/s)")


if __name__ == "__main__":
    main()
