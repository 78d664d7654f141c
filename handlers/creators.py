"""Creator pipeline (SPEC §2): entry point registering the BD team's features."""

from __future__ import annotations

from telegram.ext import Application


def register(app: Application) -> None:
    """Registers the creator pipeline's commands, buttons and ticks."""
