from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from pydantic import ValidationError

from bot.domain.creator_stats import CreatorStats, SampleFacts, compute_stats
from bot.domain.creators import CreatorStatus, Tier
from bot.domain.pipeline import Stage
from bot.domain.tiers import (
    END,
    ReviewInput,
    TierSuggestion,
    TierThresholds,
    first_completed_collaboration,
    needs_checkin,
    review,
)

T0 = datetime(2026, 11, 1, tzinfo=UTC)
DAY = timedelta(days=1)
TH = TierThresholds()


def _stats(**kw: object) -> CreatorStats:
    base = compute_stats([])
    return replace(base, **kw)  # type: ignore[arg-type]


def _one(item: ReviewInput, thresholds: TierThresholds = TH) -> TierSuggestion | None:
    out = review([item], thresholds)
    assert len(out) <= 1
    return out[0] if out else None


def test_defaults() -> None:
    assert TH.promote_sales_fen == 5_000_000
    assert TH.promote_fulfilment == Decimal("0.8")
    assert TH.demote_fulfilment_below == Decimal("0.5")
    assert TH.demote_reply_below == Decimal("0.3")
    assert TH.end_min_collaborations == 3


def test_thresholds_validate() -> None:
    assert TierThresholds(promote_fulfilment="0.9").promote_fulfilment == Decimal("0.9")
    with pytest.raises(ValidationError):
        TierThresholds(promote_fulfilment=Decimal("1.5"))
    with pytest.raises(ValidationError):
        TierThresholds(unknown_key=1)  # type: ignore[call-arg]


def test_promote_a_to_s() -> None:
    stats = _stats(signed=4, fulfilment_rate=Decimal("0.9"), attributed_sales_fen=6_000_000)
    suggestion = _one(ReviewInput("小美🌸", Tier.A, stats))
    assert suggestion == TierSuggestion(
        "小美🌸",
        Tier.A,
        Tier.S,
        "sales_and_fulfilment_high",
        {
            "sales_fen": 6_000_000,
            "fulfilment": Decimal("0.9"),
            "min_sales_fen": 5_000_000,
            "min_fulfilment": Decimal("0.8"),
        },
    )


@pytest.mark.parametrize(
    "kw",
    [
        {"signed": 4, "fulfilment_rate": Decimal("0.9"), "attributed_sales_fen": 4_999_999},
        {"signed": 4, "fulfilment_rate": Decimal("0.79"), "attributed_sales_fen": 6_000_000},
        {"signed": 2, "fulfilment_rate": Decimal(1), "attributed_sales_fen": 6_000_000},
        {"signed": 0, "fulfilment_rate": None, "attributed_sales_fen": 6_000_000},
    ],
)
def test_no_promotion_below_thresholds(kw: dict[str, object]) -> None:
    assert _one(ReviewInput("a", Tier.A, _stats(**kw))) is None


def test_demote_a_to_b_on_fulfilment() -> None:
    stats = _stats(signed=3, fulfilment_rate=Decimal("0.33"), reply_rate=Decimal("0.1"))
    suggestion = _one(ReviewInput("lily", Tier.A, stats))
    assert suggestion is not None
    assert (suggestion.to_tier, suggestion.reason_code) == (Tier.B, "fulfilment_low")
    assert suggestion.params == {"fulfilment": Decimal("0.33"), "min": Decimal("0.5")}


def test_demote_a_to_b_on_replies() -> None:
    stats = _stats(signed=3, fulfilment_rate=Decimal("0.67"), reply_rate=Decimal("0.2"))
    suggestion = _one(ReviewInput("lily", Tier.A, stats))
    assert suggestion is not None
    assert (suggestion.to_tier, suggestion.reason_code) == (Tier.B, "replies_low")
    assert suggestion.params == {"reply_rate": Decimal("0.2"), "min": Decimal("0.3")}


def test_no_demotion_with_too_few_signed() -> None:
    stats = _stats(signed=2, fulfilment_rate=Decimal(0), reply_rate=Decimal(0))
    assert _one(ReviewInput("new", Tier.A, stats)) is None


def test_no_demotion_when_never_chased() -> None:
    stats = _stats(signed=5, fulfilment_rate=Decimal("0.8"), reply_rate=None)
    assert _one(ReviewInput("fine", Tier.A, stats)) is None


