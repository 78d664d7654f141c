"""Team standings on the team steps, board winners and the year argument."""

from __future__ import annotations

from decimal import Decimal

from bot.domain.rules import Rules
from bot.domain.teams import Standing, standing, winners, year_arg

RULES = Rules.default()  # team steps: 1% from ¥20,000, 2% from ¥100,000 (SPEC §3)


def test_below_the_first_step_the_whole_threshold_is_missing_less_the_sales() -> None:
    assert standing(RULES, 0) == Standing(Decimal(0), 2_000_000, Decimal("0.01"))
    assert standing(RULES, 130_000) == Standing(Decimal(0), 1_870_000, Decimal("0.01"))
    assert not standing(RULES, 130_000).on_a_step


def test_on_a_step_the_next_one_is_named() -> None:
    at = standing(RULES, 2_000_000)  # exactly the threshold reaches it
    assert at == Standing(Decimal("0.01"), 8_000_000, Decimal("0.02")) and at.on_a_step
    assert standing(RULES, 9_999_999).missing == 1


def test_on_the_top_step_nothing_is_missing() -> None:
    assert standing(RULES, 10_000_000) == Standing(Decimal("0.02"), None, None)


def test_without_team_steps_no_step_is_reached_or_missing() -> None:
    rules = RULES.model_copy(update={"team_steps": ()})
    assert standing(rules, 5_000_000) == Standing(Decimal(0), None, None)


def test_winners_share_first_place() -> None:
    assert winners([(1, "A", 500), (2, "B", 400)]) == ["A"]
    assert winners([(1, "A", 500), (1, "B", 500), (3, "C", 1)]) == ["A", "B"]
    assert winners([]) == []


def test_year_argument() -> None:
    assert (year_arg("2026"), year_arg("2000"), year_arg("2100")) == (2026, 2000, 2100)
    for text in ("26", "20266", "2O26", "１９９９", "1999", "2101", "-202", ""):
        assert year_arg(text) is None, text
