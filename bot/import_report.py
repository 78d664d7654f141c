"""What an import answers: one table of messages for every import (the whole file refused, or
a row rejected by line), and the report — counts, then the rejected and replaced lines and the
ids to look at, each list shortened so the answer stays within one message."""

from __future__ import annotations

import html
from typing import Any

from bot.domain.import_rows import RowError
from bot.i18n import N_, Translator

SHOWN = 20  # lines listed before "… and N more"
_VALUE_SHOWN = 40  # characters of a refused cell echoed back

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
    "line_too_long": N_(
        "{filename} cannot be read: a line is longer than {limit} characters. Nothing imported."
    ),
    "too_many_rows": N_(
        "{filename} has more than {limit} rows, more than a chat upload may hold. Nothing "
        "imported: split the file, or import it on the server (python -m bot import)."
    ),
    "too_many_cells": N_(
        "{filename} has more than {limit} cells, more than a chat upload may hold. Nothing "
        "imported: leave out the columns the bot does not need, or split the file."
    ),
    "unpacks_too_big": N_(
        "{filename} unpacks to more than {mb} MB, more than a chat upload may hold. Nothing "
        "imported: save it as CSV, or split it."
    ),
    "packed_too_densely": N_(
        "{filename} unpacks to far more than a real spreadsheet of its size would. Nothing "
        "imported: save it as CSV and send it again."
    ),
}
# A row rejected (RowError codes, `code:reason` first): nothing of it is stored.
ROW_ERRORS = {
    "too_many_cells": N_(
        "line {line}: {cells} cells, the header has {header} — a number with a comma must be quoted"
    ),
    "too_few_cells": N_("line {line}: {cells} cells, the header has {header}"),
    "nul_character": N_("line {line}: holds a NUL character, which is binary data, not text"),
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
    "empty_question": N_("line {line}: no question"),
    "empty_answer": N_("line {line}: no answer"),
}
UNKNOWN_ROW = N_("line {line}: cannot be read")


def report(t: Translator, kind: Any, filename: str, r: Any) -> str:
    """Counts, rejected and replaced lines (the first SHOWN of each), then the ids to look at."""
    if not r.read:
        return t("{filename} has a header but no rows: nothing imported.").format(
            filename=esc(filename)
        )
    n = t.number
    name = esc(filename)
    lines = [t(kind.counts).format(
        filename=name, file=name, read=n(r.read), new=n(r.new), updated=n(r.updated),
        unchanged=n(r.unchanged), rejected=n(len(r.errors)),
    )]  # fmt: skip
    if r.errors:
        lines += ["", t("Rows skipped:"), *_listing(t, [row_error(t, e) for e in r.errors])]
    if r.duplicates:
        lines += ["", t("Listed more than once; the later row counts:")]
        keys = [t("line {line}: {key}").format(line=n, key=esc(k)) for n, k in r.duplicates]
        lines += _listing(t, keys)
    ids = kind.ids(r)
    if ids:
        head = t(kind.ids_title).format(n=t.number(len(ids)))
        more = [t("… and {n} more.").format(n=t.number(len(ids) - SHOWN))] if ids[SHOWN:] else []
        lines += ["", head, " ".join([t.join(esc(i) for i in ids[:SHOWN]), *more])]
    return "\n".join(lines)


def row_error(t: Translator, error: RowError) -> str:
    params = error.params
    message = ROW_ERRORS.get(f"{error.code}:{params.get('reason')}") or ROW_ERRORS.get(
        error.code, UNKNOWN_ROW
    )
    values = {k: esc(_shown(v)) for k, v in params.items()}
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


def esc(value: object) -> str:
    return html.escape(str(value), quote=False)
