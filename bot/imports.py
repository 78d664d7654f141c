"""The import use cases (orders, sharer roster, creators): one protocol, called alike by the
command line (`python -m bot import|import-sharers|import-creators FILE`) and by a document
sent in chat (handlers/imports.py).

Every import: read the table (bot.domain.tables: the whole file refused, or rows that do
not fit the header rejected by line), map the headers by their aliases, validate each row
(a rejected row is a RowError by line), store the rest in one transaction, and answer with
one report from one table of messages. Long imports tell `progress` the rows read so far.
"""

from __future__ import annotations

import asyncio
import hashlib
import html
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from bot.domain.creator_rows import CREATOR_ALIASES, parse_creator_row
from bot.domain.import_rows import RowError
from bot.domain.money import DomainError
from bot.domain.orders import ORDER_ALIASES, ORDER_REQUIRED
from bot.domain.tables import MissingColumns, Table, TableError, map_headers, read_table
from bot.i18n import N_, Translator
from bot.services import Services
from storage.creators import Creators, column_values
from storage.orders import Orders
from storage.roster import ROSTER_ALIASES, Roster

__all__ = ["KINDS", "PROGRESS_EVERY", "ImportKind", "import_file", "run_import"]

log = logging.getLogger(__name__)
PROGRESS_EVERY = 3.0  # seconds between two progress updates in a chat, at the most
SHOWN = 20  # lines listed before "… and N more"
_VALUE_SHOWN = 40  # characters of a refused cell echoed back
T = TypeVar("T")
Progress = Callable[[int], Awaitable[None]]

# One table of messages for every import. The whole file refused (TableError codes):
TABLE_ERRORS = {
    "unsupported_format": N_("{filename} is not a CSV or XLSX file."),
    "empty": N_("{filename} is empty."),
    "broken_quoting": N_("{filename} cannot be read: a quote is not closed on line {line}."),
    "cell_too_long": N_(
        "{filename} cannot be read: a cell on line {line} is too long (more than {limit} "
        "characters)."
    ),
    "unreadable_encoding": N_(
        "{filename} is neither UTF-8 nor GBK text. Save it as CSV UTF-8 and send it again."
    ),
    "unreadable": N_("{filename} is a damaged file: it cannot be read as XLSX."),
}
# A row rejected (RowError codes, `code:reason` first): nothing of it is stored.
ROW_ERRORS = {
    "too_many_cells": N_(
        "line {line}: {cells} cells, the header has {header} — a number with a comma must be quoted"
    ),
    "too_few_cells": N_("line {line}: {cells} cells, the header has {header}"),
    "missing_order_id": N_("line {line}: no order id"),
    "bad_date": N_("line {line}: cannot read the time {value} (write 2026-11-05 14:30)"),
    "bad_amount": N_("line {line}: the amount {value} is not a number"),
    "bad_amount:empty": N_("line {line}: no amount"),
    "bad_amount:bad_thousands": N_(
        "line {line}: the amount {value} is ambiguous: use a dot for decimals, commas only "
        "between thousands (1,234.50)"
    ),
    "bad_amount:too_many_decimals": N_("line {line}: the amount {value} has more than 2 decimals"),
    "bad_amount:too_large": N_("line {line}: the amount {value} is beyond any real order"),
    "negative_amount": N_("line {line}: the amount {value} is negative"),
    "bad_refund": N_("line {line}: the refund {value} is not a number"),
    "bad_refund:bad_thousands": N_(
        "line {line}: the refund {value} is ambiguous: use a dot for decimals, commas only "
        "between thousands (1,234.50)"
    ),
    "bad_refund:too_many_decimals": N_("line {line}: the refund {value} has more than 2 decimals"),
    "bad_refund:too_large": N_("line {line}: the refund {value} is beyond any real order"),
    "negative_refund": N_("line {line}: the refund {value} is negative"),
    "refund_exceeds_amount": N_(
        "line {line}: the refund {refund} is more than the amount {amount}"
    ),
    "bad_quantity": N_("line {line}: the quantity {value} is not a whole number above 0"),
    "bad_quantity:too_large": N_("line {line}: the quantity {value} is beyond any real order"),
    "bad_status": N_("line {line}: unknown status {value} (paid, refunded or cancelled)"),
    "missing_sharer_id": N_("line {line}: no sharer id"),
    "self_referral": N_("line {line}: {sharer} cannot be their own inviter"),
    "cycle": N_(
        "line {line}: {inviter} cannot be the inviter of {sharer}, who is above them in the "
        "inviter tree"
    ),
    "bad_handle": N_("line {line}: {value} cannot be a handle (no spaces, at most 64 characters)"),
    "bad_handle:empty": N_("line {line}: no creator handle"),
    "bad_platform": N_(
        "line {line}: unknown platform {value} (tiktok, douyin, channels, xiaohongshu or other)"
    ),
    "bad_tier": N_("line {line}: the tier must be S, A or B, not {value}"),
    "bad_followers": N_("line {line}: {value} is not a follower count (e.g. 12000, 1.2万, 12k)"),
    "bad_stat": N_("line {line}: {key} {value} is not a valid value"),
    "unknown_owner": N_("line {line}: unknown owner {owner}"),
}
UNKNOWN_ROW = N_("line {line}: cannot be read")


