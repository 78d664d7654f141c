"""The one month parser: calendar bounds, spellings, arithmetic."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot.domain.months import (
    MonthError,
    from_ym,
    looks_like_month,
    month_bounds,
    month_label,
    parse_month,
    shift,
    ym,
)


@pytest.mark.parametrize(
    ("text", "month"),
    [
        ("2026-11", (2026, 11)),
        ("2026-1", (2026, 1)),
        ("2026/03", (2026, 3)),
        (" 2100-12 ", (2100, 12)),
    ],
)
def test_parse_month(text: str, month: tuple[int, int]) -> None:
    assert parse_month(text) == month


@pytest.mark.parametrize(
    "text",
    # Issue 9: 0000-01 and 9999-12 ended in an internal error (no such datetime).
    ["0000-01", "9999-12", "0000-05", "1999-12", "2101-01", "2026-13", "2026-0", "2026-11-01",
     "11-2026", "２０２６-11", "", "abc", "99999999999999999999-01"],
)  # fmt: skip
def test_months_off_the_calendar_are_refused(text: str) -> None:
    with pytest.raises(MonthError) as caught:
        parse_month(text)
    assert caught.value.code == "not_a_month" and caught.value.params["value"] == text


def test_looks_like_month_tells_months_from_sharer_ids() -> None:
    assert looks_like_month("0000-01") and looks_like_month("2026-13")
    assert not looks_like_month("WC-A") and not looks_like_month("A")


def test_arithmetic_and_bounds() -> None:
    assert shift((2026, 12), 1) == (2027, 1) and shift((2026, 1), -1) == (2025, 12)
    assert from_ym(ym((2026, 11))) == (2026, 11)
    sh = ZoneInfo("Asia/Shanghai")
    start, end = month_bounds((2100, 12), sh)  # the last month allowed still has an end
    assert start == datetime(2100, 12, 1, tzinfo=sh) and end == datetime(2101, 1, 1, tzinfo=sh)


def test_labels_per_language() -> None:
    assert month_label((2026, 11), "zh_Hans") == "2026年11月"
    assert month_label((2026, 11), "en") == "November 2026"
