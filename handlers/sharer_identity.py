"""Sharer identity (SPEC §3, §4): /bind with managers' approval, /invite and referral links,
/invite poster (the recruiting poster), /leader, /hide_me and /show_me.

Nobody sees figures of a sharer id until a manager has approved it for them: every figure
command looks the person up through `Sharers.by_user`, which only knows approved bindings.
"""

from __future__ import annotations

import asyncio

from telegram import Update
from telegram.constants import ParseMode
from telegram.ext import Application

from bot.context import BotContext
from bot.i18n import N_
from bot.poster import render_poster
from bot.services import Services
from handlers.common import BadUsage, command_args, deep_link, esc, mention, reply
from handlers.lookups import my_sharer
from handlers.lookups import sharer_refusal as refusal
from handlers.registry import button, command, on_start_payload, require
from storage.sharers import Sharer, SharerError


async def _grant_leader(services: Services, sharer: Sharer | None, actor_id: int) -> None:
    # A leader's Telegram account gets the leader role, so /team shows in their /help.
    if sharer is not None and sharer.is_leader and sharer.user_id is not None:
        now = services.clock.now()
        await services.users.grant(sharer.user_id, "leader", actor_id=actor_id, now=now)


async def bind(update: Update, ctx: BotContext) -> None:
    args = command_args(update)
    if len(args) != 1:
        raise BadUsage("Give your sharer id, as it appears in the shop's order export.")
    services, user = ctx.services, update.effective_user
    now = services.clock.now()
    try:
        request = await services.sharers.request_bind(user.id, args[0], now=now)
    except SharerError as exc:
        raise refusal(exc) from None
    managers = await services.chats.by_purpose("managers")
    targets = [managers.chat_id] if managers else sorted(services.settings.admin_ids)
    for chat_id in targets:
        t = await services.translator_for_chat(chat_id)
        text = t("{person} asks to be linked to sharer id {sharer_id}.").format(
            person=mention(user.id, user.full_name), sharer_id=esc(request.sharer_id)
        )
        buttons = [
            [(t("Approve"), f"bind:ok:{request.id}"), (t("Reject"), f"bind:no:{request.id}")]
        ]
        await services.outbox.enqueue(
            f"bind:{request.id}:{chat_id}", chat_id, text, due_at=now, now=now, buttons=buttons
        )
    await reply(
        update,
        ctx,
        ctx.t("Your request for sharer id {sharer_id} is with the managers; I will tell you "
              "their answer.").format(sharer_id=esc(request.sharer_id)),
    )  # fmt: skip


async def on_bind_button(update: Update, ctx: BotContext) -> None:
    query = update.callback_query
    require(ctx, "manager")
    _, verb, request_id = query.data.split(":")
    services, actor = ctx.services, update.effective_user
    repo = services.sharers
    try:
        request, inviter = await repo.decide(
            int(request_id), verb == "ok", actor_id=actor.id, now=services.clock.now()
        )
    except SharerError as exc:
        raise refusal(exc) from None
    approved = request.status == "approved"
    if approved:
        await _grant_leader(services, await repo.get(request.sharer_id), actor.id)
    await query.answer(ctx.t("Done."))
    decision = ctx.t("Approved by {name}.") if approved else ctx.t("Rejected by {name}.")
    await query.edit_message_text(
        f"{query.message.text_html}\n<b>{decision.format(name=esc(actor.full_name))}</b>",
        parse_mode=ParseMode.HTML,
    )
    t = await services.translator_for_chat(request.user_id)
    if approved:
        text = t("You are now linked to sharer id {sharer_id}: send /me to see your figures.")
    else:
        text = t("A manager did not approve linking you to sharer id {sharer_id}.")
    text = text.format(sharer_id=esc(request.sharer_id))
    if inviter is not None:
        text += "\n" + t("You joined through {name}'s invitation.").format(
            name=esc(inviter.display)
        )
    now = services.clock.now()
    await services.outbox.enqueue(
        f"bind:done:{request.id}", request.user_id, text, due_at=now, now=now
    )


