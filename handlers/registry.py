"""Commands and buttons, registered with who may use them and where.

One registry feeds three things that must agree: the handlers themselves (with their role,
chat-type and chat-purpose gate), `/help` (only what this person may use here) and the
command menus.

Where a command belongs: `where` says private, group or any; `chats` names the registered
purposes of the groups it is answered in (None: every group). BD data — creator cards,
lists, the pipeline, exports, sales attributed to creators — is answered only in the BD and
managers' chats and in private (`BD_CHATS`), never in the sharers' group or an unregistered
group, whoever asks.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Literal

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.context import BotContext
from bot.domain.limits import MAX_ALERT, fit_plain, plain_text
from bot.i18n import N_
from handlers.common import BadUsage, Refuse, esc, is_private, reply

log = logging.getLogger(__name__)

Where = Literal["any", "private", "group"]
# Group purposes where BD data may be shown (private chats are always allowed).
BD_CHATS = frozenset({"bd", "managers"})
MANAGER_CHATS = frozenset({"managers"})
# The ads hand-over also happens in the ads team's chat.
ADS_CHATS = frozenset({"bd", "managers", "ads"})
# Shown in refusals; translated where used.
PURPOSE_PLACES = {
    "bd": N_("the BD chat"),
    "ads": N_("the ads chat"),
    "sharers": N_("the sharers' group"),
    "managers": N_("the managers' chat"),
}
Callback = Callable[[Update, BotContext], Awaitable[object]]

# A role implies the roles below it: an admin may do everything a manager may, and a manager
# supervises the BD and ads teams.
IMPLIED = {"admin": {"manager", "bd", "ads"}, "manager": {"bd", "ads"}}
# Shown in refusals; translated where used.
ROLE_NAMES = {
    "admin": N_("bot admin"),
    "manager": N_("manager"),
    "bd": N_("BD"),
    "ads": N_("ads team"),
    "leader": N_("team leader"),
    "sharer": N_("sharer"),
}


def expand(roles: Iterable[str]) -> frozenset[str]:
    result = set(roles)
    for role in list(result):
        result |= IMPLIED.get(role, set())
    return frozenset(result)


@dataclass(frozen=True)
class Command:
    name: str
    description: str  # message id
    usage: str  # e.g. "/tier <handle> <S|A|B> [reason]" (not translated: it is syntax)
    roles: frozenset[str] | None  # None: everyone
    where: Where
    menu: bool = True
    chats: frozenset[str] | None = None  # group purposes it belongs to; None: every group

    def belongs(self, private: bool, purpose: str | None) -> bool:
        """Whether the command is answered in this chat (private, or a group's purpose)."""
        if (self.where == "private" and not private) or (self.where == "group" and private):
            return False
        return private or self.chats is None or purpose in self.chats

    def allowed(self, roles: frozenset[str], private: bool, purpose: str | None = None) -> bool:
        if not self.belongs(private, purpose):
            return False
        return self.roles is None or bool(self.roles & roles)


def commands(app: Application) -> list[Command]:
    return app.bot_data.setdefault("commands", [])


def _gate(spec: Command, callback: Callback) -> Callback:
    async def gated(update: Update, ctx: BotContext) -> None:
        private = is_private(update)
        try:
            if spec.where == "private" and not private:
                raise Refuse("Please use /{name} in a private chat with me.", name=spec.name)
            if spec.where == "group" and private:
                raise Refuse("/{name} works in a group chat.", name=spec.name)
            if spec.roles is not None and not spec.roles & ctx.roles:
                needed = ctx.t.join(ctx.t(ROLE_NAMES[r]) for r in sorted(spec.roles))
                raise Refuse("/{name} is for: {roles}.", name=spec.name, roles=needed)
            if not private and spec.chats is not None:
                purpose = await chat_purpose(update, ctx)
                if purpose not in spec.chats:
                    places = ctx.t.join(ctx.t(PURPOSE_PLACES[p]) for p in sorted(spec.chats))
                    raise Refuse("/{name} is answered only in {places} or in a private chat"
                                 " with me.", name=spec.name, places=places)  # fmt: skip
            await callback(update, ctx)
        except BadUsage as refusal:
            usage = ctx.t("Usage: {usage}").format(usage=esc(ctx.t(spec.usage)))
            await reply(update, ctx, f"{refusal.render(ctx)}\n{usage}")
        except Refuse as refusal:
            await reply(update, ctx, refusal.render(ctx))

    return gated


def command(
    app: Application,
    name: str | tuple[str, ...],
    callback: Callback,
    *,
    description: str,
    usage: str | None = None,
    roles: Iterable[str] | None = None,
    where: Where = "any",
    menu: bool = True,
    group: int = 0,
    chats: Iterable[str] | None = None,
) -> None:
    """Register `/name` (and aliases: the first name is the one shown) behind its gate.

    `usage` is syntax; where it holds words (`(as a reply)`), mark it with N_ and translate.
    """
    names = (name,) if isinstance(name, str) else name
    spec = Command(
        name=names[0],
        description=description,
        usage=usage or f"/{names[0]}",
        roles=frozenset(roles) if roles is not None else None,
        where=where,
        menu=menu,
        chats=frozenset(chats) if chats is not None else None,
    )
    commands(app).append(spec)
    app.add_handler(CommandHandler(list(names), _gate(spec, callback)), group=group)


PayloadHandler = Callable[[Update, BotContext, str], Awaitable[object]]


def on_start_payload(app: Application, prefix: str, handler: PayloadHandler) -> None:
    """Route `/start <prefix>_<rest>` (a deep link t.me/<bot>?start=…) to a feature."""
    start_payloads(app)[prefix] = handler


def start_payloads(app: Application) -> dict[str, PayloadHandler]:
    return app.bot_data.setdefault("start_payloads", {})


def button(app: Application, prefix: str, callback: Callback) -> None:
    """Register inline buttons whose callback data starts with `prefix:`.

    A refusal answers the press with an alert (the message stays as it is).
    """

    async def guarded(update: Update, ctx: BotContext) -> None:
        query = update.callback_query
        try:
            await callback(update, ctx)
        except Refuse as refusal:
            # An alert shows no markup and holds at most 200 characters.
            alert = fit_plain(plain_text(refusal.render(ctx)), MAX_ALERT)
            await query.answer(alert, show_alert=True)

    app.add_handler(CallbackQueryHandler(guarded, pattern=f"^{prefix}:"))


async def chat_purpose(update: Update, ctx: BotContext) -> str | None:
    """What the group this update came from is registered for (None: private or unregistered)."""
    chat = update.effective_chat
    if chat is None or chat.type == "private":
        return None
    row = await ctx.services.chats.get(chat.id)
    return row.purpose if row is not None else None


async def require_chat(
    update: Update, ctx: BotContext, purposes: frozenset[str] = BD_CHATS
) -> None:
    """For buttons that show data kept to some chats: pressed only there (or in private)."""
    if not is_private(update) and await chat_purpose(update, ctx) not in purposes:
        raise Refuse("This is not shown in this chat.")


async def require_bd_chat(update: Update, ctx: BotContext) -> None:
    await require_chat(update, ctx, BD_CHATS)


def require(ctx: BotContext, *roles: str) -> None:
    """For buttons and sub-commands whose gate depends on the arguments."""
    if not set(roles) & ctx.roles:
        needed = ctx.t.join(ctx.t(ROLE_NAMES[r]) for r in sorted(roles))
        raise Refuse("This is for: {roles}.", roles=needed)
