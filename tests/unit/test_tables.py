import csv
import io
import zipfile
from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.import_rows import RowError
from bot.domain.tables import MissingColumns, TableError, _lines, map_headers, read_table
from tests.xlsx import xlsx


def _rows(data: bytes, name: str = "orders.csv") -> list[tuple[int, list[str]]]:
    return list(read_table(data, name))


def test_csv_utf8() -> None:
    table = read_table("订单号,金额\nA1,12.50\nA2,3\n".encode(), "x.csv")
    assert table.headers == ["订单号", "金额"]
    assert list(table) == [(2, ["A1", "12.50"]), (3, ["A2", "3"])]


def test_csv_is_reiterable() -> None:
    table = read_table(b"a,b\n1,2\n", "x.csv")
    assert list(table.rows()) == list(table.rows()) == [(2, ["1", "2"])]


def test_csv_utf8_bom_is_not_part_of_the_first_header() -> None:
    table = read_table("\ufefforder_id,amount\n1,2\n".encode(), "x.csv")
    assert table.headers == ["order_id", "amount"]


def test_nul_free_says_whether_any_cell_can_hold_a_nul() -> None:
    assert read_table("订单号\nA1\n".encode(), "x.csv").nul_free
    assert read_table("订单号\nA1\n".encode("gb18030"), "x.csv").nul_free
    assert read_table("订单号\nA1\n".encode("utf-16"), "x.csv").nul_free
    assert not read_table("订单号\nA\x001\n".encode("utf-16"), "x.csv").nul_free
    assert not read_table(b"a\nA\x001\n", "x.csv").nul_free
    assert read_table(xlsx([["a"], ["A1"]]), "x.xlsx").nul_free  # XML cannot hold one


def test_a_row_holding_a_nul_character_is_held_back_by_line() -> None:
    for table in (
        read_table(b"a,b\nA1,x\nA\x002,y\nA3,z\x00\nA4,\n", "x.csv"),
        read_table("a,b\nA1,x\nA\x002,y\nA3,z\x00\nA4,\n".encode("utf-16"), "x.csv"),
    ):
        assert [line for line, _ in table] == [2, 5]
        assert [(e.line, e.code) for e in table.rejected] == [(3, "nul_character"),
                                                              (4, "nul_character")]  # fmt: skip
        assert [line for line, _ in table] == [2, 5] and len(table.rejected) == 2  # again


def test_csv_gbk() -> None:
    text = "订单号,实付金额,商品名称\nA1,￥1,234.50,面膜\n"
    table = read_table(text.replace("￥1,234.50", '"￥1,234.50"').encode("gbk"), "x.csv")
    assert table.headers == ["订单号", "实付金额", "商品名称"]
    assert list(table) == [(2, ["A1", "￥1,234.50", "面膜"])]


def test_csv_gb18030_beyond_gbk() -> None:
    table = read_table("名字\n𠀀\n".encode("gb18030"), "x.csv")
    assert list(table) == [(2, ["𠀀"])]


def test_tab_separated_and_semicolon() -> None:
    assert list(read_table(b"a\tb\n1\t2\n", "x.tsv")) == [(2, ["1", "2"])]
    assert list(read_table(b"a;b\n1;2\n", "x.csv")) == [(2, ["1", "2"])]


def test_line_numbers_count_blank_rows_and_multiline_cells_as_one_row() -> None:
    data = b'a,b\n1,"two\nlines"\n\n,,\n3,4\n'
    assert _rows(data) == [(2, ["1", "two\nlines"]), (5, ["3", "4"])]


def test_a_row_that_does_not_fit_the_header_is_rejected_by_line() -> None:
    # The defect: an unquoted thousands comma splits the amount, shifting every later cell.
    data = "order_id,paid_at,amount,sharer_id\nu1,2026-11-20 12:00,¥1,234.50,WC\n"
    data += "u2,2026-11-20 12:00,5\nu3,2026-11-20 12:00,7,A\n"
    table = read_table(("\ufeff" + data).encode(), "x.csv")
    assert list(table) == [(4, ["u3", "2026-11-20 12:00", "7", "A"])]
    assert table.rejected == [
        RowError(2, "too_many_cells", {"cells": 5, "header": 4}),
        RowError(3, "too_few_cells", {"cells": 3, "header": 4}),
    ]
    list(table)  # a second reading lists them once, not twice
    assert [e.line for e in table.rejected] == [2, 3]


