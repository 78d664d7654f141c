"""Creator screening (选达人): follower bands, /find filters and ranking, /creator_stats pairs.

Scores are floats in 0..100: they only order a list (never money), and floats keep the
5,000-profile pass cheap. Shares and rates stay exact `Decimal` fractions on the profile.
"""

from __future__ import annotations

import heapq
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from bot.domain.args import or_none, parse_int, parse_percent
from bot.domain.creator_stats import STAT_FIELDS as STAT_FIELDS
from bot.domain.creator_stats import parse_stats_pairs as parse_stats_pairs
from bot.domain.creators import (
    CreatorStatus,
    Tier,
    alias_table,
    closest_handles,
    fold,
    parse_count,
)
from bot.domain.money import DomainError


class ScreeningError(DomainError):
    """Codes: bad_filter (token, reason: unknown/bad_value/operator); bad_band (token,
    allowed); unknown_category (token, suggestions); duplicate_filter (token).

    `parse_stats_pairs` (re-exported from creator_stats) raises `bad_stat`."""


class Band(StrEnum):
    K1_20K = "1k-20k"
    K20_100K = "20k-100k"
    K100_500K = "100k-500k"
    K500K_1M = "500k-1m"
    M1_PLUS = "1m+"


# Lower bound inclusive, upper bound exclusive.
BAND_BOUNDS: dict[Band, tuple[int, int | None]] = {
    Band.K1_20K: (1_000, 20_000),
    Band.K20_100K: (20_000, 100_000),
    Band.K100_500K: (100_000, 500_000),
    Band.K500K_1M: (500_000, 1_000_000),
    Band.M1_PLUS: (1_000_000, None),
}
_BY_BOUNDS = {bounds: band for band, bounds in BAND_BOUNDS.items()}


class Goal(StrEnum):
    BRAND = "brand"
    SALES = "sales"


def band_of(followers: int | None) -> Band | None:
    """The band a follower count falls in; None below 1K (or unknown)."""
    if followers is None or followers < 1_000:
        return None
    for band, (_, high) in BAND_BOUNDS.items():
        if high is None or followers < high:
            return band
    return None  # pragma: no cover - the last band is open-ended


_DASHES = str.maketrans({c: "-" for c in "–—~～至到"})
_COUNT = r"\d+(?:\.\d+)?[k千w万萬m亿億]?"
_RANGE_LIKE = re.compile(rf"{_COUNT}(?:-{_COUNT}|\+|以上)")


def parse_band(text: str) -> Band | None:
    """`1k-20k`, `1K–20K`, `2万-10万`, `100万+`, `1M以上` → Band; None if not a band form.

    Raises `bad_band` for a range that is not one of the five bands (e.g. `1万-10万`).
    """
    key = fold(text).replace(" ", "").translate(_DASHES)
    if not _RANGE_LIKE.fullmatch(key):
        return None
    if key.endswith(("+", "以上")):
        low, high = parse_count(key.rstrip("+").removesuffix("以上")), None
        closed = True
    else:
        low_text, high_text = key.split("-")
        low, high = parse_count(low_text), parse_count(high_text)
        closed = high is not None
    band = _BY_BOUNDS.get((low, high)) if low is not None and closed else None
    if band is None:
        raise ScreeningError("bad_band", token=text, allowed=[b.value for b in Band])
    return band


@dataclass(frozen=True, slots=True)
class FindQuery:
    category: str | None = None
    band: Band | None = None
    min_adult: Decimal | None = None
    min_female: Decimal | None = None
    min_posts: int | None = None
    min_interaction: Decimal | None = None
    goal: Goal | None = None


_FILTER_KEYS = alias_table(
    {
        "min_adult": ("adult", "18+", "成年"),
        "min_female": ("female", "women", "女", "女性"),
        "min_posts": ("posts", "作品"),
        "min_interaction": ("interaction", "er", "互动", "互动率"),
        "goal": ("goal", "目标"),
    }
)
_GOALS = alias_table({Goal.BRAND: ("brand", "品牌", "品宣"), Goal.SALES: ("sales", "带货", "销售")})
# `>` and `=` read as `>=`: thresholds are screening figures, one unit either way never matters.
_FILTER = re.compile(r"(?P<key>[^<>=≥≤]+?)(?P<op>>=|≥|=|>|<=|≤|<)(?P<value>.*)")


def _filter_value(field: str, raw: str) -> object | None:
    if field == "goal":
        return _GOALS.get(fold(raw))
    if field == "min_posts":
        return or_none(parse_int, raw)
    return or_none(parse_percent, raw)


