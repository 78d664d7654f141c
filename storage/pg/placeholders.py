"""SQLite's parameter markers in PostgreSQL's spelling, translated once per statement text.

Repositories write `?` (each the next parameter), `?NNN` (parameter NNN, 1-based) and
`:name` (a value of a mapping). PostgreSQL numbers its parameters: `$1 … $n`. A `?` counts
as SQLite counts it, one more than the largest number used before it, so `?1 … ?2 … ?` is
`$1 … $2 … $3` on both stores. Markers inside string literals ('…', E'…'), quoted
identifiers ("…"), dollar-quoted bodies ($tag$…$tag$) and comments are text, not markers;
`::type` is PostgreSQL's cast.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any, NamedTuple

_DOLLAR_TAG = re.compile(r"\$([A-Za-z_][A-Za-z_0-9]*)?\$")
_NAME = re.compile(r"[A-Za-z_][A-Za-z_0-9]*")
_DIGITS = re.compile(r"[0-9]+")


class Translated(NamedTuple):
    sql: str
    names: tuple[str, ...] | None  # `:name` markers in $-number order; None: positional
    count: int  # the highest parameter number used


class PlaceholderError(ValueError):
    """A statement mixes named and positional markers, or the parameters do not fit it."""


def _skip_quoted(sql: str, i: int, quote: str, backslash: bool) -> int:
    """The index after the literal opened at sql[i] (doubled quotes stay inside)."""
    j = i + 1
    n = len(sql)
    while j < n:
        c = sql[j]
        if backslash and c == "\\":
            j += 2
            continue
        if c == quote:
            if j + 1 < n and sql[j + 1] == quote:
                j += 2
                continue
            return j + 1
        j += 1
    return n


@lru_cache(maxsize=4096)
def translate(sql: str) -> Translated:
    out: list[str] = []
    names: list[str] = []
    numbered = named = False
    highest = 0
    i, start, n = 0, 0, len(sql)
    while i < n:
        c = sql[i]
        if c == "'":
            backslash = i > 0 and sql[i - 1] in "eE" and (i < 2 or not _word(sql[i - 2]))
            i = _skip_quoted(sql, i, "'", backslash)
        elif c == '"':
            i = _skip_quoted(sql, i, '"', False)
        elif c == "-" and sql.startswith("--", i):
            end = sql.find("\n", i)
            i = n if end < 0 else end + 1
        elif c == "/" and sql.startswith("/*", i):
            end = sql.find("*/", i + 2)
            i = n if end < 0 else end + 2
        elif c == "$" and (i == 0 or not _word(sql[i - 1])) and (tag := _DOLLAR_TAG.match(sql, i)):
            end = sql.find(tag[0], tag.end())
            i = n if end < 0 else end + len(tag[0])
        elif c == ":" and sql.startswith("::", i):
            i += 2
        elif c == "?":
            digits = _DIGITS.match(sql, i + 1)
            number = int(digits[0]) if digits else highest + 1
            if number < 1:
                raise PlaceholderError(f"parameter ?{number} in {sql!r}")
            highest = max(highest, number)
            numbered = True
            out.append(sql[start:i])
            out.append(f"${number}")
            i = digits.end() if digits else i + 1
            start = i
        elif c == ":" and (name := _NAME.match(sql, i + 1)) and (i == 0 or not _word(sql[i - 1])):
            named = True
            if name[0] not in names:
                names.append(name[0])
            out.append(sql[start:i])
            out.append(f"${names.index(name[0]) + 1}")
            i = name.end()
            start = i
        else:
            i += 1
    if numbered and named:
        raise PlaceholderError(f"named and positional parameters mixed in {sql!r}")
    out.append(sql[start:])
    if named:
        return Translated("".join(out), tuple(names), len(names))
    return Translated("".join(out), None, highest)


def _word(c: str) -> bool:
    return c.isalnum() or c == "_"


def arguments(translated: Translated, params: Sequence[Any] | Mapping[str, Any]) -> list[Any]:
    """The parameters in $-number order, checked against the statement as SQLite would."""
    if translated.names is not None:
        if not isinstance(params, Mapping):
            raise PlaceholderError("named parameters need a mapping")
        try:
            return [params[name] for name in translated.names]
        except KeyError as exc:
            raise PlaceholderError(f"no value for :{exc.args[0]}") from None
    if isinstance(params, Mapping):
        if translated.count:
            raise PlaceholderError("positional parameters need a sequence")
        return []
    values = list(params)
    if len(values) != translated.count:
        raise PlaceholderError(
            f"the statement uses {translated.count} parameters, {len(values)} supplied"
        )
    return values
