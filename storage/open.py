"""The store a URL names: SQLite (storage.db) or PostgreSQL (storage.pg), same interface.

`sqlite:///relative/path`, `sqlite:////absolute/path` and `sqlite:///:memory:` open a SQLite
file; `postgresql://…` and `postgres://…` open an asyncpg pool on that server. The one place
that chooses by scheme: repositories never ask which store they run on (dialect fragments
do, through `storage.dialect.of(db)`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

if TYPE_CHECKING:
    import storage.db
    import storage.pg

    Database = storage.db.Database | storage.pg.Database
else:
    Database = Any

SQLITE = "sqlite:///"
POSTGRESQL = ("postgresql://", "postgres://")


class UnknownStore(ValueError):
    """A URL whose scheme is neither SQLite's nor PostgreSQL's."""


class StoreUnavailable(RuntimeError):
    """The store could not be opened (server down, wrong password, no such database);
    str() is one line naming it, with the password left out."""


def store_of(url: str) -> str:
    """'sqlite' or 'postgresql' for a database URL."""
    if url.startswith(SQLITE):
        return "sqlite"
    if url.startswith(POSTGRESQL):
        return "postgresql"
    raise UnknownStore(f"{redacted(url)}: not sqlite:///PATH or postgresql://USER@HOST/DB")


def sqlite_path(url: str) -> str:
    """The file of a sqlite:/// URL (relative to the working directory unless it starts
    with a fourth slash, as SQLAlchemy reads them)."""
    if not url.startswith(SQLITE) or url == SQLITE:
        raise UnknownStore(f"{url}: not sqlite:///PATH")
    return url.removeprefix(SQLITE)


def redacted(url: str) -> str:
    """The URL with its password, if any, replaced: fit for logs and messages."""
    if "://" not in url:
        return url
    parts = urlsplit(url)
    if parts.password is None:
        return url
    user = parts.username or ""
    host = parts.netloc.rsplit("@", 1)[1]
    return urlunsplit(parts._replace(netloc=f"{user}:[redacted]@{host}"))


async def open_database(url: str, *, pool_size: int = 10) -> Database:
    """An open, not yet migrated Database on the store `url` names."""
    if store_of(url) == "sqlite":
        import sqlite3

        from storage.db import Database as SqliteDatabase

        try:
            return await SqliteDatabase.open(sqlite_path(url))
        except (OSError, sqlite3.Error) as exc:
            raise StoreUnavailable(f"DATABASE_URL: cannot open {url}: {exc}") from None
    # asyncpg is imported only by a bot that runs on PostgreSQL.
    import asyncpg

    from storage.pg import Database as PgDatabase

    try:
        return await PgDatabase.open(url, min_size=1, max_size=pool_size)
    except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise StoreUnavailable(f"DATABASE_URL: cannot open {redacted(url)}: {reason}") from None
