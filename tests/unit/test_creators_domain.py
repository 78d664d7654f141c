from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.args import or_none, parse_int, parse_percent
from bot.domain.creators import (
    CreatorError,
    CreatorStatus,
    Platform,
    Tier,
    closest_handles,
    handle_key,
    normalize_handle,
    parse_count,
    parse_followers,
    parse_platform,
    parse_status,
    parse_tier,
)
from bot.domain.money import DomainError


@pytest.mark.parametrize(
    ("text", "tier"),
    [("S", Tier.S), ("s", Tier.S), (" a ", Tier.A), ("B", Tier.B), ("Ｓ", Tier.S)],
)
def test_parse_tier(text: str, tier: Tier) -> None:
    assert parse_tier(text) is tier


@pytest.mark.parametrize("text", ["", "C", "SS", "top", "1"])
def test_parse_tier_refuses(text: str) -> None:
    with pytest.raises(CreatorError) as exc:
        parse_tier(text)
    assert exc.value.code == "bad_tier"
    assert exc.value.params == {"value": text, "allowed": ["S", "A", "B"]}


def test_errors_share_the_domain_base() -> None:
    with pytest.raises(DomainError):
        parse_tier("x")


@pytest.mark.parametrize(
    ("text", "platform"),
    [
        ("tiktok", Platform.TIKTOK),
        ("TikTok", Platform.TIKTOK),
        ("抖音", Platform.DOUYIN),
        ("douyin", Platform.DOUYIN),
        ("DY", Platform.DOUYIN),
        ("视频号", Platform.CHANNELS),
        ("視頻號", Platform.CHANNELS),
        ("channels", Platform.CHANNELS),
        ("小红书", Platform.XIAOHONGSHU),
        ("小紅書", Platform.XIAOHONGSHU),
        ("xhs", Platform.XIAOHONGSHU),
        ("XHS", Platform.XIAOHONGSHU),
        ("xiaohongshu", Platform.XIAOHONGSHU),
        ("red-note", Platform.XIAOHONGSHU),
        ("other", Platform.OTHER),
        ("其他", Platform.OTHER),
    ],
)
def test_parse_platform(text: str, platform: Platform) -> None:
    assert parse_platform(text) is platform


def test_parse_platform_refuses() -> None:
    with pytest.raises(CreatorError) as exc:
        parse_platform("myspace")
    assert exc.value.code == "bad_platform"
    assert exc.value.params["value"] == "myspace"
    assert exc.value.params["allowed"] == [p.value for p in Platform]


def test_parse_status() -> None:
    assert parse_status("Paused") is CreatorStatus.PAUSED
    with pytest.raises(CreatorError) as exc:
        parse_status("gone")
    assert exc.value.code == "bad_status"


@pytest.mark.parametrize(
    ("text", "handle"),
    [
        ("@lily", "lily"),
        ("  @Lily_Beauty ", "Lily_Beauty"),
        ("＠小美", "小美"),
        ("小美🌸", "小美🌸"),
        ("@👩‍💻coder", "👩‍💻coder"),
        ("lily@home", "lily@home"),
    ],
)
def test_normalize_handle(text: str, handle: str) -> None:
    assert normalize_handle(text) == handle


@pytest.mark.parametrize(
    ("text", "reason"),
    [("", "empty"), ("   ", "empty"), ("@", "empty"), ("@ lily", "whitespace")],
)
def test_normalize_handle_refuses(text: str, reason: str) -> None:
    with pytest.raises(CreatorError) as exc:
        normalize_handle(text)
    assert exc.value.code == "bad_handle"
    assert exc.value.params["reason"] == reason


def test_normalize_handle_refuses_inner_space_and_long() -> None:
    with pytest.raises(CreatorError) as exc:
        normalize_handle("lily beauty")
    assert exc.value.params == {"value": "lily beauty", "reason": "whitespace"}
    with pytest.raises(CreatorError) as exc:
        normalize_handle("x" * 65)
    assert exc.value.params["reason"] == "too_long"
    assert exc.value.params["max"] == 64


def test_handle_key_is_case_and_width_insensitive() -> None:
    assert handle_key("@Lily") == handle_key("lily") == handle_key("ＬＩＬＹ")
    assert handle_key("小美🌸") == "小美🌸"
    assert handle_key("Straße") == handle_key("STRASSE")


@given(st.text(min_size=1, max_size=30))
def test_normalize_handle_is_idempotent(text: str) -> None:
    try:
        once = normalize_handle(text)
    except CreatorError:
        return
    # A second leading @ ('@@x') is the handle's own character: another pass takes it too.
    assert once.startswith(("@", "＠")) or normalize_handle(once) == once
    assert not any(ch.isspace() for ch in once)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("12000", 12000),
        ("1.2万", 12000),
        ("1.2w", 12000),
        ("12k", 12000),
        ("12K", 12000),
        ("1.5M", 1_500_000),
        ("1,200", 1200),
        ("1，200", 1200),
        ("10w+", 100_000),
        ("3亿", 300_000_000),
        ("0", 0),
        ("１２００", 1200),
        ("1.2345k", 1235),
    ],
)
def test_parse_followers(text: str, value: int) -> None:
    assert parse_followers(text) == value


@pytest.mark.parametrize("text", ["", "abc", "-5", "1.5", "12kk", "1e5", "万", "99999999999"])
def test_parse_followers_refuses(text: str) -> None:
    with pytest.raises(CreatorError) as exc:
        parse_followers(text)
    assert exc.value.code == "bad_followers"
    assert exc.value.params == {"value": text}


def test_parse_count_returns_none() -> None:
    assert parse_count("x") is None
    assert parse_count("12.5") is None


def test_screening_numbers_use_the_one_grammar() -> None:
    assert or_none(parse_int, "12") == 12
    assert or_none(parse_int, "１２") == 12
    assert or_none(parse_int, "-1") is None
    assert or_none(parse_int, "1.0") is None
    assert or_none(parse_int, "9" * 25) is None  # beyond any count: refused, never stored
    assert or_none(parse_percent, "35") == Decimal("0.35")
    assert or_none(parse_percent, "35.5%") == Decimal("0.355")
    assert or_none(parse_percent, "0.35") == Decimal("0.0035")
    assert or_none(parse_percent, "100％") == Decimal("1")
    for bad in ("101", "-1", "nan", "abc"):
        assert or_none(parse_percent, bad) is None


def test_closest_handles() -> None:
    handles = ["@Lily", "lily_beauty", "Bob", "小美🌸", "小美美", "LILY"]
    assert closest_handles("lilly", handles)[0] == "@Lily"
    # "LILY" is the same creator key as "@Lily": suggested once.
    assert "LILY" not in closest_handles("lilly", handles)
    assert set(closest_handles("小美", handles)) == {"小美🌸", "小美美"}
    assert closest_handles("zzzzqqq", handles) == []
    assert len(closest_handles("l", ["la", "lb", "lc", "ld", "le"], limit=2)) <= 2
    assert closest_handles("", handles) == []
