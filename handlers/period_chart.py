"""The chart of a period (bot.charts) for the digest and the reports: sales by day with the
7-day average and the top sharers, masked for the chat it goes to; shared, no commands."""

from __future__ import annotations

import asyncio
import logging
from datetime import date, timedelta

from telegram import Bot
from telegram.constants import ParseMode
from telegram.error import TelegramError

from bot.charts import render_period_chart
from bot.i18n import Translator
from bot.services import Services
from handlers.lookups import board_names
from storage.digest import DigestReads
from storage.outbox import Queued

log = logging.getLogger(__name__)


async def period_chart(
    services: Services, t: Translator, chat_id: int, first: date, day: date
) -> bytes | None:
    """The chart of `first`..`day` (sales by day with the 7-day average, top sharers masked
    for the chat); None when there were no sales or it cannot be drawn."""
    reads = services.repo(DigestReads)
    # Six days more in front, so that the first day's 7-day average is over a full week.
    sales = await reads.sales_days(first - timedelta(days=6), day)
    days = [(d, sales[d].valid_fen if d in sales else 0) for d in _days(first, day)]
    top = await reads.top_sharers_between(first, day)
    if not top and not any(fen for _, fen in days):
        return None  # nothing to draw: the text says there were no orders
    shown = await board_names(services, chat_id, [sid for sid, _ in top])
    title = t("Valid sales, {first} – {last}").format(first=t.date(first), last=t.date(day))
    try:
        return await asyncio.to_thread(
            render_period_chart,
            t,
            days,
            [(shown[sid], fen) for sid, fen in top],
            title,
            lead=6,  # the six days in front only feed the first days' 7-day average
        )
    except Exception:
        log.exception("chart for %s – %s not drawn; the text goes alone", first, day)
        return None


def _days(first: date, last: date) -> list[date]:
    return [first - timedelta(days=6) + timedelta(days=n) for n in range((last - first).days + 7)]


async def send_chart(bot: Bot, chat_id: int, png: bytes | None) -> None:
    """Send the chart as a photo; a refusal is logged and the text goes anyway."""
    if png is None:
        return
    try:
        await bot.send_photo(chat_id, png)
    except TelegramError as exc:
        log.warning("chart refused by the Bot API (%s); the text goes alone", exc)


async def answer_with_chart(bot: Bot, chat_id: int, png: bytes | None, texts: list[str]) -> None:
    """A digest or report answered now: its chart (if any) first, then its messages."""
    await send_chart(bot, chat_id, png)
    for text in texts:
        await bot.send_message(chat_id, text, parse_mode=ParseMode.HTML,
                               disable_web_page_preview=True)  # fmt: skip


def queued_with_chart(key: str, chat_id: int, texts: list[str], png: bytes | None) -> list[Queued]:
    """A scheduled digest or report as outbox rows: `key`, `key:2`… for its messages, then the
    chart in its own row (`key:chart`), so a refused chart never holds the text back."""
    items = [
        Queued(key + ("" if i == 0 else f":{i + 1}"), chat_id, text) for i, text in enumerate(texts)
    ]
    if png is not None:
        items.append(Queued(key + ":chart", chat_id, "", photo=png))
    return items
