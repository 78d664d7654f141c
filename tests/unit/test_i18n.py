from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from bot.catalogs import missing
from bot.i18n import LANGUAGES, I18n, resolve_locale


@pytest.mark.parametrize(
    ("code", "locale"),
    [
        ("zh", "zh_Hans"),
        ("zh-CN", "zh_Hans"),
        ("zh-SG", "zh_Hans"),
        ("zh-hans", "zh_Hans"),
        ("zh-TW", "zh_Hant"),
        ("zh-HK", "zh_Hant"),
        ("zh-MO", "zh_Hant"),
        ("zh-hant", "zh_Hant"),
        ("zh_Hant_TW", "zh_Hant"),
        ("en", "en"),
        ("en-GB", "en"),
        ("EN-us", "en"),
        ("de", "zh_Hans"),
        (None, "zh_Hans"),
        ("", "zh_Hans"),
    ],
)
def test_resolve_locale(code: str | None, locale: str) -> None:
    assert resolve_locale(code) == locale


def test_unknown_language_falls_back_to_the_default() -> None:
    assert resolve_locale("fr", default="en") == "en"


@pytest.mark.parametrize("locale", LANGUAGES)
def test_every_message_is_translated(locale: str) -> None:
    lacking = [f"{m.where}: {m.id}" for m in missing(locale)]
    assert lacking == [], f"{locale} lacks {len(lacking)} translations"


def test_translations_differ_by_language() -> None:
    i18n = I18n()
    message = "What you can do here:"
    assert i18n.get("zh_Hans")(message) == "你在这里可以使用："
    assert i18n.get("zh_Hant")(message) == "你在這裡可以使用："
    assert i18n.get("en")(message) == message


def test_money_and_dates() -> None:
    i18n = I18n()
    assert i18n.get("zh_Hans").money(123450) == "¥1,234.50"
    assert i18n.get("en").money(-5) == "-¥0.05"
    assert i18n.get("zh_Hans").date(date(2026, 11, 22)) == "2026年11月22日"
    assert i18n.get("en").date(date(2026, 11, 22)) == "22 Nov 2026"


def test_one_unambiguous_date_time_style_per_language() -> None:
    """Never 12/2/26: the day, month and year can be read one way only, on a 24-hour clock."""
    i18n = I18n()
    moment = datetime(2026, 12, 2, 3, 1, tzinfo=UTC)
    assert i18n.get("zh_Hans").datetime(moment, "short") == "2026年12月2日 03:01"
    assert i18n.get("zh_Hant").datetime(moment) == "2026年12月2日 03:01"
    assert i18n.get("en").datetime(moment, "short") == "2 Dec 2026, 03:01"
    assert i18n.get("en").date(moment, "medium") == "2 Dec 2026"


def test_lists_in_a_sentence_use_the_language_s_separator() -> None:
    i18n = I18n()
    assert i18n.get("zh_Hans").join(["商务", "管理者"]) == "商务、管理者"
    assert i18n.get("en").join(["BD", "manager"]) == "BD, manager"
    assert i18n.get("en").percent(Decimal("0.0825"), 2) == "8.25%"
    assert i18n.get("en").percent(None) == "—"
