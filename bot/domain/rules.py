"""The commission rules file (TOML, SPEC §3): validation with messages that name the key.

Money is written in yuan and held in fen; rates are written "8%" and held as exact Decimals.
"""

from __future__ import annotations

import bisect
import tomllib
from collections.abc import Callable, Iterable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError
from pydantic_core import PydanticCustomError

from bot.domain.money import DomainError, MoneyError, parse_rate, yuan_value_to_fen

__all__ = [
    "BUILTIN_LEVELS",
    "DEFAULT_RULES_TOML",
    "Boost",
    "Level",
    "Recruit",
    "Rules",
    "RulesError",
    "Step",
    "load_rules",
    "parse_rules",
    "strongest",
]

BUILTIN_LEVELS = ("junior", "mid", "senior", "gold")  # 初级/中级/高级/金牌, named by i18n


class RulesError(DomainError):
    """Codes: invalid_rules (params: errors=[(path, problem)]), toml_syntax, unreadable_file.

    `str()` is one line per problem, each starting with the key path, e.g.
    `steps[1].rate: must be a percentage like "8%"`.
    """


def _rate(value: Any) -> Decimal:
    if isinstance(value, Decimal):
        return value
    if not isinstance(value, str):
        raise PydanticCustomError("rate", 'must be a percentage like "8%"')
    try:
        return parse_rate(value)
    except MoneyError as exc:
        problem = {
            "negative": "must not be negative",
            "too_large": "must not exceed 100%",
        }.get(exc.code, 'must be a percentage like "8%"')
        raise PydanticCustomError("rate", problem) from None


