"""Generate a pipeline database for the benchmarks: 5,000 creators and 50,000 samples spread
over every stage, 20 BD reps, chases and ad reports, on the real schema (migrations applied).

    .venv/bin/python bench/gen_pipeline.py [PATH]     # default /tmp/crewbot-pipeline.sqlite3

Times are relative to NOW (the benchmark's clock); about 1% of the signed samples have a chase
due at NOW, the rest later, as in a steady state where the scan runs every minute.
"""

from __future__ import annotations

import asyncio
import random
import sqlite3
import sys
from datetime import UTC, datetime
from pathlib import Path

from bot.domain.creators import handle_key
from storage.db import Database

NOW = datetime(2026, 11, 22, 2, 0, tzinfo=UTC)
CREATORS, SAMPLES, BDS = 5_000, 50_000, 20
DAY = 86_400
STAGES = {  # share of samples per stage
    "shipped": 8, "signed": 10, "video_posted": 5, "rated_good": 3, "rated_poor": 1,
    "reshoot_requested": 3, "code_received": 1, "handed_to_ads": 10, "done": 45,
    "no_show": 6, "cancelled": 8,
}  # fmt: skip
PLATFORMS = ("douyin", "tiktok", "xiaohongshu", "channels", "other")
CATEGORIES = ("beauty", "skincare", "fashion", "home", "food", "美妆", "母婴")


async def create_schema(path: Path) -> None:
    db = await Database.open(path)
    await db.migrate()
    await db.close()


def fill(path: Path, seed: int = 7) -> None:
    rnd = random.Random(seed)
    now = int(NOW.timestamp())
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA synchronous=OFF")
    owners = [100 + i for i in range(BDS)]
    conn.executemany(
        "INSERT INTO users (id, first_name, username, started, created_at, updated_at)"
        " VALUES (?, ?, ?, 1, ?, ?)",
        [(o, f"BD{o - 100:02d}", f"bd{o - 100:02d}", now, now) for o in owners],
    )
    conn.execute(
        "INSERT INTO chats (chat_id, type, title, purpose, created_at, updated_at)"
        " VALUES (-1001, 'supergroup', 'BD team', 'bd', ?, ?)",
        (now, now),
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


def main(argv: list[str]) -> None:
    path = Path(argv[0] if argv else "/tmp/crewbot-pipeline.sqlite3")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    asyncio.run(create_schema(path))
    fill(path)
    print(f"{path}: {CREATORS} creators, {SAMPLES} samples, {BDS} BDs")


if __name__ == "__main__":
    main(sys.argv[1:])
