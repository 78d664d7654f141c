"""Sales challenges (销售挑战赛, SPEC §4): a product boost for a period plus its daily board.

A challenge is a `[[boosts]]` entry made from chat: the commission engine reads it as it reads
the rules file's boosts (bot.domain.rules: the rate replaces the direct rate; where several
boosts cover an order, the highest rate applies). What a challenge adds is decided here:

- dates are local and inclusive; the start may be in the past while its month is unsettled
  (the boost then applies to orders already imported), but a period made only of settled
  months is refused, since settled months never change;
- an early end (/challenge_end) keeps the boost for orders paid up to and including the day it
  is ended (sharers were promoting on that day's promise) and posts no more boards; ended
  before it started, it never applies;
- the daily board: on each morning after a day of the challenge, the standings from its first
  day through yesterday; the morning after its last day they are the final results.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from bot.domain.money import DomainError, MoneyError, parse_rate
from bot.domain.months import MAX_YEAR, MIN_YEAR, Month
from bot.domain.rules import Boost, Rules

__all__ = [
    "MAX_DAYS",
    "MAX_SKU",
    "Challenge",
    "ChallengeError",
    "board_due",
    "boosts",
    "check_new",
    "early_end",
    "overlapping",
    "parse_bonus_rate",
    "parse_day",
    "parse_period",
    "parse_sku",
    "status",
    "top_direct_rate",
]

# An SKU as the shop's exports write it; anything longer is pasted text, not a product.
MAX_SKU = 100
# Longer than this is a typo (2062 for 2026) or a standing rule that belongs in the rules file.
MAX_DAYS = 366


class ChallengeError(DomainError):
    """Codes: bad_sku (value, max), bad_date (value), reversed (start, end), too_long (days),
    bad_rate (value), zero_rate, all_settled, already_ended (id, end), not_found (id)."""


@dataclass(frozen=True, slots=True)
class Challenge:
    id: int
    sku: str
    rate: Decimal
    start: date
    end: date  # inclusive; an early end moves it (before `start`: it never applied)
    planned_end: date
    created_by: int
    created_at: datetime
    ended_at: datetime | None = None  # set by an early end

    @property
    def empty(self) -> bool:
        return self.end < self.start

    def boost(self) -> Boost | None:
        if self.empty:
            return None
        return Boost(sku=self.sku, rate=self.rate, start=self.start, end=self.end)


def parse_sku(text: str) -> str:
    sku = text.strip()
    if not sku or len(sku) > MAX_SKU or not sku.isprintable():
        raise ChallengeError("bad_sku", value=text, max=MAX_SKU)
    return sku


def parse_day(text: str) -> date:
    """`2026-11-01` (or `2026/11/01`) → a date in MIN_YEAR..MAX_YEAR."""
    try:
        day = date.fromisoformat(text.strip().replace("/", "-"))
    except ValueError:
        raise ChallengeError("bad_date", value=text) from None
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        raise ChallengeError("bad_date", value=text)
    return day


def parse_period(start_text: str, end_text: str) -> tuple[date, date]:
    start, end = parse_day(start_text), parse_day(end_text)
    if end < start:
        raise ChallengeError("reversed", start=start_text, end=end_text)
    if (end - start).days + 1 > MAX_DAYS:
        raise ChallengeError("too_long", days=MAX_DAYS)
    return start, end


def parse_bonus_rate(text: str) -> Decimal:
    """`15%` → 0.15, as the rules file writes rates (the percent sign is required)."""
    try:
        rate = parse_rate(text)
    except MoneyError:
        raise ChallengeError("bad_rate", value=text) from None
    if rate <= 0:
        raise ChallengeError("zero_rate")
    return rate


def _months(start: date, end: date) -> list[Month]:
    months, (year, month) = [], (start.year, start.month)
    while (year, month) <= (end.year, end.month):
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def check_new(start: date, end: date, settled: Collection[Month]) -> list[Month]:
    """The settled months the period touches (their days get no boost); refused when every
    month of it is settled, since nothing could change."""
    months = _months(start, end)
    frozen = [m for m in months if m in settled]
    if len(frozen) == len(months):
        raise ChallengeError("all_settled")
    return frozen


def early_end(challenge: Challenge, today: date) -> date:
    """The new last day when ending it on `today`: today, or the day before its start (so that
    it never applies) when it has not started."""
    if challenge.ended_at is not None or challenge.end < today:
        raise ChallengeError("already_ended", id=challenge.id, end=challenge.end.isoformat())
    if today < challenge.start:
        return challenge.start - timedelta(days=1)
    return today


def status(challenge: Challenge, today: date) -> str:
    """cancelled | ended_early | ended | upcoming | running."""
    if challenge.ended_at is not None:
        return "cancelled" if challenge.empty else "ended_early"
    if challenge.end < today:
        return "ended"
    return "upcoming" if today < challenge.start else "running"


def board_due(challenge: Challenge, today: date) -> tuple[date, bool] | None:
    """(last day counted, final?) when this morning's board of the challenge is due, else None:
    due every day after one of its days, never after an early end."""
    if challenge.ended_at is not None or challenge.empty:
        return None
    yesterday = today - timedelta(days=1)
    if not challenge.start <= yesterday <= challenge.end:
        return None
    return yesterday, yesterday == challenge.end


def boosts(challenges: Iterable[Challenge]) -> tuple[Boost, ...]:
    return tuple(b for c in challenges if (b := c.boost()) is not None)


def overlapping(
    challenges: Iterable[Challenge], sku: str, start: date, end: date
) -> list[Challenge]:
    """Challenges on the same SKU sharing a day with start..end (the highest rate applies)."""
    return [
        c for c in challenges
        if c.sku == sku and not c.empty and c.start <= end and start <= c.end
    ]  # fmt: skip


def top_direct_rate(rules: Rules) -> Decimal:
    """The highest direct rate a sharer can reach: a boost below it lowers some sharers' rate
    on the SKU, since a boost replaces the direct rate."""
    step = rules.steps[-1].rate if rules.steps else rules.base_rate
    return step + max((lv.bonus for lv in rules.levels), default=Decimal(0))