def test_trailing_empty_cells_are_spreadsheet_noise() -> None:
    table = read_table(b"a,b,c,,\n1,2,3,,\n4,5,6, ,\n7,8,9,,x\n", "x.csv")
    assert table.headers == ["a", "b", "c"]
    assert list(table) == [(2, ["1", "2", "3", "", ""]), (3, ["4", "5", "6", " ", ""])]
    assert table.rejected == [RowError(4, "too_many_cells", {"cells": 5, "header": 3})]


def test_xlsx_short_rows_are_complete_and_long_ones_rejected() -> None:
    table = read_table(xlsx([["a", "b", "c"], [1], [1, 2, 3, None], [1, 2, 3, 4]]), "x.xlsx")
    assert list(table) == [(2, ["1", "", ""]), (3, ["1", "2", "3"])]
    assert table.rejected == [RowError(4, "too_many_cells", {"cells": 4, "header": 3})]


def test_a_cell_over_the_csv_limit_is_too_long_not_a_broken_quote() -> None:
    data = b"a,b\n1,2\n3," + b"x" * (csv.field_size_limit() + 1) + b"\n"
    with pytest.raises(TableError) as exc:
        _rows(data)
    assert exc.value.code == "cell_too_long"
    assert exc.value.params["line"] == 3


@pytest.mark.parametrize("encoding", ["shift_jis", "euc_jp"])
def test_japanese_text_is_refused_not_read_as_garbled_gbk(encoding: str) -> None:
    text = "注文番号,金額,分享員\nu1,100,山田太郎\nu2,100,さくら\nu3,100,東京都渋谷区\n"
    with pytest.raises(TableError) as exc:
        read_table(text.encode(encoding), "x.csv")
    assert exc.value.code == "unreadable_encoding"


def test_gbk_with_a_single_chinese_name_is_still_read() -> None:
    text = "order_id,amount,sharer_id\nu1,100,A\nu2,100,李\n"
    assert _rows(text.encode("gbk"))[-1] == (3, ["u2", "100", "李"])


_SHARED_SHEET = (
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    b'<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row></sheetData>'
    b"</worksheet>"
)


def _damaged(part: str, content: bytes | None) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(xlsx([["a", "b"], ["x", 1]])))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as out:
        for item in src.infolist():
            if item.filename == part:
                if content is not None:
                    out.writestr(item, content)
            else:
                out.writestr(item, src.read(item.filename))
    return buf.getvalue()


@pytest.mark.parametrize(
    "data",
    [
        _damaged("xl/worksheets/sheet1.xml", b"<worksheet><sheetData><row><c r="),
        _damaged("xl/worksheets/sheet1.xml", _SHARED_SHEET),  # no sharedStrings.xml holds it
        _damaged("xl/workbook.xml", b"<workbook"),
        xlsx([["a"], [1]])[:300],  # truncated zip
    ],
    ids=["bad sheet XML", "missing shared strings", "bad workbook XML", "truncated"],
)
def test_damaged_xlsx_is_unreadable(data: bytes) -> None:
    with pytest.raises(TableError) as exc:
        _rows(data, "orders.xlsx")
    assert exc.value.code == "unreadable"


def test_leading_blank_rows_before_header() -> None:
    table = read_table(b"\n,,\na,b\n1,2\n", "x.csv")
    assert table.headers == ["a", "b"]
    assert table.header_line == 3
    assert list(table) == [(4, ["1", "2"])]


@pytest.mark.parametrize(
    ("data", "line"),
    [(b'a,b\n1,2\n3,"4\n', 3), (b'a,b\n1,"2"x\n', 2), (b'a,"b\n', 1)],
)
def test_broken_quoting(data: bytes, line: int) -> None:
    with pytest.raises(TableError) as exc:
        _rows(data)
    assert exc.value.code == "broken_quoting"
    assert exc.value.params["line"] == line


def test_empty_file() -> None:
    with pytest.raises(TableError) as exc:
        read_table(b"", "x.csv")
    assert exc.value.code == "empty"


