"""Settlement rules (bot/domain/settlement.py): what may be settled, corrections, re-sends."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot.domain.settlement import SettleError, check_settle, corrections, to_resend

SH = ZoneInfo("Asia/Shanghai")
DEC = datetime(2026, 12, 1, tzinfo=SH)


@pytest.mark.parametrize(
    ("month", "settled", "sales", "code"),
    [
        ((2026, 10), {(2026, 10)}, [], "already_settled"),
        ((2026, 12), set(), [], "not_over"),
        ((2026, 9), {(2026, 10)}, [], "out_of_order"),
        ((2026, 11), set(), [(2026, 9)], "earlier_unsettled"),
        ((2026, 11), {(2026, 8)}, [(2026, 10)], "earlier_unsettled"),
    ],
)
def test_refusals(month, settled, sales, code) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SettleError) as caught:
        check_settle(month, settled, DEC, SH, sales)
    assert caught.value.code == code


def test_empty_months_in_between_are_settled_along() -> None:
    assert check_settle((2026, 11), {(2026, 8)}, DEC, SH, []) == [(2026, 9), (2026, 10)]
    assert check_settle((2026, 11), set(), DEC, SH, [(2026, 11)]) == []
    assert check_settle((2026, 11), {(2026, 10)}, DEC, SH, [(2026, 11)]) == []


def test_corrections_name_their_month() -> None:
    paid = {(2026, 9): 500, (2026, 10): 10_000, (2026, 11): 0}
    again = {(2026, 9): 500, (2026, 10): 9_400, (2026, 11): 300}
    assert corrections(paid, again) == {(2026, 10): -600, (2026, 11): 300}


def test_to_resend_skips_what_was_delivered_or_is_on_its_way() -> None:
    keys = ["payout:2026-11:csv", "payout:2026-11:xlsx", "settle:2026-11:A", "settle:2026-11:B"]
    states = {
        "payout:2026-11:csv": "failed",
        "payout:2026-11:xlsx": "failed",
        "payout:2026-11:xlsx#r1": "sent",
        "settle:2026-11:A": "sent",
        "settle:2026-11:B": "pending",
    }
    assert to_resend(keys, states) == {"payout:2026-11:csv": "payout:2026-11:csv#r1"}
    assert to_resend(keys, states, everything=True) == {
        "payout:2026-11:csv": "payout:2026-11:csv#r1",
        "payout:2026-11:xlsx": "payout:2026-11:xlsx#r2",
        "settle:2026-11:A": "settle:2026-11:A#r1",
    }
    # Someone bound since the settlement has no message yet.
    assert to_resend(["settle:2026-11:C"], states) == {"settle:2026-11:C": "settle:2026-11:C#r0"}
