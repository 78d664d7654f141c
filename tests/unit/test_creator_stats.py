from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from bot.domain.creator_stats import (
    SampleFacts,
    StatsInputError,
    compute_stats,
    parse_stats_pairs,
)
from bot.domain.pipeline import Stage

T0 = datetime(2026, 11, 1, 10, 0, tzinfo=UTC)
DAY = timedelta(days=1)


def test_no_samples() -> None:
    stats = compute_stats([])
    assert stats.samples == 0
    assert stats.by_stage == {}
    assert stats.fulfilment_rate is None
    assert stats.reply_rate is None
    assert stats.avg_days_to_video is None
    assert stats.last_contact is None


def test_shipped_only_has_no_fulfilment_yet() -> None:
    stats = compute_stats([SampleFacts(Stage.SHIPPED, shipped_at=T0)])
    assert stats.signed == 0
    assert stats.fulfilment_rate is None
    assert stats.last_contact == T0


def test_full_picture() -> None:
    samples = [
        SampleFacts(
            Stage.DONE,
            shipped_at=T0,
            signed_at=T0 + DAY,
            video_at=T0 + 3 * DAY,
            chases=1,
            chases_replied=1,
            last_chase_at=T0 + 2 * DAY,
        ),
        SampleFacts(
            Stage.RATED_GOOD,
            shipped_at=T0,
            signed_at=T0 + DAY,
            video_at=T0 + 2 * DAY + timedelta(hours=12),
        ),
        SampleFacts(
            Stage.NO_SHOW,
            shipped_at=T0,
            signed_at=T0 + DAY,
            chases=3,
            chases_replied=0,
            last_chase_at=T0 + 7 * DAY,
        ),
        SampleFacts(Stage.SIGNED, shipped_at=T0 + 5 * DAY, signed_at=T0 + 6 * DAY),
        SampleFacts(Stage.SHIPPED, shipped_at=T0 + 6 * DAY),
    ]
    stats = compute_stats(samples, attributed_sales_fen=123450, attributed_orders=3)
    assert stats.samples == 5
    assert stats.by_stage == {
        Stage.DONE: 1,
        Stage.RATED_GOOD: 1,
        Stage.NO_SHOW: 1,
        Stage.SIGNED: 1,
        Stage.SHIPPED: 1,
    }
    assert list(stats.by_stage) == [
        Stage.SHIPPED,
        Stage.SIGNED,
        Stage.RATED_GOOD,
        Stage.DONE,
        Stage.NO_SHOW,
    ]  # pipeline order, for the card
    assert stats.signed == 4
    assert stats.with_video == 2
    assert stats.fulfilment_rate == Decimal("0.5")
    assert stats.chases == 4
    assert stats.chases_replied == 1
    assert stats.reply_rate == Decimal("0.25")
    assert stats.avg_days_to_video == Decimal("1.8")  # (2 + 1.5) / 2 = 1.75 → 1.8
    assert stats.last_contact == T0 + 7 * DAY
    assert stats.no_shows == 1
    assert stats.collaborations == 2
    assert stats.completed == 1
    assert stats.attributed_sales_fen == 123450
    assert stats.attributed_orders == 3


def test_cancelled_without_video_is_not_held_against_the_creator() -> None:
    samples = [
        SampleFacts(Stage.CANCELLED, signed_at=T0),
        SampleFacts(Stage.VIDEO_POSTED, signed_at=T0, video_at=T0 + DAY),
    ]
    stats = compute_stats(samples)
    assert stats.signed == 1
    assert stats.fulfilment_rate == Decimal(1)


def test_cancelled_after_video_still_counts() -> None:
    stats = compute_stats([SampleFacts(Stage.CANCELLED, signed_at=T0, video_at=T0 + DAY)])
    assert (stats.signed, stats.with_video) == (1, 1)


def test_stage_implies_signed_and_video_when_times_missing() -> None:
    # Imported or legacy rows may lack timestamps; the stage still tells.
    stats = compute_stats([SampleFacts(Stage.HANDED_TO_ADS), SampleFacts(Stage.RESHOOT_REQUESTED)])
    assert stats.signed == 2
    assert stats.with_video == 1
    assert stats.avg_days_to_video is None


def test_reshoot_counts_as_signed_without_video() -> None:
    stats = compute_stats([SampleFacts(Stage.RESHOOT_REQUESTED, signed_at=T0)])
    assert stats.fulfilment_rate == Decimal(0)


def test_contacts_and_negative_durations() -> None:
    note = T0 + 30 * DAY
    sample = SampleFacts(Stage.VIDEO_POSTED, signed_at=T0 + DAY, video_at=T0)  # clock slip
    stats = compute_stats([sample], contacts=[T0 - DAY, note])
    assert stats.last_contact == note
    assert stats.avg_days_to_video == Decimal("0.0")


def test_average_is_exact_for_odd_durations() -> None:
    samples = [
        SampleFacts(Stage.VIDEO_POSTED, signed_at=T0, video_at=T0 + timedelta(hours=h))
        for h in (1, 2, 3)
    ]
    assert compute_stats(samples).avg_days_to_video == Decimal("0.1")  # 2h average


def test_accepts_a_generator() -> None:
    stats = compute_stats(SampleFacts(Stage.SIGNED, signed_at=T0) for _ in range(3))
    assert stats.signed == 3


# --- /creator_stats pairs -------------------------------------------------------------------


def test_parse_stats_pairs() -> None:
    out = parse_stats_pairs(
        [
            "categories=美妆,护肤、个护",
            "followers=1.2万",
            "adult=85%",
            "female=70",
            "posts=12",
            "interaction=3.5%",
            "products=4",
        ]
    )
    assert out == {
        "categories": ("美妆", "护肤", "个护"),
        "followers": 12000,
        "adult": Decimal("0.85"),
        "female": Decimal("0.70"),
        "posts": 12,
        "interaction": Decimal("0.035"),
        "products": 4,
    }


def test_parse_stats_pairs_aliases_and_last_wins() -> None:
    out = parse_stats_pairs(["粉丝=3w", "类目=Beauty, beauty ,Home,美妆,BEAUTY", "Followers＝5000"])
    assert out == {"followers": 5000, "categories": ("Beauty", "Home", "美妆")}
    assert parse_stats_pairs([]) == {}


@pytest.mark.parametrize(
    ("token", "key", "reason"),
    [
        ("height=180", "height", "unknown_key"),
        ("followers", "followers", "missing_value"),
        ("followers=", "followers", "missing_value"),
        ("followers=lots", "followers", "bad_value"),
        ("followers=99999999999", "followers", "bad_value"),
        ("adult=120%", "adult", "bad_value"),
        ("female=-1", "female", "bad_value"),
        ("posts=1.5", "posts", "bad_value"),
        ("products=-1", "products", "bad_value"),
        ("interaction=abc", "interaction", "bad_value"),
        ("categories=,，", "categories", "bad_value"),
    ],
)
def test_parse_stats_pairs_refuses(token: str, key: str, reason: str) -> None:
    with pytest.raises(StatsInputError) as exc:
        parse_stats_pairs([token])
    assert exc.value.code == "bad_stat"
    assert exc.value.params["key"] == key
    assert exc.value.params["reason"] == reason
