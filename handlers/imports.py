"""Order and roster imports (SPEC §3): a manager sends the shop's export (or the sharer roster)
as a document in a private chat with the caption /import (or /import_sharers); the CLI runs
the same code for `python -m bot import FILE` and `python -m bot import-sharers FILE`.
"""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Awaitable, Callable

from telegram import Update
from telegram.ext import Application, MessageHandler, filters

from bot.context import BotContext
from bot.domain.orders import ORDER_ALIASES, RowError
from bot.domain.tables import MissingColumns, Table, TableError, read_table
from bot.i18n import N_, Translator
from bot.services import Services
from handlers.common import BadUsage, Refuse, esc, is_private, reply
from handlers.registry import ROLE_NAMES, command
from storage.orders import OrderImport, Orders
from storage.roster import ROSTER_ALIASES, Roster, RosterImport

MAX_DOWNLOAD = 20 * 1024 * 1024  # the Bot API's getFile limit
SHOWN = 20  # lines listed before "… and N more"
Importer = Callable[[Services, Translator, bytes, str, int | None], Awaitable[str]]
Result = OrderImport | RosterImport

# bot.domain.tables.TableError codes: the whole file is refused and nothing changes.
TABLE_ERRORS = {
    "unsupported_format": N_("{filename} is not a CSV or XLSX file."),
    "empty": N_("{filename} is empty."),
    "broken_quoting": N_("{filename} cannot be read: a quote is not closed on line {line}."),
    "unreadable_encoding": N_("{filename} is neither UTF-8 nor GBK text."),
    "unreadable": N_("{filename} is damaged and cannot be read as XLSX."),
}
# Row errors (bot.domain.orders.RowError, storage.roster): the row is skipped. Money errors
# are told apart by the domain's reason (bot.domain.money.MoneyError codes).
ROW_ERRORS = {
    "missing_order_id": N_("line {line}: no order id"),
    "bad_date": N_("line {line}: cannot read the time {value} (write 2026-11-05 14:30)"),
    "bad_amount": N_("line {line}: the amount {value} is not a number"),
    "bad_amount:empty": N_("line {line}: no amount"),
    "bad_amount:bad_thousands": N_(
        "line {line}: the amount {value} is ambiguous: use a dot for decimals, commas only "
        "between thousands (1,234.50)"
    ),
    "bad_amount:too_many_decimals": N_("line {line}: the amount {value} has more than 2 decimals"),
    "negative_amount": N_("line {line}: the amount {value} is negative"),
    "bad_refund": N_("line {line}: the refund {value} is not a number"),
    "bad_refund:bad_thousands": N_(
        "line {line}: the refund {value} is ambiguous: use a dot for decimals, commas only "
        "between thousands (1,234.50)"
    ),
    "bad_refund:too_many_decimals": N_("line {line}: the refund {value} has more than 2 decimals"),
    "negative_refund": N_("line {line}: the refund {value} is negative"),
    "refund_exceeds_amount": N_(
        "line {line}: the refund {refund} is more than the amount {amount}"
    ),
    "bad_quantity": N_("line {line}: the quantity {value} is not a whole number above 0"),
    "bad_status": N_("line {line}: unknown status {value} (paid, refunded or cancelled)"),
    "missing_sharer_id": N_("line {line}: no sharer id"),
    "self_referral": N_("line {line}: {sharer} cannot be their own inviter"),
    "cycle": N_(
        "line {line}: {inviter} cannot be the inviter of {sharer}, who is above them in the "
        "inviter tree"
    ),
}
_UNKNOWN_ROW = N_("line {line}: cannot be read")


def row_error(t: Translator, error: RowError) -> str:
    params = error.params
    message = ROW_ERRORS.get(f"{error.code}:{params.get('reason')}") or ROW_ERRORS.get(
        error.code, _UNKNOWN_ROW
    )
    values = {k: esc(f"“{v}”" if k == "value" else v) for k, v in params.items()}
    for key in ("refund", "amount"):
        if isinstance(params.get(key), int):
            values[key] = t.money(params[key])
    return t(message).format(line=error.line, **values)


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _read(t: Translator, data: bytes, filename: str, aliases: dict[str, tuple[str, ...]]) -> Table:
    try:
        return read_table(data, filename)
    except TableError as exc:
        raise _table_refusal(t, exc, filename, aliases) from None


