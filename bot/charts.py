"""The period chart sent with the digest and the reports: sales by day with the 7-day average,
and the top sharers as horizontal bars, drawn by matplotlib (Agg, no display) as a PNG.

matplotlib is imported on the first chart, not with this module: it costs about half a second,
which the bot's start should not pay. Rendering is CPU work (a few hundred milliseconds on a
slow machine): async callers run it in a thread (`asyncio.to_thread`). No pyplot and no global
style changes, so charts may render in several threads at once.

Chinese labels use the CJK font of `bot.fonts`; when there is none, a warning is logged once
and matplotlib's own font draws the labels (Chinese then shows as boxes, the chart still goes).
"""

from __future__ import annotations

import io
import logging
from collections.abc import Sequence
from datetime import date
from functools import cache
from typing import TYPE_CHECKING, Any

from babel.dates import format_skeleton
from babel.numbers import format_compact_decimal

from bot.fonts import font_path
from bot.i18n import N_, Translator

if TYPE_CHECKING:
    from matplotlib.figure import Figure

log = logging.getLogger(__name__)

WIDTH, HEIGHT, DPI = 1000, 900, 100
WINDOW = 7
TOP_SHOWN = 10
NAME_CHARS = 12  # longer names are cut, so the bars keep most of the width
COLOURS = {
    "bar": "#F2A38F",
    "line": "#D9412B",
    "top": "#3B7DD8",
    "ink": "#2B2B2B",
    "grid": "#E6E0DA",
}
FALLBACK_FAMILY = "DejaVu Sans"  # ships with matplotlib; Latin only

SALES_BY_DAY = N_("Sales by day")
DAILY_SALES = N_("Daily sales")
AVERAGE = N_("7-day average")
TOP_SHARERS = N_("Top sharers")
NO_SALES = N_("No sales in this period")
NO_SHARERS = N_("No sharer sold in this period")


def moving_average(values: Sequence[int], window: int = WINDOW) -> list[float]:
    """Each day's average over it and the days before it, up to `window` days: the first days
    of the list average over fewer days rather than inventing the missing ones."""
    out: list[float] = []
    total = 0
    for i, value in enumerate(values):
        total += value
        if i >= window:
            total -= values[i - window]
        out.append(total / min(i + 1, window))
    return out


def short_name(name: str, limit: int = NAME_CHARS) -> str:
    name = " ".join(drawable(name).split()) or "—"
    return name if len(name) <= limit else name[: limit - 1] + "…"


def drawable(text: str) -> str:
    """`text` without the characters no font of the chart has (emoji in a display name),
    which would otherwise show as empty boxes."""
    known = _charmap()
    return "".join(ch for ch in text if ord(ch) in known or ch.isspace())


@cache
def _matplotlib() -> Any:
    import matplotlib

    matplotlib.use("Agg")  # headless, whatever MPLBACKEND says
    return matplotlib


@cache
def font_families() -> tuple[str, ...]:
    """Family names for every text of the chart, the CJK font first; matplotlib falls back to
    the next family per glyph, so Latin-only or emoji-bearing names still draw."""
    path = font_path()
    if path is None:
        log.warning(
            "No CJK font found (install the paperang-p2-fonts-cjk package): "
            "chart labels in Chinese will show as boxes"
        )
        return (FALLBACK_FAMILY,)
    _matplotlib()
    from matplotlib import font_manager

    font_manager.fontManager.addfont(str(path))
    name = font_manager.FontProperties(fname=str(path)).get_name()
    return (name, FALLBACK_FAMILY)


@cache
def _charmap() -> frozenset[int]:
    _matplotlib()
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    codes: set[int] = set()
    for family in font_families():
        codes.update(FT2Font(font_manager.findfont(family)).get_charmap())
    return frozenset(codes)


def warm_up() -> None:
    """Import matplotlib and register the font now (about half a second, once per process),
    e.g. in a thread after start, so the first digest's chart does not pay for it."""
    _charmap()


