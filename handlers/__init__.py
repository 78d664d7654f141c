"""All features, registered in one documented order.

Handler groups: -2 works out who is speaking and in which language (handlers/membership.py),
-1 follows chat migrations; 0 holds the commands and buttons, where the first matching
handler wins — so the unknown-command fallback is registered last.
"""

from __future__ import annotations

from telegram.ext import Application

from handlers import creators, errors, membership, roles, setup, sharers, start

# Features register their own sub-modules (see each entry module).
FEATURES = [membership, start, setup, roles, creators, sharers]


def register_all(app: Application) -> None:
    errors.register(app)
    for feature in FEATURES:
        feature.register(app)
    errors.register_fallback(app)
