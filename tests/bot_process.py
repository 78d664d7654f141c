"""What the tests that run `python -m bot run` in processes of its own share: the runner,
and chase reminders due now in the BD chat."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.services import Services
from storage.db import to_ts
from tests.e2e.conftest import BD_CHAT, BOB

# `python -m bot run` as in production, but without the pacing of Telegram's flood limits:
# the stand-ins have none, and thousands of messages at 30 a second would take minutes.
RUNNER = """
import sys
import bot.app
import bot.jobs

build = bot.app.build_application

def unlimited(*args, **kwargs):
    # The limiter the console and the in-process tests use: none of Telegram's limits.
    return build(*args, **{**kwargs, "rate_limited": False})

bot.app.build_application = unlimited
bot.jobs.SEND_LIMIT = 1_000_000
from bot.__main__ import main
sys.exit(main(["run"]))
"""


async def due_chases(services: Services, count: int, now: datetime) -> None:
    """`count` samples of BOB's signed for three days, each with a chase reminder due an hour
    ago in the registered BD chat."""
    signed = now - timedelta(days=3)
    await services.users.seen(BOB, "Bob", "bob", "zh-hans", private=True, now=now)
    async with services.db.transaction() as conn:
        await conn.execute(
            "INSERT INTO chats (chat_id, type, title, purpose, created_at, updated_at)"
            " VALUES (?, 'supergroup', 'BD', 'bd', 0, 0)",
            (BD_CHAT,),
        )
    for n in range(count):
        creator = await services.creators.add(
            f"kol{n}", platform="douyin", tier="A", owner_id=BOB, followers=None,
            category="home", now=signed,
        )  # fmt: skip
        await services.samples.create(
            creator_id=creator.id, owner_id=BOB, product=f"Mask{n}",
            shipping_order_id=None, urgent=False, now=signed,
        )  # fmt: skip
    async with services.db.transaction() as conn:
        await conn.execute(
            "UPDATE samples SET stage = 'signed', signed_at = ?, chase_due_at = ?",
            (to_ts(signed), to_ts(now - timedelta(hours=1))),
        )
