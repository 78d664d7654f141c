"""Creator values: tier, platform, status, handles and follower counts.

Every refusal is a `DomainError` (the shared base in bot.domain.money) with a stable `code`
and `params`; the handler layer turns those into localized sentences.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from enum import StrEnum
from typing import TypeVar

from rapidfuzz import fuzz, process

from bot.domain.money import DomainError

MAX_HANDLE_LEN = 64
_T = TypeVar("_T")
# Ten billion is well above any real audience; larger figures are typos (extra zeros).
MAX_FOLLOWERS = 10_000_000_000


class CreatorError(DomainError):
    """Codes: bad_tier, bad_platform, bad_status (value, allowed); bad_handle (value, reason:
    empty/whitespace/too_long, max); bad_followers (value)."""


class Tier(StrEnum):
    S = "S"
    A = "A"
    B = "B"


class Platform(StrEnum):
    TIKTOK = "tiktok"
    DOUYIN = "douyin"
    CHANNELS = "channels"
    XIAOHONGSHU = "xiaohongshu"
    OTHER = "other"


class CreatorStatus(StrEnum):
    ACTIVE = "active"
    PAUSED = "paused"
    ENDED = "ended"


def fold(text: str) -> str:
    """Comparison form: NFKC folds full-width Latin (Ｓ, ＠lily) typed on Chinese IMEs onto
    ASCII; casefold for case-insensitive matching."""
    return unicodedata.normalize("NFKC", text).strip().casefold()


def alias_table(table: dict[_T, tuple[str, ...]]) -> dict[str, _T]:
    """{target: (alias, …)} → {alias: target}: aliases read better grouped by target."""
    return {alias: target for target, names in table.items() for alias in names}


def parse_tier(text: str) -> Tier:
    try:
        return Tier(fold(text).upper())
    except ValueError:
        raise CreatorError("bad_tier", value=text, allowed=[t.value for t in Tier]) from None


_PLATFORM_ALIASES: dict[str, Platform] = {
    "tiktok": Platform.TIKTOK,
    "tt": Platform.TIKTOK,
    "tk": Platform.TIKTOK,
    "douyin": Platform.DOUYIN,
    "dy": Platform.DOUYIN,
    "抖音": Platform.DOUYIN,
    "channels": Platform.CHANNELS,
    "channel": Platform.CHANNELS,
    "wechat": Platform.CHANNELS,
    "weixin": Platform.CHANNELS,
    "sph": Platform.CHANNELS,
    "视频号": Platform.CHANNELS,
    "視頻號": Platform.CHANNELS,
    "視訊號": Platform.CHANNELS,
    "xiaohongshu": Platform.XIAOHONGSHU,
    "xhs": Platform.XIAOHONGSHU,
    "red": Platform.XIAOHONGSHU,
    "rednote": Platform.XIAOHONGSHU,
    "小红书": Platform.XIAOHONGSHU,
    "小紅書": Platform.XIAOHONGSHU,
    "other": Platform.OTHER,
    "其他": Platform.OTHER,
    "其它": Platform.OTHER,
}


def parse_platform(text: str) -> Platform:
    key = fold(text).replace(" ", "").replace("_", "").replace("-", "")
    platform = _PLATFORM_ALIASES.get(key)
    if platform is None:
        raise CreatorError("bad_platform", value=text, allowed=[p.value for p in Platform])
    return platform


def parse_status(text: str) -> CreatorStatus:
    try:
        return CreatorStatus(fold(text))
    except ValueError:
        raise CreatorError(
            "bad_status", value=text, allowed=[s.value for s in CreatorStatus]
        ) from None


def normalize_handle(text: str) -> str:
    """The handle as displayed: trimmed, without a leading @; Chinese and emoji kept.

    Refusals (`bad_handle`, params `value` and `reason`): `empty`, `whitespace`, `too_long`.
    """
    # NFC only, so what we show is what was typed; NFKC is for the comparison key.
    handle = unicodedata.normalize("NFC", text).strip()
    if handle[:1] in ("@", "＠"):
        handle = handle[1:]
    if not handle:
        raise CreatorError("bad_handle", value=text, reason="empty")
    if any(ch.isspace() for ch in handle):
        raise CreatorError("bad_handle", value=text, reason="whitespace")
    if len(handle) > MAX_HANDLE_LEN:
        raise CreatorError("bad_handle", value=text, reason="too_long", max=MAX_HANDLE_LEN)
    return handle


def handle_key(handle: str) -> str:
    """Comparison key: `@Lily`, `lily` and full-width `ｌｉｌｙ` are the same creator."""
    return fold(normalize_handle(handle))


_MULTIPLIERS: dict[str, int] = {
    "": 1,
    "k": 1_000,
    "千": 1_000,
    "w": 10_000,
    "万": 10_000,
    "萬": 10_000,
    "m": 1_000_000,
    "亿": 100_000_000,
    "億": 100_000_000,
}
# Longer than any real count with its unit; the limit keeps a pasted essay out of Decimal.
_MAX_COUNT_CHARS = 24
_COUNT_RE = re.compile(r"(?P<num>\d+(?:\.\d+)?)(?P<unit>[kw千万萬m亿億]?)\+?")


def parse_count(text: str) -> int | None:
    """A non-negative count as marketplaces write it, or None when it is not one.

    `12000`, `1,200`, `1.2万`, `1.2w`, `12k`, `1.5M`, `10w+`. A bare decimal without a unit is
    not a count; a decimal with a unit is rounded half up (1.2345k → 1235).
    """
    cleaned = fold(text).replace(",", "").replace("，", "").replace(" ", "")
    if len(cleaned) > _MAX_COUNT_CHARS:
        return None
    match = _COUNT_RE.fullmatch(cleaned)
    if match is None:
        return None
    num, unit = match["num"], match["unit"]
    if not unit and "." in num:
        return None
    try:
        value = Decimal(num) * _MULTIPLIERS[unit]
    except InvalidOperation:  # pragma: no cover - the regex admits only digits
        return None
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def parse_followers(text: str) -> int:
    value = parse_count(text)
    if value is None or value > MAX_FOLLOWERS:
        raise CreatorError("bad_followers", value=text)
    return value


def closest_handles(
    query: str, handles: Iterable[str], limit: int = 3, score_cutoff: float = 60.0
) -> list[str]:
    """Up to `limit` known handles most like `query`, best first, for "did you mean …"."""
    try:
        key = handle_key(query)
    except CreatorError:
        return []
    seen: set[str] = set()
    choices: dict[str, str] = {}
    for handle in handles:
        try:
            k = handle_key(handle)
        except CreatorError:
            continue
        if k not in seen:
            seen.add(k)
            choices[handle] = k
    matches = process.extract(
        key,
        choices,
        scorer=fuzz.WRatio,
        processor=None,
        limit=limit,
        score_cutoff=score_cutoff,
    )
    # extract over a dict yields (value, score, key): the key is the original handle.
    return [original for _, _, original in matches]
