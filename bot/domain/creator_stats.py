"""A creator's figures from the bot's own records: what the /creator card and tier review show.

Fulfilment rate (履约率) = samples with a video / samples signed, as SPEC defines it. A
sample cancelled by us before any video is left out of both sides: the creator did not fail.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from bot.domain.args import or_none, parse_int, parse_percent
from bot.domain.creators import (
    MAX_FOLLOWERS,
    alias_table,
    fold,
    parse_count,
)
from bot.domain.money import DomainError
from bot.domain.pipeline import VIDEO_STAGES, Stage

_MICROS_PER_DAY = Decimal(86_400_000_000)
_MICRO = timedelta(microseconds=1)
_TENTH = Decimal("0.1")
# Stages that count as a finished collaboration (the creator's part delivered and handed over).
COMPLETED_STAGES: frozenset[Stage] = frozenset({Stage.HANDED_TO_ADS, Stage.DONE})


class StatsInputError(DomainError):
    """Code bad_stat (key, value, reason: unknown_key/missing_value/bad_value)."""


@dataclass(frozen=True, slots=True)
class SampleFacts:
    stage: Stage
    shipped_at: datetime | None = None
    signed_at: datetime | None = None
    video_at: datetime | None = None  # first video; a reshoot does not reset the clock
    chases: int = 0  # chases the BD logged
    chases_replied: int = 0
    last_chase_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class CreatorStats:
    samples: int
    by_stage: dict[Stage, int]
    signed: int
    with_video: int
    fulfilment_rate: Decimal | None  # None when nothing was signed
    chases: int
    chases_replied: int
    reply_rate: Decimal | None  # None when never chased
    avg_days_to_video: Decimal | None  # one decimal; None without a signed sample with video
    last_contact: datetime | None
    no_shows: int
    collaborations: int  # samples with a video (the creator did the work)
    completed: int  # samples handed to ads or done
    attributed_sales_fen: int = 0
    attributed_orders: int = 0


def _has_video(fact: SampleFacts) -> bool:
    return fact.video_at is not None or fact.stage in VIDEO_STAGES


def _is_signed(fact: SampleFacts, video: bool) -> bool:
    return video or fact.signed_at is not None or fact.stage not in (Stage.SHIPPED, Stage.CANCELLED)


def _latest(current: datetime | None, candidate: datetime | None) -> datetime | None:
    if candidate is None:
        return current
    return candidate if current is None or candidate > current else current


def compute_stats(
    samples: Iterable[SampleFacts],
    *,
    contacts: Iterable[datetime] = (),
    attributed_sales_fen: int = 0,
    attributed_orders: int = 0,
) -> CreatorStats:
    """One pass over the creator's samples. `contacts` are other logged contacts (notes).

    Last contact = latest of: a sample shipped, a chase, a video, a note (SPEC's list).
    """
    by_stage: Counter[Stage] = Counter()
    count = signed = with_video = chases = replied = no_shows = collabs = completed = 0
    days_total = Decimal(0)
    days_n = 0
    last: datetime | None = None
    for fact in samples:
        count += 1
        by_stage[fact.stage] += 1
        video = _has_video(fact)
        if fact.stage is Stage.CANCELLED and not video:
            pass  # our cancellation, not the creator's failure
        elif _is_signed(fact, video):
            signed += 1
            if video:
                with_video += 1
        if video:
            collabs += 1
        if fact.signed_at is not None and fact.video_at is not None:
            # Integer microseconds keep the average exact; a clock slip never goes negative.
            micros = max((fact.video_at - fact.signed_at) // _MICRO, 0)
            days_total += Decimal(micros) / _MICROS_PER_DAY
            days_n += 1
        if fact.stage is Stage.NO_SHOW:
            no_shows += 1
        if fact.stage in COMPLETED_STAGES:
            completed += 1
        chases += fact.chases
        replied += fact.chases_replied
        last = _latest(last, fact.shipped_at)
        last = _latest(last, fact.last_chase_at)
        last = _latest(last, fact.video_at)
    for when in contacts:
        last = _latest(last, when)
    return CreatorStats(
        samples=count,
        by_stage={stage: by_stage[stage] for stage in Stage if by_stage[stage]},
        signed=signed,
        with_video=with_video,
        fulfilment_rate=None if signed == 0 else Decimal(with_video) / Decimal(signed),
        chases=chases,
        chases_replied=replied,
        reply_rate=None if chases == 0 else Decimal(replied) / Decimal(chases),
        avg_days_to_video=(
            None if days_n == 0 else (days_total / days_n).quantize(_TENTH, rounding=ROUND_HALF_UP)
        ),
        last_contact=last,
        no_shows=no_shows,
        collaborations=collabs,
        completed=completed,
        attributed_sales_fen=attributed_sales_fen,
        attributed_orders=attributed_orders,
    )


# --- /creator_stats <handle> key=value… -------------------------------------------------------

_STAT_KEYS = alias_table(
    {
        "categories": ("categories", "category", "类目", "品类"),
        "followers": ("followers", "fans", "粉丝"),
        "adult": ("adult", "18+", "成年"),
        "female": ("female", "women", "女性"),
        "posts": ("posts", "作品"),
        "interaction": ("interaction", "er", "互动率"),
        "products": ("products", "带货"),
    }
)
# Where each parsed key lands on CreatorProfile.
STAT_FIELDS = {
    "categories": "categories",
    "followers": "followers",
    "adult": "adult_share",
    "female": "female_share",
    "posts": "posts_30d",
    "interaction": "interaction_rate",
    "products": "products_28d",
}
_LIST_SPLIT = re.compile(r"[,，、/]")


def _stat_value(key: str, raw: str) -> object | None:
    if key == "categories":
        items: dict[str, str] = {}
        for part in _LIST_SPLIT.split(raw):
            if part.strip():  # case-insensitive de-duplication, first spelling kept
                items.setdefault(fold(part), part.strip())
        return tuple(items.values()) or None
    if key == "followers":
        count = parse_count(raw)
        return None if count is None or count > MAX_FOLLOWERS else count
    if key in ("posts", "products"):
        return or_none(parse_int, raw)
    return or_none(parse_percent, raw)


def parse_stats_pairs(tokens: Sequence[str]) -> dict[str, object]:
    """`followers=1.2万 adult=85% categories=美妆,护肤` → {"followers": 12000, "adult":
    Decimal("0.85"), "categories": ("美妆", "护肤")}. A repeated key: the last one wins."""
    out: dict[str, object] = {}
    for token in tokens:
        raw_key, sep, raw = unicodedata.normalize("NFKC", token).partition("=")
        key = _STAT_KEYS.get(raw_key.strip().casefold())
        if key is None:
            raise StatsInputError("bad_stat", key=raw_key.strip(), value=raw, reason="unknown_key")
        if not sep or not raw.strip():
            raise StatsInputError("bad_stat", key=key, value=raw, reason="missing_value")
        value = _stat_value(key, raw)
        if value is None:
            raise StatsInputError("bad_stat", key=key, value=raw, reason="bad_value")
        out[key] = value
    return out
