"""The SQL that must differ between the stores, one small module per store.

Repositories write portable SQL (what SQLite ≥ 3.35 and PostgreSQL both accept: ON CONFLICT
upserts with the target table named in DO UPDATE, RETURNING, COALESCE, FILTER, window
functions); what cannot be written once lives here under the same names in both modules:
`sqlite` and `postgresql`. `of(db)` picks the module for a Database of either kind.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

from storage.dialect import postgresql, sqlite

__all__ = ["of", "postgresql", "sqlite"]


def of(db: Any) -> ModuleType:
    """The dialect of a Database (storage.db's or storage.pg's)."""
    name = getattr(db, "dialect_name", "sqlite")
    return postgresql if name == "postgresql" else sqlite
