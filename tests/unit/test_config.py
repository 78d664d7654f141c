from datetime import time, timedelta

import pytest

from bot.config import ConfigError, load_settings, parse_duration
from bot.domain.kpi import KpiFile
from bot.services import load_kpi_lines


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2d", timedelta(days=2)),
        ("30m", timedelta(minutes=30)),
        ("12h", timedelta(hours=12)),
        ("45s", timedelta(seconds=45)),
        ("1h30m", timedelta(minutes=90)),
        (" 2D ", timedelta(days=2)),
    ],
)
def test_durations(text: str, expected: timedelta) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize("text", ["", "2", "2w", "d2", "-1d", "0m", "2 days"])
def test_bad_durations(text: str) -> None:
    with pytest.raises(ValueError):
        parse_duration(text)


def test_defaults() -> None:
    settings = load_settings()
    assert settings.chase_after == timedelta(days=2)
    assert settings.chase_every == timedelta(days=2)
    assert settings.live_remind_before == timedelta(minutes=30)
    assert settings.digest_at == time(9, 0)
    assert settings.timezone == "Asia/Shanghai"
    assert settings.default_language == "zh_Hans"
    assert settings.admin_ids == frozenset()
    assert settings.telegram_base_url == "https://api.telegram.org/bot"


def test_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ADMIN_IDS", "11, 22")
    monkeypatch.setenv("CHASE_AFTER", "1d")
    monkeypatch.setenv("DIGEST_AT", "08:30")
    monkeypatch.setenv("DEFAULT_LANGUAGE", "zh-TW")
    settings = load_settings()
    assert settings.admin_ids == frozenset({11, 22})
    assert settings.chase_after == timedelta(days=1)
    assert settings.digest_at == time(8, 30)
    assert settings.default_language == "zh_Hant"


def test_dotenv_file(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / ".env").write_text("TIMEZONE=Europe/Berlin\nMAX_CHASES=5\n")
    settings = load_settings()
    assert settings.timezone == "Europe/Berlin"
    assert settings.max_chases == 5


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("TIMEZONE", "Mars/Base"),
        ("CHASE_AFTER", "soon"),
        ("ADMIN_IDS", "alice"),
        ("DIGEST_AT", "25:00"),
        ("PORT", "http"),
        ("DEFAULT_LANGUAGE", "fr"),
        ("RULES_FILE", "/nope/rules.toml"),
        ("KPI_FILE", "/nope/kpi.toml"),
    ],
)
def test_bad_value_names_the_setting(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError) as caught:
        load_settings()
    message = str(caught.value)
    assert message.startswith(f"{name}: ")
    assert "\n" not in message


def test_token_is_secret() -> None:
    settings = load_settings(telegram_bot_token="123:SECRET")
    assert "SECRET" not in repr(settings)
    assert settings.token() == "123:SECRET"


def test_missing_token() -> None:
    with pytest.raises(ConfigError, match="TELEGRAM_BOT_TOKEN"):
        load_settings().token()


def test_a_bad_kpi_file_stops_the_start_naming_the_key(tmp_path) -> None:
    kpi = tmp_path / "kpi.toml"
    kpi.write_text("[videos]\nfail = 1\nnormal = 3\ngood = 2\nexceed = 4\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_kpi_lines(load_settings(kpi_file=kpi))
    message = str(caught.value)
    assert message.startswith(f"KPI_FILE: {kpi}: videos.good: ")
    assert "\n" not in message


def test_without_kpi_file_the_documented_lines_apply() -> None:
    assert load_kpi_lines(load_settings()) == KpiFile.default()
