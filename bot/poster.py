"""The recruiting poster (招募海报) of /invite poster: a PNG a sharer posts to WeChat Moments.

It carries the sharer's display name, the brand's line and a QR code of their referral deep
link. Chinese needs a CJK font (`bot.fonts.font_path`); without one, Pillow's own font, which
has no Chinese glyphs, keeps the poster and its QR code working.
"""

from __future__ import annotations

import io
from functools import cache

import qrcode
from PIL import Image, ImageDraw, ImageFont

from bot.fonts import font_path

WIDTH, HEIGHT = 1080, 1440
BAND = 520  # the coloured band at the top, holding the headline
QR_SIDE = 600
COLOURS = {"band": "#D9412B", "paper": "#FFF6EC", "ink": "#2B2B2B", "soft": "#8A7F76"}
Font = ImageFont.FreeTypeFont | ImageFont.ImageFont


@cache
def _font(size: int) -> Font:
    path = font_path()
    if path is None:
        return ImageFont.load_default(size)
    return ImageFont.truetype(str(path), size)


def wrap(text: str, font: Font, width: int, max_lines: int) -> list[str]:
    """Lines of `text` no wider than `width`. Chinese has no spaces, so a line may break
    between any two characters; Latin words are kept whole where they fit. Past `max_lines`,
    the last line ends in an ellipsis."""
    lines: list[str] = []
    line = ""
    for token in _tokens(text):
        candidate = (line + token) if line else token.lstrip()
        if font.getlength(candidate) <= width:
            line = candidate
            continue
        if line:
            lines.append(line.rstrip())
        line = token.lstrip()
        while font.getlength(line) > width and len(line) > 1:  # a word wider than a line
            cut = len(line) - 1
            while cut > 1 and font.getlength(line[:cut]) > width:
                cut -= 1
            lines.append(line[:cut])
            line = line[cut:]
    if line:
        lines.append(line.rstrip())
    if len(lines) > max_lines:
        last = lines[max_lines - 1]
        while last and font.getlength(last + "…") > width:
            last = last[:-1]
        lines = [*lines[: max_lines - 1], last + "…"]
    return lines


def _tokens(text: str) -> list[str]:
    """Latin words (with the space before them) whole; every other character alone."""
    tokens: list[str] = []
    for ch in " ".join(text.split()):
        if tokens and ch.isascii() and ch != " " and tokens[-1][-1:].isascii():
            tokens[-1] += ch
        else:
            tokens.append(ch)
    return tokens


def _qr(link: str, side: int) -> Image.Image:
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=1, border=4)
    code.add_data(link)
    code.make(fit=True)
    modules = code.make_image(fill_color="black", back_color="white").get_image()
    scale = max(1, side // modules.size[0])  # whole pixels per module keep edges sharp
    return modules.convert("L").resize((modules.size[0] * scale,) * 2, Image.Resampling.NEAREST)


def _centred(draw: ImageDraw.ImageDraw, lines: list[str], font: Font, top: int, fill: str) -> int:
    """Draw `lines` centred from `top`; the y below the last."""
    step = int(font.size * 1.35) if isinstance(font, ImageFont.FreeTypeFont) else 40
    for line in lines:
        draw.text((WIDTH // 2, top), line, font=font, fill=fill, anchor="ma")
        top += step
    return top


def render_poster(headline: str, brand_line: str, link: str, scan_hint: str) -> bytes:
    """The poster as PNG bytes: `headline` (names the sharer) on the band, the brand's line,
    the QR code of `link` and `scan_hint` under it."""
    image = Image.new("RGB", (WIDTH, HEIGHT), COLOURS["paper"])
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, WIDTH, BAND), fill=COLOURS["band"])
    margin = 90
    big, mid, small = _font(76), _font(46), _font(36)
    head = wrap(headline, big, WIDTH - 2 * margin, 3)
    step = int(76 * 1.35)
    _centred(draw, head, big, max(60, (BAND - step * len(head)) // 2), "white")
    below = _centred(
        draw, wrap(brand_line, mid, WIDTH - 2 * margin, 2), mid, BAND + 50, COLOURS["ink"]
    )
    code = _qr(link, QR_SIDE)
    left = (WIDTH - code.size[0]) // 2
    top = max(below + 20, HEIGHT - code.size[1] - 150)
    image.paste(code, (left, top))
    _centred(draw, [scan_hint], small, top + code.size[1] + 30, COLOURS["soft"])
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