def parse_find_args(tokens: Sequence[str], known_categories: Iterable[str]) -> FindQuery:
    """`/find [category] [band] [adult>=N] [female>=N] [posts>=N] [interaction>=N%]
    [goal=brand|sales]`, in any order."""
    categories = {fold(c): c for c in known_categories}
    found: dict[str, object] = {}

    def put(field: str, value: object, token: str) -> None:
        if field in found:
            raise ScreeningError("duplicate_filter", token=token)
        found[field] = value

    for token in tokens:
        folded = fold(token)
        match = _FILTER.fullmatch(folded)
        if match is not None:
            field = _FILTER_KEYS.get(match["key"].strip())
            if field is None:
                raise ScreeningError("bad_filter", token=token, reason="unknown")
            if match["op"] in ("<=", "≤", "<") or (field == "goal" and match["op"] != "="):
                raise ScreeningError("bad_filter", token=token, reason="operator")
            value = _filter_value(field, match["value"])
            if value is None:
                raise ScreeningError("bad_filter", token=token, reason="bad_value")
            put(field, value, token)
        elif folded in categories:
            put("category", categories[folded], token)
        elif (band := parse_band(token)) is not None:
            put("band", band, token)
        else:
            suggestions = closest_handles(token, categories.values())
            raise ScreeningError("unknown_category", token=token, suggestions=suggestions)
    return FindQuery(**found)  # type: ignore[arg-type]


@dataclass(frozen=True, slots=True)
class CreatorProfile:
    handle: str
    tier: Tier
    followers: int | None = None
    categories: tuple[str, ...] = ()
    adult_share: Decimal | None = None
    female_share: Decimal | None = None
    posts_30d: int | None = None
    interaction_rate: Decimal | None = None
    products_28d: int | None = None
    fulfilment_rate: Decimal | None = None
    reply_rate: Decimal | None = None
    attributed_sales_fen: int = 0
    status: CreatorStatus = CreatorStatus.ACTIVE
    blocked: bool = False


def _at_least(value: Decimal | int | None, minimum: Decimal | int | None) -> bool:
    return minimum is None or (value is not None and value >= minimum)


def matches(profile: CreatorProfile, query: FindQuery) -> bool:
    if profile.blocked or profile.status is CreatorStatus.ENDED:
        return False
    if query.band is not None and band_of(profile.followers) is not query.band:
        return False
    if query.category is not None:
        wanted = fold(query.category)
        if not any(fold(c) == wanted for c in profile.categories):
            return False
    return (
        _at_least(profile.adult_share, query.min_adult)
        and _at_least(profile.female_share, query.min_female)
        and _at_least(profile.posts_30d, query.min_posts)
        and _at_least(profile.interaction_rate, query.min_interaction)
    )


UNKNOWN = 0.3  # a missing figure scores a little below average, never zero
_TIER_SCORE = {Tier.S: 1.0, Tier.A: 0.6, Tier.B: 0.3}
_PAUSED_FACTOR = 0.8
_LOG_REACH = math.log(1_000)  # 1K → 0, 1M → 1
_LOG_SALES = math.log(1_000_000)  # ¥1M attributed sales → 1


def _frac(value: Decimal | None) -> float:
    return UNKNOWN if value is None else min(1.0, max(0.0, float(value)))


def score(profile: CreatorProfile, goal: Goal | None) -> float:
    """0..100, higher is better for `goal` (None: balanced)."""
    followers = profile.followers or 0
    reach = min(1.0, max(0.0, math.log(followers / 1_000) / _LOG_REACH)) if followers > 0 else 0.0
    interaction = (
        UNKNOWN
        if profile.interaction_rate is None
        else min(1.0, float(profile.interaction_rate) / 0.10)  # 10% interaction is top
    )
    fulfil = _frac(profile.fulfilment_rate)
    reply = _frac(profile.reply_rate)
    yuan = profile.attributed_sales_fen / 100
    sales = min(1.0, math.log1p(yuan) / _LOG_SALES) if yuan > 0 else 0.0
    products = UNKNOWN if profile.products_28d is None else min(1.0, profile.products_28d / 10)
    tier = _TIER_SCORE[profile.tier]
    if goal is Goal.BRAND:
        big = 1.0 if followers >= 500_000 else 0.0
        total = 0.35 * reach + 0.25 * big + 0.25 * interaction + 0.05 * (fulfil + reply + tier)
    elif goal is Goal.SALES:
        enough = min(1.0, followers / 20_000)
        total = (
            0.15 * enough
            + 0.10 * reach
            + 0.30 * sales
            + 0.25 * fulfil
            + 0.05 * (reply + interaction + products + tier)
        )
    else:
        total = (
            0.20 * (reach + interaction + fulfil)
            + 0.15 * sales
            + 0.10 * (reply + tier)
            + 0.05 * products
        )
    if profile.status is CreatorStatus.PAUSED:
        total *= _PAUSED_FACTOR
    return round(100 * total, 1)


def find(
    profiles: Iterable[CreatorProfile], query: FindQuery, limit: int = 10
) -> list[tuple[CreatorProfile, float]]:
    """Matching profiles best first: one pass plus a heap of `limit`, O(n log limit)."""
    scored = ((p, score(p, query.goal)) for p in profiles if matches(p, query))
    return heapq.nlargest(limit, scored, key=lambda item: (item[1], item[0].followers or 0))
