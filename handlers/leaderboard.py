"""Leaderboards (SPEC §3, §4): /top, /top teams, /top year, /mask_names, the weekly,
monthly and yearly posts, and /team.

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
from bot.domain.money import format_rate, round_half_up
from bot.domain.months import Month, looks_like_month, shift, ym
from bot.domain.teams import Standing, standing, winners, year_arg
from bot.i18n import N_, Translator
from bot.services import Services
from handlers.common import BadUsage, Refuse, command_args, esc, is_private, reply
from handlers.lookups import (
    BOARD_TOP,
    MASK_KEY,
    board_lines,
    board_names,
    local_month,
    month_arg,
    month_label,
    my_sharer,
    switch_word,
)
from handlers.registry import command
from storage.sharers import Sharer

TOP = BOARD_TOP
Period = tuple[object, ...]
YEAR_BAD = N_("{value} is not a year: write it like 2026.")
TEAMS_BAD = N_("Give week, month or a month YYYY-MM.")


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
    if period[0] == "year":
        return t("Annual board, {year}").format(year=period[1])
    return t("Leaderboard, {month}").format(month=month_label(t, month))


async def render_board(
    services: Services, t: Translator, chat_id: int, period: Period, title: str, *, over: bool
) -> list[str]:
    """The board; for a month or a year that is `over`, its best sharer named below it."""
    board = await services.boards.board(period)
    rows, shown = await board_lines(services, t, chat_id, board)
    lines = [f"<b>{title}</b> · {t('valid sales')}", *rows]
    if not board:
        lines.append(t("No sales yet."))
    elif over and period[0] in ("month", "year"):
        # 月度最佳分享员 / 年度大奖: first place, named (masked as on the board).
        best = t.join(esc(shown[sid]) for sid in winners(board))
        if period[0] == "month":
            lines.append("🏆 " + t("Sharer of the month: {names}").format(names=best))
        else:
            lines.append("🏆 " + t("Sharer of the year: {names}").format(names=best))
    return lines


def _progress(t: Translator, at: Standing) -> str:
    if at.missing is None:
        return t("top step reached ({rate})").format(rate=format_rate(at.reached))
    more, rate = t.money(at.missing), format_rate(at.next_rate or 0)
    if at.on_a_step:
        return t("{rate} step reached, {amount} more to {next}").format(
            rate=format_rate(at.reached), amount=more, next=rate
        )
    return t("{amount} more to the first step ({next})").format(amount=more, next=rate)


async def render_teams(
    services: Services, t: Translator, chat_id: int, period: Period, month: Month, title: str
) -> list[str]:
    """Teams by team valid sales: the leader, masked like other names, and where the team
    stands on the steps of `month`. Never a reward amount: that is the leader's commission."""
    boards, rules = services.boards, services.rules
    board = await boards.team_board(period)
    by_month = board if period[0] == "month" else await boards.team_board(("month", ym(month)))
    month_sales = {sid: fen for _, sid, fen in by_month}
    shown = await board_names(services, chat_id, [sid for _, sid, _ in board[:TOP]])
    lines = [f"<b>{title}</b> · {t('team valid sales')}"]
    for place, sid, fen in board[:TOP]:
        line = f"{place}. {esc(shown[sid])} — {t.money(fen)}"
        if rules.team_steps:
            line += " · " + _progress(t, standing(rules, month_sales.get(sid, 0)))
        lines.append(line)
    if not board:
        lines.append(t("No team sales yet."))
    elif period[0] != "month" and rules.team_steps:
        text = t("Steps are reached on a month's team sales: these are {month}'s.")
        lines.append(text.format(month=month_label(t, month)))
    return lines


def _parse(ctx: BotContext, args: list[str]) -> tuple[str, Period, Month, date]:
    """(board kind: top, teams or year; period; month; Monday of this week)."""
    today = ctx.services.clock.now().astimezone(ctx.services.settings.tz).date()
    monday = today - timedelta(days=today.weekday())
    month = local_month(ctx)
    kind = {"teams": "teams", "team": "teams", "year": "year"}.get(args[0].lower() if args else "")
    if kind is not None:
        args = args[1:]
    kind = kind or "top"
    if kind == "year":
        year = today.year if not args else year_arg(args[0]) if len(args) == 1 else None
        if year is None:
            raise BadUsage(YEAR_BAD, value=" ".join(args))
        return kind, ("year", year), month, monday
    if len(args) > 1 and kind == "teams":
        raise BadUsage(TEAMS_BAD)
    if len(args) > 1:
        raise BadUsage("Give one of: week, month, a month YYYY-MM, or a SKU.")
    word = args[0] if args else "month"
    if word.lower() == "week":
        return kind, week_period(monday), month, monday
    if word.lower() == "month":
        return kind, ("month", ym(month)), month, monday
    if looks_like_month(word):
        month = month_arg(word)
        return kind, ("month", ym(month)), month, monday
    if kind != "top":
        raise BadUsage(TEAMS_BAD)
    first = _day(date(month[0], month[1], 1))
    return kind, ("sku", word, first, first + 30), month, monday


