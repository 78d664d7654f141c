import random
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.creators import CreatorStatus, Tier
from bot.domain.screening import (
    Band,
    CreatorProfile,
    FindQuery,
    Goal,
    ScreeningError,
    band_of,
    find,
    matches,
    parse_band,
    parse_find_args,
    parse_stats_pairs,
    score,
)

CATS = ["美妆", "护肤", "Home", "母婴"]


@pytest.mark.parametrize(
    ("followers", "band"),
    [
        (None, None),
        (0, None),
        (999, None),
        (1_000, Band.K1_20K),
        (19_999, Band.K1_20K),
        (20_000, Band.K20_100K),
        (99_999, Band.K20_100K),
        (100_000, Band.K100_500K),
        (500_000, Band.K500K_1M),
        (999_999, Band.K500K_1M),
        (1_000_000, Band.M1_PLUS),
        (80_000_000, Band.M1_PLUS),
    ],
)
def test_band_of(followers: int | None, band: Band | None) -> None:
    assert band_of(followers) is band


@pytest.mark.parametrize(
    ("text", "band"),
    [
        ("1k-20k", Band.K1_20K),
        ("1K–20K", Band.K1_20K),
        ("1千-2万", Band.K1_20K),
        ("20k-100k", Band.K20_100K),
        ("2万-10万", Band.K20_100K),
        ("2w~10w", Band.K20_100K),
        ("100k-500k", Band.K100_500K),
        ("10万至50万", Band.K100_500K),
        ("500K-1M", Band.K500K_1M),
        ("50万-100万", Band.K500K_1M),
        ("1m+", Band.M1_PLUS),
        ("1M+", Band.M1_PLUS),
        ("100万+", Band.M1_PLUS),
        ("100万以上", Band.M1_PLUS),
        ("1000000+", Band.M1_PLUS),
    ],
)
def test_parse_band(text: str, band: Band) -> None:
    assert parse_band(text) is band


@pytest.mark.parametrize("text", ["美妆", "goal=brand", "abc", "-", "1k"])
def test_parse_band_not_a_band(text: str) -> None:
    assert parse_band(text) is None


@pytest.mark.parametrize("text", ["1万-10万", "1k-2k", "2m+", "1m-1.5", "20k-1k"])
def test_parse_band_bad_range(text: str) -> None:
    with pytest.raises(ScreeningError) as exc:
        parse_band(text)
    assert exc.value.code == "bad_band"
    assert exc.value.params == {"token": text, "allowed": [b.value for b in Band]}


def test_parse_find_args_full() -> None:
    query = parse_find_args(
        [
            "美妆",
            "20k-100k",
            "adult>=80",
            "female>=60%",
            "posts>=10",
            "interaction>=5%",
            "goal=sales",
        ],
        CATS,
    )
    assert query == FindQuery(
        category="美妆",
        band=Band.K20_100K,
        min_adult=Decimal("0.80"),
        min_female=Decimal("0.60"),
        min_posts=10,
        min_interaction=Decimal("0.05"),
        goal=Goal.SALES,
    )


def test_parse_find_args_empty_and_variants() -> None:
    assert parse_find_args([], CATS) == FindQuery()
    query = parse_find_args(["home", "goal=品牌", "女性≥50", "互动率>3.5%", "adult=70"], CATS)
    assert query.category == "Home"  # the known spelling
    assert query.goal is Goal.BRAND
    assert query.min_female == Decimal("0.50")
    assert query.min_interaction == Decimal("0.035")
    assert query.min_adult == Decimal("0.70")
    assert parse_find_args(["GOAL=Brand"], []).goal is Goal.BRAND


@pytest.mark.parametrize(
    ("token", "reason"),
    [
        ("age>=18", "unknown"),
        ("adult<=30", "operator"),
        ("posts<5", "operator"),
        ("goal>=brand", "operator"),
        ("adult>=abc", "bad_value"),
        ("adult>=120", "bad_value"),
        ("posts>=1.5", "bad_value"),
        ("goal=reach", "bad_value"),
        ("interaction>=", "bad_value"),
    ],
)
def test_parse_find_args_bad_filter(token: str, reason: str) -> None:
    with pytest.raises(ScreeningError) as exc:
        parse_find_args([token], CATS)
    assert exc.value.code == "bad_filter"
    assert exc.value.params == {"token": token, "reason": reason}


