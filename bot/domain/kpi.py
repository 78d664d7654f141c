"""KPI lines (KPI_FILE, TOML, SPEC §5): per metric four lines, the band a value falls in and the
distance to the next line, plus the alert thresholds of the `[alerts]` table.

Lines are monthly targets. Sums (money, counts) are pro-rated to the period being judged (a day,
a week, a partial month); averages and rates (aov, refund_rate, fulfilment_rate) are compared as
they are. Money is written in yuan and held in fen; rates are written "15%" and held as Decimals.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from types import MappingProxyType
from typing import Any

from bot.domain.money import DomainError, MoneyError, parse_rate, yuan_value_to_fen

__all__ = [
    "ALERTS",
    "BANDS",
    "BAND_LABELS",
    "DEFAULT_KPI_TOML",
    "LINE_LABELS",
    "METRICS",
    "METRIC_LABELS",
    "Band",
    "KpiError",
    "KpiFile",
    "KpiLines",
    "KpiRow",
    "kind_of",
    "load_kpi",
    "parse_kpi",
]


def N_(message: str) -> str:  # the extraction keyword: the handler translates
    return message


Value = int | Decimal

METRICS = (
    "gmv",
    "valid_sales",
    "orders",
    "customers",
    "aov",
    "refund_rate",
    "active_sharers",
    "new_sharers",
    "samples_shipped",
    "videos",
    "fulfilment_rate",
    "live_forwards",
)
_MONEY = frozenset({"gmv", "valid_sales", "aov"})
_RATES = frozenset({"refund_rate", "fulfilment_rate"})
# An average or a rate over a week is comparable with a month's line; a sum is not.
_AS_IS = frozenset({"aov", "refund_rate", "fulfilment_rate"})
_LOWER_BY_DEFAULT = frozenset({"refund_rate"})

LINES = ("fail", "normal", "good", "exceed")
BANDS = LINES  # a band is named after the line that opens it; below "normal" is "fail"

METRIC_LABELS = {
    "gmv": N_("GMV"),
    "valid_sales": N_("Valid sales"),
    "orders": N_("Orders"),
    "customers": N_("Customers"),
    "aov": N_("Average order value"),
    "refund_rate": N_("Refund rate"),
    "active_sharers": N_("Active sharers"),
    "new_sharers": N_("New sharers"),
    "samples_shipped": N_("Samples shipped"),
    "videos": N_("Videos"),
    "fulfilment_rate": N_("Fulfilment rate"),
    "live_forwards": N_("Live forwards"),
}
BAND_LABELS = {
    "fail": N_("failing"),
    "normal": N_("normal"),
    "good": N_("good"),
    "exceed": N_("exceeding"),
}
LINE_LABELS = {
    "fail": N_("fail line"),
    "normal": N_("normal line"),
    "good": N_("good line"),
    "exceed": N_("exceed line"),
}

# Alert thresholds: name → (kind, default). A threshold of 0 (or "0%") switches its alert off
# and leaves it out of KpiFile.alerts; a "setting" (a condition of another alert) is always kept.
ALERTS: Mapping[str, tuple[str, Value]] = MappingProxyType(
    {
        "refund_rate": ("rate", Decimal("0.20")),
        "min_orders": ("setting", 20),
        "sales_drop": ("rate", Decimal("0.50")),
        "sales_check_hour": ("setting", 15),
        "activity_drop": ("rate", Decimal("0.30")),
        "overdue_pile": ("count", 5),
        "live_forwards_min": ("count", 10),
        "code_expiry_days": ("count", 3),
    }
)


def kind_of(metric: str) -> str:
    """ "money" (fen), "rate" (Decimal fraction) or "count" (int)."""
    return "money" if metric in _MONEY else "rate" if metric in _RATES else "count"


class KpiError(DomainError):
    """Codes: invalid_kpi (params: errors=[(key, problem)]), toml_syntax, unreadable_file.

    `str()` is one line per problem, each starting with the key, e.g.
    `refund_rate.good: must be below normal (lower is better)`.
    """


@dataclass(frozen=True)
class Band:
    """Where a value stands. `next_line` is the first line not reached (None above exceed);
    `line` its value for the period and `distance` how far the value still is from it,
    always ≥ 0 (for lower-is-better metrics: how much it must come down)."""

    name: str
    next_line: str | None
    line: Value | None
    distance: Value | None


@dataclass(frozen=True)
class KpiLines:
    metric: str
    fail: Value
    normal: Value
    good: Value
    exceed: Value
    lower_is_better: bool = False

    def values(self) -> tuple[Value, Value, Value, Value]:
        return (self.fail, self.normal, self.good, self.exceed)


@dataclass(frozen=True)
class KpiRow:
    """One line of a report as plain data: the handler translates the labels and formats
    `value` by `kind` (money in fen, rate as a fraction, count)."""

    metric: str
    kind: str
    label: str
    value: Value | None
    band: Band | None

    @property
    def band_label(self) -> str | None:
        return BAND_LABELS[self.band.name] if self.band else None

    @property
    def next_line_label(self) -> str | None:
        return LINE_LABELS[self.band.next_line] if self.band and self.band.next_line else None


@dataclass(frozen=True)
class KpiFile:
    lines: Mapping[str, KpiLines]
    alerts: Mapping[str, Value]

    @classmethod
    def default(cls) -> KpiFile:
        """The lines of config/kpi.example.toml, used while KPI_FILE is unset."""
        return parse_kpi(DEFAULT_KPI_TOML)

    def band(
        self, metric: str, value: Value | None, *, days_in_period: int, days_in_month: int
    ) -> Band | None:
        """The band of `value` measured over `days_in_period` days of a `days_in_month`-day
        month; None when the metric has no lines or there is no value."""
        if metric not in METRICS:
            raise ValueError(f"unknown metric {metric!r}")
        if days_in_period <= 0 or days_in_month <= 0:
            raise ValueError("days_in_period and days_in_month must be positive")
        lines = self.lines.get(metric)
        if lines is None or value is None:
            return None
        # Compared exactly: a day's share of a small monthly count is a fraction, and rounding
        # it first would put a day with none of them on the normal line.
        share = Fraction(1) if metric in _AS_IS else Fraction(days_in_period, days_in_month)
        exact = [Fraction(line) * share for line in lines.values()]
        if lines.lower_is_better:
            reached = [value <= line for line in exact]
        else:
            reached = [value >= line for line in exact]
        name = "fail"
        for line_name, ok in zip(LINES[1:], reached[1:], strict=True):
            if ok:
                name = line_name
        for line_name, line, ok in zip(LINES, exact, reached, strict=True):
            if not ok:
                kind = kind_of(metric)
                gap = abs(line - Fraction(value))
                # The line is shown on the side the value must reach, so that the value plus
                # the distance shown is the line shown.
                shown = _shown(kind, line, up=not lines.lower_is_better)
                return Band(name, line_name, shown, _shown(kind, gap, up=True))
        return Band(name, None, None, None)

    def rows(
        self, values: Mapping[str, Value | None], *, days_in_period: int, days_in_month: int
    ) -> list[KpiRow]:
        """The report's KPI lines, in METRICS order, for the metrics given in `values` (a
        feature without data yet is simply left out of `values`; None: no value this period)."""
        return [
            KpiRow(
                metric=m,
                kind=kind_of(m),
                label=METRIC_LABELS[m],
                value=values[m],
                band=self.band(
                    m, values[m], days_in_period=days_in_period, days_in_month=days_in_month
                ),
            )
            for m in METRICS
            if m in values
        ]


def _shown(kind: str, exact: Fraction, *, up: bool = False) -> Value:
    """A line or distance as shown: fen for money, tenths for counts (whole numbers as int),
    rates as they are. Distances round up, so a value short of a line never shows 0 to go."""
    if kind == "rate":
        return Decimal(exact.numerator) / Decimal(exact.denominator)
    step = Fraction(1) if kind == "money" else Fraction(1, 10)
    units = exact / step
    whole = math.ceil(units) if up else math.floor(units + Fraction(1, 2))
    if kind == "money" or whole % 10 == 0:
        return whole if kind == "money" else whole // 10
    return Decimal(whole).scaleb(-1)


def _bad(key: str, problem: str) -> KpiError:
    return KpiError("invalid_kpi", f"{key}: {problem}", key=key, problem=problem)


def _value(metric: str, key: str, raw: Any) -> Value:
    kind = kind_of(metric)
    if kind == "rate":
        if not isinstance(raw, str):
            raise _bad(key, 'must be a percentage like "15%"')
        try:
            return parse_rate(raw)
        except MoneyError:
            raise _bad(key, 'must be a percentage like "15%"') from None
    if kind == "money":
        try:
            return yuan_value_to_fen(raw)
        except MoneyError:
            raise _bad(key, "must be an amount in yuan, like 50000") from None
    if isinstance(raw, bool) or not isinstance(raw, int) or raw < 0:
        raise _bad(key, "must be a whole number, 0 or more")
    return raw


def _lines(metric: str, table: Any) -> KpiLines:
    if not isinstance(table, dict):
        raise _bad(metric, f"must be a table ([{metric}])")
    for key in table:
        if key not in (*LINES, "lower_is_better"):
            raise _bad(f"{metric}.{key}", "unknown key")
    lower = table.get("lower_is_better", metric in _LOWER_BY_DEFAULT)
    if not isinstance(lower, bool):
        raise _bad(f"{metric}.lower_is_better", "must be true or false")
    values: list[Value] = []
    for name in LINES:
        key = f"{metric}.{name}"
        if name not in table:
            raise _bad(key, "required line is missing")
        value = _value(metric, key, table[name])
        if values:
            before = LINES[len(values) - 1]
            if lower and not value < values[-1]:
                raise _bad(key, f"must be below {before} (lower is better)")
            if not lower and not value > values[-1]:
                raise _bad(key, f"must be above {before}")
        values.append(value)
    return KpiLines(metric, *values, lower_is_better=lower)


def _alerts(table: Any) -> dict[str, Value]:
    if not isinstance(table, dict):
        raise _bad("alerts", "must be a table ([alerts])")
    out = {name: default for name, (_kind, default) in ALERTS.items()}
    for key, raw in table.items():
        if key not in ALERTS:
            raise _bad(f"alerts.{key}", "unknown alert")
        kind = ALERTS[key][0]
        where = f"alerts.{key}"
        if kind == "rate":
            out[key] = _value("refund_rate", where, raw)
        elif isinstance(raw, bool) or not isinstance(raw, int) or raw < 0:
            raise _bad(where, "must be a whole number, 0 or more")
        elif key == "sales_check_hour" and raw > 23:
            raise _bad(where, "must be an hour from 0 to 23")
        else:
            out[key] = raw
    return {k: v for k, v in out.items() if v or ALERTS[k][0] == "setting"}


def parse_kpi(text: str) -> KpiFile:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise KpiError("toml_syntax", f"TOML syntax: {exc}", problem=str(exc)) from None
    lines: dict[str, KpiLines] = {}
    for key, table in data.items():
        if key == "alerts":
            continue
        if key not in METRICS:
            raise _bad(key, "unknown metric")
        lines[key] = _lines(key, table)
    alerts = _alerts(data.get("alerts", {}))
    ordered = {m: lines[m] for m in METRICS if m in lines}
    return KpiFile(MappingProxyType(ordered), MappingProxyType(alerts))


def load_kpi(path: str | Path) -> KpiFile:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise KpiError("unreadable_file", f"{path}: {exc}", path=str(path)) from None
    return parse_kpi(text)


# The lines of config/kpi.example.toml (a test keeps the two equal).
DEFAULT_KPI_TOML = """
gmv = { fail = 60000, normal = 120000, good = 250000, exceed = 500000 }
valid_sales = { fail = 50000, normal = 100000, good = 200000, exceed = 400000 }
orders = { fail = 300, normal = 600, good = 1200, exceed = 2500 }
customers = { fail = 250, normal = 500, good = 1000, exceed = 2000 }
aov = { fail = 120, normal = 160, good = 200, exceed = 260 }
refund_rate = { lower_is_better = true, fail = "15%", normal = "10%", good = "6%", exceed = "3%" }
active_sharers = { fail = 20, normal = 40, good = 80, exceed = 150 }
new_sharers = { fail = 5, normal = 10, good = 20, exceed = 40 }
samples_shipped = { fail = 20, normal = 40, good = 80, exceed = 150 }
videos = { fail = 10, normal = 25, good = 50, exceed = 100 }
fulfilment_rate = { fail = "40%", normal = "60%", good = "75%", exceed = "90%" }
live_forwards = { fail = 100, normal = 300, good = 600, exceed = 1200 }

[alerts]
refund_rate = "20%"
min_orders = 20
sales_drop = "50%"
sales_check_hour = 15
activity_drop = "30%"
overdue_pile = 5
live_forwards_min = 10
code_expiry_days = 3
"""
