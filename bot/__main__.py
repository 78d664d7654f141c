"""Command line: python -m bot run | console | import | import-sharers | import-creators |
import-faq | digest --print |
report week|month [PERIOD] [--xlsx FILE] | backup | copy-to URL | migrate."""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import hmac
import logging
import re
import secrets
import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from bot.config import ConfigError, Settings, load_settings
from bot.logs import hide, setup_logging
from bot.services import Services
from storage.open import StoreUnavailable

if TYPE_CHECKING:
    from telegram.ext import Application

log = logging.getLogger("bot")


# Telegram's rule for secret_token: 1-256 characters of A-Z, a-z, 0-9, _ and -.
_WEBHOOK_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")


def webhook_secret(settings: Settings) -> str:
    """WEBHOOK_SECRET, or one made up: a webhook without one would obey anyone who finds its
    URL (setWebhook hands Telegram whichever is used).

    Made up fresh per start on SQLite (one process). On PostgreSQL several processes may
    serve the webhook, each calling setWebhook: they must agree, so the secret is derived
    from the bot's token (which whoever could forge it holds already)."""
    configured = settings.webhook_secret.get_secret_value() if settings.webhook_secret else ""
    if not configured and settings.database().startswith(("postgresql://", "postgres://")):
        token = settings.token().encode()
        digest = hmac.new(token, b"crewbot webhook secret", hashlib.sha256).hexdigest()
        return digest[:48]
    if not configured:
        return secrets.token_urlsafe(32)
    if not _WEBHOOK_SECRET.fullmatch(configured):
        raise ConfigError("WEBHOOK_SECRET: 1-256 characters of A-Z, a-z, 0-9, _ and -")
    return configured


async def serve_webhook(
    app: Application, settings: Settings, secret: str, *, listen: str = "0.0.0.0"
) -> None:
    """Listen for Telegram's POSTs; one without this secret in its header gets 403. An
    update is answered once this process holds its chat (bot/processes.py)."""
    from bot.processes import hold_chats_on_arrival

    hide(secret)
    hold_chats_on_arrival(app)
    await app.updater.start_webhook(
        listen=listen,
        port=settings.port,
        url_path="telegram",
        webhook_url=(settings.webhook_url or "").rstrip("/") + "/telegram",
        secret_token=secret,
    )


async def _run(settings: Settings) -> None:
    from bot import app as application

    token = settings.token()
    hide(token)
    webhook = settings.webhook_url
    secret = webhook_secret(settings) if webhook else None
    services = await Services.create(settings)
    app = application.build_application(settings, services, token=token)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await application.start(app, polling=not webhook)
    if secret is not None:
        await serve_webhook(app, settings, secret)
    log.info("crewbot is running (%s)", "webhook" if webhook else "long polling")
    await stop.wait()
    await application.stop(app)
    await services.close()


async def _with_services(settings: Settings, action) -> int:  # type: ignore[no-untyped-def]
    services = await Services.create(settings)
    try:
        return await action(services)
    finally:
        await services.close()


async def _import(services: Services, kind: str, path: Path) -> int:
    from tqdm import tqdm

    from bot.imports import count_lines, import_file

    data = path  # read as a stream, never whole
    # A CSV's line count is a close enough total (a quoted cell may span lines); XLSX: none.
    with path.open("rb") as f:
        zipped = f.read(2) == b"PK"
    total = None if zipped else max(count_lines(path) - 1, 0) or None
    with tqdm(total=total, unit=" rows", unit_scale=True, desc=path.name, disable=None) as bar:

        async def progress(rows: int) -> None:
            bar.update(rows - bar.n)

        report = await import_file(services, kind, data, path.name, actor_id=None,
                                   progress=progress)  # fmt: skip
    print(report)
    return 0


async def _digest(services: Services, day: str | None) -> int:
    from datetime import date, timedelta

    from bot.domain.limits import plain_text
    from handlers.digest import build

    local = services.clock.now().astimezone(services.settings.tz).date()
    try:
        wanted = date.fromisoformat(day) if day else local - timedelta(days=1)
    except ValueError:
        raise ConfigError(f"--date {day}: not a date (YYYY-MM-DD)") from None
    t = services.i18n.get(services.settings.default_language)
    # Names are masked as in a chat that did not turn masking off (chat 0 has no settings).
    print("\n\n".join(plain_text(m) for m in await build(services, t, 0, wanted)))
    return 0


async def _report(services: Services, kind: str, when: str | None, xlsx: Path | None) -> int:
    from bot.domain.limits import plain_text
    from bot.domain.report import PeriodError, parse_period
    from handlers.report import build, gather, workbook

    today = services.clock.now().astimezone(services.settings.tz).date()
    try:
        period, first, last = parse_period(kind, when, today)
    except PeriodError as exc:
        raise ConfigError(f"{when}: not a {kind} that has started (2026-W48, 2026-11)") from exc
    t = services.i18n.get(services.settings.default_language)
    data = await gather(services, period, first, last)
    if xlsx is None:
        print("\n\n".join(plain_text(m) for m in await build(services, t, 0, data)))
        return 0
    xlsx.write_bytes(await workbook(services, t, data))
    print(f"{period.label} ({first} – {last}) written to {xlsx}")
    return 0


