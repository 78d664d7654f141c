"""The import use cases (orders, sharer roster, creators): one protocol, called alike by the
command line (`python -m bot import|import-sharers|import-creators FILE`) and by a document
sent in chat (handlers/imports.py).

Every import: read the table (bot.domain.tables: the whole file refused, or rows that do
not fit the header rejected by line), map the headers by their aliases, validate each row
(a rejected row is a RowError by line), store the rest, and answer with one report from one
table of messages. Long imports tell `progress` the rows read so far.

The file is read as a stream from disk (or from bytes), within `Limits`, and every step that
costs CPU runs on a worker thread, never on the event loop: the bot keeps answering others.
The order import writes in short transactions (storage.orders); the roster, creators and FAQ
imports, files of thousands of rows, each write in one.
"""

from __future__ import annotations

import asyncio
import hashlib
import html
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, TypeVar

from bot.domain.creator_rows import CREATOR_ALIASES, parse_creator_row
from bot.domain.faq import FAQ_ALIASES, parse_markdown, question_key
from bot.domain.import_rows import RowError
from bot.domain.money import DomainError
from bot.domain.orders import ORDER_ALIASES, ORDER_REQUIRED
from bot.domain.roster_rows import ROSTER_ALIASES
from bot.domain.tables import (
    Limits,
    MissingColumns,
    Table,
    TableError,
    map_headers,
    read_table,
)
from bot.i18n import N_, Translator
from bot.import_report import TABLE_ERRORS, esc, report
from bot.services import Services
from storage.creators import Creators, column_values
from storage.faq import Faq
from storage.orders import Orders
from storage.roster import Roster

__all__ = [
    "CLI_LIMITS", "KINDS", "PROGRESS_EVERY", "ImportKind", "import_file", "run_import",
    "upload_limits",
]  # fmt: skip

log = logging.getLogger(__name__)
PROGRESS_EVERY = 3.0  # seconds between two progress updates in a chat, at the most
T = TypeVar("T")
Progress = Callable[[int], Awaitable[None]]
Data = bytes | Path  # a file's bytes, or its path
# A file on the server is the operator's own: any length, but never a zip bomb.
CLI_LIMITS = Limits()


def upload_limits(settings: Any) -> Limits:
    """What a file sent in chat may hold (IMPORT_* settings)."""
    return Limits(
        rows=settings.import_max_rows,
        cells=settings.import_max_cells,
        unpacked=settings.import_max_unpacked_mb * 1024 * 1024,
    )


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
    read: Callable[[Data, str, Limits], Table] = read_table


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


def _read_faq(data: Data, filename: str, limits: Limits) -> Table:
    """A CSV or XLSX of question, answer; or Markdown: `## question` and the answer below."""
    if not filename.lower().endswith((".md", ".markdown")):
        return read_table(data, filename, limits)
    try:  # a FAQ in Markdown is a page or two: read whole
        text = (data if isinstance(data, bytes) else data.read_bytes()).decode("utf-8-sig")
    except UnicodeDecodeError:
        raise TableError("unreadable_encoding", filename=filename) from None
    if not text.strip():
        raise TableError("empty", filename=filename)
    rows = [(line, [q, a]) for line, q, a in parse_markdown(text)]
    return Table(["question", "answer"], 0, lambda: iter(rows), nul_free="\0" not in text)


async def _faq(table: Table, run: _Run) -> CreatorImport:
    """Every row checked, then one transaction; a question already there gets the answer."""
    result, rows = CreatorImport(), {}
    cols = map_headers(table.headers, FAQ_ALIASES, {"question", "answer"})
    for line, cells in table:
        result.read += 1
        question, answer = cells[cols["question"]].strip(), cells[cols["answer"]].strip()
        if not question or not answer:
            code = "empty_question" if not question else "empty_answer"
            result.errors.append(RowError(line, code, {}))
            continue
        key = question_key(question)
        if key in rows:
            result.duplicates.append((rows[key][0], question))
        rows[key] = (line, question, answer)
    result.read += len(table.rejected)
    result.errors = sorted(result.errors + table.rejected, key=lambda e: e.line)
    summary = {"file": run.filename, "read": result.read, "rejected": len(result.errors)}
    done = await run.services.repo(Faq).import_entries(
        [(q, a) for _, q, a in rows.values()], actor_id=run.actor_id,
        now=run.services.clock.now(), summary=summary,
    )  # fmt: skip
    result.new, result.updated, result.unchanged = done.new, done.updated, done.unchanged
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
        ImportKind(
            "faq", "import_faq", FAQ_ALIASES, frozenset({"question", "answer"}),
            N_("FAQ from {file}: {read} entries read, {new} new, {updated} updated, "
               "{unchanged} unchanged, {rejected} rejected."),
            "", _faq, lambda r: [], _read_faq,
        ),
    )
}  # fmt: skip


async def run_import(
    services: Services,
    kind: ImportKind,
    data: Data,
    filename: str,
    *,
    actor_id: int | None,
    t: Translator,
    progress: Progress | None = None,
    every: float = PROGRESS_EVERY,
    limits: Limits = CLI_LIMITS,
) -> str:
    """Import `data` (bytes, or a file's path) and say what happened (HTML, in `t`'s
    language). `progress` is awaited with the rows read so far, at most every `every` seconds,
    while the import runs."""
    try:
        table = await asyncio.to_thread(kind.read, data, filename, limits)
        map_headers(table.headers, kind.aliases, set(kind.required))
        if kind.name != "orders":  # read by the store on the loop: read here, in a thread
            table = await asyncio.to_thread(_in_memory, table)
        counter = _Counter()
        digest = await asyncio.to_thread(_sha256, data)
        run = _Run(services, filename, digest, actor_id, counter.set)
        result = await _watched(kind.store(table, run), counter, progress, every)
    except MissingColumns as exc:
        missing = t.join("/".join(kind.aliases.get(f, (f,))[:3]) for f in exc.missing)
        text = t("The file lacks the columns {missing}. Headers found: {found}. Nothing imported.")
        return text.format(missing=esc(missing), found=esc(t.join(exc.found) or "—"))
    except TableError as exc:
        message = TABLE_ERRORS.get(exc.code, TABLE_ERRORS["unreadable"])
        limit = exc.params.get("limit", 0)
        params = {"limit": t.number(limit), "mb": t.number(limit // (1024 * 1024)),
                  "line": exc.params.get("line")}  # fmt: skip
        return t(message).format(filename=esc(filename), **params)
    return report(t, kind, filename, result)


async def import_file(
    services: Services,
    kind: str,
    data: Data,
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


def count_lines(path: Path) -> int:
    """Newlines in a file, a megabyte at a time (the command line's progress total)."""
    with path.open("rb") as f:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: f.read(1 << 20), b""))


def _sha256(data: Data) -> str:
    if isinstance(data, bytes):
        return hashlib.sha256(data).hexdigest()
    with data.open("rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def _in_memory(table: Table) -> Table:
    """The table's rows read once, kept: for the imports whose files are small."""
    rows = list(table)
    return Table(
        table.headers, table.header_line, lambda: ((n, c[:]) for n, c in rows),
        True, list(table.rejected),  # rows with a NUL character stayed behind
    )  # fmt: skip


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
