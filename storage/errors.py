"""Errors a repository may catch, the same whichever store raised them.

A repository must not name a driver: aiosqlite raises sqlite3's errors, and storage.pg
translates asyncpg's constraint violations into a subclass of sqlite3.IntegrityError, so the
one class below covers both stores.
"""

from __future__ import annotations

import sqlite3

# A UNIQUE, NOT NULL, CHECK or foreign key constraint refused a write (either store).
IntegrityError = sqlite3.IntegrityError

__all__ = ["IntegrityError"]