def build_figure(
    t: Translator,
    days: list[tuple[date, int]],
    top: list[tuple[str, int]],
    title: str,
    *,
    lead: int = 0,
) -> Figure:
    """The chart as a matplotlib Figure (tests look at its texts; callers want the PNG)."""
    _matplotlib()
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter

    family = list(font_families())
    fig = Figure(figsize=(WIDTH / DPI, HEIGHT / DPI), dpi=DPI)
    fig.suptitle(drawable(title), fontfamily=family, fontsize=16, color=COLOURS["ink"])
    # Fixed margins, wide enough on the left for NAME_CHARS characters: matplotlib's
    # automatic layout would measure every label first and cost nearly half the render.
    sales, best = fig.subplots(
        2,
        1,
        height_ratios=(3, 2),
        gridspec_kw=dict(left=0.17, right=0.96, top=0.91, bottom=0.04, hspace=0.2),
    )
    yuan = FuncFormatter(lambda value, _pos: _yuan(t, value))

    sales.set_title(t(SALES_BY_DAY), fontfamily=family, loc="left", fontsize=13)
    lead = max(0, min(lead, len(days)))
    average = [a / 100 for a in moving_average([fen for _, fen in days])][lead:]
    days = days[lead:]
    if days and any(fen for _, fen in days):
        xs = range(len(days))
        amounts = [fen for _, fen in days]
        sales.bar(xs, [a / 100 for a in amounts], color=COLOURS["bar"], label=t(DAILY_SALES))
        sales.plot(xs, average, color=COLOURS["line"], linewidth=2.2, label=t(AVERAGE))
        step = max(1, -(-len(days) // 10))  # at most ten dates under the axis
        sales.set_xticks(list(xs)[::step], [_day(t, d) for d, _ in days][::step])
        sales.yaxis.set_major_formatter(yuan)
        sales.legend(prop={"family": family}, loc="upper left", frameon=False)
    else:
        _empty(sales, t(NO_SALES), family)
    _style(sales, family, "y")

    best.set_title(t(TOP_SHARERS), fontfamily=family, loc="left", fontsize=13)
    shown = [(name, fen) for name, fen in top if fen > 0][:TOP_SHOWN]
    if shown:
        ys = range(len(shown))
        bars = best.barh(ys, [fen / 100 for _, fen in shown], color=COLOURS["top"])
        best.set_yticks(list(ys), [short_name(name) for name, _ in shown])
        best.invert_yaxis()  # the best on top
        best.bar_label(
            bars, [t.money(fen) for _, fen in shown], padding=4, fontfamily=family, fontsize=9
        )
        best.xaxis.set_major_formatter(yuan)
        best.margins(x=0.18)  # room for the amounts after the longest bar
    else:
        _empty(best, t(NO_SHARERS), family)
    _style(best, family, "x")
    return fig


def render_period_chart(
    t: Translator,
    days: list[tuple[date, int]],
    top: list[tuple[str, int]],
    title: str,
    *,
    lead: int = 0,
) -> bytes:
    """The period's chart as PNG bytes, WIDTH × HEIGHT pixels.

    `days`: every day of the period in order with its sales in fen (days without sales as 0);
    the 7-day average of a day uses the days before it in the list. `lead`: how many of the
    first days are only there for that average (up to six before the period, so the first
    week averages over full weeks) and are not drawn.
    `top`: (name, fen) best first, names already masked for the chat; the first ten are shown.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig = build_figure(t, days, top, title, lead=lead)
    out = io.BytesIO()
    FigureCanvasAgg(fig).print_png(out)
    return out.getvalue()


def _style(ax: Any, family: list[str], values_on: str) -> None:
    ax.tick_params(labelfontfamily=family, labelsize=9, colors=COLOURS["ink"], length=0)
    ax.grid(axis=values_on, color=COLOURS["grid"])
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def _empty(ax: Any, message: str, family: list[str]) -> None:
    ax.text(
        0.5,
        0.5,
        message,
        ha="center",
        va="center",
        transform=ax.transAxes,
        fontfamily=family,
        fontsize=12,
        color=COLOURS["ink"],
    )
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(False)


def _day(t: Translator, day: date) -> str:
    return format_skeleton("MMMd", day, locale=t.locale)


def _yuan(t: Translator, value: float) -> str:
    """Axis ticks: ¥ and a compact amount (¥1.2万, ¥12K), the labels stay short."""
    if value == 0:
        return "0"
    return "¥" + format_compact_decimal(value, fraction_digits=1, locale=t.locale)