class Outcome(Protocol):
    """What any import did (storage.orders.OrderImport, storage.roster.RosterImport,
    CreatorImport): counts, rejected rows and replaced lines by line."""

    read: int
    new: int
    updated: int
    unchanged: int
    errors: list[RowError]
    duplicates: list[tuple[int, str]]


@dataclass(slots=True)
class CreatorImport:
    read: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    duplicates: list[tuple[int, str]] = field(default_factory=list)


@dataclass(slots=True)
class _Run:
    services: Services
    filename: str
    file_hash: str
    actor_id: int | None
    rows: Callable[[int], None]  # told the rows read so far


@dataclass(frozen=True, slots=True)
class ImportKind:
    name: str  # the CLI's and the audit's word: orders, sharers, creators
    command: str  # the caption of a document sent in chat
    aliases: dict[str, tuple[str, ...]]
    required: frozenset[str]
    counts: str  # the report's first line
    ids_title: str  # the heading of the ids worth a look (unbound sharers, placeholders)
    store: Callable[[Table, _Run], Awaitable[Any]]
    ids: Callable[[Any], list[str]]


async def _orders(table: Table, run: _Run) -> Outcome:
    s = run.services
    return await s.repo(Orders).import_table(
        table, s.settings.tz, now=s.clock.now(), actor_id=run.actor_id, filename=run.filename,
        file_hash=run.file_hash, progress=run.rows,
    )  # fmt: skip


async def _roster(table: Table, run: _Run) -> Outcome:
    s = run.services
    return await s.repo(Roster).import_table(
        table, now=s.clock.now(), actor_id=run.actor_id, filename=run.filename,
        file_hash=run.file_hash,
    )  # fmt: skip


