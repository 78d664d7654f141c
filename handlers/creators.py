"""Creator pipeline (SPEC §2): the BD team's features, registered in this order."""

from __future__ import annotations

from telegram.ext import Application

from handlers import (
    ads,
    creator_card,
    creator_screening,
    creators_registry,
    exports,
    pipeline_jobs,
    pipeline_view,
    samples,
)

PARTS = [
    creators_registry,
    creator_card,
    creator_screening,
    exports,
    samples,
    ads,
    pipeline_view,
    pipeline_jobs,
]


def register(app: Application) -> None:
    for part in PARTS:
        part.register(app)