async def _backup(settings: Settings, target: Path) -> int:
    # The store alone and as it is: a backup neither migrates nor needs RULES_FILE.
    from storage.open import open_database
    from storage.pg import BackupUnavailable

    db = await open_database(settings.database(), pool_size=1)
    try:
        await db.backup(target)
    except BackupUnavailable as exc:
        raise ConfigError(f"backup: {exc}") from None
    except RuntimeError as exc:  # pg_dump ran and failed (a server newer than it, say)
        raise ConfigError(
            f"backup: {exc}; `python -m bot copy-to sqlite:///FILE` needs no pg_dump"
        ) from None
    finally:
        await db.close()
    print(f"backup written to {target}")
    return 0


async def _copy_to(settings: Settings, url: str) -> int:
    from tqdm import tqdm

    from storage.copy import CopyRefused, copy_database
    from storage.open import open_database, redacted

    source_url = settings.database()
    if url.rstrip("/") == source_url.rstrip("/"):
        raise ConfigError("copy-to: that is the bot's own database; name an empty one")
    source = await open_database(source_url, pool_size=2)
    try:
        target = await open_database(url, pool_size=2)
        try:
            with tqdm(unit=" rows", unit_scale=True, desc="copy-to", disable=None) as bar:

                def progress(done: int, total: int) -> None:
                    bar.total = total
                    bar.update(done - bar.n)

                report = await copy_database(source, target, progress=progress)
        except CopyRefused as exc:
            raise ConfigError(f"copy-to: {exc}") from None
        finally:
            await target.close()
    finally:
        await source.close()
    print(f"{redacted(source_url)} → {redacted(url)}")
    print("\n".join(report.lines()))
    if not report.ok:
        print("copy-to: the copy differs from the source (MISMATCH above)", file=sys.stderr)
        return 1
    return 0


async def _migrate(settings: Settings) -> int:
    # The store alone: a migration must not wait on RULES_FILE or KPI_FILE being valid.
    from storage.open import open_database, redacted

    url = settings.database()
    db = await open_database(url, pool_size=min(settings.database_pool_size, 2))
    try:
        applied = await db.migrate()
        version = await db.user_version()
    finally:
        await db.close()
    done = f"applied {', '.join(f'{n:04d}' for n in applied)}" if applied else "up to date"
    print(f"{redacted(url)}: {done}; database at version {version}")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description="crewbot")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("run", help="long polling (webhook when WEBHOOK_URL is set)")
    console = sub.add_parser("console", help="offline chat in the terminal")
    console.add_argument("--demo", action="store_true", help="load realistic sample data")
    console.add_argument("--script", type=Path, help="replay a transcript and print it")
    for name, what in (
        ("import", "orders"),
        ("import-sharers", "sharers"),
        ("import-creators", "creators"),
        ("import-faq", "faq"),
    ):
        cmd = sub.add_parser(name, help=f"import {what} from a CSV or XLSX file")
        cmd.add_argument("file", type=Path)
        cmd.set_defaults(kind=what)
    digest = sub.add_parser("digest", help="the managers' daily digest")
    digest.add_argument("--print", action="store_true", required=True, help="print it here")
    digest.add_argument("--date", help="the day it covers (YYYY-MM-DD; default yesterday)")
    report = sub.add_parser("report", help="the managers' weekly or monthly report")
    report.add_argument("kind", choices=("week", "month"))
    report.add_argument("period", nargs="?", help="2026-W48 or 2026-11 (default: the current one)")
    report.add_argument("--xlsx", type=Path, help="write it as a workbook instead of printing it")
    backup = sub.add_parser("backup", help="a consistent snapshot of the database")
    backup.add_argument("path", type=Path)
    copy_to = sub.add_parser("copy-to", help="copy the whole database into an empty one")
    copy_to.add_argument("url", help="sqlite:///FILE or postgresql://USER:PASSWORD@HOST:PORT/DB")
    sub.add_parser("migrate", help="apply database migrations")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    setup_logging(logging.WARNING if args.command == "console" else logging.INFO)
    try:
        settings = load_settings()
        if args.command == "run":
            asyncio.run(_run(settings))
            return 0
        if args.command == "console":
            from bot.offline.console import main as console_main

            return asyncio.run(console_main(settings, demo=args.demo, script=args.script))
        if args.command in ("import", "import-sharers", "import-creators", "import-faq"):
            if not args.file.is_file():
                raise ConfigError(f"{args.file}: no such file")
            return asyncio.run(_with_services(settings, lambda s: _import(s, args.kind, args.file)))
        if args.command == "digest":
            return asyncio.run(_with_services(settings, lambda s: _digest(s, args.date)))
        if args.command == "report":
            return asyncio.run(
                _with_services(settings, lambda s: _report(s, args.kind, args.period, args.xlsx))
            )
        if args.command == "backup":
            return asyncio.run(_backup(settings, args.path))
        if args.command == "copy-to":
            return asyncio.run(_copy_to(settings, args.url))
        return asyncio.run(_migrate(settings))
    except (ConfigError, StoreUnavailable) as exc:
        print(exc, file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
