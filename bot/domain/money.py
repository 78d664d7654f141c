"""Money as integer fen and rates as exact decimal fractions.

Nothing here ever touches a float for arithmetic: yuan text is split into whole and
fractional digits, and rates are `Decimal`s built from their written digits.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

__all__ = [
    "MAX_FEN",
    "MAX_QUANTITY",
    "DomainError",
    "MoneyError",
    "format_rate",
    "parse_rate",
    "parse_yuan",
    "round_half_up",
    "yuan_value_to_fen",
]


class DomainError(ValueError):
    """Base of every domain error: a stable machine `code` plus `params` for translation.

    The handler layer translates `code` (with `params`); `str()` is only an English fallback.
    """

    code: str = "domain_error"

    def __init__(self, code: str, message: str = "", **params: Any) -> None:
        self.code = code
        self.params: dict[str, Any] = params
        super().__init__(message or code)


class MoneyError(DomainError):
    """Bad money or rate text. Codes: empty, not_a_number, bad_thousands, too_many_decimals,
    negative, missing_percent, not_a_rate, too_large (a rate above its maximum, an amount
    above MAX_FEN)."""


# The largest amount one figure may hold (¥10,000,000,000): sums over millions of such
# figures stay far inside SQLite's 64-bit integers, so no statement or board can overflow.
MAX_FEN = 10**12
MAX_QUANTITY = 10**9  # items in one order line, by the same reasoning
_MAX_DIGITS = len(str(MAX_FEN // 100))  # whole yuan digits beyond which no check is needed

_PLAIN = re.compile(r"(\d+)(?:\.(\d{1,2}))?")
_GROUPED = re.compile(r"(\d{1,3}(?:,\d{3})+)(?:\.(\d{1,2}))?")
_NUMBERISH = re.compile(r"[\d,]*(?:\.\d*)?")
_CURRENCY = "¥￥"
_ONE = Decimal(1)
_HUNDRED = Decimal(100)


def parse_yuan(text: str, *, allow_negative: bool = False) -> int:
    """Parse yuan text such as `¥1,234.50` into fen (123450).

    Accepts an optional ¥/￥ sign, thousands commas in groups of three, at most two decimals
    and surrounding spaces. A leading minus (before or after the sign) only with allow_negative.
    More than MAX_FEN either way is refused (too_large).
    """
    s = text.strip()
    # Fast path without regex: plain digits with an optional 1-2 digit fraction.
    whole, dot, frac = s.partition(".")
    if whole.isdigit() and whole.isascii() and len(whole) <= _MAX_DIGITS:
        if not dot:
            fen = int(whole) * 100
        else:
            n = len(frac)
            if not (0 < n <= 2 and frac.isdigit() and frac.isascii()):
                return _parse_yuan_slow(text, s, allow_negative)
            fen = int(whole) * 100 + int(frac) * (10 if n == 1 else 1)
        if fen > MAX_FEN:
            raise _too_large(text)
        return fen
    return _parse_yuan_slow(text, s, allow_negative)


def _too_large(text: object) -> MoneyError:
    return MoneyError("too_large", f"amount above the limit: {text!r}", text=str(text))


def _parse_yuan_slow(text: str, s: str, allow_negative: bool) -> int:
    if not s:
        raise MoneyError("empty", "no amount given", text=text)
    negative = False
    if s[0] in "-−":
        negative, s = True, s[1:].lstrip()
    if s and s[0] in _CURRENCY:
        s = s[1:].lstrip()
    if not negative and s and s[0] in "-−":
        negative, s = True, s[1:].lstrip()
    m = _PLAIN.fullmatch(s) or _GROUPED.fullmatch(s)
    if m is None:
        if s and _NUMBERISH.fullmatch(s) and any(c.isdigit() for c in s):
            whole, _, frac = s.partition(".")
            if len(frac) > 2 and frac.isdigit():
                raise MoneyError("too_many_decimals", f"more than 2 decimals: {text!r}", text=text)
            if "," in whole:
                raise MoneyError("bad_thousands", f"misplaced thousands comma: {text!r}", text=text)
        raise MoneyError("not_a_number", f"not an amount: {text!r}", text=text)
    frac, whole = m.group(2) or "", m.group(1).replace(",", "").lstrip("0")
    if len(whole) > _MAX_DIGITS:  # and int() of thousands of digits is not free
        raise _too_large(text)
    fen = int(whole or 0) * 100 + int(frac.ljust(2, "0") or 0)
    if fen > MAX_FEN:
        raise _too_large(text)
    if negative and fen:
        if not allow_negative:
            raise MoneyError("negative", f"negative amount: {text!r}", text=text)
        return -fen
    return fen


_RATE = re.compile(r"(-|−)?\s*(\d+(?:\.\d+)?|\.\d+)\s*[%％]")


def parse_rate(text: str, *, max_rate: Decimal = _ONE) -> Decimal:
    """`"6%"` → `Decimal("0.06")`, exactly. The percent sign is required, so that "6" is never
    silently read as 600% or 6%. Rates above `max_rate` (100%) are refused as typos."""
    s = text.strip() if isinstance(text, str) else None
    if not s:
        raise MoneyError("empty", "no rate given", text=text)
    m = _RATE.fullmatch(s)
    if m is None:
        try:
            finite = Decimal(s).is_finite()
        except InvalidOperation:
            finite = False
        if not finite:
            raise MoneyError("not_a_rate", f"not a percentage: {text!r}", text=text)
        raise MoneyError("missing_percent", f"rate needs a percent sign: {text!r}", text=text)
    if m.group(1):
        raise MoneyError("negative", f"negative rate: {text!r}", text=text)
    rate = Decimal(m.group(2)).scaleb(-2)
    if rate > max_rate:
        raise MoneyError("too_large", f"rate above {format_rate(max_rate)}: {text!r}", text=text)
    return rate


def format_rate(rate: Decimal) -> str:
    """`Decimal("0.065")` → `"6.5%"`; never scientific notation, no trailing zeros."""
    pct = (rate * _HUNDRED).normalize()
    text = format(pct, "f")
    return ("0" if text in ("-0", "") else text) + "%"


def round_half_up(value: Decimal) -> int:
    """Round an exact fen amount to an integer fen, halves away from zero (0.5 → 1)."""
    return int(value.quantize(_ONE, rounding=ROUND_HALF_UP))


def yuan_value_to_fen(value: object, *, allow_negative: bool = False) -> int:
    """A yuan value from TOML (int, float or string) → fen.

    Floats go through `str()` so that 0.1 means the 0.1 the manager wrote, not its binary
    approximation; more than two decimals is refused rather than rounded.
    """
    if isinstance(value, bool):
        raise MoneyError("not_a_number", f"not an amount: {value!r}", text=str(value))
    if isinstance(value, str):
        return parse_yuan(value, allow_negative=allow_negative)
    if not isinstance(value, int | float | Decimal):
        raise MoneyError("not_a_number", f"not an amount: {value!r}", text=str(value))
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise MoneyError("not_a_number", f"not an amount: {value!r}", text=str(value)) from None
    if not amount.is_finite():
        raise MoneyError("not_a_number", f"not an amount: {value!r}", text=str(value))
    if amount < 0 and not allow_negative:
        raise MoneyError("negative", f"negative amount: {value!r}", text=str(value))
    if abs(amount) > MAX_FEN // 100:
        raise _too_large(value)
    fen = amount * _HUNDRED
    if fen != fen.to_integral_value():
        raise MoneyError("too_many_decimals", f"more than 2 decimals: {value!r}", text=str(value))
    return int(fen)
