"""Inline keyboards from plain rows of (label, data): data that looks like a link becomes a URL
button, anything else callback data. Shared by replies and by the outbox's messages."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

ButtonSpec = tuple[str, str]  # (label, "callback data") or (label, "https://…")


def keyboard(rows: Sequence[Sequence[ButtonSpec]] | None) -> InlineKeyboardMarkup | None:
    if not rows:
        return None
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(label, url=data)
                if data.startswith(("https://", "http://", "tg://"))
                else InlineKeyboardButton(label, callback_data=data)
                for label, data in row
            ]
            for row in rows
        ]
    )
