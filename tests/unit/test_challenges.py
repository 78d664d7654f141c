"""Sales challenges in the domain: arguments, settled months, early ends, boards, and how the
engine reads their boosts next to the rules file's."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from bot.domain.challenges import (
    Challenge,
    ChallengeError,
    board_due,
    boosts,
    check_new,
    early_end,
    parse_bonus_rate,
    parse_day,
    parse_period,
    parse_sku,
    status,
)
from bot.domain.commission import OrderFact, SharerInfo, compute_month
from bot.domain.rules import Boost, Rules

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 22, 2, 0, tzinfo=UTC)


def challenge(start: date, end: date, *, ended: bool = False, rate: str = "0.15") -> Challenge:
    return Challenge(1, "SKU-9", Decimal(rate), start, end, end, 1, NOW, NOW if ended else None)


def code(exc: pytest.ExceptionInfo[ChallengeError]) -> str:
    return exc.value.code


def test_arguments() -> None:
    assert parse_period("2026-11-01", "2026/11/11") == (date(2026, 11, 1), date(2026, 11, 11))
    assert parse_day("2026-11-11") == date(2026, 11, 11)
    assert parse_sku(" SKU-001 ") == "SKU-001"
    for bad in ("x" * 101, "SKU\n2", " "):
        with pytest.raises(ChallengeError) as exc:
            parse_sku(bad)
        assert code(exc) == "bad_sku"
    assert parse_bonus_rate("15%") == Decimal("0.15")
    assert parse_bonus_rate("12.5％") == Decimal("0.125")
    for start, end, wanted in [
        ("2026-11-11", "2026-11-01", "reversed"),
        ("2026-13-01", "2026-12-01", "bad_date"),
        ("tomorrow", "2026-12-01", "bad_date"),
        ("1999-01-01", "1999-01-02", "bad_date"),
        ("2026-01-01", "2027-06-01", "too_long"),
    ]:
        with pytest.raises(ChallengeError) as exc:
            parse_period(start, end)
        assert code(exc) == wanted
    for text, wanted in [("15", "bad_rate"), ("abc", "bad_rate"), ("-5%", "bad_rate"),
                         ("150%", "bad_rate"), ("0%", "zero_rate")]:  # fmt: skip
        with pytest.raises(ChallengeError) as exc:
            parse_bonus_rate(text)
        assert code(exc) == wanted


def test_settled_months_are_never_boosted() -> None:
    assert check_new(date(2026, 10, 25), date(2026, 11, 5), {(2026, 10)}) == [(2026, 10)]
    assert check_new(date(2026, 11, 25), date(2027, 1, 5), set()) == []
    with pytest.raises(ChallengeError) as exc:
        check_new(date(2026, 9, 25), date(2026, 10, 5), {(2026, 9), (2026, 10)})
    assert code(exc) == "all_settled"


def test_early_end_keeps_today_and_voids_what_has_not_started() -> None:
    running = challenge(date(2026, 11, 20), date(2026, 11, 30))
    assert early_end(running, date(2026, 11, 22)) == date(2026, 11, 22)
    upcoming = challenge(date(2026, 12, 1), date(2026, 12, 5))
    assert early_end(upcoming, date(2026, 11, 22)) == date(2026, 11, 30)
    void = challenge(date(2026, 12, 1), date(2026, 11, 30), ended=True)
    assert void.boost() is None and status(void, date(2026, 11, 22)) == "cancelled"
    for over in (challenge(date(2026, 11, 1), date(2026, 11, 21)),
                 challenge(date(2026, 11, 20), date(2026, 11, 22), ended=True)):  # fmt: skip
        with pytest.raises(ChallengeError) as exc:
            early_end(over, date(2026, 11, 22))
        assert code(exc) == "already_ended"


def test_status_and_board_days() -> None:
    c = challenge(date(2026, 11, 20), date(2026, 11, 22))
    assert [status(c, date(2026, 11, d)) for d in (19, 20, 22, 23)] == [
        "upcoming", "running", "running", "ended"]  # fmt: skip
    assert board_due(c, date(2026, 11, 20)) is None  # nothing counted yet
    assert board_due(c, date(2026, 11, 21)) == (date(2026, 11, 20), False)
    assert board_due(c, date(2026, 11, 23)) == (date(2026, 11, 22), True)
    assert board_due(c, date(2026, 11, 24)) is None
    ended = challenge(date(2026, 11, 20), date(2026, 11, 21), ended=True)
    assert status(ended, date(2026, 11, 22)) == "ended_early"
    assert board_due(ended, date(2026, 11, 22)) is None


def _direct(rules: Rules, sku: str, day: int) -> int:
    paid = datetime(2026, 11, day, 12, 0, tzinfo=TZ)
    order = OrderFact("o1", "A", "u1", sku, paid, 100_00)
    out = compute_month(rules, 2026, 11, TZ, NOW, {"A": SharerInfo("A")}, [order], {}, {})
    return out["A"].direct


def test_the_engine_reads_challenges_as_file_boosts_and_the_highest_rate_wins() -> None:
    rules = Rules.default()  # SKU-001 boosted to 15% from 11-01 to 11-11; base rate 6%
    assert _direct(rules, "SKU-9", 5) == 6_00
    extra = boosts([challenge(date(2026, 11, 1), date(2026, 11, 5), rate="0.2")])
    assert _direct(rules.with_boosts(extra), "SKU-9", 5) == 20_00
    assert _direct(rules.with_boosts(extra), "SKU-9", 6) == 6_00  # after its last day
    # Over the file's 15% boost: a 12% challenge changes nothing, a 25% one wins.
    for rate, wanted in (("12%", 15_00), ("25%", 25_00)):
        b = Boost(sku="SKU-001", rate=rate, start=date(2026, 11, 3), end=date(2026, 11, 20))
        assert _direct(rules.with_boosts([b]), "SKU-001", 5) == wanted
        assert (
            rules.with_boosts([b]).boost_rate("SKU-001", date(2026, 11, 5))
            == Decimal(wanted) / 10000
        )
    assert rules.with_boosts(()) is rules
