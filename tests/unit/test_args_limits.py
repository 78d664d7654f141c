"""The argument grammar (bot/domain/args.py) and fitting text to Telegram's limits
(bot/domain/limits.py)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.args import (
    ArgError,
    CreatorRef,
    parse_creator_ref,
    parse_int,
    parse_percent,
    parse_sample_number,
    parse_switch,
    parse_user_id,
)
from bot.domain.creators import Platform
from bot.domain.limits import MAX_TEXT, fit, visible_len


@pytest.mark.parametrize(
    ("text", "ref"),
    [
        ("lily", CreatorRef("lily")),
        ("@lily", CreatorRef("lily")),
        ("lily@douyin", CreatorRef("lily", Platform.DOUYIN)),
        ("lily:douyin", CreatorRef("lily", Platform.DOUYIN)),
        ("lily＠抖音", CreatorRef("lily", Platform.DOUYIN)),
        ("a@b", CreatorRef("a@b", unknown_platform="b")),
        ("lily@", CreatorRef("lily@")),
    ],
)
def test_creator_reference(text: str, ref: CreatorRef) -> None:
    assert parse_creator_ref(text) == ref


@pytest.mark.parametrize("text", ["99999999999999999999999", "-1", "abc", "", "1" * 5000])
def test_out_of_range_numbers_are_refused(text: str) -> None:
    with pytest.raises(ArgError):
        parse_user_id(text)
    with pytest.raises(ArgError):
        parse_sample_number(text)


def test_numbers_in_range() -> None:
    assert parse_sample_number("#12") == parse_sample_number("１２") == 12
    assert parse_int("1,200") == 1200
    assert parse_percent("35%") == parse_percent("35") != parse_percent("0.35")
    assert parse_switch("开") is True and parse_switch("off") is False


def test_fit_keeps_whole_lines_and_counts_the_rest() -> None:
    text = "<b>title</b>\n" + "\n".join(f"• <i>item</i> {i} &amp; " + "x" * 60 for i in range(300))
    fitted = fit(text, MAX_TEXT, lambda n: f"…and {n} more.")
    assert visible_len(fitted) <= MAX_TEXT
    kept = fitted.count("• ")
    assert fitted.endswith(f"…and {300 - kept} more.")


@given(st.text(alphabet="ab<>&\n🎉中", max_size=3000), st.integers(10, 4096))
def test_fit_never_exceeds_and_never_breaks_markup(raw: str, limit: int) -> None:
    import html

    text = "<b>" + html.escape(raw, quote=False) + "</b>"
    fitted = fit(text, limit, lambda n: f"+{n}")
    assert visible_len(fitted) <= limit
    assert fitted.count("<b>") == fitted.count("</b>")