async def _creators(table: Table, run: _Run) -> CreatorImport:
    """Every row read first; then one transaction of inserts and updates. A later row for the
    same creator adds to (and overrides) what an earlier one said."""
    s, result = run.services, CreatorImport()
    cols = map_headers(table.headers, CREATOR_ALIASES, {"handle"})
    pending: dict[tuple[str, str], dict[str, object]] = {}
    for line, cells in table:
        result.read += 1
        run.rows(result.read)
        try:
            row = parse_creator_row(cells, cols)
        except DomainError as error:
            result.errors.append(RowError(line, error.code, error.params))
            continue
        values: dict[str, object] = {"handle": row.handle, "platform": row.platform}
        values |= {k: v for k, v in (("tier", row.tier), ("followers", row.followers)) if v}
        values |= column_values(row.stats)
        if values.get("categories"):
            values["category"] = str(values["categories"]).split(",")[0]
        if row.owner:
            owner = await _owner(s, row.owner)
            if owner is None:
                result.errors.append(RowError(line, "unknown_owner", {"owner": row.owner}))
                continue
            values["owner_id"] = owner
        pending[row.key] = pending.get(row.key, {}) | values
    result.read += len(table.rejected)
    result.errors = sorted(result.errors + table.rejected, key=lambda e: e.line)
    repo = s.repo(Creators)
    existing = await repo.existing()
    new, updates = [], []
    for key, values in pending.items():
        if key not in existing:
            new.append({"tier": "B", "owner_id": run.actor_id or 0, "handle_key": key[1]} | values)
            continue
        creator_id, stored = existing[key]
        changes = {c: v for c, v in values.items() if c != "handle" and stored[c] != v}
        if changes:
            updates.append((creator_id, changes, {c: stored[c] for c in changes}))
        else:
            result.unchanged += 1
    result.new, result.updated = len(new), len(updates)
    summary = {"file": run.filename, "read": result.read, "new": result.new,
               "updated": result.updated, "unchanged": result.unchanged,
               "rejected": len(result.errors)}  # fmt: skip
    await repo.import_rows(new, updates, actor_id=run.actor_id, now=s.clock.now(), summary=summary)
    return result


async def _owner(services: Services, raw: str) -> int | None:
    if raw.isascii() and raw.isdigit() and len(raw) <= 18:
        return int(raw)
    user = await services.users.find_by_username(raw)
    return None if user is None else user.id


KINDS = {
    kind.name: kind
    for kind in (
        ImportKind(
            "orders", "import", ORDER_ALIASES, ORDER_REQUIRED,
            N_("Orders from {filename}: {read} rows read, {new} new, {updated} updated, "
               "{unchanged} unchanged, {rejected} rejected."),
            N_("Sharer ids not bound to a Telegram account yet ({n}):"),
            _orders, lambda r: r.unbound,
        ),
        ImportKind(
            "sharers", "import_sharers", ROSTER_ALIASES, frozenset({"sharer_id"}),
            N_("Sharers from {filename}: {read} rows read, {new} new, {updated} updated, "
               "{unchanged} unchanged, {rejected} rejected."),
            N_("Named as inviter or leader but not in the file, added by id:"),
            _roster, lambda r: r.placeholders,
        ),
        ImportKind(
            "creators", "import_creators", CREATOR_ALIASES, frozenset({"handle"}),
            N_("Creators from {file}: {read} rows read, {new} new, {updated} updated, "
               "{unchanged} unchanged, {rejected} rejected."),
            "", _creators, lambda r: [],
        ),
    )
}  # fmt: skip


async def run_import(
    services: Services,
    kind: ImportKind,
    data: bytes,
    filename: str,
    *,
    actor_id: int | None,
    t: Translator,
    progress: Progress | None = None,
    every: float = PROGRESS_EVERY,
) -> str:
    """Import `data` and say what happened (HTML, in `t`'s language). `progress` is awaited
    with the rows read so far, at most every `every` seconds, while the import runs."""
    try:
        table = read_table(data, filename)
        map_headers(table.headers, kind.aliases, set(kind.required))
        counter = _Counter()
        run = _Run(services, filename, hashlib.sha256(data).hexdigest(), actor_id, counter.set)
        result = await _watched(kind.store(table, run), counter, progress, every)
    except MissingColumns as exc:
        missing = t.join("/".join(kind.aliases.get(f, (f,))[:3]) for f in exc.missing)
        text = t("The file lacks the columns {missing}. Headers found: {found}. Nothing imported.")
        return text.format(missing=_esc(missing), found=_esc(t.join(exc.found) or "—"))
    except TableError as exc:
        message = TABLE_ERRORS.get(exc.code, TABLE_ERRORS["unreadable"])
        params = {"limit": t.number(exc.params.get("limit", 0)), "line": exc.params.get("line")}
        return t(message).format(filename=_esc(filename), **params)
    return report(t, kind, filename, result)


