"""The period chart's render time (target ≤ 500 ms).

    .venv/bin/python bench/bench_chart.py [--repeat 30]

Times `render_period_chart` for a month (31 days, ten sharers) and a week, in Chinese,
warm (matplotlib loaded, font registered). Baseline, measured in the same run: an empty
figure of the same size written as PNG by the same Agg canvas — the floor any chart pays.
The first chart of a process (matplotlib import, font registration) is timed apart, in a
fresh interpreter.
"""

from __future__ import annotations

import argparse
import io
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot import charts  # noqa: E402
from bot.i18n import I18n  # noqa: E402

FIRST = """
import time, sys
sys.path.insert(0, {root!r})
from datetime import date
from bot.i18n import I18n
from bot import charts
t = I18n().get("zh_Hans")
start = time.perf_counter()
charts.render_period_chart(t, [(date(2026, 11, d), d * 1000) for d in range(1, 31)],
                           [("张*明", 100000)], "2026年11月")
print(time.perf_counter() - start)
"""


def period(days: int, start: date) -> list[tuple[date, int]]:
    return [(start + timedelta(i), 500_000 + (i * 7919) % 2_500_000) for i in range(days)]


TOP = [(f"分享员{i}*", 3_000_000 - i * 250_000) for i in range(10)]


def timed(fn, repeat: int) -> list[float]:
    fn()  # warm
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def empty_png() -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(charts.WIDTH / charts.DPI, charts.HEIGHT / charts.DPI), dpi=charts.DPI)
    out = io.BytesIO()
    FigureCanvasAgg(fig).print_png(out)
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    t = I18n().get("zh_Hans")
    month, week = period(31, date(2026, 10, 1)), period(13, date(2026, 11, 10))
    cases = {
        "empty figure (baseline)": lambda: empty_png(),
        "month: 31 days, 10 sharers": lambda: charts.render_period_chart(t, month, TOP, "10月"),
        "week: 7 days + 6 before, 10 sharers": lambda: charts.render_period_chart(
            t, week, TOP, "第46周"
        ),
    }
    results = {name: timed(fn, args.repeat) for name, fn in cases.items()}
    base = statistics.median(results["empty figure (baseline)"])
    print(f"| what | median | max | net of baseline | ÷ baseline |  ({args.repeat} runs)")
    print("|---|---:|---:|---:|---:|")
    for name, ms in results.items():
        med = statistics.median(ms)
        cells = [f"{med:.1f} ms", f"{max(ms):.1f} ms", f"{med - base:.1f} ms", f"{med / base:.2f}×"]
        print(f"| {name} | " + " | ".join(cells) + " |")
    firsts = [
        float(
            subprocess.run(
                [sys.executable, "-c", FIRST.format(root=str(ROOT))],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
        )
        for _ in range(3)
    ]
    print(
        f"first chart of a fresh process (median of 3): {statistics.median(firsts) * 1000:.0f} ms"
    )


if __name__ == "__main__":
    main()