def test_blank_only_file_has_no_header() -> None:
    with pytest.raises(TableError) as exc:
        read_table(b"\n\n,,\n", "x.csv")
    assert exc.value.code == "empty"


def test_header_only() -> None:
    table = read_table(b"order_id,amount\n", "x.csv")
    assert table.headers == ["order_id", "amount"]
    assert list(table) == []


@pytest.mark.parametrize(
    ("data", "name"),
    [(b"%PDF-1.4\x00\x01binary", "x.pdf"), (b"\xd0\xcf\x11\xe0\x00\x00", "old.xls")],
)
def test_unsupported(data: bytes, name: str) -> None:
    with pytest.raises(TableError) as exc:
        read_table(data, name)
    assert exc.value.code == "unsupported_format"


def test_zip_that_is_not_a_workbook() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("word/document.xml", "<x/>")
    with pytest.raises(TableError) as exc:
        read_table(buf.getvalue(), "letter.docx")
    assert exc.value.code == "unsupported_format"


def test_corruptxlsx() -> None:
    with pytest.raises(TableError) as exc:
        read_table(b"PK\x03\x04garbage", "orders.xlsx")
    assert exc.value.code == "unreadable"


def test_undecodable_bytes() -> None:
    with pytest.raises(TableError) as exc:
        read_table(b"a,b\n\x81\x30\xff\xff\n", "x.csv")
    assert exc.value.code == "unreadable_encoding"


def test_xlsx_cells_become_strings() -> None:
    data = xlsx(
        [
            ["订单号", "支付时间", "实付金额", "数量", "日期", None],
            [10001, datetime(2026, 11, 5, 9, 3, 7), 1234.5, 2, date(2026, 11, 5)],
            [None, None, None, None, None],
            ["A2", "2026-11-05 10:00", 0.1 + 0.2, 3.0, None, None],
            ["A3", "2026-11-05 10:00", 1, 1, None, "no header above"],
        ]
    )
    table = read_table(data, "orders.xlsx")
    assert table.headers == ["订单号", "支付时间", "实付金额", "数量", "日期"]
    assert list(table) == [
        (2, ["10001", "2026-11-05 09:03:07", "1234.5", "2", "2026-11-05 00:00:00"]),
        (4, ["A2", "2026-11-05 10:00", "0.3", "3", ""]),
    ]
    assert table.rejected == [RowError(5, "too_many_cells", {"cells": 6, "header": 5})]


def test_xlsx_detected_by_magic_without_extension() -> None:
    table = read_table(xlsx([["a"], [1]]), "upload")
    assert list(table) == [(2, ["1"])]


ALIASES = {
    "order_id": ("order_id", "订单号", "订单编号"),
    "paid_at": ("paid_at", "支付时间", "下单时间"),
    "amount": ("amount", "实付金额"),
    "sku": ("sku",),
}


def test_map_headers_case_space_and_bom_insensitive() -> None:
    cols = map_headers(["\ufeffOrder_ID ", " 下单时间", "AMOUNT", "x"], ALIASES, {"order_id"})
    assert cols == {"order_id": 0, "paid_at": 1, "amount": 2}


def test_map_headers_earlier_alias_wins() -> None:
    cols = map_headers(["下单时间", "支付时间", "订单号"], ALIASES, set())
    assert cols == {"paid_at": 1, "order_id": 2}


def test_map_headers_missing() -> None:
    with pytest.raises(MissingColumns) as exc:
        map_headers(["订单号", "商品"], ALIASES, {"order_id", "paid_at", "amount"})
    assert exc.value.code == "missing_columns"
    assert exc.value.missing == ["paid_at", "amount"]
    assert exc.value.found == ["订单号", "商品"]
    assert exc.value.params == {"missing": ["paid_at", "amount"], "found": ["订单号", "商品"]}


@given(text=st.text(alphabet='a,"\r\n\x1c\u2028 ', max_size=60), chunk=st.integers(1, 8))
def test_lines_are_what_one_stringio_gives(text: str, chunk: int) -> None:
    # read_table reads a CSV a piece at a time; the lines must not change with the pieces.
    assert list(_lines(text, chunk)) == list(io.StringIO(text, newline=""))