def test_parse_find_args_unknown_category_suggests() -> None:
    with pytest.raises(ScreeningError) as exc:
        parse_find_args(["美妆品"], CATS)
    assert exc.value.code == "unknown_category"
    assert exc.value.params["token"] == "美妆品"
    assert "美妆" in exc.value.params["suggestions"]


@pytest.mark.parametrize(
    "tokens", [["美妆", "护肤"], ["1k-20k", "1m+"], ["goal=brand", "goal=sales"], ["posts>=1"] * 2]
)
def test_parse_find_args_duplicate(tokens: list[str]) -> None:
    with pytest.raises(ScreeningError) as exc:
        parse_find_args(tokens, CATS)
    assert exc.value.code == "duplicate_filter"
    assert exc.value.params == {"token": tokens[1]}


def test_parse_find_args_bad_band() -> None:
    with pytest.raises(ScreeningError) as exc:
        parse_find_args(["1万-10万"], CATS)
    assert exc.value.code == "bad_band"


def _p(handle: str, **kw: object) -> CreatorProfile:
    kw.setdefault("tier", Tier.A)
    return CreatorProfile(handle=handle, **kw)  # type: ignore[arg-type]


def test_matches_filters() -> None:
    lily = _p(
        "小美🌸",
        followers=50_000,
        categories=("美妆", "护肤"),
        adult_share=Decimal("0.9"),
        female_share=Decimal("0.8"),
        posts_30d=12,
        interaction_rate=Decimal("0.06"),
    )
    assert matches(lily, FindQuery())
    assert matches(lily, FindQuery(category="美妆", band=Band.K20_100K))
    assert matches(lily, FindQuery(min_adult=Decimal("0.9"), min_posts=12))
    assert not matches(lily, FindQuery(category="母婴"))
    assert not matches(lily, FindQuery(band=Band.M1_PLUS))
    assert not matches(lily, FindQuery(min_female=Decimal("0.81")))
    assert not matches(lily, FindQuery(min_interaction=Decimal("0.07")))
    assert not matches(lily, FindQuery(min_posts=13))


def test_category_match_is_case_insensitive() -> None:
    assert matches(_p("a", categories=("HOME",)), FindQuery(category="home"))


def test_missing_figures_fail_a_filter_on_them() -> None:
    bare = _p("bare")
    assert matches(bare, FindQuery())
    assert not matches(bare, FindQuery(min_adult=Decimal(0)))
    assert not matches(bare, FindQuery(band=Band.K1_20K))


def test_blocked_and_ended_are_excluded() -> None:
    profiles = [
        _p("blocked", blocked=True, followers=2_000_000),
        _p("ended", status=CreatorStatus.ENDED, followers=2_000_000),
        _p("ok", followers=10_000),
    ]
    assert [p.handle for p, _ in find(profiles, FindQuery())] == ["ok"]


def test_goal_brand_prefers_big_and_engaging() -> None:
    big = _p("big", followers=800_000, interaction_rate=Decimal("0.08"))
    seller = _p(
        "seller",
        followers=40_000,
        interaction_rate=Decimal("0.02"),
        attributed_sales_fen=50_000_000,
        fulfilment_rate=Decimal(1),
    )
    ranked = [p.handle for p, _ in find([seller, big], FindQuery(goal=Goal.BRAND))]
    assert ranked == ["big", "seller"]
    ranked = [p.handle for p, _ in find([big, seller], FindQuery(goal=Goal.SALES))]
    assert ranked == ["seller", "big"]


def test_goal_brand_values_interaction_at_equal_reach() -> None:
    dull = _p("dull", followers=600_000, interaction_rate=Decimal("0.01"))
    lively = _p("lively", followers=600_000, interaction_rate=Decimal("0.09"))
    assert score(lively, Goal.BRAND) > score(dull, Goal.BRAND)


