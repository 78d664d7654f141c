"""Reading CSV/XLSX uploads into header + rows of strings, shared by every import.

Line numbers are what a spreadsheet user sees: the header row is line 1 and every row
(blank ones included, though they are not yielded) takes one number, even when a quoted
CSV cell spans several physical lines.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import date, datetime, time
from typing import Any

from bot.domain.import_rows import RowError, width_error
from bot.domain.money import DomainError

__all__ = ["MissingColumns", "Table", "TableError", "map_headers", "read_table"]

_ZIP_MAGIC = b"PK\x03\x04"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_CSV_EXTS = {"csv", "tsv", "txt"}
_XLSX_EXTS = {"xlsx", "xlsm"}
_Rows = Iterator[tuple[int, list[str]]]


class TableError(DomainError):
    """The whole file is refused. Codes: unsupported_format, empty, broken_quoting (line),
    cell_too_long (line, limit), unreadable_encoding, unreadable (a damaged XLSX),
    missing_columns (see MissingColumns)."""


class MissingColumns(TableError):
    """The header lacks required fields; `found` lists the headers as written in the file."""

    def __init__(self, missing: list[str], found: list[str]) -> None:
        self.missing = missing
        self.found = found
        super().__init__(
            "missing_columns",
            f"missing columns {missing}; found {found}",
            missing=missing,
            found=found,
        )


@dataclass(slots=True)
class Table:
    """Headers plus a re-iterable source of `(line_no, cells)`.

    Every yielded row has at least `len(headers)` cells, so a consumer can index any mapped
    column without a length check. A row that does not fit the header (see
    import_rows.width_error) is not yielded: an iteration lists it in `rejected` instead, for
    every import alike. `nul_free`: known to hold no NUL character anywhere (SQL string
    functions stop at one).
    """

    headers: list[str]
    header_line: int
    _source: Callable[[], _Rows]
    nul_free: bool = False
    rejected: list[RowError] = dataclass_field(default_factory=list)  # by the last iteration

    def rows(self) -> _Rows:
        return self._source()

    def __iter__(self) -> _Rows:
        return self._source()


def read_table(data: bytes, filename: str) -> Table:
    """Read an uploaded CSV or XLSX file. Raises TableError."""
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if not data:
        raise TableError("empty", "the file is empty", filename=filename)
    if data.startswith(_ZIP_MAGIC) or ext in _XLSX_EXTS:
        return _read_xlsx(data, filename, ext)
    if ext in _CSV_EXTS or (ext == "" and b"\x00" not in data[:4096]):
        return _read_csv(data, filename)
    raise TableError("unsupported_format", f"not CSV or XLSX: {filename}", filename=filename)


# --- CSV ---------------------------------------------------------------------------


def _decode(data: bytes, filename: str) -> str:
    if data.startswith(_UTF16_BOMS):
        return data.decode("utf-16")  # Excel's "Unicode text" export
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    # GB18030 is a superset of GBK and GB2312, which Chinese Excel/WPS exports use. It maps
    # almost any bytes to some character, so decoding is no proof: Japanese or Korean text
    # would be stored garbled. charset-normalizer judges which reading makes sense.
    if not _reads_as_chinese(data):
        raise TableError("unreadable_encoding", "not UTF-8 or GBK text", filename=filename)
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise TableError(
            "unreadable_encoding", "not UTF-8 or GBK text", filename=filename
        ) from None


_LEGACY = ("gb18030", "big5", "cp932", "euc_jp", "cp949")
_SAMPLE = 1 << 16


def _reads_as_chinese(data: bytes) -> bool:
    """Whether GB18030 is among the most plausible legacy readings of the start of `data`.

    Ties go to GB18030: a file with a single Chinese name reads as well in Big5 or EUC-KR."""
    from charset_normalizer import from_bytes  # deferred: only non-UTF-8 uploads need it

    sample = data[:_SAMPLE]
    if len(data) > _SAMPLE and b"\n" in sample:
        sample = sample[: sample.rindex(b"\n") + 1]  # no character cut in two
    matches = list(from_bytes(sample, cp_isolation=list(_LEGACY)))
    if not matches:
        return False
    least = min(m.chaos for m in matches)
    return any(m.encoding == "gb18030" and m.chaos <= least + 0.01 for m in matches)


def _sniff_delimiter(text: str) -> str:
    first = text[: text.find("\n")] if "\n" in text else text
    counts = {d: first.count(d) for d in (",", "\t", ";")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _read_csv(data: bytes, filename: str) -> Table:
    text = _decode(data, filename)
    delimiter = _sniff_delimiter(text)
    # UTF-8 and GB18030 write a 0 byte only for NUL itself; UTF-16 has them everywhere.
    nul_free = "\x00" not in text if data.startswith(_UTF16_BOMS) else b"\x00" not in data

    def source() -> _Rows:
        # strict: an unterminated or stray quote is an error, not a silently merged row.
        reader = csv.reader(_lines(text), delimiter=delimiter, strict=True)
        return _iter_csv(reader, filename)

    return _make_table(source, nul_free=nul_free, pad_short=False)


def _lines(text: str, chunk: int = 1 << 20) -> Iterator[str]:
    """The lines of `text` as io.StringIO(text, newline="") gives them, read a megabyte at a
    time: one StringIO of a whole upload copies it all before the first row (~0.3 s for 50 MB,
    twice: for the header, then for the rows). Pieces end just after a "\n", where a line
    ends whatever the line endings are, so the lines are the same."""
    start = 0
    while start < len(text):
        end = text.find("\n", start + chunk)
        end = len(text) if end < 0 else end + 1
        yield from io.StringIO(text[start:end], newline="")
        start = end


def _iter_csv(reader: Iterator[list[str]], filename: str) -> _Rows:
    done = 0
    try:
        for cells in reader:
            done += 1
            if any(cells):
                yield done, cells
    except csv.Error as exc:
        # The record after the last complete one is the broken one.
        bad = done + 1
        if "field larger than field limit" in str(exc):
            limit = csv.field_size_limit()
            raise TableError(
                "cell_too_long", f"line {bad}: {exc}", line=bad, limit=limit, filename=filename
            ) from None
        raise TableError(
            "broken_quoting", f"line {bad}: {exc}", line=bad, filename=filename
        ) from None


def _make_table(source: Callable[[], _Rows], *, nul_free: bool, pad_short: bool) -> Table:
    first = next(source(), None)
    if first is None:
        raise TableError("empty", "no header row")
    header_line, cells = first
    headers = [c.strip().lstrip("\ufeff").strip() for c in cells]
    while headers and not headers[-1]:
        headers.pop()  # trailing empty header cells are spreadsheet noise
    width = len(headers)
    rejected: list[RowError] = []

    def rows() -> _Rows:
        rejected.clear()
        it = source()
        next(it, None)  # the header: always the first non-blank row
        for line, cells in it:
            if len(cells) != width:
                error = width_error(line, cells, width, pad_short=pad_short)
                if error is not None:
                    rejected.append(error)
                    continue
                if len(cells) < width:
                    cells.extend([""] * (width - len(cells)))
            yield line, cells

    return Table(headers, header_line, rows, nul_free, rejected)


# --- XLSX --------------------------------------------------------------------------


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e18:
            return str(int(value))
        # 15 significant digits is what Excel itself shows; it hides binary noise
        # such as 0.30000000000000004 from formulas.
        text = format(value, ".15g")
        return text if "e" not in text else repr(value)
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, time):
        return value.strftime("%H:%M:%S")
    return str(value)


def _read_xlsx(data: bytes, filename: str, ext: str) -> Table:
    import openpyxl  # deferred: only XLSX uploads pay its import time

    def open_rows() -> Iterator[tuple[Any, ...]]:
        try:
            wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception:  # not a zip, not a workbook, or a damaged one (bad XML, lost parts)
            code = "unreadable" if ext in _XLSX_EXTS else "unsupported_format"
            raise TableError(code, f"cannot read {filename} as XLSX", filename=filename) from None
        try:
            ws = wb.worksheets[0]
            # Some generators write a wrong <dimension>; without this rows may be cut short.
            ws.reset_dimensions()
            yield from ws.iter_rows(values_only=True)
        except Exception:  # bad sheet XML, a missing part: whatever the parser trips on
            raise TableError("unreadable", f"{filename} is damaged", filename=filename) from None
        finally:
            wb.close()

    def source() -> _Rows:
        for line, values in enumerate(open_rows(), 1):
            cells = [v if v.__class__ is str else _cell(v) for v in values]
            if any(cells):
                yield line, cells

    # A row ends at its last non-empty cell in the sheet's XML: short rows are complete.
    return _make_table(source, nul_free=False, pad_short=True)


# --- headers -----------------------------------------------------------------------


def _norm(header: str) -> str:
    return "".join(header.replace("\ufeff", "").split()).casefold()


def map_headers(
    headers: list[str], aliases: Mapping[str, tuple[str, ...]], required: set[str]
) -> dict[str, int]:
    """Map field → column index. Case-insensitive, ignoring spaces and a BOM.

    When several columns match one field, the earlier alias wins (so 支付时间 beats 下单时间),
    then the leftmost column.
    """
    index: dict[str, int] = {}
    for i, h in enumerate(headers):
        index.setdefault(_norm(h), i)
    found: dict[str, int] = {}
    for field, names in aliases.items():
        for name in names:
            col = index.get(_norm(name))
            if col is not None:
                found[field] = col
                break
    missing = [f for f in aliases if f in required and f not in found]
    missing += sorted(f for f in required if f not in aliases)
    if missing:
        raise MissingColumns(missing, [h for h in headers if h])
    return found
