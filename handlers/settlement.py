"""Sharer programme: placeholder until this part lands (registered from handlers/sharers.py)."""

from __future__ import annotations

from telegram.ext import Application


def register(app: Application) -> None:
    """Nothing registered yet."""
