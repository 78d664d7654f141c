"""Sharer programme (SPEC §3): entry point registering the sharers' and managers' features."""

from __future__ import annotations

from telegram.ext import Application


def register(app: Application) -> None:
    """Registers the sharer programme's commands, buttons and ticks."""
