"""Team standings and recognition (SPEC §3, §4): where a team stands on the team steps, and
who tops a board.

Team steps are reached on a calendar month's team valid sales, so a standing is always judged
on a month's figure, whatever period a board ranks by.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from bot.domain.months import MAX_YEAR, MIN_YEAR
from bot.domain.rules import Rules


@dataclass(frozen=True)
class Standing:
    """A team's place on the steps: the rate reached (0 below the first step) and, unless
    the top step is reached, how much more team sales the next step needs and its rate."""

    reached: Decimal
    missing: int | None
    next_rate: Decimal | None

    @property
    def on_a_step(self) -> bool:
        return self.reached > 0


def standing(rules: Rules, month_team_fen: int) -> Standing:
    step = rules.next_team_step(month_team_fen)
    reached = rules.team_rate(month_team_fen)
    if step is None:
        return Standing(reached, None, None)
    return Standing(reached, step[0], step[1])


def winners(board: Sequence[tuple[int, str, int]]) -> list[str]:
    """The ids sharing first place on a ranked board (rank, id, value): usually one."""
    return [sid for place, sid, _ in board if place == 1]


def year_arg(text: str) -> int | None:
    """A four-digit year within the years months may have (MIN_YEAR..MAX_YEAR), or None."""
    if len(text) != 4 or not text.isascii() or not text.isdigit():
        return None
    year = int(text)
    return year if MIN_YEAR <= year <= MAX_YEAR else None
