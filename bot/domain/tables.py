"""Reading CSV/XLSX uploads into header + rows of strings, shared by every import.

A file is read as a stream, from bytes or from a path: no whole copy of it in memory. What a
file may hold is bounded (Limits: rows, cells, an XLSX's unpacked size), so that a small file
that unpacks into millions of rows (a zip bomb) is refused before it costs time or memory.

Line numbers are what a spreadsheet user sees: the header row is line 1 and every row
(blank ones included, though they are not yielded) takes one number, even when a quoted
CSV cell spans several physical lines.
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import date, datetime, time
from pathlib import Path
from typing import IO, Any

from bot.domain.import_rows import RowError, width_error
from bot.domain.money import DomainError

__all__ = ["Limits", "MissingColumns", "Table", "TableError", "map_headers", "read_table"]

_ZIP_MAGIC = b"PK\x03\x04"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_CSV_EXTS = {"csv", "tsv", "txt"}
_XLSX_EXTS = {"xlsx", "xlsm"}
_Rows = Iterator[tuple[int, list[str]]]


class TableError(DomainError):
    """The whole file is refused. Codes: unsupported_format, empty, broken_quoting (line),
    cell_too_long (line, limit), line_too_long (limit), unreadable_encoding, unreadable (a
    damaged XLSX), too_many_rows (limit), too_many_cells (limit), unpacks_too_big (limit, in
    bytes), packed_too_densely (a zip bomb's sign), missing_columns (see MissingColumns)."""


@dataclass(frozen=True, slots=True)
class Limits:
    """What one file may hold; None: no bound. `rows` and `cells` count what is read (the
    header and blank rows aside); `unpacked`: an XLSX's parts' sizes, unpacked, together;
    `ratio`: any large part's unpacked size to its packed size (real sheets pack ~10:1)."""

    rows: int | None = None
    cells: int | None = None
    unpacked: int | None = None
    ratio: int | None = 100


_MAX_LINE = 1 << 20  # characters in one physical CSV line: bounds one row's cells
_RATIO_FROM = 1 << 20  # parts smaller than this unpacked (styles, themes) may pack as they like


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
    every import alike. Nor is a row holding a NUL character (code nul_character): it is
    binary data, not text, and no store should be asked to keep it (PostgreSQL's text cannot).
    `nul_free`: known to hold no NUL character anywhere, so rows need no look.
    """

    headers: list[str]
    header_line: int
    _source: Callable[[], _Rows]
    nul_free: bool = False
    rejected: list[RowError] = dataclass_field(default_factory=list)  # by the last iteration

    def rows(self) -> _Rows:
        return iter(self)

    def __iter__(self) -> _Rows:
        return self._source() if self.nul_free else self._refusing_nul()

    def _refusing_nul(self) -> _Rows:
        for line, cells in self._source():
            if "\x00" in "".join(cells):
                self.rejected.append(RowError(line, "nul_character"))
            else:
                yield line, cells


class _Source:
    """The upload as bytes or as a file on disk, opened afresh for every pass."""

    def __init__(self, data: bytes | Path) -> None:
        self.data = data

    def open(self) -> IO[bytes]:
        return io.BytesIO(self.data) if isinstance(self.data, bytes) else open(self.data, "rb")

    def size(self) -> int:
        return len(self.data) if isinstance(self.data, bytes) else self.data.stat().st_size


def read_table(data: bytes | Path, filename: str, limits: Limits | None = None) -> Table:
    """Read an uploaded CSV or XLSX file (its bytes, or its path). Raises TableError."""
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    source, limits = _Source(data), limits or Limits()
    if not source.size():
        raise TableError("empty", "the file is empty", filename=filename)
    with source.open() as f:
        head = f.read(4096)
    if head.startswith(_ZIP_MAGIC) or ext in _XLSX_EXTS:
        return _read_xlsx(source, filename, ext, limits)
    if ext in _CSV_EXTS or (ext == "" and b"\x00" not in head):
        return _read_csv(source, filename, limits)
    raise TableError("unsupported_format", f"not CSV or XLSX: {filename}", filename=filename)


# --- CSV ---------------------------------------------------------------------------


def _survey(source: _Source, filename: str) -> tuple[str, bool]:
    """The file's encoding, and whether it holds no NUL character, from one pass over it a
    megabyte at a time: a file that is not UTF-8 all through is not read as UTF-8."""
    with source.open() as f:
        head = f.read(_SAMPLE + 1)
        if head.startswith(_UTF16_BOMS):  # Excel's "Unicode text" export
            return "utf-16", _decodes(source, "utf-16", filename, nul=True)
        nul_free, utf8, chunk = True, codecs.getincrementaldecoder("utf-8")(), head
        sample = head  # to judge the legacy encoding by: where the first non-ASCII text is
        while chunk and (nul_free or utf8):
            nul_free = nul_free and b"\x00" not in chunk
            try:
                if utf8 is not None:
                    utf8.decode(chunk)
            except UnicodeDecodeError as error:
                utf8 = None
                if head.isascii():  # from the line's start: no character cut in two
                    sample = chunk[chunk.rfind(b"\n", 0, error.start) + 1 :][: _SAMPLE + 1]
            chunk = f.read(1 << 20)
    try:
        if utf8 is not None:
            utf8.decode(b"", final=True)
            return "utf-8-sig", nul_free
    except UnicodeDecodeError:
        pass
    # GB18030 is a superset of GBK and GB2312, which Chinese Excel/WPS exports use. It maps
    # almost any bytes to some character, so decoding is no proof: Japanese or Korean text
    # would be stored garbled. charset-normalizer judges which reading makes sense.
    if not _reads_as_chinese(sample):
        raise TableError("unreadable_encoding", "not UTF-8 or GBK text", filename=filename)
    _decodes(source, "gb18030", filename, nul=False)
    return "gb18030", nul_free


def _decodes(source: _Source, encoding: str, filename: str, *, nul: bool) -> bool:
    """Raise unreadable_encoding unless the whole file decodes; with `nul`: it holds no NUL."""
    nul_free = True
    with source.open() as f:
        text = io.TextIOWrapper(f, encoding=encoding, newline="")
        try:
            while chunk := text.read(1 << 20):
                nul_free = nul_free and (not nul or "\x00" not in chunk)
        except UnicodeDecodeError:
            raise TableError(
                "unreadable_encoding", f"not {encoding} text", filename=filename
            ) from None
    return nul_free


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


def _sniff_delimiter(first: str) -> str:
    counts = {d: first.count(d) for d in (",", "\t", ";")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _read_csv(source: _Source, filename: str, limits: Limits) -> Table:
    encoding, nul_free = _survey(source, filename)

    def text() -> io.TextIOWrapper:
        return io.TextIOWrapper(source.open(), encoding=encoding, newline="")

    with text() as first:
        delimiter = _sniff_delimiter(first.readline(_MAX_LINE))

    def rows() -> _Rows:
        with text() as lines:
            # strict: an unterminated or stray quote is an error, not a silently merged row.
            reader = csv.reader(_bounded(lines, filename), delimiter=delimiter, strict=True)
            yield from _iter_csv(reader, filename)

    return _make_table(rows, nul_free=nul_free, pad_short=False, limits=limits)


def _bounded(lines: io.TextIOWrapper, filename: str) -> Iterator[str]:
    """The physical lines, none of them longer than _MAX_LINE (nor read further)."""
    try:
        while line := lines.readline(_MAX_LINE + 1):
            if len(line) > _MAX_LINE:
                raise TableError(
                    "line_too_long", "line too long", limit=_MAX_LINE, filename=filename
                )
            yield line
    except UnicodeDecodeError:  # UTF-16 is not checked to its end beforehand
        raise TableError("unreadable_encoding", "not text", filename=filename) from None


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


def _make_table(
    source: Callable[[], _Rows], *, nul_free: bool, pad_short: bool, limits: Limits
) -> Table:
    first = next(source(), None)
    if first is None:
        raise TableError("empty", "no header row")
    header_line, cells = first
    headers = [c.strip().lstrip("\ufeff").strip() for c in cells]
    while headers and not headers[-1]:
        headers.pop()  # trailing empty header cells are spreadsheet noise
    width = len(headers)
    rejected: list[RowError] = []
    max_rows, max_cells = limits.rows or -1, limits.cells or -1

    def rows() -> _Rows:
        rejected.clear()
        it = source()
        next(it, None)  # the header: always the first non-blank row
        n = cells_read = 0
        for line, cells in it:
            n += 1
            cells_read += len(cells)
            if n == max_rows + 1:
                raise TableError("too_many_rows", "too many rows", limit=max_rows)
            if cells_read > max_cells >= 0:
                raise TableError("too_many_cells", "too many cells", limit=max_cells)
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


def _read_xlsx(source: _Source, filename: str, ext: str, limits: Limits) -> Table:
    import openpyxl  # deferred: only XLSX uploads pay its import time

    def unreadable() -> TableError:
        code = "unreadable" if ext in _XLSX_EXTS else "unsupported_format"
        return TableError(code, f"cannot read {filename} as XLSX", filename=filename)

    _check_packing(source, limits, unreadable)

    def open_rows() -> Iterator[tuple[Any, ...]]:
        book = source.open()  # a file, not a path: openpyxl judges a path by its suffix
        try:
            wb = openpyxl.load_workbook(book, read_only=True, data_only=True)
        except Exception:  # not a zip, not a workbook, or a damaged one (bad XML, lost parts)
            book.close()
            raise unreadable() from None
        try:
            ws = wb.worksheets[0]
            # Some generators write a wrong <dimension>; without this rows may be cut short.
            ws.reset_dimensions()
            yield from ws.iter_rows(values_only=True)
        except Exception:  # bad sheet XML, a missing part: whatever the parser trips on
            raise TableError("unreadable", f"{filename} is damaged", filename=filename) from None
        finally:
            wb.close()
            book.close()

    def source_rows() -> _Rows:
        for line, values in enumerate(open_rows(), 1):
            cells = [v if v.__class__ is str else _cell(v) for v in values]
            if any(cells):
                yield line, cells

    # A row ends at its last non-empty cell in the sheet's XML: short rows are complete.
    # XML 1.0 cannot hold a NUL character, not even as a reference: no cell has one.
    return _make_table(source_rows, nul_free=True, pad_short=True, limits=limits)


def _check_packing(source: _Source, limits: Limits, unreadable: Callable[[], TableError]) -> None:
    """Refuse a workbook whose parts would unpack beyond the limits, from the sizes its zip
    directory declares (Python's zip reader stops at a part's declared size, so a part that
    lies about it yields no more)."""
    try:
        with source.open() as f, zipfile.ZipFile(f) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise unreadable() from None
    unpacked = sum(p.file_size for p in parts)
    if limits.unpacked is not None and unpacked > limits.unpacked:
        raise TableError("unpacks_too_big", "unpacks too big", limit=limits.unpacked)
    ratio = limits.ratio
    for p in parts:
        if ratio is not None and p.file_size > max(_RATIO_FROM, ratio * p.compress_size):
            raise TableError("packed_too_densely", f"{p.filename} packs {ratio}:1 or more")


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
