"""Sales challenges (销售挑战赛, SPEC §4): /challenge, /challenges, /challenge_end and the
daily board in the sharers' group.

The rules of a challenge are bot.domain.challenges'; the commission engine reads its boost
through storage/commission.py. Boards show valid sales of the SKU, never commission, with
names masked as the group's other boards are.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from telegram import Update
from telegram.ext import Application

from bot import jobs
from bot.context import BotContext
from bot.domain.args import MAX_ID, ArgError, parse_int
from bot.domain.challenges import (
    Challenge,
    ChallengeError,
    board_due,
    check_new,
    early_end,
    overlapping,
    parse_bonus_rate,
    parse_period,
    parse_sku,
    status,
    top_direct_rate,
)
from bot.domain.money import format_rate
from bot.domain.months import Month
from bot.i18n import N_, Translator
from bot.services import Services
from handlers.common import BadUsage, Refuse, command_args, esc, reply
from handlers.lookups import board_lines, month_label
from handlers.registry import command
from storage.challenges import Challenges, board_prefix
from storage.outbox import Queued

USAGE = "/challenge <sku> <YYYY-MM-DD> <YYYY-MM-DD> <rate%>"
END_USAGE = "/challenge_end <id>"
LISTED = 20

ERRORS = {
    "bad_sku": N_("{value} is not a SKU: at most {max} characters, on one line."),
    "bad_date": N_("{value} is not a date: write it as YYYY-MM-DD, like 2026-11-01."),
    "reversed": N_("The last day {end} is before the first day {start}."),
    "too_long": N_("A challenge lasts at most {days} days."),
    "bad_rate": N_("{value} is not a rate: write it with a percent sign, like 15%."),
    "zero_rate": N_("The bonus rate must be above 0%."),
    "all_settled": N_(
        "Every month of that period is settled already, and settled months never change: "
        "nothing would be boosted."
    ),
    "already_ended": N_("Challenge #{id} is over already (its last day was {end})."),
    "not_found": N_("There is no challenge #{id}: see /challenges."),
}
STATUS = {
    "upcoming": N_("upcoming"),
    "running": N_("running"),
    "ended": N_("ended"),
    "ended_early": N_("ended early"),
    "cancelled": N_("cancelled"),
}


def _refusal(exc: ChallengeError) -> Refuse:
    kind = (
        BadUsage
        if exc.code in ("bad_sku", "bad_date", "reversed", "bad_rate", "zero_rate")
        else Refuse
    )
    return kind(ERRORS[exc.code], **exc.params)


def _today(services: Services, now: datetime | None = None) -> date:
    return (now or services.clock.now()).astimezone(services.settings.tz).date()


def _period(t: Translator, c: Challenge) -> str:
    return t("{first} – {last}").format(first=t.date(c.start), last=t.date(c.end))


def _headline(t: Translator, c: Challenge) -> str:
    return t("Challenge #{id}: {sku} at {rate}, {period}").format(
        id=c.id, sku=esc(c.sku), rate=format_rate(c.rate), period=_period(t, c)
    )


def _announcement(t: Translator, c: Challenge) -> str:
    return "\n".join([
        "<b>" + t("New sales challenge!") + "</b>",
        _headline(t, c),
        t("Every order of {sku} paid in these days earns {rate} commission. The standings are "
          "posted here every morning.").format(sku=esc(c.sku), rate=format_rate(c.rate)),
    ])  # fmt: skip


def _warnings(
    ctx: BotContext, c: Challenge, sold: bool, settled: list[Month], others: list[Challenge]
) -> list[str]:
    t, lines = ctx.t, []
    if not sold:
        lines.append(t("Note: no order has the SKU {sku} yet; check its spelling.").format(
            sku=esc(c.sku)))  # fmt: skip
    if settled:
        months = t.join(month_label(t, m) for m in settled)
        lines.append(t("Note: {months} is settled; its days get no boost.").format(months=months))
    for o in others:
        lines.append(t("Note: it overlaps challenge #{id} ({rate}); where both apply, the higher "
                       "rate counts.").format(id=o.id, rate=format_rate(o.rate)))  # fmt: skip
    top = top_direct_rate(ctx.services.rules)
    if c.rate < top:
        lines.append(t("Note: a boost replaces the direct rate, so sharers whose rate is above "
                       "{rate} (up to {top}) earn less on {sku} during it.").format(
            rate=format_rate(c.rate), top=format_rate(top), sku=esc(c.sku)))  # fmt: skip
    return lines


async def challenge(update: Update, ctx: BotContext) -> None:
    args = command_args(update)
    if len(args) != 4:
        raise BadUsage("Give the SKU, the first and last day and the bonus rate.")
    services, now = ctx.services, ctx.services.clock.now()
    try:
        sku = parse_sku(args[0])
        start, end = parse_period(args[1], args[2])
        rate = parse_bonus_rate(args[3])
        frozen = check_new(start, end, set(await services.commission.settled()))
    except ChallengeError as exc:
        raise _refusal(exc) from None
    repo = services.repo(Challenges)
    others = overlapping(await repo.since(start), sku, start, end)
    chat = await services.chats.by_purpose("sharers")
    group_t = await services.translator_for_chat(chat.chat_id) if chat else None

    def announce(c: Challenge) -> list[Queued]:
        if chat is None or group_t is None or c.end < _today(services, now):
            return []
        return [Queued(f"challenge:{c.id}:new", chat.chat_id, _announcement(group_t, c))]

    made = await repo.create(sku, rate, start, end, actor_id=update.effective_user.id, now=now,
                             announce=announce)  # fmt: skip
    t = ctx.t
    lines = [t("Created.") + " " + _headline(t, made)]
    if chat is None:
        lines.append(t("No sharers' group is registered (/setup sharers): no boards are posted."))
    elif made.end >= _today(services, now):
        lines.append(t("Announced in the sharers' group; the standings follow every morning."))
    sold = await repo.sku_sold(sku)
    lines += _warnings(ctx, made, sold, frozen, others)
    await reply(update, ctx, "\n".join(lines))


async def challenges(update: Update, ctx: BotContext) -> None:
    t, today = ctx.t, _today(ctx.services)
    found = await ctx.services.repo(Challenges).recent(LISTED)
    if not found:
        await reply(update, ctx, t("No challenges yet. Managers start one with {usage}").format(
            usage=esc(USAGE)))  # fmt: skip
        return
    lines = ["<b>" + t("Sales challenges") + "</b>"]
    for c in found:
        state = t(STATUS[status(c, today)])
        lines.append(f"{_headline(t, c)} · {state}")
    await reply(update, ctx, "\n".join(lines))


def _challenge_id(text: str) -> int:
    try:
        return parse_int(text.removeprefix("#"), lo=1, hi=MAX_ID)
    except ArgError:
        raise BadUsage("{value} is not a challenge number, like 3: see /challenges.",
                       value=text) from None  # fmt: skip


async def challenge_end(update: Update, ctx: BotContext) -> None:
    args = command_args(update)
    if len(args) != 1:
        raise BadUsage("Give the challenge's number (see /challenges).")
    services, now = ctx.services, ctx.services.clock.now()
    repo = services.repo(Challenges)
    try:
        found = await repo.get(_challenge_id(args[0]))
        last = early_end(found, _today(services, now))
    except ChallengeError as exc:
        raise _refusal(exc) from None
    ended = await repo.end(found, last, actor_id=update.effective_user.id, now=now)
    chat = await services.chats.by_purpose("sharers")
    if chat is not None:
        group_t = await services.translator_for_chat(chat.chat_id)
        await services.outbox.enqueue(f"challenge:{ended.id}:end", chat.chat_id,
                                      _ended(group_t, ended), due_at=now, now=now)  # fmt: skip
    await reply(update, ctx, _ended(ctx.t, ended) + "\n" + ctx.t("No more boards are posted."))


def _ended(t: Translator, c: Challenge) -> str:
    if c.empty:
        return t("Challenge #{id} for {sku} is cancelled; it never applied.").format(
            id=c.id, sku=esc(c.sku))  # fmt: skip
    return t("Challenge #{id} for {sku} ended early: orders paid up to {last} keep {rate}.").format(
        id=c.id, sku=esc(c.sku), last=t.date(c.end), rate=format_rate(c.rate))  # fmt: skip


def _yyyymmdd(day: date) -> int:
    return day.year * 10000 + day.month * 100 + day.day


async def render_board(
    services: Services,
    t: Translator,
    chat_id: int,
    c: Challenge,
    last: date,
    final: bool,
) -> str:
    board = await services.boards.board(("sku", c.sku, _yyyymmdd(c.start), _yyyymmdd(last)))
    rows, _ = await board_lines(services, t, chat_id, board)
    span = t("{first} – {last}").format(first=t.date(c.start), last=t.date(last))
    head = t("Final results") if final else t("Standings after day {n} of {days}").format(
        n=(last - c.start).days + 1, days=(c.end - c.start).days + 1)  # fmt: skip
    lines = [
        "<b>" + _headline(t, c) + "</b>",
        t("{head} · {span} · valid sales of {sku}").format(head=head, span=span, sku=esc(c.sku)),
    ]
    lines += rows
    if not board:
        lines.append(t("No sales of it yet."))
    if final and board:
        lines.append(t("Congratulations to the winners!"))
    return "\n".join(lines)


async def post_boards(app: Application, now: datetime) -> None:
    """Each morning (from DIGEST_AT), a board per challenge that ran yesterday; the key (per
    challenge and day) makes each post go out once, and a missed morning is not caught up."""
    services: Services = app.bot_data["services"]
    local = now.astimezone(services.settings.tz)
    chat = await services.chats.by_purpose("sharers")
    if chat is None or local.time() < services.settings.digest_at:
        return
    today = local.date()
    t = await services.translator_for_chat(chat.chat_id)
    for c in await services.repo(Challenges).since(today - timedelta(days=1)):
        due = board_due(c, today)
        key = f"{board_prefix(c.id)}{today.isoformat()}"
        if due is None or await services.outbox.state(key) is not None:
            continue
        text = await render_board(services, t, chat.chat_id, c, *due)
        await services.outbox.enqueue(key, chat.chat_id, text, due_at=now, now=now)


def register(app: Application) -> None:
    command(app, "challenge", challenge, description=N_("start a sales challenge (product boost)"),
            usage=USAGE, roles={"manager"})  # fmt: skip
    command(
        app,
        "challenges",
        challenges,
        description=N_("sales challenges, running and past"),
    )
    command(app, "challenge_end", challenge_end, description=N_("end a sales challenge early"),
            usage=END_USAGE, roles={"manager"})  # fmt: skip
    jobs.add_tick(app, "challenge_boards", post_boards, every=timedelta(minutes=30))
