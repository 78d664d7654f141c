"""/grant and /revoke: bot admins give and take roles, by reply or by user id."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application

from bot.context import BotContext
from bot.domain.args import parse_user_id
from bot.domain.money import DomainError
from bot.i18n import N_
from handlers.common import BadUsage, command_args, mention, reply
from handlers.lookups import refusal
from handlers.registry import ROLE_NAMES, command
from storage.users import ROLES


def _target(update: Update, ctx: BotContext, args: list[str]) -> tuple[int, str, str]:
    """(user id, display name, role) from a reply or from `<user_id> <role>`."""
    replied = update.effective_message.reply_to_message
    if (
        replied is not None
        and replied.from_user
        and not replied.from_user.is_bot
        and len(args) == 1
    ):
        return replied.from_user.id, replied.from_user.first_name, args[0].lower()
    if len(args) == 2:
        try:
            user_id = parse_user_id(args[0])
        except DomainError as error:
            raise refusal(error, ctx) from None
        return user_id, args[0], args[1].lower()
    raise BadUsage("Reply to the person's message with the role, or give their user id and role.")


async def _change(update: Update, ctx: BotContext, grant: bool) -> None:
    user_id, name, role = _target(update, ctx, command_args(update))
    if role not in ROLES:
        raise BadUsage("Unknown role {role}: use manager, bd, ads or leader.", role=role)
    repo, actor, now = ctx.services.users, update.effective_user.id, ctx.services.clock.now()
    known = await repo.get(user_id)
    name = known.first_name if known and known.first_name else name
    change = repo.grant if grant else repo.revoke
    changed = await change(user_id, role, actor_id=actor, now=now)
    if grant:
        text = ctx.t("{person} is now {role}.") if changed else ctx.t("{person} is {role} already.")
    else:
        text = (
            ctx.t("{person} is no longer {role}.") if changed else ctx.t("{person} was not {role}.")
        )
    await reply(
        update, ctx, text.format(person=mention(user_id, name), role=ctx.t(ROLE_NAMES[role]))
    )


async def grant(update: Update, ctx: BotContext) -> None:
    await _change(update, ctx, grant=True)


async def revoke(update: Update, ctx: BotContext) -> None:
    await _change(update, ctx, grant=False)


def register(app: Application) -> None:
    # Words in a usage line are translated: no English inside a Chinese answer.
    command(
        app,
        "grant",
        grant,
        description=N_("give someone a role"),
        usage=N_("/grant <role> (as a reply) | /grant <user_id> <role>"),
        roles={"admin"},
    )
    command(
        app,
        "revoke",
        revoke,
        description=N_("take a role back"),
        usage=N_("/revoke <role> (as a reply) | /revoke <user_id> <role>"),
        roles={"admin"},
    )
