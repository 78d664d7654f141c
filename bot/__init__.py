"""crewbot: a Telegram bot for an e-commerce brand's BD team and sharer community."""

import os

# Opt in to python-telegram-bot's coming behaviour now (durations as timedelta, e.g.
# RetryAfter.retry_after), so the code does not change meaning on the next major release.
os.environ.setdefault("PTB_TIMEDELTA", "1")
