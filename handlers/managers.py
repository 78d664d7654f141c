"""Managers (SPEC §5): the daily digest; reports and KPI lines join here as they come."""

from __future__ import annotations

from telegram.ext import Application

from handlers import alerts, digest, report

PARTS = [digest, report, alerts]


def register(app: Application) -> None:
    for part in PARTS:
        part.register(app)
