"""Fitting what the bot sends to Telegram's limits, without ever breaking the HTML.

Telegram counts a text's length on what the reader sees (tags removed, entities decoded) in
UTF-16 code units, and refuses the whole message past the limit. So a long reply is shortened
here instead: whole lines are dropped from the end and replaced by "… and N more" (the caller
gives that sentence, translated); a single line too long for the message is cut between
characters, never inside a tag or an entity, and every tag still open is closed.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_DATA = 64  # bytes of UTF-8
MAX_ALERT = 200

ELLIPSIS = "…"
_TOKEN = re.compile(r"<[^<>]*>|&(?:#\d+|#x[0-9a-fA-F]+|\w+);|[^<&]", re.S)
_TAG_NAME = re.compile(r"</?\s*([a-zA-Z0-9-]+)")


def _units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _visible(token: str) -> str:
    if token.startswith("<") and token.endswith(">"):
        return ""
    return html.unescape(token) if token.startswith("&") else token


def visible_len(text: str) -> int:
    """The length Telegram measures: the text as shown, in UTF-16 code units."""
    return sum(_units(_visible(t)) for t in _TOKEN.findall(text))


def plain_text(text: str) -> str:
    """The HTML as the reader would see it (for alerts, which take no markup)."""
    return "".join(_visible(t) for t in _TOKEN.findall(text))


def _closing(stack: list[str]) -> str:
    return "".join(f"</{name}>" for name in reversed(stack))


def _cut(text: str, budget: int) -> tuple[int, int, list[str], int, list[str]]:
    """Walk `text` up to `budget` visible units.

    Returns (end, line_end, line_stack, lines_after, stack): the index where the budget ran
    out and the open tags there, and the last line break before it with its open tags and how
    many line breaks follow it in the whole text.
    """
    used, stack = 0, []
    line_end, line_stack = -1, []
    pos = 0
    for match in _TOKEN.finditer(text):
        token = match.group()
        if token.startswith("<") and token.endswith(">"):
            name = _TAG_NAME.match(token)
            if name and token.startswith("</"):
                if stack and stack[-1] == name.group(1).lower():
                    stack.pop()
            elif name:
                stack.append(name.group(1).lower())
            pos = match.end()
            continue
        size = _units(_visible(token))
        if used + size > budget:
            break
        if token == "\n":
            line_end, line_stack = match.start(), list(stack)
        used += size
        pos = match.end()
    lines_after = text.count("\n", line_end + 1) + 1 if line_end >= 0 else 0
    return pos, line_end, line_stack, lines_after, stack


def fit(text: str, limit: int = MAX_TEXT, more: Callable[[int], str] | None = None) -> str:
    """`text` (Telegram HTML) shortened to at most `limit` visible units.

    Whole lines are dropped first, and `more(n)` (plain text, e.g. "… and 3 more") says how
    many; with no whole line to keep, the first line is cut and ends with "…".
    """
    # The markup only adds to the raw length, so a text within the limit raw is within it shown.
    if _units(text) <= limit or visible_len(text) <= limit:
        return text
    lines_total = text.count("\n") + 1
    tail = (lambda n: "\n" + more(n)) if more else (lambda n: "\n" + ELLIPSIS)
    reserve = max(_units(tail(lines_total)), _units(ELLIPSIS) + _units(tail(lines_total)))
    end, line_end, line_stack, lines_after, stack = _cut(text, max(limit - reserve, 0))
    if line_end > 0:
        kept = text[:line_end] + _closing(line_stack)
        return kept + html.escape(tail(lines_after), quote=False)
    kept = text[:end] + _closing(stack) + ELLIPSIS
    rest = text.count("\n", end)
    return kept + (html.escape(tail(rest), quote=False) if rest else "")


def fit_plain(text: str, limit: int) -> str:
    """Plain text (no markup) cut to `limit` UTF-16 units, ending with "…" when cut."""
    if _units(text) <= limit:
        return text
    out, used = [], _units(ELLIPSIS)
    for char in text:
        used += _units(char)
        if used > limit:
            break
        out.append(char)
    return "".join(out) + ELLIPSIS


def clip(text: str, chars: int) -> str:
    """A user's text (a note, a reason) kept to `chars` characters in a card or a list."""
    return text if len(text) <= chars else text[: max(chars - 1, 0)].rstrip() + ELLIPSIS


def callback_fits(data: str) -> bool:
    return len(data.encode("utf-8")) <= MAX_CALLBACK_DATA
