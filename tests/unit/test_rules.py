from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from bot.domain.rules import DEFAULT_RULES_TOML, Rules, RulesError, load_rules, parse_rules

EXAMPLE = Path(__file__).resolve().parents[2] / "config" / "rules.example.toml"


def test_example_file_is_the_spec_example() -> None:
    rules = load_rules(EXAMPLE)
    assert rules == Rules.default()
    assert rules.pending_days == 7
    assert rules.base_rate == Decimal("0.06")
    assert rules.self_purchase == Decimal("0.03")
    assert rules.level2_rate == Decimal("0.01")
    assert [(s.from_fen, s.rate) for s in rules.steps] == [
        (1_000_000, Decimal("0.08")),
        (5_000_000, Decimal("0.10")),
    ]
    (boost,) = rules.boosts
    assert (boost.sku, boost.rate, boost.start, boost.end) == (
        "SKU-001",
        Decimal("0.15"),
        date(2026, 11, 1),
        date(2026, 11, 11),
    )
    assert [(s.from_fen, s.rate) for s in rules.team_steps] == [
        (2_000_000, Decimal("0.01")),
        (10_000_000, Decimal("0.02")),
    ]
    assert (rules.recruit.reward, rules.recruit.first_month_min) == (2000, 50000)
    assert [(lv.key, lv.min_sales, lv.bonus) for lv in rules.levels] == [
        ("junior", 0, Decimal(0)),
        ("gold", 3_000_000, Decimal("0.01")),
    ]


def test_every_key_in_the_example_file_is_commented() -> None:
    for line in EXAMPLE.read_text(encoding="utf-8").splitlines():
        if "=" in line and not line.lstrip().startswith("#"):
            assert "#" in line or line.split("=")[0].strip() in {
                "pending_days",
                "base_rate",
                "self_purchase",
                "level2_rate",
            }, line


def test_helpers() -> None:
    r = Rules.default()
    assert r.step_rate(0) == Decimal("0.06")
    assert r.step_rate(999_999) == Decimal("0.06")
    assert r.step_rate(1_000_000) == Decimal("0.08")
    assert r.step_rate(5_000_000) == Decimal("0.10")
    assert r.next_step(880_000) == (120_000, Decimal("0.08"))
    assert r.next_step(1_000_000) == (4_000_000, Decimal("0.10"))
    assert r.next_step(9_000_000) is None
    assert r.level_for(0).key == "junior"
    assert r.level_for(2_999_999).key == "junior"
    assert r.level_for(3_000_000).key == "gold"
    assert r.next_level(1_000_000) == (2_000_000, r.levels[1])
    assert r.next_level(3_000_000) is None
    assert r.team_rate(1_999_999) == 0
    assert r.team_rate(2_000_000) == Decimal("0.01")
    assert r.team_rate(10_000_000) == Decimal("0.02")
    assert r.next_team_step(0) == (2_000_000, Decimal("0.01"))
    assert r.boost_rate("SKU-001", date(2026, 11, 1)) == Decimal("0.15")
    assert r.boost_rate("SKU-001", date(2026, 11, 11)) == Decimal("0.15")
    assert r.boost_rate("SKU-001", date(2026, 11, 12)) is None
    assert r.boost_rate("SKU-002", date(2026, 11, 5)) is None


def test_minimal_file_and_excluded_self_purchase() -> None:
    r = parse_rules('base_rate = "5%"\nself_purchase = "excluded"\n')
    assert r.self_purchase is None and r.self_purchase_excluded
    assert r.pending_days == 7 and r.level2_rate == 0 and r.steps == ()
    assert r.level_for(10**9).key == "junior"
    assert r.recruit.reward == 0


def test_money_accepts_decimals_and_strings() -> None:
    r = parse_rules('base_rate = "6%"\n[recruit]\nreward = 19.9\nfirst_month_min = "1,000"\n')
    assert (r.recruit.reward, r.recruit.first_month_min) == (1990, 100000)


def _with(extra: str) -> str:
    return DEFAULT_RULES_TOML + extra


