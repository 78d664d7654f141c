"""Leaderboards (SPEC §3): /top, /mask_names, the weekly and monthly posts, and /team.

Boards show valid sales (never commission) from the rollups, names masked unless the chat
turned masking off, hidden sharers left out. In a group the asker's own line gives the rank
only: an amount next to a person's own name would be their figure in public.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from telegram import Update
from telegram.ext import Application

from bot import jobs
from bot.context import BotContext
from bot.domain.commission import mask_names as masked_names
from bot.domain.money import format_rate, round_half_up
from bot.domain.months import Month, looks_like_month, shift, ym
from bot.i18n import N_, Translator
from bot.services import Services
from handlers.common import BadUsage, Refuse, command_args, esc, is_private, reply
from handlers.lookups import local_month, month_arg, month_label, my_sharer
from handlers.registry import command

TOP = 10
MASK_KEY = "mask_names"
Period = tuple[object, ...]


def _day(d: date) -> int:
    return d.year * 10000 + d.month * 100 + d.day


def week_period(monday: date) -> Period:
    return ("days", _day(monday), _day(monday + timedelta(days=6)))


def _title(
    t: Translator, period: Period, month: Month, monday: date, *, last_week: bool = False
) -> str:
    if period[0] == "days":
        first, last = t.date(monday, "medium"), t.date(monday + timedelta(days=6), "medium")
        if last_week:
            return t("Leaderboard, last week ({first} – {last})").format(first=first, last=last)
        return t("Leaderboard, this week ({first} – {last})").format(first=first, last=last)
    if period[0] == "sku":
        return t("Leaderboard for {sku}, {month}").format(
            sku=esc(period[1]), month=month_label(t, month)
        )
    return t("Leaderboard, {month}").format(month=month_label(t, month))


async def render_board(
    services: Services, t: Translator, chat_id: int, period: Period, title: str
) -> list[str]:
    board = await services.boards.board(period)
    masked = await services.chats.setting(chat_id, MASK_KEY, "on") != "off"
    names = await services.sharers.many([sid for _, sid, _ in board[:TOP]])
    label = t("valid sales")
    lines = [f"<b>{title}</b> · {label}"]
    shown = {sid: names[sid].display if sid in names else sid for _, sid, _ in board[:TOP]}
    if masked:
        shown = masked_names(shown)
    for place, sid, fen in board[:TOP]:
        lines.append(f"{place}. {esc(shown[sid])} — {t.money(fen)}")
    if not board:
        lines.append(t("No sales yet."))
    return lines


def _parse(ctx: BotContext, args: list[str]) -> tuple[Period, Month, date]:
    today = ctx.services.clock.now().astimezone(ctx.services.settings.tz).date()
    monday = today - timedelta(days=today.weekday())
    month = local_month(ctx)
    if len(args) > 1:
        raise BadUsage("Give one of: week, month, a month YYYY-MM, or a SKU.")
    word = args[0] if args else "month"
    if word.lower() == "week":
        return week_period(monday), month, monday
    if word.lower() == "month":
        return ("month", ym(month)), month, monday
    if looks_like_month(word):
        month = month_arg(word)
        return ("month", ym(month)), month, monday
    first = _day(date(month[0], month[1], 1))
    return ("sku", word, first, first + 30), month, monday


async def top(update: Update, ctx: BotContext) -> None:
    period, month, monday = _parse(ctx, command_args(update))
    chat_id = update.effective_chat.id
    title = _title(ctx.t, period, month, monday)
    lines = await render_board(ctx.services, ctx.t, chat_id, period, title)
    me = await ctx.services.sharers.by_user(update.effective_user.id)
    if me is not None:
        board = await ctx.services.boards.board(period)
        mine = next(((r, v) for r, sid, v in board if sid == me.sharer_id), None)
        if me.hidden:
            lines.append(ctx.t("You are hidden from leaderboards (/show_me)."))
        elif mine is None:
            lines.append(ctx.t("You have no sales in this period yet."))
        elif is_private(update):
            text = ctx.t("Your rank: #{rank} · {amount}")
            lines.append(text.format(rank=mine[0], amount=ctx.t.money(mine[1])))
        else:
            lines.append(ctx.t("{name}'s rank: #{rank}").format(
                name=esc(update.effective_user.first_name), rank=mine[0]))  # fmt: skip
    await reply(update, ctx, "\n".join(lines))


async def mask_names(update: Update, ctx: BotContext) -> None:
    args = command_args(update)
    if len(args) != 1 or args[0].lower() not in ("on", "off"):
        raise BadUsage("Say on or off.")
    chat, user = update.effective_chat, update.effective_user
    if "manager" not in ctx.roles:
        member = await ctx.bot.get_chat_member(chat.id, user.id)
        if member.status not in ("administrator", "creator"):
            raise Refuse("Only a group admin or a manager can change this.")
    value = args[0].lower()
    now = ctx.services.clock.now()
    await ctx.services.chats.set_setting(chat.id, MASK_KEY, value, actor_id=user.id, now=now)
    if value == "on":
        await reply(update, ctx, ctx.t("Names on leaderboards here are masked (张*明)."))
    else:
        await reply(update, ctx, ctx.t("Names on leaderboards here are shown in full."))


async def post_boards(app: Application, now: datetime) -> None:
    """Monday: last week's board; the 1st: last month's. Keys make each post go out once."""
    services: Services = app.bot_data["services"]
    chat = await services.chats.by_purpose("sharers")
    if chat is None:
        return
    today = now.astimezone(services.settings.tz).date()
    posts = []
    if today.weekday() == 0:
        monday = today - timedelta(days=7)
        iso = monday.isocalendar()
        posts.append((f"top:week:{iso.year}-W{iso.week:02d}", week_period(monday), monday, None))
    if today.day == 1:
        month = shift((today.year, today.month), -1)
        posts.append((f"top:month:{month[0]}-{month[1]:02d}", ("month", ym(month)), today, month))
    t = await services.translator_for_chat(chat.chat_id)
    for key, period, monday, month in posts:
        if await services.outbox.state(key) is not None:
            continue
        title = _title(t, period, month or (today.year, today.month), monday, last_week=True)
        text = "\n".join(await render_board(services, t, chat.chat_id, period, title))
        await services.outbox.enqueue(key, chat.chat_id, text, due_at=now, now=now)


async def team(update: Update, ctx: BotContext) -> None:
    me = await my_sharer(ctx, update.effective_user.id)
    if not me.is_leader:
        raise Refuse("/team is for team leaders.")
    services, t = ctx.services, ctx.t
    month = local_month(ctx)
    members = await services.sharers.team(me.sharer_id)
    repo = services.commission
    sales = {m.sharer_id: await repo.month_valid(m.sharer_id, ym(month)) for m in members}
    total = sum(v for v, _ in sales.values())
    lines = [t("Your team in {month}: {n} members, team sales {amount}").format(
        month=month_label(t, month), n=len(members), amount=t.money(total))]  # fmt: skip
    for m in sorted(members, key=lambda m: -sales[m.sharer_id][0])[:50]:
        valid, orders = sales[m.sharer_id]
        lines.append(f"• {esc(m.display)} ({esc(m.sharer_id)}) — {t.money(valid)} · {orders}")
    idle = [m for m in members if sales[m.sharer_id][1] == 0]
    if idle:
        names = ", ".join(esc(m.display) for m in idle[:50])
        lines.append(t("No orders this month: {names}").format(names=names))
    rules = services.rules
    reward = rules.team_rate(total)
    text = t("Team reward now: {rate} of team sales = {amount}")
    amount = t.money(round_half_up(reward * total))
    lines.append(text.format(rate=format_rate(reward), amount=amount))
    step = rules.next_team_step(total)
    if step:
        lines.append(t("{amount} more team sales to reach {rate}.").format(
            amount=t.money(step[0]), rate=format_rate(step[1])))  # fmt: skip
    await reply(update, ctx, "\n".join(lines))


def register(app: Application) -> None:
    command(app, "top", top, description=N_("leaderboard of valid sales"),
            usage="/top [week|month|YYYY-MM|<sku>]")  # fmt: skip
    command(app, "mask_names", mask_names, description=N_("mask names on leaderboards here"),
            usage="/mask_names on|off", where="group")  # fmt: skip
    command(app, "team", team, description=N_("your team's sales and reward"),
            roles={"leader", "manager"}, where="private")  # fmt: skip
    jobs.add_tick(app, "leaderboard_posts", post_boards, every=timedelta(minutes=30))
