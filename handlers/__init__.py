"""All features, registered in one documented order.

Handler groups: -2 works out who is speaking and in which language (handlers/membership.py),
-1 follows chat migrations; 0 holds the commands, buttons and documents, where the first
matching handler wins — so group 0 ends with two fallbacks, registered last: the answer to an
unknown command and, in private chats, the hint for a plain text or an uncaptioned file. A
feature that answers plain text in private chats registers in group 0 too: in another group it
would run as well as the hint.
"""

from __future__ import annotations

from telegram.ext import Application

from handlers import community, creators, errors, managers, membership, roles, setup, sharers, start

# Features register their own sub-modules (see each entry module).
FEATURES = [membership, start, setup, roles, creators, sharers, community, managers]


def register_all(app: Application) -> None:
    errors.register(app)
    for feature in FEATURES:
        feature.register(app)
    errors.register_fallback(app)