BAD = [
    ('base_rate = "6"', "base_rate", "percentage"),
    ("base_rate = 0.06", "base_rate", "percentage"),
    ('base_rate = "-6%"', "base_rate", "negative"),
    ('base_rate = "6%"\npending_days = -1', "pending_days", ""),
    ('base_rate = "6%"\npending_days = "7"', "pending_days", "whole number"),
    ('base_rate = "6%"\nself_purchase = "none"', "self_purchase", "excluded"),
    ('base_rate = "6%"\nbonus_rate = "1%"', "bonus_rate", "unknown key"),
    ("pending_days = 7", "base_rate", "missing"),
    (
        'base_rate = "6%"\n[[steps]]\nfrom = 1\nrate = "8%"\n[[steps]]\nfrom = 2\nrate = "8"',
        "steps[1].rate",
        'must be a percentage like "8%"',
    ),
    (
        'base_rate = "6%"\n[[steps]]\nfrom = 100\nrate = "8%"\n[[steps]]\nfrom = 100\nrate = "9%"',
        "steps[1].from",
        "greater",
    ),
    (
        'base_rate = "6%"\n[[steps]]\nfrom = 100\nrate = "8%"\n[[steps]]\nfrom = 50\nrate = "9%"',
        "steps[1].from",
        "greater",
    ),
    (
        'base_rate = "6%"\n[[steps]]\nfrom = 100\nrate = "8%"\n[[steps]]\nfrom = 200\nrate = "7%"',
        "steps[1].rate",
        "lower",
    ),
    ('base_rate = "6%"\n[[steps]]\nfrom = 100\nrate = "5%"', "steps[0].rate", "base_rate"),
    ('base_rate = "6%"\n[[steps]]\nfrom = 100.001\nrate = "8%"', "steps[0].from", "two decimals"),
    ('base_rate = "6%"\n[[steps]]\nfrom = 100\nrate = "8%"\nfoo = 1', "steps[0].foo", "unknown"),
    (
        'base_rate = "6%"\n[[team_steps]]\nfrom = 9\nrate = "1%"\n[[team_steps]]\nfrom = 9\n'
        'rate = "2%"',
        "team_steps[1].from",
        "greater",
    ),
    (
        'base_rate = "6%"\n[[boosts]]\nsku = "A"\nrate = "9%"\n'
        "start = 2026-11-05\nend = 2026-11-01",
        "boosts[0].end",
        "before start",
    ),
    (
        'base_rate = "6%"\n[[boosts]]\nsku = "A"\nrate = "9%"\nstart = 2026-11-01T10:00:00\n'
        "end = 2026-11-02",
        "boosts[0].start",
        "date",
    ),
    (
        'base_rate = "6%"\n[[boosts]]\nsku = "A"\nrate = "9%"\n'
        "start = 2026-11-01\nend = 2026-11-05\n"
        '[[boosts]]\nsku = "A"\nrate = "9%"\nstart = 2026-11-05\nend = 2026-11-06',
        "boosts[1]",
        "overlaps boosts[0]",
    ),
    ('base_rate = "6%"\n[recruit]\nreward = -20', "recruit.reward", "negative"),
    ('base_rate = "6%"\n[recruit]\nreward = 20.001', "recruit.reward", "two decimals"),
    ('base_rate = "6%"\n[recruit]\nreward = true', "recruit.reward", "yuan"),
    (
        'base_rate = "6%"\n[[levels]]\nkey = "junior"\nmin_sales = 10',
        "levels[0].min_sales",
        "start at 0",
    ),
    (
        'base_rate = "6%"\n[[levels]]\nkey = "junior"\nmin_sales = 0\n[[levels]]\nkey = "gold"\n'
        "min_sales = 0",
        "levels[1].min_sales",
        "greater",
    ),
    (
        'base_rate = "6%"\n[[levels]]\nkey = "a"\nmin_sales = 0\nbonus = "1%"\n'
        '[[levels]]\nkey = "b"\n'
        'min_sales = 5\nbonus = "0%"',
        "levels[1].bonus",
        "lower",
    ),
    (
        'base_rate = "6%"\n[[levels]]\nkey = "a"\nmin_sales = 0\n'
        '[[levels]]\nkey = "a"\nmin_sales = 5',
        "levels[1].key",
        "duplicate",
    ),
    (
        'base_rate = "6%"\n[[levels]]\nkey = "Gold Star"\nmin_sales = 0',
        "levels[0].key",
        "lowercase",
    ),
    ('base_rate = "6%"\nsteps = 3', "steps", "list of tables"),
]


@pytest.mark.parametrize(("toml", "path", "words"), BAD)
def test_bad_rules_name_the_key(toml: str, path: str, words: str) -> None:
    with pytest.raises(RulesError) as exc:
        parse_rules(toml)
    assert exc.value.code == "invalid_rules"
    paths = [p for p, _ in exc.value.params["errors"]]
    assert path in paths, str(exc.value)
    line = next(ln for ln in str(exc.value).splitlines() if ln.startswith(path + ":"))
    assert words in line


def test_message_format_is_path_colon_problem() -> None:
    with pytest.raises(RulesError) as exc:
        parse_rules(BAD[8][0])
    assert str(exc.value) == 'steps[1].rate: must be a percentage like "8%"'


def test_toml_syntax_error() -> None:
    with pytest.raises(RulesError) as exc:
        parse_rules("base_rate = ")
    assert exc.value.code == "toml_syntax"


def test_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(RulesError) as exc:
        load_rules(tmp_path / "missing.toml")
    assert exc.value.code == "unreadable_file"


def test_custom_level_name() -> None:
    r = parse_rules(_with("").replace('key = "gold"', 'key = "star"\nname = "Star ⭐"'))
    assert r.levels[1].key == "star" and r.levels[1].name == "Star ⭐"
