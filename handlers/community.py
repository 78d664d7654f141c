"""Community operations (SPEC §4) for the sharers' group: FAQ, live-stream forwarding,
announcements and sales challenges, registered in this order."""

from __future__ import annotations

from telegram.ext import Application

from handlers import announcements, challenges, faq, lives

PARTS = [faq, lives, announcements, challenges]


def register(app: Application) -> None:
    for part in PARTS:
        part.register(app)
