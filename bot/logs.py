"""Logging set-up, and the filter that keeps the bot token and the webhook secret out of it.

The token is part of every Bot API URL (`/bot<token>/sendMessage`, which httpx logs) and the
webhook secret is a `setWebhook` parameter (which PTB logs at DEBUG). A filter on every
handler rewrites each record before it is written: the message with its arguments merged,
the formatted traceback and the stack. Values are hidden by name (`hide`, called once the
token is read and the secret chosen) and, as a safety net for a token nobody registered, by
the shapes a token takes: in a Bot API path, and the `<digits>:<35 characters>` form itself;
and the password of any `scheme://user:password@host` URL (DATABASE_URL).
"""

from __future__ import annotations

import logging
import re
from urllib.parse import quote

HIDDEN = "[redacted]"
_TOKEN_SHAPES = re.compile(r"(?<=/bot)\d+:[^/\s'\"?#]+|\b\d{6,}:[A-Za-z0-9_-]{30,}")
# The password of a URL (a DATABASE_URL in an error message, say): user:password@host.
_URL_PASSWORD = re.compile(r"(?<=://)([^\s:/@]*):[^\s/@]+@")
# Below this a value is too likely to occur by chance to be replaced everywhere.
_SHORTEST_SECRET = 6


class Redactor(logging.Filter):
    """Replaces secrets in a record's message, arguments, traceback and stack; never drops it."""

    def __init__(self) -> None:
        super().__init__()
        self._secrets: set[str] = set()
        self._pattern: re.Pattern[str] | None = None

    def hide(self, secret: str | None) -> None:
        if not secret or len(secret) < _SHORTEST_SECRET:
            return
        self._secrets |= {secret, quote(secret, safe="")}
        # Longest first, so a secret that contains another is replaced whole.
        alternatives = sorted(self._secrets, key=len, reverse=True)
        self._pattern = re.compile("|".join(re.escape(s) for s in alternatives))

    def redact(self, text: str) -> str:
        if self._pattern is not None:
            text = self._pattern.sub(HIDDEN, text)
        text = _URL_PASSWORD.sub(rf"\1:{HIDDEN}@", text)
        return _TOKEN_SHAPES.sub(HIDDEN, text)

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed call is logging's to report, on its own terms
            return True
        # The arguments are merged into the message so that none is left to format later.
        record.msg, record.args = self.redact(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True


REDACTOR = Redactor()


def hide(secret: str | None) -> None:
    """Keep `secret` out of every log record from now on."""
    REDACTOR.hide(secret)


def install(logger: logging.Logger | None = None) -> None:
    """Put the redactor on every handler of `logger` (the root logger by default)."""
    for handler in (logger or logging.getLogger()).handlers:
        if REDACTOR not in handler.filters:
            handler.addFilter(REDACTOR)


def setup_logging(level: int = logging.INFO) -> None:
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    install()
    # Request lines are noise unless someone is debugging; even then they pass the redactor.
    quiet = level if level <= logging.DEBUG else max(level, logging.WARNING)
    for noisy in ("httpx", "httpcore", "apscheduler", "aiohttp.access"):
        logging.getLogger(noisy).setLevel(quiet)
