"""Screening (SPEC §2, 选达人): /creator_stats, /find, and importing a marketplace export of
creators (`python -m bot import-creators FILE`, or a file sent in DM with /import_creators)."""

from __future__ import annotations

from decimal import Decimal

from telegram import Update
from telegram.ext import Application, MessageHandler, filters

from bot.context import BotContext
from bot.domain.creators import (
    handle_key,
    normalize_handle,
    parse_followers,
    parse_platform,
    parse_tier,
)
from bot.domain.money import DomainError
from bot.domain.screening import band_of, find, matches, parse_find_args, parse_stats_pairs
from bot.domain.tables import MissingColumns, TableError, map_headers, read_table
from bot.i18n import N_, Translator
from bot.services import Services
from handlers.common import BadUsage, Refuse, command_args, esc, is_private, reply
from handlers.creators_registry import find_creator, refusal, repo
from handlers.registry import command, require
from storage.creators import Creators, column_values

FIND_LIMIT = 10
MAX_LISTED_ERRORS = 20
# Marketplace exports (English or Chinese headers); the earlier alias wins on a tie.
ALIASES: dict[str, tuple[str, ...]] = {
    "handle": ("handle", "creator", "达人昵称", "达人账号", "达人名称", "達人暱稱", "達人帳號"),
    "platform": ("platform", "平台"),
    "tier": ("tier", "等级", "层级", "等級", "層級"),
    "followers": ("followers", "粉丝数", "粉丝量", "粉絲數"),
    "categories": ("category", "categories", "主营类目", "类目", "主營類目", "類目"),
    "adult": ("adult", "18岁以上占比", "18歲以上佔比"),
    "female": ("female", "女性粉丝占比", "女性粉絲佔比"),
    "posts": ("posts", "近30天作品数", "近30天作品數"),
    "interaction": ("interaction", "互动率", "互動率"),
    "products": ("products", "近28天推广商品数", "近28天推廣商品數"),
    "owner": ("owner", "owner_id", "负责商务", "負責商務", "商务", "BD"),
}
STAT_KEYS = ("categories", "adult", "female", "posts", "interaction", "products")
TABLE_ERRORS = {
    "unsupported_format": N_("{file} is not a CSV or XLSX file."),
    "empty": N_("{file} is empty."),
    "broken_quoting": N_("{file}: a quote is broken on line {line}."),
    "unreadable_encoding": N_("{file} is not UTF-8 or GBK text."),
    "unreadable": N_("{file} cannot be read as XLSX."),
}


# --- /creator_stats, /find ------------------------------------------------------------------


async def creator_stats(update: Update, ctx: BotContext) -> None:
    args = command_args(update)
    if len(args) < 2:
        raise BadUsage("Give the handle and at least one figure, e.g. adult=85%.")
    c = await find_creator(ctx, args[0])
    try:
        stats = parse_stats_pairs(args[1:])
    except DomainError as error:
        raise refusal(error) from None
    await repo(ctx).set_stats(
        c.id, stats, actor_id=update.effective_user.id, now=ctx.services.clock.now()
    )
    figures = ", ".join(f"{k}={_figure(ctx.t, k, v)}" for k, v in stats.items())
    text = ctx.t("Screening figures of {handle} saved: {figures}.")
    await reply(update, ctx, text.format(handle=esc(c.handle), figures=esc(figures)))


def _figure(t: Translator, key: str, value: object) -> str:
    if isinstance(value, tuple):
        return "、".join(value)
    if isinstance(value, Decimal):
        return t.percent(value)
    return t.number(value)  # type: ignore[arg-type]


async def find_creators(update: Update, ctx: BotContext) -> None:
    r = repo(ctx)
    try:
        query = parse_find_args(command_args(update), await r.known_categories())
    except DomainError as error:
        raise refusal(error) from None
    candidates = [p for p in await r.profiles() if matches(p, query)]
    best = find(candidates, query, limit=FIND_LIMIT)
    if not best:
        await reply(update, ctx, ctx.t("No creator matches."))
        return
    total = len(candidates)
    t = ctx.t
    lines = [t.n("{n} creator matches; the best:", "{n} creators match; the best:", total)
             .format(n=total)]  # fmt: skip
    for rank, (p, points) in enumerate(best, 1):
        why = [t("followers {n}").format(n=t.number(p.followers))] if p.followers else []
        if p.interaction_rate is not None:
            why.append(t("interaction {rate}").format(rate=t.percent(p.interaction_rate)))
        if p.fulfilment_rate is not None:
            why.append(t("fulfilment {rate}").format(rate=t.percent(p.fulfilment_rate, 0)))
        if p.reply_rate is not None:
            why.append(t("replies {rate}").format(rate=t.percent(p.reply_rate, 0)))
        if p.attributed_sales_fen:
            why.append(t("sales {amount}").format(amount=t.money(p.attributed_sales_fen)))
        band = band_of(p.followers)
        head = f"{rank}. <b>{esc(p.handle)}</b> {p.tier}" + (f" · {band.value}" if band else "")
        lines.append(f"{head} — {points:.1f}: {esc(' · '.join(why) or '—')}")
    await reply(update, ctx, "\n".join(lines))


# --- import -----------------------------------------------------------------------------------


