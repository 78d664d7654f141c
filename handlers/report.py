"""Weekly and monthly reports (SPEC §5): `/report week|month [YYYY-Www|YYYY-MM]` for managers,
and each Monday (last week) and each 1st (last month) at DIGEST_AT to the managers' chat
through the outbox, keyed by the period; a missed one is sent once on start.

Periods are defined in bot/domain/report.py, the figures read by storage/digest.py, the KPI
lines judged by bot/domain/kpi.py.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from telegram import Update
from telegram.ext import Application

from bot import jobs
from bot.context import BotContext
from bot.domain.digest import pack
from bot.domain.kpi import BAND_LABELS, LINE_LABELS, KpiRow
from bot.domain.report import KINDS, Period, PeriodError, due_period, parse_period
from bot.i18n import N_, Translator
from bot.services import Services
from handlers.common import BadUsage, command_args, esc
from handlers.digest import MANAGER_CHATS, _bd_name, _value
from handlers.lookups import board_names, month_label
from handlers.period_chart import answer_with_chart, period_chart, queued_with_chart
from handlers.registry import command
from storage.digest import DigestReads

log = logging.getLogger(__name__)

USAGE = "/report week|month [YYYY-Www|YYYY-MM]"
TITLES = {"week": N_("Weekly report · {period}"), "month": N_("Monthly report · {period}")}


@dataclass
class ReportData:
    period: Period
    first: date
    last: date
    values: dict[str, int | object | None]  # KPI metric → value (absent: no data yet)
    top_sharers: list[tuple[str, int]] = field(default_factory=list)
    top_skus: list[tuple[str, int, int]] = field(default_factory=list)
    bds: dict[int, tuple[int, int, int]] | None = None  # BD → (shipped, signed, videos)

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1


async def gather(services: Services, period: Period, first: date, last: date) -> ReportData:
    reads = services.repo(DigestReads)
    tz = services.settings.tz
    sales = await reads.period_sales(first, last)
    values: dict[str, int | object | None] = {
        "gmv": sales.gmv_fen,
        "valid_sales": sales.valid_fen,
        "orders": sales.orders,
        "customers": sales.customers,
        "aov": sales.aov_fen,
        "refund_rate": sales.refund_rate,
        "active_sharers": sales.active_sharers,
        "new_sharers": sales.new_sharers,
    }
    bds = await reads.samples_by_bd(first, last, tz)
    if bds is not None:
        values["samples_shipped"] = sum(s for s, _, _ in bds.values())
        values["videos"] = sum(v for _, _, v in bds.values())
        values["fulfilment_rate"] = await reads.fulfilment_between(first, last, tz)
    forwards = await reads.live_forwards_between(first, last, tz)
    if forwards is not None:
        values["live_forwards"] = forwards
    return ReportData(
        period, first, last, values,
        top_sharers=await reads.top_sharers_between(first, last),
        top_skus=await reads.top_skus_between(first, last),
        bds=bds,
    )  # fmt: skip


def kpi_rows(services: Services, data: ReportData) -> list[KpiRow]:
    return services.kpi.rows(
        data.values, days_in_period=data.days, days_in_month=data.period.month_days()
    )


def kpi_line(t: Translator, row: KpiRow) -> str:
    value = _value(t, row.kind, row.value)
    if row.band is None:
        return t("{name}: <b>{value}</b>").format(name=t(row.label), value=value)
    band = t(BAND_LABELS[row.band.name])
    if row.band.next_line is None:
        return t("{name}: <b>{value}</b> · {band}").format(
            name=t(row.label), value=value, band=band
        )
    return t("{name}: <b>{value}</b> · {band} · {distance} to the {line} ({target})").format(
        name=t(row.label),
        value=value,
        band=band,
        distance=_value(t, row.kind, row.band.distance),
        line=t(LINE_LABELS[row.band.next_line]),
        target=_value(t, row.kind, row.band.line),
    )


async def render(services: Services, t: Translator, chat_id: int, data: ReportData) -> list[str]:
    period = data.period
    named = (
        month_label(t, (period.first.year, period.first.month))
        if period.kind == "month"
        else period.label
    )
    head = t(TITLES[period.kind]).format(period=named)
    span = t("{first} – {last}").format(first=t.date(data.first), last=t.date(data.last))
    lines = [f"<b>{head}</b>", span]
    if data.period.last > data.last:
        lines.append(
            t("Partial period: the targets are pro-rated to {n} days.").format(n=data.days)
        )
    if not data.values["orders"]:
        lines.append(t("No orders in this period."))
    lines += [kpi_line(t, row) for row in kpi_rows(services, data)]
    sections = ["\n".join(lines)]
    if data.top_sharers:
        shown = await board_names(services, chat_id, [sid for sid, _ in data.top_sharers])
        rows = [f"{i}. {esc(shown[sid])} — {t.money(fen)}" for i, (sid, fen) in
                enumerate(data.top_sharers, 1)]  # fmt: skip
        sections.append("<b>" + t("Top sharers") + "</b>\n" + "\n".join(rows))
    if data.top_skus:
        rows = [t("{i}. {sku} — {money} · orders {n}").format(i=i, sku=esc(sku), money=t.money(fen),
                n=n) for i, (sku, fen, n) in enumerate(data.top_skus, 1)]  # fmt: skip
        sections.append("<b>" + t("Top SKUs") + "</b>\n" + "\n".join(rows))
    if data.bds:
        rows = [
            t("{bd}: shipped {shipped} · signed {signed} · videos {videos}").format(
                bd=await _bd_name(services, bd), shipped=s, signed=g, videos=v
            )
            for bd, (s, g, v) in data.bds.items()
        ]
        sections.append("<b>" + t("Samples by BD") + "</b>\n" + "\n".join(rows))
    return sections


async def build(services: Services, t: Translator, chat_id: int, data: ReportData) -> list[str]:
    sections = await render(services, t, chat_id, data)
    return pack(sections, more=lambda n: t(N_("…and {n} more.")).format(n=n))


def _today(services: Services) -> date:
    return services.clock.now().astimezone(services.settings.tz).date()


async def report_cmd(update: Update, ctx: BotContext) -> None:
    args = command_args(update)
    if not args or args[0].lower() not in KINDS or len(args) > 2:
        raise BadUsage(
            "Say which report: /report week or /report month, with a period if you like."
        )
    try:
        period, first, last = parse_period(args[0].lower(), args[1] if len(args) > 1 else None,
                                           _today(ctx.services))  # fmt: skip
    except PeriodError as exc:
        if exc.code == "future":
            raise BadUsage("{value} has not started yet.", value=exc.params["value"]) from None
        raise BadUsage(
            "{value} is not a period: write a week like 2026-W48, a month like 2026-11.",
            value=exc.params["value"],
        ) from None
    chat_id = update.effective_chat.id
    data = await gather(ctx.services, period, first, last)
    png = await period_chart(ctx.services, ctx.t, chat_id, first, last)
    await answer_with_chart(ctx.bot, chat_id, png, await build(ctx.services, ctx.t, chat_id, data))


async def post_reports(app: Application, now: datetime) -> None:
    """Queue the weekly and monthly reports that are due, each once (keyed by its period)."""
    services: Services = app.bot_data["services"]
    reads = services.repo(DigestReads)
    settings = services.settings
    for kind in KINDS:
        sent = await reads.any_report(kind)
        period = due_period(kind, now, settings.digest_at, settings.tz, sent_before=sent)
        if period is None or await services.outbox.state(period.key) is not None:
            continue
        chat = await services.chats.by_purpose("managers")
        if chat is None:
            if app.bot_data.get("report_waiting") != period.key:
                app.bot_data["report_waiting"] = period.key
                log.warning("report %s waits: no managers' chat registered", period.key)
            continue
        t = await services.translator_for_chat(chat.chat_id)
        data = await gather(services, period, period.first, period.last)
        messages = await build(services, t, chat.chat_id, data)
        png = await period_chart(services, t, chat.chat_id, period.first, period.last)
        items = queued_with_chart(period.key, chat.chat_id, messages, png)
        await services.outbox.enqueue_all(items, due_at=now, now=now)


async def workbook(services: Services, t: Translator, data: ReportData) -> bytes:
    """The period's figures as an XLSX workbook, a sheet per section (KPIs, sharers, SKUs,
    BDs); money in yuan, rates as fractions shown as percentages. All sharers and SKUs with
    sales are listed, not just the top ones."""
    from openpyxl import Workbook

    reads = services.repo(DigestReads)
    book = Workbook()
    kpis = book.active
    kpis.title = t("KPIs")
    kpis.append([t("Metric"), t("Value"), t("Band"), t("Next line"), t("Line"), t("To go")])
    for row in kpi_rows(services, data):
        band = row.band
        kpis.append([t(row.label), _cell(row.kind, row.value),
                     t(row.band_label) if row.band_label else None,
                     t(row.next_line_label) if row.next_line_label else None,
                     _cell(row.kind, band.line if band else None),
                     _cell(row.kind, band.distance if band else None)])  # fmt: skip
        for cell in kpis[kpis.max_row][1:]:
            cell.number_format = (
                "0.0%" if row.kind == "rate" else "#,##0.00" if row.kind == "money" else "General"
            )
    sharers = await reads.top_sharers_between(data.first, data.last, limit=None)
    shown = await board_names(services, 0, [sid for sid, _ in sharers])
    sheet = book.create_sheet(t("Sharers"))
    sheet.append([t("Sharer ID"), t("Sharer"), t("Valid sales")])
    for sid, fen in sharers:
        sheet.append([sid, shown[sid], fen / 100])
    sheet = book.create_sheet(t("SKUs"))
    sheet.append([t("SKU"), t("Valid sales"), t("Orders")])
    for sku, fen, n in await reads.top_skus_between(data.first, data.last, limit=None):
        sheet.append([sku, fen / 100, n])
    sheet = book.create_sheet(t("BDs"))
    sheet.append([t("BD"), t("Samples shipped"), t("Signed"), t("Videos")])
    for bd, (shipped, signed, videos) in (data.bds or {}).items():
        user = await services.users.get(bd)
        sheet.append([user.first_name if user else str(bd), shipped, signed, videos])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _cell(kind: str, value: object) -> object:
    if value is None:
        return None
    return float(value) / 100 if kind == "money" else float(value)


def register(app: Application) -> None:
    command(app, "report", report_cmd, description=N_("the managers' weekly or monthly report"),
            usage=USAGE, roles={"manager"}, chats=MANAGER_CHATS)  # fmt: skip
    jobs.add_tick(app, "report", post_reports, every=timedelta(minutes=5))
