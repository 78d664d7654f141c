"""A creator at a glance (SPEC §2): /creator (the card, with buttons that switch it to the
samples or the notes in place) and /creators (the list, with its filters)."""

from __future__ import annotations

from telegram import Update
from telegram.constants import ParseMode
from telegram.error import BadRequest
from telegram.ext import Application

from bot.context import BotContext
from bot.domain.creator_stats import compute_stats
from bot.domain.limits import clip
from bot.i18n import N_
from handlers.common import BadUsage, Refuse, command_args, esc, fitted, keyboard, more, reply
from handlers.lookups import (
    button_number,
    find_creator,
    local_date,
    owner_label,
    platform_name,
    stage_name,
    status_name,
)
from handlers.registry import BD_CHATS, button, command, require_bd_chat
from storage.creators import Creator, Note

LIST_CAP = 30
NOTES_ON_CARD = 3
# A note on the card is a reminder, not the whole text: the notes view shows more of it.
NOTE_ON_CARD_CHARS = 300
NOTE_IN_VIEW_CHARS = 1000


def _note_line(ctx: BotContext, note: Note, chars: int) -> str:
    colon = "：" if ctx.t.chinese else ": "
    return f"• {local_date(ctx, note.at)} {esc(note.author)}{colon}{esc(clip(note.text, chars))}"


async def card_text(ctx: BotContext, c: Creator) -> str:
    t, r = ctx.t, ctx.services.creators
    notes = await r.notes(c.id, NOTES_ON_CARD)
    sales_fen, orders = await r.attributed(c.handle)
    stats = compute_stats(
        await r.sample_facts(c.id), contacts=[n.at for n in notes] +
        ([c.last_contact_at] if c.last_contact_at else []),
        attributed_sales_fen=sales_fen, attributed_orders=orders,
    )  # fmt: skip
    followers = t.number(c.followers) if c.followers is not None else "—"
    lines = [
        f"<b>{esc(c.handle)}</b> · {c.tier} · {platform_name(t, c.platform)}",
        t("Owner: {owner}").format(owner=await owner_label(ctx, c.owner_id)),
        t("Followers: {followers} · category: {category}").format(
            followers=followers, category=esc(c.category or "—")
        ),
    ]
    if c.blocked_reason is not None:
        reason = esc(clip(c.blocked_reason, NOTE_ON_CARD_CHARS))
        lines.append(t("⛔ Blocked: {reason}").format(reason=reason))
    else:
        lines.append(t("Status: {status}").format(status=status_name(t, c.status)))
    if c.review_flag:
        lines.append(t("Up for tier review: {why}").format(why=esc(c.review_flag)))
    stages = t.join(f"{stage_name(t, s)} {n}" for s, n in stats.by_stage.items()) or "—"
    lines.append(t("Samples: {count} ({stages})").format(count=stats.samples, stages=stages))
    days = t.number(stats.avg_days_to_video) if stats.avg_days_to_video is not None else "—"
    lines.append(
        t("Fulfilment: {rate} · signing to video: {days} days").format(
            rate=t.percent(stats.fulfilment_rate), days=days
        )
    )
    lines.append(
        t("Chases: {chases}, answered {replied} ({rate})").format(
            chases=stats.chases, replied=stats.chases_replied, rate=t.percent(stats.reply_rate)
        )
    )
    last = local_date(ctx, stats.last_contact) if stats.last_contact else "—"
    lines.append(t("Last contact: {date}").format(date=last))
    lines.append(
        t("Attributed sales: {amount} ({orders} orders)").format(
            amount=t.money(stats.attributed_sales_fen), orders=stats.attributed_orders
        )
    )
    if notes:
        lines.append(t("Notes:"))
        lines += [_note_line(ctx, n, NOTE_ON_CARD_CHARS) for n in notes]
    return "\n".join(lines)


def card_buttons(ctx: BotContext, c: Creator, showing: str = "c") -> list[list[tuple[str, str]]]:
    views = [("s", ctx.t("Samples")), ("n", ctx.t("Notes")), ("c", ctx.t("Card"))]
    return [[(label, f"cr:{view}:{c.id}") for view, label in views if view != showing]]


