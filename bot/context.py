"""The context every handler receives: services, the person's language and roles."""

from __future__ import annotations

from typing import TYPE_CHECKING

from telegram.ext import Application, CallbackContext, ExtBot

from bot.i18n import Translator

if TYPE_CHECKING:
    from bot.services import Services


class BotContext(CallbackContext[ExtBot, dict, dict, dict]):
    """Set up per update by the gate in handlers/membership.py (handler group -2)."""

    def __init__(self, application: Application, chat_id: int | None = None, user_id=None):
        super().__init__(application, chat_id=chat_id, user_id=user_id)
        self._t: Translator | None = None
        self.roles: frozenset[str] = frozenset()

    @property
    def services(self) -> Services:
        return self.application.bot_data["services"]

    @property
    def t(self) -> Translator:
        # Jobs and early errors have no person: speak the deployment's default language.
        return self._t or self.services.i18n.get(None)

    @t.setter
    def t(self, translator: Translator) -> None:
        self._t = translator

    @property
    def locale(self) -> str:
        return self.t.locale