def _row_values(cells: list[str], cols: dict[str, int]) -> dict[str, object]:
    """One row → the creators columns it sets (empty cells set nothing). Raises DomainError."""
    cell = {field: cells[i].strip() for field, i in cols.items()}
    values: dict[str, object] = {"handle": normalize_handle(cell["handle"])}
    values["platform"] = parse_platform(cell["platform"]).value if cell.get("platform") else "other"
    if cell.get("tier"):
        values["tier"] = parse_tier(cell["tier"]).value
    if cell.get("followers"):
        values["followers"] = parse_followers(cell["followers"])
    pairs = [f"{k}={cell[k]}" for k in STAT_KEYS if cell.get(k)]
    values |= column_values(parse_stats_pairs(pairs))
    if values.get("categories"):
        values["category"] = str(values["categories"]).split(",")[0]
    return values


async def _owner(services: Services, raw: str) -> int | None:
    if raw.isdigit():
        return int(raw)
    user = await services.users.find_by_username(raw)
    return None if user is None else user.id


async def import_creators_file(
    services: Services,
    data: bytes,
    filename: str,
    *,
    actor_id: int | None,
    t: Translator | None = None,
) -> str:
    """Import a creators export in one transaction; the report (in `t`'s language)."""
    t = t or services.i18n.get(None)
    try:
        table = read_table(data, filename)
        cols = map_headers(table.headers, ALIASES, {"handle"})
    except MissingColumns as missing:
        text = t("{file} has no creator handle column (handle or 达人昵称). Headers found: "
                 "{found}. Nothing was changed.")  # fmt: skip
        return text.format(file=esc(filename), found=esc(", ".join(missing.found) or "—"))
    except TableError as error:
        message = TABLE_ERRORS.get(error.code, TABLE_ERRORS["unreadable"])
        return t(message).format(file=esc(filename), line=error.params.get("line", ""))
    r = services.repo(Creators)
    existing = await r.existing()
    pending: dict[tuple[str, str], dict[str, object]] = {}
    errors: list[str] = []
    read = 0
    for line, cells in table.rows():
        read += 1
        try:
            values = _row_values(cells, cols)
        except DomainError as error:
            errors.append(_row_error(t, line, error))
            continue
        if "owner" in cols and cells[cols["owner"]].strip():
            owner = await _owner(services, cells[cols["owner"]].strip())
            if owner is None:
                errors.append(t("line {line}: unknown owner {owner}").format(
                    line=line, owner=esc(cells[cols["owner"]].strip())))  # fmt: skip
                continue
            values["owner_id"] = owner
        key = (str(values["platform"]), handle_key(str(values["handle"])))
        pending[key] = pending.get(key, {}) | values  # a later row for the same creator wins
    new, updates, unchanged = [], [], 0
    for key, values in pending.items():
        row = existing.get(key)
        if row is None:
            new.append({"tier": "B", "owner_id": actor_id or 0, "handle_key": key[1]} | values)
            continue
        changes = {c: v for c, v in values.items() if c != "handle" and row[c] != v}
        if changes:
            updates.append((row["id"], changes, {c: row[c] for c in changes}))
        else:
            unchanged += 1
    summary = {"file": filename, "read": read, "new": len(new), "updated": len(updates),
               "unchanged": unchanged, "rejected": len(errors)}  # fmt: skip
    await r.import_rows(new, updates, actor_id=actor_id, now=services.clock.now(), summary=summary)
    text = t("Creators from {file}: {read} rows read, {new} new, {updated} updated, "
             "{unchanged} unchanged, {rejected} rejected.")  # fmt: skip
    lines = [text.format(**summary | {"file": esc(filename)})]
    lines += errors[:MAX_LISTED_ERRORS]
    if len(errors) > MAX_LISTED_ERRORS:
        lines.append(t("…and {n} more.").format(n=len(errors) - MAX_LISTED_ERRORS))
    return "\n".join(lines)


def _row_error(t: Translator, line: int, error: DomainError) -> str:
    from handlers.creators_registry import ERRORS

    params = {k: esc(", ".join(map(str, v)) if isinstance(v, list | tuple) else v)
              for k, v in error.params.items()}  # fmt: skip
    reason = t(ERRORS.get(error.code, N_("That is not valid: {detail}."))).format(
        detail=error.code, **params
    )
    return t("line {line}: {reason}").format(line=line, reason=reason)


async def on_document(update: Update, ctx: BotContext) -> None:
    try:
        if not is_private(update):
            raise Refuse("Please send the file to me in a private chat.")
        require(ctx, "manager")
        doc = update.effective_message.document
        data = bytes(await (await ctx.bot.get_file(doc.file_id)).download_as_bytearray())
        report = await import_creators_file(
            ctx.services, data, doc.file_name or "creators.csv",
            actor_id=update.effective_user.id, t=ctx.t,
        )  # fmt: skip
    except Refuse as refused:
        report = refused.render(ctx)
    await reply(update, ctx, report)


async def import_help(update: Update, ctx: BotContext) -> None:
    text = ctx.t("Send me the creators file (CSV or XLSX) with the caption /import_creators.")
    await reply(update, ctx, text)


def register(app: Application) -> None:
    command(
        app,
        "creator_stats",
        creator_stats,
        roles={"bd"},
        description=N_("save a creator's screening figures"),
        usage="/creator_stats <handle> key=value…",
    )
    command(
        app,
        "find",
        find_creators,
        roles={"bd"},
        description=N_("find creators"),
        usage="/find [category] [band] [adult>=N] [female>=N] [posts>=N] "
        "[interaction>=N%] [goal=brand|sales]",
    )
    command(app, "import_creators", import_help, roles={"manager"}, where="private",
            description=N_("import creators from a file"),
            usage="/import_creators (caption of a CSV/XLSX file)")  # fmt: skip
    app.add_handler(
        MessageHandler(
            filters.Document.ALL & filters.CaptionRegex(r"^/import_creators(@\w+)?\b"), on_document
        )
    )
