"""`python -m bot report month 2026-11 --xlsx FILE`: the workbook has a sheet per section and
the period's figures, equal to a computation over the same orders."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from bot.__main__ import _parser, _report
from bot.config import ConfigError
from bot.services import Services
from tests.storage.test_commission_repo import add_orders, add_roster
from tests.storage.test_digest_reads import ORDERS, ROSTER, valid_of


async def test_report_month_xlsx_has_a_sheet_per_section(
    services: Services, tmp_path: Path
) -> None:
    await add_roster(services.db, ROSTER)
    await add_orders(services.db, ORDERS)
    args = _parser().parse_args(["report", "month", "2026-11", "--xlsx", str(tmp_path / "r.xlsx")])
    assert await _report(services, args.kind, args.period, args.xlsx) == 0
    book = load_workbook(tmp_path / "r.xlsx")
    assert book.sheetnames == ["关键指标", "分享员", "商品", "商务"]
    kpis = {row[0]: row[1:] for row in book["关键指标"].iter_rows(min_row=2, values_only=True)}
    covered = [o for o in ORDERS if o[2] < "2026-11-22"]  # the clock is on 22 November
    assert kpis["成交额"][0] == pytest.approx(sum(o[4] for o in covered) / 100)
    assert kpis["有效销售额"][:2] == (pytest.approx(sum(map(valid_of, covered)) / 100), "不及格")
    assert kpis["订单数"][0] == len(covered)
    sharers = list(book["分享员"].iter_rows(min_row=2, values_only=True))
    assert [(sid, fen) for sid, _, fen in sharers] == [("C", 400.0), ("A", 250.0)]
    skus = list(book["商品"].iter_rows(min_row=2, values_only=True))
    assert skus[0] == ("SKU-2", 400.0, 1)


async def test_report_of_a_future_month_is_refused(services: Services, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="2026-12"):
        await _report(services, "month", "2026-12", tmp_path / "r.xlsx")
    assert not (tmp_path / "r.xlsx").exists()