class _Answer(Exception):
    """A whole-file problem: the import stops and this (already translated) text is the reply."""


def _table_refusal(
    t: Translator, exc: TableError, filename: str, aliases: dict[str, tuple[str, ...]]
) -> _Answer:
    if isinstance(exc, MissingColumns):
        missing = ", ".join("/".join(aliases.get(f, (f,))) for f in exc.missing)
        found = ", ".join(exc.found) or "—"
        text = t("The file lacks the columns {missing}. Headers found: {found}. Nothing imported.")
        return _Answer(text.format(missing=esc(missing), found=esc(found)))
    message = TABLE_ERRORS.get(exc.code, TABLE_ERRORS["unreadable"])
    return _Answer(t(message).format(filename=esc(filename), line=exc.params.get("line", "?")))


def _listing(t: Translator, lines: list[str]) -> list[str]:
    shown = lines[:SHOWN]
    if len(lines) > SHOWN:
        shown.append(t("… and {n} more.").format(n=t.number(len(lines) - SHOWN)))
    return shown


def _ids(t: Translator, ids: list[str]) -> str:
    text = ", ".join(esc(i) for i in ids[:SHOWN])
    if len(ids) > SHOWN:
        text += " " + t("… and {n} more.").format(n=t.number(len(ids) - SHOWN))
    return text


def _counts(t: Translator, message: str, filename: str, r: Result) -> str:
    n = t.number
    return t(message).format(
        filename=esc(filename), read=n(r.read), new=n(r.new), updated=n(r.updated),
        unchanged=n(r.unchanged), rejected=n(r.rejected),
    )  # fmt: skip


def _details(t: Translator, r: Result) -> list[str]:
    out: list[str] = []
    if r.errors:
        out += ["", t("Rows skipped:")]
        out += _listing(t, [row_error(t, e) for e in r.errors])
    if r.duplicates:
        out += ["", t("Listed more than once; the later row counts:")]
        replaced = [t("line {line}: {key}").format(line=n, key=esc(k)) for n, k in r.duplicates]
        out += _listing(t, replaced)
    return out


ORDER_COUNTS = N_(
    "Orders from {filename}: {read} rows read, {new} new, {updated} updated, "
    "{unchanged} unchanged, {rejected} rejected."
)
ROSTER_COUNTS = N_(
    "Sharers from {filename}: {read} rows read, {new} new, {updated} updated, "
    "{unchanged} unchanged, {rejected} rejected."
)


def _summary(
    t: Translator, counts: str, filename: str, r: Result, tail: str, ids: list[str]
) -> str:
    """The reply to an import: counts, skipped and repeated lines, then ids worth a look."""
    if not r.read:
        text = t("{filename} has a header but no rows: nothing imported.")
        return text.format(filename=esc(filename))
    lines = [_counts(t, counts, filename, r), *_details(t, r)]
    if ids:
        lines += ["", tail, _ids(t, ids)]
    return "\n".join(lines)


async def orders_report(
    services: Services, t: Translator, data: bytes, filename: str, actor_id: int | None
) -> str:
    """Import an order export and say what happened, in `t`'s language."""
    try:
        table = _read(t, data, filename, ORDER_ALIASES)
        result = await services.repo(Orders).import_table(
            table, services.settings.tz, now=services.clock.now(), actor_id=actor_id,
            filename=filename, file_hash=_sha(data),
        )  # fmt: skip
    except TableError as exc:
        return str(_table_refusal(t, exc, filename, ORDER_ALIASES))
    except _Answer as answer:
        return str(answer)
    unbound = t("Sharer ids not bound to a Telegram account yet ({n}):").format(
        n=t.number(len(result.unbound))
    )
    return _summary(t, ORDER_COUNTS, filename, result, unbound, result.unbound)