async def creator_card(update: Update, ctx: BotContext) -> None:
    args = command_args(update)
    if not args or len(args) > 2:
        raise BadUsage("Give the creator's handle.")
    c = await find_creator(ctx, args[0], args[1] if len(args) > 1 else None)
    await reply(update, ctx, await card_text(ctx, c), buttons=card_buttons(ctx, c))


async def samples_text(ctx: BotContext, c: Creator) -> str:
    rows = await ctx.services.creators.samples_of(c.id)
    lines = [ctx.t("Samples of {handle}:").format(handle=f"<b>{esc(c.handle)}</b>")]
    for row in rows:
        lines.append(f"#{row.id} {esc(clip(row.product, 200))} — {stage_name(ctx.t, row.stage)}")
    if not rows:
        lines.append(ctx.t("No samples yet."))
    return "\n".join(lines)


async def notes_text(ctx: BotContext, c: Creator) -> str:
    notes = await ctx.services.creators.notes(c.id, limit=10)
    lines = [ctx.t("Notes on {handle}:").format(handle=f"<b>{esc(c.handle)}</b>")]
    lines += [_note_line(ctx, n, NOTE_IN_VIEW_CHARS) for n in notes]
    if not notes:
        lines.append(ctx.t("No notes yet."))
    return "\n".join(lines)


async def on_button(update: Update, ctx: BotContext) -> None:
    """Switch the card between its views; pressing twice changes nothing."""
    query = update.callback_query
    await require_bd_chat(update, ctx)
    _, view, raw_id = [*query.data.split(":"), "", ""][:3]
    c = await ctx.services.creators.get(button_number(raw_id))
    if c is None:
        raise Refuse("This creator no longer exists.")
    if c.owner_id != query.from_user.id and "bd" not in ctx.roles:
        raise Refuse("Only the owner of {handle}, the BD team or a manager may use this.",
                     handle=c.handle)  # fmt: skip
    render = {"s": samples_text, "n": notes_text}.get(view, card_text)
    text = await render(ctx, c)
    try:
        await query.edit_message_text(
            fitted(ctx, text), parse_mode=ParseMode.HTML,
            reply_markup=keyboard(card_buttons(ctx, c, view)),
            disable_web_page_preview=True,
        )  # fmt: skip
    except BadRequest as error:
        if "not modified" not in str(error).lower():
            raise
    await query.answer()


# --- /creators, /tier, /note, /block, /unblock ----------------------------------------------


async def creators_list(update: Update, ctx: BotContext) -> None:
    args = command_args(update)
    word = args[0].strip().lower() if args else ""
    if len(args) > 1 or word not in ("", "s", "a", "b", "mine", "overdue"):
        raise BadUsage("Choose S, A, B, mine or overdue.")
    now = ctx.services.clock.now()
    found, total = await ctx.services.creators.listing(
        tier=word.upper() if word in ("s", "a", "b") else None,
        owner_id=update.effective_user.id if word == "mine" else None,
        overdue_at=now if word == "overdue" else None, limit=LIST_CAP,
    )  # fmt: skip
    if not found:
        empty = {
            "overdue": N_("No creator has an overdue sample."),
            "mine": N_("You have no creators yet."),
        }.get(word, N_("No creators here yet."))
        await reply(update, ctx, ctx.t(empty))
        return
    lines = [ctx.t.n("{n} creator:", "{n} creators:", total).format(n=total)]
    for c in found:
        followers = ctx.t.number(c.followers) if c.followers is not None else "—"
        mark = " ⛔" if c.blocked_reason is not None else ""
        owner = await owner_label(ctx, c.owner_id)
        platform = platform_name(ctx.t, c.platform)
        lines.append(f"{c.tier} <b>{esc(c.handle)}</b> · {platform} · {followers} · {owner}{mark}")
    if total > len(found):
        lines.append(more(ctx, total - len(found)))
    await reply(update, ctx, "\n".join(lines))


def register(app: Application) -> None:
    command(
        app,
        "creator",
        creator_card,
        description=N_("a creator's card"),
        usage="/creator <handle> [platform]",
        roles={"bd"},
        chats=BD_CHATS,
    )
    command(
        app,
        "creators",
        creators_list,
        description=N_("list creators"),
        usage="/creators [S|A|B|mine|overdue]",
        roles={"bd"},
        chats=BD_CHATS,
    )
    button(app, "cr", on_button)
