"""The recruiting poster's drawing: the font it finds, how it wraps Chinese and English, and
that its QR code reads back whatever the text around it."""

from __future__ import annotations

import io

import pytest
import zxingcpp
from PIL import Image

from bot import poster

LINK = "https://t.me/crewbot_bot?start=r_Ab3dE5gH"


def decoded(png: bytes) -> list[str]:
    return [code.text for code in zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))]


def test_the_packaged_cjk_font_is_found_and_has_chinese_glyphs() -> None:
    path = poster.font_path()
    assert path is not None and path.is_file()
    font = poster._font(40)
    # A character the font lacks is drawn as its .notdef box, the same for any of them.
    assert font.getmask("分").getbbox() != font.getmask("\U000f0000").getbbox()


def test_chinese_wraps_between_characters_and_english_between_words() -> None:
    font = poster._font(40)
    lines = poster.wrap("好物分享" * 10, font, 400, 5)
    assert len(lines) > 1 and "".join(lines) == "好物分享" * 10
    assert all(font.getlength(line) <= 400 for line in lines)
    words = poster.wrap("Share what you love and earn on every order", font, 400, 5)
    assert " ".join(words) == "Share what you love and earn on every order"
    assert all(font.getlength(line) <= 400 for line in words)


def test_text_beyond_the_lines_allowed_ends_in_an_ellipsis() -> None:
    font = poster._font(40)
    lines = poster.wrap("很长的名字" * 40, font, 400, 2)
    assert len(lines) == 2 and lines[-1].endswith("…")
    assert font.getlength(lines[-1]) <= 400
    [long_word] = poster.wrap("x" * 200, font, 400, 1)
    assert long_word.endswith("…") and font.getlength(long_word) <= 400


@pytest.mark.parametrize(
    ("headline", "line"),
    [
        ("张小明邀请你成为分享员", "好物分享，每一单都有回报"),
        ("A" * 120 + " invites you to become a sharer", "Brand " * 40),
        ("", ""),
        ("🎉 <b>&amp;</b> 邀請", "繁體中文的品牌標語"),
    ],
)
def test_the_qr_code_reads_back_whatever_the_text(headline: str, line: str) -> None:
    png = poster.render_poster(headline, line, LINK, "扫码加入")
    assert Image.open(io.BytesIO(png)).size == (poster.WIDTH, poster.HEIGHT)
    assert decoded(png) == [LINK]


def test_without_a_cjk_font_the_poster_still_works(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(poster, "font_path", lambda: None)
    poster._font.cache_clear()
    try:
        png = poster.render_poster("Dora邀请你成为分享员", "好物分享", LINK, "扫码加入")
    finally:
        poster._font.cache_clear()
    assert decoded(png) == [LINK]
