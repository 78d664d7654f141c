"""The managers' daily digest (SPEC §5): `/digest` now, and each morning at DIGEST_AT to the
managers' chat through the outbox, keyed by the day it covers; the CLI prints the same text.

The figures are defined in bot/domain/digest.py and read by storage/digest.py (reads only).
"""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta
from decimal import Decimal

from telegram import Update
from telegram.ext import Application

from bot import jobs
from bot.context import BotContext
from bot.domain.digest import (
    DigestData,
    Figure,
    Pipeline,
    alerts,
    due_digest_day,
    figures,
    pack,
)
from bot.i18n import N_, Translator
from bot.services import Services
from handlers.common import BadUsage, command_args, esc
from handlers.lookups import board_names
from handlers.period_chart import answer_with_chart, period_chart, queued_with_chart
from handlers.registry import command
from storage.digest import DigestReads

log = logging.getLogger(__name__)

KEY = "digest:"  # + the ISO date of the day covered; further parts of a long one add :2, :3
MANAGER_CHATS = ("managers",)
CHART_DAYS = 14  # the chart shows two weeks up to the digest's day
NAMES = {
    "gmv": N_("GMV"),
    "valid_sales": N_("Valid sales"),
    "refund_rate": N_("Refund rate"),
    "orders": N_("Orders"),
    "customers": N_("Customers"),
    "aov": N_("Average order value"),
    "active_sharers": N_("Active sharers"),
    "new_sharers": N_("New sharers"),
}
ALERTS = {
    "refund_rate": N_("⚠️ Refund rate {rate} is over {limit}."),
    "sales_drop": N_("⚠️ Valid sales {value} are {drop} under the 7-day average {average}."),
    "activity_drop": N_("⚠️ Active sharers {value}: {drop} under the 7-day average {average}."),
    "overdue_pile": N_("⚠️ Overdue samples of {bd}: {n}."),
    "live_forwards": N_("⚠️ Live “{title}”: forwards {n}, under {min}."),
}


def _value(t: Translator, kind: str, value: int | Decimal | None) -> str:
    if value is None:
        return "—"
    if kind == "money":
        return t.money(int(Decimal(value).to_integral_value()))
    if kind == "rate":
        return t.percent(value)
    return t.number(
        Decimal(value).quantize(Decimal("0.1")) if isinstance(value, Decimal) else value
    )


def _change(t: Translator, change: Decimal | None, kind: str) -> str:
    if change is None:
        return ""
    sign = "+" if change > 0 else "−" if change < 0 else "±"
    if kind == "rate":
        return t("{sign}{n} pts").format(
            sign=sign, n=t.number(abs(change * 100).quantize(Decimal("0.1")))
        )
    return f"{sign}{t.percent(abs(change))}"


def figure_line(t: Translator, f: Figure) -> str:
    parts = [t("day before {value}").format(value=_value(t, f.kind, f.previous))]
    if change := _change(t, f.change(f.previous), f.kind):
        parts[-1] = t("{figure} ({change})").format(figure=parts[-1], change=change)
    parts.append(t("7-day average {value}").format(value=_value(t, f.kind, f.average)))
    if change := _change(t, f.change(f.average), f.kind):
        parts[-1] = t("{figure} ({change})").format(figure=parts[-1], change=change)
    return t("{name}: <b>{value}</b> · {comparison}").format(
        name=t(NAMES[f.metric]), value=_value(t, f.kind, f.value), comparison=" · ".join(parts)
    )


async def _bd_name(services: Services, user_id: int) -> str:
    user = await services.users.get(user_id)
    return esc(user.first_name if user else user_id)


async def render(services: Services, t: Translator, chat_id: int, data: DigestData) -> list[str]:
    """The digest's sections (HTML), in order; a section without data is left out."""
    head = "<b>" + t("Daily digest · {date}").format(date=t.date(data.day)) + "</b>"
    sales = [head]
    if data.today.orders:
        sales += [figure_line(t, f) for f in figures(data)]
    else:
        sales.append(t("No orders that day."))
        before = figures(data)[1]
        sales.append(figure_line(t, before))
    sections = ["\n".join(sales)]
    tops = []
    if data.top_sharers:
        shown = await board_names(services, chat_id, [sid for sid, _ in data.top_sharers])
        rows = [f"{i}. {esc(shown[sid])} — {t.money(fen)}" for i, (sid, fen) in
                enumerate(data.top_sharers, 1)]  # fmt: skip
        tops.append("<b>" + t("Top sharers") + "</b>\n" + "\n".join(rows))
    if data.top_skus:
        rows = [t("{i}. {sku} — {money} · orders {n}").format(i=i, sku=esc(sku), money=t.money(fen),
                n=n) for i, (sku, fen, n) in enumerate(data.top_skus, 1)]  # fmt: skip
        tops.append("<b>" + t("Top SKUs") + "</b>\n" + "\n".join(rows))
    if tops:
        sections.append("\n\n".join(tops))
    if data.pipeline is not None:
        sections.append(await _pipeline(services, t, data.pipeline))
    c = data.community
    lines = []
    if c.live_forwards is not None:
        lines.append(
            t("Live forwards {n} · lives {lives}").format(n=c.live_forwards, lives=c.lives)
        )
    if c.unanswered is not None:
        lines.append(t("Unanswered questions {n}").format(n=c.unanswered))
    if lines:
        sections.append("\n".join(["<b>" + t("Community") + "</b>", *lines]))
    found = alerts(data, await thresholds(services))
    if found:
        rows = [await _alert_line(services, t, a.code, dict(a.params)) for a in found]
        sections.append("\n".join(["<b>" + t("Alerts") + "</b>", *rows]))
    return sections


