"""What every import (orders, roster, creators) shares about rows: a rejected row is a
RowError, by the line a spreadsheet user sees, with a stable code the import's one table of
messages translates (bot/imports.py).

Codes raised here, by the table reader for any import:
- too_many_cells (cells, header): more non-empty cells than the header names, typically an
  unquoted number with a thousands comma (`¥1,234.50` read as two cells);
- too_few_cells (cells, header): a CSV row with fewer cells than the header;
- nul_character: a row holding a NUL character (binary data, not text; tables.Table).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["RowError", "width_error"]


@dataclass(slots=True, frozen=True)
class RowError:
    """A rejected row: nothing of it is stored."""

    line: int
    code: str
    params: dict[str, Any] = field(default_factory=dict)


def width_error(line: int, cells: list[str], width: int, *, pad_short: bool) -> RowError | None:
    """Why a row of `cells` does not fit a header `width` cells wide, or None when it does.

    Empty cells after the header's last column are spreadsheet noise (a selection wider than
    the data, exported as `a,b,c,,`) and do not count. A short row is accepted (and read as
    empty cells) only where the format leaves trailing empty cells out (`pad_short`: XLSX).
    """
    n = len(cells)
    if n > width:
        while n > width and not cells[n - 1].strip():
            n -= 1
        if n > width:
            return RowError(line, "too_many_cells", {"cells": n, "header": width})
        return None
    if n < width and not pad_short:
        return RowError(line, "too_few_cells", {"cells": n, "header": width})
    return None
