"""A sharer's own figures (SPEC §3): /me, /commission and, for leaders, /team.

Money figures go to one place only: the sharer's private chat (or a manager's). Asked in a
group, the answer there is "sent you a private message"; if the person never started the
bot, the group reply carries a button that opens the private chat instead.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from telegram import Update
from telegram.error import Forbidden
from telegram.ext import Application

from bot.context import BotContext
from bot.domain.commission import Statement
from bot.domain.money import format_rate
from bot.domain.months import looks_like_month
from bot.i18n import N_, Translator
from handlers.common import (
    BadUsage,
    Refuse,
    command_args,
    deep_link,
    esc,
    is_private,
    reply,
    send_private,
)
from handlers.lookups import (
    NOT_LINKED,
    SHARER_ERRORS,
    level_name,
    local_month,
    month_arg,
    month_label,
    my_sharer,
)
from handlers.registry import command, on_start_payload
from storage.commission import Month, Settled, ym
from storage.lives import Lives
from storage.sharers import Sharer

USAGE = "/commission [YYYY-MM] [sharer_id]"
Render = Callable[[Translator], Awaitable[str]]


def statement_lines(t: Translator, st: Statement) -> list[str]:
    rows = [
        (t("Direct ({rate})").format(rate=format_rate(st.direct_rate)), st.direct),
        (t("Self-purchase"), st.self_purchase),
        (t("Level 2 (your invitees)"), st.level2),
        (t("Team reward"), st.team),
        (t("Recruit reward"), st.recruit),
        (t("Adjustment"), st.adjustment),
    ]
    line = t("{label}: {amount}")
    lines = [line.format(label=label, amount=t.money(fen)) for label, fen in rows]
    source = t("{month} recomputed after refunds or changes: {amount}")
    lines += [
        "  · " + source.format(month=month_label(t, m), amount=t.money(fen))
        for m, fen in st.adjustments
    ]
    lines.append("<b>" + t("Total: {total}").format(total=t.money(st.total)) + "</b>")
    return lines


async def in_private(update: Update, ctx: BotContext, render: Render, payload: str) -> None:
    """Answer in the private chat; in a group say so, or offer a button to open it."""
    if is_private(update):
        await reply(update, ctx, await render(ctx.t))
        return
    user = update.effective_user
    t = await ctx.services.translator_for_chat(user.id)
    try:
        await send_private(ctx, user.id, await render(t))
    except Forbidden:
        link = deep_link(ctx, f"{payload}_")
        text = ctx.t("Your figures are private: open a chat with me and I will show them there.")
        await reply(update, ctx, text, buttons=[[(ctx.t("Open a private chat"), link)]])
        return
    await reply(update, ctx, ctx.t("I sent you a private message."))


async def render_me(ctx: BotContext, t: Translator, sharer: Sharer) -> str:
    services, now = ctx.services, ctx.services.clock.now()
    rules, month = services.rules, local_month(ctx, now)
    repo = services.commission
    st, _ = await repo.statement(rules, sharer.sharer_id, month, services.settings.tz, now)
    place = await services.boards.month_rank(sharer.sharer_id, ym(month))
    forwards = await services.repo(Lives).forwards_in_month(
        sharer.sharer_id, month, services.settings.tz
    )
    lines = [
        f"<b>{esc(sharer.display)}</b> ({esc(sharer.sharer_id)}) · {month_label(t, month)}",
        t("Level: {level}").format(level=level_name(t, rules, st.level)),
        t("Valid sales this month: {amount}").format(amount=t.money(st.month_valid_fen)),
        t("Orders: {orders} · customers: {customers}").format(
            orders=st.order_count, customers=st.customer_count
        ),
        *statement_lines(t, st),
        t("Pending (refund window): {pending} · confirmed: {confirmed}").format(
            pending=t.money(st.pending), confirmed=t.money(st.confirmed)
        ),
        t("Rank this month: #{rank}").format(rank=place) if place else t("Not ranked yet."),
        *([t("Live rooms forwarded this month: {n}").format(n=forwards)] if forwards else []),
    ]
    step = rules.next_step(st.month_valid_fen)
    if step:
        lines.append(t("{amount} more to reach {rate}.").format(
            amount=t.money(step[0]), rate=format_rate(step[1])))  # fmt: skip
    level = rules.next_level(st.month_valid_fen)
    if level:
        lines.append(t("{amount} more this month to reach level {level} next month.").format(
            amount=t.money(level[0]), level=level_name(t, rules, level[1].key)))  # fmt: skip
    return "\n".join(lines)


async def me(update: Update, ctx: BotContext) -> None:
    sharer = await my_sharer(ctx, update.effective_user.id)
    await in_private(update, ctx, lambda t: render_me(ctx, t, sharer), "me")


async def on_me_link(update: Update, ctx: BotContext, _rest: str) -> None:
    await me(update, ctx)


async def _target(ctx: BotContext, user_id: int, sharer_id: str | None) -> Sharer:
    """Whose statement: one's own, or (managers only) any known sharer id."""
    repo = ctx.services.sharers
    own = await repo.by_user(user_id)
    if sharer_id is None or (own and own.sharer_id == sharer_id):
        if own is None and "manager" in ctx.roles:
            raise Refuse("Name a sharer id, like this: {usage}", usage=USAGE)
        if own is None:
            raise Refuse(NOT_LINKED)
        return own
    if "manager" not in ctx.roles:
        raise Refuse("You can only see your own statement.")
    if not await repo.known(sharer_id):
        unknown = SHARER_ERRORS["unknown_sharer"]
        raise Refuse(unknown, sharer_id=sharer_id)
    found = await repo.get(sharer_id)
    return found or Sharer(sharer_id, "", "", "", "", False, None, None, False)