async def import_file(
    services: Services,
    kind: str,
    data: bytes,
    filename: str,
    *,
    actor_id: int | None,
    progress: Progress | None = None,
    every: float = 0.5,
) -> str:
    """The command line's import: the report as plain text, in the deployment's language."""
    t = services.i18n.get(None)
    report = await run_import(
        services, KINDS[kind], data, filename, actor_id=actor_id, t=t, progress=progress,
        every=every,
    )  # fmt: skip
    return html.unescape(report)


class _Counter:
    rows = 0

    def set(self, rows: int) -> None:  # called from the import's reading thread too
        self.rows = rows


async def _watched(
    work: Awaitable[T], counter: _Counter, progress: Progress | None, every: float
) -> T:
    task = asyncio.ensure_future(work)
    shown = 0
    while progress is not None:
        done, _ = await asyncio.wait({task}, timeout=every)
        if done:
            break
        if counter.rows != shown:
            shown = counter.rows
            try:
                await progress(shown)
            except Exception:  # a progress message that cannot be shown stops no import
                log.warning("import progress not shown", exc_info=True)
    return await task


def report(t: Translator, kind: ImportKind, filename: str, r: Any) -> str:
    """Counts, rejected and replaced lines (the first SHOWN of each), then the ids to look at."""
    if not r.read:
        return t("{filename} has a header but no rows: nothing imported.").format(
            filename=_esc(filename)
        )
    n = t.number
    name = _esc(filename)
    lines = [t(kind.counts).format(
        filename=name, file=name, read=n(r.read), new=n(r.new), updated=n(r.updated),
        unchanged=n(r.unchanged), rejected=n(len(r.errors)),
    )]  # fmt: skip
    if r.errors:
        lines += ["", t("Rows skipped:"), *_listing(t, [row_error(t, e) for e in r.errors])]
    if r.duplicates:
        lines += ["", t("Listed more than once; the later row counts:")]
        keys = [t("line {line}: {key}").format(line=n, key=_esc(k)) for n, k in r.duplicates]
        lines += _listing(t, keys)
    ids = kind.ids(r)
    if ids:
        head = t(kind.ids_title).format(n=t.number(len(ids)))
        more = [t("… and {n} more.").format(n=t.number(len(ids) - SHOWN))] if ids[SHOWN:] else []
        lines += ["", head, " ".join([", ".join(_esc(i) for i in ids[:SHOWN]), *more])]
    return "\n".join(lines)


def row_error(t: Translator, error: RowError) -> str:
    params = error.params
    message = ROW_ERRORS.get(f"{error.code}:{params.get('reason')}") or ROW_ERRORS.get(
        error.code, UNKNOWN_ROW
    )
    values = {k: _esc(_shown(v)) for k, v in params.items()}
    for key in ("refund", "amount"):
        if isinstance(params.get(key), int):
            values[key] = t.money(params[key])
    for key in ("cells", "header"):
        if isinstance(params.get(key), int):
            values[key] = t.number(params[key])
    if "value" in values:
        values["value"] = f"“{values['value']}”"
    return t(message).format(**{**values, "line": error.line})


def _shown(value: object) -> str:
    text = ", ".join(map(str, value)) if isinstance(value, list | tuple) else str(value)
    return text if len(text) <= _VALUE_SHOWN else text[: _VALUE_SHOWN - 1] + "…"


def _listing(t: Translator, lines: list[str]) -> list[str]:
    more = [t("… and {n} more.").format(n=t.number(len(lines) - SHOWN))] if lines[SHOWN:] else []
    return [*lines[:SHOWN], *more]


def _esc(value: object) -> str:
    return html.escape(str(value), quote=False)
