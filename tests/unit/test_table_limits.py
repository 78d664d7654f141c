"""The table reader's limits (issue 12): a file read as a stream from disk gives what its
bytes give; rows, cells, line length and an XLSX's unpacked size and packing are bounded."""

from __future__ import annotations

import io
import time
import tracemalloc
import zipfile
from pathlib import Path

import pytest

from bot.domain.tables import Limits, TableError, read_table
from tests.xlsx import xlsx


def _code(data: bytes | Path, name: str, limits: Limits | None = None) -> str:
    with pytest.raises(TableError) as exc:
        list(read_table(data, name, limits))
    return exc.value.code


@pytest.mark.parametrize(
    ("data", "name"),
    [
        ("订单号,金额\nA1,12.50\n\nA2,3\n".encode(), "x.csv"),
        ('订单号,金额\r\nA1,"1\n2"\r\n'.encode("gbk"), "x.csv"),
        ("a\tb\n1\t2\n".encode("utf-16"), "x.tsv"),
        (xlsx([["a", "b"], [1, "x"], [None, None], [2, "y"]]), "x.xlsx"),
    ],
)
def test_a_file_on_disk_reads_as_its_bytes(tmp_path: Path, data: bytes, name: str) -> None:
    path = tmp_path / "upload"  # as a chat upload is saved: no suffix
    path.write_bytes(data)
    on_disk, in_memory = read_table(path, name), read_table(data, name)
    assert (on_disk.headers, list(on_disk)) == (in_memory.headers, list(in_memory))
    assert on_disk.nul_free == in_memory.nul_free


def test_gbk_is_judged_on_the_whole_file(tmp_path: Path) -> None:
    # ASCII for the first megabyte, Chinese after: not UTF-8, whatever its start says.
    text = "a,b\n" + "x,1\n" * 300_000 + "面膜,2\n"
    path = tmp_path / "x.csv"
    path.write_bytes(text.encode("gbk"))
    assert list(read_table(path, "x.csv"))[-1][1] == ["面膜", "2"]


def test_rows_and_cells_are_bounded() -> None:
    data = b"a,b\n" + b"1,2\n" * 10
    assert len(list(read_table(data, "x.csv", Limits(rows=10)))) == 10
    assert _code(data, "x.csv", Limits(rows=9)) == "too_many_rows"
    assert _code(data, "x.csv", Limits(cells=19)) == "too_many_cells"
    book = xlsx([["a"], *([[1]] * 5)])
    assert _code(book, "x.xlsx", Limits(rows=4)) == "too_many_rows"


def test_a_line_too_long_is_refused_without_reading_it_all() -> None:
    assert _code(b"a,b\n" + b"1," * 600_000 + b"\n", "x.csv") == "line_too_long"


def _bomb(rows: int) -> bytes:
    head = '<row><c t="inlineStr"><is><t>order_id</t></is></c></row>'
    row = '<row><c t="inlineStr"><is><t>O1</t></is></c></row>'
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
            f.write(f"<worksheet><sheetData>{head}".encode())
            for _ in range(rows // 10_000):
                f.write((row * 10_000).encode())
            f.write(b"</sheetData></worksheet>")
    return out.getvalue()


def test_a_zip_bomb_is_refused_from_its_directory_alone() -> None:
    bomb = _bomb(1_000_000)
    tracemalloc.start()
    started = time.perf_counter()
    try:
        assert _code(bomb, "orders.xlsx") == "packed_too_densely"
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert time.perf_counter() - started < 1.0
    assert peak < 5 * 1024 * 1024


def test_an_xlsx_unpacking_beyond_the_limit_is_refused() -> None:
    book = xlsx([["a"], *([[f"row {i}"] for i in range(2000)])])
    assert _code(book, "x.xlsx", Limits(unpacked=10_000)) == "unpacks_too_big"
    assert len(list(read_table(book, "x.xlsx", Limits(unpacked=10_000_000)))) == 2000
