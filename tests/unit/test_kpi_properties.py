"""Properties of KPI bands over generated lines, values and periods."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from bot.domain.kpi import BANDS, LINES, KpiFile, parse_kpi

RANK = {name: i for i, name in enumerate(BANDS)}


@st.composite
def count_lines(draw: st.DrawFn) -> tuple[KpiFile, bool]:
    steps = draw(st.lists(st.integers(1, 500), min_size=4, max_size=4))
    lower = draw(st.booleans())
    start = draw(st.integers(0, 100)) + (sum(steps) if lower else 0)
    values, current = [], start
    for step in steps:
        values.append(current)
        current = current - step if lower else current + step
    if lower and values[-1] < 0:
        values = [v - values[-1] for v in values]
    body = "\n".join(f"{name} = {v}" for name, v in zip(LINES, values, strict=True))
    toml = f"[orders]\nlower_is_better = {'true' if lower else 'false'}\n{body}\n"
    return parse_kpi(toml), lower


periods = st.integers(1, 31).flatmap(lambda m: st.tuples(st.integers(1, m), st.just(m)))


@given(count_lines(), st.integers(0, 3000), st.integers(0, 3000), periods)
def test_a_better_value_never_falls_to_a_lower_band(
    kpi_lower: tuple[KpiFile, bool], a: int, b: int, period: tuple[int, int]
) -> None:
    kpi, lower = kpi_lower
    worse, better = (max(a, b), min(a, b)) if lower else (min(a, b), max(a, b))
    days, month = period
    band_worse = kpi.band("orders", worse, days_in_period=days, days_in_month=month)
    band_better = kpi.band("orders", better, days_in_period=days, days_in_month=month)
    assert band_worse is not None and band_better is not None
    assert RANK[band_worse.name] <= RANK[band_better.name]
    # The next line to reach never moves backwards either.
    order = {name: i for i, name in enumerate((*LINES, None))}
    assert order[band_worse.next_line] <= order[band_better.next_line]


@given(count_lines(), st.integers(0, 3000), periods)
def test_the_distance_leads_to_the_next_line(
    kpi_lower: tuple[KpiFile, bool], value: int, period: tuple[int, int]
) -> None:
    kpi, lower = kpi_lower
    days, month = period
    band = kpi.band("orders", value, days_in_period=days, days_in_month=month)
    assert band is not None
    if band.next_line is None:
        assert band.name == "exceed" and band.distance is None
        return
    assert band.distance is not None and band.distance > 0
    # Moving by the distance (rounded up to a tenth) reaches the next line.
    moved = Decimal(value) + (-band.distance if lower else band.distance)
    after = kpi.band("orders", moved, days_in_period=days, days_in_month=month)
    assert after is not None
    nxt = LINES.index(band.next_line)
    assert after.next_line is None or LINES.index(after.next_line) > nxt


@given(st.integers(0, 10**8), st.integers(1, 31))
def test_a_full_month_is_judged_on_the_lines_as_written(value: int, month: int) -> None:
    kpi = KpiFile.default()
    band = kpi.band("valid_sales", value, days_in_period=month, days_in_month=month)
    lines = kpi.lines["valid_sales"]
    assert band is not None
    expected = "fail"
    for name in ("normal", "good", "exceed"):
        if value >= getattr(lines, name):
            expected = name
    assert band.name == expected
    if band.next_line:
        assert band.line == getattr(lines, band.next_line)
        assert band.distance == band.line - value
