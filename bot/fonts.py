"""The CJK font the images draw Chinese with (the /invite poster, the digest charts).

Preferred: the one the `paperang-p2-fonts-cjk` package ships (WenQuanYi Micro Hei,
Apache-2.0), so a fresh install renders Chinese without system packages; else one the system
has; else None, and each caller falls back to a Latin-only font that keeps the image working.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

SYSTEM_FONTS = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
)


@cache
def font_path() -> Path | None:
    """The CJK font file to draw with, or None when there is none."""
    try:
        packaged = resources.files("paperang_p2_fonts_cjk") / "fonts" / "wqy-microhei.ttc"
        if packaged.is_file():
            return Path(str(packaged))
    except ModuleNotFoundError:
        pass
    return next((Path(p) for p in SYSTEM_FONTS if Path(p).is_file()), None)
