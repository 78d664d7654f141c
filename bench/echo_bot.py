"""The bots bench/bench_system.py runs, each in a process of its own, polling a Bot API server.

    .venv/bin/python bench/echo_bot.py --base-url http://127.0.0.1:PORT/bot           # echo
    .venv/bin/python bench/echo_bot.py --crewbot --db PATH --base-url URL             # crewbot

- echo: a bare python-telegram-bot Application with one MessageHandler that answers every text
  with itself (quoting it, as crewbot quotes the command it answers), built with the builder
  options crewbot uses in the tests: concurrent updates, AIORateLimiter with no rates, and
  (bench_system passes them) crewbot's Bot API connection pool size and pool wait;
- crewbot: `bot.app.build_application(..., rate_limited=False)` on real Services over PATH,
  started by `bot.app.start` (command menus, scheduler, long polling) as the tests start it.
  The scheduler ticks once a day, so that due reminders do not mix with the replies counted.

Both print "ready" once polling and stop cleanly on SIGTERM (so a profiler wrapped around
them writes its file).
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from telegram import Update
from telegram.ext import AIORateLimiter, Application, ContextTypes, MessageHandler, filters

TOKEN = "123456:BENCH"


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    await message.reply_text(message.text, do_quote=True)


def echo_application(base_url: str, pool: int | None, pool_wait: float | None) -> Application:
    builder = (
        Application.builder()
        .token(TOKEN)
        .base_url(base_url)
        .concurrent_updates(True)
        .rate_limiter(AIORateLimiter(overall_max_rate=0, group_max_rate=0, max_retries=2))
    )
    if pool is not None:
        builder = builder.connection_pool_size(pool)
    if pool_wait is not None:
        builder = builder.pool_timeout(pool_wait)
    app = builder.build()
    app.add_handler(MessageHandler(filters.TEXT, echo))
    return app


async def serve(
    base_url: str, db: Path | None, pool: int | None = None, pool_wait: float | None = None
) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    if db is None:
        app = echo_application(base_url, pool, pool_wait)
        await app.initialize()
        await app.start()
        await app.updater.start_polling(poll_interval=0, timeout=10)
        print("ready", flush=True)
        await stop.wait()
        await app.updater.stop()
        await app.stop()
        await app.shutdown()
        return
    from bot import app as application
    from bot.config import load_settings
    from bot.services import Services

    settings = load_settings(
        telegram_bot_token=TOKEN, telegram_base_url=base_url, database_path=db,
        admin_ids="1", tick_every="1d",
    )  # fmt: skip
    services = await Services.create(settings)
    bot = application.build_application(
        settings, services, base_url=base_url, token=TOKEN, rate_limited=False
    )
    await application.start(bot, poll_timeout=10)
    print("ready", flush=True)
    await stop.wait()
    await application.stop(bot)
    await services.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--crewbot", action="store_true", help="crewbot instead of the echo")
    parser.add_argument("--db", type=Path, help="with --crewbot: the database")
    parser.add_argument("--pool", type=int, help="echo: Bot API connections (crewbot's own)")
    parser.add_argument("--pool-wait", type=float, help="echo: seconds a call may wait for one")
    args = parser.parse_args()
    if args.crewbot and args.db is None:
        parser.error("--crewbot needs --db")
    asyncio.run(serve(args.base_url, args.db if args.crewbot else None, args.pool, args.pool_wait))


if __name__ == "__main__":
    main()
