"""PostgreSQL as the bot's store: the same Database interface as storage.db (SQLite)."""

from storage.pg.connection import IntegrityError, PgConnection, PgCursor
from storage.pg.db import BackupUnavailable, Database, available_migrations

__all__ = [
    "BackupUnavailable",
    "Database",
    "IntegrityError",
    "PgConnection",
    "PgCursor",
    "available_migrations",
]
