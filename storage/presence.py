"""Which bot processes are alive, and per-chat locks between them (PostgreSQL).

Several `python -m bot run` processes may share one PostgreSQL database. Each holds, for its
whole life, a session advisory lock named by its run id on a connection of its own: the
database releases it the moment that session ends (the process exited or was killed, its
connection dropped), so "is the run that claimed this outbox row alive?" is one look at
pg_locks, with no lease to wait out and no clock to trust. The same connection holds the
per-chat locks that keep one chat's updates in order across processes (bot/processes.py):
session locks too, so a killed process never leaves a chat locked.

On SQLite the bot is one process: `Alone` answers that no other run is alive and locks
nothing. `for_database` is the one place that chooses.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import Collection
from typing import Any, Protocol

log = logging.getLogger(__name__)

# Advisory lock namespaces (the first of the two int4 keys; "crew" and "chat" in ASCII).
RUN_LOCKS = 0x63726577
CHAT_LOCKS = 0x63686174
_KEYS = 2**31 - 1
# A try-lock is retried with these pauses (seconds) while another process holds the chat.
_FIRST_PAUSE, _LONGEST_PAUSE = 0.002, 0.05

_THIS_DATABASE = (
    "locktype = 'advisory' AND objsubid = 2 AND granted AND classid = $1::bigint::oid"
    " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
)


class Presence(Protocol):
    run: str

    async def start(self) -> None: ...
    async def alive(self, runs: Collection[str]) -> set[str]: ...
    async def count(self) -> int: ...
    async def hold_chat(self, chat_id: int, *, wait: float) -> bool: ...
    async def release_chat(self, chat_id: int) -> None: ...
    async def close(self) -> None: ...


def for_database(db: Any) -> Presence:
    """Shared presence on PostgreSQL, the lone process's on SQLite."""
    if getattr(db, "dialect_name", "sqlite") == "postgresql":
        return Shared(db.url)
    return Alone()


class Alone:
    """One process on the database: every other run is one that died."""

    def __init__(self) -> None:
        self.run = secrets.token_hex(8)

    async def start(self) -> None:
        return None

    async def alive(self, runs: Collection[str]) -> set[str]:
        return {self.run} & set(runs)

    async def count(self) -> int:
        return 1

    async def hold_chat(self, chat_id: int, *, wait: float) -> bool:
        return True

    async def release_chat(self, chat_id: int) -> None:
        return None

    async def close(self) -> None:
        return None


def run_key(run: str) -> int | None:
    """The lock key a run id names (eight hex digits), or None for another kind of id (a
    run of a bot from before several processes, or of SQLite: alive only if it is us)."""
    if len(run) != 8:
        return None
    try:
        return int(run, 16)
    except ValueError:
        return None


def chat_key(chat_id: int) -> int:
    # Two chats sharing a key only share a lock: less concurrency, never disorder.
    return chat_id % _KEYS


class Shared:
    """This process's presence on a PostgreSQL database: a connection of its own."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.run = ""
        self._conn: Any = None
        self._closed = False
        self._talk = asyncio.Lock()  # one statement at a time on the connection
        self._held: dict[int, int] = {}  # chat key -> holders in this process
        # chat key -> [lock taken to acquire it, tasks using that lock]
        self._gates: dict[int, list[Any]] = {}

    async def start(self) -> None:
        async with self._talk:
            await self._connect()

    async def _connect(self) -> None:
        import asyncpg

        self._conn = await asyncpg.connect(self.url)
        self._held.clear()
        wanted = run_key(self.run)
        while True:
            key = wanted if wanted is not None else 1 + secrets.randbelow(_KEYS - 1)
            if await self._conn.fetchval("SELECT pg_try_advisory_lock($1, $2)", RUN_LOCKS, key):
                break
            wanted = None  # taken (a new connection of a run thought dead): another id
        if self.run and run_key(self.run) != key:
            log.warning("presence: lost the session of run %s; now run %08x", self.run, key)
        self.run = f"{key:08x}"

    async def _fetch(self, sql: str, *args: object) -> Any:
        async with self._talk:
            if self._closed:
                raise ConnectionError("this process's presence has ended")
            if self._conn is None or self._conn.is_closed():
                await self._connect()
            return await self._conn.fetch(sql, *args)

    async def alive(self, runs: Collection[str]) -> set[str]:
        keys = {run: run_key(run) for run in runs}
        if not any(key is not None for key in keys.values()):
            return set()
        rows = await self._fetch(f"SELECT objid::bigint FROM pg_locks WHERE {_THIS_DATABASE}",
                                 RUN_LOCKS)  # fmt: skip
        present = {row[0] for row in rows}
        return {run for run, key in keys.items() if key is not None and key in present}

    async def count(self) -> int:
        rows = await self._fetch(f"SELECT count(*) FROM pg_locks WHERE {_THIS_DATABASE}",
                                 RUN_LOCKS)  # fmt: skip
        return max(int(rows[0][0]), 1)

    async def hold_chat(self, chat_id: int, *, wait: float) -> bool:
        """Hold the chat's lock (again, if this process holds it already); False when
        another process held it for `wait` seconds."""
        key = chat_key(chat_id)
        gate = self._gates.get(key)
        if gate is None:
            gate = self._gates[key] = [asyncio.Lock(), 0]
        gate[1] += 1
        try:
            async with gate[0]:
                if self._held.get(key):
                    self._held[key] += 1
                    return True
                deadline = asyncio.get_running_loop().time() + wait
                pause = _FIRST_PAUSE
                while True:
                    rows = await self._fetch("SELECT pg_try_advisory_lock($1, $2)", CHAT_LOCKS, key)
                    if rows[0][0]:
                        self._held[key] = 1
                        return True
                    if asyncio.get_running_loop().time() + pause > deadline:
                        return False
                    await asyncio.sleep(pause)
                    pause = min(pause * 2, _LONGEST_PAUSE)
        finally:
            gate[1] -= 1
            if not gate[1]:
                del self._gates[key]

    async def release_chat(self, chat_id: int) -> None:
        key = chat_key(chat_id)
        holders = self._held.get(key, 0)
        if holders > 1:
            self._held[key] = holders - 1
            return
        if holders == 1:
            del self._held[key]
            await self._fetch("SELECT pg_advisory_unlock($1, $2)", CHAT_LOCKS, key)

    async def close(self) -> None:
        async with self._talk:
            self._closed = True
            if self._conn is not None and not self._conn.is_closed():
                await self._conn.close()
            self._conn = None
