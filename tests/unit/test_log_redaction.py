"""The log filter: a token or secret never survives in a record, wherever it sits."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest

from bot.logs import HIDDEN, Redactor

TOKEN = "7012345678:AAH3kq0-xYzAbCdEfGhIjKlMnOpQrStUvWx"
SECRET = "Zq3_secret-Value-9"


@pytest.fixture
def logged() -> Iterator[tuple[logging.Logger, io.StringIO]]:
    """A logger of its own writing to a buffer through a redacting handler."""
    redactor = Redactor()
    redactor.hide(TOKEN)
    redactor.hide(SECRET)
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.addFilter(redactor)
    logger = logging.getLogger("test_log_redaction")
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    yield logger, buffer
    logger.removeHandler(handler)


def test_message_arguments_exceptions_and_stack_are_redacted(logged) -> None:
    logger, buffer = logged
    logger.debug("HTTP Request: POST %s", f"https://api.telegram.org/bot{TOKEN}/getMe")
    logger.debug("Calling Bot API endpoint `setWebhook` with parameters `%s`",
                 {"url": "https://x/telegram", "secret_token": SECRET})  # fmt: skip
    logger.info(f"token in the message itself: {TOKEN}")
    try:
        raise ConnectionError(f"cannot reach /bot{TOKEN}/sendMessage ({SECRET})")
    except ConnectionError:
        logger.exception("send failed")
    logger.warning("where: %s", SECRET, stack_info=True)
    text = buffer.getvalue()
    assert TOKEN not in text and SECRET not in text
    assert text.count(HIDDEN) >= 6
    assert "ConnectionError: cannot reach /bot[redacted]/sendMessage ([redacted])" in text


def test_an_unregistered_token_is_caught_by_its_shape(logged) -> None:
    logger, buffer = logged
    other = "123456:TEST-TOKEN"  # short, unregistered: only the Bot API path gives it away
    logger.info(
        "GET http://127.0.0.1:80/bot%s/getUpdates and /file/bot%s/documents/a", other, other
    )
    real_shape = "5550001111:" + "A" * 35
    logger.info("token %s", real_shape)
    text = buffer.getvalue()
    assert "TEST-TOKEN" not in text and real_shape not in text
    assert "/bot[redacted]/getUpdates" in text and "/file/bot[redacted]/documents/a" in text


def test_an_url_encoded_secret_and_ordinary_text_are_handled(logged) -> None:
    logger, buffer = logged
    logger.info("q=%s", TOKEN.replace(":", "%3A"))
    logger.info("orders 2026-11-20 12:30:00, /bot_help, 100%% done, user %d", 7012345678)
    text = buffer.getvalue()
    assert "AAH3kq0" not in text
    assert "orders 2026-11-20 12:30:00, /bot_help, 100% done, user 7012345678" in text


def test_short_values_are_not_hidden_everywhere() -> None:
    redactor = Redactor()
    redactor.hide("ab")  # would blank out every "ab" in every log line
    redactor.hide(None)
    assert redactor.redact("about a cab") == "about a cab"


def test_a_broken_call_is_left_for_logging_to_report() -> None:
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "%d", ("not a number",), None)
    assert Redactor().filter(record) is True
    assert record.args == ("not a number",)


def test_setup_logging_puts_the_filter_on_the_root_handlers(monkeypatch) -> None:
    from bot import logs

    root = logging.getLogger()
    handler = logging.StreamHandler(io.StringIO())
    monkeypatch.setattr(root, "handlers", [handler])
    levels = {n: logging.getLogger(n).level for n in ("", "httpx", "httpcore")}
    try:
        logs.setup_logging(logging.DEBUG)
        assert logs.REDACTOR in handler.filters
        assert logging.getLogger("httpx").level == logging.DEBUG  # redacted, so shown
        logs.setup_logging(logging.INFO)
        assert handler.filters.count(logs.REDACTOR) == 1
        assert logging.getLogger("httpx").level == logging.WARNING
    finally:
        for name, level in levels.items():
            logging.getLogger(name).setLevel(level)
