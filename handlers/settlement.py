"""Settlement and the rules in plain words (SPEC §3): /settle, /settle_resend, /rules, /levels.

/settle freezes a month for everyone and, in the same transaction, queues in the outbox every
message that announces it: each bound sharer's DM (one key per month and sharer; a team
leader's also gives the team reward and the team sales it was reckoned on) and the payout
file as CSV (UTF-8 with BOM, so Excel reads the Chinese names) and XLSX for the chat that asked.
So a crash after the answer, or a refused upload, loses nothing: the outbox sends what is
queued, and /settle_resend queues again (under new keys) what was not delivered.
"""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from decimal import Decimal

from telegram import Update
from telegram.ext import Application

from bot.context import BotContext
from bot.domain.money import format_rate
from bot.domain.months import Month
from bot.domain.settlement import SettleError, to_resend
from bot.i18n import N_, Translator
from bot.services import Services
from handlers.common import BadUsage, Refuse, command_args, esc, is_private, reply
from handlers.lookups import level_name, month_arg, month_label
from handlers.registry import command
from storage.commission import LINE_FIELDS, Line
from storage.outbox import AT_LEAST_ONCE, Queued

ERRORS = {
    "already_settled": N_("{month} is settled already; settled months never change."),
    "not_over": N_("{month} is not over yet: settle it once the month has ended."),
    "earlier_unsettled": N_("Settle {earlier} first: months are settled in order."),
    "out_of_order": N_("{month} comes before {earlier}, the last settled month."),
    "changed": N_("Another month was settled meanwhile: send /settle {month} again."),
    "not_settled": N_("{month} is not settled yet: there is nothing to send again."),
}
HEADER = ["sharer_id", "name", "valid_sales", *LINE_FIELDS]
RESEND_USAGE = "/settle_resend YYYY-MM [all]"


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
    from openpyxl import Workbook  # deferred: it brings numpy, ~20 MB the bot need not hold

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


def _ym(month: Month | None) -> str:
    return "" if month is None else f"{month[0]}-{month[1]:02d}"


async def settle_messages(
    services: Services, month: Month, lines: list[Line], files_chat: int
) -> list[Queued]:
    """Everything that announces a settled month, by first key: the payout files for the chat
    that settled it, and each bound sharer's DM."""
    sharers = await services.sharers.many([ln.sharer_id for ln in lines])
    rows = payout_rows(lines, {sid: s.name for sid, s in sharers.items()})
    stem, key = f"payout-{_ym(month)}", _ym(month)
    t = await services.translator_for_chat(files_chat)
    caption = t("Payout file for {month}").format(month=month_label(t, month))
    out = [
        Queued(f"payout:{key}:csv", files_chat, caption, (f"{stem}.csv", payout_csv(rows))),
        Queued(f"payout:{key}:xlsx", files_chat, caption, (f"{stem}.xlsx", payout_xlsx(rows))),
    ]
    for ln in lines:
        sharer = sharers.get(ln.sharer_id)
        if sharer is None or sharer.user_id is None:
            continue
        t = await services.translator_for_chat(sharer.user_id)
        text = t("Your commission for {month} is settled: {total}. /commission {ym} shows it.")
        text = text.format(month=month_label(t, month), total=t.money(ln.total), ym=key)
        if sharer.is_leader or ln.team or ln.team_valid_fen:
            team = t("Team reward: {reward} (your team's valid sales: {sales}).")
            text += "\n" + team.format(
                reward=t.money(ln.team), sales=t.money(ln.team_valid_fen or 0)
            )
        out.append(Queued(f"settle:{key}:{ln.sharer_id}", sharer.user_id, text))
    return [replace(m, delivery=AT_LEAST_ONCE) for m in out]  # money: a repeat beats a loss


async def _managers_here(update: Update, ctx: BotContext) -> None:
    if not is_private(update):
        row = await ctx.services.chats.get(update.effective_chat.id)
        if row is None or row.purpose != "managers":
            raise Refuse("Payouts are private: use /settle in the managers' chat or with me.")


def _refusal(exc: SettleError, text: str) -> Refuse:
    earlier = exc.params.get("month") or exc.params.get("latest")
    return Refuse(ERRORS[exc.code], month=text, earlier=_ym(earlier))


async def settle(update: Update, ctx: BotContext) -> None:
    args = command_args(update)
    if len(args) != 1:
        raise BadUsage("Give the month to settle, like 2026-11.")
    month = month_arg(args[0])
    await _managers_here(update, ctx)
    services, chat = ctx.services, update.effective_chat
    now, tz, repo = services.clock.now(), services.settings.tz, services.commission
    try:
        plan = await repo.plan_settle(services.rules, month, tz, now)
        messages = await settle_messages(services, month, plan.lines, chat.id)
        await repo.commit_settle(
            plan, services.rules, messages, now=now, actor_id=update.effective_user.id
        )
    except SettleError as exc:
        raise _refusal(exc, args[0]) from None
    total = sum(ln.total for ln in plan.lines)
    summary = ctx.t.n(
        "{month} is settled: {n} sharer, {total} in all.",
        "{month} is settled: {n} sharers, {total} in all.",
        len(plan.lines),
    ).format(month=month_label(ctx.t, month), n=len(plan.lines), total=ctx.t.money(total))
    await reply(update, ctx, summary)


async def settle_resend(update: Update, ctx: BotContext) -> None:
    """Queue again, under new keys, what announced a settled month and was not delivered
    (or everything, with `all`)."""
    args = command_args(update)
    if len(args) not in (1, 2) or (len(args) == 2 and args[1].lower() != "all"):
        raise BadUsage("Give the settled month, and all to send everything again.")
    month, everything = month_arg(args[0]), len(args) == 2
    await _managers_here(update, ctx)
    services, key = ctx.services, _ym(month)
    repo, now = services.commission, services.clock.now()
    if month not in await repo.settled():
        raise _refusal(SettleError("not_settled"), args[0])
    messages = await settle_messages(
        services, month, await repo.lines(month), update.effective_chat.id
    )
    states = await services.outbox.statuses(f"settle:{key}:")
    states |= await services.outbox.statuses(f"payout:{key}:")
    keys = to_resend([m.key for m in messages], states, everything=everything)
    again = [replace(m, key=keys[m.key]) for m in messages if m.key in keys]
    queued = await services.outbox.enqueue_all(again, due_at=now, now=now)
    if queued:
        text = ctx.t.n(
            "{n} message about {month} is queued again.",
            "{n} messages about {month} are queued again.",
            queued,
        )
    else:
        text = ctx.t(
            "Everything about {month} was delivered or is on its way; "
            "send /settle_resend {ym} all to send it all again."
        )
    await reply(update, ctx, text.format(n=queued, month=month_label(ctx.t, month), ym=key))


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
    command(app, "settle_resend", settle_resend,
            description=N_("send a settled month's payout files and messages again"),
            usage=RESEND_USAGE, roles={"manager"})  # fmt: skip
    command(app, "rules", rules, description=N_("the commission rules"))
    command(app, "levels", levels, description=N_("the level ladder"))
