"""Imports in chat (SPEC §3, §2): a manager sends the shop's order export, the sharer roster
or a creators export as a document in a private chat, captioned /import, /import_sharers or
/import_creators. The use cases are bot.imports' (the command line runs the same ones); this
module is the one document gate (who, where, how big, what type: all decided before the file
is downloaded) and the progress message. The file goes to a temporary file, read from there
as a stream, never held whole in memory.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path

from telegram import Document, Message, Update
from telegram.constants import ParseMode
from telegram.ext import Application, MessageHandler, filters

from bot import imports
from bot.context import BotContext
from bot.i18n import N_
from handlers.common import BadUsage, Refuse, esc, fitted, is_private, reply
from handlers.registry import ROLE_NAMES, command

_TABLES = {"csv", "tsv", "txt", "xlsx", "xlsm"}
_MARKDOWN = {"md", "markdown"}
# What phones and desktops call CSV, XLSX and Markdown files (a generic one only beside a
# name that says which).
_MIMES = {
    "text/csv", "text/comma-separated-values", "text/tab-separated-values", "text/plain",
    "application/csv", "application/vnd.ms-excel", "text/markdown", "text/x-markdown",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.ms-excel.sheet.macroenabled.12",
}  # fmt: skip
_GENERIC = {"application/octet-stream", "application/zip", ""}
_HOW = {
    "orders": N_("Send the order export (CSV or XLSX) as a file, with /import as its caption."),
    "sharers": N_(
        "Send the sharer roster (CSV or XLSX) as a file, with /import_sharers as its caption."
    ),
    "creators": N_("Send me the creators file (CSV or XLSX) with the caption /import_creators."),
    "faq": N_(
        "Send the FAQ (CSV or XLSX with question and answer columns, or Markdown with "
        "## question headings) as a file, with /import_faq as its caption."
    ),
}
_WHAT = {
    "orders": N_("import the shop's order export"),
    "sharers": N_("import the sharer roster"),
    "creators": N_("import creators from a file"),
    "faq": N_("import FAQ entries from a file"),
}


def _document_gate(kind: imports.ImportKind) -> Callable[[Update, BotContext], Awaitable[None]]:
    """What registry.command does for text commands, for a document with a command caption."""
    caption = re.compile(rf"^/{kind.command}(?:@(\w+))?(?:\s|$)")

    async def gated(update: Update, ctx: BotContext) -> None:
        message = update.effective_message
        match = caption.match(message.caption or "")
        if match is None or (match[1] and match[1].lower() != ctx.bot.username.lower()):
            return  # another bot's command
        name = kind.command
        try:
            if not is_private(update):
                raise Refuse("Please use /{name} in a private chat with me.", name=name)
            if "manager" not in ctx.roles:
                raise Refuse(
                    "/{name} is for: {roles}.", name=name, roles=ctx.t(ROLE_NAMES["manager"])
                )
            doc = message.document
            _check_document(ctx, kind, doc)
        except Refuse as refusal:
            await reply(update, ctx, refusal.render(ctx))
            return
        with tempfile.TemporaryDirectory(prefix="crewbot-import-") as folder:
            path = Path(folder) / "upload"
            await (await ctx.bot.get_file(doc.file_id)).download_to_drive(path)
            await _run(update, ctx, kind, path, doc.file_name or f"{kind.name}.csv")

    return gated


async def _run(
    update: Update, ctx: BotContext, kind: imports.ImportKind, data: Path, filename: str
) -> None:
    """The import, with one "processing…" message edited as rows are read (only when it takes
    longer than imports.PROGRESS_EVERY), which the report then replaces."""
    shown: list[Message] = []

    async def progress(rows: int) -> None:
        text = ctx.t("Processing {filename}… {n} rows read so far.").format(
            filename=esc(filename), n=ctx.t.number(rows)
        )
        if shown:
            await shown[0].edit_text(text, parse_mode=ParseMode.HTML)
        elif (sent := await reply(update, ctx, text)) is not None:
            shown.append(sent)

    report = await imports.run_import(
        ctx.services, kind, data, filename, actor_id=update.effective_user.id, t=ctx.t,
        progress=progress, every=imports.PROGRESS_EVERY,
        limits=imports.upload_limits(ctx.services.settings),
    )  # fmt: skip
    if not shown:
        await reply(update, ctx, report)
        return
    await shown[0].edit_text(
        fitted(ctx, report), parse_mode=ParseMode.HTML, disable_web_page_preview=True
    )


def _check_document(ctx: BotContext, kind: imports.ImportKind, doc: Document) -> None:
    """Refuse, before any download, a file too big or not a table (by its name and type)."""
    name, mime = doc.file_name or "", (doc.mime_type or "").lower()
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    allowed = _TABLES | (_MARKDOWN if kind.name == "faq" else set())
    # The name says what it is, and its type must not say otherwise; no name: the type says.
    named = ext in allowed and mime in _MIMES | _GENERIC
    if not (named if ext else mime in _MIMES):
        raise Refuse("{filename} is not a CSV or XLSX file.", filename=name or "?")
    limit = ctx.services.settings.import_max_file_mb
    if doc.file_size and doc.file_size > limit * 1024 * 1024:
        raise Refuse("The file is too big for a chat upload ({mb} MB at most); run python -m "
                     "bot import on the server instead.", mb=limit)  # fmt: skip


def _how(kind: imports.ImportKind) -> Callable[[Update, BotContext], Awaitable[None]]:
    async def explain(update: Update, ctx: BotContext) -> None:
        raise BadUsage(_HOW[kind.name])

    return explain


def register(app: Application) -> None:
    for kind in imports.KINDS.values():
        command(app, kind.command, _how(kind), description=_WHAT[kind.name],
                usage=f"/{kind.command} + CSV/XLSX", roles={"manager"},
                where="private")  # fmt: skip
        documents = filters.Document.ALL & filters.CaptionRegex(rf"^/{kind.command}(@\w+)?(\s|$)")
        app.add_handler(MessageHandler(documents, _document_gate(kind)))


__all__ = ["register"]
