"""The managers' digest through the real stack: /digest now, the scheduled digest at the
test clock's DIGEST_AT (once), and the missed one sent once after a downtime."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest

from bot.config import Settings
from bot.offline.driver import Driver, running_bot
from bot.offline.local_api import LocalBotAPI
from bot.services import Services
from tests.e2e.conftest import ADA, BOB, MANAGERS_CHAT, SHARERS_CHAT, setup_chats
from tests.storage.test_commission_repo import add_orders, add_roster
from tests.storage.test_digest_reads import ORDERS, ROSTER, expected


def digests(api: LocalBotAPI, day: str = "") -> list[str]:
    return [m.text for m in api.sent_to(MANAGERS_CHAT) if "日报" in m.text and day in m.text]


async def test_digest_now_shows_the_figures_of_the_orders(bot: Driver, services: Services) -> None:
    await setup_chats(bot, "managers")
    await add_roster(services.db, ROSTER)
    await add_orders(services.db, ORDERS)
    *_, text = await bot.say(ADA, MANAGERS_CHAT, "/digest")
    day = expected("2026-11-21")
    assert "日报 · 2026年11月21日" in text.text
    t = services.i18n.get("zh_Hans")
    for name, value in (
        ("GMV", t.money(day.gmv_fen)),
        ("Valid sales", t.money(day.valid_fen)),
        ("Refund rate", t.percent(day.refund_rate)),
        ("Orders", day.orders),
        ("Customers", day.customers),
        ("Average order value", t.money(day.aov_fen)),
        ("Active sharers", day.active_sharers),
        ("New sharers", day.new_sharers),
    ):
        assert f"{t(name)}：{value} · " in text.text
    assert "陈*春" in text.text and "SKU-2" in text.text  # masked top sharer, top SKU
    # No samples, lives or FAQ yet: those sections are absent, not zero.
    assert "达人" not in text.text and "直播" not in text.text


async def test_a_day_without_orders_says_so(bot: Driver) -> None:
    await setup_chats(bot, "managers")
    *_, text = await bot.say(ADA, MANAGERS_CHAT, "/digest 2026-11-01")
    assert "当天没有订单。" in text.text


@pytest.mark.parametrize(
    "who,chat,args,answer",
    [
        (BOB, MANAGERS_CHAT, "", "/digest 仅限"),
        (ADA, SHARERS_CHAT, "", "只在"),
        (ADA, ADA, " 2026-13-01", "不是日期"),
        (ADA, ADA, " 2026-11-22", "已经结束"),
    ],
)
async def test_bad_digest_requests(
    bot: Driver, who: int, chat: int, args: str, answer: str
) -> None:
    await setup_chats(bot, "managers", "sharers")
    [text] = await bot.say(who, chat, "/digest" + args)
    assert answer in text.text


async def test_scheduled_digest_once_then_once_after_a_downtime(
    settings: Settings, services: Services, api: LocalBotAPI, caplog: pytest.LogCaptureFixture
) -> None:
    await add_roster(services.db, ROSTER)
    await add_orders(services.db, ORDERS)
    caplog.set_level(logging.WARNING)
    async with running_bot(settings, services, api) as bot:
        await bot.tick()
        assert "no managers' chat registered" in caplog.text
        await setup_chats(bot, "managers")
        # The first start came after DIGEST_AT (T0 is 10:00): that day's digest goes out.
        await bot.tick()
        assert len(digests(api, "11月21日")) == 1
        await bot.wait(timedelta(hours=22, minutes=59))  # 08:59 the next day
        assert len(digests(api, "11月22日")) == 0
        await bot.wait(timedelta(minutes=1))
        assert len(digests(api, "11月22日")) == 1
        await bot.wait(timedelta(hours=3))
        assert len(digests(api)) == 2
    services.clock.advance(timedelta(days=1))  # down over the next DIGEST_AT
    async with running_bot(settings, services, api) as bot:
        await bot.tick()
        assert len(digests(api, "11月23日")) == 1
    async with running_bot(settings, services, api) as bot:
        await bot.tick()
    assert len(digests(api)) == 3
    charts = [m for m in api.sent_to(MANAGERS_CHAT) if m.method == "sendPhoto"]
    reports = [m for m in api.sent_to(MANAGERS_CHAT) if m.text.startswith(("周报", "月报"))]
    assert len(charts) == 3 + len(reports)  # each digest's and report's chart, once


async def test_digest_carries_the_chart_and_the_text_goes_when_the_photo_is_refused(
    bot: Driver, services: Services, api: LocalBotAPI
) -> None:
    await setup_chats(bot, "managers")
    await add_roster(services.db, ROSTER)
    await add_orders(services.db, ORDERS)
    sent = await bot.say(ADA, MANAGERS_CHAT, "/digest")
    assert sent[0].method == "sendPhoto" and sent[0].photo.startswith(b"\x89PNG")
    assert "日报" in sent[1].text
    api.fail("sendPhoto", 400, "Bad Request: PHOTO_INVALID_DIMENSIONS")
    sent = await bot.say(ADA, MANAGERS_CHAT, "/digest")
    assert [m.method for m in sent] == ["sendMessage"] and "日报" in sent[0].text
