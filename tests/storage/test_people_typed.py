"""People, chats and the audit log: typed values out of storage, and every change audited
by the one helper they share (storage.audit.set_column)."""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import pkgutil
import re
import sqlite3

import storage
from bot.services import Services
from storage import audit
from storage.chats import ChatRow
from storage.db import Database
from storage.users import UserRow
from tests.conftest import T0

RAW_ROW = re.compile(r"\b(sqlite3|aiosqlite)\.Row\b")


async def test_reads_return_dataclasses(services: Services) -> None:
    await services.users.seen(9, "Lily", "lily", "en", private=True, now=T0)
    await services.chats.seen(-100, "supergroup", "BD", now=T0)
    await services.chats.set_purpose(-100, "bd", actor_id=1, now=T0)
    await services.users.grant(9, "bd", actor_id=1, now=T0)
    values = [
        await services.users.get(9),
        await services.users.find_by_username("lily"),
        await services.chats.get(-100),
        await services.chats.by_purpose("bd"),
        *await services.audit.entries(),
    ]
    assert all(dataclasses.is_dataclass(v) and not isinstance(v, sqlite3.Row) for v in values)
    assert isinstance(values[0], UserRow) and isinstance(values[2], ChatRow)
    assert await services.users.roles(9) == {"bd"}
    assert await services.users.with_role("bd") == [9]


def test_no_repository_is_declared_to_return_a_raw_row() -> None:
    """Only Database (the query layer every repository builds on) hands out sqlite rows."""
    offenders = []
    for module_info in pkgutil.iter_modules(storage.__path__):
        module = importlib.import_module(f"storage.{module_info.name}")
        for cls in vars(module).values():
            if not inspect.isclass(cls) or cls.__module__ != module.__name__ or cls is Database:
                continue
            for name, method in vars(cls).items():
                returns = str(getattr(method, "__annotations__", {}).get("return", ""))
                if not name.startswith("_") and RAW_ROW.search(returns):
                    offenders.append(f"{cls.__name__}.{name} -> {returns}")
    assert offenders == []


async def test_language_changes_are_audited_before_and_after(services: Services) -> None:
    await services.users.seen(9, "Lily", "lily", "en", private=True, now=T0)
    await services.users.set_lang(9, "zh_Hant", now=T0)
    await services.users.set_lang(9, "en", now=T0)
    entries = await services.audit.entries("user", 9)
    assert [(e.action, e.actor_id, e.before, e.after) for e in entries] == [
        ("set_lang", 9, "zh_Hant", "en"),
        ("set_lang", 9, None, "zh_Hant"),
    ]
    await services.chats.seen(-100, "supergroup", "BD", now=T0)
    await services.chats.set_lang(-100, "en", actor_id=1, now=T0)
    [entry] = await services.audit.entries("chat", -100)
    assert (entry.action, entry.actor_id, entry.before, entry.after) == ("set_lang", 1, None, "en")
    assert (await services.chats.get(-100)).lang == "en"


async def test_a_moved_purpose_is_audited_on_both_chats(services: Services) -> None:
    chats = services.chats
    await chats.seen(-100, "supergroup", "BD one", now=T0)
    await chats.seen(-200, "supergroup", "Sharers", now=T0)
    await chats.set_purpose(-100, "bd", actor_id=1, now=T0)
    await chats.set_purpose(-200, "sharers", actor_id=1, now=T0)
    previous = await chats.set_purpose(-200, "bd", actor_id=1, now=T0)
    assert previous is not None and previous.chat_id == -100
    assert (await chats.get(-100)).purpose is None
    assert (await chats.get(-200)).purpose == "bd"
    assert await chats.by_purpose("sharers") is None
    [lost, _] = await services.audit.entries("chat", -100)
    assert (lost.before, lost.after) == ("bd", None)
    [changed, _] = await services.audit.entries("chat", -200)
    assert (changed.before, changed.after) == ("sharers", "bd")


async def test_set_column_on_a_missing_row_records_no_before(services: Services) -> None:
    async with services.db.transaction() as conn:
        await audit.set_column(
            conn, "chats", "chat_id", -9, "lang", "en",
            at=T0, actor_id=1, action="set_lang", entity="chat",
        )  # fmt: skip
    [entry] = await services.audit.entries("chat", -9)
    assert (entry.before, entry.after) == (None, "en")
    assert await services.chats.get(-9) is None  # nothing to update, nothing made up
