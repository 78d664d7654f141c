"""Sharer programme (SPEC §3): the sharers' and managers' features, registered in this order."""

from __future__ import annotations

from telegram.ext import Application

from handlers import commission_commands, imports, leaderboard, settlement, sharer_identity

PARTS = [sharer_identity, imports, commission_commands, leaderboard, settlement]


def register(app: Application) -> None:
    for part in PARTS:
        part.register(app)