def test_end_b_without_orders() -> None:
    stats = _stats(collaborations=3, attributed_orders=0)
    suggestion = _one(ReviewInput("quiet", Tier.B, stats))
    assert suggestion is not None
    assert (suggestion.to_tier, suggestion.reason_code) == (END, "no_orders")
    assert suggestion.params == {"collaborations": 3}
    assert _one(ReviewInput("quiet", Tier.B, _stats(collaborations=2))) is None
    assert _one(ReviewInput("ok", Tier.B, _stats(collaborations=5, attributed_orders=1))) is None


@pytest.mark.parametrize(("tier", "to"), [(Tier.S, Tier.A), (Tier.A, Tier.B), (Tier.B, END)])
def test_no_show_flags_for_review(tier: Tier, to: Tier | str) -> None:
    suggestion = _one(ReviewInput("gone", tier, _stats(), no_shows_since_review=1))
    assert suggestion is not None
    assert (suggestion.from_tier, suggestion.to_tier) == (tier, to)
    assert (suggestion.reason_code, suggestion.params) == ("no_show", {"no_shows": 1})


def test_s_tier_otherwise_left_alone() -> None:
    stats = _stats(signed=9, fulfilment_rate=Decimal(0), reply_rate=Decimal(0))
    assert _one(ReviewInput("star", Tier.S, stats)) is None


def test_blocked_and_ended_skipped() -> None:
    stats = _stats(collaborations=9)
    assert _one(ReviewInput("x", Tier.B, stats, blocked=True)) is None
    assert _one(ReviewInput("x", Tier.B, stats, status=CreatorStatus.ENDED)) is None
    assert _one(ReviewInput("x", Tier.B, stats, status=CreatorStatus.PAUSED)) is not None


def test_custom_thresholds() -> None:
    th = TierThresholds(end_min_collaborations=1)
    assert _one(ReviewInput("b", Tier.B, _stats(collaborations=1)), th) is not None


def test_review_order() -> None:
    items = [
        ReviewInput("zed", Tier.B, _stats(collaborations=3)),
        ReviewInput("Bob", Tier.A, _stats(signed=3, fulfilment_rate=Decimal(0))),
        ReviewInput(
            "amy",
            Tier.A,
            _stats(signed=3, fulfilment_rate=Decimal(1), attributed_sales_fen=10**8),
        ),
        ReviewInput("alice", Tier.A, _stats(signed=3, fulfilment_rate=Decimal(0))),
        ReviewInput("nothing", Tier.A, _stats()),
        ReviewInput("star", Tier.S, _stats(), no_shows_since_review=2),
    ]
    out = review(items, TH)
    assert [(s.handle, s.to_tier) for s in out] == [
        ("amy", Tier.S),
        ("star", Tier.A),
        ("alice", Tier.B),
        ("Bob", Tier.B),
        ("zed", END),
    ]


def test_review_from_real_samples() -> None:
    samples = [SampleFacts(Stage.NO_SHOW, signed_at=T0, chases=3) for _ in range(3)]
    stats = compute_stats(samples)
    suggestion = _one(ReviewInput("flaky", Tier.A, stats))
    assert suggestion is not None
    assert suggestion.reason_code == "fulfilment_low"


def test_needs_checkin() -> None:
    now = T0 + 10 * DAY
    assert needs_checkin(Tier.S, now - 7 * DAY, now)
    assert not needs_checkin(Tier.S, now - 7 * DAY + timedelta(seconds=1), now)
    assert needs_checkin(Tier.S, None, now)
    assert not needs_checkin(Tier.A, None, now)
    assert not needs_checkin(Tier.B, now - 30 * DAY, now)
    assert needs_checkin(Tier.S, now - 3 * DAY, now, every=3 * DAY)


@pytest.mark.parametrize(
    ("tier", "before", "after", "completed_before", "expected"),
    [
        (Tier.S, Stage.CODE_RECEIVED, Stage.HANDED_TO_ADS, 0, True),
        (Tier.S, Stage.RATED_GOOD, Stage.DONE, 0, True),
        (Tier.S, Stage.HANDED_TO_ADS, Stage.DONE, 0, False),  # already counted at hand-over
        (Tier.S, Stage.CODE_RECEIVED, Stage.HANDED_TO_ADS, 1, False),
        (Tier.A, Stage.CODE_RECEIVED, Stage.HANDED_TO_ADS, 0, False),
        (Tier.S, Stage.SIGNED, Stage.VIDEO_POSTED, 0, False),
        (Tier.S, Stage.SIGNED, Stage.CANCELLED, 0, False),
    ],
)
def test_first_completed_collaboration(
    tier: Tier, before: Stage, after: Stage, completed_before: int, expected: bool
) -> None:
    assert first_completed_collaboration(tier, before, after, completed_before) is expected
