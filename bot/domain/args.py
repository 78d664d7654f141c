"""The grammar of command arguments, one parser per kind, shared by every command.

Each parser takes the word as typed and returns a plain value, or raises `ArgError` with a
stable code and params; handlers turn that into the localized usage answer. Nothing here is
ever reinterpreted silently: a word that is not what its position asks for is refused.

- creator reference: `lily`, `@lily`, `lily@douyin` (documented), `lily:douyin` (alias)
- sample number: `#12` or `12`
- integers: bounded, so nothing larger than the store holds (SQLite int64) gets through
- percentages: `35`, `35%` (points); on/off: on/off/yes/no/开/关
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TypeVar

from bot.domain.creators import (
    Platform,
    fold,
    normalize_handle,
    parse_platform,
)
from bot.domain.money import DomainError, MoneyError, parse_yuan

_V = TypeVar("_V")

# SQLite stores signed 64-bit integers; no argument may reach past that.
INT64_MAX = 2**63 - 1
# Sample numbers and other row ids: far above any real count, far below int64.
MAX_ID = 10**12
# Telegram user ids fit in 52 bits.
MAX_USER_ID = 2**52
# Counts typed by people (impressions, clicks, orders, posts): ten billion is already a typo.
MAX_COUNT = 10**10
# Money typed into a command (ad spend, GMV): ten billion yuan is already a typo.
MAX_MONEY_FEN = 10**12
# A word longer than this is never a number; refusing it early keeps int() cheap.
_MAX_DIGITS = 30


class ArgError(DomainError):
    """Codes: bad_number (value, min, max), bad_amount (value, max), bad_sample, bad_percent,
    bad_switch (value); bad_handle and bad_platform come from bot.domain.creators."""


@dataclass(frozen=True, slots=True)
class CreatorRef:
    """A creator as named in a command; `platform` is None when not given."""

    handle: str
    platform: Platform | None = None
    # The text after `@`/`:` when it did not name a platform (the handle may contain it).
    unknown_platform: str | None = None

    def __str__(self) -> str:
        return f"{self.handle}@{self.platform.value}" if self.platform else self.handle


def parse_int(text: str, *, lo: int = 0, hi: int = MAX_COUNT) -> int:
    """A whole number within [lo, hi]; full-width digits and a leading sign are accepted."""
    raw = fold(text).replace(",", "").replace("_", "")
    body = raw[1:] if raw[:1] in "+-" else raw
    if not (body.isascii() and body.isdigit()) or len(body) > _MAX_DIGITS:
        raise ArgError("bad_number", value=text, min=lo, max=hi)
    value = int(raw)
    if not lo <= value <= hi:
        raise ArgError("bad_number", value=text, min=lo, max=hi)
    return value


def parse_amount(text: str, *, hi: int = MAX_MONEY_FEN) -> int:
    """Yuan as typed (`1234.5`, `¥1,234.50`, `1234元`) → fen, at most `hi`."""
    cleaned = text.strip().removesuffix("元").strip()
    if len(cleaned) > _MAX_DIGITS:
        raise ArgError("bad_amount", value=text, max=hi)
    try:
        fen = parse_yuan(cleaned)
    except MoneyError:
        raise ArgError("bad_amount", value=text, max=hi) from None
    if fen > hi:
        raise ArgError("bad_amount", value=text, max=hi)
    return fen


def parse_sample_number(text: str) -> int:
    """`#12`, `12` or `＃12` → 12."""
    raw = fold(text).removeprefix("#")
    if not (raw.isascii() and raw.isdigit()) or len(raw) > _MAX_DIGITS:
        raise ArgError("bad_sample", value=text)
    value = int(raw)
    if not 1 <= value <= MAX_ID:
        raise ArgError("bad_sample", value=text)
    return value


def looks_like_sample_number(text: str) -> bool:
    raw = fold(text)
    return raw.startswith("#") or (raw.isascii() and raw.isdigit())


def parse_user_id(text: str) -> int:
    return parse_int(text, lo=1, hi=MAX_USER_ID)


def parse_creator_ref(text: str) -> CreatorRef:
    """`lily`, `@lily`, `lily@douyin` or `lily:douyin`.

    The platform follows the last `@` or `:` after the first character. If that tail is not a
    platform the whole word is the handle (handles may contain either sign), and the tail is
    kept so a failed look-up can say the platform is unknown.
    """
    handle = normalize_handle(text)
    cut = max(handle.rfind("@"), handle.rfind(":"), handle.rfind("＠"), handle.rfind("："))
    if cut <= 0 or cut == len(handle) - 1:
        return CreatorRef(handle)
    head, tail = handle[:cut], handle[cut + 1 :]
    try:
        return CreatorRef(normalize_handle(head), parse_platform(tail))
    except DomainError:
        return CreatorRef(handle, unknown_platform=tail)


def parse_percent(text: str) -> Decimal:
    """`35`, `35%`, `35.5％` → 0.35, 0.355 (percent points, 0–100)."""
    raw = fold(text).removesuffix("%").strip()
    try:
        value = Decimal(raw) if len(raw) <= _MAX_DIGITS else None
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite() or not 0 <= value <= 100:
        raise ArgError("bad_percent", value=text)
    return value.scaleb(-2)


_ON = {"on", "yes", "y", "true", "1", "开", "開", "是", "打开", "打開"}
_OFF = {"off", "no", "n", "false", "0", "关", "關", "否", "关闭", "關閉"}


def or_none(parse: Callable[..., _V], text: str, **bounds: int) -> _V | None:
    """`parse(text, **bounds)`, or None where it refuses: for callers that name the error
    themselves (a screening figure, a filter)."""
    try:
        return parse(text, **bounds)
    except ArgError:
        return None


def parse_switch(text: str) -> bool:
    key = fold(text)
    if key in _ON:
        return True
    if key in _OFF:
        return False
    raise ArgError("bad_switch", value=text)