def test_goal_sales_wants_20k_and_fulfilment() -> None:
    tiny = _p("tiny", followers=3_000, fulfilment_rate=Decimal("0.9"))
    mid = _p("mid", followers=30_000, fulfilment_rate=Decimal("0.9"))
    flaky = _p("flaky", followers=30_000, fulfilment_rate=Decimal("0.2"))
    assert score(mid, Goal.SALES) > score(tiny, Goal.SALES)
    assert score(mid, Goal.SALES) > score(flaky, Goal.SALES)


def test_paused_ranks_below_an_equal_active() -> None:
    active = _p("active", followers=50_000)
    paused = _p("paused", followers=50_000, status=CreatorStatus.PAUSED)
    assert [p.handle for p, _ in find([paused, active], FindQuery())] == ["active", "paused"]


def test_scores_are_bounded() -> None:
    best = _p(
        "best",
        tier=Tier.S,
        followers=50_000_000,
        interaction_rate=Decimal("0.5"),
        fulfilment_rate=Decimal(1),
        reply_rate=Decimal(1),
        attributed_sales_fen=10**12,
        products_28d=100,
    )
    for goal in (None, Goal.BRAND, Goal.SALES):
        assert score(best, goal) == 100.0
        assert 0 <= score(_p("nobody", tier=Tier.B), goal) < 50


def test_find_limit_and_ties() -> None:
    profiles = [_p(f"c{i}", followers=10_000 + i) for i in range(30)]
    found = find(profiles, FindQuery(), limit=5)
    assert len(found) == 5
    assert [p.handle for p, _ in found] == ["c29", "c28", "c27", "c26", "c25"]


def _random_profiles(n: int, seed: int = 7) -> list[CreatorProfile]:
    rng = random.Random(seed)
    return [
        CreatorProfile(
            handle=f"达人{i}",
            tier=rng.choice(list(Tier)),
            followers=rng.choice([None, rng.randint(0, 5_000_000)]),
            categories=tuple(rng.sample(CATS, rng.randint(0, 2))),
            adult_share=Decimal(rng.randint(0, 100)) / 100,
            female_share=rng.choice([None, Decimal(rng.randint(0, 100)) / 100]),
            posts_30d=rng.randint(0, 60),
            interaction_rate=Decimal(rng.randint(0, 200)) / 1000,
            products_28d=rng.choice([None, rng.randint(0, 30)]),
            fulfilment_rate=rng.choice([None, Decimal(rng.randint(0, 10)) / 10]),
            reply_rate=rng.choice([None, Decimal(rng.randint(0, 10)) / 10]),
            attributed_sales_fen=rng.choice([0, rng.randint(0, 10**8)]),
            status=rng.choice(list(CreatorStatus)),
            blocked=rng.random() < 0.05,
        )
        for i in range(n)
    ]


def test_find_over_five_thousand_profiles() -> None:
    profiles = _random_profiles(5_000)
    for goal in (None, Goal.BRAND, Goal.SALES):
        query = FindQuery(category="美妆", min_adult=Decimal("0.5"), goal=goal)
        found = find(profiles, query, limit=10)
        assert len(found) == 10
        scores = [s for _, s in found]
        assert scores == sorted(scores, reverse=True)
        assert all(matches(p, query) for p, _ in found)


@given(
    st.sampled_from([None, *Band]),
    st.sampled_from([None, *Goal]),
    st.sampled_from([None, *CATS]),
    st.integers(min_value=0, max_value=100),
)
def test_find_returns_the_best_matching(
    band: Band | None, goal: Goal | None, category: str | None, adult: int
) -> None:
    profiles = _random_profiles(200, seed=adult)
    query = FindQuery(category=category, band=band, min_adult=Decimal(adult) / 100, goal=goal)
    found = find(profiles, query, limit=5)
    eligible = sorted((score(p, goal) for p in profiles if matches(p, query)), reverse=True)
    assert [s for _, s in found] == eligible[:5]


def test_stats_pairs_are_reexported() -> None:
    assert parse_stats_pairs(["posts=3"]) == {"posts": 3}