async def roster_report(
    services: Services, t: Translator, data: bytes, filename: str, actor_id: int | None
) -> str:
    """Import a sharer roster and say what happened, in `t`'s language."""
    try:
        table = _read(t, data, filename, ROSTER_ALIASES)
        result = await services.repo(Roster).import_table(
            table, now=services.clock.now(), actor_id=actor_id, filename=filename,
            file_hash=_sha(data),
        )  # fmt: skip
    except TableError as exc:
        return str(_table_refusal(t, exc, filename, ROSTER_ALIASES))
    except _Answer as answer:
        return str(answer)
    added = t("Named as inviter or leader but not in the file, added by id:")
    return _summary(t, ROSTER_COUNTS, filename, result, added, result.placeholders)


# --- the command line (bot/__main__.py) ----------------------------------------------------


async def import_orders_file(
    services: Services, data: bytes, filename: str, *, actor_id: int | None
) -> str:
    report = await orders_report(services, services.i18n.get(None), data, filename, actor_id)
    return html.unescape(report)  # a terminal, not an HTML reply


async def import_roster_file(
    services: Services, data: bytes, filename: str, *, actor_id: int | None
) -> str:
    report = await roster_report(services, services.i18n.get(None), data, filename, actor_id)
    return html.unescape(report)


# --- Telegram ------------------------------------------------------------------------------


def _document_gate(name: str, run: Importer) -> Callable[[Update, BotContext], Awaitable[None]]:
    """What registry.command does for text commands, for a document with a command caption."""
    caption = re.compile(rf"^/{name}(?:@(\w+))?(?:\s|$)")

    async def gated(update: Update, ctx: BotContext) -> None:
        message = update.effective_message
        match = caption.match(message.caption or "")
        if match is None or (match[1] and match[1].lower() != ctx.bot.username.lower()):
            return  # another bot's command
        try:
            if not is_private(update):
                raise Refuse("Please use /{name} in a private chat with me.", name=name)
            if "manager" not in ctx.roles:
                raise Refuse(
                    "/{name} is for: {roles}.", name=name, roles=ctx.t(ROLE_NAMES["manager"])
                )
            doc = message.document
            if doc.file_size and doc.file_size > MAX_DOWNLOAD:
                raise Refuse("The file is too big for a chat upload (20 MB at most); "
                             "run python -m bot import on the server instead.")  # fmt: skip
            data = bytes(await (await ctx.bot.get_file(doc.file_id)).download_as_bytearray())
        except Refuse as refusal:
            await reply(update, ctx, refusal.render(ctx))
            return
        filename = doc.file_name or "upload.csv"
        await reply(
            update, ctx, await run(ctx.services, ctx.t, data, filename, update.effective_user.id)
        )

    return gated


async def _send_the_file(update: Update, ctx: BotContext) -> None:
    raise BadUsage("Send the order export (CSV or XLSX) as a file, with /import as its caption.")


async def _send_the_roster(update: Update, ctx: BotContext) -> None:
    raise BadUsage(
        "Send the sharer roster (CSV or XLSX) as a file, with /import_sharers as its caption."
    )


def register(app: Application) -> None:
    command(app, "import", _send_the_file, description=N_("import the shop's order export"),
            usage="/import + CSV/XLSX", roles={"manager"}, where="private")  # fmt: skip
    command(app, "import_sharers", _send_the_roster, description=N_("import the sharer roster"),
            usage="/import_sharers + CSV/XLSX", roles={"manager"}, where="private")  # fmt: skip
    for name, run in (("import", orders_report), ("import_sharers", roster_report)):
        documents = filters.Document.ALL & filters.CaptionRegex(rf"^/{name}(@\w+)?(\s|$)")
        app.add_handler(MessageHandler(documents, _document_gate(name, run)))


__all__ = ["import_orders_file", "import_roster_file", "orders_report", "register", "roster_report"]
