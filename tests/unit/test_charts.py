"""The period chart: its PNG, its 7-day average, and Chinese labels drawn with glyphs the
chosen font has (no tofu boxes), with a working fallback when there is no CJK font."""

from __future__ import annotations

import io
import logging
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.ft2font import FT2Font
from matplotlib.text import Text
from PIL import Image

from bot import charts
from bot.fonts import font_path
from bot.i18n import I18n

ROOT = Path(__file__).resolve().parents[2]
I18N = I18n()
DAYS = [(date(2026, 11, 1) + timedelta(days=i), (i % 7 + 1) * 123_456) for i in range(30)]
TOP = [("张*明", 2_500_000), ("L*o", 1_900_000), ("陳**", 1_200_000), ("🎉 E*e", 800_000)]


def missing_glyphs(text: str, font: FT2Font) -> list[str]:
    return [ch for ch in text if not ch.isspace() and font.get_char_index(ord(ch)) == 0]


def test_the_7_day_average_uses_the_days_so_far_then_a_full_week() -> None:
    assert charts.moving_average([]) == []
    assert charts.moving_average([7, 0, 2]) == [7, 3.5, 3]
    values = list(range(1, 11))
    average = charts.moving_average(values)
    assert average[6] == sum(range(1, 8)) / 7
    assert average[9] == sum(range(4, 11)) / 7


def test_the_packaged_font_has_the_chinese_of_every_label() -> None:
    path = font_path()
    assert path is not None and "paperang_p2_fonts_cjk" in str(path)
    font = FT2Font(str(path))
    assert missing_glyphs("每日销售额分享员排行 每日銷售額分享員排行 2026年11月", font) == []
    assert font.get_char_index(0xF0000) == 0  # the check can fail: a private-use code point
    for locale in ("zh_Hans", "zh_Hant"):
        t = I18N.get(locale)
        for message in (charts.SALES_BY_DAY, charts.AVERAGE, charts.TOP_SHARERS, charts.NO_SALES):
            assert t(message) != message
            assert missing_glyphs(t(message), font) == []


@pytest.mark.parametrize("locale", ["zh_Hans", "zh_Hant", "en"])
def test_every_text_on_the_chart_is_drawn_with_the_cjk_font_and_its_glyphs(locale: str) -> None:
    t = I18N.get(locale)
    fig = charts.build_figure(t, DAYS, TOP, "2026年11月 月报")
    FigureCanvasAgg(fig).draw()  # tick labels exist once drawn
    path = font_path()
    assert path is not None
    font = FT2Font(str(path))
    texts = [text for text in fig.findobj(Text) if text.get_visible() and text.get_text()]
    shown = {text.get_text() for text in texts}
    assert {t(charts.SALES_BY_DAY), t(charts.AVERAGE), t(charts.TOP_SHARERS)} <= shown
    assert {"张*明", "陳**", "E*e", t.money(2_500_000)} <= shown  # the emoji is dropped
    for text in texts:
        assert Path(font_manager.findfont(text.get_fontproperties())) == path, text.get_text()
        assert missing_glyphs(text.get_text(), font) == [], text.get_text()


def test_the_png_decodes_at_its_size() -> None:
    png = charts.render_period_chart(I18N.get("zh_Hans"), DAYS, TOP * 5, "本月")
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG"
    assert image.size == (charts.WIDTH, charts.HEIGHT)


def test_a_period_without_sales_or_sharers_says_so() -> None:
    t = I18N.get("zh_Hans")
    fig = charts.build_figure(t, [(d, 0) for d, _ in DAYS], [], "本周")
    shown = {text.get_text() for text in fig.findobj(Text)}
    assert {t(charts.NO_SALES), t(charts.NO_SHARERS)} <= shown
    png = charts.render_period_chart(t, [], [("张*明", 0)], "本周")
    assert Image.open(io.BytesIO(png)).size == (charts.WIDTH, charts.HEIGHT)


def test_long_names_are_cut_and_names_of_emoji_only_show_a_dash() -> None:
    assert charts.short_name("王" * 30) == "王" * 11 + "…"
    assert charts.short_name("🎉🎉") == "—"
    assert charts.short_name("  A*a   b ") == "A*a b"


def test_without_a_cjk_font_a_warning_is_logged_and_the_chart_still_drawn(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(charts, "font_path", lambda: None)
    charts.font_families.cache_clear()
    charts._charmap.cache_clear()
    try:
        with caplog.at_level(logging.WARNING, logger="bot.charts"):
            png = charts.render_period_chart(I18N.get("en"), DAYS, TOP, "November 2026")
        assert charts.font_families() == (charts.FALLBACK_FAMILY,)
    finally:
        charts.font_families.cache_clear()
        charts._charmap.cache_clear()
    assert "No CJK font" in caplog.text
    assert Image.open(io.BytesIO(png)).size == (charts.WIDTH, charts.HEIGHT)


def test_importing_the_module_does_not_import_matplotlib() -> None:
    code = "import sys, bot.charts; sys.exit('matplotlib' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT).returncode == 0


def test_warm_up_loads_matplotlib_and_the_font() -> None:
    charts.warm_up()
    assert charts.font_families()[0] == "WenQuanYi Micro Hei"


def test_lead_days_feed_the_average_but_are_not_drawn() -> None:
    t = I18N.get("en")
    days = [
        (date(2026, 11, 1) + timedelta(days=i), 700 if i < 6 or i == 12 else 0) for i in range(13)
    ]
    fig = charts.build_figure(t, days, [], "week", lead=6)
    sales = fig.axes[0]
    [bars] = sales.containers
    assert [bar.get_height() for bar in bars] == [0] * 6 + [7]
    [line] = sales.get_lines()
    # Day 7 averages the six lead days of ¥7 and itself (¥0): ¥6.
    assert list(line.get_ydata()) == pytest.approx([6, 5, 4, 3, 2, 1, 1])
    assert sales.get_xticklabels()[0].get_text() == "Nov 7"