def _team_title(t: Translator, period: Period, month: Month, monday: date) -> str:
    if period[0] == "days":
        first, last = t.date(monday), t.date(monday + timedelta(days=6))
        return t("Team board, this week ({first} – {last})").format(first=first, last=last)
    return t("Team board, {month}").format(month=month_label(t, month))


async def top(update: Update, ctx: BotContext) -> None:
    kind, period, month, monday = _parse(ctx, command_args(update))
    chat_id, services = update.effective_chat.id, ctx.services
    if kind == "teams":
        title = _team_title(ctx.t, period, month, monday)
        lines = await render_teams(services, ctx.t, chat_id, period, month, title)
        board = await services.boards.team_board(period)
    else:
        title = _title(ctx.t, period, month, monday)
        this_month = ym(local_month(ctx))
        over = period[0] == "month" and period[1] < this_month  # type: ignore[operator]
        over |= period[0] == "year" and period[1] < this_month // 100  # type: ignore[operator]
        lines = await render_board(services, ctx.t, chat_id, period, title, over=over)
        board = await services.boards.board(period)
    me = await services.sharers.by_user(update.effective_user.id)
    if me is not None:
        lines += _own_line(update, ctx, me, board, teams=kind == "teams")
    await reply(update, ctx, "\n".join(lines))


def _own_line(
    update: Update, ctx: BotContext, me: Sharer, board: list[tuple[int, str, int]], *, teams: bool
) -> list[str]:
    """The asker's own place below a board: the amount only in a private chat, since next to
    a person's name in a group it would be their figure in public."""
    mine = next(((r, v) for r, sid, v in board if sid == me.sharer_id), None)
    t = ctx.t
    if me.hidden:
        return [t("You are hidden from leaderboards (/show_me).")]
    if mine is None:
        return [] if teams else [t("You have no sales in this period yet.")]
    if is_private(update):
        text = t("Your team's rank: #{rank} · {amount}") if teams else t(
            "Your rank: #{rank} · {amount}")  # fmt: skip
        return [text.format(rank=mine[0], amount=t.money(mine[1]))]
    text = t("{name}'s team: #{rank}") if teams else t("{name}'s rank: #{rank}")
    return [text.format(name=esc(update.effective_user.first_name), rank=mine[0])]


async def mask_names(update: Update, ctx: BotContext) -> None:
    args = command_args(update)
    value = switch_word(args[0]) if len(args) == 1 else None
    if value is None:
        raise BadUsage("Say on or off.")
    chat, user = update.effective_chat, update.effective_user
    if "manager" not in ctx.roles:
        member = await ctx.bot.get_chat_member(chat.id, user.id)
        if member.status not in ("administrator", "creator"):
            raise Refuse("Only a group admin or a manager can change this.")
    now = ctx.services.clock.now()
    await ctx.services.chats.set_setting(chat.id, MASK_KEY, value, actor_id=user.id, now=now)
    if value == "on":
        await reply(update, ctx, ctx.t("Names on leaderboards here are masked (张*明)."))
    else:
        await reply(update, ctx, ctx.t("Names on leaderboards here are shown in full."))


async def post_boards(app: Application, now: datetime) -> None:
    """Monday: last week's board; the 1st: last month's, naming its best sharer, and its team
    board; 1 January: last year's annual board too. Keys make each post go out once."""
    services: Services = app.bot_data["services"]
    chat = await services.chats.by_purpose("sharers")
    if chat is None:
        return
    today = now.astimezone(services.settings.tz).date()
    this_month: Month = (today.year, today.month)
    posts: list[tuple[str, str, Period, Month, date]] = []
    if today.weekday() == 0:
        monday = today - timedelta(days=7)
        iso = monday.isocalendar()
        key = f"top:week:{iso.year}-W{iso.week:02d}"
        posts.append((key, "top", week_period(monday), this_month, monday))
    if today.day == 1:
        month = shift(this_month, -1)
        period, name = ("month", ym(month)), f"{month[0]}-{month[1]:02d}"
        posts.append((f"top:month:{name}", "top", period, month, today))
        posts.append((f"top:teams:{name}", "teams", period, month, today))
        if today.month == 1:
            year = today.year - 1
            posts.append((f"top:year:{year}", "top", ("year", year), month, today))
    t = await services.translator_for_chat(chat.chat_id)
    for key, kind, period, month, monday in posts:
        if await services.outbox.state(key) is not None:
            continue
        if kind == "teams":
            title = _team_title(t, period, month, monday)
            lines = await render_teams(services, t, chat.chat_id, period, month, title)
        else:
            title = _title(t, period, month, monday, last_week=True)
            lines = await render_board(services, t, chat.chat_id, period, title, over=True)
        await services.outbox.enqueue(key, chat.chat_id, "\n".join(lines), due_at=now, now=now)


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
            usage="/top [week|month|YYYY-MM|<sku>] · /top teams [week|month|YYYY-MM]"
                  " · /top year [YYYY]")  # fmt: skip
    command(app, "mask_names", mask_names, description=N_("mask names on leaderboards here"),
            usage="/mask_names on|off", where="group")  # fmt: skip
    command(app, "team", team, description=N_("your team's sales and reward"),
            roles={"leader", "manager"}, where="private")  # fmt: skip
    jobs.add_tick(app, "leaderboard_posts", post_boards, every=timedelta(minutes=30))
