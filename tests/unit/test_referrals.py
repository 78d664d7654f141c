"""The referral tree's rules (bot/domain/referrals.py), one home for links, imports, teams."""

import pytest

from bot.domain.commission import SharerInfo
from bot.domain.referrals import (
    ReferralError,
    check_link,
    inviter_of,
    joiners,
    leader_after_link,
    leader_of,
    reaches,
)


def test_reaches_follows_the_chain_and_stops_on_loops() -> None:
    inviters = {"C": "B", "B": "A", "X": "Y", "Y": "X"}
    assert reaches(inviters, "C", "A") and reaches(inviters, "A", "A")
    assert not reaches(inviters, "A", "C")
    assert not reaches(inviters, "X", "Q")  # a stored loop does not hang


@pytest.mark.parametrize(
    ("sharer", "inviter", "current", "code"),
    [("A", "A", "", "self_referral"), ("A", "C", "", "cycle"), ("C", "A", "B", "has_inviter")],
)
def test_check_link_refusals(sharer: str, inviter: str, current: str, code: str) -> None:
    with pytest.raises(ReferralError) as caught:
        check_link(sharer, inviter, {"C": "B", "B": "A"}, current=current)
    assert caught.value.code == code


def test_check_link_accepts_a_new_branch() -> None:
    check_link("D", "C", {"C": "B", "B": "A"})
    check_link("D", "C", {"C": "B"}, current="D")  # a stored self-link does not count


def test_self_links_are_ignored_and_teams_join() -> None:
    me = SharerInfo("A", inviter_id="A", leader_id="A")
    assert inviter_of(me) == "" and leader_of(me) == ""
    assert leader_after_link("", "L", True) == "L"
    assert leader_after_link("K", "L", True) == "K"
    assert leader_after_link("", "L", False) == ""
    team = [
        SharerInfo("B", inviter_id="L"),
        SharerInfo("C", inviter_id="L", leader_id="K"),
        SharerInfo("D", inviter_id="Q"),
        SharerInfo("L", inviter_id="L"),
    ]
    assert joiners("L", team) == ["B"]