async def _pipeline(services: Services, t: Translator, p: Pipeline) -> str:
    lines = [
        "<b>" + t("Creator pipeline") + "</b>",
        t("Samples shipped {shipped} · signed {signed} · videos {videos}").format(
            shipped=p.shipped, signed=p.signed, videos=p.videos
        ),
        t("Codes to ads {to_ads} · no-shows {no_shows}").format(
            to_ads=p.to_ads, no_shows=p.no_shows
        ),
        t("Fulfilment rate (30 days): {rate}").format(rate=t.percent(p.fulfilment_rate)),
    ]
    if p.overdue:
        ranked = sorted(p.overdue.items(), key=lambda kv: (-kv[1], kv[0]))
        names = [f"{await _bd_name(services, bd)} {n}" for bd, n in ranked]
        lines.append(t("Overdue chases by BD: {list}").format(list=t.join(names)))
    else:
        lines.append(t("No overdue chases."))
    return "\n".join(lines)


async def _alert_line(services: Services, t: Translator, code: str, params: dict) -> str:
    if code == "refund_rate":
        params = {"rate": t.percent(params["rate"]), "limit": t.percent(params["limit"])}
    elif code == "overdue_pile":
        params["bd"] = await _bd_name(services, params["bd"])
    elif code == "live_forwards":
        params["title"] = esc(params["title"])
    else:
        money = code == "sales_drop"
        params = {
            "value": t.money(params["value"]) if money else t.number(params["value"]),
            "average": _value(t, "money" if money else "count", params["average"]),
            "drop": t.percent(params["drop"], 0),
        }
    return t(ALERTS[code]).format(**params)


async def thresholds(services: Services) -> dict[str, Decimal | int]:
    """KPI_FILE's [alerts] (bot/domain/kpi.py gives the defaults of a missing key)."""
    return dict(services.kpi.alerts)


async def build(services: Services, t: Translator, chat_id: int, day: date) -> list[str]:
    """The digest of `day` as Telegram messages, split between sections."""
    data = await services.repo(DigestReads).digest(day, services.settings.tz)
    sections = await render(services, t, chat_id, data)
    return pack(sections, more=lambda n: t(N_("…and {n} more.")).format(n=n))


def yesterday(services: Services, now: datetime) -> date:
    return now.astimezone(services.settings.tz).date() - timedelta(days=1)


async def digest_cmd(update: Update, ctx: BotContext) -> None:
    args = command_args(update)
    day = yesterday(ctx.services, ctx.services.clock.now())
    if args:
        try:
            day = date.fromisoformat(args[0])
        except ValueError:
            raise BadUsage(
                "{value} is not a date: write it like 2026-11-22.", value=args[0]
            ) from None
        if len(args) > 1 or day > yesterday(ctx.services, ctx.services.clock.now()):
            raise BadUsage("Give a day that has ended: yesterday or earlier.")
    chat_id = update.effective_chat.id
    first = day - timedelta(days=CHART_DAYS - 1)
    png = await period_chart(ctx.services, ctx.t, chat_id, first, day)
    await answer_with_chart(ctx.bot, chat_id, png, await build(ctx.services, ctx.t, chat_id, day))


async def post_digest(app: Application, now: datetime) -> None:
    """Queue the digest that is due (see bot.domain.digest.due_digest_day) once."""
    services: Services = app.bot_data["services"]
    reads = services.repo(DigestReads)
    settings = services.settings
    day = due_digest_day(now, settings.digest_at, settings.tz, sent_before=await reads.any_digest())
    if day is None or await services.outbox.state(KEY + day.isoformat()) is not None:
        return
    chat = await services.chats.by_purpose("managers")
    if chat is None:
        if app.bot_data.get("digest_waiting") != day:
            app.bot_data["digest_waiting"] = day
            log.warning("digest for %s waits: no managers' chat registered (/setup managers)", day)
        return
    t = await services.translator_for_chat(chat.chat_id)
    messages = await build(services, t, chat.chat_id, day)
    first = day - timedelta(days=CHART_DAYS - 1)
    png = await period_chart(services, t, chat.chat_id, first, day)
    items = queued_with_chart(KEY + day.isoformat(), chat.chat_id, messages, png)
    await services.outbox.enqueue_all(items, due_at=now, now=now)


def register(app: Application) -> None:
    command(app, "digest", digest_cmd, description=N_("the managers' daily digest, now"),
            usage="/digest [YYYY-MM-DD]", roles={"manager"}, chats=MANAGER_CHATS)  # fmt: skip
    jobs.add_tick(app, "digest", post_digest, every=timedelta(minutes=5))
