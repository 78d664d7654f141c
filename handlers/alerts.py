"""Alerts between digests (SPEC §5, issue 11 part 3): a tick checks today's refund rate and
sales and the ads codes about to lapse, and queues what crossed its KPI_FILE threshold to the
managers' chat through the outbox, once per cause and day (bot/domain/alerts.py decides).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from telegram.ext import Application

from bot import jobs
from bot.domain.alerts import Alert, due_alerts
from bot.domain.digest import AVERAGE_DAYS, SalesDay
from bot.i18n import N_, Translator
from bot.services import Services
from handlers.common import esc
from handlers.lookups import person_mention
from storage.alerts import AlertReads
from storage.digest import DigestReads
from storage.outbox import Queued

log = logging.getLogger(__name__)

EVERY = timedelta(minutes=10)
TEXTS = {
    "refund_rate": N_("⚠️ Refund rate today {rate} over {orders} orders, above {limit}."),
    "sales_drop": N_(
        "⚠️ Valid sales today {value} by {time}: {drop} under the 7-day average"
        " for this time of day ({expected})."
    ),
    "code_expiry": N_(
        "⚠️ The ads code of {sample} ({bd}) expires on {date} ({days}) with no ads result yet."
    ),
}
# Whole days left, rounded down: "2 days left" is from 2 up to 3.
DAYS_LEFT = {0: N_("less than a day left"), 1: N_("1 day left")}
MORE_DAYS_LEFT = N_("{n} days left")


async def text(services: Services, t: Translator, alert: Alert) -> str:
    p = alert.params
    if alert.cause == "refund_rate":
        values = {"rate": t.percent(p["rate"]), "limit": t.percent(p["limit"]),
                  "orders": t.number(p["orders"])}  # fmt: skip
    elif alert.cause == "sales_drop":
        values = {"value": t.money(p["value"]), "expected": t.money(int(p["expected"])),
                  "drop": t.percent(p["drop"], 0), "time": t.time(p["at"])}  # fmt: skip
    else:
        code, left = p["code"], p["left"]
        days = left // timedelta(days=1)
        values = {
            "sample": f"#{code.sample_id} {esc(code.handle)} — {esc(code.product)}",
            "bd": await person_mention(services, code.owner_id),
            "date": t.datetime(code.expires_at.astimezone(services.settings.tz)),
            "days": t(DAYS_LEFT.get(days, MORE_DAYS_LEFT)).format(n=days),
        }
    return t(TEXTS[alert.cause]).format(**values)


async def find(services: Services, now: datetime) -> list[Alert]:
    local = now.astimezone(services.settings.tz)
    today = local.date()
    sales = await services.repo(DigestReads).sales_days(today - timedelta(days=AVERAGE_DAYS), today)
    week = [sales.get(today - timedelta(days=n), SalesDay()) for n in range(1, AVERAGE_DAYS + 1)]
    thresholds = services.kpi.alerts
    codes = []
    if (days := thresholds.get("code_expiry_days")) is not None:
        until = now + timedelta(days=int(days))
        codes = await services.repo(AlertReads).codes_without_ads_result(now, until)
    return due_alerts(now, local, sales.get(today, SalesDay()), week, codes, thresholds)


async def alert_tick(app: Application, now: datetime) -> None:
    """Queue today's alerts once each; without a managers' chat they are not kept for later
    (a warning about yesterday's refunds is no use tomorrow)."""
    services: Services = app.bot_data["services"]
    chat = await services.chats.by_purpose("managers")
    if chat is None:
        return
    found = await find(services, now)
    if not found:
        return
    day = now.astimezone(services.settings.tz).date()
    # Each key is one index probe: nothing is rendered or written for an alert already sent.
    fresh = [a for a in found if await services.outbox.state(a.key(day)) is None]
    if not fresh:
        return
    t = await services.translator_for_chat(chat.chat_id)
    items = [Queued(a.key(day), chat.chat_id, await text(services, t, a)) for a in fresh]
    await services.outbox.enqueue_all(items, due_at=now, now=now)


def register(app: Application) -> None:
    jobs.add_tick(app, "alerts", alert_tick, every=EVERY)
