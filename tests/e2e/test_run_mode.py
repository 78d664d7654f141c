"""`python -m bot run` as a real process against a Bot API server given by TELEGRAM_BASE_URL."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

from bot.offline.local_api import LocalBotAPI

TOKEN = "424242:SECRET-TOKEN-VALUE"


async def _bot_process(tmp_path: Path, api: LocalBotAPI, **env: str) -> asyncio.subprocess.Process:
    environment = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_BASE_URL": api.base_url,
        "DATABASE_PATH": str(tmp_path / "run.sqlite3"),
        "ADMIN_IDS": "1",
        "TICK_EVERY": "1s",
        **env,
    }
    return await _run(tmp_path, environment)


async def _run(tmp_path: Path, environment: dict[str, str]) -> asyncio.subprocess.Process:
    """`python -m bot run` in its own process, with exactly this environment."""
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        env=environment,
        cwd=tmp_path,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


async def _exit_and_errors(tmp_path: Path, environment: dict[str, str]) -> tuple[int, list[str]]:
    process = await _run(tmp_path, environment)
    _, stderr = await process.communicate()
    return process.returncode, stderr.decode().strip().splitlines()


async def test_run_polls_the_configured_server_and_never_logs_the_token(tmp_path: Path) -> None:
    async with LocalBotAPI() as api:
        api.user(7, "Qin", language_code="en")
        api.fail("setMyCommands", status=500)  # a server that refuses some methods
        process = await _bot_process(tmp_path, api)
        try:
            api.send_message(7, 7, "/start")
            hello = await api.wait_for("Hello Qin", timeout=30)
            assert hello.chat_id == 7
        finally:
            process.send_signal(signal.SIGTERM)
            _, stderr = await asyncio.wait_for(process.communicate(), timeout=30)
        assert process.returncode == 0, stderr.decode()
        log = stderr.decode()
        assert "crewbot is running" in log
        assert "could not set the command menus" in log
        assert "SECRET-TOKEN-VALUE" not in log


async def test_bad_setting_exits_2_with_one_line(tmp_path: Path) -> None:
    environment = {**os.environ, "TIMEZONE": "Mars/Base", "TELEGRAM_BOT_TOKEN": TOKEN}
    returncode, lines = await _exit_and_errors(tmp_path, environment)
    assert returncode == 2
    assert lines == ["TIMEZONE: unknown time zone 'Mars/Base' (e.g. Asia/Shanghai)"]


async def test_missing_token_exits_2(tmp_path: Path) -> None:
    environment = {k: v for k, v in os.environ.items() if k != "TELEGRAM_BOT_TOKEN"}
    returncode, lines = await _exit_and_errors(tmp_path, environment)
    assert returncode == 2
    assert lines[0].startswith("TELEGRAM_BOT_TOKEN: not set") and len(lines) == 1


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def test_webhook_mode_checks_the_secret_token(tmp_path: Path) -> None:
    import httpx

    port = _free_port()
    update = {
        "update_id": 1,
        "message": {
            "message_id": 1,
            "date": 1_790_000_000,
            "chat": {"id": 7, "type": "private", "first_name": "Qin"},
            "from": {"id": 7, "is_bot": False, "first_name": "Qin", "language_code": "en"},
            "text": "/start",
            "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
        },
    }
    async with LocalBotAPI() as api:
        api.user(7, "Qin", language_code="en", started=True)
        process = await _bot_process(
            tmp_path,
            api,
            WEBHOOK_URL="https://bot.example.com",
            WEBHOOK_SECRET="s3cret",
            PORT=str(port),
        )
        try:
            url = f"http://127.0.0.1:{port}/telegram"
            async with httpx.AsyncClient() as client:
                for _ in range(100):  # until the webhook server listens
                    try:
                        wrong = await client.post(
                            url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "x"}
                        )
                        break
                    except httpx.ConnectError:
                        await asyncio.sleep(0.1)
                assert wrong.status_code == 403
                right = await client.post(
                    url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "s3cret"}
                )
                assert right.status_code == 200
            hello = await api.wait_for("Hello Qin", timeout=30)
            assert hello.chat_id == 7
            assert api.webhook_url == "https://bot.example.com/telegram"
            assert len(api.sent_to(7)) == 1  # the refused update was not handled
        finally:
            process.send_signal(signal.SIGTERM)
            _, stderr = await asyncio.wait_for(process.communicate(), timeout=30)
        assert process.returncode == 0, stderr.decode()


async def test_a_bad_rules_file_stops_the_start_naming_the_key(tmp_path: Path) -> None:
    rules = tmp_path / "rules.toml"
    rules.write_text('base_rate = "6%"\n[[steps]]\nfrom = 100\nrate = "-8%"\n', encoding="utf-8")
    environment = {**os.environ, "TELEGRAM_BOT_TOKEN": TOKEN, "RULES_FILE": str(rules)}
    returncode, lines = await _exit_and_errors(tmp_path, environment)
    assert returncode == 2
    [line] = lines
    assert line.startswith("RULES_FILE: ") and "steps[0].rate" in line
