"""Weekly tier review, the S-tier check-in, and the next-product prompt.

The review only suggests; managers decide (a tier change goes through /tier, audited).
Rules, first match wins per creator:
- S: a no-show since the last review → S→A.
- A: attributed sales and fulfilment both high (enough signed samples) → A→S;
      fulfilment or reply rate low (enough signed samples), or a no-show → A→B.
- B: several collaborations and not one attributed order, or a no-show → end.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from bot.domain.creator_stats import COMPLETED_STAGES, CreatorStats
from bot.domain.creators import CreatorStatus, Tier
from bot.domain.pipeline import Stage

END: Literal["end"] = "end"


class TierThresholds(BaseModel):
    """Defaults are a starting point; the rules file may override them."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    promote_sales_fen: int = Field(default=5_000_000, ge=0)  # ¥50,000 attributed sales
    promote_fulfilment: Decimal = Field(default=Decimal("0.8"), ge=0, le=1)
    promote_min_signed: int = Field(default=3, ge=1)
    demote_fulfilment_below: Decimal = Field(default=Decimal("0.5"), ge=0, le=1)
    demote_reply_below: Decimal = Field(default=Decimal("0.3"), ge=0, le=1)
    demote_min_signed: int = Field(default=3, ge=1)
    end_min_collaborations: int = Field(default=3, ge=1)


@dataclass(frozen=True, slots=True)
class ReviewInput:
    handle: str
    tier: Tier
    stats: CreatorStats
    status: CreatorStatus = CreatorStatus.ACTIVE
    blocked: bool = False
    no_shows_since_review: int = 0  # samples that became no_show since the last review


@dataclass(frozen=True, slots=True)
class TierSuggestion:
    handle: str
    from_tier: Tier
    to_tier: Tier | Literal["end"]
    reason_code: str
    params: dict[str, Any] = field(default_factory=dict)


def _suggest(item: ReviewInput, t: TierThresholds) -> TierSuggestion | None:
    stats = item.stats
    fulfilment, replies = stats.fulfilment_rate, stats.reply_rate

    def make(to: Tier | Literal["end"], code: str, **params: Any) -> TierSuggestion:
        return TierSuggestion(item.handle, item.tier, to, code, params)

    if item.no_shows_since_review and item.tier is not Tier.B:
        lower = Tier.A if item.tier is Tier.S else Tier.B
        return make(lower, "no_show", no_shows=item.no_shows_since_review)
    if item.tier is Tier.A:
        if (
            stats.signed >= t.promote_min_signed
            and stats.attributed_sales_fen >= t.promote_sales_fen
            and fulfilment is not None
            and fulfilment >= t.promote_fulfilment
        ):
            return make(
                Tier.S,
                "sales_and_fulfilment_high",
                sales_fen=stats.attributed_sales_fen,
                fulfilment=fulfilment,
                min_sales_fen=t.promote_sales_fen,
                min_fulfilment=t.promote_fulfilment,
            )
        if stats.signed >= t.demote_min_signed:
            if fulfilment is not None and fulfilment < t.demote_fulfilment_below:
                return make(
                    Tier.B, "fulfilment_low", fulfilment=fulfilment, min=t.demote_fulfilment_below
                )
            if replies is not None and replies < t.demote_reply_below:
                return make(Tier.B, "replies_low", reply_rate=replies, min=t.demote_reply_below)
    if item.tier is Tier.B:
        if item.no_shows_since_review:
            return make(END, "no_show", no_shows=item.no_shows_since_review)
        if stats.collaborations >= t.end_min_collaborations and stats.attributed_orders == 0:
            return make(END, "no_orders", collaborations=stats.collaborations)
    return None


_ORDER = {Tier.S: 0, Tier.A: 1, Tier.B: 2, END: 3}  # promotions first, endings last


def review(creators: Iterable[ReviewInput], thresholds: TierThresholds) -> list[TierSuggestion]:
    """Suggestions for the weekly review: promotions, demotions, endings; then by handle.

    Blocked and ended creators are skipped: nothing to decide about them.
    reason codes (params): sales_and_fulfilment_high (sales_fen, fulfilment, min_sales_fen,
    min_fulfilment); fulfilment_low (fulfilment, min); replies_low (reply_rate, min);
    no_orders (collaborations); no_show (no_shows).
    """
    out = [
        suggestion
        for item in creators
        if not item.blocked and item.status is not CreatorStatus.ENDED
        if (suggestion := _suggest(item, thresholds)) is not None
    ]
    out.sort(key=lambda s: (_ORDER[s.to_tier], s.handle.casefold()))
    return out


def needs_checkin(
    tier: Tier, last_contact: datetime | None, now: datetime, every: timedelta = timedelta(days=7)
) -> bool:
    """An S creator with no logged contact for `every` → remind the owner.

    Pass the creator's registration time when nothing was ever logged; None counts as due.
    """
    if tier is not Tier.S:
        return False
    return last_contact is None or now - last_contact >= every


def first_completed_collaboration(
    tier: Tier, before: Stage, after: Stage, completed_before: int
) -> bool:
    """True when this stage change is an S creator's first completed collaboration.

    `completed_before` counts the creator's *other* samples already handed to ads or done.
    """
    return (
        tier is Tier.S
        and before not in COMPLETED_STAGES
        and after in COMPLETED_STAGES
        and completed_before == 0
    )
