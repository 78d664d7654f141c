"""`/adstats <ref> <spend> <impressions> <clicks> <orders> [gmv]`: parse, check, derive.

Orders may exceed clicks: paid-promotion platforms (Qianchuan, TikTok Ads) attribute orders
by view-through and multi-day windows, so conversion above 100% is real data, not a typo.
Clicks above impressions cannot happen and are refused.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from bot.domain.args import MAX_COUNT, MAX_MONEY_FEN
from bot.domain.creators import parse_count
from bot.domain.money import DomainError, MoneyError, parse_yuan

FIELDS: tuple[str, ...] = ("spend", "impressions", "clicks", "orders", "gmv")
_HUNDRED = Decimal(100)
_CENT = Decimal("0.01")
_MINUS = ("-", "−")
# No figure needs more characters than this (¥1,000,000,000,000.00 fits); longer is a typo.
_MAX_CHARS = 24


class AdStatsError(DomainError):
    """Codes: wrong_arg_count (got, min, max); not_a_number, negative, too_large (field,
    value); clicks_exceed_impressions (clicks, impressions)."""


@dataclass(frozen=True, slots=True)
class AdStats:
    spend_fen: int
    impressions: int
    clicks: int
    orders: int
    gmv_fen: int | None = None


@dataclass(frozen=True, slots=True)
class AdResults:
    """Exact ratios (None when the denominator is 0 or, for ROI, no GMV was reported)."""

    ctr: Decimal | None  # clicks / impressions
    conversion: Decimal | None  # orders / clicks
    roi: Decimal | None  # gmv / spend
    cost_per_order_fen: int | None  # spend / orders, rounded half up

    @property
    def ctr_percent(self) -> Decimal | None:
        return _percent(self.ctr)

    @property
    def conversion_percent(self) -> Decimal | None:
        return _percent(self.conversion)

    @property
    def roi_2dp(self) -> Decimal | None:
        return None if self.roi is None else self.roi.quantize(_CENT, rounding=ROUND_HALF_UP)

    def display(self) -> dict[str, str | None]:
        """Plain-text figures (`"2.35%"`, `"3.21"`); locale-aware formatting stays at the edge."""
        return {
            "ctr": _percent_text(self.ctr_percent),
            "conversion": _percent_text(self.conversion_percent),
            "roi": None if self.roi_2dp is None else f"{self.roi_2dp:f}",
        }


def _percent(ratio: Decimal | None) -> Decimal | None:
    if ratio is None:
        return None
    return (ratio * _HUNDRED).quantize(_CENT, rounding=ROUND_HALF_UP)


def _percent_text(pct: Decimal | None) -> str | None:
    return None if pct is None else f"{pct:f}%"


def _yuan(field: str, text: str) -> int:
    cleaned = text.strip().removesuffix("元").strip()
    if len(cleaned) > _MAX_CHARS:
        raise AdStatsError("too_large", field=field, value=text)
    try:
        fen = parse_yuan(cleaned)
    except MoneyError as exc:
        code = exc.code if exc.code in ("negative", "too_large") else "not_a_number"
        raise AdStatsError(code, field=field, value=text) from None
    if fen > MAX_MONEY_FEN:
        raise AdStatsError("too_large", field=field, value=text)
    return fen


def _count(field: str, text: str) -> int:
    stripped = text.strip()
    negative = stripped[:1] in _MINUS
    value = parse_count(stripped[1:] if negative else stripped)
    if value is None:
        raise AdStatsError("not_a_number", field=field, value=text)
    if negative and value:
        raise AdStatsError("negative", field=field, value=text)
    if value > MAX_COUNT:
        raise AdStatsError("too_large", field=field, value=text)
    return value


def parse_adstats(args: Sequence[str]) -> AdStats:
    """The four or five figures after the ref: spend and gmv in yuan, the rest counts
    (`12,000` and `1.2万` accepted: ads dashboards print both)."""
    if not 4 <= len(args) <= 5:
        raise AdStatsError("wrong_arg_count", got=len(args), min=4, max=5)
    spend = _yuan("spend", args[0])
    impressions = _count("impressions", args[1])
    clicks = _count("clicks", args[2])
    orders = _count("orders", args[3])
    gmv = _yuan("gmv", args[4]) if len(args) == 5 else None
    if clicks > impressions:
        raise AdStatsError("clicks_exceed_impressions", clicks=clicks, impressions=impressions)
    return AdStats(spend, impressions, clicks, orders, gmv)


def _ratio(numerator: int, denominator: int) -> Decimal | None:
    return None if denominator == 0 else Decimal(numerator) / Decimal(denominator)


def results(stats: AdStats) -> AdResults:
    cost_per_order = None
    if stats.orders:
        exact = Decimal(stats.spend_fen) / Decimal(stats.orders)
        cost_per_order = int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return AdResults(
        ctr=_ratio(stats.clicks, stats.impressions),
        conversion=_ratio(stats.orders, stats.clicks),
        roi=None if stats.gmv_fen is None else _ratio(stats.gmv_fen, stats.spend_fen),
        cost_per_order_fen=cost_per_order,
    )
