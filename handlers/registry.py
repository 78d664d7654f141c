"""Commands and buttons, registered with who may use them and where.

One registry feeds three things that must agree: the handlers themselves (with their role
and chat-type gate), `/help` (only what this person may use here) and the command menus.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Literal

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.context import BotContext
from bot.i18n import N_
from handlers.common import BadUsage, Refuse, esc, is_private, reply

log = logging.getLogger(__name__)

Where = Literal["any", "private", "group"]
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

    def allowed(self, roles: frozenset[str], private: bool) -> bool:
        if (self.where == "private" and not private) or (self.where == "group" and private):
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
                needed = ", ".join(ctx.t(ROLE_NAMES[r]) for r in sorted(spec.roles))
                raise Refuse("/{name} is for: {roles}.", name=spec.name, roles=needed)
            await callback(update, ctx)
        except BadUsage as refusal:
            usage = ctx.t("Usage: {usage}").format(usage=esc(spec.usage))
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
) -> None:
    """Register `/name` (and aliases: the first name is the one shown) behind its gate."""
    names = (name,) if isinstance(name, str) else name
    spec = Command(
        name=names[0],
        description=description,
        usage=usage or f"/{names[0]}",
        roles=frozenset(roles) if roles is not None else None,
        where=where,
        menu=menu,
    )
    commands(app).append(spec)
    app.add_handler(CommandHandler(list(names), _gate(spec, callback)), group=group)


def button(app: Application, prefix: str, callback: Callback) -> None:
    """Register inline buttons whose callback data starts with `prefix:`.

    A refusal answers the press with an alert (the message stays as it is).
    """

    async def guarded(update: Update, ctx: BotContext) -> None:
        query = update.callback_query
        try:
            await callback(update, ctx)
        except Refuse as refusal:
            await query.answer(refusal.render(ctx), show_alert=True)

    app.add_handler(CallbackQueryHandler(guarded, pattern=f"^{prefix}:"))


def require(ctx: BotContext, *roles: str) -> None:
    """For buttons and sub-commands whose gate depends on the arguments."""
    if not set(roles) & ctx.roles:
        needed = ", ".join(ctx.t(ROLE_NAMES[r]) for r in sorted(roles))
        raise Refuse("This is for: {roles}.", roles=needed)
