"""The one place where the Application is put together: handlers, jobs, rate limiter, errors."""

from __future__ import annotations

import logging

from telegram import (
    BotCommand,
    BotCommandScope,
    BotCommandScopeAllChatAdministrators,
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
)
from telegram.error import TelegramError
from telegram.ext import AIORateLimiter, Application, ContextTypes

from bot import jobs
from bot.config import Settings
from bot.context import BotContext
from bot.send_budget import ReplyFirstLimiter
from bot.services import Services
from bot.update_order import ChatOrderProcessor
from handlers import register_all
from handlers.registry import Command, commands

log = logging.getLogger(__name__)

# Connections to the Bot API for everything but getUpdates, and how long a call may wait for
# one (a wait in our own queue, not a network timeout).
CONNECTIONS = 32
POOL_WAIT = 20.0

# Telegram scopes menus by two-letter language code only, so zh_Hant shares "zh" with zh_Hans.
MENU_LANGUAGES = {"zh": "zh_Hans", "en": "en"}
# Updates handled at once, across chats: kept near the Bot API pool's connections, so a reply
# rarely waits for a free connection (the pool's scan grows with its waiters).
UPDATES_AT_ONCE = 64


def build_application(
    settings: Settings,
    services: Services,
    *,
    base_url: str | None = None,
    base_file_url: str | None = None,
    token: str | None = None,
    rate_limited: bool = True,
) -> Application:
    builder = (
        Application.builder()
        .token(token or settings.token())
        .base_url(base_url or settings.telegram_base_url)
        .context_types(ContextTypes(context=BotContext))
        .concurrent_updates(ChatOrderProcessor(max_concurrent_updates=UPDATES_AT_ONCE))
    )
    if base_file_url:
        builder = builder.base_file_url(base_file_url)
    # httpcore's pool scans every connection for each idle one on each request, so its cost
    # grows with the square of the pool: a few dozen connections carry the replies.
    builder = builder.connection_pool_size(CONNECTIONS).pool_timeout(POOL_WAIT)
    if rate_limited:
        builder = builder.rate_limiter(ReplyFirstLimiter(max_retries=2))
    else:
        # The console and the tests talk to a local stand-in that has no flood limits.
        builder = builder.rate_limiter(
            AIORateLimiter(overall_max_rate=0, group_max_rate=0, max_retries=2)
        )
    app = builder.build()
    app.bot_data["services"] = services
    register_all(app)
    return app


def _menu(specs: list[Command], scope: str) -> list[Command]:
    def fits(spec: Command) -> bool:
        if not spec.menu:
            return False
        if scope == "private":
            return spec.where != "group" and (spec.roles is None or "sharer" in spec.roles)
        if scope == "group":
            return spec.where != "private" and spec.roles is None
        return spec.where != "private"  # group admins

    return [spec for spec in specs if fits(spec)]


async def set_command_menus(app: Application) -> None:
    services: Services = app.bot_data["services"]
    scopes: dict[str, BotCommandScope] = {
        "private": BotCommandScopeAllPrivateChats(),
        "group": BotCommandScopeAllGroupChats(),
        "admins": BotCommandScopeAllChatAdministrators(),
    }
    languages = [(None, services.i18n.default), *MENU_LANGUAGES.items()]
    for key, scope in scopes.items():
        specs = _menu(commands(app), key)
        for code, locale in languages:
            t = services.i18n.get(locale)
            menu = [BotCommand(spec.name, t(spec.description)[:256]) for spec in specs]
            await app.bot.set_my_commands(menu, scope=scope, language_code=code)


async def start(app: Application, *, polling: bool = True, poll_timeout: float = 10) -> None:
    """Initialise, set up the Telegram side, start handlers and jobs, and poll for updates.

    Used by `run`, the console and the tests alike (PTB's post_init runs only under
    run_polling/run_webhook, so the set-up is called here explicitly).
    """
    await app.initialize()
    await _telegram_setup(app)
    await app.start()
    if polling and app.updater is not None:
        await app.updater.start_polling(poll_interval=0, timeout=poll_timeout)


async def stop(app: Application) -> None:
    if app.updater is not None and app.updater.running:
        await app.updater.stop()
    if app.running:
        await app.stop()
    await app.shutdown()


async def _telegram_setup(app: Application) -> None:
    services: Services = app.bot_data["services"]
    try:
        await set_command_menus(app)
    except TelegramError as exc:
        # Menus are a convenience: a server that refuses them must not keep the bot down.
        log.warning("could not set the command menus: %s", exc)
    if app.job_queue is not None:
        jobs.start_scheduler(app, services.settings.tick_every)
