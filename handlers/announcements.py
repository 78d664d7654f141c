"""Community operations (SPEC §4): announcements. Being built."""

from __future__ import annotations

from telegram.ext import Application


def register(app: Application) -> None:
    return None
