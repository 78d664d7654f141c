"""Settlement and the rules in plain words (SPEC §3): /settle, /rules, /levels.

/settle freezes a month for everyone in one transaction (storage.commission.settle), sends the
payout file as CSV (UTF-8 with BOM, so Excel reads the Chinese names) and XLSX, and tells each
bound sharer their total by DM through the outbox (one key per month and sharer).
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from openpyxl import Workbook
from telegram import Update
from telegram.ext import Application

from bot.context import BotContext
from bot.domain.money import format_rate
from bot.i18n import N_, Translator
from handlers.commission_commands import level_name, month_label, parse_month
from handlers.common import BadUsage, Refuse, command_args, esc, is_private, reply
from handlers.registry import command
from storage.commission import LINE_FIELDS, Commission, Line, Month, SettleError
from storage.sharers import Sharers

ERRORS = {
    "already_settled": N_("{month} is settled already; settled months never change."),
    "not_over": N_("{month} is not over yet: settle it once the month has ended."),
    "earlier_unsettled": N_("Settle {earlier} first: months are settled in order."),
    "out_of_order": N_("{month} comes before {earlier}, the last settled month."),
}
HEADER = ["sharer_id", "name", "valid_sales", *LINE_FIELDS]


def _yuan(fen: int) -> Decimal:
    return Decimal(fen).scaleb(-2)


def payout_rows(lines: list[Line], names: dict[str, str]) -> list[list[object]]:
    return [
        [ln.sharer_id, names.get(ln.sharer_id, ""), _yuan(ln.valid_fen)]
        + [_yuan(getattr(ln, f)) for f in LINE_FIELDS]
        for ln in lines
    ]


def payout_csv(rows: list[list[object]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    writer.writerows([[f"{v:.2f}" if isinstance(v, Decimal) else v for v in r] for r in rows])
    return out.getvalue().encode("utf-8-sig")


def payout_xlsx(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "payout"
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    for cells in sheet.iter_rows(min_row=2, min_col=3):
        for cell in cells:
            cell.number_format = "#,##0.00"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


async def settle(update: Update, ctx: BotContext) -> None:
    args = command_args(update)
    if len(args) != 1:
        raise BadUsage("Give the month to settle, like 2026-11.")
    month = parse_month(args[0])
    services, chat = ctx.services, update.effective_chat
    if not is_private(update):
        row = await services.chats.get(chat.id)
        if row is None or row.purpose != "managers":
            raise Refuse("Payouts are private: use /settle in the managers' chat or with me.")
    now, tz = services.clock.now(), services.settings.tz
    try:
        lines = await services.repo(Commission).settle(
            services.rules, month, tz, now, actor_id=update.effective_user.id
        )
    except SettleError as exc:
        earlier = exc.params.get("month") or exc.params.get("latest")
        raise Refuse(ERRORS[exc.code], month=args[0], earlier=_ym(earlier)) from None
    sharers = await services.repo(Sharers).many([ln.sharer_id for ln in lines])
    names = {sid: s.name for sid, s in sharers.items()}
    total = sum(ln.total for ln in lines)
    summary = ctx.t.n(
        "{month} is settled: {n} sharer, {total} in all.",
        "{month} is settled: {n} sharers, {total} in all.",
        len(lines),
    ).format(month=month_label(ctx.t, month), n=len(lines), total=ctx.t.money(total))
    await reply(update, ctx, summary)
    rows = payout_rows(lines, names)
    stem = f"payout-{month[0]}-{month[1]:02d}"
    for name, data in ((f"{stem}.csv", payout_csv(rows)), (f"{stem}.xlsx", payout_xlsx(rows))):
        await ctx.bot.send_document(chat.id, data, filename=name)
    await _tell_sharers(ctx, month, lines, sharers)


async def _tell_sharers(ctx: BotContext, month: Month, lines: list[Line], sharers: dict) -> None:
    services, now = ctx.services, ctx.services.clock.now()
    for ln in lines:
        sharer = sharers.get(ln.sharer_id)
        if sharer is None or sharer.user_id is None:
            continue
        t = await services.translator_for_chat(sharer.user_id)
        text = t("Your commission for {month} is settled: {total}. /commission {ym} shows it.")
        text = text.format(month=month_label(t, month), total=t.money(ln.total), ym=_ym(month))
        key = f"settle:{_ym(month)}:{ln.sharer_id}"
        await services.outbox.enqueue(key, sharer.user_id, text, due_at=now, now=now)


def _ym(month: Month | None) -> str:
    return "" if month is None else f"{month[0]}-{month[1]:02d}"


def rules_text(t: Translator, ctx: BotContext) -> str:
    r = ctx.services.rules
    title = t("Commission rules")
    lines = [f"<b>{title}</b>"]
    lines.append(
        t(
            "• Direct commission: {rate} of your valid sales (paid amount minus refunds; "
            "cancelled and refunded orders count 0)."
        ).format(rate=format_rate(r.base_rate))
    )
    for s in r.steps:
        lines.append(
            t("• From {amount} of valid sales in a month: {rate} on the whole month.").format(
                amount=t.money(s.from_fen), rate=format_rate(s.rate)
            )
        )
    if r.self_purchase is None:
        lines.append(t("• Your own purchases earn no commission."))
    else:
        lines.append(t("• Your own purchases: {rate}.").format(rate=format_rate(r.self_purchase)))
    lines.append(
        t("• Level 2: {rate} of the valid sales of the people you invited.").format(
            rate=format_rate(r.level2_rate)
        )
    )
    for b in r.boosts:
        lines.append(
            t("• Boost: {sku} at {rate} from {start} to {end}.").format(
                sku=esc(b.sku), rate=format_rate(b.rate), start=t.date(b.start), end=t.date(b.end)
            )
        )
    for s in r.team_steps:
        lines.append(
            t("• Team leaders: {rate} of the team's valid sales from {amount} a month.").format(
                rate=format_rate(s.rate), amount=t.money(s.from_fen)
            )
        )
    if r.recruit.reward:
        lines.append(
            t(
                "• Recruit reward: {reward} for each person you invite whose first month "
                "with orders reaches {minimum}."
            ).format(reward=t.money(r.recruit.reward), minimum=t.money(r.recruit.first_month_min))
        )
    lines.append(
        t.n(
            "• Commission is pending for {n} day after payment (refund window), then confirmed.",
            "• Commission is pending for {n} days after payment (refund window), then confirmed.",
            r.pending_days,
        ).format(n=r.pending_days)
    )
    return "\n".join(lines)  # fmt: skip


async def rules(update: Update, ctx: BotContext) -> None:
    await reply(update, ctx, rules_text(ctx.t, ctx))


async def levels(update: Update, ctx: BotContext) -> None:
    t, r = ctx.t, ctx.services.rules
    title = t("Levels, decided by last month's valid sales:")
    lines = [f"<b>{title}</b>"]
    for lv in r.levels:
        text = t("• {level}: from {amount}, bonus +{bonus} on the direct rate")
        name, amount = esc(level_name(t, r, lv.key)), t.money(lv.min_sales)
        lines.append(text.format(level=name, amount=amount, bonus=format_rate(lv.bonus)))
    await reply(update, ctx, "\n".join(lines))


def register(app: Application) -> None:
    command(app, "settle", settle, description=N_("freeze a month and send the payout file"),
            usage="/settle YYYY-MM", roles={"manager"})  # fmt: skip
    command(app, "rules", rules, description=N_("the commission rules"))
    command(app, "levels", levels, description=N_("the level ladder"))
