"""One realistic data set for every benchmark, of any size, reproducible from a seed.

    .venv/bin/python bench/generate.py --orders 1000000 --seed 7 --db /tmp/crewbot-1m.sqlite3
    .venv/bin/python bench/generate.py --orders 5000000 --db /tmp/me-5m.sqlite3 \
        --from /tmp/crewbot-5m.sqlite3          # reuse orders already built by this code
    .venv/bin/python bench/generate.py --orders 1000000 --csv /tmp/orders.csv \
        --roster /tmp/roster.csv                # the shop's order export and sharer roster

The database (migrations applied through `Services.create` first, then filled with plain SQL,
which is much faster than the bot's own import) holds:

- 10k sharers (S00000…) in an inviter tree (ten invitees each) with teams and their leaders;
- N orders over the twelve months before NOW, a third of them going to a few heavy sharers,
  ~8% refunded or cancelled, Chinese product names, with the rollups the bot keeps;
- 5k creators in tiers and 50k samples in every pipeline stage, 20 BD reps, the BD chat;
- 2,000 FAQ entries (a quarter English), lives (weekly series and one-offs) with forwards;
- the people the whole-system benchmark plays: Telegram accounts bound to sharers, and BD
  reps holding the `bd` role.

The CSV export (`--csv`, written by bench/gen_orders.py) is another shape of the same idea: what
a shop back-end hands over, for the import benchmark (random inviter trees, ¥ amounts,
spreadsheet dates, extra columns).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sqlite3
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.domain.creators import handle_key  # noqa: E402

NOW = datetime(2026, 11, 22, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai
START = int(datetime(2025, 11, 30, 16, 0, tzinfo=UTC).timestamp())  # 2025-12-01 local
END = int(NOW.timestamp())
OFFSET = 8 * 3600  # Asia/Shanghai has no daylight saving time
DAY = 86_400
SHARERS = 10_000
CREATORS, SAMPLES, BDS = 5_000, 50_000, 20
BD_CHAT, FIRST_BD = -1001, 100
# The whole-system benchmark's people: Telegram accounts bound to sharers, and extra BD reps.
SHARER_USER, BD_USER = 5_000_000, 6_000_000

WORDS = ["面膜", "精华", "乳液", "洁面", "防晒", "口红", "眼霜", "爽肤水", "身体乳", "香水"]
SIZES = ["30ml", "50ml", "100ml", "5片装", "礼盒", "旅行装"]
PROVINCES = ["广东", "浙江", "江苏", "上海", "北京", "四川", "湖北", "山东", "福建", "河南"]
PRODUCTS = [f"{WORDS[i % 10]}{SIZES[i // 10 % 6]}" for i in range(200)]  # SKU-000 … SKU-199


# ---------------------------------------------------------------- sharers and orders (SQL)


def build(path: Path, n_orders: int, seed: int = 7) -> None:
    """Sharers, N orders and their rollups, straight into a migrated database."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=OFF")
    rng = random.Random(seed)
    sharers = [f"S{i:05d}" for i in range(SHARERS)]
    conn.executemany(
        "INSERT INTO sharers (sharer_id, name, buyer_id, inviter_id, leader_id, is_leader,"
        " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 0, 0)",
        [
            (sid, f"Sharer {i}", f"B{i}", sharers[i // 10] if i >= 10 else None,
             sharers[i // 10] if i >= 10 and (i // 10) % 10 == 1 else None, int(i % 10 == 1))
            for i, sid in enumerate(sharers)
        ],
    )  # fmt: skip
    day_roll: dict[tuple[str, int], list[int]] = {}
    month_roll: dict[tuple[str, int], list[int]] = {}
    sku_roll: dict[tuple[str, int, str], list[int]] = {}
    batch = []
    for k in range(n_orders):  # a third of the orders go to a few heavy sharers (Pareto)
        sid = sharers[min(int(rng.paretovariate(1.2)) - 1, SHARERS - 1) if k % 3 == 0
                      else rng.randrange(SHARERS)]  # fmt: skip
        ts = rng.randrange(START, END)
        local = datetime.fromtimestamp(ts + OFFSET, UTC)
        month, day = local.year * 100 + local.month, int(local.strftime("%Y%m%d"))
        amount = rng.randrange(990, 99_000)
        status = "paid" if rng.random() > 0.08 else rng.choice(("refunded", "cancelled"))
        valid = amount if status == "paid" else 0
        n_sku = rng.randrange(200)
        sku = f"SKU-{n_sku:03d}"
        batch.append((f"o{k}", ts, month, day, sid, f"u{rng.randrange(2_000_000)}", sku,
                      PRODUCTS[n_sku], amount, status, valid))  # fmt: skip
        for roll, key in ((day_roll, (sid, day)), (month_roll, (sid, month)),
                          (sku_roll, (sku, day, sid))):  # fmt: skip
            slot = roll.setdefault(key, [0, 0])  # type: ignore[arg-type]
            slot[0] += valid
            slot[1] += valid > 0
        if len(batch) == 100_000:
            _orders(conn, batch)
            batch = []
            print(f"  {k + 1:,} orders", file=sys.stderr, end="\r")
    _orders(conn, batch)
    conn.executemany(
        "INSERT INTO sharer_day VALUES (?, ?, ?, ?)", [(*k, *v) for k, v in day_roll.items()]
    )
    conn.executemany(
        "INSERT INTO sharer_month VALUES (?, ?, ?, ?)", [(*k, *v) for k, v in month_roll.items()]
    )
    conn.executemany(
        "INSERT INTO sku_day VALUES (?, ?, ?, ?, ?)", [(*k, *v) for k, v in sku_roll.items()]
    )
    conn.commit()
    conn.execute("ANALYZE")
    conn.close()


def _orders(conn: sqlite3.Connection, batch: list[tuple[object, ...]]) -> None:
    conn.executemany(
        "INSERT INTO orders (order_id, paid_at, month, day, sharer_id, buyer_id, sku, product,"
        " amount_fen, status, valid_fen, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)",
        batch,
    )
    conn.commit()


# ---------------------------------------------------------------- creators and samples

PIPELINE_NOW = NOW
STAGES = {  # share of samples per stage
    "shipped": 8, "signed": 10, "video_posted": 5, "rated_good": 3, "rated_poor": 1,
    "reshoot_requested": 3, "code_received": 1, "handed_to_ads": 10, "done": 45,
    "no_show": 6, "cancelled": 8,
}  # fmt: skip
PLATFORMS = ("douyin", "tiktok", "xiaohongshu", "channels", "other")
CATEGORIES = ("beauty", "skincare", "fashion", "home", "food", "美妆", "母婴")


def fill_pipeline(path: Path, seed: int = 7) -> None:
    """5,000 creators and 50,000 samples over every stage, 20 BD reps and the BD chat. About
    1% of the signed samples have a chase due at NOW, the rest later, as in a steady state
    where the scan runs every minute."""
    rnd = random.Random(seed)
    now = int(PIPELINE_NOW.timestamp())
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA synchronous=OFF")
    owners = [FIRST_BD + i for i in range(BDS)]
    conn.executemany(
        "INSERT INTO users (id, first_name, username, started, created_at, updated_at)"
        " VALUES (?, ?, ?, 1, ?, ?)",
        [(o, f"BD{o - FIRST_BD:02d}", f"bd{o - FIRST_BD:02d}", now, now) for o in owners],
    )
    conn.execute(
        "INSERT INTO chats (chat_id, type, title, purpose, created_at, updated_at)"
        " VALUES (?, 'supergroup', 'BD team', 'bd', ?, ?)",
        (BD_CHAT, now, now),
    )
    creators = []
    for i in range(CREATORS):
        handle = f"creator{i:05d}"
        creators.append((handle, handle_key(handle), PLATFORMS[i % 5], rnd.choice("SAABBB"),
                         rnd.choice(owners), rnd.randint(1_000, 3_000_000),
                         rnd.choice(CATEGORIES), now - 200 * DAY, now - rnd.randint(0, 30) * DAY,
                         now))  # fmt: skip
    conn.executemany(
        "INSERT INTO creators (handle, handle_key, platform, tier, owner_id, followers, category,"
        " categories, created_at, last_contact_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?7, ?, ?, ?)",
        creators,
    )
    stages = rnd.choices(list(STAGES), weights=list(STAGES.values()), k=SAMPLES)
    rows = []
    for n, stage in enumerate(stages, start=1):
        shipped = now - rnd.randint(1, 180) * DAY
        signed = shipped + 3 * DAY if stage not in ("shipped", "cancelled") else None
        video = signed + 5 * DAY if signed and stage not in ("signed", "no_show") else None
        due = sent = None
        if stage == "signed":
            sent = rnd.randint(0, 2)
            # ~1% due now (the scan's steady state), the rest within the next two days.
            due = (
                now - rnd.randint(0, 60) if rnd.random() < 0.01 else now + rnd.randint(60, 2 * DAY)
            )
        closed = (
            now - rnd.randint(0, 60) * DAY if stage in ("done", "no_show", "cancelled") else None
        )
        rows.append((rnd.randint(1, CREATORS), rnd.choice(owners), f"Product {n % 300}", stage,
                     shipped, signed, f"https://v.douyin.com/{n}" if video else None,
                     f"https://v.douyin.com/{n}" if video else None, video, due, sent or 0,
                     rnd.randint(0, 3), closed, shipped, now))  # fmt: skip
    conn.executemany(
        "INSERT INTO samples (creator_id, owner_id, product, stage, shipped_at, signed_at,"
        " video_url, video_key, video_at, chase_due_at, reminders_sent, chases, closed_at,"
        " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    conn.commit()
    conn.execute("ANALYZE")
    conn.close()


# ---------------------------------------------------------------- FAQ and lives

FAQ_TOPICS = ["佣金", "提现", "发货", "退款", "样品", "海报", "直播间", "排行榜", "团长", "邀请",
              "结算单", "发票", "优惠券", "素材", "运费", "赠品", "会员", "积分", "新品", "库存",
              "预售", "礼盒", "套装", "门店", "快递", "售后", "签收", "返现", "拼团",
              "秒杀"]  # fmt: skip
FAQ_ASKS = ["怎么申请", "什么时候", "在哪里看", "有没有", "多少钱", "怎么算", "能不能退",
            "要多久", "怎么查", "需要什么条件", "可以取消吗", "为什么没有"]  # fmt: skip
FAQ_EN_TOPICS = ["commission", "payout", "shipping", "refund", "sample", "poster", "live",
                 "ranking", "leader", "invite", "invoice", "coupon", "gift", "member",
                 "points", "preorder", "stock", "delivery"]  # fmt: skip
FAQ_EN_ASKS = ["how do I get the", "when is the", "where can I see the", "is there a",
               "how much is the", "why is my"]  # fmt: skip


def faq_corpus(n: int, rng: random.Random) -> list[tuple[str, str]]:
    """(question, answer): the quality set's 34 real entries, then generated ones combining
    the community's vocabulary, a quarter of them in English."""
    data = json.loads((ROOT / "tests/data/faq_quality.json").read_text("utf-8"))
    entries = [(q, a) for _, q, a in data["entries"]]
    while len(entries) < n:
        i = len(entries) + 1
        if rng.random() < 0.25:
            ask, topic = rng.choice(FAQ_EN_ASKS), rng.choice(FAQ_EN_TOPICS)
            q = f"{ask} {topic} {rng.choice(FAQ_EN_TOPICS)} {i}?"
        else:
            q = f"{rng.choice(FAQ_TOPICS)}{rng.choice(FAQ_TOPICS)}{rng.choice(FAQ_ASKS)}{i}？"
        entries.append((q, f"answer {i}"))
    return entries


def fill_community(path: Path, seed: int = 7, faq: int = 2_000) -> None:
    """FAQ entries, two weekly live series and a one-off per fortnight, forwards on past dates."""
    rng = random.Random(seed)
    now = int(NOW.timestamp())
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA synchronous=OFF")
    conn.executemany(
        "INSERT INTO faq (question, answer, created_at, updated_at) VALUES (?, ?, ?, ?)",
        [(q, a, now, now) for q, a in faq_corpus(faq, rng)],
    )
    lives = [("每周一三五晚八点直播", "0,2,4", "20:00"), ("周六上新直播", "5", "19:30")]
    dates: list[int] = []
    for n, (title, days, at) in enumerate(lives, start=1):
        conn.execute(
            "INSERT INTO lives (id, title, link, weekdays, at_time, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (n, title, f"https://live.douyin.com/{n}", days, at, now - 90 * DAY, now),
        )
        hh, mm = (int(x) for x in at.split(":"))
        for back in range(1, 91):  # the past ninety days' dates, all posts made
            day = datetime.fromtimestamp(now - back * DAY + OFFSET, UTC)
            if str(day.weekday()) in days.split(","):
                start = day.replace(hour=hh, minute=mm, second=0) - timedelta(seconds=OFFSET)
                dates.append(_live_date(conn, n, int(start.timestamp())))
    for k in range(6):  # one-off lives, every other week
        live_id, start = 3 + k, now - (k * 14 + 3) * DAY
        conn.execute(
            "INSERT INTO lives (id, title, link, once_at, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (live_id, f"新品发布会第{k + 1}场", f"https://live.douyin.com/x{k}", start,
             start - 7 * DAY, start),
        )  # fmt: skip
        dates.append(_live_date(conn, live_id, start))
    forwards = set()
    for date_id in dates:  # a few hundred sharers forward each live, the active ones more
        for _ in range(rng.randrange(100, 400)):
            n = rng.randrange(SHARERS)
            if rng.random() < 0.5:
                n = min(int(rng.paretovariate(1.0)) - 1, SHARERS - 1)
            forwards.add((date_id, f"S{n:05d}"))
    conn.executemany(
        "INSERT INTO live_forwards (date_id, sharer_id, user_id, at)"
        " SELECT ?, ?, 0, starts_at + 600 FROM live_dates WHERE id = ?",
        [(d, s, d) for d, s in sorted(forwards)],
    )
    conn.commit()
    conn.close()


def _live_date(conn: sqlite3.Connection, live_id: int, starts_at: int) -> int:
    cur = conn.execute(
        "INSERT INTO live_dates (live_id, starts_at, step, next_at) VALUES (?, ?, 3, NULL)",
        (live_id, starts_at),
    )
    return int(cur.lastrowid or 0)


# ---------------------------------------------------------------- people


def sharer_of(i: int, count: int) -> str:
    """The sharer bound to the i-th of `count` bench accounts: spread over the whole list, so
    heavy, typical and quiet sharers are all asked for."""
    return f"S{i * (SHARERS // count):05d}"


def add_people(path: Path, sharer_users: int = 500, bd_users: int = 500) -> None:
    """Telegram accounts bound to sharers (SHARER_USER + i) and BD reps with the `bd` role
    (BD_USER + i, plus the pipeline's 20 owners); all have started the bot."""
    now = int(NOW.timestamp())
    conn = sqlite3.connect(path)
    sharer_ids = [SHARER_USER + i for i in range(sharer_users)]
    bd_ids = [BD_USER + i for i in range(bd_users)]
    conn.executemany(
        "INSERT OR IGNORE INTO users (id, first_name, language_code, started, created_at,"
        " updated_at) VALUES (?, ?, 'zh-hans', 1, ?, ?)",
        [(u, f"用户{u % 100_000}", now, now) for u in sharer_ids + bd_ids],
    )
    conn.executemany(
        "UPDATE sharers SET user_id = ? WHERE sharer_id = ?",
        [(u, sharer_of(i, sharer_users)) for i, u in enumerate(sharer_ids)],
    )
    conn.executemany(
        "INSERT OR IGNORE INTO roles (user_id, role, granted_at) VALUES (?, 'bd', ?)",
        [(u, now) for u in bd_ids + [FIRST_BD + i for i in range(BDS)]],
    )
    conn.commit()
    conn.close()


# ---------------------------------------------------------------- the database, whole


async def create_schema(path: Path) -> None:
    from storage.db import Database

    db = await Database.open(path)
    await db.migrate()
    await db.close()


def _count(path: Path, table: str) -> int:
    with sqlite3.connect(path) as conn:
        return int(conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])


def generate(path: Path, n_orders: int, seed: int = 7, source: Path | None = None) -> None:
    """The whole data set in `path`; with `source` (a database holding n_orders built by
    `build` with the same seed), its orders are copied instead of built again. Parts already
    present are kept, so this is also how a copy gets the parts it lacks."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    if source is not None:
        with sqlite3.connect(source) as src, sqlite3.connect(path) as dst:
            src.backup(dst)  # consistent even if the source is in WAL mode
    asyncio.run(create_schema(path))
    steps = [
        ("orders", lambda: build(path, n_orders, seed)),
        ("creators", lambda: fill_pipeline(path, seed)),
        ("faq", lambda: fill_community(path, seed)),
    ]
    for table, step in steps:
        if _count(path, table):
            print(f"{table}: kept ({_count(path, table):,} rows)", file=sys.stderr)
            continue
        started = time.perf_counter()
        step()
        took = time.perf_counter() - started
        print(f"{table}: {_count(path, table):,} rows in {took:.0f} s", file=sys.stderr)
    add_people(path)
    asyncio.run(create_schema(path))  # checks the result opens as the bot opens it


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--db", type=Path, help="write the database here")
    parser.add_argument("--from", dest="source", type=Path, help="copy its orders (see above)")
    parser.add_argument("--csv", type=Path, help="write the shop's order export here")
    parser.add_argument("--roster", type=Path, help="with --csv: the sharer roster")
    parser.add_argument("--sharers", type=int, default=SHARERS, help="with --csv")
    args = parser.parse_args()
    if not args.db and not args.csv:
        parser.error("give --db and/or --csv")
    started = time.perf_counter()
    if args.csv:
        from gen_orders import write_orders, write_roster  # the export's own home

        roster = args.roster or args.csv.with_name("roster.csv")
        rng = random.Random(args.seed)
        write_orders(args.csv, args.orders, args.sharers, write_roster(roster, args.sharers, rng),
                     rng)  # fmt: skip
        print(f"{args.orders:,} orders → {args.csv}, {args.sharers:,} sharers → {roster}")
    if args.db:
        generate(args.db, args.orders, args.seed, args.source)
        print(f"{args.db}: {args.orders:,} orders, {SHARERS:,} sharers, {CREATORS:,} creators,"
              f" {SAMPLES:,} samples")  # fmt: skip
    print(f"{time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
