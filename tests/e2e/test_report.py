"""/report week|month through the real stack: the period's figures with KPI bands, and the
scheduled weekly and monthly reports (once, and once after a downtime)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.config import Settings
from bot.offline.driver import Driver, running_bot
from bot.offline.local_api import LocalBotAPI
from bot.services import Services
from tests.e2e.conftest import ADA, BOB, MANAGERS_CHAT, setup_chats
from tests.storage.test_commission_repo import add_orders, add_roster
from tests.storage.test_digest_reads import ORDERS, ROSTER, valid_of


async def test_report_month_shows_kpi_lines_and_bands(bot: Driver, services: Services) -> None:
    await setup_chats(bot, "managers")
    await add_roster(services.db, ROSTER)
    await add_orders(services.db, ORDERS)
    # The clock is on 2026-11-22: November so far is the 1st to the 21st.
    [chart, text] = await bot.say(ADA, MANAGERS_CHAT, "/report month")
    assert chart.method == "sendPhoto"  # the period's chart comes first, as with /digest
    t = services.i18n.get("zh_Hans")
    covered = [o for o in ORDERS if o[2] < "2026-11-22"]
    gmv, valid = sum(o[4] for o in covered), sum(valid_of(o) for o in covered)
    assert "月报 · 2026年11月" in text.text and "按21天折算" in text.text
    # Under the fail line, that line is the next one to reach. Valid sales' fail line is
    # 50,000 yuan a month; 21 of November's 30 days: 35,000 yuan.
    line = 3_500_000
    assert f"有效销售额：{t.money(valid)} · 不及格 · 距不及格线（{t.money(line)}）" in text.text
    assert f"还差{t.money(line - valid)}" in text.text
    assert f"成交额：{t.money(gmv)} · 不及格 · 距不及格线" in text.text
    assert f"退款率：{t.percent((gmv - valid) / gmv)} · 不及格" in text.text
    assert "陈*春" in text.text and "SKU-2" in text.text


async def test_report_week_covers_the_week_so_far(bot: Driver, services: Services) -> None:
    await setup_chats(bot, "managers")
    await add_roster(services.db, ROSTER)
    await add_orders(services.db, ORDERS)
    [_chart, text] = await bot.say(ADA, MANAGERS_CHAT, "/report week 2026-W47")
    assert "周报 · 2026-W47" in text.text and "按6天折算" in text.text
    [text] = await bot.say(ADA, MANAGERS_CHAT, "/report week 2026-W40")
    assert "本期没有订单。" in text.text and "折算" not in text.text


@pytest.mark.parametrize(
    "who,args,answer",
    [
        (BOB, " month", "/report 仅限"),
        (ADA, "", "/report week"),
        (ADA, " year", "/report week"),
        (ADA, " month 2026-12", "2026-12 还没有开始"),
        (ADA, " week 2026-W60", "不是有效周期"),
        (ADA, " month 2026-13", "不是有效周期"),
        (ADA, " month november", "不是有效周期"),
    ],
)
async def test_bad_report_requests(bot: Driver, who: int, args: str, answer: str) -> None:
    await setup_chats(bot, "managers")
    [text] = await bot.say(who, MANAGERS_CHAT, "/report" + args)
    assert answer in text.text


def reports(api: LocalBotAPI, title: str) -> list[str]:
    return [m.text for m in api.sent_to(MANAGERS_CHAT) if m.text and title in m.text]


async def test_scheduled_reports_once_and_a_missed_one_once_on_start(
    settings: Settings, services: Services, api: LocalBotAPI
) -> None:
    await add_roster(services.db, ROSTER)
    await add_orders(services.db, ORDERS)
    async with running_bot(settings, services, api) as bot:
        await setup_chats(bot, "managers")
        await bot.tick()  # Sunday 2026-11-22: a first start posts no report before a Monday
        assert reports(api, "周报") == []
        await bot.wait(timedelta(hours=22, minutes=59))  # Monday 08:59
        assert reports(api, "周报") == []
        await bot.wait(timedelta(minutes=1))
        assert len(reports(api, "周报 · 2026-W47")) == 1
        await bot.wait(timedelta(hours=2))
        assert len(reports(api, "周报")) == 1
    # Down from Monday until Tuesday 1 December, after DIGEST_AT: last week's report is
    # sent on start, and November's, the 1st being its posting day.
    services.clock.advance(timedelta(days=8))
    async with running_bot(settings, services, api) as bot:
        await bot.tick()
        assert len(reports(api, "周报 · 2026-W48")) == 1
        [month] = reports(api, "月报 · 2026年11月")
        assert "折算" not in month and "2026年11月1日至2026年11月30日" in month
    async with running_bot(settings, services, api) as bot:
        await bot.tick()
    assert len(reports(api, "周报")) == 2 and len(reports(api, "月报")) == 1
