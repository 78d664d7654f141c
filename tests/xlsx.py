"""An XLSX file made of rows, as a spreadsheet saves it: what the import tests upload."""

from __future__ import annotations

import io

import openpyxl


def xlsx(rows: list[list[object]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
