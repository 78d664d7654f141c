"""Languages: gettext catalogs compiled from `.po` at start, and Babel formatting.

Each feature keeps its own catalog file (`locales/<lang>/LC_MESSAGES/<feature>.po`) so that
features can grow side by side; at start all files of a language merge into one translator.
Message ids are English source strings; placeholders are filled after translating.
"""

from __future__ import annotations

import gettext
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from babel import Locale
from babel.dates import format_date, format_datetime, format_time
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, format_percent

LANGUAGES = ("zh_Hans", "zh_Hant", "en")
LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"

_HANT_REGIONS = {"tw", "hk", "mo", "hant"}
# CLDR patterns: Babel passes 年, 月 and 日 through as literals.
_DATE_STYLE = {"zh": "y年M月d日", "en": "d MMM y"}
_DATETIME_STYLE = {"zh": "y年M月d日 HH:mm", "en": "d MMM y, HH:mm"}


def resolve_locale(code: str | None, default: str = "zh_Hans") -> str:
    """Map a Telegram `language_code` or a user's `/lang` argument to one of LANGUAGES.

    zh-Hant must not collapse into zh (Hans): zh-TW/zh-HK/zh-MO and any *hant* tag are Hant.
    """
    if not code:
        return default
    parts = code.replace("_", "-").lower().split("-")
    if parts[0] == "en":
        return "en"
    if parts[0] == "zh":
        return "zh_Hant" if _HANT_REGIONS.intersection(parts[1:]) else "zh_Hans"
    return default


def N_(message: str) -> str:
    """Mark a string for extraction where it is defined; it is translated where it is shown."""
    return message


@dataclass(frozen=True)
class Translator:
    """What handlers use to speak: `t("…")`, `t.n(singular, plural, n)` and Babel formatting."""

    locale: str
    _catalog: gettext.NullTranslations = field(repr=False)

    def __call__(self, message: str) -> str:
        return self._catalog.gettext(message)

    def n(self, singular: str, plural: str, count: int) -> str:
        return self._catalog.ngettext(singular, plural, count)

    @property
    def babel_locale(self) -> Locale:
        return Locale.parse(self.locale)

    def money(self, fen: int) -> str:
        """Integer fen → '¥1,234.50' (the yuan sign in every language, as the shop shows it)."""
        sign = "-" if fen < 0 else ""
        yuan = Decimal(abs(fen)).scaleb(-2)
        return f"{sign}¥{format_decimal(yuan, format='#,##0.00', locale=self.locale)}"

    def number(self, value: int | Decimal | float) -> str:
        return format_decimal(value, locale=self.locale)

    def percent(self, fraction: Decimal | float | None, digits: int = 1) -> str:
        if fraction is None:
            return "—"
        pattern = "#,##0." + "0" * digits + "%" if digits else "#,##0%"
        return format_percent(fraction, format=pattern, locale=self.locale)

    @property
    def chinese(self) -> bool:
        return self.locale.startswith("zh")

    def join(self, items: Iterable[object]) -> str:
        """A list inside a sentence: 、 between items in Chinese, a comma in English."""
        return ("、" if self.chinese else ", ").join(map(str, items))

    def date(self, value: date | datetime, fmt: str = "") -> str:
        """One unambiguous style per language (2026年12月2日; 2 Dec 2026), never 12/2/26.

        `fmt` is accepted for older callers and ignored: one style everywhere.
        """
        pattern = _DATE_STYLE["zh" if self.chinese else "en"]
        return format_date(value, format=pattern, locale=self.locale)

    def datetime(self, value: datetime, fmt: str = "") -> str:
        """2026年12月2日 03:01; 2 Dec 2026, 03:01 — the 24-hour clock in every language."""
        pattern = _DATETIME_STYLE["zh" if self.chinese else "en"]
        return format_datetime(value, format=pattern, tzinfo=value.tzinfo, locale=self.locale)

    def time(self, value: datetime, fmt: str = "") -> str:
        return format_time(value, format="HH:mm", tzinfo=value.tzinfo, locale=self.locale)


def read_catalogs(locale: str, root: Path = LOCALES_DIR) -> list[Catalog]:
    folder = root / locale / "LC_MESSAGES"
    catalogs = []
    for path in sorted(folder.glob("*.po")):
        with path.open("rb") as handle:
            catalogs.append(read_po(handle, locale=locale))
    return catalogs


def _compile(locale: str, catalogs: Iterable[Catalog]) -> gettext.GNUTranslations:
    merged = Catalog(locale=locale)
    for catalog in catalogs:
        for message in catalog:
            if message.id and message.string and not message.fuzzy:
                merged[message.id] = message
    buffer = io.BytesIO()
    write_mo(buffer, merged)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


class I18n:
    """All translators, compiled once at start."""

    def __init__(self, default: str = "zh_Hans", root: Path = LOCALES_DIR) -> None:
        self.default = default
        self._translators = {
            locale: Translator(locale, _compile(locale, read_catalogs(locale, root)))
            for locale in LANGUAGES
        }

    def get(self, locale: str | None) -> Translator:
        return self._translators.get(locale or self.default) or self._translators[self.default]

    def all(self) -> list[Translator]:
        return list(self._translators.values())
