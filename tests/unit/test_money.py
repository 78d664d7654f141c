from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.money import (
    MAX_FEN,
    MoneyError,
    format_rate,
    parse_rate,
    parse_yuan,
    round_half_up,
    yuan_value_to_fen,
)


@pytest.mark.parametrize(
    ("text", "fen"),
    [
        ("1234.5", 123450),
        ("1234.50", 123450),
        ("¥1,234.50", 123450),
        ("￥1,234.50", 123450),
        ("1,234", 123400),
        ("1,234,567.89", 123456789),
        ("  42 ", 4200),
        ("¥ 3", 300),
        ("0", 0),
        ("0.05", 5),
        ("007.1", 710),
    ],
)
def test_parse_yuan_accepts(text: str, fen: int) -> None:
    assert parse_yuan(text) == fen


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("12,34", "bad_thousands"),
        ("1,2345", "bad_thousands"),
        ("1.234", "too_many_decimals"),
        ("1,234.567", "too_many_decimals"),
        ("abc", "not_a_number"),
        ("¥", "not_a_number"),
        ("1.2.3", "not_a_number"),
        ("5.", "not_a_number"),
        ("-5", "negative"),
        ("-¥5.00", "negative"),
        ("¥-5.00", "negative"),
    ],
)
def test_parse_yuan_rejects(text: str, code: str) -> None:
    with pytest.raises(MoneyError) as exc:
        parse_yuan(text)
    assert exc.value.code == code
    assert exc.value.params["text"] == text


def test_parse_yuan_negative_allowed_with_flag() -> None:
    assert parse_yuan("-¥1,234.50", allow_negative=True) == -123450
    assert parse_yuan("¥-3", allow_negative=True) == -300


@given(st.integers(min_value=0, max_value=10**12))
def test_parse_yuan_round_trips_formatted_fen(fen: int) -> None:
    yuan, cents = divmod(fen, 100)
    assert parse_yuan(f"{yuan}.{cents:02d}") == fen
    assert parse_yuan(f"¥{yuan:,}.{cents:02d}") == fen


@pytest.mark.parametrize(
    ("text", "rate"),
    [("6%", "0.06"), ("6.5%", "0.065"), (" 0% ", "0"), ("100%", "1"), ("12.25 ％", "0.1225")],
)
def test_parse_rate(text: str, rate: str) -> None:
    assert parse_rate(text) == Decimal(rate)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("6", "missing_percent"),
        ("0.06", "missing_percent"),
        ("-6%", "negative"),
        ("six%", "not_a_rate"),
        ("%", "not_a_rate"),
        ("", "empty"),
        ("150%", "too_large"),
    ],
)
def test_parse_rate_rejects(text: str, code: str) -> None:
    with pytest.raises(MoneyError) as exc:
        parse_rate(text)
    assert exc.value.code == code


def test_parse_rate_is_exact() -> None:
    assert parse_rate("8%") * 1009995 == Decimal("80799.60")


@pytest.mark.parametrize(
    ("rate", "text"),
    [("0.06", "6%"), ("0.065", "6.5%"), ("0.10", "10%"), ("0", "0%"), ("1", "100%")],
)
def test_format_rate(rate: str, text: str) -> None:
    assert format_rate(Decimal(rate)) == text


@given(st.decimals(min_value=0, max_value=100, places=3))
def test_format_then_parse_rate_round_trips(pct: Decimal) -> None:
    rate = pct.scaleb(-2)
    assert parse_rate(format_rate(rate)) == rate


@pytest.mark.parametrize(
    ("value", "fen"),
    [("0.5", 1), ("0.49", 0), ("1.5", 2), ("83799.6", 83800), ("450.45", 450), ("-0.5", -1)],
)
def test_round_half_up(value: str, fen: int) -> None:
    assert round_half_up(Decimal(value)) == fen


@pytest.mark.parametrize(
    ("value", "fen"),
    [
        (20, 2000),
        (0.1, 10),
        (99.5, 9950),
        ("1,000.5", 100050),
        (Decimal("3.01"), 301),
        (1e3, 100000),
    ],
)
def test_yuan_value_to_fen(value: object, fen: int) -> None:
    assert yuan_value_to_fen(value) == fen


@pytest.mark.parametrize(
    ("value", "code"),
    [
        (20.005, "too_many_decimals"),
        (-1, "negative"),
        (True, "not_a_number"),
        (float("nan"), "not_a_number"),
        (float("inf"), "not_a_number"),
        ([1], "not_a_number"),
        ("x", "not_a_number"),
    ],
)
def test_yuan_value_to_fen_rejects(value: object, code: str) -> None:
    with pytest.raises(MoneyError) as exc:
        yuan_value_to_fen(value)
    assert exc.value.code == code


@pytest.mark.parametrize(
    "text",
    ["92233720368547758.07", "10000000000.01", "¥10,000,000,000.01", "1" * 5000, "-10000000001"],
)
def test_amounts_beyond_what_a_statement_can_sum_are_refused(text: str) -> None:
    with pytest.raises(MoneyError) as exc:
        parse_yuan(text, allow_negative=True)
    assert exc.value.code == "too_large"


def test_the_bound_itself_is_an_amount() -> None:
    assert parse_yuan("10000000000") == parse_yuan("¥10,000,000,000.00") == MAX_FEN
    assert parse_yuan("-10,000,000,000", allow_negative=True) == -MAX_FEN
    with pytest.raises(MoneyError):
        yuan_value_to_fen(10**10 + 1)
