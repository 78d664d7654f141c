"""Services: built once at start and handed to every handler through the context."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, TypeVar

from bot.clock import Clock
from bot.config import ConfigError, Settings
from bot.domain.kpi import KpiError, KpiFile, load_kpi
from bot.domain.rules import Rules, RulesError, load_rules
from bot.i18n import I18n, Translator, resolve_locale
from storage.audit import AuditLog
from storage.boards import Boards
from storage.chats import Chats
from storage.commission import Commission
from storage.creators import Creators
from storage.open import Database, open_database
from storage.orders import Orders
from storage.outbox import Outbox
from storage.roster import Roster
from storage.samples import Samples
from storage.sharers import Sharers
from storage.users import Users

R = TypeVar("R")


@dataclass
class Services:
    settings: Settings
    db: Database
    clock: Clock
    i18n: I18n
    users: Users
    chats: Chats
    outbox: Outbox
    audit: AuditLog
    rules: Rules
    kpi: KpiFile = field(default_factory=KpiFile.default)
    _repos: dict[type, Any] = field(default_factory=dict, repr=False)

    @classmethod
    async def create(cls, settings: Settings, *, clock: Clock | None = None) -> Services:
        rules = load_commission_rules(settings)
        kpi = load_kpi_lines(settings)
        db = await open_database(settings.database(), pool_size=settings.database_pool_size)
        await db.migrate()
        return cls(
            settings=settings,
            db=db,
            clock=clock or Clock(),
            i18n=I18n(default=settings.default_language),
            users=Users(db),
            chats=Chats(db),
            outbox=Outbox(db),
            audit=AuditLog(db),
            rules=rules,
            kpi=kpi,
        )

    # Each feature's repository as a typed attribute, made on first use over the shared database.
    @property
    def creators(self) -> Creators:
        return self.repo(Creators)

    @property
    def samples(self) -> Samples:
        return self.repo(Samples)

    @property
    def sharers(self) -> Sharers:
        return self.repo(Sharers)

    @property
    def commission(self) -> Commission:
        return self.repo(Commission)

    @property
    def boards(self) -> Boards:
        return self.repo(Boards)

    @property
    def orders(self) -> Orders:
        return self.repo(Orders)

    @property
    def roster(self) -> Roster:
        return self.repo(Roster)

    def repo(self, kind: type[R]) -> R:
        """The one instance of a repository (each takes the Database as its only argument);
        some keep caches, so every caller must share it."""
        found = self._repos.get(kind)
        if found is None:
            found = self._repos[kind] = kind(self.db)  # type: ignore[call-arg]
        return found  # type: ignore[no-any-return]

    async def translator_for_chat(self, chat_id: int) -> Translator:
        """The language to use for a message the bot sends on its own (a reminder, a DM)."""
        if chat_id > 0:
            user = await self.users.get(chat_id)
            if user is not None:
                code = user.lang or resolve_locale(user.language_code, self.i18n.default)
                return self.i18n.get(code)
        chat = await self.chats.get(chat_id)
        return self.i18n.get(chat.lang if chat else None)

    async def close(self) -> None:
        await self.db.close()


def load_commission_rules(settings: Settings) -> Rules:
    """The rules in RULES_FILE (validated at start), or the documented example rules."""
    if settings.rules_file is None:
        return Rules.default()
    try:
        return load_rules(settings.rules_file)
    except RulesError as exc:
        # One line naming the file and the first bad key; the rest are in the file's order.
        first = str(exc).splitlines()[0]
        raise ConfigError(f"RULES_FILE: {settings.rules_file}: {first}") from None


def load_kpi_lines(settings: Settings) -> KpiFile:
    """The KPI lines in KPI_FILE (validated at start), or the documented example lines."""
    if settings.kpi_file is None:
        return KpiFile.default()
    try:
        return load_kpi(settings.kpi_file)
    except KpiError as exc:
        first = str(exc).splitlines()[0]
        raise ConfigError(f"KPI_FILE: {settings.kpi_file}: {first}") from None