async def render_statement(
    ctx: BotContext,
    t: Translator,
    sharer: Sharer,
    month: Month,
    st: Statement,
    frozen: Settled | None,
) -> str:
    title = t("Statement for {month}").format(month=month_label(t, month))
    lines = [
        f"{title} — <b>{esc(sharer.display)}</b> ({esc(sharer.sharer_id)})",
        t("Valid sales: {amount}").format(amount=t.money(st.month_valid_fen)),
        *statement_lines(t, st),
    ]
    parts = t("Pending (refund window): {pending} · confirmed: {confirmed}")
    lines.append(parts.format(pending=t.money(st.pending), confirmed=t.money(st.confirmed)))
    if frozen is not None:
        day = t.date(frozen.settled_at.astimezone(ctx.services.settings.tz))
        lines.append(t("Settled on {date}.").format(date=day))
    else:
        lines.append(t("Not settled yet."))
    return "\n".join(lines)


async def commission(update: Update, ctx: BotContext) -> None:
    args = command_args(update)
    months = [a for a in args if looks_like_month(a)]
    others = [a for a in args if not looks_like_month(a)]
    if len(months) > 1 or len(others) > 1:
        raise BadUsage("Give at most one month and one sharer id.")
    services, now = ctx.services, ctx.services.clock.now()
    month = month_arg(months[0]) if months else local_month(ctx, now)
    if month > local_month(ctx, now):
        raise Refuse("{month} has not started yet.", month=months[0])
    sharer = await _target(ctx, update.effective_user.id, others[0] if others else None)
    repo, tz = services.commission, services.settings.tz
    st, settled = await repo.statement(services.rules, sharer.sharer_id, month, tz, now)
    await in_private(
        update, ctx, lambda t: render_statement(ctx, t, sharer, month, st, settled), "me"
    )


def register(app: Application) -> None:
    command(app, "me", me, description=N_("your level, sales and commission this month"))
    command(app, "commission", commission, description=N_("a month's commission statement"),
            usage=USAGE)  # fmt: skip
    on_start_payload(app, "me", on_me_link)