def _money(value: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value * 100
    try:
        return yuan_value_to_fen(value)
    except MoneyError as exc:
        problem = {
            "negative": "must not be negative",
            "too_many_decimals": "at most two decimals (yuan and fen)",
        }.get(exc.code, "must be an amount in yuan, like 500 or 99.50")
        raise PydanticCustomError("money", problem) from None


def _self_rate(value: Any) -> Decimal | None:
    if value == "excluded" or value is None:
        return None
    try:
        return _rate(value)
    except PydanticCustomError:
        raise PydanticCustomError("rate", 'must be a percentage like "3%" or "excluded"') from None


def _day(value: Any) -> date:
    # TOML local dates arrive as date; a datetime (which is also a date) is refused.
    if type(value) is date:
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise PydanticCustomError("date", "must be a date like 2026-11-01")


Rate = Annotated[Decimal, BeforeValidator(_rate)]
Fen = Annotated[int, BeforeValidator(_money)]
Day = Annotated[date, BeforeValidator(_day)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Step(_Model):
    from_fen: Fen = Field(alias="from")
    rate: Rate


class Boost(_Model):
    sku: str = Field(min_length=1)
    rate: Rate
    start: Day
    end: Day


class Recruit(_Model):
    reward: Fen = 0
    first_month_min: Fen = 0


class Level(_Model):
    key: str = Field(min_length=1, pattern=r"^[a-z][a-z0-9_]*$")
    min_sales: Fen
    bonus: Rate = Decimal(0)
    # Shown for keys without a built-in translation; built-in keys ignore it.
    name: str | None = None


class Rules(_Model):
    """Validated rules. Besides the fields, lookup helpers for statements and /me hints."""

    pending_days: int = Field(default=7, ge=0, le=366, strict=True)
    base_rate: Rate
    self_purchase: Annotated[Decimal | None, BeforeValidator(_self_rate)] = None
    level2_rate: Rate = Decimal(0)
    steps: tuple[Step, ...] = ()
    boosts: tuple[Boost, ...] = ()
    team_steps: tuple[Step, ...] = ()
    recruit: Recruit = Recruit()
    levels: tuple[Level, ...] = (Level(key="junior", min_sales=0),)

    @classmethod
    def default(cls) -> Rules:
        """The example from SPEC §3."""
        return parse_rules(DEFAULT_RULES_TOML)

    @property
    def self_purchase_excluded(self) -> bool:
        return self.self_purchase is None

    def step_rate(self, month_valid_fen: int) -> Decimal:
        """Rate of the highest step reached, else base_rate (level bonus not included)."""
        i = bisect.bisect_right([s.from_fen for s in self.steps], month_valid_fen)
        return self.steps[i - 1].rate if i else self.base_rate

    def next_step(self, month_valid_fen: int) -> tuple[int, Decimal] | None:
        """(fen still missing, rate) of the next step up, or None at the top."""
        for s in self.steps:
            if s.from_fen > month_valid_fen:
                return s.from_fen - month_valid_fen, s.rate
        return None

    def level_for(self, last_month_valid_fen: int) -> Level:
        i = bisect.bisect_right([lv.min_sales for lv in self.levels], last_month_valid_fen)
        return self.levels[max(i - 1, 0)]

    def next_level(self, month_valid_fen: int) -> tuple[int, Level] | None:
        """(fen still missing this month, level) to reach the next level *next* month,
        since the level is decided by the previous month's sales."""
        for lv in self.levels:
            if lv.min_sales > month_valid_fen:
                return lv.min_sales - month_valid_fen, lv
        return None

    def team_rate(self, team_valid_fen: int) -> Decimal:
        i = bisect.bisect_right([s.from_fen for s in self.team_steps], team_valid_fen)
        return self.team_steps[i - 1].rate if i else Decimal(0)

    def next_team_step(self, team_valid_fen: int) -> tuple[int, Decimal] | None:
        for s in self.team_steps:
            if s.from_fen > team_valid_fen:
                return s.from_fen - team_valid_fen, s.rate
        return None

    def boost_rate(self, sku: str, local_day: date) -> Decimal | None:
        """The rate replacing the direct rate for this SKU on this local day, or None.
        Boosts of the file never overlap (refused at load), but challenges (/challenge) may
        overlap them and each other: the highest rate covering the day wins."""
        return strongest(b for b in self.boosts if b.sku == sku)(local_day)

    def with_boosts(self, extra: Iterable[Boost]) -> Rules:
        """These rules with more boosts (running challenges), read exactly as the file's."""
        more = tuple(extra)
        return self.model_copy(update={"boosts": self.boosts + more}) if more else self

    def boosted_skus(self) -> dict[str, tuple[Boost, ...]]:
        by_sku: dict[str, list[Boost]] = {}
        for b in self.boosts:
            by_sku.setdefault(b.sku, []).append(b)
        return {k: tuple(v) for k, v in by_sku.items()}


def strongest(boosts: Iterable[Boost]) -> Callable[[date], Decimal | None]:
    """For one SKU's boosts: the day → the highest boost rate covering it (None: no boost)."""
    spans = [(b.start, b.end, b.rate) for b in boosts]

    def rate(day: date) -> Decimal | None:
        return max((r for s, e, r in spans if s <= day <= e), default=None)

    return rate


def _check(rules: Rules) -> list[tuple[str, str]]:
    """Cross-field rules pydantic cannot express per field."""
    problems: list[tuple[str, str]] = []
    for name, steps in (("steps", rules.steps), ("team_steps", rules.team_steps)):
        floor = rules.base_rate if name == "steps" else Decimal(0)
        for i, s in enumerate(steps):
            if i and s.from_fen <= steps[i - 1].from_fen:
                problems.append((f"{name}[{i}].from", "must be greater than the previous step's"))
            # A lower rate higher up would let a refund raise the commission: refused.
            if s.rate < floor:
                what = "base_rate" if i == 0 and name == "steps" else "the previous step's rate"
                problems.append((f"{name}[{i}].rate", f"must not be lower than {what}"))
            floor = s.rate
    for i, lv in enumerate(rules.levels):
        if i == 0 and lv.min_sales != 0:
            problems.append(("levels[0].min_sales", "the first level must start at 0"))
        if i and lv.min_sales <= rules.levels[i - 1].min_sales:
            problems.append((f"levels[{i}].min_sales", "must be greater than the previous level's"))
        if i and lv.bonus < rules.levels[i - 1].bonus:
            problems.append((f"levels[{i}].bonus", "must not be lower than the previous level's"))
        if any(o.key == lv.key for o in rules.levels[:i]):
            problems.append((f"levels[{i}].key", f"duplicate level key {lv.key!r}"))
    if not rules.levels:
        problems.append(("levels", "at least one level is needed"))
    for i, b in enumerate(rules.boosts):
        if b.end < b.start:
            problems.append((f"boosts[{i}].end", "must not be before start"))
            continue
        for j, o in enumerate(rules.boosts[:i]):
            if o.sku == b.sku and o.start <= b.end and b.start <= o.end:
                problems.append((f"boosts[{i}]", f"overlaps boosts[{j}] for {b.sku}"))
    return problems


def _path(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part.startswith(("function-", "decimal", "int", "none", "str")):
            continue  # pydantic's union/validator branch names, not keys
        else:
            out += f".{part}" if out else str(part)
    return out or "(top level)"


_MESSAGES = {
    "extra_forbidden": "unknown key",
    "missing": "required key is missing",
    "int_type": "must be a whole number",
    "string_type": "must be text in quotes",
    "tuple_type": "must be a list of tables ([[...]])",
    "model_type": "must be a table ([...])",
    "string_too_short": "must not be empty",
    "string_pattern_mismatch": "must be lowercase letters, digits or _, like gold",
}


def parse_rules(toml_text: str) -> Rules:
    try:
        data = tomllib.loads(toml_text)
    except tomllib.TOMLDecodeError as exc:
        raise RulesError("toml_syntax", f"TOML syntax: {exc}", problem=str(exc)) from None
    try:
        rules = Rules.model_validate(data)
    except ValidationError as exc:
        problems = [
            (_path(e["loc"]), _MESSAGES.get(e["type"], e["msg"]))
            for e in exc.errors(include_url=False)
        ]
        raise _invalid(problems) from None
    problems = _check(rules)
    if problems:
        raise _invalid(problems)
    return rules


def _invalid(problems: list[tuple[str, str]]) -> RulesError:
    text = "\n".join(f"{path}: {problem}" for path, problem in problems)
    return RulesError("invalid_rules", text, errors=problems)


def load_rules(path: str | Path) -> Rules:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RulesError("unreadable_file", f"{path}: {exc}", path=str(path)) from None
    return parse_rules(text)


DEFAULT_RULES_TOML = """
pending_days = 7
base_rate = "6%"
self_purchase = "3%"
level2_rate = "1%"

[[steps]]
from = 10000
rate = "8%"
[[steps]]
from = 50000
rate = "10%"

[[boosts]]
sku = "SKU-001"
rate = "15%"
start = 2026-11-01
end = 2026-11-11

[[team_steps]]
from = 20000
rate = "1%"
[[team_steps]]
from = 100000
rate = "2%"

[recruit]
reward = 20
first_month_min = 500

[[levels]]
key = "junior"
min_sales = 0
bonus = "0%"
[[levels]]
key = "gold"
min_sales = 30000
bonus = "1%"
"""