async def invite(update: Update, ctx: BotContext) -> None:
    args = command_args(update)
    if args and (len(args) > 1 or args[0].lower() != "poster"):
        raise BadUsage("Say poster for a picture to share, or nothing for your link.")
    me = await my_sharer(ctx, update.effective_user.id)
    repo = ctx.services.sharers
    code = await repo.referral_code(me.sharer_id, now=ctx.services.clock.now())
    link = deep_link(ctx, f"r_{code}")
    if args:
        await _poster(update, ctx, me, link)
        return
    recruits = await repo.invitees(me.sharer_id)
    lines = [
        ctx.t("Your invitation link: {link}").format(link=link),
        ctx.t.n(
            "{n} person has joined through you so far.",
            "{n} people have joined through you so far.",
            len(recruits),
        ).format(n=len(recruits)),
    ]
    lines += [f"• {esc(r.display)}" for r in recruits[:50]]
    await reply(update, ctx, "\n".join(lines))


async def _poster(update: Update, ctx: BotContext, me: Sharer, link: str) -> None:
    """招募海报: the sharer's name, the brand's line and the QR code of their link, drawn off
    the event loop (a tenth of a second of Pillow work)."""
    t = ctx.t
    headline = t("{name} invites you to become a sharer").format(name=me.display)
    brand = ctx.services.settings.poster_line or t("Share what you love, earn on every order")
    png = await asyncio.to_thread(render_poster, headline, brand, link, t("Scan to join"))
    caption = t(
        "Your recruiting poster: save it and post it to WeChat Moments. Whoever scans it and "
        "joins counts as your invitee."
    )
    await ctx.bot.send_photo(
        update.effective_chat.id,
        png,
        caption=caption,
        reply_to_message_id=update.effective_message.message_id,
        allow_sending_without_reply=True,
    )


async def on_referral(update: Update, ctx: BotContext, code: str) -> None:
    repo, now = ctx.services.sharers, ctx.services.clock.now()
    try:
        outcome, inviter = await repo.open_referral(update.effective_user.id, code, now=now)
    except SharerError as exc:
        raise refusal(exc) from None
    name = esc(inviter.display)
    if outcome == "linked":
        text = ctx.t("You joined through {name}'s invitation. Welcome!").format(name=name)
    else:
        text = ctx.t(
            "Welcome! {name} invited you. Send /bind followed by your sharer id to link your "
            "account; the invitation counts once a manager approves it."
        ).format(name=name)
    await reply(update, ctx, text)


async def leader(update: Update, ctx: BotContext) -> None:
    args = command_args(update)
    if len(args) != 1:
        raise BadUsage("Give the sharer id of the new team leader.")
    services, actor = ctx.services, update.effective_user.id
    repo = services.sharers
    try:
        joined = await repo.make_leader(args[0], actor_id=actor, now=services.clock.now())
    except SharerError as exc:
        raise refusal(exc) from None
    sharer = await repo.get(args[0])
    await _grant_leader(services, sharer, actor)
    text = ctx.t.n(
        "{name} is now a team leader; {n} of their invitees joined the team.",
        "{name} is now a team leader; {n} of their invitees joined the team.",
        joined,
    )
    await reply(update, ctx, text.format(name=esc(sharer.display), n=joined))  # type: ignore[union-attr]


async def _set_hidden(update: Update, ctx: BotContext, hidden: bool) -> None:
    me = await my_sharer(ctx, update.effective_user.id)
    services = ctx.services
    await services.sharers.set_hidden(
        me.sharer_id, hidden, actor_id=update.effective_user.id, now=services.clock.now()
    )
    if hidden:
        await reply(
            update, ctx, ctx.t("You no longer appear on leaderboards (/show_me undoes it).")
        )
    else:
        await reply(update, ctx, ctx.t("You appear on leaderboards again."))


async def hide_me(update: Update, ctx: BotContext) -> None:
    await _set_hidden(update, ctx, True)


async def show_me(update: Update, ctx: BotContext) -> None:
    await _set_hidden(update, ctx, False)


def register(app: Application) -> None:
    command(app, "bind", bind, description=N_("link your sharer id to your account"),
            usage="/bind <sharer_id>", where="private")  # fmt: skip
    command(app, "invite", invite, description=N_("your invitation link and recruits"),
            usage="/invite [poster]", where="private")  # fmt: skip
    command(app, "leader", leader, description=N_("make a sharer a team leader"),
            usage="/leader <sharer_id>", roles={"manager"})  # fmt: skip
    command(app, "hide_me", hide_me, description=N_("leave the leaderboards"))
    command(app, "show_me", show_me, description=N_("appear on the leaderboards again"))
    button(app, "bind", on_bind_button)
    on_start_payload(app, "r", on_referral)
