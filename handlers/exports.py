"""/export creators|samples: the registry as CSV (UTF-8 with BOM, so Excel shows Chinese
correctly) and XLSX files — the samples sheet is the team's 达人信息登记表."""

from __future__ import annotations

import asyncio
import csv
import io
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from telegram import InputFile, Update
from telegram.ext import Application

from bot.context import BotContext
from bot.domain.limits import MAX_CAPTION
from bot.i18n import N_, Translator
from handlers.common import BadUsage, command_args, fitted
from handlers.lookups import platform_name
from handlers.registry import BD_CHATS, command
from handlers.stage_names import STAGE_NAMES, STATUS_NAMES
from storage.creators import CreatorRecord

Cell = str | int | None
Column = tuple[str, Callable[[Any], Cell]]


def _date(tz: ZoneInfo, moment: datetime | None) -> str:
    return "" if moment is None else moment.astimezone(tz).strftime("%Y-%m-%d")


def _pct(bp: int | None) -> Cell:
    return "" if bp is None else f"{bp / 100:g}%"


def creator_columns(t: Translator, tz: ZoneInfo) -> list[Column]:
    def owner(r: CreatorRecord) -> Cell:
        return r.owner_name or (t("unassigned") if r.owner_id == 0 else r.owner_id)

    return [
        (t("Creator"), lambda r: r.handle),
        (t("Platform"), lambda r: platform_name(t, r.platform)),
        (t("Tier"), lambda r: r.tier),
        (t("BD"), owner),
        (t("Followers"), lambda r: r.followers),
        (t("Category"), lambda r: r.category),
        (
            t("Status"),
            lambda r: t(STATUS_NAMES[r.status]) if r.status in STATUS_NAMES else r.status,
        ),
        (t("Blocked"), lambda r: r.blocked_reason or ""),
        (t("Fans 18+"), lambda r: _pct(r.adult_bp)),
        (t("Female fans"), lambda r: _pct(r.female_bp)),
        (t("Posts (30 days)"), lambda r: r.posts_30d),
        (t("Interaction rate"), lambda r: _pct(r.interaction_bp)),
        (t("Products (28 days)"), lambda r: r.products_28d),
        (t("Last contact"), lambda r: _date(tz, r.last_contact_at)),
    ]


def sample_columns(t: Translator, tz: ZoneInfo) -> list[Column]:
    stages = {stage.value: t(name) for stage, name in STAGE_NAMES.items()}
    return [
        (t("ID"), lambda r: f"#{r.id}"),
        (t("Creator"), lambda r: r.handle),
        (t("Tier"), lambda r: r.tier),
        (t("Sample date"), lambda r: _date(tz, r.shipped_at)),
        (t("Shipping order"), lambda r: r.shipping_order_id or ""),
        (t("Product"), lambda r: r.product),
        (t("BD"), lambda r: r.owner_name or r.owner_id),
        (t("Stage"), lambda r: stages.get(r.stage, r.stage)),
        (t("Video link"), lambda r: r.video_url or ""),
        (t("Code"), lambda r: r.code or ""),
        (t("Chases"), lambda r: r.chases),
    ]


def to_csv(header: Sequence[str], rows: list[list[Cell]]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(["" if v is None else v for v in row] for row in rows)
    return buffer.getvalue().encode("utf-8-sig")


def to_xlsx(title: str, header: Sequence[str], rows: list[list[Cell]]) -> bytes:
    from openpyxl import Workbook  # deferred: it brings numpy, ~20 MB the bot need not hold

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])  # Excel's limit on sheet names
    sheet.append(list(header))
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


async def export(update: Update, ctx: BotContext) -> None:
    args = command_args(update)
    what = args[0].lower() if len(args) == 1 else ""
    if what not in ("creators", "samples"):
        raise BadUsage("Choose creators or samples.")
    tz = ctx.services.settings.tz
    if what == "creators":
        title, columns = ctx.t("creator list"), creator_columns(ctx.t, tz)
        records: Sequence[object] = await ctx.services.creators.export_creators()
    else:
        title, columns = ctx.t("creator register"), sample_columns(ctx.t, tz)
        records = await ctx.services.creators.export_samples()
    rows = [[get(record) for _, get in columns] for record in records]
    header = [name for name, _ in columns]
    today = ctx.services.clock.now().astimezone(tz).date()
    name = f"{title}-{today.isoformat()}"
    caption = fitted(
        ctx, ctx.t.n("{n} row", "{n} rows", len(rows)).format(n=len(rows)), MAX_CAPTION
    )
    message = update.effective_message
    # Writing thousands of rows is CPU work: on a thread, so that others are answered meanwhile.
    as_csv = await asyncio.to_thread(to_csv, header, rows)
    await message.reply_document(InputFile(as_csv, filename=f"{name}.csv"), caption=caption)
    as_xlsx = await asyncio.to_thread(to_xlsx, title, header, rows)
    await message.reply_document(InputFile(as_xlsx, filename=f"{name}.xlsx"), caption=caption)


def register(app: Application) -> None:
    command(app, "export", export, roles={"bd"}, chats=BD_CHATS,
            description=N_("the registry as CSV and XLSX"),
            usage="/export creators|samples")  # fmt: skip
