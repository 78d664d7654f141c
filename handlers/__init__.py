"""All features, registered in one documented order.

Handler groups: -2 works out who is speaking and in which language (handlers/membership.py),
-1 follows chat migrations; 0 holds the commands and buttons, where the first matching
handler wins — so the unknown-command fallback is registered last.
"""

from __future__ import annotations

from telegram.ext import Application

from handlers import errors, membership, roles, setup, start

FEATURES = [membership, start, setup, roles]


def register_all(app: Application) -> None:
    errors.register(app)
    for feature in FEATURES:
        feature.register(app)
    errors.register_fallback(app)
